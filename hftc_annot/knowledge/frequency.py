"""Population frequency stage: each ALT allele's frequency, from a --gnomad VCF or from an INFO field of the input."""

from __future__ import annotations

import numpy as np

from hftc_annot.errors import InputError, UsageError
from hftc_annot.knowledge.lookup import VcfLookup
from hftc_annot.model import PanelRecord
from hftc_annot.reader.header import info_declaration

DEFAULT_AF_FIELD = "gnomAD_AF"


def af_field_declared(header_lines: tuple[str, ...], field: str, source: str) -> bool:
    """Whether the input declares its --af-field, which must then be an allele frequency per ALT: Type=Float,
    Number=A (or 1). A field the header does not declare is an error when it was asked for by name (the default may
    simply be absent; it is then not read)."""
    declared = info_declaration(header_lines, field)
    if declared is None:
        if field != DEFAULT_AF_FIELD:
            raise UsageError(f"--af-field {field}: {source} declares no INFO/{field} (no ##INFO line)")
        return False
    if declared.get("Type") != "Float" or declared.get("Number") not in ("A", "1"):
        raise UsageError(f"--af-field {field}: {source} declares INFO/{field} with Number={declared.get('Number')}, "
                         f"Type={declared.get('Type')}; an allele frequency needs Type=Float and Number=A (or 1)")
    return True


class FrequencyStage:
    """Gives each finding the population frequency of its ALT (None when not known)."""

    def __init__(self, af_field: str, gnomad: VcfLookup | None = None, source: str = "", declared: bool = True) -> None:
        """`source`: the input's name, for errors in its values; `declared`: whether its header declares `af_field`
        (an undeclared one is not read)."""
        self._af_field, self._gnomad, self._source = af_field, gnomad, source
        if gnomad is not None:
            self.source = f"population frequency from {gnomad.path} (INFO/AF)"
        elif declared:
            self.source = f"population frequency from the input's INFO/{af_field}"
        else:  # the default field, absent: every frequency is unknown (and counts as rare)
            self.source = (f"no population frequency (the input declares no INFO/{af_field}; give --gnomad or "
                           "--af-field)")
        self.info_keys: tuple[str, ...] = () if gnomad is not None or not declared else (af_field,)
        """The INFO keys the reader must copy for this stage."""

    def annotate(self, item: PanelRecord) -> None:
        if not item.findings:
            return
        frequencies = [_as_written(v) for v in self._frequencies(item)]
        for finding in item.findings:
            finding.frequency = frequencies[finding.allele - 1] if len(frequencies) >= finding.allele else None

    def _frequencies(self, item: PanelRecord) -> list[float | None]:
        record = item.record
        if self._gnomad is not None:
            repeats = {finding.allele: finding.repeat for finding in item.findings}
            return [self._gnomad.frequency(record.chrom, record.pos, record.ref, alt, repeats.get(number))
                    for number, alt in enumerate(record.alts, 1)]
        value = record.info.get(self._af_field)
        if value is None:
            return []
        values = value if isinstance(value, tuple) else (value,)
        where = f"{record.where}: INFO/{self._af_field}"
        if len(values) != len(record.alts):
            raise InputError(self._source, f"{where} has {len(values)} value(s) for {len(record.alts)} ALT alleles; "
                             "declare it Number=A, or split the record (bcftools norm -m-)")
        for v in values:
            if v is not None and not 0 <= v <= 1:  # NaN fails both comparisons
                raise InputError(self._source, f"{where} {v} is not a frequency (0 to 1)")
        return list(values)


def _as_written(value: float | None) -> float | None:
    """A VCF Float as the file writes it: htslib reads it in single precision (AF=0.001 is 0.0010000000475), the
    shortest decimal of that single is the file's own (0.001), which a limit of 0.001 keeps."""
    return None if value is None else float(str(np.float32(value)))
