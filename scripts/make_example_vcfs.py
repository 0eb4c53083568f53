"""Write the small example VCFs under example_vcfs/ (demonstration and documentation data).

Run from the repository root:  python scripts/make_example_vcfs.py --raw ../shared/data/raw

Records in panel genes are real ClinVar P/LP alleles (GRCh38 snapshot of 2024-12-15, 2+ stars) with the
ClinVar variation ID kept as ID `clinvar:<id>`. The GRCh37 file moves them by the per-gene constant
GRCh37-minus-GRCh38 offset (genes with status `ok` only). Genotypes, depths and qualities are made up.
Every other record is synthetic and carries INFO/SYNTHETIC: its position and alleles are invented and do
not match the reference genome. Off-panel background positions keep at least 10 kb from every panel
transcript. The output is byte-identical on every run (fixed seeds, no timestamps).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pysam

REPO = Path(__file__).resolve().parent.parent
RESOURCES = REPO / "resources"
CLINVAR_TSV = "derived_hftc_models/clinvar_20241215_PLP_2star_panel_genes_GRCh38.no_consequence.tsv"
MODELS_37_TSV = "derived_hftc_models/mane_select_models_GRCh37_derived.tsv"

CONTIGS = [str(i) for i in range(1, 23)] + ["X", "Y", "MT"]
AUTOSOMES = CONTIGS[:22]
PADDING = 5000  # hftc-annot's default padding around each transcript
BACKGROUND_FLANK = 10_000  # background records keep this far from every panel transcript
UNMODELLED_37_FLANK = 3_000_000  # GRCh37 margin around genes without a GRCh37 model (|offset| < 2.9 Mb)
KL_INTRON1_SITE = 33_030_000  # GRCh38 KL exon 1 ends at 33,017,259 and exon 2 starts at 33,053,767
SEEDS = {"single_exome": 3801, "trio": 3802, "grch37_exome": 3701, "multiallelic": 3803}
BASES = "ACGT"

# Non-pseudoautosomal parts of X and Y (1-based, inclusive); a male sample gets haploid calls there.
NON_PAR = {
    "GRCh38": {"X": (2_781_480, 155_701_382), "Y": (2_781_480, 56_887_902)},
    "GRCh37": {"X": (2_699_521, 154_931_043), "Y": (2_649_521, 59_034_049)},
}

INFO_LINES = {
    "DP": '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total read depth (made up for the example)">',
    "SYNTHETIC": '##INFO=<ID=SYNTHETIC,Number=0,Type=Flag,Description="Record made up for the example '
                 '(background or demonstration): position and alleles are not real">',
    "SYNTHETIC_ALT": '##INFO=<ID=SYNTHETIC_ALT,Number=A,Type=Integer,Description="Per ALT allele: 1 = allele '
                     'made up for the example, 0 = real ClinVar allele">',
    "EXAMPLE": '##INFO=<ID=EXAMPLE,Number=1,Type=String,Description="What this record demonstrates">',
    "END": '##INFO=<ID=END,Number=1,Type=Integer,Description="End position of the structural variant">',
    "SVTYPE": '##INFO=<ID=SVTYPE,Number=1,Type=String,Description="Type of structural variant">',
    "SVLEN": '##INFO=<ID=SVLEN,Number=.,Type=Integer,Description="Length difference between REF and ALT">',
}
FORMAT_LINES = [
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths for the REF and ALT alleles">',
    '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
    '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="Genotype quality">',
]

# single_exome.vcf: (ClinVar IDs at one site, PATIENT1 genotype, FILTER)
SINGLE_EXOME_CLINVAR: list[tuple[tuple[str, ...], str, str]] = [
    (("2192673",), "0/1", "PASS"),  # GALNT3 SNV
    (("7801",), "1/1", "PASS"),  # GALNT3 SNV, homozygous
    (("497358",), "0/1", "PASS"),  # GALNT3 1-bp deletion TA>T
    (("7800",), "0/1", "PASS"),  # GALNT3 1-bp insertion T>TG
    (("7794", "2637478"), "1/2", "PASS"),  # GALNT3 two real ALTs at one site: T>A and T>C
    (("7792",), "0/1", "PASS"),  # GALNT3 SNV
    (("36135",), "0/1", "PASS"),  # FGF23
    (("444061",), "0/1", "LowQual"),  # FGF23, filtered
    (("36134",), "0/1", "PASS"),  # FGF23
    (("29842",), "1/1", "PASS"),  # ENPP1, homozygous
    (("547983",), "0/1", "PASS"),  # ENPP1
    (("445386",), "0/1", "PASS"),  # ENPP1
    (("433351",), "0/1", "PASS"),  # ABCC6 deletion AC>A
    (("433330",), "0/1", "PASS"),  # ABCC6 insertion A>AG
    (("6559",), "0/1", "PASS"),  # ABCC6
    (("6560",), "1/1", "PASS"),  # ABCC6, homozygous
    (("30339",), "0/1", "PASS"),  # ABCC6
    (("2064422",), "0/1", "PASS"),  # ABCC6 deletion AG>A
    (("418938",), "0/1", "PASS"),  # ABCC6 insertion G>GA
]

# trio.vcf: (ClinVar IDs, (CHILD, FATHER, MOTHER) genotypes, EXAMPLE label)
TRIO_SAMPLES = ("CHILD", "FATHER", "MOTHER")
TRIO_CLINVAR: list[tuple[tuple[str, ...], tuple[str, str, str], str]] = [
    (("7801",), ("1/1", "0/1", "0/1"), "GALNT3_homozygous_in_child_parents_carriers"),
    (("7792",), ("0/1", "0/1", "0/0"), "GALNT3_compound_het_paternal_allele"),
    (("497358",), ("0/1", "0/0", "0/1"), "GALNT3_compound_het_maternal_allele"),
    (("5026",), ("0/1", "0/0", "0/1"), "FGF23_het_in_child_and_mother"),
    (("29842",), ("0/1", "./.", "0/0"), "ENPP1_father_genotype_missing"),
    (("420126",), ("0/1", "0", "0/0"), "PHEX_chrX_de_novo_father_haploid"),
]
TRIO_PED = [
    ("FAM1", "CHILD", "FATHER", "MOTHER", "2", "2"),
    ("FAM1", "FATHER", "0", "0", "1", "1"),
    ("FAM1", "MOTHER", "0", "0", "2", "1"),
]

# grch37_exome.vcf: (ClinVar IDs, genotype); moved to GRCh37 by the gene's constant offset.
GRCH37_CLINVAR: list[tuple[tuple[str, ...], str]] = [
    (("7801",), "0/1"),  # GALNT3
    (("497358",), "0/1"),  # GALNT3 deletion
    (("36135",), "1/1"),  # FGF23
    (("444062",), "0/1"),  # FGF23
    (("29842",), "0/1"),  # ENPP1
    (("547983",), "0/1"),  # ENPP1
    (("6559",), "0/1"),  # ABCC6
    (("433330",), "0/1"),  # ABCC6 insertion
]

MULTI_SAMPLES = ("SAMPLE1", "SAMPLE2", "SAMPLE3", "SAMPLE4")  # SAMPLE2 and SAMPLE4 are male (haploid chrX)


@dataclasses.dataclass(frozen=True)
class ClinvarVariant:
    """One row of the ClinVar P/LP snapshot (GRCh38, VCF-style position and alleles)."""

    gene: str
    chrom: str
    pos: int
    clinvar_id: str
    ref: str
    alt: str


@dataclasses.dataclass(frozen=True)
class Record:
    """One VCF record before formatting; chrom is the bare name ('2', 'X', 'MT'), genotypes one per sample."""

    chrom: str
    pos: int
    ref: str
    alts: tuple[str, ...]
    genotypes: tuple[str, ...]
    ids: tuple[str, ...] = ()
    filter: str = "PASS"
    info: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------- inputs


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file whose first line is the header (a leading '#' is dropped)."""
    with open(path, newline="") as handle:
        lines = list(handle)
    lines[0] = lines[0].lstrip("#")
    return list(csv.DictReader(lines, delimiter="\t"))


def read_clinvar(raw: Path) -> dict[str, ClinvarVariant]:
    """The ClinVar snapshot keyed by variation ID."""
    return {
        row["clinvar_id"]: ClinvarVariant(row["gene"], row["chrom"], int(row["pos"]), row["clinvar_id"],
                                          row["ref"], row["alt"])
        for row in read_tsv(raw / CLINVAR_TSV)
    }


def read_offsets_37(raw: Path) -> dict[str, int]:
    """GRCh37-minus-GRCh38 offsets of the genes whose offset is one constant (status ok)."""
    return {row["gene"]: int(row["offset_37_minus_38"]) for row in read_tsv(raw / MODELS_37_TSV)
            if row["status"] == "ok"}


def read_lengths() -> dict[str, dict[str, int]]:
    """Contig lengths per build from resources/assemblies.tsv, keyed by bare name (MT for chrM)."""
    lengths: dict[str, dict[str, int]] = {}
    for row in read_tsv(RESOURCES / "assemblies.tsv"):
        lengths.setdefault(row["build"], {})[row["contig"]] = int(row["length"])
    return lengths


def read_spans(bed: Path) -> dict[str, tuple[str, int, int]]:
    """Transcript spans per gene from a panel BED: (bare contig, 1-based start, end)."""
    return {row["name"]: (bare(row["chrom"]), int(row["start"]) + 1, int(row["end"])) for row in read_tsv(bed)}


def bare(name: str) -> str:
    """'chr2' -> '2', 'chrM' -> 'MT'."""
    name = name[3:] if name.startswith("chr") else name
    return "MT" if name == "M" else name


def contig_name(build: str, contig: str) -> str:
    """Spelling used in the output: chr-prefixed (chrM) for GRCh38, bare (MT) for GRCh37."""
    if build == "GRCh37":
        return contig
    return "chrM" if contig == "MT" else f"chr{contig}"


# ------------------------------------------------------------------------------------------- records


def clinvar_record(clinvar: dict[str, ClinvarVariant], ids: Sequence[str], genotypes: Sequence[str],
                   filter_: str = "PASS", info: Sequence[str] = (), shift: int = 0) -> Record:
    """A record from one or more ClinVar variants at the same site (REF and position are real)."""
    variants = [clinvar[i] for i in ids]
    first = variants[0]
    if any((v.chrom, v.pos, v.ref) != (first.chrom, first.pos, first.ref) for v in variants):
        raise ValueError(f"ClinVar variants {ids} are not at one site with one REF")
    return Record(first.chrom, first.pos + shift, first.ref, tuple(v.alt for v in variants), tuple(genotypes),
                  ids=tuple(f"clinvar:{i}" for i in ids), filter=filter_, info=tuple(info))


def random_bases(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(BASES) for _ in range(n))


def random_alleles(rng: random.Random) -> tuple[str, str]:
    """Made-up REF/ALT: mostly SNVs, some small deletions and insertions."""
    kind = rng.random()
    ref = rng.choice(BASES)
    if kind < 0.8:
        return ref, rng.choice([b for b in BASES if b != ref])
    if kind < 0.9:
        ref += random_bases(rng, rng.randint(1, 4))
        return ref, ref[0]
    return ref, ref + random_bases(rng, rng.randint(1, 4))


def synthetic_snv(rng: random.Random, contig: str, pos: int, genotypes: Sequence[str], example: str) -> Record:
    """A made-up SNV, marked SYNTHETIC, with an EXAMPLE label."""
    ref = rng.choice(BASES)
    alt = rng.choice([b for b in BASES if b != ref])
    return Record(contig, pos, ref, (alt,), tuple(genotypes), info=("SYNTHETIC", f"EXAMPLE={example}"))


def padding_edge_records(rng: random.Random, spans: dict[str, tuple[str, int, int]],
                         genes: Iterable[str]) -> list[Record]:
    """SNVs at the last base inside and the first base outside each gene's padded window, on both sides."""
    records = []
    for gene in genes:
        contig, start, end = spans[gene]
        edges = [(start - PADDING, "inside"), (start - PADDING - 1, "outside"),
                 (end + PADDING, "inside"), (end + PADDING + 1, "outside")]
        for pos, where in edges:
            side = "start" if pos < start else "end"
            records.append(synthetic_snv(rng, contig, pos, ["0/1"], f"{where}_{gene}_padded_window_{side}"))
    return records


def kl_intron_records(spans: dict[str, tuple[str, int, int]]) -> list[Record]:
    """Synthetic records in KL intron 1 (no ClinVar P/LP rows exist for KL): '*' and <DEL> alleles.

    A made-up 3-bp deletion, then a site inside it whose ALTs are an SNV and the spanning deletion
    '*' (genotype 1/2: one haplotype carries the deletion, the other the SNV), then a symbolic <DEL>.
    """
    contig, start, end = spans["KL"]
    deletion = KL_INTRON1_SITE
    if not start < deletion < deletion + 10_800 < end:
        raise ValueError(f"KL_INTRON1_SITE {deletion} is not inside KL {contig}:{start}-{end}")
    marked = ("SYNTHETIC",)
    return [
        Record(contig, deletion, "CTGA", ("C",), ("0/1",), info=(*marked, "EXAMPLE=deletion_spanning_next_record")),
        Record(contig, deletion + 2, "G", ("A", "*"), ("1/2",),
               info=(*marked, "EXAMPLE=spanning_deletion_star_allele")),
        Record(contig, deletion + 10_000, "T", ("<DEL>",), ("0/1",),
               info=(*marked, f"END={deletion + 10_800}", "SVTYPE=DEL", "SVLEN=-800", "EXAMPLE=symbolic_DEL")),
    ]


# ---------------------------------------------------------------------------------------- background


def excluded_windows(spans: Iterable[tuple[str, int, int]], flank: int) -> dict[str, list[tuple[int, int]]]:
    """Per contig, the transcript spans widened by `flank` on each side."""
    windows: dict[str, list[tuple[int, int]]] = {}
    for contig, start, end in spans:
        windows.setdefault(contig, []).append((start - flank, end + flank))
    return windows


def allocate(total: int, contigs: Sequence[str], lengths: dict[str, int], minimum: int) -> dict[str, int]:
    """Split `total` records over contigs: `minimum` each, the rest in proportion to length."""
    rest = total - minimum * len(contigs)
    size = sum(lengths[c] for c in contigs)
    shares = {c: rest * lengths[c] / size for c in contigs}
    counts = {c: minimum + int(shares[c]) for c in contigs}
    by_remainder = sorted(contigs, key=lambda c: (-(shares[c] - int(shares[c])), contigs.index(c)))
    for contig in by_remainder[: total - sum(counts.values())]:
        counts[contig] += 1
    return counts


def draw_range(build: str, contig: str, length: int) -> tuple[int, int]:
    """Where background positions may go: away from contig ends, outside the PARs on X and Y."""
    if contig in NON_PAR[build]:
        return NON_PAR[build][contig]
    if contig == "MT":
        return 100, length - 100
    return 100_000, length - 100_000


def background_records(rng: random.Random, build: str, total: int, contigs: Sequence[str], lengths: dict[str, int],
                       excluded: dict[str, list[tuple[int, int]]],
                       genotype: Callable[[random.Random, str], tuple[str, ...]]) -> list[Record]:
    """Synthetic off-panel records; `genotype(rng, contig)` gives the sample genotypes of one record."""
    records = []
    for contig, count in allocate(total, contigs, lengths, minimum=2).items():
        low, high = draw_range(build, contig, lengths[contig])
        spacing = 50 if contig == "MT" else 10_000
        taken: list[int] = []
        while len(taken) < count:
            pos = rng.randint(low, high)
            if any(a <= pos <= b for a, b in excluded.get(contig, ())) or any(abs(pos - p) < spacing for p in taken):
                continue
            taken.append(pos)
            ref, alt = random_alleles(rng)
            filter_ = "LowQual" if rng.random() < 0.04 else "PASS"
            records.append(Record(contig, pos, ref, (alt,), genotype(rng, contig), filter=filter_,
                                  info=("SYNTHETIC",)))
    return records


def male_genotype(rng: random.Random, contig: str) -> tuple[str]:
    """One male sample: haploid on X (outside the PARs), Y and MT, else het or hom-alt."""
    if contig in ("X", "Y", "MT"):
        return ("1",)
    return ("0/1" if rng.random() < 0.6 else "1/1",)


def trio_genotypes(rng: random.Random, contig: str) -> tuple[str, str, str]:
    """Mendelian-consistent autosomal (CHILD, FATHER, MOTHER) genotypes with at least one ALT allele."""
    while True:
        father = sorted(rng.choice("01") for _ in range(2))
        mother = sorted(rng.choice("01") for _ in range(2))
        child = sorted([rng.choice(father), rng.choice(mother)])
        if "1" in father + mother:
            return "/".join(child), "/".join(father), "/".join(mother)


# ------------------------------------------------------------------------------------------- writing


def sample_field(rng: random.Random, genotype: str, n_alleles: int, low_quality: bool) -> tuple[str, int]:
    """GT:AD:DP:GQ for one sample, with allele depths that fit the genotype; returns (field, depth)."""
    alleles = [int(a) for a in genotype.replace("|", "/").split("/") if a != "."]
    if not alleles:
        return f"{genotype}:.:.:.", 0
    depth = rng.randint(6, 14) if low_quality else rng.randint(20, 60)
    counts = [0] * n_alleles
    distinct = sorted(set(alleles))
    if len(distinct) == 1:
        counts[distinct[0]] = depth
    else:
        first = round(depth * rng.uniform(0.35, 0.65))
        counts[distinct[0]], counts[distinct[1]] = first, depth - first
    gq = rng.randint(5, 19) if low_quality else rng.randint(40, 99)
    return f"{genotype}:{','.join(map(str, counts))}:{depth}:{gq}", depth


def record_line(rng: random.Random, build: str, record: Record) -> str:
    """The VCF data line of a record; QUAL, depths and GQ are drawn here."""
    low_quality = record.filter == "LowQual"
    n_alleles = 1 + len(record.alts)
    fields = [sample_field(rng, gt, n_alleles, low_quality) for gt in record.genotypes]
    qual = rng.randint(10, 29) if low_quality else rng.randint(50, 2500)
    info = ";".join([f"DP={sum(depth for _, depth in fields)}", *record.info])
    return "\t".join([contig_name(build, record.chrom), str(record.pos), ";".join(record.ids) or ".", record.ref,
                      ",".join(record.alts), str(qual), record.filter, info, "GT:AD:DP:GQ",
                      *(text for text, _ in fields)])


def header_lines(build: str, lengths: dict[str, int], samples: Sequence[str], records: Sequence[Record],
                 description: str) -> list[str]:
    """VCFv4.2 header: filters, the INFO keys in use, FORMAT, all contigs of the build, column line."""
    used = {entry.split("=", 1)[0] for record in records for entry in record.info}
    lines = [
        "##fileformat=VCFv4.2",
        '##FILTER=<ID=PASS,Description="All filters passed">',
        '##FILTER=<ID=LowQual,Description="Low quality call (set for the example)">',
        *(line for key, line in INFO_LINES.items() if key == "DP" or key in used),
    ]
    if any("<DEL>" in record.alts for record in records):
        lines.append('##ALT=<ID=DEL,Description="Deletion">')
    lines += FORMAT_LINES
    lines += [f"##contig=<ID={contig_name(build, c)},length={lengths[c]},assembly={build}>" for c in CONTIGS]
    lines += [
        f"##reference={build}",
        "##source=hftc-annot scripts/make_example_vcfs.py",
        f"##example_description={description}",
        "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", *samples]),
    ]
    return lines


def write_vcf(path: Path, build: str, lengths: dict[str, int], samples: Sequence[str], records: list[Record],
              seed: int, description: str) -> int:
    """Sort by header contig order then position and write; returns the number of records."""
    records = sorted(records, key=lambda r: (CONTIGS.index(r.chrom), r.pos))
    rng = random.Random(seed)
    lines = header_lines(build, lengths, samples, records, description)
    lines += [record_line(rng, build, record) for record in records]
    path.write_text("\n".join(lines) + "\n")
    return len(records)


def bgzip_and_index(path: Path) -> None:
    """path.gz (BGZF, no timestamp) and its .tbi."""
    compressed = f"{path}.gz"
    pysam.tabix_compress(str(path), compressed, force=True)
    pysam.tabix_index(compressed, preset="vcf", force=True)


# ---------------------------------------------------------------------------------------------- files


def make_single_exome(out: Path, clinvar, lengths, spans) -> int:
    rng = random.Random(SEEDS["single_exome"])
    records = [clinvar_record(clinvar, ids, [gt], filter_) for ids, gt, filter_ in SINGLE_EXOME_CLINVAR]
    records += padding_edge_records(rng, spans, ["GALNT3", "FGF23"])
    records += kl_intron_records(spans)
    excluded = excluded_windows(spans.values(), BACKGROUND_FLANK)
    records += background_records(rng, "GRCh38", 300, CONTIGS, lengths, excluded, male_genotype)
    path = out / "single_exome.vcf"
    count = write_vcf(path, "GRCh38", lengths, ["PATIENT1"], records, SEEDS["single_exome"] + 100,
                      "one male exome: real ClinVar P/LP alleles in GALNT3 FGF23 ENPP1 ABCC6 with made-up "
                      "genotypes; records with INFO/SYNTHETIC are made up")
    bgzip_and_index(path)
    return count


def make_trio(out: Path, clinvar, lengths, spans) -> int:
    rng = random.Random(SEEDS["trio"])
    records = [clinvar_record(clinvar, ids, gts, info=[f"EXAMPLE={label}"]) for ids, gts, label in TRIO_CLINVAR]
    excluded = excluded_windows(spans.values(), BACKGROUND_FLANK)
    records += background_records(rng, "GRCh38", 12, AUTOSOMES[:6], lengths, excluded, trio_genotypes)
    with open(out / "trio.ped", "w") as handle:
        handle.writelines("\t".join(row) + "\n" for row in TRIO_PED)
    return write_vcf(out / "trio.vcf", "GRCh38", lengths, TRIO_SAMPLES, records, SEEDS["trio"] + 100,
                     "trio FAM1 (see trio.ped): real ClinVar P/LP alleles with made-up genotypes; records with "
                     "INFO/SYNTHETIC are made up")


def make_grch37(out: Path, clinvar, offsets, lengths, spans37, spans38) -> int:
    rng = random.Random(SEEDS["grch37_exome"])
    records = []
    for ids, gt in GRCH37_CLINVAR:
        gene = clinvar[ids[0]].gene
        record = clinvar_record(clinvar, ids, [gt], shift=offsets[gene])
        contig, start, end = spans37[gene]
        if record.chrom != contig or not start <= record.pos <= end:
            raise ValueError(f"{ids} moved to GRCh37 {record.chrom}:{record.pos} is outside {gene}")
        records.append(record)
    excluded = excluded_windows(spans37.values(), BACKGROUND_FLANK)
    for contig, start, end in (span for gene, span in spans38.items() if gene not in spans37):
        excluded.setdefault(contig, []).append((start - UNMODELLED_37_FLANK, end + UNMODELLED_37_FLANK))
    records += background_records(rng, "GRCh37", 50, CONTIGS, lengths, excluded, male_genotype)
    return write_vcf(out / "grch37_exome.vcf", "GRCh37", lengths, ["PATIENT2"], records, SEEDS["grch37_exome"] + 100,
                     "one male exome on GRCh37: real ClinVar P/LP alleles moved from GRCh38 by a constant per-gene "
                     "offset with made-up genotypes; records with INFO/SYNTHETIC are made up")


def make_multiallelic(out: Path, clinvar, lengths) -> int:
    rng = random.Random(SEEDS["multiallelic"])
    three = clinvar_record(clinvar, ["7794", "2637478"], ["0/1", "1/2", "2/3", "./1"],
                           info=["SYNTHETIC_ALT=0,0,1", "EXAMPLE=three_ALTs_third_made_up"])
    made_up = next(b for b in BASES if b not in {three.ref, *three.alts})
    three = dataclasses.replace(three, alts=(*three.alts, made_up))
    records = [
        three,
        clinvar_record(clinvar, ["6562", "433308"], ["0/1", "0/2", "1/2", "0/0"], info=["EXAMPLE=two_real_ALTs"]),
        clinvar_record(clinvar, ["36135"], ["0/1", "1/1", "./.", "0/0"], info=["EXAMPLE=biallelic_with_missing"]),
        clinvar_record(clinvar, ["379502"], ["0/1", "1", "0/0", "0"], info=["EXAMPLE=chrX_haploid_male_calls"]),
        Record("1", 50_000_000 + rng.randint(0, 999_999), "A", ("C", "G", "T"), ("1/2", "0/3", "2/2", "1/3"),
               info=("SYNTHETIC", "EXAMPLE=off_panel_three_ALTs")),
    ]
    return write_vcf(out / "multiallelic.vcf", "GRCh38", lengths, MULTI_SAMPLES, records, SEEDS["multiallelic"] + 100,
                     "multi-allelic sites and unusual genotypes; SAMPLE2 and SAMPLE4 are male")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--raw", type=Path, default=Path("../shared/data/raw"), help="shared raw data directory")
    parser.add_argument("--out", type=Path, default=REPO / "example_vcfs", help="output directory")
    args = parser.parse_args()
    args.out.mkdir(exist_ok=True)
    clinvar = read_clinvar(args.raw)
    lengths = read_lengths()
    spans38 = read_spans(RESOURCES / "genes.bed")
    spans37 = read_spans(RESOURCES / "genes.GRCh37.bed")
    counts = {
        "single_exome.vcf": make_single_exome(args.out, clinvar, lengths["GRCh38"], spans38),
        "trio.vcf": make_trio(args.out, clinvar, lengths["GRCh38"], spans38),
        "grch37_exome.vcf": make_grch37(args.out, clinvar, read_offsets_37(args.raw), lengths["GRCh37"],
                                        spans37, spans38),
        "multiallelic.vcf": make_multiallelic(args.out, clinvar, lengths["GRCh38"]),
    }
    for name, count in counts.items():
        print(f"{args.out / name}: {count} records")


if __name__ == "__main__":
    main()
