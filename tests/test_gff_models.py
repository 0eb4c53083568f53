"""The --gff reader on files of real-world shape and on impossible models (review of issue 14): a GFF3 with its
sequence appended (##FASTA), byte order marks, bytes that are not UTF-8, impossible coordinates, CDS gaps, files
without transcript models."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.errors import InputError

from conftest import run_cli, table, write_vcf

FOO = [
    "chr1\tt\tgene\t1001\t3400\t.\t+\t.\tID=gene:G1;Name=FOO;biotype=protein_coding",
    "chr1\tt\tmRNA\t1001\t3400\t.\t+\t.\tID=transcript:T1;Parent=gene:G1;biotype=protein_coding;version=1",
    "chr1\tt\texon\t1001\t1200\t.\t+\t.\tParent=transcript:T1",
    "chr1\tt\texon\t2001\t2300\t.\t+\t.\tParent=transcript:T1",
    "chr1\tt\texon\t3001\t3400\t.\t+\t.\tParent=transcript:T1",
    "chr1\tt\tCDS\t1101\t1200\t.\t+\t0\tParent=transcript:T1",
    "chr1\tt\tCDS\t2001\t2300\t.\t+\t2\tParent=transcript:T1",
    "chr1\tt\tCDS\t3001\t3101\t.\t+\t2\tParent=transcript:T1",
]
"""A plus-strand gene: lines 2-9 of a file that opens with ##gff-version 3."""
BAR = [
    "chr1\tt\tgene\t10001\t12200\t.\t-\t.\tID=gene:G2;Name=BAR;biotype=protein_coding",
    "chr1\tt\tmRNA\t10001\t12200\t.\t-\t.\tID=transcript:T2;Parent=gene:G2;biotype=protein_coding;version=1",
    "chr1\tt\texon\t12001\t12200\t.\t-\t.\tParent=transcript:T2",
    "chr1\tt\texon\t11001\t11300\t.\t-\t.\tParent=transcript:T2",
    "chr1\tt\texon\t10001\t10400\t.\t-\t.\tParent=transcript:T2",
    "chr1\tt\tCDS\t12001\t12100\t.\t-\t0\tParent=transcript:T2",
    "chr1\tt\tCDS\t11001\t11300\t.\t-\t2\tParent=transcript:T2",
    "chr1\tt\tCDS\t10300\t10400\t.\t-\t2\tParent=transcript:T2",
]
"""A minus-strand gene: lines 10-17."""


def gff(path: Path, lines: list[str], head: bytes = b"", tail: bytes = b"") -> str:
    text = "\n".join(["##gff-version 3", *lines]) + "\n"
    path.write_bytes(head + text.encode() + tail)
    return str(path)


def models(path: str) -> list[tuple]:
    return [(t.gene, t.id, t.chrom, t.strand, t.exons, t.cds) for t in read_transcripts(path, {"FOO", "BAR"})]


EXPECTED = [("FOO", "T1.1", "chr1", 1, ((1001, 1200), (2001, 2300), (3001, 3400)), (1101, 3101)),
            ("BAR", "T2.1", "chr1", -1, ((12001, 12200), (11001, 11300), (10001, 10400)), (10300, 12100))]


def refused(path: str, genes: set[str] | None = None) -> str:
    with pytest.raises(InputError) as caught:
        read_transcripts(path, genes if genes is not None else {"FOO", "BAR"})
    return str(caught.value)


def test_the_fixture_reads(tmp_path: Path) -> None:
    assert models(gff(tmp_path / "m.gff3", FOO + BAR)) == EXPECTED


def test_a_fasta_section_ends_the_features(tmp_path: Path) -> None:
    """GFF3: '##FASTA' ends the annotation; the sequence after it used to be read as feature lines."""
    path = gff(tmp_path / "m.gff3", FOO + BAR, tail=b"##FASTA\n>chr1\nACGTACGT\nACGT\n")
    assert models(path) == EXPECTED


def test_parent_values_are_split_at_their_commas_before_they_are_decoded(tmp_path: Path) -> None:
    """A transcript ID holding an encoded comma (ID=transcript:T%2C1, as GFF3 writes ','): its exons' Parent was
    decoded first and split into 'transcript:T' and '1', so FOO had no exons and was left out without a word. An exon
    shared by two transcripts (Parent=a,b) still belongs to both; a GTF's transcript_id is one value."""
    encoded = [line.replace("transcript:T1", "transcript:T%2C1") for line in FOO]
    assert models(gff(tmp_path / "m.gff3", encoded + BAR)) == [("FOO", "T,1.1", *EXPECTED[0][2:]), EXPECTED[1]]
    shared = FOO[:2] + [FOO[1].replace("ID=transcript:T1;", "ID=transcript:T3;")] + \
        [line.replace("Parent=transcript:T1", "Parent=transcript:T1,transcript:T3") for line in FOO[2:]]
    assert [(t.id, t.exons, t.cds) for t in read_transcripts(gff(tmp_path / "s.gff3", shared), {"FOO"})] == \
        [("T1.1", EXPECTED[0][4], EXPECTED[0][5]), ("T3.1", EXPECTED[0][4], EXPECTED[0][5])]
    ids = 'gene_id "G1"; transcript_id "T,1%"; gene_name "FOO";'
    gtf = tmp_path / "m.gtf"
    gtf.write_text("".join("\t".join([*line.split("\t")[:8], ids]) + "\n" for line in FOO[1:]))
    assert [(t.id, t.exons, t.cds) for t in read_transcripts(str(gtf), {"FOO"})] == \
        [("T,1%", EXPECTED[0][4], EXPECTED[0][5])]


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_byte_order_mark_is_no_part_of_the_first_line(tmp_path: Path, gzipped: bool) -> None:
    """A BOM made '\\ufeff##gff-version 3' a feature line of 1 column; a GTF's first feature line would be lost."""
    path = gff(tmp_path / "m.gff3", FOO + BAR, head=b"\xef\xbb\xbf")
    if gzipped:
        Path(f"{path}.gz").write_bytes(gzip.compress(Path(path).read_bytes()))
        path = f"{path}.gz"
    assert models(path) == EXPECTED
    no_header = tmp_path / "n.gff3"
    no_header.write_bytes(b"\xef\xbb\xbf" + "\n".join(FOO + BAR).encode() + b"\n")
    assert models(str(no_header)) == EXPECTED


@pytest.mark.parametrize("gzipped", [False, True])
def test_bytes_that_are_not_utf8_are_named_by_their_line(tmp_path: Path, gzipped: bool) -> None:
    """A Latin-1 byte, far into the file, used to be reported as 'cannot read (... position 1159 ...)'."""
    note = b"chr1\tt\tregion\t1\t20000\t.\t+\t.\tNote=caf\xe9"
    path = gff(tmp_path / "m.gff3", FOO + BAR * 20, tail=note + b"\n")
    if gzipped:
        Path(f"{path}.gz").write_bytes(gzip.compress(Path(path).read_bytes()))
        path = f"{path}.gz"
    assert refused(path) == f"{path}: line {2 + len(FOO) + 20 * len(BAR)}: not UTF-8 text"


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_gff_read_from_a_pipe_gives_the_same_models(tmp_path: Path, gzipped: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """--gff <(zcat models.gff3.gz): the first bytes were read to tell gzip, in a buffer that took the whole pipe,
    and a file sorted by position needs a second pass; a pipe gave 'no transcript models' (or lost its start)."""
    sorted_foo = FOO[2:] + FOO[:2]  # the exons and CDS before their gene and transcript lines
    data = Path(gff(tmp_path / "m.gff3", sorted_foo + BAR)).read_bytes()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "spool").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "spool"))
    writer = threading.Thread(target=fifo.write_bytes, args=(gzip.compress(data) if gzipped else data,))
    writer.start()
    try:
        assert models(str(fifo)) == EXPECTED
    finally:
        writer.join(timeout=10)
    assert not os.listdir(tmp_path / "spool")
    fasta, panel, vcf = reference(tmp_path)
    script = 'exec "$0" -m hftc_annot "$1" -q --build custom --fasta "$2" --panel "$3" --gff <(cat "$4") -o "$5"'
    result = subprocess.run(["bash", "-c", script, sys.executable, vcf, fasta, panel, tmp_path / "m.gff3",
                             tmp_path / "out.tsv"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rows = [r for r in (tmp_path / "out.tsv").read_text().splitlines() if not r.startswith("## ")]
    assert [r.split("\t")[:6] + [r.split("\t")[9]] for r in rows[1:]] == [["chr1", "1150", ".", "C", "T", "FOO",
                                                                          "T1.1"]]


def test_a_gene_on_a_chromosome_and_an_alt_contig_is_read_from_the_chromosome(tmp_path: Path) -> None:
    """A GFF with alt and patch contigs (GENCODE's chr_patch_hapl_scaff, RefSeq's alt loci) has a second copy of a
    gene; the rules tied and the larger id won, here the alt copy, and the variant in FOO's CDS on chr1 was left out
    of the report (0 rows, no warning)."""
    import pysam

    fasta, panel, vcf = reference(tmp_path)
    sequence = fasta.read_text().splitlines()[1]
    fasta.write_text(f">chr1\n{sequence}\n>chr1_KI270706v1_alt\n{sequence}\n")
    Path(f"{fasta}.fai").unlink()
    pysam.faidx(str(fasta))
    vcf.write_text(vcf.read_text().replace("##contig=<ID=chr1,length=20000>\n", "##contig=<ID=chr1,length=20000>\n"
                                           "##contig=<ID=chr1_KI270706v1_alt,length=20000>\n"))
    alt = [line.replace("chr1\t", "chr1_KI270706v1_alt\t").replace("G1", "G9").replace("T1", "T9") for line in FOO]
    for name, lines in (("after.gff3", FOO + alt + BAR), ("before.gff3", alt + FOO + BAR)):
        path = gff(tmp_path / name, lines)
        result = run_cli(vcf, "-q", "--build", "custom", "--fasta", fasta, "--panel", panel, "--gff", path)
        assert result.code == 0, result.err
        rows = [line.split("\t") for line in result.out.splitlines() if not line.startswith("## ")]
        assert [r[:6] + r[9:11] for r in rows[1:]] == [["chr1", "1150", ".", "C", "T", "FOO", "T1.1", "longest CDS"]]
    only_alt = gff(tmp_path / "alt.gff3", alt + BAR)
    result = run_cli(vcf, "-q", "--build", "custom", "--fasta", fasta, "--panel", panel, "--gff", only_alt)
    assert result.code == 0 and "## genes: BAR,FOO\n" in result.out, result.err  # a gene only on an alt: kept there


def test_a_pseudo_autosomal_gene_is_read_from_chrx_not_its_gencode_copy_on_chry(tmp_path: Path) -> None:
    """GENCODE gives each pseudo-autosomal gene a second copy on chrY (ids ending _PAR_Y), which the rules tied with
    the chrX copy and the larger id won: FOO's variant on chrX, where callers put PAR variants, was left out."""
    import pysam

    fasta, panel, vcf = reference(tmp_path)
    sequence = fasta.read_text().splitlines()[1]
    fasta.write_text(f">chrX\n{sequence}\n>chrY\n{sequence}\n")
    Path(f"{fasta}.fai").unlink()
    pysam.faidx(str(fasta))
    panel.write_text("gene\tinheritance\nFOO\tAD\n")
    vcf.write_text(vcf.read_text().replace("##contig=<ID=chr1,length=20000>\n", "##contig=<ID=chrX,length=20000>\n"
                                           "##contig=<ID=chrY,length=20000>\n").replace("\nchr1\t", "\nchrX\t"))
    on_x = [line.replace("chr1\t", "chrX\t") for line in FOO]
    on_y = [line.replace("chr1\t", "chrY\t").replace("transcript:T1", "transcript:T1_PAR_Y").replace("G1", "G1_PAR_Y")
            for line in FOO]
    for name, lines in (("x_first.gff3", on_x + on_y), ("y_first.gff3", on_y + on_x)):
        result = run_cli(vcf, "-q", "--build", "custom", "--fasta", fasta, "--panel", panel, "--gff",
                         gff(tmp_path / name, lines))
        assert result.code == 0, result.err
        rows = [line.split("\t") for line in result.out.splitlines() if not line.startswith("## ")]
        assert [r[:6] + r[9:11] for r in rows[1:]] == [["chrX", "1150", ".", "C", "T", "FOO", "T1.1", "longest CDS"]]


# ----------------------------------------------------------------------------- coordinates


@pytest.mark.parametrize(("line", "change", "message"), [
    (4, ("\t1001\t1200\t", "\t-5\t1200\t"), "line 4: impossible start -5 and end 1200 (positions are 1-based, start "
                                            "<= end)"),
    (5, ("\t2001\t2300\t", "\t2300\t2001\t"), "line 5: impossible start 2300 and end 2001 (positions are 1-based, "
                                              "start <= end)"),
    (3, ("\t1001\t3400\t", "\t0\t3400\t"), "line 3: impossible start 0 and end 3400 (positions are 1-based, start "
                                           "<= end)"),
])
def test_impossible_coordinates_are_refused_naming_the_line(tmp_path: Path, line: int, change: tuple[str, str],
                                                            message: str) -> None:
    """An exon from -5 used to pass (FOO then lost its protein effects, said as 'does not translate'); an exon with
    start > end was reported as 'CDS 2001-2300 ... is not inside an exon'."""
    lines = FOO + BAR
    lines[line - 2] = lines[line - 2].replace(*change)
    path = gff(tmp_path / "m.gff3", lines)
    assert refused(path) == f"{path}: {message}"


def test_a_bad_line_of_a_gene_not_read_is_no_error(tmp_path: Path) -> None:
    """Only the wanted genes' lines are checked: a problem in another gene of a whole-genome file does not stop the
    run (as with every other check of the reader)."""
    lines = FOO + BAR
    lines[10] = lines[10].replace("\t12001\t12200\t", "\t12200\t12001\t")
    path = gff(tmp_path / "m.gff3", lines)
    assert [t.gene for t in read_transcripts(path, {"FOO"})] == ["FOO"]


@pytest.mark.parametrize("lengths", [{"chr1": 20_000}, {"1": 20_000}, {"chrX": 100, "1": 20_000}])
def test_a_transcript_beyond_its_contig_is_refused(tmp_path: Path, lengths: dict[str, int]) -> None:
    """An exon to 30,400 on a 20,000 bp contig used to pass: FOO then covered BAR (rows like 'FOO
    3_prime_UTR_variant c.*8999T>A'). chr1 and 1 are one contig."""
    lines = FOO + BAR
    lines[0:2] = [line.replace("\t3400\t", "\t30400\t") for line in lines[0:2]]
    lines[4] = lines[4].replace("\t3400\t", "\t30400\t")
    path = gff(tmp_path / "m.gff3", lines)
    with pytest.raises(InputError) as caught:
        read_transcripts(path, {"FOO", "BAR"}, None, lengths)
    assert str(caught.value) == f"{path}: line 3: transcript transcript:T1 reaches 30,400, beyond the end of contig " \
        "chr1 (20,000 bp)"
    assert len(read_transcripts(path, {"FOO", "BAR"}, None, {"chr2": 10})) == 2  # length not known: not checked
    fits = gff(tmp_path / "fits.gff3", FOO + BAR)
    assert [t.end for t in read_transcripts(fits, {"FOO", "BAR"}, None, {"chr1": 12_200})] == [3400, 12200]


def reference(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A 20,000 bp chr1 (FASTA with .fai), a --panel of FOO and BAR, and a VCF of one record on chr1."""
    import pysam

    fasta = tmp_path / "ref.fa"
    fasta.write_text(">chr1\n" + "".join("ACGTTGCA"[(i * 7) % 8] for i in range(20_000)) + "\n")
    pysam.faidx(str(fasta))
    panel = tmp_path / "panel.tsv"
    panel.write_text("gene\tinheritance\nFOO\tAR\nBAR\tAD\n")
    vcf = tmp_path / "in.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=20000>\n"
                   '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
                   "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\nchr1\t1150\t.\tC\tT\t50\tPASS\t.\tGT\t0/1\n")
    return fasta, panel, vcf


def test_the_run_checks_transcripts_against_the_fasta_and_the_build(tmp_path: Path) -> None:
    """--build custom: the --fasta's .fai lengths; GRCh38: the build's (chr12 is 133,275,309 bp)."""
    fasta, panel, vcf = reference(tmp_path)
    lines = FOO + BAR
    lines[4] = lines[4].replace("\t3400\t", "\t30400\t")
    path = gff(tmp_path / "m.gff3", lines)
    result = run_cli(vcf, "--build", "custom", "--fasta", fasta, "--panel", panel, "--gff", path, "-o",
                     tmp_path / "out.tsv")
    assert (result.code, result.err) == (2, f"hftc-annot: error: {path}: line 3: transcript transcript:T1 reaches "
                                            "30,400, beyond the end of contig chr1 (20,000 bp)\n")
    assert not (tmp_path / "out.tsv").exists()
    shifted = [line.replace("chr1\t", "chr12\t").replace("FOO", "FGF23") for line in FOO]
    shifted = [_shift(line, 133_272_000) for line in shifted]
    beyond = gff(tmp_path / "fgf23.gff3", shifted)
    grch38 = write_vcf(tmp_path / "38.vcf", ["chr12 4379371 . C T 50 PASS . GT 0/1"])
    result = run_cli(grch38, "--gff", beyond)
    assert (result.code, result.err) == (2, f"hftc-annot: error: {beyond}: line 3: transcript transcript:T1 reaches "
                                            "133,275,400, beyond the end of contig chr12 (133,275,309 bp)\n")


def _shift(line: str, offset: int) -> str:
    fields = line.split("\t")
    fields[3], fields[4] = str(int(fields[3]) + offset), str(int(fields[4]) + offset)
    return "\t".join(fields)


# ----------------------------------------------------------------------------- a continuous CDS

GAP = "does not continue the CDS before it ({before}): the CDS runs on from the end of one exon to the start of the " \
      "next (no gap inside an exon, no exon skipped)"


@pytest.mark.parametrize(("edit", "line", "message"), [
    ({8: ["chr1\tt\tCDS\t2001\t2100\t.\t+\t2\tParent=transcript:T1",
          "chr1\tt\tCDS\t2151\t2300\t.\t+\t1\tParent=transcript:T1"],
      9: ["chr1\tt\tCDS\t3001\t3101\t.\t+\t1\tParent=transcript:T1"]},
     9, "CDS 2151-2300 of transcript:T1 " + GAP.format(before="2001-2100")),
    ({8: ["chr1\tt\tCDS\t2001\t2299\t.\t+\t2\tParent=transcript:T1"],
      9: ["chr1\tt\tCDS\t3001\t3101\t.\t+\t0\tParent=transcript:T1"]},
     9, "CDS 3001-3101 of transcript:T1 " + GAP.format(before="2001-2299")),
    ({5: ["chr1\tt\texon\t2001\t2300\t.\t+\t.\tParent=transcript:T1",
          "chr1\tt\texon\t2501\t2600\t.\t+\t.\tParent=transcript:T1"]},
     10, "CDS 3001-3101 of transcript:T1 " + GAP.format(before="2001-2300")),
    ({16: ["chr1\tt\tCDS\t11151\t11300\t.\t-\t2\tParent=transcript:T2",
           "chr1\tt\tCDS\t11001\t11100\t.\t-\t2\tParent=transcript:T2"],
      17: ["chr1\tt\tCDS\t10300\t10400\t.\t-\t1\tParent=transcript:T2"]},
     17, "CDS 11001-11100 of transcript:T2 " + GAP.format(before="11151-11300")),
    ({17: ["chr1\tt\tCDS\t10300\t10399\t.\t-\t2\tParent=transcript:T2"]},
     17, "CDS 10300-10399 of transcript:T2 " + GAP.format(before="11001-11300")),
])
def test_a_cds_with_a_gap_is_refused(tmp_path: Path, edit: dict[int, list[str]], line: int, message: str) -> None:
    """Phases that agree with the lengths are not enough: CDS 2001-2100 and 2151-2300 in exon 2001-2300 passed and the
    gap was read as coding. The line named is the later segment's (in transcript order)."""
    lines = [row for number, text in enumerate(FOO + BAR, 2) for row in edit.get(number, [text])]
    path = gff(tmp_path / "m.gff3", lines)
    assert refused(path) == f"{path}: line {line}: {message}"


def test_an_exon_split_by_a_refseq_gap_still_joins(tmp_path: Path) -> None:
    """RefSeq splits an exon where the genome has 1-2 bases the mRNA lacks, and its CDS with it."""
    edit = {5: ["chr1\tt\texon\t2001\t2150\t.\t+\t.\tParent=transcript:T1",
                "chr1\tt\texon\t2153\t2300\t.\t+\t.\tParent=transcript:T1"],
            8: ["chr1\tt\tCDS\t2001\t2150\t.\t+\t2\tParent=transcript:T1",
                "chr1\tt\tCDS\t2153\t2300\t.\t+\t2\tParent=transcript:T1"],
            9: ["chr1\tt\tCDS\t3001\t3101\t.\t+\t1\tParent=transcript:T1"]}
    lines = [row for number, text in enumerate(FOO, 2) for row in edit.get(number, [text])]
    (t,) = read_transcripts(gff(tmp_path / "m.gff3", lines), {"FOO"})
    assert (t.exons, t.cds) == (((1001, 1200), (2001, 2150), (2153, 2300), (3001, 3400)), (1101, 3101))


def test_a_gtf_stop_codon_across_a_splice_site_still_joins(tmp_path: Path) -> None:
    """GTF CDS lines leave out the stop codon: the last one may end short of its exon when the stop is split."""
    ids = 'gene_id "G1"; transcript_id "T1"; gene_name "FOO"; transcript_type "protein_coding";'
    rows = [("transcript", 1001, 3400, "."), ("exon", 1001, 1200, "."), ("exon", 2001, 2300, "."),
            ("exon", 3001, 3400, "."), ("CDS", 1101, 1200, "0"), ("CDS", 2001, 2299, "2"),
            ("stop_codon", 2300, 2300, "0"), ("stop_codon", 3001, 3002, "2")]
    path = tmp_path / "m.gtf"
    path.write_text("".join(f"chr1\tt\t{kind}\t{start}\t{end}\t.\t+\t{phase}\t{ids}\n"
                            for kind, start, end, phase in rows))
    (t,) = read_transcripts(str(path), {"FOO"})
    assert (t.exons, t.cds) == (((1001, 1200), (2001, 2300), (3001, 3400)), (1101, 3002))


# ----------------------------------------------------------------------------- files without models

NO_TRANSCRIPTS = "no transcript models: no mRNA or transcript lines (exon and CDS lines are read with their " \
                 "transcript's line)"


@pytest.mark.parametrize(("text", "message"), [
    ("", NO_TRANSCRIPTS),
    ("##gff-version 3\n# nothing but comments\n\n", NO_TRANSCRIPTS),
    ("".join(f'chr1\tt\t{kind}\t{start}\t{end}\t.\t+\t{phase}\tgene_id "G1"; transcript_id "T1"; gene_name "FOO";\n'
             for kind, start, end, phase in [("gene", 1001, 3400, "."), ("exon", 1001, 1200, "."),
                                             ("CDS", 1101, 1200, "0")]), NO_TRANSCRIPTS),
    ("\n".join(line for line in FOO + BAR if "\texon\t" not in line) + "\n", "no transcript models: no exon lines"),
])
def test_a_file_without_models_is_said_to_be_so(tmp_path: Path, text: str, message: str) -> None:
    """An empty file, a comments-only one and a GTF without transcript lines were each reported as '--panel P: no
    transcript of FOO in --gff ...', as though the file had models of other genes."""
    path = tmp_path / "m.gff"
    path.write_text(text)
    assert refused(str(path)) == f"{path}: {message}"
    assert refused(str(path), {"OTHER"}) == f"{path}: {message}"  # whichever genes are asked for


def test_a_run_with_a_gff_without_models_names_the_gff(tmp_path: Path) -> None:
    fasta, panel, vcf = reference(tmp_path)
    empty = tmp_path / "empty.gff3"
    empty.write_text("##gff-version 3\n")
    result = run_cli(vcf, "--build", "custom", "--fasta", fasta, "--panel", panel, "--gff", empty)
    assert (result.code, result.err) == (2, f"hftc-annot: error: {empty}: {NO_TRANSCRIPTS}\n")


def test_a_fai_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    """--build custom reads the contigs from the .fai: a byte that is not UTF-8 in it was 'internal error:
    UnicodeDecodeError' (exit 1)."""
    fasta, panel, vcf = reference(tmp_path)
    with open(f"{fasta}.fai", "ab") as handle:
        handle.write(b"chr\xe9\t10\t30000\t60\t61\n")
    result = run_cli(vcf, "--build", "custom", "--fasta", fasta, "--panel", panel,
                     "--gff", gff(tmp_path / "m.gff3", FOO + BAR), "-o", tmp_path / "out.tsv")
    assert (result.code, result.err) == (2, f"hftc-annot: error: {fasta}.fai: line 2: not UTF-8 text (not a FASTA "
                                            "index)\n")
    assert not (tmp_path / "out.tsv").exists()


def test_records_on_contigs_the_fasta_lacks_are_not_a_run_without_findings(tmp_path: Path) -> None:
    """--build custom, a VCF without ##contig lines named otherwise than the --fasta (RefSeq accessions for chr1):
    no record can be in the panel. The run said nothing and wrote an empty report, as of a sample without findings."""
    fasta, panel, vcf = reference(tmp_path)
    renamed = tmp_path / "renamed.vcf"
    renamed.write_text(vcf.read_text().replace("##contig=<ID=chr1,length=20000>\n", "").replace("\nchr1\t",
                                                                                               "\nNC_060925.1\t"))
    args = ("--build", "custom", "--fasta", fasta, "--panel", panel, "--gff", gff(tmp_path / "m.gff3", FOO + BAR))
    warning = f"0 records in custom panel regions, and the input's first contig 'NC_060925.1' is not a contig of " \
        f"--fasta {fasta}: rename the contigs to the FASTA's names, e.g. with bcftools annotate --rename-chrs"
    result = run_cli(renamed, *args)
    assert result.code == 0
    assert f"hftc-annot: warning: {warning}" in result.err.splitlines()
    assert f"## build_check: {warning}" in result.out.splitlines()
    plain = tmp_path / "plain.vcf"
    plain.write_text(vcf.read_text().replace("##contig=<ID=chr1,length=20000>\n", "").replace("\nchr1\t", "\n1\t"))
    found = run_cli(plain, *args)
    assert (found.code, "build_check" in found.out + found.err, len(table(found.out))) == (0, False, 1)


def test_a_panel_gene_in_another_letter_case_takes_its_gff_model_on_custom(tmp_path: Path) -> None:
    """A mouse-style symbol in --panel and --gff alike (Galnt3) is the shipped GALNT3, as the panel file reads it; its
    model was then looked for as 'GALNT3', and the run refused the gene the file has: 'no transcript of GALNT3'."""
    fasta, panel, vcf = reference(tmp_path)
    panel.write_text("gene\tinheritance\nGalnt3\tAR\n")
    mouse = gff(tmp_path / "m.gff3", [line.replace("Name=FOO", "Name=Galnt3") for line in FOO])
    result = run_cli(vcf, "--build", "custom", "--fasta", fasta, "--panel", panel, "--gff", mouse, "-q")
    assert (result.code, result.err) == (0, "")
    assert [(r["gene"], r["ensembl_transcript"], r["pos"], r["consequence"]) for r in table(result.out)] == \
        [("GALNT3", "T1.1", "1150", "coding_sequence_variant")]
    assert "## genes: GALNT3" in result.out.splitlines()


def test_a_panel_gene_not_shipped_is_matched_to_its_gff_symbol_in_any_letter_case(tmp_path: Path) -> None:
    """Shipped genes were matched in any letter case, the others exactly: 'foo' (or C1ORF127 for the file's
    C1orf127) stopped the run, 'no transcript of foo in --gff'. The gene is named as --gff spells it. Where the file
    spells one gene two ways, the spelling --panel gives is taken; two others are an error."""
    fasta, panel, vcf = reference(tmp_path)
    panel.write_text("gene\tinheritance\nfoo\tAR\nBar\tAD\n")
    models = gff(tmp_path / "m.gff3", FOO + BAR)
    result = run_cli(vcf, "--build", "custom", "--fasta", fasta, "--panel", panel, "--gff", models, "-q")
    assert (result.code, result.err) == (0, "")
    assert [(r["gene"], r["ensembl_transcript"], r["pos"], r["inheritance_flags"]) for r in table(result.out)] == \
        [("FOO", "T1.1", "1150", ".")]
    assert "## genes: FOO,BAR" in result.out.splitlines()
    twice = gff(tmp_path / "twice.gff3", FOO + [line.replace("Name=BAR", "Name=Foo") for line in BAR])
    panel.write_text("gene\nFoo\n")
    result = run_cli(vcf, "--build", "custom", "--fasta", fasta, "--panel", panel, "--gff", twice, "-q")
    assert (result.code, result.err) == (0, "")
    assert table(result.out) == []  # Foo is BAR's T2, 10001-12200: chr1:1150 is in FOO's T1 only
    assert "## genes: Foo" in result.out.splitlines()
    panel.write_text("gene\nfoo\n")
    result = run_cli(vcf, "--build", "custom", "--fasta", fasta, "--panel", panel, "--gff", twice, "-o",
                     tmp_path / "out.tsv")
    assert (result.code, result.err) == (2, f"hftc-annot: error: --gff {twice}: the genes FOO and Foo differ only in "
                                            "letter case: name the one meant in --panel as the file spells it\n")
    assert not (tmp_path / "out.tsv").exists()


def test_a_fasta_and_gff_named_by_refseq_accession_need_no_map_on_custom(tmp_path: Path) -> None:
    """A RefSeq FASTA and GFF both name chromosome 1 NC_000001.11: the GFF's contig is the FASTA's. It was renamed
    chr1 (the GRCh38 accession table), which the FASTA lacks: the run stopped, 'on contig chr1, which --fasta does
    not have', a name neither file has."""
    fasta, panel, vcf = reference(tmp_path)
    for path in (fasta, vcf):
        path.write_text(path.read_text().replace(">chr1", ">NC_000001.11").replace("ID=chr1,", "ID=NC_000001.11,")
                        .replace("\nchr1\t", "\nNC_000001.11\t"))
    Path(f"{fasta}.fai").unlink()
    import pysam

    pysam.faidx(str(fasta))
    models = gff(tmp_path / "m.gff3", [line.replace("chr1\t", "NC_000001.11\t") for line in FOO + BAR])
    result = run_cli(vcf, "--build", "custom", "--fasta", fasta, "--panel", panel, "--gff", models, "-q")
    assert (result.code, result.err) == (0, "")
    assert [(r["chrom"], r["pos"], r["gene"], r["consequence"]) for r in table(result.out)] == \
        [("NC_000001.11", "1150", "FOO", "coding_sequence_variant")]
    assert read_transcripts(models, {"FOO"})[0].chrom == "chr1"  # a GRCh38 run still reads it as chr1


def test_a_refseq_annotation_of_the_other_build_is_refused_naming_the_line(tmp_path: Path) -> None:
    """RefSeq accessions of both builds were read as chromosome names: a lab's GRCh37 RefSeq GFF (NC_000001.10) for a
    gene of its own was used in a GRCh38 run without a word, its model on GRCh38's chr1 at GRCh37 positions. The
    accession's version names the build; a --contig-map line that renames the contig still stands."""
    vcf = write_vcf(tmp_path / "38.vcf", ["chr1 1150 . C T 50 PASS . GT 0/1"])
    panel = tmp_path / "panel.tsv"
    panel.write_text("gene\tinheritance\nFOO\tAR\n")
    grch37 = gff(tmp_path / "grch37.gff3", [line.replace("chr1\t", "NC_000001.10\t") for line in FOO])
    result = run_cli(vcf, "--panel", panel, "--gff", grch37, "-o", tmp_path / "out.tsv")
    assert (result.code, result.err) == (2, f"hftc-annot: error: {grch37}: line 3: transcript transcript:T1 is on "
                                            "NC_000001.10, GRCh37's chr1, but the run is GRCh38: give a GRCh38 "
                                            "annotation\n")
    assert not (tmp_path / "out.tsv").exists()
    grch38 = gff(tmp_path / "grch38.gff3", [line.replace("chr1\t", "NC_000001.11\t") for line in FOO])
    (tmp_path / "map.txt").write_text("NC_000001.10 chr1\n")
    for models, mapped in ((grch38, []), (grch37, ["--contig-map", tmp_path / "map.txt"])):
        result = run_cli(vcf, "-q", "--panel", panel, "--gff", models, *mapped)
        assert (result.code, result.err) == (0, "")
        assert [(r["chrom"], r["pos"], r["gene"], r["ensembl_transcript"]) for r in table(result.out)] == \
            [("chr1", "1150", "FOO", "T1.1")]
    assert [t.chrom for t in read_transcripts(grch37, {"FOO"}, build="GRCh37")] == ["chr1"]


def test_two_contigs_the_contig_map_renames_to_one_are_refused(tmp_path: Path) -> None:
    """NC_060925.1 and NC_060926.1 both mapped to chr1: BAR's model was read on chr1's sequence, without a word (its
    consequences named from another chromosome's bases). Several aliases of one contig stay allowed."""
    path = gff(tmp_path / "m.gff3", [line.replace("chr1\t", "NC_060925.1\t") for line in FOO]
               + [line.replace("chr1\t", "NC_060926.1\t") for line in BAR])
    with pytest.raises(InputError) as caught:
        read_transcripts(path, {"FOO", "BAR"}, {"NC_060925.1": "chr1", "NC_060926.1": "chr1"})
    assert str(caught.value) == f"{path}: line 11: transcript transcript:T2 is on contig NC_060926.1 and " \
        "transcript:T1 on NC_060925.1, which the --contig-map renames to one contig, chr1: map each to its own"
    aliases = {"NC_060925.1": "chr1", "CP068277.2": "chr1", "NC_060926.1": "chr2"}
    assert [(t.gene, t.chrom) for t in read_transcripts(path, {"FOO", "BAR"}, aliases)] == \
        [("FOO", "chr1"), ("BAR", "chr2")]
