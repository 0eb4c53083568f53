"""The --gff reader on files of real-world shape and on impossible models (review of issue 14): a GFF3 with its
sequence appended (##FASTA), byte order marks, bytes that are not UTF-8, impossible coordinates, CDS gaps, files
without transcript models."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.errors import InputError

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
