"""Generate the shipped files under resources/ from the raw sources in ../shared/data/raw.

Run from the repository root:  python scripts/build_resources.py [--raw ../shared/data/raw]
The output is byte-identical for the same inputs (no timestamps); PROVENANCE.tsv records the
sha256 of every input and output file.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

MODELS_38 = "derived_hftc_models/mane_select_models_GRCh38.tsv"
MODELS_37 = "derived_hftc_models/mane_select_models_GRCh37_derived.tsv"
PANEL_FACTS = "panel_facts.tsv"
CLINVAR = "derived_hftc_models/clinvar_20241215_PLP_2star_panel_genes_GRCh38.no_consequence.tsv"
KNOWN_HFTC = "hftc_known_variants.tsv"
# ClinVar review status to stars (ClinVar's own scale).
STARS = {"practice_guideline": 4, "reviewed_by_expert_panel": 3,
         "criteria_provided,_multiple_submitters,_no_conflicts": 2, "criteria_provided,_single_submitter": 1,
         "criteria_provided,_conflicting_classifications": 1}
GRCH37_USABLE = {"ok", "ok_per_exon"}
# GENCODE V24 canonical transcripts (SpliceAI): V24 on GRCh38, V24lift37 on GRCh37; exons only, 0-based starts.
CANONICAL = "spliceai_gencode24_canonical/grch{}.txt.gz"
LIFT37 = "verified_lift37"  # GRCh37 status of a model moved and verified here by lift37()
# GENCODE V24 predates HGNC renames; a panel gene's canonical transcript is listed under its former symbol.
V24_NAMES = {"MYORG": "KIAA1161"}  # HGNC renamed KIAA1161 to MYORG in 2018 (same locus, strand and junction)

# Chromosome lengths of the primary assemblies (GRC assembly reports; identical to the UCSC
# hg38/hg19 chrom.sizes for 1-22, X, Y; T2T-CHM13v2.0 from its NCBI assembly report GCA_009914755.4, the same as
# UCSC hs1 chrom.sizes). The only hand-entered table here: no raw file holds it. T2T-CHM13v2.0 is listed only to
# be recognised (no models are shipped for it). MT is listed for naming only; it never tells the builds apart
# (hg19 chrM is 16571).
ASSEMBLIES = {
    "GRCh38": [248956422, 242193529, 198295559, 190214555, 181538259, 170805979, 159345973,
               145138636, 138394717, 133797422, 135086622, 133275309, 114364328, 107043718,
               101991189, 90338345, 83257441, 80373285, 58617616, 64444167, 46709983, 50818468,
               156040895, 57227415, 16569],
    "GRCh37": [249250621, 243199373, 198022430, 191154276, 180915260, 171115067, 159138663,
               146364022, 141213431, 135534747, 135006516, 133851895, 115169878, 107349540,
               102531392, 90354753, 81195210, 78077248, 59128983, 63025520, 48129895, 51304566,
               155270560, 59373566, 16569],
    "T2T-CHM13v2.0": [248387328, 242696752, 201105948, 193574945, 182045439, 172126628, 160567428,
                      146259331, 150617247, 134758134, 135127769, 133324548, 113566686, 101161492,
                      99753195, 96330374, 84276897, 80542538, 61707364, 66210255, 45090682, 51324926,
                      154259566, 62460029, 16569],
}
ASSEMBLY_CONTIGS = [str(i) for i in range(1, 23)] + ["X", "Y", "MT"]
# RefSeq accessions of the same chromosomes (GRC assembly reports, 'RefSeq-Accn'): NC_0000NN for 1-22, X (23) and
# Y (24), each GRCh38 version one above GRCh37's; NC_012920.1 (rCRS) for MT in both. RefSeq GFF3 names contigs so.
REFSEQ_VERSIONS_GRCH37 = [10, 11, 11, 11, 9, 11, 13, 10, 11, 10, 9, 11, 10, 8, 9, 9, 10, 9, 9, 10, 8, 10, 10, 9]


def refseq_accessions(build: str) -> list[str]:
    """RefSeq chromosome accessions of a GRC build; '.' for T2T-CHM13v2.0, whose accessions no source here lists."""
    if build not in ("GRCh38", "GRCh37"):
        return ["."] * len(ASSEMBLY_CONTIGS)
    step = 1 if build == "GRCh38" else 0
    return [f"NC_{n:06d}.{v + step}" for n, v in enumerate(REFSEQ_VERSIONS_GRCH37, 1)] + ["NC_012920.1"]

FACT_COLUMNS = [
    ("symbol", "hgnc_symbol"), ("hgnc_id", "hgnc_id"), ("ensembl_gene", "ensembl_gene_version_mane"),
    ("ncbi_gene_id", "ncbi_gene_id"), ("omim_gene", "omim_gene_mim"), ("chromosome", "chromosome"),
    ("band", "chromosome_band"), ("group", "tier"), ("secondary_group", "secondary_tier"),
    ("inheritance", "inheritance"), ("disorders", "disorders_omim"),
    ("mane_select_refseq", "mane_select_refseq"), ("mane_select_ensembl", "mane_select_ensembl"),
    ("mane_select_protein", "mane_select_refseq_protein"), ("mane_plus_clinical", "mane_plus_clinical"),
]


@dataclass(frozen=True)
class Model:
    """One MANE Select transcript on one build (0-based half-open starts, inclusive ends)."""

    gene: str
    chrom: str
    strand: str
    tx_start0: int
    tx_end: int
    cds_start0: int
    cds_end: int
    exons: tuple[tuple[int, int], ...]


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        lines = [line for line in handle]
    lines[0] = lines[0].lstrip("#")
    return list(csv.DictReader(lines, delimiter="\t"))


def parse_model(gene: str, row: dict[str, str]) -> Model:
    starts = [int(x) for x in row["exon_starts0"].split(",")]
    ends = [int(x) for x in row["exon_ends"].split(",")]
    return Model(
        gene=gene, chrom=row["chrom"], strand=row["strand"],
        tx_start0=int(row["tx_start0"]), tx_end=int(row["tx_end"]),
        cds_start0=int(row["cds_start0"]), cds_end=int(row["cds_end"]),
        exons=tuple(zip(starts, ends, strict=True)),
    )


def check_model(m: Model, aa: int) -> None:
    exons = sorted(m.exons)
    if exons[0][0] != m.tx_start0 or exons[-1][1] != m.tx_end:
        raise SystemExit(f"{m.gene}: exons do not span the transcript")
    for (_, end), (start, _) in zip(exons, exons[1:], strict=False):
        if start < end:
            raise SystemExit(f"{m.gene}: overlapping exons")
    cds_len = sum(max(0, min(e, m.cds_end) - max(s, m.cds_start0)) for s, e in exons)
    if cds_len != (aa + 1) * 3:
        raise SystemExit(f"{m.gene}: CDS length {cds_len} != ({aa} + 1) * 3")


def read_canonical(path: Path) -> dict[tuple[str, str, str], list[tuple[int, int]]]:
    """The canonical transcripts of a SpliceAI annotation file: (name, chrom, strand) -> sorted exons."""
    out: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    with gzip.open(path, "rt") as handle:
        for line in handle:
            if not line.startswith("#"):
                name, chrom, strand, _, _, starts, ends = line.rstrip("\n").split("\t")
                exons = zip(map(int, starts.strip(",").split(",")), map(int, ends.strip(",").split(",")), strict=True)
                out[(name, "chr" + chrom, strand)] = sorted(exons)
    return out


def lift37(m: Model, c38: list[tuple[int, int]], c37: list[tuple[int, int]]) -> tuple[Model | None, str]:
    """Move the GRCh38 model `m` to GRCh37 with per-exon offsets verified against the canonical transcript (c38 on
    GRCh38, c37 on GRCh37), or say why not. A MANE exon boundary (not the two outer transcript ends, which move
    with their exon) and each CDS end is verified when it (a) equals a canonical exon boundary, moving with that
    boundary, or (b) lies inside a canonical exon or intron of identical length on both builds, moving with the
    boundaries around it. All verified points of one exon must share one offset. Returns (model, evidence)."""
    p38, p37 = [p for exon in c38 for p in exon], [p for exon in c37 for p in exon]
    if len(p38) != len(p37):
        return None, "the canonical transcript has a different exon count on GRCh37"

    def offset(pos: int) -> int | None:
        for i, p in enumerate(p38):
            if pos == p or (i + 1 < len(p38) and p < pos < p38[i + 1] and p37[i + 1] - p37[i] == p38[i + 1] - p):
                return p37[i] - p
        return None

    exons, notes, offsets = sorted(m.exons), [], []
    for start, end in exons:
        inner = [p for p in (start, end) if p not in (m.tx_start0, m.tx_end)]
        inner += [p for p in (m.cds_start0, m.cds_end) if start <= p <= end]
        unverified = [str(p) for p in inner if offset(p) is None]
        if unverified:
            return None, (f"exon {start}-{end}: {','.join(unverified)} neither at a canonical exon boundary nor "
                          "inside a canonical exon or intron of the same length on both builds")
        found = {offset(p) for p in inner}
        if len(found) != 1:
            return None, f"exon {start}-{end}: its boundaries have different offsets {sorted(found, key=str)}"
        offsets.append(found.pop())
        bracketed = [p for p in inner if p not in p38 and p not in (m.cds_start0, m.cds_end)]
        if bracketed:
            notes.append(f"{start}-{end} bracketed at {','.join(map(str, bracketed))}")
    moved = tuple((s + o, e + o) for (s, e), o in zip(exons, offsets, strict=True))
    cds = [p + o for p in (m.cds_start0, m.cds_end) for (s, e), o in zip(exons, offsets, strict=True) if s <= p <= e]
    model = Model(m.gene, m.chrom, m.strand, moved[0][0], moved[-1][1], cds[0], cds[-1], moved)
    return model, f"offsets {','.join(map(str, dict.fromkeys(offsets)))}; " + ("; ".join(notes) or "all at junctions")


def gff_lines(m: Model, ids: dict[str, str], ensembl_gene: str) -> list[str]:
    gene_id, gene_version = ensembl_gene.split(".")
    tx_id, tx_version = ids["ensembl"].split(".")
    prot_id = ids["ensembl_prot"].split(".")[0]
    tx_name = ids["ideogram_tx"]
    col = f"{m.chrom}\thftc-annot\t{{}}\t{{}}\t{{}}\t.\t{m.strand}\t{{}}\t{{}}"
    out = [
        col.format("gene", m.tx_start0 + 1, m.tx_end, ".",
                   f"ID=gene:{gene_id};Name={m.gene};biotype=protein_coding;gene_id={gene_id};"
                   f"version={gene_version};hgnc_id={ids['hgnc']}"),
        col.format("mRNA", m.tx_start0 + 1, m.tx_end, ".",
                   f"ID=transcript:{tx_id};Parent=gene:{gene_id};Name={tx_name};biotype=protein_coding;"
                   f"tag=MANE_Select;transcript_id={tx_id};version={tx_version};"
                   f"mane_select={ids['refseq']};protein_id={prot_id};refseq_protein={ids['refseq_prot']}"),
    ]
    ordered = sorted(m.exons, reverse=(m.strand == "-"))
    five, three = ("five_prime_UTR", "three_prime_UTR") if m.strand == "+" else ("three_prime_UTR", "five_prime_UTR")
    features: list[tuple[int, int, str, str, str]] = []
    coding_done = 0
    for rank, (start0, end) in enumerate(ordered, 1):
        features.append((start0, end, "exon", ".", f"Parent=transcript:{tx_id};Name={tx_id}.exon{rank};rank={rank}"))
        if start0 < m.cds_start0:
            features.append((start0, min(end, m.cds_start0), five, ".", f"Parent=transcript:{tx_id}"))
        if end > m.cds_end:
            features.append((max(start0, m.cds_end), end, three, ".", f"Parent=transcript:{tx_id}"))
        cds_s, cds_e = max(start0, m.cds_start0), min(end, m.cds_end)
        if cds_s < cds_e:
            phase = (3 - coding_done % 3) % 3
            features.append((cds_s, cds_e, "CDS", str(phase),
                             f"ID=CDS:{prot_id};Parent=transcript:{tx_id};protein_id={prot_id}"))
            coding_done += cds_e - cds_s
    for start0, end, kind, phase, attrs in sorted(features, key=lambda f: (f[0], f[1], f[2])):
        out.append(col.format(kind, start0 + 1, end, phase, attrs))
    return out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=Path("../shared/data/raw"))
    parser.add_argument("--out", type=Path, default=Path("resources"))
    args = parser.parse_args()
    raw, out = args.raw, args.out

    facts = read_tsv(raw / PANEL_FACTS)
    rows38 = {r["gene"]: r for r in read_tsv(raw / MODELS_38)}
    rows37 = {r["gene"]: r for r in read_tsv(raw / MODELS_37)}
    canonical = {build: read_canonical(raw / CANONICAL.format(build)) for build in ("38", "37")}
    symbols = [f["hgnc_symbol"] for f in facts]
    if set(symbols) != set(rows38):
        raise SystemExit(f"panel facts and GRCh38 models disagree: {sorted(set(symbols) ^ set(rows38))}")

    models: dict[str, dict[str, Model]] = {"GRCh38": {}, "GRCh37": {}}
    status37 = {gene: rows37.get(gene, {}).get("status", "absent") for gene in symbols}
    for gene in symbols:
        r = rows38[gene]
        m38 = models["GRCh38"][gene] = parse_model(gene, r)
        check_model(m38, int(r["aa"]))
        m37: Model | None = None
        if status37[gene] in GRCH37_USABLE:
            m37 = parse_model(gene, {**rows37[gene], "strand": r["strand"]})
        else:
            key = (V24_NAMES.get(gene, gene), m38.chrom, m38.strand)
            if key in canonical["38"] and key in canonical["37"]:
                m37, evidence = lift37(m38, canonical["38"][key], canonical["37"][key])
            else:
                evidence = f"no GENCODE V24 canonical transcript {key}"
            print(f"GRCh37 {gene} ({status37[gene]}): {'shipped' if m37 else 'not shipped'}: {evidence}")
            status37[gene] = LIFT37 if m37 else status37[gene]
        if m37:
            check_model(m37, int(r["aa"]))
            models["GRCh37"][gene] = m37

    outputs: list[Path] = []
    for build, suffix in (("GRCh38", ""), ("GRCh37", ".GRCh37")):
        by_pos = sorted(models[build].values(), key=lambda m: (ASSEMBLY_CONTIGS.index(m.chrom[3:]), m.tx_start0))
        bed = ["#chrom\tstart\tend\tname\tscore\tstrand"]
        bed += [f"{m.chrom}\t{m.tx_start0}\t{m.tx_end}\t{m.gene}\t0\t{m.strand}" for m in by_pos]
        outputs.append(write(out / f"genes{suffix}.bed", "\n".join(bed) + "\n"))
        gff = ["##gff-version 3", f"#!genome-build {build}"]
        ensembl_gene = {f["hgnc_symbol"]: f["ensembl_gene_version_mane"] for f in facts}
        for m in by_pos:
            r = rows38[m.gene]
            ids = {"ensembl": r["ensembl"], "ensembl_prot": r["ensembl_prot"], "refseq": r["refseq"],
                   "refseq_prot": r["refseq_prot"], "hgnc": r["hgnc"], "ideogram_tx": r["ideogram_tx"]}
            gff.append("###")
            gff += gff_lines(m, ids, ensembl_gene[m.gene])
        outputs.append(write(out / f"mane_select.{build}.gff3", "\n".join(gff) + "\n"))

    fact_rows = ["\t".join(name for name, _ in FACT_COLUMNS) + "\tgrch37_model"]
    for f in facts:
        cells = [f[src].replace("\t", " ") for _, src in FACT_COLUMNS]
        fact_rows.append("\t".join(cells) + f"\t{status37[f['hgnc_symbol']]}")
    outputs.append(write(out / "panel_facts.tsv", "\n".join(fact_rows) + "\n"))

    asm = ["build\tcontig\tlength\trefseq"]
    for build, lengths in ASSEMBLIES.items():
        asm += [f"{build}\t{c}\t{n}\t{a}"
                for c, n, a in zip(ASSEMBLY_CONTIGS, lengths, refseq_accessions(build), strict=True)]
    outputs.append(write(out / "assemblies.tsv", "\n".join(asm) + "\n"))

    clinvar = ["chrom\tpos\tref\talt\tgene\tclinvar_id\tsignificance\treview_status\tstars\tdiseases"]
    for row in read_tsv(raw / CLINVAR):
        parts = row["diseases"].split("|")  # MONDO id | name | MONDO id | name ...
        diseases = "; ".join(name.replace("_", " ") for name in parts[1::2])
        clinvar.append("\t".join([row["chrom"], row["pos"], row["ref"], row["alt"], row["gene"], row["clinvar_id"],
                                  row["clnsig"].replace("_", " "), row["clnrevstat"].replace("_", " ").replace(
                                      " ,", ","), str(STARS[row["clnrevstat"]]), diseases]))
    outputs.append(write(out / "clinvar_plp_2024-12-15.GRCh38.tsv", "\n".join(clinvar) + "\n"))
    outputs.append(write(out / "hftc_known_variants.tsv", (raw / KNOWN_HFTC).read_text()))

    prov = ["role\tfile\tsha256"]
    prov += [f"input\t{p}\t{sha256(raw / p)}" for p in (PANEL_FACTS, MODELS_38, MODELS_37, CANONICAL.format("38"),
                                                               CANONICAL.format("37"), CLINVAR, KNOWN_HFTC)]
    prov += [f"output\t{p.name}\t{sha256(p)}" for p in outputs]
    write(out / "PROVENANCE.tsv", "\n".join(prov) + "\n")
    print(f"wrote {len(outputs) + 1} files to {out}: {len(models['GRCh38'])} genes on GRCh38, "
          f"{len(models['GRCh37'])} on GRCh37")


if __name__ == "__main__":
    main()
