"""Annotated VCF: the input header plus an HFTC INFO field declared the way VEP declares CSQ."""

from __future__ import annotations

import cyvcf2

from hftc_annot.consequence import AnnotatedHit

INFO_ID = "HFTC"
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

    def __init__(self, path: str, mode: str, template: cyvcf2.VCF, meta: dict[str, str]) -> None:
        for key, value in meta.items():
            template.add_to_header(f"##hftc-annot_{key}={value}")
        template.add_info_to_header({
            "ID": INFO_ID, "Number": ".", "Type": "String",
            "Description": "hftc-annot consequences per ALT allele and panel gene (MANE Select transcript). "
                           "Format: " + "|".join(FIELDS),
        })
        self._writer = cyvcf2.Writer(path, template, mode=mode)

    def write(self, annotated: AnnotatedHit) -> int:
        hit = annotated.hit
        record = hit.record
        entries = []
        for allele in hit.alleles:
            alt = record.alts[allele - 1]
            if hit.genes:
                entries += [_entry(alt, allele, g.symbol, g.hgnc_id, g.ensembl_transcript, g.refseq, annotated)
                            for g in hit.genes]
            else:
                entries.append(_entry(alt, allele, hit.label, "", "", "", annotated))
        variant = record.variant
        if entries:
            variant.INFO[INFO_ID] = ",".join(entries)
        self._writer.write_record(variant)
        return len(entries)

    def close(self) -> None:
        self._writer.close()
