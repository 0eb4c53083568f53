"""User-supplied knowledge VCFs (a newer ClinVar, gnomAD): tabix/CSI-indexed, read by region, matched on the allele."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hftc_annot.alleles import Spelling, same_change
from hftc_annot.assembly import assembly_lengths, canonical_contig, check_contigs, detect_build
from hftc_annot.errors import HftcError, InputError
from hftc_annot.resources import read_table

if TYPE_CHECKING:
    from pysam import VariantRecord

STARS = {"practice_guideline": "4", "reviewed_by_expert_panel": "3",
         "criteria_provided,_multiple_submitters,_no_conflicts": "2", "criteria_provided,_single_submitter": "1",
         "criteria_provided,_conflicting_classifications": "1", "criteria_provided,_conflicting_interpretations": "1"}
UNCLASSIFIED = "no germline classification"
"""The significance shown for a ClinVar record without CLNSIG."""
NEEDS = {"--clinvar": {"CLNSIG": "String"}, "--gnomad": {"AF": "Float"}}
"""The INFO field (and its type) each knowledge option reads; the others it reads (CLNREVSTAT, GENEINFO) are used
when declared."""


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

        self.path, self._option = path, option
        self._verbosity = pysam.set_verbosity
        self.notes: list[str] = []
        """What the run should warn about this file."""
        if not os.path.isfile(path):
            raise InputError(path, f"{option}: no such file")
        index = next((path + s for s in (".tbi", ".csi") if os.path.isfile(path + s)), None)
        if index is None:
            raise InputError(path, f"{option}: needs a .tbi or .csi index (bgzip it and run tabix -p vcf)")
        if os.path.getmtime(index) < os.path.getmtime(path):
            self.notes.append(f"{option} {path}: its index {index} is older than the file; if the file has changed "
                              "since, rebuild the index (tabix -f -p vcf)")
        quiet = pysam.set_verbosity(0)  # htslib's own lines about the index: the error below says it once
        try:
            self._vcf = pysam.VariantFile(path)
        except (OSError, ValueError, NotImplementedError) as exc:
            raise InputError(path, f"{option}: cannot open as VCF ({exc}); it must be bgzipped (bgzip, not gzip) "
                             "and indexed") from None
        finally:
            pysam.set_verbosity(quiet)
        if self._vcf.compression != "BGZF":
            raise InputError(path, f"{option}: not bgzip-compressed (compression: {self._vcf.compression}); "
                             "compress it with bgzip and index it with tabix -p vcf")
        if self._vcf.index is None:
            raise InputError(path, f"{option}: cannot read its index {index}; rebuild it (tabix -f -p vcf)")
        contigs = {name: self._vcf.header.contigs[name].length for name in self._vcf.header.contigs}
        lines = [str(r).rstrip("\n") for r in self._vcf.header.records]
        if reference is not None:
            self._check_contigs(contigs, reference, option)
        else:
            self._check_build(contigs, lines, option, build)
        self._names = _chromosome_names(contigs, build)
        wanted = {canonical_contig(n) for n in reference} if reference is not None else set(assembly_lengths()[build])
        if contigs and not self._names.keys() & wanted:
            raise InputError(path, f"{option}: none of its {len(contigs)} contigs (first: {next(iter(contigs))}) is a "
                             f"chromosome of {'the --fasta' if reference is not None else build} (1, chr1 or NC_000001 "
                             "style)")
        self._info = dict(self._vcf.header.info.items())
        for key, kind in NEEDS.get(option, {}).items():
            meta = self._info.get(key)
            if meta is None or meta.type != kind:
                found = f"declared Type={meta.type}" if meta is not None else "not declared"
                v4 = option == "--gnomad" and "AF_joint" in self._info
                joint = " (gnomAD v4's joint file calls it AF_joint: use its exomes or genomes file, or rename it " \
                    "with bcftools annotate --rename-annots)" if v4 else ""
                raise InputError(path, f"{option}: INFO/{key} is {found}; it needs an ##INFO line with Type={kind}"
                                 + joint)
        for key in ("CLNSIG", "CLNREVSTAT", "GENEINFO") if option == "--clinvar" else ():
            if key in self._info and self._info[key].number == "G":  # htslib cannot read it in INFO
                raise InputError(path, f"{option}: INFO/{key} is declared Number=G, which only a FORMAT field may be; "
                                 "declare it Number=.")
        if option == "--gnomad" and self._info["AF"].number not in ("A", 1):  # R, G or .: not one value per ALT
            raise InputError(path, f"{option}: INFO/AF is declared Number={self._info['AF'].number}; an allele "
                             "frequency needs Number=A (or 1, on records with one ALT)")

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
        if evidence.build is None:
            self.notes.append(f"{option} {self.path}: its build is not checked (no ##contig lengths or ##reference "
                              "line); it must be of the input's build")

    def _fetch(self, chrom: str, first: int, last: int) -> list[VariantRecord]:
        """The records that overlap chrom:first-last (1-based, inclusive)."""
        name = self._names.get(canonical_contig(chrom))
        if name is None:
            return []
        quiet = self._verbosity(0)  # a broken index makes htslib print the line it misread: the error says why
        try:
            return list(self._vcf.fetch(name, max(0, first - 1), last))
        except (OSError, ValueError) as exc:
            raise InputError(self.path, f"{self._option}: cannot read it at {name}:{first}-{last} ({exc}); is the "
                             "index of another version of the file? rebuild it (tabix -f -p vcf)") from None
        finally:
            self._verbosity(quiet)

    def _records(self, chrom: str, pos: int, ref: str, alt: str, repeat: Spelling | None
                 ) -> list[tuple[VariantRecord, int]]:
        """The records (and ALT numbers) of this change: those near the input's own spelling, else, for an indel
        that could be placed elsewhere in its repeat, those anywhere in it (`repeat`: the spelling over all of it)."""
        if alt.startswith("<"):  # a symbolic ALT (<DEL>) does not give the bases it changes: its END does
            return []
        return self._same(chrom, Spelling(pos, ref, alt)) or (self._same(chrom, repeat) if repeat else [])

    def _same(self, chrom: str, spelling: Spelling) -> list[tuple[VariantRecord, int]]:
        # records that overlap or touch REF: an indel may be anchored on the base before or after it
        return [(record, number) for record in self._fetch(chrom, spelling.pos - 1, spelling.pos + len(spelling.ref))
                for number, other in enumerate(record.alts or (), 1)
                if same_change(spelling, (record.pos, record.ref, other))]

    def _value(self, record: VariantRecord, key: str) -> object:
        """An INFO value of a record, None when the header does not declare the key."""
        return record.info.get(key) if key in self._info else None

    def lookup(self, chrom: str, pos: int, ref: str, alt: str, repeat: Spelling | None) -> ClinVarEntry | None:
        """The ClinVar record of exactly this allele: its Variation ID, CLNSIG and review stars (`repeat`: see
        _records); one with a germline classification (CLNSIG) before one without (a somatic-only record)."""
        entries = [self._entry(record, chrom, pos, ref, alt)
                   for record, _ in self._records(chrom, pos, ref, alt, repeat)]
        return min(entries, key=lambda e: e.significance == UNCLASSIFIED, default=None)

    def entries(self, chrom: str, first: int, last: int) -> list[ClinVarEntry]:
        """The ClinVar records whose POS is in chrom:first-last, an entry per ALT (at the record's own POS and
        REF)."""
        return [self._entry(record, chrom, record.pos, record.ref, alt) for record in self._fetch(chrom, first, last)
                if first <= record.pos <= last for alt in record.alts or ()]

    def _entry(self, record: VariantRecord, chrom: str, pos: int, ref: str, alt: str) -> ClinVarEntry:
        """A record as an entry; one without CLNSIG (ClinVar's somatic-only records, with ONC or SCI fields) is
        UNCLASSIFIED, with no review stars: its review status is not that of a germline classification."""
        significance = self._value(record, "CLNSIG")
        review = self._value(record, "CLNREVSTAT") or ("",)
        review_text = ",".join(review) if isinstance(review, tuple) else str(review)
        genes = str(self._value(record, "GENEINFO") or "").split(":")[0]
        text = ",".join(significance) if isinstance(significance, tuple) else str(significance or "")
        if not text.strip("."):
            return ClinVarEntry(canonical_contig(chrom), pos, ref, alt, genes, str(record.id or "."), UNCLASSIFIED, "")
        return ClinVarEntry(canonical_contig(chrom), pos, ref, alt, genes, str(record.id or "."),
                            text.replace("_", " "), STARS.get(review_text, "0"))

    def frequency(self, chrom: str, pos: int, ref: str, alt: str, repeat: Spelling | None) -> float | None:
        """INFO/AF of exactly this allele (Number=A; Number=1 only on a record with one ALT), checked to be a
        frequency (`repeat`: see _records)."""
        for record, number in self._records(chrom, pos, ref, alt, repeat):
            value = record.info.get("AF")
            where = f"record {record.contig}:{record.pos}"
            if isinstance(value, tuple):
                value = value[number - 1] if len(value) >= number else None
            elif value is not None and len(record.alts) > 1:
                raise InputError(self.path, f"{self._option}: {where} has one AF for {len(record.alts)} ALT alleles; "
                                 "declare AF Number=A, or split the record (bcftools norm -m-)")
            if value is not None and not 0 <= value <= 1:  # NaN fails both comparisons
                raise InputError(self.path, f"{self._option}: {where}: AF {value} is not a frequency (0 to 1)")
            return value
        return None


def _chromosome_names(contigs: dict[str, int | None], build: str) -> dict[str, str]:
    """Each contig's canonical name (chr2, 2 and the build's RefSeq accession NC_000002.12 give '2') -> its name."""
    accessions = {row["refseq"]: row["contig"] for row in read_table("assemblies.tsv")
                  if row["build"] == build and row["refseq"] != "."}
    return {accessions.get(name) or canonical_contig(name): name for name in contigs}
