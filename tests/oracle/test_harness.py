"""Self-check of the oracle harness: the reference it builds, the saturation set, and bcftools csq parsing.

Expected consequences of the hand-picked variants are reasoned from the oracle sequence in this file (codon
tables, splice-site distances), not copied from bcftools output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from .harness import (
    BCFTOOLS_TO_SO,
    CODON_TABLE,
    LRG_FASTA,
    MAX_INDEL,
    Model,
    OracleSet,
    Variant,
    build_oracle_reference,
    intron_dinucleotides,
    parse_bcsq,
    random_indels,
    read_fasta,
    read_models,
    reverse_complement,
    run_bcftools_csq,
    saturation_positions,
    saturation_variants,
    spliced,
    translate,
    write_vcf,
)

REPO = Path(__file__).resolve().parents[2]
SHIPPED_GFF3 = REPO / "resources" / "mane_select.GRCh38.gff3"
SEED = 20261121
N_INDELS = 600

needs_bcftools = pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools not installed")


@pytest.fixture(scope="module")
def models() -> list[Model]:
    return read_models(SHIPPED_GFF3)


@pytest.fixture(scope="module")
def oracle(models: list[Model], tmp_path_factory: pytest.TempPathFactory) -> OracleSet:
    return build_oracle_reference(models, tmp_path_factory.mktemp("oracle"), seed=SEED)


@pytest.fixture(scope="module")
def seqs(oracle: OracleSet) -> dict[str, np.ndarray]:
    return oracle.sequences()


@pytest.fixture(scope="module")
def saturation(oracle: OracleSet) -> list[Variant]:
    return saturation_variants(oracle, seed=SEED, n_indels=N_INDELS)


def model_of(oracle: OracleSet, gene: str) -> Model:
    (m,) = [m for m in oracle.models if m.gene == gene]
    return m


# --- models and reference -------------------------------------------------------------------------------------


def test_read_models_shipped_gff3(models: list[Model]) -> None:
    assert len(models) == 49
    assert len({m.gene for m in models}) == 49
    col1a1 = next(m for m in models if m.gene == "COL1A1")
    assert (col1a1.chrom, col1a1.strand, col1a1.transcript_id, col1a1.refseq_id) == (
        "chr17", "-", "ENST00000225964", "NM_000088.4")
    assert (col1a1.start, col1a1.end, len(col1a1.exons)) == (50184101, 50201631, 51)
    for m in models:
        assert list(m.exons) == sorted(m.exons) and list(m.cds) == sorted(m.cds)
        assert all(a <= b for a, b in m.exons + m.cds)
        assert m.cds_length % 3 == 0
        assert all(any(ea <= a and b <= eb for ea, eb in m.exons) for a, b in m.cds)


def test_oracle_contigs_and_gff_round_trip(oracle: OracleSet, models: list[Model]) -> None:
    lengths = oracle.contig_lengths()
    assert list(lengths) == [m.gene for m in models]  # one contig per gene, in GFF3 order, named by symbol
    fai = dict(line.split("\t")[:2] for line in Path(str(oracle.fasta) + ".fai").read_text().splitlines())
    assert {k: int(v) for k, v in fai.items()} == lengths
    back = read_models(oracle.gff3)
    assert back == list(oracle.models)
    for original, moved in zip(models, back, strict=True):
        contig = oracle.contigs[original.gene]
        assert moved.shifted(original.chrom, -contig.offset) == original
        assert moved.start >= 1 and moved.end <= contig.length
        if contig.synthetic:
            assert moved.start == oracle.pad + 1 and moved.end == contig.length - oracle.pad
    headers = [line for line in oracle.fasta.read_text().splitlines() if line.startswith(">")]
    assert sum("synthetic" in h for h in headers) == 47
    assert [h.split()[0] for h in headers if "real LRG_" in h] == [">COL1A2", ">COL1A1"]


def test_every_oracle_transcript_is_a_clean_orf_with_gt_ag_introns(oracle: OracleSet,
                                                                   seqs: dict[str, np.ndarray]) -> None:
    for m in oracle.models:
        cds = spliced(seqs[m.chrom], m.cds, m.strand)
        protein = translate(cds)
        assert len(cds) % 3 == 0, m.gene
        assert cds.startswith("ATG"), m.gene
        assert cds[-3:] in ("TAA", "TAG", "TGA"), m.gene
        assert "*" not in protein[:-1] and "X" not in protein, m.gene
        assert set(intron_dinucleotides(seqs[m.chrom], m)) <= {("GT", "AG")}, m.gene
        assert len(intron_dinucleotides(seqs[m.chrom], m)) == len(m.exons) - 1


def test_real_lrg_contigs(oracle: OracleSet, seqs: dict[str, np.ndarray]) -> None:
    lrg = read_fasta(LRG_FASTA)
    assert len(lrg["LRG_1"]) == 24544 and len(lrg["LRG_2"]) == 43672
    col1a1, col1a2 = oracle.contigs["COL1A1"], oracle.contigs["COL1A2"]
    assert not col1a1.synthetic and col1a1.lrg_reversed and (col1a1.chrom, col1a1.offset) == ("chr17", 50182095)
    assert not col1a2.synthetic and not col1a2.lrg_reversed and (col1a2.chrom, col1a2.offset) == ("chr7", 94389560)
    assert seqs["COL1A1"].tobytes().decode() == reverse_complement(lrg["LRG_1"])
    assert seqs["COL1A2"].tobytes().decode() == lrg["LRG_2"]
    proteins = {g: translate(spliced(seqs[g], model_of(oracle, g).cds, model_of(oracle, g).strand))
                for g in ("COL1A1", "COL1A2")}
    assert len(proteins["COL1A1"]) - 1 == 1464 and len(proteins["COL1A2"]) - 1 == 1366
    assert proteins["COL1A1"].startswith("MFSFVDLRLLLLLAATALLTHG")
    assert proteins["COL1A2"].startswith("MLSFVDTRTL")
    # GRCh38 -> LRG coordinate rule: COL1A1 CDS start (minus strand: its highest GRCh38 base) is LRG position
    # end - g + 1, and the LRG carries the A of the ATG there.
    g = model_of(oracle, "COL1A1").cds[-1][1] + col1a1.offset
    assert lrg["LRG_1"][50206639 - g] == "A" and lrg["LRG_1"][50206639 - g:50206639 - g + 3] == "ATG"


def test_reference_is_deterministic(models: list[Model], oracle: OracleSet, tmp_path: Path) -> None:
    again = build_oracle_reference(models, tmp_path / "again", seed=SEED)
    assert again.fasta.read_bytes() == oracle.fasta.read_bytes()
    assert again.gff3.read_bytes() == oracle.gff3.read_bytes()
    other = build_oracle_reference(models[:3], tmp_path / "other", seed=SEED + 1)
    same = build_oracle_reference(models[:3], tmp_path / "same", seed=SEED)
    assert other.fasta.read_bytes() != same.fasta.read_bytes()
    assert other.gff3.read_bytes() == same.gff3.read_bytes().replace(b"seed=20261121", b"seed=20261122")


# --- saturation set -------------------------------------------------------------------------------------------


def expected_targets(oracle: OracleSet) -> dict[str, set[int]]:
    """Re-derivation of the targeted bases with plain sets."""
    out: dict[str, set[int]] = {c: set() for c in oracle.contig_lengths()}
    for m in oracle.models:
        for a, b in m.cds:
            out[m.chrom].update(range(a, b + 1))
        for a, b in m.exons:
            out[m.chrom].update(range(a - 20, a + 20))
            out[m.chrom].update(range(b - 19, b + 21))
    lengths = oracle.contig_lengths()
    return {c: {p for p in ps if 1 <= p <= lengths[c]} for c, ps in out.items()}


def test_saturation_snvs_three_per_targeted_base(oracle: OracleSet, saturation: list[Variant],
                                                 seqs: dict[str, np.ndarray]) -> None:
    targets = expected_targets(oracle)
    positions = saturation_positions(oracle)
    assert {c: set(p.tolist()) for c, p in positions.items()} == targets
    snvs = [v for v in saturation if len(v[2]) == 1 and len(v[3]) == 1]
    assert len(snvs) == 3 * sum(len(t) for t in targets.values())
    per_base: dict[tuple[str, int], set[str]] = {}
    for contig, pos, ref, alt in snvs:
        assert ref == chr(seqs[contig][pos - 1]) and alt != ref
        per_base.setdefault((contig, pos), set()).add(alt)
    assert set(per_base) == {(c, p) for c, ps in targets.items() for p in ps}
    assert all(len(alts) == 3 for alts in per_base.values())


def test_saturation_indels(oracle: OracleSet, saturation: list[Variant], seqs: dict[str, np.ndarray]) -> None:
    indels = [v for v in saturation if len(v[2]) > 1 or len(v[3]) > 1]
    assert len(indels) == N_INDELS
    order = list(oracle.contig_lengths())
    keys = [(order.index(c), p, r, a) for c, p, r, a in saturation]
    assert keys == sorted(set(keys))
    kinds = {"del": 0, "ins": 0, "delins": 0}
    for contig, pos, ref, alt in indels:
        assert seqs[contig][pos - 1:pos - 1 + len(ref)].tobytes().decode() == ref
        if len(alt) == 1 and alt == ref[0]:
            kinds["del"] += 1
            assert 1 <= len(ref) - 1 <= MAX_INDEL
        elif len(ref) == 1 and alt[0] == ref:
            kinds["ins"] += 1
            assert 1 <= len(alt) - 1 <= MAX_INDEL
        else:
            kinds["delins"] += 1
            assert ref[0] != alt[0] and ref[-1] != alt[-1] and len(ref) <= MAX_INDEL and len(alt) <= MAX_INDEL
    assert kinds == {"del": N_INDELS // 3, "ins": N_INDELS // 3, "delins": N_INDELS // 3}
    assert saturation_variants(oracle, seed=SEED, n_indels=N_INDELS) == saturation
    assert random_indels(oracle, seqs, SEED + 1, 30) != random_indels(oracle, seqs, SEED, 30)


def test_write_vcf(tmp_path: Path) -> None:
    path = tmp_path / "x.vcf"
    write_vcf([("A", 5, "C", "T"), ("B", 1, "GA", "G")], path, {"A": 10, "B": 20})
    assert path.read_text() == (
        "##fileformat=VCFv4.2\n##contig=<ID=A,length=10>\n##contig=<ID=B,length=20>\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        "A\t5\t.\tC\tT\t.\t.\t.\nB\t1\t.\tGA\tG\t.\t.\t.\n")


# --- BCSQ parsing ---------------------------------------------------------------------------------------------


def test_parse_bcsq_prefixes_and_compounds() -> None:
    entries = parse_bcsq("splice_region&missense|G|T1|protein_coding|+|5P>5L|100C>T,@1234,*stop_gained|G|T2|"
                         "protein_coding|-|7W>7*|100C>T,intron|G||protein_coding")
    assert entries[0].so_terms == {"splice_region_variant", "missense_variant"} and entries[0].aa_change == "5P>5L"
    assert entries[1].reported_at == 1234 and entries[1].so_terms == frozenset()
    assert entries[2].downstream_of_stop and entries[2].so_terms == {"stop_gained"} and entries[2].strand == "-"
    assert entries[3].so_terms == {"intron_variant"} and entries[3].transcript == ""
    with pytest.raises(ValueError, match="upstream"):
        parse_bcsq("upstream|G|T1|protein_coding")
    assert len(BCFTOOLS_TO_SO) == 21 and len(set(BCFTOOLS_TO_SO.values())) == 21


# --- bcftools csq on hand-picked variants ---------------------------------------------------------------------


def cds_positions(m: Model) -> list[int]:
    """Contig position of every CDS base, in transcript order."""
    pos = [p for a, b in m.cds for p in range(a, b + 1)]
    return pos if m.strand == "+" else pos[::-1]


def on_strand(base: str, m: Model) -> str:
    return base if m.strand == "+" else reverse_complement(base)


def snv_at_cds(m: Model, seqs: dict[str, np.ndarray], index: int, new_base: str) -> Variant:
    """SNV making CDS base ``index`` (0-based, transcript strand) ``new_base``."""
    pos = cds_positions(m)[index]
    return m.chrom, pos, chr(seqs[m.chrom][pos - 1]), on_strand(new_base, m)


def interior_codons(m: Model, margin: int = 10) -> list[int]:
    """Codon numbers (1-based) whose three bases are at least ``margin`` bp inside one exon, excluding start/stop."""
    pos = cds_positions(m)
    n_codons = len(pos) // 3
    out = []
    for k in range(1, n_codons - 1):
        bases = pos[3 * k:3 * k + 3]
        if any(a + margin <= min(bases) and max(bases) <= b - margin for a, b in m.exons):
            out.append(k + 1)
    return out


def hand_picked(oracle: OracleSet, seqs: dict[str, np.ndarray]) -> dict[Variant, tuple[set[str], str | None]]:
    """variant -> (expected SO terms, expected bcftools amino-acid string or None for 'do not check')."""
    expected: dict[Variant, tuple[set[str], str | None]] = {}
    for gene in ("ALPL", "GALNT3", "COL1A1", "COL1A2"):  # + and - strand, synthetic and real
        m = model_of(oracle, gene)
        seq = seqs[m.chrom]
        cds = spliced(seq, m.cds, m.strand)
        n_aa = len(cds) // 3 - 1
        # first base of the ATG
        expected[snv_at_cds(m, seqs, 0, "G")] = ({"start_lost"}, "")
        # every change of every stop-codon base: still a stop -> stop_retained, else stop_lost
        assert interior_stop(m)
        stop = cds[-3:]
        for i in range(3):
            for b in "ACGT":
                if b == stop[i]:
                    continue
                variant = snv_at_cds(m, seqs, len(cds) - 3 + i, b)
                aa = CODON_TABLE[stop[:i] + b + stop[i + 1:]]
                if aa == "*":
                    expected[variant] = ({"stop_retained_variant"}, f"{n_aa + 1}*")
                else:
                    expected[variant] = ({"stop_lost"}, f"{n_aa + 1}*>{n_aa + 1}{aa}")
        # first interior codon: synonymous / missense / stop_gained by the codon table, third and first base
        codon_no = interior_codons(m)[0]
        for i in (0, 2):
            idx = 3 * (codon_no - 1) + i
            ref_codon = cds[3 * (codon_no - 1):3 * codon_no]
            ref_aa = CODON_TABLE[ref_codon]
            for b in "ACGT":
                if b == ref_codon[i]:
                    continue
                alt_codon = ref_codon[:i] + b + ref_codon[i + 1:]
                alt_aa = CODON_TABLE[alt_codon]
                if alt_aa == ref_aa:
                    expected[snv_at_cds(m, seqs, idx, b)] = ({"synonymous_variant"}, f"{codon_no}{ref_aa}")
                elif alt_aa == "*":
                    expected[snv_at_cds(m, seqs, idx, b)] = ({"stop_gained"}, f"{codon_no}{ref_aa}>{codon_no}*")
                else:
                    expected[snv_at_cds(m, seqs, idx, b)] = ({"missense_variant"},
                                                             f"{codon_no}{ref_aa}>{codon_no}{alt_aa}")
        # the first interior codon that one base change turns into a stop
        for k in interior_codons(m):
            ref_codon = cds[3 * (k - 1):3 * k]
            stops = [(i, b) for i in range(3) for b in "ACGT"
                     if CODON_TABLE[ref_codon[:i] + b + ref_codon[i + 1:]] == "*"]
            if stops:
                for i, b in stops:
                    expected[snv_at_cds(m, seqs, 3 * (k - 1) + i, b)] = (
                        {"stop_gained"}, f"{k}{CODON_TABLE[ref_codon]}>{k}*")
                break
        # 1-bp deletion and 3-bp in-frame deletion inside that codon's exon (VCF anchor = previous genomic base)
        p = min(cds_positions(m)[3 * (codon_no - 1):3 * codon_no])
        expected[(m.chrom, p - 1, chr(seq[p - 2]) + chr(seq[p - 1]), chr(seq[p - 2]))] = ({"frameshift_variant"}, None)
        expected[(m.chrom, p - 1, seq[p - 2:p + 2].tobytes().decode(), chr(seq[p - 2]))] = ({"inframe_deletion"}, None)
        # splice sites of the first intron, counted on the transcript strand
        intron = m.introns[0] if m.strand == "+" else m.introns[-1]
        for offset, term in ((1, "splice_donor_variant"), (2, "splice_donor_variant"), (3, "splice_region_variant"),
                             (8, "splice_region_variant"), (9, "intron_variant"), (20, "intron_variant")):
            donor = intron[0] + offset - 1 if m.strand == "+" else intron[1] - offset + 1
            acceptor = intron[1] - offset + 1 if m.strand == "+" else intron[0] + offset - 1
            for pos, t in ((donor, term), (acceptor, term.replace("donor", "acceptor"))):
                ref = chr(seq[pos - 1])
                expected[(m.chrom, pos, ref, "A" if ref != "A" else "C")] = ({t}, "")
        # a base 10 bp outside the transcript: no BCSQ at all
        ref = chr(seq[m.start - 11])
        expected[(m.chrom, m.start - 10, ref, "A" if ref != "A" else "C")] = (set(), "")
    return expected


def interior_stop(m: Model) -> bool:
    """The stop codon lies at least 3 bp inside the last coding exon (so no splice_region is expected)."""
    stop = cds_positions(m)[-3:]
    return any(a + 3 <= min(stop) and max(stop) <= b - 3 for a, b in m.exons)


@needs_bcftools
def test_bcftools_csq_hand_picked(oracle: OracleSet, seqs: dict[str, np.ndarray], tmp_path: Path) -> None:
    expected = hand_picked(oracle, seqs)
    order = list(oracle.contig_lengths())
    variants = sorted(expected, key=lambda v: (order.index(v[0]), v[1], v[2], v[3]))
    assert {t for terms, _ in expected.values() for t in terms} == {
        "start_lost", "stop_lost", "stop_retained_variant", "synonymous_variant", "missense_variant", "stop_gained",
        "frameshift_variant", "inframe_deletion", "splice_donor_variant", "splice_acceptor_variant",
        "splice_region_variant", "intron_variant"}
    vcf = tmp_path / "hand.vcf"
    write_vcf(variants, vcf, oracle.contig_lengths())
    calls = run_bcftools_csq(vcf, oracle, tmp_path / "work")
    assert set(calls.terms) == set(expected)
    wrong = {v: (calls.terms[v], calls.aa_change[v]) for v, (terms, aa) in expected.items()
             if calls.terms[v] != terms or (aa is not None and calls.aa_change[v] != aa)}
    assert wrong == {}
    assert not any(e.downstream_of_stop or e.reported_at for es in calls.entries.values() for e in es)


@needs_bcftools
def test_bcftools_csq_full_saturation_runs(oracle: OracleSet, saturation: list[Variant], tmp_path: Path) -> None:
    vcf = tmp_path / "sat.vcf"
    write_vcf(saturation, vcf, oracle.contig_lengths())
    calls = run_bcftools_csq(vcf, oracle, tmp_path / "work")
    assert list(calls.terms) == saturation  # every record comes back, in order
    # only bases outside every transcript (the 20-bp flanks of the outer exon ends) have no consequence
    outside = {(m.chrom, p) for m in oracle.models
               for p in [*range(m.start - 20, m.start), *range(m.end + 1, m.end + 21)]}
    empty_snvs = {(c, p) for (c, p, r, a), t in calls.terms.items() if not t and len(r) == len(a) == 1}
    assert empty_snvs == outside
    assert all(t <= set(BCFTOOLS_TO_SO.values()) for t in calls.terms.values())
