"""The numpy prefilter: exact against a line-by-line Python filter, whatever the chunking; errors by line."""

from __future__ import annotations

import gzip
import io
import re
import zlib

import numpy as np
import pysam
import pytest

from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import InputError
from hftc_annot.reader.textscan import TextScanner, bgzf_chunks, gunzip_chunks
from hftc_annot.regions import Regions

SPANS = [("2", 1000, 2000), ("2", 5000, 5000), ("X", 300, 900), ("12", 10, 20), ("MT", 100, 200)]
CONTIGS = ["chr2", "2", "chrX", "chr12", "chrM", "chr7", "chrUn_KI270302v1", "chrUn_KI270303v1", "HLA-A*01:01:01:01"]


def synthetic_body(n: int, seed: int) -> tuple[bytes, list[int]]:
    """Random records (synthetic bases) and the 1-based line numbers that overlap SPANS."""
    rng = np.random.default_rng(seed)
    regions = Regions(SPANS)
    lines, expected = [], []
    for number in range(1, n + 1):
        chrom = CONTIGS[rng.integers(len(CONTIGS))]
        pos = int(rng.integers(1, 6000))
        ref = "A" * int(rng.integers(1, 40))
        tail = "\tGT\t0/1"
        eol = "\r\n" if rng.random() < 0.05 else "\n"
        lines.append(f"{chrom}\t{pos}\t.\t{ref}\tG\t50\tPASS\t.{tail}{eol}")
        if regions.overlaps(canonical_contig(chrom), pos, pos + len(ref) - 1):
            expected.append(number)
    return "".join(lines).encode(), expected


def scan(data: bytes, chunk: int, declared: set[str] | None = None, columns: int = 8) -> tuple[list[int], bytes, int]:
    out = io.BytesIO()
    scanner = TextScanner(Regions(SPANS), declared or set(), "test.vcf", columns)
    chunks = (data[i:i + chunk] for i in range(0, len(data), chunk))
    result = scanner.scan(chunks, 1, out)
    return result.candidate_lines, out.getvalue(), result.records


@pytest.mark.parametrize("chunk", [7, 64, 1000, 1 << 20])
def test_candidates_equal_brute_force(chunk: int) -> None:
    data, expected = synthetic_body(3000, seed=chunk)
    lines, written, records = scan(data, chunk, columns=10)
    assert records == 3000
    assert lines == expected
    source_lines = data.decode().splitlines()
    assert written.decode().splitlines() == [source_lines[i - 1] for i in expected]


def test_last_line_without_newline_and_blank_lines() -> None:
    data = b"chr2\t1500\t.\tA\tG\t.\t.\t.\n\nchr2\t9\t.\tA\tG\t.\t.\t.\nchr2\t2000\t.\tA\tG\t.\t.\t."
    lines, written, records = scan(data, 5)
    assert (lines, records) == ([1, 4], 3)
    assert written == b"chr2\t1500\t.\tA\tG\t.\t.\t.\nchr2\t2000\t.\tA\tG\t.\t.\t.\n"


def test_deletion_reaching_into_a_region_is_kept() -> None:
    data = b"chr2\t990\t.\tAAAAAAAAAAA\tA\t.\t.\t.\nchr2\t989\t.\tAAAAAAAAAAA\tA\t.\t.\t.\n"
    assert scan(data, 100)[0] == [1]


@pytest.mark.parametrize(("line", "message"), [
    (b"chr2\tabc\t.\tA\tG\t.\t.\t.", "POS 'abc' is not a positive whole number"),
    (b"chr2\t-5\t.\tA\tG\t.\t.\t.", "POS '-5'"),
    (b"chr2\t\t.\tA\tG\t.\t.\t.", "POS ''"),
    (b"chr2\t12345678901\t.\tA\tG\t.\t.\t.", "POS '12345678901'"),
    (b"chr2\t100\t.\tA\tG", "5 tab-separated columns where the #CHROM line has 8"),
    (b"chr2 100 . A G . . .", "1 tab-separated columns where the #CHROM line has 8"),
    (b"chr2\t100\t.\tA\tG\t.\t.\t.\tGT", "9 tab-separated columns where the #CHROM line has 8"),
    (b"\t100\t.\tA\tG\t.\t.\t.", "empty CHROM"),
    (b"chr2\t100\t.\t\tG\t.\t.\t.", "empty REF"),
    (b"#CHROM\tPOS", "header line ('#') after the first record"),
    (b"chr2\t100\t.\tA\x00\tG\t.\t.\t.", "control character in the text (binary data?)"),
])
def test_bad_lines_are_named_by_line_number(line: bytes, message: str) -> None:
    data = b"chr2\t1500\t.\tA\tG\t.\t.\t.\n" * 3 + line + b"\n"
    with pytest.raises(InputError, match=re.escape(f"test.vcf: line 4: {message}")):
        scan(data, 16)


def test_undeclared_contig_is_an_error_only_when_contigs_are_declared() -> None:
    data = b"".join(name + b"\t5\t.\tA\tG\t.\t.\t.\n" for name in (b"chr2", b"chrUn_KI270302v1", b"chrUn_KI270303v1"))
    assert scan(data, 20)[0] == []
    with pytest.raises(InputError, match="line 3: contig 'chrUn_KI270303v1' is not declared"):
        scan(data, 20, declared={"chr2", "chrUn_KI270302v1"})


def test_bgzf_and_gzip_decoders(tmp_path) -> None:
    data, _ = synthetic_body(5000, seed=3)
    plain = tmp_path / "x.txt"
    plain.write_bytes(data)
    pysam.tabix_compress(str(plain), str(tmp_path / "x.bgz"), force=True)
    with open(tmp_path / "x.bgz", "rb") as handle:
        assert b"".join(bgzf_chunks(handle, size=1000)) == data
    packed = gzip.compress(data[:100]) + gzip.compress(data[100:])
    assert b"".join(gunzip_chunks(io.BytesIO(packed), size=10)) == data


def test_truncated_and_corrupt_compression() -> None:
    packed = gzip.compress(b"x" * 100_000)
    with pytest.raises(EOFError):
        b"".join(gunzip_chunks(io.BytesIO(packed[:-20])))
    broken = packed[:30] + bytes(b ^ 0xFF for b in packed[30:60]) + packed[60:]
    with pytest.raises((zlib.error, EOFError)):
        b"".join(gunzip_chunks(io.BytesIO(broken)))
