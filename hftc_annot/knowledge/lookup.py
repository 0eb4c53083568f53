"""User-supplied knowledge VCFs (a newer ClinVar, gnomAD): tabix/CSI-indexed, read by region, matched on the allele."""

from __future__ import annotations

import os
from dataclasses import dataclass

from hftc_annot.assembly import canonical_contig, check_contigs, detect_build
from hftc_annot.consequence.alleles import minimal
from hftc_annot.errors import HftcError, InputError

STARS = {"practice_guideline": "4", "reviewed_by_expert_panel": "3",
         "criteria_provided,_multiple_submitters,_no_conflicts": "2", "criteria_provided,_single_submitter": "1",
         "criteria_provided,_conflicting_classifications": "1", "criteria_provided,_conflicting_interpretations": "1"}


@dataclass(frozen=True)
class ClinVarEntry:
    contig: str
    pos: int
    ref: str
    alt: str
    gene: str
    ident: str
    significance: str
    stars: str


class VcfLookup:
    """One indexed VCF of the run's build (of the reference whose contig lengths are `reference`, on an assembly of the
    user's own); `lookup`/`frequency` find the record of exactly this allele."""

    def __init__(self, path: str, option: str, build: str, reference: dict[str, int] | None = None) -> None:
        import pysam

        self.path = path
        if not os.path.isfile(path):
            raise InputError(path, f"{option}: no such file")
        if not any(os.path.isfile(path + s) for s in (".tbi", ".csi")):
            raise InputError(path, f"{option}: needs a .tbi or .csi index (bgzip it and run tabix -p vcf)")
        try:
            self._vcf = pysam.VariantFile(path)
        except (OSError, ValueError) as exc:
            raise InputError(path, f"{option}: cannot open as VCF ({exc})") from None
        contigs = {name: self._vcf.header.contigs[name].length for name in self._vcf.header.contigs}
        lines = [str(r).rstrip("\n") for r in self._vcf.header.records]
        if reference is not None:
            self._check_contigs(contigs, reference, option)
        else:
            self._check_build(contigs, lines, option, build)
        self._names = {canonical_contig(name): name for name in contigs}

    def _check_contigs(self, contigs: dict[str, int | None], reference: dict[str, int], option: str) -> None:
        try:
            check_contigs(contigs, reference, option, "the --fasta")
        except HftcError as exc:
            raise InputError(self.path, str(exc)) from None

    def _check_build(self, contigs: dict[str, int | None], lines: list[str], option: str, build: str) -> None:
        try:
            evidence = detect_build(contigs, lines)
        except HftcError as exc:
            raise InputError(self.path, f"{option}: {exc}") from None
        if evidence.build is not None and evidence.build != build:
            raise InputError(self.path, f"{option}: this file is {evidence.build} but the input is {build}")

    def _records(self, chrom: str, pos: int, ref: str, alt: str):
        name = self._names.get(canonical_contig(chrom))
        if name is None:
            return
        wanted = minimal("", pos, ref, alt)
        try:
            found = self._vcf.fetch(name, pos - 1, pos + len(ref) - 1)
        except ValueError:
            return
        for record in found:
            for number, other in enumerate(record.alts or (), 1):
                if minimal("", record.pos, record.ref, other) == wanted:
                    yield record, number

    def lookup(self, chrom: str, pos: int, ref: str, alt: str) -> ClinVarEntry | None:
        """The ClinVar record of exactly this allele: its Variation ID, CLNSIG and review stars."""
        for record, _ in self._records(chrom, pos, ref, alt):
            significance = record.info.get("CLNSIG", ("",))
            review = record.info.get("CLNREVSTAT", ("",))
            review_text = ",".join(review) if isinstance(review, tuple) else str(review)
            genes = str(record.info.get("GENEINFO", "")).split(":")[0]
            return ClinVarEntry(canonical_contig(chrom), pos, ref, alt, genes, str(record.id or "."),
                                "/".join(significance).replace("_", " ") if isinstance(significance, tuple)
                                else str(significance).replace("_", " "), STARS.get(review_text, "0"))
        return None

    def frequency(self, chrom: str, pos: int, ref: str, alt: str) -> float | None:
        """INFO/AF of exactly this allele (Number=A aware)."""
        for record, number in self._records(chrom, pos, ref, alt):
            value = record.info.get("AF")
            if isinstance(value, tuple):
                return float(value[number - 1]) if len(value) >= number and value[number - 1] is not None else None
            return float(value) if value is not None else None
        return None
