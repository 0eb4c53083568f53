"""The numpy prefilter: exact against a line-by-line Python filter, whatever the chunking; errors by line."""

from __future__ import annotations

import gzip
import io
import re

import cyvcf2
import numpy as np
import pysam
import pytest

from hftc_annot.assembly import canonical_contig
from hftc_annot.errors import InputError
from hftc_annot.reader import reads_end, textscan
from hftc_annot.reader.inflate import ERRORS, bgzf_chunks, gunzip_chunks
from hftc_annot.reader.records import reach
from hftc_annot.reader.textscan import TextScanner
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
    (b"chr2\tabc\t.\tA\tG\t.\t.\t.", "POS 'abc' is not a whole number (0 or more)"),
    (b"chr2\t-5\t.\tA\tG\t.\t.\t.", "POS '-5'"),
    (b"chr2\t\t.\tA\tG\t.\t.\t.", "POS ''"),
    (b"chr2\t12345678901\t.\tA\tG\t.\t.\t.", "POS '12345678901' has more than 10 digits"),
    (b"chr2\t00000001500\t.\tA\tG\t.\t.\t.", "POS '00000001500' has more than 10 digits"),
    ("chr2\t\u00b2\t.\tA\tG\t.\t.\t.".encode(), "POS '\u00b2' is not a whole number (0 or more)"),
    (b"chr2\t100\t.\tA\tG", "5 tab-separated columns where the #CHROM line has 8"),
    (b"chr2 100 . A G . . .", "1 tab-separated columns where the #CHROM line has 8"),
    (b"chr2\t100\t.\tA\tG\t.\t.\t.\tGT", "9 tab-separated columns where the #CHROM line has 8"),
    (b"\t100\t.\tA\tG\t.\t.\t.", "empty CHROM"),
    (b"chr2\t1500\t.\t\tG\t.\t.\t.", "empty REF"),
    (b"#CHROM\tPOS", "header line ('#') after the first record"),
    (b"chr2\t100\t.\tA\x00\tG\t.\t.\t.", "control character in the text (binary data?)"),
])
def test_bad_lines_are_named_by_line_number(line: bytes, message: str) -> None:
    data = b"chr2\t1500\t.\tA\tG\t.\t.\t.\n" * 3 + line + b"\n"
    with pytest.raises(InputError, match=re.escape(f"test.vcf: line 4: {message}")):
        scan(data, 16)


@pytest.mark.parametrize("chunk", [100, 1 << 20])
def test_the_first_bad_line_is_named_whatever_is_wrong_with_the_later_ones(chunk: int) -> None:
    """Each check runs over a whole block: the first line one check refuses may come after a line that a later check
    refuses (a line without its last column, then a '#' line, was named by the '#' line)."""
    good = b"chr2\t1500\t.\tA\tG\t.\t.\t.\n"
    bad = {"columns": b"chr2\t1500\t.\tA\tG\t.\t.\n", "header": b"#CHROM\tPOS\n", "control": b"chr2\t1\x01\n",
           "pos": b"chr2\tx\t.\tA\tG\t.\t.\t.\n", "ref": b"chr2\t1500\t.\t\tG\t.\t.\t.\n"}
    messages = {"columns": "7 tab-separated columns", "header": "header line", "control": "control character",
                "pos": "POS 'x'", "ref": "empty REF"}
    for first, then, last in (("columns", "header", "control"), ("ref", "pos", "columns"), ("pos", "control", "ref"),
                              ("ref", "control", "header")):
        data = good * 2 + bad[first] + good + bad[then] + bad[last] + good
        with pytest.raises(InputError, match=re.escape(f"line 3: {messages[first]}")):
            scan(data, chunk)


def test_undeclared_contig_is_an_error_only_when_contigs_are_declared() -> None:
    data = b"".join(name + b"\t5\t.\tA\tG\t.\t.\t.\n" for name in (b"chr2", b"chrUn_KI270302v1", b"chrUn_KI270303v1"))
    assert scan(data, 20)[0] == []
    with pytest.raises(InputError, match="line 3: contig 'chrUn_KI270303v1' is not declared"):
        scan(data, 20, declared={"chr2", "chrUn_KI270302v1"})


@pytest.mark.parametrize(("chunk", "compare_bytes"), [(20, 1 << 22), (1 << 20, 1 << 22), (1 << 20, 60)])
def test_long_contig_names_that_differ_in_their_middle_are_told_apart(chunk: int, compare_bytes: int,
                                                                      monkeypatch) -> None:
    """Decoy and alt names share their first and last eight bytes; an undeclared one after a declared one is named
    (also when the names are compared a few at a time)."""
    monkeypatch.setattr(textscan, "_COMPARE_BYTES", compare_bytes)
    names = [b"chrUn_JTFH01000001v1_decoy"] * 4 + [b"chrUn_JTFH01000002v1_decoy"]
    data = b"".join(name + b"\t5\t.\tA\tG\t.\t.\t.\n" for name in names)
    with pytest.raises(InputError, match="line 5: contig 'chrUn_JTFH01000002v1_decoy' is not declared"):
        scan(data, chunk, declared={"chrUn_JTFH01000001v1_decoy"})
    assert scan(data, chunk, declared={"chrUn_JTFH01000001v1_decoy", "chrUn_JTFH01000002v1_decoy"})[2] == 5


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
    with pytest.raises((*ERRORS, EOFError)):
        b"".join(gunzip_chunks(io.BytesIO(broken)))


# ----------------------------------------------------------------------------- the quick pass
# Sorted bodies far from the regions are passed over in groups; every test below compares with the brute-force
# filter, so a group wrongly passed over shows up as a missing line.

FAR = [("2", 5_000_000, 5_002_000), ("2", 1000, 2000), ("2", 15_000_000, 15_001_000), ("2", 1_530_000, 1_531_000),
       ("X", 70_000_000, 70_050_000), ("X", 1_500_000, 1_510_000), ("X", 1_525_000, 1_525_500)]


def brute_force(data: bytes, spans: list[tuple[str, int, int]]) -> list[int]:
    regions = Regions(spans)
    hits = []
    for number, line in enumerate(data.decode().splitlines(), start=1):
        if not line:
            continue
        chrom, pos, _, ref = line.split("\t")[:4]
        if regions.overlaps(canonical_contig(chrom), int(pos), int(pos) + len(ref) - 1):
            hits.append(number)
    return hits


def sorted_body(n: int, seed: int) -> list[str]:
    """Sorted records on three contigs, POS of 7 to 9 digits (synthetic bases), some near FAR."""
    rng = np.random.default_rng(seed)
    lines = []
    for chrom in ("chr1", "chr2", "chrX"):
        positions = np.sort(rng.integers(1_000_000, 120_000_000, n // 3))
        if chrom != "chr1":
            positions = np.sort(np.concatenate([positions, rng.integers(4_999_000, 5_003_000, 20),
                                                rng.integers(69_999_000, 70_051_000, 20)]))
        for pos in positions.tolist():
            ref = "A" * int(rng.choice([1, 1, 1, 3, 40]))
            lines.append(f"{chrom}\t{pos}\t.\t{ref}\tG\t50\tPASS\t.")
    return lines


def quick_scan(lines: list[str], chunk: int = 1 << 20, spans=FAR) -> tuple[list[int], int, int]:
    """The quick and full passes only (no pass over whole pieces before them)."""
    data = "".join(line + "\n" for line in lines).encode()
    scanner = TextScanner(Regions(spans), set(), "test.vcf", 8)
    scanner._quiet_piece = lambda *args: 0
    out = io.BytesIO()
    result = scanner.scan((data[i:i + chunk] for i in range(0, len(data), chunk)), 1, out)
    assert result.candidate_lines == brute_force(data, spans)
    assert out.getvalue().decode().splitlines() == [lines[i - 1] for i in result.candidate_lines]
    return result.candidate_lines, result.records, result.records_skipped


@pytest.fixture
def small_groups(monkeypatch):
    monkeypatch.setattr(textscan, "GROUP_LINES", 16)
    monkeypatch.setattr(textscan, "FINE_LINES", 4)


@pytest.mark.parametrize("chunk", [100, 4096, 1 << 20])
def test_sorted_input_is_mostly_passed_over_and_exact(chunk: int, small_groups) -> None:
    lines = sorted_body(6000, seed=chunk)
    found, records, skipped = quick_scan(lines, chunk)
    assert records == len(lines)
    assert len(found) >= 20
    if chunk > 100:  # 100-byte chunks hold about two lines: too few for a group
        assert skipped > 0.9 * len(lines)


def test_default_groups_pass_over_a_large_sorted_body() -> None:
    lines = sorted_body(30000, seed=1)
    _, records, skipped = quick_scan(lines)
    assert skipped > 0.7 * records


@pytest.mark.parametrize("intruder", [
    "chr2\t5001000\t.\tA\tG\t50\tPASS\t.",  # out of order, inside a region
    "chr2\t1500\tab\tA\tG\t50\tPASS\t.",  # the group's leading digits, but fewer of them
    "chr2\t15000500\t.\tA\tG\t50\tPASS\t.",  # the group's leading digits, but more of them
    "chrX\t1503000\t.\tA\tG\t50\tPASS\t.",  # another contig, the same digits
    "2\t1500\t.\tA\tG\t50\tPASS\t.",  # another spelling of the contig
    "chr2\t05001000\t.\tA\tG\t50\tPASS\t.",  # a leading zero: 5001000, inside a region
    "chr2\t1505000\t.\t" + "A" * 30_001 + "\tG\t50\tPASS\t.",  # in the group's range, its REF reaches a region
])
def test_a_line_that_breaks_the_order_of_its_group_is_still_found(intruder: str, small_groups) -> None:
    lines = [f"chr2\t{1_500_000 + 100 * i}\t.\tA\tG\t50\tPASS\t." for i in range(64)]
    lines.insert(40, intruder)  # in the middle of a group whose first and last lines are far from every region
    found, _, skipped = quick_scan(lines)
    assert found == [41]
    assert skipped >= 48


def test_far_lines_are_still_checked_for_columns_and_control_characters(small_groups) -> None:
    lines = [f"chr2\t{30_000_000 + 100 * i}\t.\tA\tG\t50\tPASS\t." for i in range(64)]
    for bad, message in (("chr2\t30000350\t.\tA\tG\t50\tPASS", "line 37: 7 tab-separated columns"),
                         ("chr2\t30000350\t.\tA\x01\tG\t50\tPASS\t.", "line 37: control character")):
        with pytest.raises(InputError, match=message):
            quick_scan([*lines[:36], bad, *lines[36:]])


def test_an_empty_ref_far_from_every_region_is_passed_over(small_groups) -> None:
    """The trade-off: lines far from the panel are checked for CHROM, POS, column count and control characters
    only; as on the indexed route, which never reads them."""
    lines = [f"chr2\t{30_000_000 + 100 * i}\t.\tA\tG\t50\tPASS\t." for i in range(64)]
    lines[36] = "chr2\t30000350\t.\t\tG\t50\tPASS\t."
    assert quick_scan(lines)[1:] == (64, 64)


def test_positions_written_with_leading_zeros_are_read_as_numbers(small_groups) -> None:
    lines = [f"chrX\t0{1_520_000 + 10 * i}\t.\tA\tG\t50\tPASS\t." for i in range(64)]
    lines.insert(40, "chrX\t01525100\t.\tA\tG\t50\tPASS\t.")
    assert quick_scan(lines)[0] == [41]


def test_first_contig_is_the_first_records_even_after_blank_lines() -> None:
    scanner = TextScanner(Regions(SPANS), set(), "test.vcf", 8)
    result = scanner.scan(iter([b"\n\n", b"\nchr7\t5\t.\tA\tG\t.\t.\t.\n"]), 1, io.BytesIO())
    assert (result.first_contig, result.records, result.candidate_lines) == ("chr7", 1, [])


# ----------------------------------------------------------------------------- passing over whole pieces
# Each test compares with the brute-force filter; the order of the records does not matter.

def piece_scan(lines: list[str], chunk: int = 1 << 20, spans=FAR, declared: set[str] | None = None
               ) -> textscan.ScanResult:
    data = "".join(line + "\n" for line in lines).encode()
    scanner = TextScanner(Regions(spans), declared or set(), "test.vcf", 8)
    out = io.BytesIO()
    result = scanner.scan((data[i:i + chunk] for i in range(0, len(data), chunk)), 1, out)
    assert result.candidate_lines == brute_force(data, spans)
    assert out.getvalue().decode().splitlines() == [lines[i - 1] for i in result.candidate_lines]
    assert result.records == sum(1 for line in lines if line)
    return result


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(textscan, "PIECE_BYTES", 1000)  # about 30 records


@pytest.fixture(params=["compared", "found"])
def newlines(request, monkeypatch):
    """A piece's newlines by comparing every byte (short lines) or one by one with bytes.find (long lines, a
    cohort's): the same lines either way."""
    if request.param == "found":
        monkeypatch.setattr(textscan, "_LONG_LINE", 1)


@pytest.mark.parametrize(("chunk", "in_pieces"), [(100, 3801), (4096, 5675), (1 << 20, 5753)])
def test_pieces_far_from_every_region_are_only_counted(chunk: int, in_pieces: int, small_pieces, newlines) -> None:
    """(The whole lines of a 100-byte chunk, two or three, are a piece; a line cut by a chunk's end is read.)"""
    lines = sorted_body(6000, seed=chunk)
    result = piece_scan(lines, chunk)
    assert (result.records_in_pieces, result.first_contig) == (in_pieces, "chr1")
    assert len(result.candidate_lines) >= 20


def test_shuffled_records_are_found_as_well(small_pieces, newlines) -> None:
    lines = sorted_body(6000, seed=3)
    np.random.default_rng(3).shuffle(lines)
    assert len(piece_scan(lines).candidate_lines) >= 20


def test_a_piece_near_a_region_or_with_a_structural_allele_is_read(small_pieces) -> None:
    lines = [f"chr2\t{1_000_000 + 100 * i}\t.\tA\tG\t50\tPASS\t." for i in range(105)]  # three pieces
    assert piece_scan(lines).records_in_pieces == 105
    lines[45] = "chr2\t1004500\t.\tA\t<DEL>\t50\tPASS\tEND=5001500"  # reaches into 2:5000000-5002000
    data = "".join(line + "\n" for line in lines).encode()
    result = TextScanner(Regions(FAR), set(), "test.vcf", 8).scan(iter([data]), 1, io.BytesIO())
    assert (result.candidate_lines, result.records_in_pieces) == ([46], 71)  # the piece of line 46: lines 35-68
    near = [f"chr2\t{4_999_000 + 10 * i}\t.\tA\tG\t50\tPASS\t." for i in range(90)]  # ends 110 bp before a region
    assert piece_scan(near).records_in_pieces == 0  # a REF as long as its piece would reach the region


@pytest.mark.parametrize("intruder", [
    "chr2\t1530500\t.\tA\tG\t50\tPASS\t.",  # out of order on the same contig, in a region
    "chr2\t1007000\t.\tA\tG\t50\tPASS\t.",  # out of order on the same contig, far from every region
    "chrX\t1500500\t.\tA\tG\t50\tPASS\t.",  # another contig, in a region
    "chr2\t999\t.\tAAAAA\tG\t50\tPASS\t.",  # fewer digits, reaching into a region
    "chr2\t15000500\t.\tA\tG\t50\tPASS\t.",  # more digits, in a region
    "chr2\t01530500\t.\tA\tG\t50\tPASS\t.",  # a leading zero: in a region
    "chr2\t1003000\t.\t" + "A" * 1_000 + "\tG\t50\tPASS\t.",  # in range, the REF reaches no region
])
def test_a_record_anywhere_in_a_piece_is_found(intruder: str, small_pieces, newlines) -> None:
    lines = [f"chr2\t{1_000_000 + 100 * i}\t.\tA\tG\t50\tPASS\t." for i in range(105)]
    lines.insert(45, intruder)  # in the middle of a piece whose first and last records are far from every region
    assert piece_scan(lines).records_in_pieces >= 70  # the pieces around it are still passed over


@pytest.mark.parametrize(("bad", "message"), [
    ("#chr2\t1003000\t.\tA\tG\t50\tPASS\t.", "line 46: header line"),
    ("chr2\t1003000\t.\tA\tG\t50\tPASS", "line 46: 7 tab-separated columns"),
    ("chr2\t1003000\t.\tA\tG\t50\tPASS\t.\tGT", "line 46: 9 tab-separated columns"),
    ("chr2\t10030x0\t.\tA\tG\t50\tPASS\t.", "line 46: POS '10030x0'"),
    ("chr2\t1003000\t.\tA\x01\tG\t50\tPASS\t.", "line 46: control character"),
    ("chr9\t1003000\t.\tA\tG\t50\tPASS\t.", "line 46: contig 'chr9' is not declared"),
])
def test_a_bad_line_in_a_far_piece_is_named(bad: str, message: str, small_pieces, newlines) -> None:
    lines = [f"chr2\t{1_000_000 + 100 * i}\t.\tA\tG\t50\tPASS\t." for i in range(105)]
    lines.insert(45, bad)
    with pytest.raises(InputError, match=message):
        piece_scan(lines, declared={"chr2", "chrX"})


@pytest.mark.parametrize("pass_over", ["pieces", "groups"])
def test_record_lines_made_header_lines_are_named_without_declared_contigs(pass_over: str, small_pieces) -> None:
    """'#chr2 ...' lines would pass for records on a contig '#chr2', far from the panel, when the header declares
    no contigs: every pass refuses a '#' line."""
    lines = [f"chr2\t{1_000_000 + 100 * i}\t.\tA\tG\t50\tPASS\t." for i in range(30)]
    lines += [f"#chr2\t{1_003_000 + 100 * i}\t.\tA\tG\t50\tPASS\t." for i in range(100)]
    data = "".join(line + "\n" for line in lines).encode()
    scanner = TextScanner(Regions(FAR), set(), "test.vcf", 8)
    if pass_over == "groups":
        scanner._quiet_piece = lambda *args: 0
    with pytest.raises(InputError, match="line 31: header line"):
        scanner.scan(iter([data]), 1, io.BytesIO())


def test_crlf_structural_record_reaches_its_end() -> None:
    data = b"chr2\t900\t.\tN\t<DEL>\t.\tPASS\tEND=1500\r\nchr2\t700\t.\tN\t<DEL>\t.\tPASS\tEND=800\r\n"
    assert scan(data, 1 << 20)[0] == [1]


END_TYPES = {"Integer": "Number=1,Type=Integer", "Integer, any number": "Number=.,Type=Integer",
             "String": "Number=1,Type=String", "Float": "Number=1,Type=Float", "undeclared": None,
             "Integer, spaced": " Number=1, Type=Integer ", "Integer after a quoted Type": 'Number=1,Description="a,'
             'Type=String",Type=Integer', "String after a quoted Type": 'Number=1,Description="a,Type=Integer",'
             'Type=String'}


@pytest.mark.parametrize("declared", list(END_TYPES))
@pytest.mark.parametrize("end", ["1500", "+1500", "1500.0", "1500x", "abc", "-5", "", " 1500", "1500,1600", "1500,",
                                 "0000000000001500", "2147483647", "2147483648", "99999999999999999999", "9" * 5000,
                                 "1200;END=1500", "1500;END=1200", "100;END=1500", ".;END=1500", "1500;END=100",
                                 "1500;END=.", "1500,1;END=1200", "1200;END=1500,1"])
def test_structural_end_is_read_as_htslib_reads_it(tmp_path, end: str, declared: str) -> None:
    """The oracle is htslib (what the indexed and BCF routes use): it reads an END declared Integer, one value, with
    a leading '+' and the digits before any other character, and sets one beyond 2^31-1 to missing (a 20-digit END
    was an internal error here, a 5000-digit one an error without a line)."""
    line = f"chr2\t900\t.\tN\t<DEL>\t.\tPASS\tEND={end}"
    header = ["##fileformat=VCFv4.2", "##contig=<ID=chr2>", '##ALT=<ID=DEL,Description="Deletion">',
              *([f'##INFO=<ID=END,{END_TYPES[declared]},Description="End">'] if END_TYPES[declared] else []),
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"]
    path = tmp_path / "end.vcf"
    path.write_text("\n".join([*header, line]) + "\n")
    variant = next(iter(cyvcf2.VCF(str(path))))
    expected = [1] if Regions(SPANS).overlaps("2", 900, reach(variant)) else []
    header_bytes = ("\n".join(header) + "\n").encode()
    scanner = TextScanner(Regions(SPANS), set(), "test.vcf", 8, reads_end=reads_end(header_bytes))
    assert scanner.scan(iter([line.encode() + b"\n"]), 1, io.BytesIO()).candidate_lines == expected


def test_a_crlf_blank_first_line_is_no_contig() -> None:
    scanner = TextScanner(Regions(SPANS), set(), "test.vcf", 8)
    result = scanner.scan(iter([b"\r\nchr7\t5\t.\tA\tG\t.\t.\t.\r\n"]), 1, io.BytesIO())
    assert (result.first_contig, result.records) == ("chr7", 1)


def test_crlf_blank_lines_are_blank_lines() -> None:
    data = b"chr2\t1500\t.\tA\tG\t.\t.\t.\r\n\r\nchr2\t1600\t.\tA\tG\t.\t.\t.\r\n"
    assert scan(data, 1 << 20)[0::2] == ([1, 3], 2)


def test_blank_lines_in_a_far_piece_are_not_records(small_pieces, newlines) -> None:
    lines = [f"chr2\t{1_000_000 + 100 * i}\t.\tA\tG\t50\tPASS\t." for i in range(105)]
    lines[45:45] = ["", ""]
    assert piece_scan(lines).records == 105


def test_pieces_cut_by_chunks_give_the_same_lines(small_pieces) -> None:
    lines = sorted_body(3000, seed=8)
    data = "".join(line + "\n" for line in lines).encode()
    for chunk in (777, 1500, 9999):
        assert piece_scan(lines, chunk).candidate_lines == brute_force(data, FAR)


@pytest.mark.parametrize("first_chunk_lines", [0, 30])
def test_an_empty_ref_far_from_every_region_is_passed_over_however_the_input_is_cut(first_chunk_lines: int) -> None:
    """A far line with an empty REF was named when it shared a segment (FINE_LINES) with a line near a region, and
    passed over otherwise: the same file failed as plain text and passed as bgzip (whose chunks are cut elsewhere).
    An empty REF is an error on a line that reaches a region (or the other build's), whatever the chunks."""
    lines = [f"chr2\t{100_000 + i}\t.\tA\tG\t.\t.\t." for i in range(199)] + ["chr2\t1500\t.\tA\tG\t.\t.\t."]
    lines[149] = "chr2\t100149\t.\t\tG\t.\t.\t."
    for near_ref, error in (("A", None), ("", "line 200: empty REF")):
        lines[199] = f"chr2\t1500\t.\t{near_ref}\tG\t.\t.\t."
        data = "".join(line + "\n" for line in lines).encode()
        cut = sum(len(line) + 1 for line in lines[:first_chunk_lines])
        chunks = [data[:cut], data[cut:]] if cut else [data]
        scanner = TextScanner(Regions(SPANS), set(), "test.vcf", 8)
        if error is None:
            result = scanner.scan(iter(chunks), 1, io.BytesIO())
            assert (result.candidate_lines, result.records) == ([200], 200)
        else:
            with pytest.raises(InputError, match=error):
                scanner.scan(iter(chunks), 1, io.BytesIO())
