"""Annotated VCF: the input header plus an HFTC INFO field declared the way VEP declares CSQ."""

from __future__ import annotations

from collections import defaultdict

import cyvcf2
import numpy as np

from hftc_annot.consequence import AnnotatedHit
from hftc_annot.inheritance import Findings

INFO_ID = "HFTC"
FLAGS_INFO = "HFTC_INHERITANCE"
FLAGS_FORMAT = "HFTC_FLAGS"
FIELDS = ("Allele", "Consequence", "IMPACT", "SYMBOL", "HGNC_ID", "Feature", "MANE_SELECT", "EXON", "INTRON",
          "HGVSc", "HGVSp", "cDNA_position", "CDS_position", "Protein_position", "Amino_acids", "Codons",
          "ALLELE_NUM", "TRANSCRIPT_RULE")


def vcf_mode(path: str) -> str:
    """cyvcf2 write mode for an output name: bgzip for .gz, BCF for .bcf, else plain text."""
    if path.endswith(".gz"):
        return "wz"
    if path.endswith(".bcf"):
        return "wb"
    return "w"


def _entry(alt: str, allele: int, symbol: str, hgnc: str, feature: str, mane: str, annotated: AnnotatedHit) -> str:
    effect = annotated.effects.get((allele, symbol))
    c = effect.consequence if effect else None
    fields = [alt, "&".join(c.terms) if c else "", c.impact if c else "", symbol, hgnc, feature, mane,
              c.exon if c else "", c.intron if c else "", c.hgvs_c if c else "", c.hgvs_p if c else "",
              c.cdna_position if c else "", c.cds_position if c else "", c.protein_position if c else "",
              c.amino_acids if c else "", c.codons if c else "", str(allele), effect.rule.replace(" ", "_")
              if effect else ""]
    return "|".join(fields)


class VcfWriter:
    """Writes panel records with one HFTC entry per (ALT allele, panel gene)."""

    def __init__(self, path: str, mode: str, template: cyvcf2.VCF, meta: dict[str, str], findings: Findings) -> None:
        for key, value in meta.items():
            template.add_to_header(f"##hftc-annot_{key}={value}")
        template.add_info_to_header({
            "ID": INFO_ID, "Number": ".", "Type": "String",
            "Description": "hftc-annot consequences per ALT allele and panel gene (MANE Select transcript). "
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

    def write(self, annotated: AnnotatedHit, order: int, variant: cyvcf2.Variant) -> int:
        """Write `variant` (the record of `annotated`, with its sample columns) with the HFTC fields added."""
        hit = annotated.hit
        record = hit.record
        entries = []
        for number, alt in enumerate(record.alts, 1):
            if number in hit.alleles:
                if hit.genes:
                    entries += [_entry(alt, number, g.symbol, g.hgnc_id, g.ensembl_transcript, g.refseq, annotated)
                                for g in hit.genes]
                else:
                    entries.append(_entry(alt, number, hit.label, "", "", "", annotated))
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
