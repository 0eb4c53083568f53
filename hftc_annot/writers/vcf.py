"""Annotated VCF: the input header plus an HFTC INFO field declared the way VEP declares CSQ."""

from __future__ import annotations

import cyvcf2

from hftc_annot.panel import PanelHit

INFO_ID = "HFTC"
FIELDS = ("Allele", "ALLELE_NUM", "SYMBOL", "HGNC_ID", "Feature", "MANE_SELECT")


def vcf_mode(path: str) -> str:
    """cyvcf2 write mode for an output name: bgzip for .gz, BCF for .bcf, else plain text."""
    if path.endswith(".gz"):
        return "wz"
    if path.endswith(".bcf"):
        return "wb"
    return "w"


class VcfWriter:
    """Writes panel records with one HFTC entry per (ALT allele, panel gene)."""

    def __init__(self, path: str, mode: str, template: cyvcf2.VCF, meta: dict[str, str]) -> None:
        for key, value in meta.items():
            template.add_to_header(f"##hftc-annot_{key}={value}")
        template.add_info_to_header({
            "ID": INFO_ID, "Number": ".", "Type": "String",
            "Description": "hftc-annot panel annotation per ALT allele and panel gene. Format: " + "|".join(FIELDS),
        })
        self._writer = cyvcf2.Writer(path, template, mode=mode)

    def write(self, hit: PanelHit) -> int:
        record = hit.record
        entries = []
        for allele in hit.alleles:
            alt = record.alts[allele - 1]
            if hit.genes:
                entries += [f"{alt}|{allele}|{g.symbol}|{g.hgnc_id}|{g.ensembl_transcript}|{g.refseq}"
                            for g in hit.genes]
            else:
                entries.append(f"{alt}|{allele}|{hit.label}|||")
        variant = record.variant
        if entries:
            variant.INFO[INFO_ID] = ",".join(entries)
        self._writer.write_record(variant)
        return len(entries)

    def close(self) -> None:
        self._writer.close()
