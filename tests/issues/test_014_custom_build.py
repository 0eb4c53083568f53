"""Issue 14 (--build custom): an assembly of the user's own, named by its FASTA, with models from its GFF.

The assembly is the consequence oracle's: one SYNTHETIC contig per gene, named after the gene (GALNT3, FGF23,
ENPP1: two minus-strand genes and one plus-strand), with the shipped exon structures imprinted (tests/oracle).
No contig is called chr-anything and no length is GRCh37's or GRCh38's, so only --build custom can read it.
bcftools csq on the same FASTA and GFF is the independent oracle.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pysam
import pytest

from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.resources import read_table

from conftest import bgzip_index, body, run_cli, table
from oracle.compare import SHIPPED_GFF3, to_bcftools
from oracle.harness import build_oracle_reference, read_models, run_bcftools_csq, saturation_snvs, write_vcf

GENES = ("GALNT3", "FGF23", "ENPP1")
SEED = 1414


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("own_assembly")
    oracle = build_oracle_reference([m for m in read_models(SHIPPED_GFF3) if m.gene in GENES], work / "ref", SEED)
    return work, oracle


def genotyped_vcf(path: Path, lengths: dict[str, int], records: list[str]) -> Path:
    path.write_text("##fileformat=VCFv4.2\n" + "".join(f"##contig=<ID={c},length={n}>\n" for c, n in lengths.items())
                    + '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n" + "".join(records))
    return path


@pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools is not installed")
def test_every_snv_agrees_with_bcftools_csq_on_the_same_fasta_and_gff(assembly) -> None:
    work, oracle = assembly
    variants = saturation_snvs(oracle, oracle.sequences())
    vcf = work / "snvs.vcf"
    write_vcf(variants, vcf, oracle.contig_lengths())
    calls = run_bcftools_csq(vcf, oracle, work / "csq")
    result = run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", oracle.gff3)
    assert result.code == 0, result.err
    rows = table(result.out)
    assert len(rows) == len(variants) > 20_000
    wrong = [(r["chrom"], r["pos"], r["consequence"]) for r in rows
             if to_bcftools(tuple(r["consequence"].split("&"))) !=
             calls.terms[(r["chrom"], int(r["pos"]), r["ref"], r["alt"])]]
    assert wrong == []
    assert {r["gene"] for r in rows} == set(GENES)
    assert "GENCODE v44" not in result.out and f"models from --gff {oracle.gff3}), padding 5000 bp" in result.out


def stop_gains(oracle, gene: str, count: int) -> list[tuple[int, str, str]]:
    """`count` nonsense SNVs in the CDS of `gene`, found by translating the oracle's own sequence (not ours)."""
    from oracle.harness import spliced, translate

    model = next(m for m in oracle.models if m.gene == gene)
    genome = oracle.sequences()[model.chrom].tobytes().decode()
    cds = spliced(genome, model.cds, model.strand)
    positions = [p for a, b in sorted(model.cds, reverse=model.strand == "-")
                 for p in (range(a, b + 1) if model.strand == "+" else range(b, a - 1, -1))]
    found = []
    for i in range(30, len(cds) - 3, 3):
        codon = cds[i:i + 3]
        for offset, base in enumerate(codon):
            for alt in "ACGT":
                mutated = codon[:offset] + alt + codon[offset + 1:]
                if alt != base and translate(mutated) == "*" and len(found) < count:
                    complement = str.maketrans("ACGT", "TGCA")
                    ref, alt_g = (base, alt) if model.strand == "+" else (base.translate(complement),
                                                                         alt.translate(complement))
                    found.append((positions[i + offset], ref, alt_g))
    return found


def test_inheritance_and_hgvs_on_an_assembly_of_ones_own(assembly, tmp_path: Path) -> None:
    _, oracle = assembly
    (first, ref1, alt1), (second, ref2, alt2) = stop_gains(oracle, "GALNT3", 2)
    vcf = genotyped_vcf(tmp_path / "in.vcf", oracle.contig_lengths(),
                        [f"GALNT3\t{first}\t.\t{ref1}\t{alt1}\t50\tPASS\t.\tGT\t0/1\n",
                         f"GALNT3\t{second}\t.\t{ref2}\t{alt2}\t50\tPASS\t.\tGT\t0/1\n"])
    result = run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", oracle.gff3)
    assert result.code == 0, result.err
    warned = run_cli(vcf, "--build", "custom", "--fasta", oracle.fasta, "--gff", oracle.gff3).err.splitlines()[0]
    assert warned.startswith(f"hftc-annot: warning: 46 panel genes have no transcript model in --gff {oracle.gff3} "
                             "and are not covered: KL, SAMD9, PHEX, ")
    rows = table(result.out)
    facts = next(f for f in read_table("panel_facts.tsv") if f["symbol"] == "GALNT3")
    assert [(r["consequence"], r["transcript"], r["inheritance_flags"]) for r in rows] == \
        [("stop_gained", facts["mane_select_refseq"], "AR_comphet")] * 2
    assert all(r["hgvs_p"].startswith(f"{facts['mane_select_protein']}:p.(") and r["hgvs_p"].endswith("Ter)")
               for r in rows)
    others = [f["symbol"] for f in read_table("panel_facts.tsv") if f["symbol"] not in GENES]
    assert f"## not covered on custom (no transcript model): {', '.join(others)}" in result.out.splitlines()
    assert "## build: custom (given with --build: the contigs of --fasta " in result.out
    assert result.err == ""


def test_the_contig_map_renames_gff_contigs_to_the_fastas(assembly, tmp_path: Path) -> None:
    work, oracle = assembly
    vcf = work / "snvs.vcf"
    if not vcf.exists():
        write_vcf(saturation_snvs(oracle, oracle.sequences())[:500], vcf, oracle.contig_lengths())
    renamed = tmp_path / "renamed.gff3"
    renamed.write_text("".join(("NC_" + line) if line[:1] not in ("#", "") else line
                               for line in oracle.gff3.read_text().splitlines(keepends=True)))
    plain = run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", oracle.gff3)
    unmapped = run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", renamed)
    assert unmapped.code == 2
    assert unmapped.err.strip().endswith(f"--gff {renamed}: ENPP1 (ENST00000647893.1) is on contig NC_ENPP1, which "
                                         f"--fasta {oracle.fasta} does not have; give --contig-map with the FASTA's "
                                         "name for each GFF contig")
    contig_map = tmp_path / "map.tsv"
    contig_map.write_text("".join(f"NC_{gene}\t{gene}\n" for gene in GENES))
    mapped = run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", renamed,
                     "--contig-map", contig_map)
    assert mapped.code == 0, mapped.err
    assert body(mapped.out) == body(plain.out)
    # the map is part of how consequences were obtained: a merge of outputs made with different maps is refused
    assert f"## consequences: computed; transcripts: {renamed}, contigs renamed by --contig-map {contig_map}; " \
        f"reference: {oracle.fasta}" in mapped.out.splitlines()
    other_map = tmp_path / "other.tsv"
    other_map.write_text(contig_map.read_text())
    (tmp_path / "a.tsv").write_text(mapped.out)
    (tmp_path / "b.tsv").write_text(run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", renamed,
                                            "--contig-map", other_map).out)
    refused = run_cli("merge", "-o", tmp_path / "m.tsv", tmp_path / "a.tsv", tmp_path / "b.tsv")
    assert refused.code == 2 and "consequences" in refused.err, refused.err
    partial = tmp_path / "partial.tsv"  # a map without ENPP1's contig: the error points at the map (found by review)
    partial.write_text("".join(f"NC_{gene}\t{gene}\n" for gene in GENES if gene != "ENPP1"))
    short = run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", renamed, "--contig-map", partial)
    assert short.code == 2
    assert short.err.strip().endswith(f"--gff {renamed}: ENPP1 (ENST00000647893.1) is on contig NC_ENPP1, which "
                                      f"--fasta {oracle.fasta} does not have; no line of --contig-map {partial} maps "
                                      "it to a contig of the FASTA")


def test_refusals(assembly, tmp_path: Path) -> None:
    _, oracle = assembly
    lengths = oracle.contig_lengths()
    vcf = genotyped_vcf(tmp_path / "in.vcf", lengths, [])
    cases = [
        (["--build", "custom", "--gff", oracle.gff3], "--build custom needs the assembly's --fasta REF.fa (its .fai "
         "names the contigs) and --gff MODELS (the transcript models on it)"),
        (["--fasta", oracle.fasta, "--gff", oracle.gff3], f"{vcf}: cannot tell the genome build (no ##contig lengths "
         "and no ##reference/##assembly naming a build); give --build GRCh38 or GRCh37 (or --build custom with "
         "--fasta and --gff)"),
        (["--contig-map", vcf], "--contig-map renames the contigs of --gff MODELS: give --gff too"),
    ]
    for args, message in cases:
        result = run_cli(vcf, "-q", *args)
        assert (result.code, message in result.err, result.out) == (2, True, ""), result.err
    wrong = genotyped_vcf(tmp_path / "wrong.vcf", {**lengths, "FGF23": lengths["FGF23"] + 1}, [])
    result = run_cli(wrong, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", oracle.gff3)
    assert result.code == 2
    assert result.err.strip().endswith(f"{wrong}: contig FGF23 is {lengths['FGF23'] + 1:,} bp, but FGF23 of "
                                       f"{oracle.fasta} is {lengths['FGF23']:,} bp: the VCF and the reference are "
                                       "not of one assembly")


def test_a_t2t_vcf_asks_for_models(tmp_path: Path) -> None:
    vcf = genotyped_vcf(tmp_path / "t2t.vcf", {"chr1": 248387328, "chr2": 242696752}, [])
    result = run_cli(vcf, "-q")
    assert result.code == 2
    assert result.err.strip().endswith(f"{vcf} is T2T-CHM13v2.0 (from ##contig lengths (2 contigs)), for which "
                                       "hftc-annot ships no transcript models: give that assembly's --fasta REF.fa "
                                       "and --gff MODELS (GENCODE, Ensembl or RefSeq annotation)")


NON_CODING_GFF3 = """##gff-version 3
{c}\tlab\tgene\t101\t400\t.\t+\t.\tID=gene:LABRNA1G;Name=LABRNA1;biotype=lncRNA
{c}\tlab\tlnc_RNA\t101\t400\t.\t+\t.\tID=transcript:LABRNA1T;Parent=gene:LABRNA1G;biotype=lncRNA;version=2
{c}\tlab\texon\t101\t200\t.\t+\t.\tParent=transcript:LABRNA1T
{c}\tlab\texon\t301\t400\t.\t+\t.\tParent=transcript:LABRNA1T
{c}\tlab\tmRNA\t101\t400\t.\t+\t.\tID=transcript:NOCDS;Parent=gene:LABRNA1G;biotype=protein_coding
{c}\tlab\texon\t101\t400\t.\t+\t.\tParent=transcript:NOCDS
"""
"""A two-exon lncRNA placed on the synthetic FGF23 contig, and an mRNA without CDS lines (an incomplete record: not
read as non-coding)."""


def test_a_non_coding_gene_of_the_gff(assembly, tmp_path: Path) -> None:
    _, oracle = assembly
    gff = tmp_path / "with_rna.gff3"
    gff.write_text(oracle.gff3.read_text() + NON_CODING_GFF3.format(c="FGF23").split("\n", 1)[1])
    panel = tmp_path / "panel.tsv"
    panel.write_text("gene\tinheritance\nLABRNA1\tAR\nFGF23\t.\n")
    sequence = oracle.sequences()["FGF23"].tobytes().decode()
    positions = (150, 201, 250, 303)
    change = {pos: (sequence[pos - 1], "A" if sequence[pos - 1] != "A" else "C") for pos in positions}
    records = [f"FGF23\t{pos}\t.\t{ref}\t{alt}\t50\tPASS\t.\tGT\t1/1\n" for pos, (ref, alt) in change.items()]
    vcf = genotyped_vcf(tmp_path / "rna.vcf", oracle.contig_lengths(), records)
    result = run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", gff, "--panel", panel)
    assert result.code == 0, result.err
    rows = sorted((r for r in table(result.out) if r["gene"] == "LABRNA1"), key=lambda r: int(r["pos"]))
    assert {(r["transcript"], r["ensembl_transcript"], r["transcript_rule"], r["hgvs_p"]) for r in rows} == \
        {(".", "LABRNA1T.2", "longest transcript (non-coding gene)", ".")}
    snv = {pos: f"{ref}>{alt}" for pos, (ref, alt) in change.items()}
    assert [(r["consequence"], r["hgvs_c"], r["exon"], r["intron"]) for r in rows] == [
        ("non_coding_transcript_exon_variant", f"LABRNA1T.2:n.50{snv[150]}", "1/2", "."),
        ("splice_donor_variant&non_coding_transcript_variant", f"LABRNA1T.2:n.100+1{snv[201]}", ".", "1/1"),
        ("intron_variant&non_coding_transcript_variant", f"LABRNA1T.2:n.100+50{snv[250]}", ".", "1/1"),
        ("splice_region_variant&non_coding_transcript_exon_variant", f"LABRNA1T.2:n.103{snv[303]}", "2/2", "."),
    ]
    splice_qualifies = [".", "AR_hom", ".", "AR_hom"]
    assert [r["inheritance_flags"].split(";")[0] for r in rows] == splice_qualifies


def test_shards_on_an_assembly_of_ones_own_merge_into_the_unsharded_report(assembly, tmp_path: Path) -> None:
    work, oracle = assembly
    variants = saturation_snvs(oracle, oracle.sequences())[::40]
    vcf = work / "thinned.vcf"
    write_vcf(variants, vcf, oracle.contig_lengths())
    args = ("-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", oracle.gff3)
    whole = run_cli(vcf, *args)
    parts = []
    for k in (1, 2, 3):
        parts.append(tmp_path / f"part{k}.tsv")
        assert run_cli(vcf, *args, "--shard", f"{k}/3", "-o", parts[-1]).code == 0
    merged = run_cli("merge", *parts)
    assert merged.code == 0, merged.err
    assert body(merged.out) == body(whole.out) and len(table(whole.out)) == len(variants)


def test_clinvar_of_another_assembly_is_refused_on_custom(assembly, tmp_path: Path) -> None:
    _, oracle = assembly
    lengths = oracle.contig_lengths()
    vcf = genotyped_vcf(tmp_path / "in.vcf", lengths, [])
    clinvar = bgzip_index(genotyped_vcf(tmp_path / "clinvar.vcf", {"GALNT3": lengths["GALNT3"] - 1}, []))
    result = run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", oracle.gff3,
                     "--clinvar", clinvar)
    assert (result.code, result.out) == (2, "")
    assert result.err.strip().endswith(f"{clinvar}: --clinvar: contig GALNT3 is {lengths['GALNT3'] - 1:,} bp, but "
                                       f"GALNT3 of the --fasta is {lengths['GALNT3']:,} bp: the VCF and the "
                                       "reference are not of one assembly")
    fitting = genotyped_vcf(tmp_path / "fitting.vcf", {"GALNT3": lengths["GALNT3"]}, [])
    fitting.write_text(fitting.read_text().replace("#CHROM", '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="x">\n'
                                                   "#CHROM"))
    fitting = bgzip_index(fitting)
    assert run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", oracle.gff3,
                   "--clinvar", fitting).code == 0


def test_long_contig_names_are_read_by_every_route(assembly, tmp_path: Path) -> None:
    """Names longer than the scanner's 8-byte key (RefSeq accessions, unplaced contigs) match byte for byte."""
    work, oracle = assembly
    names = {"GALNT3": "NC_060926.1", "FGF23": "chrUn_KI270742v1", "ENPP1": "HLA-DRB1*15:01:01:01_ENPP1"}
    variants = saturation_snvs(oracle, oracle.sequences())[::20]
    vcf = work / "long.vcf"
    write_vcf(variants, vcf, oracle.contig_lengths())

    def renamed(path: Path, suffix: str) -> Path:
        text = path.read_text()
        for old, new in names.items():
            text = text.replace(f">{old} ", f">{new} ").replace(f"\n{old}\t", f"\n{new}\t").replace(
                f"ID={old},", f"ID={new},")
        out = tmp_path / f"renamed{suffix}"
        out.write_text(text)
        return out

    fasta, gff, long_vcf = renamed(oracle.fasta, ".fa"), renamed(oracle.gff3, ".gff3"), renamed(vcf, ".vcf")
    pysam.faidx(str(fasta))
    args = ("-q", "--build", "custom", "--fasta", fasta, "--gff", gff)
    expected = table(run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", oracle.gff3).out)
    assert len(expected) == len(variants)
    unindexed = tmp_path / "unindexed.vcf"
    unindexed.write_text(long_vcf.read_text())
    routes = (long_vcf, bgzip_index(unindexed, index=False), bgzip_index(long_vcf))
    assert [p.name for p in routes] == ["renamed.vcf", "unindexed.vcf.gz", "renamed.vcf.gz"]
    assert not Path(f"{routes[1]}.tbi").exists() and Path(f"{routes[2]}.tbi").exists()
    for route in routes:
        for threads in ("1", "2"):
            rows = table(run_cli(route, *args, "--threads", threads).out)
            assert [(names[e["chrom"]], e["pos"], e["consequence"], e["hgvs_c"]) for e in expected] == \
                [(r["chrom"], r["pos"], r["consequence"], r["hgvs_c"]) for r in rows], (route, threads)


def test_curated_variants_match_only_on_their_transcript(assembly, tmp_path: Path) -> None:
    """The curated FGF23 p.(Ser71Gly) (NM_020638.3) is named for a change in codon 71 of that transcript, not for
    codon 71 of another transcript of the gene that a --gff chose."""
    _, oracle = assembly
    t = next(t for t in read_transcripts(str(oracle.gff3)) if t.gene == "FGF23")
    pos = t.genomic_of(t.coding_cdna[0] + 210)  # c.211, the first base of codon 71
    base = oracle.sequences()["FGF23"][pos - 1:pos].tobytes().decode()
    records = [f"FGF23\t{pos}\t.\t{base}\t{alt}\t50\tPASS\t.\tGT\t1/1\n" for alt in "ACGT" if alt != base]
    vcf = genotyped_vcf(tmp_path / "in.vcf", oracle.contig_lengths(), records)
    other = tmp_path / "other.gff3"
    other.write_text(oracle.gff3.read_text().replace(t.id.split(".")[0], "LABTX1").replace(f"mane_select={t.refseq}",
                                                                                          "mane_select=NM_LAB1.1"))
    for gff, expected in ((oracle.gff3, True), (other, False)):
        rows = table(run_cli(vcf, "-q", "--build", "custom", "--fasta", oracle.fasta, "--gff", gff).out)
        missense = [r for r in rows if r["consequence"].startswith("missense_variant")]
        assert missense and all(r["hgvs_p"].split(":")[1][6:8] == "71" for r in missense)
        named = {r["known_hftc_variant"].startswith("same codon as known HFTC variant p.(Ser71Gly)") for r in missense}
        assert named == {expected}, (gff, [r["known_hftc_variant"] for r in missense])


def test_a_cds_that_does_not_translate_on_ones_own_assembly_is_a_warning(assembly, tmp_path: Path) -> None:
    """On a shipped build such a CDS means the wrong reference (exit 2); on one's own assembly a transcript may
    disagree with the genome: that gene's protein effects are left out, the others are computed."""
    _, oracle = assembly
    t = next(t for t in read_transcripts(str(oracle.gff3)) if t.gene == "FGF23")
    sequences = {name: seq.tobytes().decode() for name, seq in oracle.sequences().items()}
    start = t.genomic_of(t.coding_cdna[0])  # the A of ATG, on the minus strand: the T of CAT
    sequences["FGF23"] = sequences["FGF23"][:start - 1] + "G" + sequences["FGF23"][start:]
    fasta = tmp_path / "broken.fa"
    fasta.write_text("".join(f">{name} synthetic\n{seq}\n" for name, seq in sequences.items()))
    pysam.faidx(str(fasta))
    galnt3 = next(t for t in read_transcripts(str(oracle.gff3)) if t.gene == "GALNT3")
    g = galnt3.genomic_of(galnt3.coding_cdna[0] + 30)
    coding = t.genomic_of(t.coding_cdna[0] + 60)
    records = [f"FGF23\t{coding}\t.\t{sequences['FGF23'][coding - 1]}\tN\t50\tPASS\t.\tGT\t0/1\n",
               f"GALNT3\t{g}\t.\t{sequences['GALNT3'][g - 1]}\tN\t50\tPASS\t.\tGT\t0/1\n"]
    vcf = genotyped_vcf(tmp_path / "in.vcf", oracle.contig_lengths(),
                        [r.replace("\tN\t", "\tA\t" if r.split("\t")[3] != "A" else "\tC\t") for r in records])
    result = run_cli(vcf, "--build", "custom", "--fasta", fasta, "--gff", oracle.gff3)
    assert result.code == 0, result.err
    assert f"hftc-annot: warning: the CDS of FGF23 ({t.id}) does not translate from ATG to one final stop on " \
        f"{fasta}; their protein-level consequences and HGVS p. are not given" in result.err
    rows = {r["gene"]: r for r in table(result.out)}
    assert (rows["FGF23"]["impact"], rows["FGF23"]["hgvs_p"]) == ("UNKNOWN", ".")
    assert rows["FGF23"]["consequence_note"] == f"protein effect unknown: the FGF23 ({t.id}) CDS does not " \
        f"translate on {fasta}"
    assert rows["GALNT3"]["hgvs_p"].startswith("NP_")
    assert f"## protein_effects: not computed for FGF23 ({t.id}): the CDS does not translate on {fasta}; their " \
        "coding substitutions have impact UNKNOWN" in result.out
