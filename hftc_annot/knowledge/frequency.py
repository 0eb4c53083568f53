"""Population frequency stage: each ALT allele's frequency, from a --gnomad VCF or from an INFO field of the input."""

from __future__ import annotations

from hftc_annot.knowledge.lookup import VcfLookup
from hftc_annot.model import PanelRecord


class FrequencyStage:
    """Gives each finding the population frequency of its ALT (None when not known)."""

    def __init__(self, af_field: str, gnomad: VcfLookup | None = None) -> None:
        self._af_field, self._gnomad = af_field, gnomad
        self.source = (f"population frequency from {gnomad.path} (INFO/AF)" if gnomad is not None
                       else f"population frequency from the input's INFO/{af_field}")
        self.info_keys: tuple[str, ...] = () if gnomad is not None else (af_field,)
        """The INFO keys the reader must copy for this stage."""

    def annotate(self, item: PanelRecord) -> None:
        if not item.findings:
            return
        frequencies = self._frequencies(item)
        for finding in item.findings:
            finding.frequency = frequencies[finding.allele - 1] if len(frequencies) >= finding.allele else None

    def _frequencies(self, item: PanelRecord) -> list[float | None]:
        record = item.record
        if self._gnomad is not None:
            return [self._gnomad.frequency(record.chrom, record.pos, record.ref, alt) for alt in record.alts]
        value = record.info.get(self._af_field)
        values = value if isinstance(value, tuple) else (value,)
        out = []
        for v in values:
            try:
                out.append(float(v) if v is not None else None)
            except (TypeError, ValueError):
                out.append(None)
        return out
