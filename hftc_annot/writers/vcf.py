"""Annotated VCF: the input header plus an HFTC INFO field declared the way VEP declares CSQ."""

from __future__ import annotations

from collections import defaultdict

import cyvcf2
import numpy as np

from hftc_annot.consequence import AnnotatedHit, Effect
from hftc_annot.inheritance import Findings
from hftc_annot.knowledge import Knowledge
from hftc_annot.knowledge.tiers import RARE, allele_tiers
from hftc_annot.panel import Gene

INFO_ID = "HFTC"
FLAGS_INFO = "HFTC_INHERITANCE"
FLAGS_FORMAT = "HFTC_FLAGS"
FIELDS = ("Allele", "Consequence", "IMPACT", "SYMBOL", "HGNC_ID", "Feature", "MANE_SELECT", "EXON", "INTRON",
          "HGVSc", "HGVSp", "cDNA_position", "CDS_position", "Protein_position", "Amino_acids", "Codons",
          "ALLELE_NUM", "TRANSCRIPT_RULE", "CONSEQUENCE_NOTE", "CLINVAR_ID", "CLINVAR_SIG", "CLINVAR_STARS",
          "CLINVAR_NEARBY", "HFTC_KNOWN", "HFTC_KNOWN_REF", "POPULATION_AF", "EVIDENCE_TIER", "TIER_REASONS")
_ESCAPES = str.maketrans({"%": "%25", ",": "%2C", "|": "%7C", ";": "%3B", "=": "%3D", " ": "_", "\t": "_"})
"""Free text in an HFTC sub-field: spaces as '_' (as VEP writes them), the characters that VCF INFO or the '|'
format would split on percent-encoded."""


def vcf_mode(path: str) -> str:
    """cyvcf2 write mode for an output name: bgzip for .gz, BCF for .bcf, else plain text."""
    if path.endswith(".gz"):
        return "wz"
    if path.endswith(".bcf"):
        return "wb"
    return "w"


def _entry(alt: str, allele: int, gene: Gene | None, label: str, effect: Effect | None, known: Knowledge,
           tiers: tuple[str, str]) -> str:
    """One HFTC entry: the consequence fields (VEP's names), then the note, knowledge and evidence tier."""
    c = effect.consequence if effect else None
    consequence = [alt, "&".join(c.terms) if c else "", c.impact if c else ""]
    transcript = [gene.symbol, gene.hgnc_id, gene.ensembl_transcript, gene.refseq] if gene else [label, "", "", ""]
    fields = [c.exon, c.intron, c.hgvs_c, c.hgvs_p, c.cdna_position, c.cds_position, c.protein_position,
              c.amino_acids, c.codons] if c else [""] * 9
    rule = [str(allele), effect.rule.replace(" ", "_") if effect else ""]
    notes = [effect.note if effect else "", known.clinvar_id, known.clinvar_significance, known.clinvar_stars,
             known.clinvar_nearby, known.known_hftc_variant, known.known_hftc_reference, known.population_af,
             tiers[0] if tiers[0] != "." else "", tiers[1]]
    return "|".join(consequence + transcript + fields + rule + [text.translate(_ESCAPES) for text in notes])


class VcfWriter:
    """Writes panel records with one HFTC entry per (ALT allele, panel gene)."""

    def __init__(self, path: str, mode: str, template: cyvcf2.VCF, meta: dict[str, str], findings: Findings,
                 rare_limit: float = RARE) -> None:
        self._rare = rare_limit
        for key, value in meta.items():
            template.add_to_header(f"##hftc-annot_{key}={value}")
        template.add_info_to_header({
            "ID": INFO_ID, "Number": ".", "Type": "String",
            "Description": "hftc-annot consequences, knowledge and evidence tier (not an ACMG classification) per "
                           "ALT allele and panel gene (MANE Select transcript); in free text, spaces are _ and "
                           ",;=|% are percent-encoded. "
                           "Format: " + "|".join(FIELDS),
        })
        template.add_info_to_header({
            "ID": FLAGS_INFO, "Number": "A", "Type": "String",
            "Description": "hftc-annot inheritance flags given to any sample for this ALT allele, joined by &"})
        template.add_format_to_header({
            "ID": FLAGS_FORMAT, "Number": "1", "Type": "String",
            "Description": "hftc-annot inheritance flags of this sample: FLAG/confidence[/pair id], joined by &"})
        self._samples = len(template.samples)
        self._flags: dict[int, list[tuple[int, str, int, list]]] = defaultdict(list)
        for (order, allele, symbol, sample), flags in findings.flags.items():
            self._flags[order].append((allele, symbol, sample, flags))
        self._writer = cyvcf2.Writer(path, template, mode=mode)

    def write(self, annotated: AnnotatedHit, order: int, known: dict[tuple[int, str], Knowledge],
              variant: cyvcf2.Variant) -> int:
        """Write `variant` (the record of `annotated`, with its sample columns) with the HFTC fields added; the
        evidence tier is the one of a sample with an inheritance flag there, when any sample has one."""
        hit = annotated.hit
        record = hit.record
        flagged = {(allele, symbol) for allele, symbol, _, _ in self._flags.get(order, [])}
        entries = []
        for number, alt in enumerate(record.alts, 1):
            if number not in hit.alleles:
                continue
            for gene in hit.genes or (None,):
                symbol = gene.symbol if gene else hit.label
                effect = annotated.effects.get((number, symbol))
                facts = known.get((number, symbol), Knowledge())
                terms = effect.consequence.terms if effect and effect.consequence else ()
                tiers = allele_tiers(terms, facts, bool(gene and gene.group == "core HFTC"), self._rare)
                entries.append(_entry(alt, number, gene, hit.label, effect, facts, tiers[(number, symbol) in flagged]))
        names: list[list[str]] = [[] for _ in record.alts]
        per_sample: dict[int, list[str]] = defaultdict(list)
        genes = [g.symbol for g in hit.genes]
        for allele, _gene, sample, flags in sorted(self._flags.get(order, []),
                                                   key=lambda f: (f[0], genes.index(f[1]), f[2])):
            for flag in flags:
                names[allele - 1].append(flag.name)
                per_sample[sample].append("/".join(x for x in (flag.name, flag.confidence, flag.pair) if x))
        per_allele = ["&".join(dict.fromkeys(n)) or "." for n in names]
        if entries:
            variant.INFO[INFO_ID] = ",".join(entries)
        if any(a != "." for a in per_allele):
            variant.INFO[FLAGS_INFO] = ",".join(per_allele)
        if self._samples and per_sample:
            variant.set_format(FLAGS_FORMAT, np.array(["&".join(dict.fromkeys(per_sample.get(s, []))) or "."
                                                       for s in range(self._samples)], dtype=bytes))
        self._writer.write_record(variant)
        return len(entries)

    def close(self) -> None:
        self._writer.close()
