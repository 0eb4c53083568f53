"""Knowledge stage: what is already known about each panel allele (ClinVar P/LP snapshot, curated HFTC variants).

Matching is exact on the allele (contig, position, REF, ALT after trimming to the minimal change). A different
allele at the position of a known pathogenic variant, or in its codon, is reported as such, never as the known
variant itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from hftc_annot.alleles import Allele, Spelling, StructuralAllele, minimal, same_change
from hftc_annot.assembly import canonical_contig
from hftc_annot.consequence.transcripts import Transcript
from hftc_annot.knowledge.lookup import ClinVarEntry, VcfLookup
from hftc_annot.model import PanelRecord
from hftc_annot.reader.records import skip_reason
from hftc_annot.resources import read_table

CLINVAR_SNAPSHOT = "clinvar_plp_2024-12-15.GRCh38.tsv"
SNAPSHOT_LABEL = "ClinVar P/LP >=2 stars, snapshot 2024-12-15 (GRCh38)"
_CODON = re.compile(r"p\.\(?[A-Z][a-z]{2}(\d+)")


PATHOGENIC = frozenset({"Pathogenic", "Likely pathogenic", "Pathogenic, low penetrance",
                        "Likely pathogenic, low penetrance"})


@lru_cache(maxsize=4096)  # asked several times per panel allele; ClinVar has few distinct significances
def pathogenic(significance: str) -> bool:
    """Whether a ClinVar significance is pathogenic or likely pathogenic: a term of its aggregate (terms joined by /)
    before any secondary one after | (Pathogenic/Likely_pathogenic|risk_factor); ClinVar's VCF writes _ for spaces."""
    primary = significance.replace("_", " ").split("|")[0]
    return any(term in PATHOGENIC for term in primary.split("/"))


@dataclass(frozen=True)
class Knowledge:
    """What is known about one ALT allele in one gene; empty strings when nothing is. known_hftc_exact: the curated
    HFTC variant is this allele's own change (not only the same codon)."""

    clinvar_id: str = ""
    clinvar_significance: str = ""
    clinvar_stars: str = ""
    clinvar_nearby: str = ""
    known_hftc_variant: str = ""
    known_hftc_reference: str = ""
    population_af: str = ""
    known_hftc_exact: bool = False


class KnowledgeStage:
    """Loads the shipped snapshot (GRCh38 only) and the curated HFTC variants once; looks alleles up."""

    def __init__(self, build: str, transcripts: dict[str, Transcript], clinvar: VcfLookup | None = None) -> None:
        self.sources = []
        self._clinvar = clinvar
        if clinvar is not None:
            self.sources.append(f"ClinVar from {clinvar.path} (instead of the shipped snapshot)")
        self._exact: dict[tuple[str, int, str, str], ClinVarEntry] = {}
        self._by_position: dict[tuple[str, int], list[ClinVarEntry]] = defaultdict(list)
        self._indels: dict[tuple[str, int], list[ClinVarEntry]] = defaultdict(list)  # by the minimal allele's start
        self._touching: dict[tuple[str, int], list[ClinVarEntry]] = defaultdict(list)
        """Each record under every base of its REF and the base after it: an input allele whose REF overlaps or
        touches the record's looks it up at a base of its own REF or the one after."""
        self._by_codon: dict[tuple[str, int], list[ClinVarEntry]] = defaultdict(list)
        if build == "GRCh38" and clinvar is None:
            self.sources.append(SNAPSHOT_LABEL)
            for row in read_table(CLINVAR_SNAPSHOT):
                entry = ClinVarEntry(row["chrom"], int(row["pos"]), row["ref"], row["alt"], row["gene"],
                                 row["clinvar_id"], row["significance"], row["stars"])
                change = minimal(row["chrom"], entry.pos, entry.ref, entry.alt)
                self._exact[(change.chrom, change.start, change.ref, change.alt)] = entry
                self._by_position[(entry.contig, entry.pos)].append(entry)
                for base in range(entry.pos, entry.pos + len(entry.ref) + 1):
                    self._touching[(change.chrom, base)].append(entry)
                if bool(change.ref) != bool(change.alt):
                    self._indels[(change.chrom, change.start)].append(entry)
                codon = _codon_of(transcripts.get(entry.gene), change.start)
                if codon:
                    self._by_codon[(entry.gene, codon)].append(entry)
        self.sources.append("curated HFTC literature variants (hftc_known_variants.tsv, with confidence)")
        self._known = defaultdict(list)  # (gene, transcript accession without version) -> curated rows
        for row in read_table("hftc_known_variants.tsv"):
            self._known[(row["gene"], row["transcript_mane"].split(".")[0])].append(row)
        self._transcripts = transcripts

    def annotate(self, item: PanelRecord) -> None:
        """Give each finding on a panel gene its Knowledge (with the population frequency found before)."""
        record = item.record
        contig = canonical_contig(record.chrom)
        clinvar: dict[int, ClinVarEntry | None] = {}
        for finding in item.findings:
            if finding.gene is None:
                continue
            if self._clinvar and finding.allele not in clinvar:
                clinvar[finding.allele] = self._clinvar.lookup(record.chrom, record.pos, record.ref, finding.alt,
                                                               finding.repeat)
            consequence = finding.effect.consequence if finding.effect else None
            af = "" if finding.frequency is None else f"{finding.frequency:.6g}"
            written = Spelling(record.pos, record.ref, finding.alt)
            finding.knowledge = self._lookup(finding.gene.symbol, contig, written, finding.change, finding.repeat,
                                             consequence, clinvar.get(finding.allele), af)

    def _lookup(self, gene: str, contig: str, written: Spelling, change, repeat: Spelling | None, consequence,
                clinvar: ClinVarEntry | None, population_af: str) -> Knowledge:
        """`written`: the allele as the input writes it (its record's POS and REF, this ALT)."""
        fields: dict[str, str | bool] = {"population_af": population_af}
        if isinstance(change, StructuralAllele):  # the ClinVar and curated tables hold small variants only
            return Knowledge(**fields)
        hit = clinvar if self._clinvar else self._snapshot_entry(change, written, repeat)
        if hit:
            fields.update(clinvar_id=hit.ident, clinvar_significance=hit.significance, clinvar_stars=hit.stars)
        if hit is None or not pathogenic(hit.significance):  # a --clinvar VUS in the codon of a P/LP one: say so
            fields.update(self._nearby(gene, contig, written.pos, change))
        fields.update(self._curated(gene, consequence))
        return Knowledge(**fields)

    def _snapshot_entry(self, change: Allele, written: Spelling, repeat: Spelling | None) -> ClinVarEntry | None:
        """The snapshot's record of this change: the same minimal allele; else one whose REF overlaps or touches the
        input's and that makes the same change (an indel anchored or aligned otherwise: AA>A one base after ClinVar's
        GA>G), as a --clinvar file's records are matched; else, for an indel that could be placed elsewhere in its
        repeat, a record anywhere in that repeat that makes the same change."""
        hit = self._exact.get((change.chrom, change.start, change.ref, change.alt))
        if hit is None:
            hit = next((entry for base in range(written.pos, written.pos + len(written.ref) + 1)
                        for entry in self._touching.get((change.chrom, base), ())
                        if same_change(written, (entry.pos, entry.ref, entry.alt))), None)
        if hit is not None or repeat is None:
            return hit
        # a record of the same change trims to one of its placements in the repeat, however many bases its REF
        # has before it (the record's POS may then lie before the repeat)
        return next((entry for start in range(repeat.pos, repeat.pos + len(repeat.ref) + 1)
                     for entry in self._indels.get((change.chrom, start), ())
                     if same_change(repeat, (entry.pos, entry.ref, entry.alt))), None)

    def _nearby(self, gene: str, contig: str, pos: int, change) -> dict[str, str]:
        """The P/LP variants at the allele's POS, else in its codon (another allele: not this one)."""
        t = self._transcripts.get(gene)
        codon = _codon_of(t, change.start)
        if self._clinvar is None:
            near = self._by_position.get((contig, pos), [])
            same_codon = self._by_codon.get((gene, codon), []) if codon else []
        else:
            near = [e for e in self._clinvar.entries(contig, pos, pos) if pathogenic(e.significance)]
            same_codon = self._in_codon(t, codon, contig) if codon and not near else []
        if near:
            return {"clinvar_nearby": "same position as " + ", ".join(
                f"ClinVar {e.ident} ({e.significance}, {e.ref}>{e.alt})" for e in near) + "; not this allele"}
        if same_codon:
            return {"clinvar_nearby": f"same codon ({codon}) as " + ", ".join(
                f"ClinVar {e.ident} ({e.significance})" for e in same_codon) + "; not this allele"}
        return {}

    def _in_codon(self, t: Transcript, codon: int, contig: str) -> list[ClinVarEntry]:
        """The --clinvar file's P/LP alleles whose change starts in codon `codon` of t."""
        bases = [t.genomic_of(t.coding_cdna[0] + 3 * (codon - 1) + k) for k in range(3)]
        # from the base before: an indel's POS is its anchor base, before the first base it changes
        return [e for e in self._clinvar.entries(contig, min(bases) - 1, max(bases))
                if pathogenic(e.significance) and skip_reason(e.ref, e.alt) is None
                and _codon_of(t, minimal(contig, e.pos, e.ref, e.alt).start) == codon]

    def _curated(self, gene: str, consequence) -> dict[str, str | bool]:
        """The curated variant this change is, or shares a codon with; only on the transcript the curators named (any
        version of it): a c./p. on another transcript of the gene (--gff) numbers other bases."""
        if consequence is None:
            return {}
        ours_c, ours_p = consequence.c_change, consequence.p_change
        rows = self._known.get((gene, consequence.transcript.refseq.split(".")[0]), [])
        for row in rows:
            c = row["hgvs_c"].replace("(inferred)", "").strip()
            if (c and c == ours_c) or (row["hgvs_p"] and _protein(row["hgvs_p"]) == _protein(ours_p)):
                inferred = " (c. inferred by the curator)" if "(inferred)" in row["hgvs_c"] else ""
                return {"known_hftc_variant": f"{row['hgvs_c'] or row['hgvs_p']} {row['hgvs_p']} "
                                              f"[confidence: {row['confidence']}]{inferred}",
                        "known_hftc_reference": _reference(row), "known_hftc_exact": True}
        codon = _CODON.match(ours_p)
        if codon:
            for row in rows:
                theirs = _CODON.match(row["hgvs_p"])
                if theirs and theirs.group(1) == codon.group(1):
                    return {"known_hftc_variant": f"same codon as known HFTC variant {row['hgvs_p']} "
                                                  f"[confidence: {row['confidence']}]; not this change",
                            "known_hftc_reference": _reference(row)}
        return {}


def _protein(hgvs_p: str) -> str:
    """An HGVS p. in one spelling: a predicted change without its parentheses, a stop as Ter (VEP writes
    p.Tyr322Ter, SnpEff p.Tyr322*, the curators p.(Tyr322Ter))."""
    return hgvs_p.replace("(", "").replace(")", "").replace("*", "Ter")


def _reference(row: dict[str, str]) -> str:
    ids = [f"PMID {row['pmid']}" if row["pmid"] else "", f"doi:{row['doi']}" if row["doi"] else ""]
    return "; ".join(x for x in [row["reference"], *ids] if x)


def _codon_of(t: Transcript | None, g: int) -> int | None:
    """Codon number (1-based) of a genomic position in the CDS of t, else None."""
    if t is None or not t.coding or t.exon_index(g) is None:
        return None
    first, last = t.coding_cdna
    cdna = t.cdna_of(g)
    return (cdna - first) // 3 + 1 if first <= cdna <= last else None
