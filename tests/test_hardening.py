"""Inputs that once crashed or misled: each one ends in exit 0 with the right report, or exit 2 with one line
naming the file and the line, and no output file. The damaged corpus at the end sweeps the same ground wider.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pysam
import pytest

from conftest import body, data_rows, run_cli, table, vcf_text, write_vcf
from corpus import broken_promises, build_cases, exit_counts, run_corpus, truncations

EXAMPLES = Path(__file__).resolve().parents[1] / "example_vcfs"
SINGLE = EXAMPLES / "single_exome.vcf"


def _variant(tmp: Path, name: str, lines: list[str], route: str) -> Path:
    """The example exome rewritten as `lines`, read by `route`: streamed (plain), indexed (bgzip + tbi)."""
    plain = tmp / f"{name}.vcf"
    plain.write_text("\n".join(lines) + "\n")
    if route == "streamed":
        return plain
    packed = tmp / f"{name}.vcf.gz"
    pysam.tabix_compress(str(plain), str(packed), force=True)
    pysam.tabix_index(str(packed), preset="vcf", force=True)
    return packed


def _lines() -> list[str]:
    return SINGLE.read_text().rstrip("\n").split("\n")


def _refused(result, output: Path, message: str) -> None:
    assert result.code == 2, result.err
    assert result.err == f"hftc-annot: error: {message}\n"
    assert not output.exists() and not list(output.parent.glob(".hftc-annot-*"))


@pytest.mark.parametrize("route", ["streamed", "indexed"])
def test_missing_fileformat_line_is_supplied_with_a_warning(tmp_path: Path, route: str) -> None:
    expected = run_cli(SINGLE, "-o", tmp_path / "expected.tsv", "--build", "GRCh38")
    path = _variant(tmp_path, "nofmt", [line for line in _lines() if not line.startswith("##fileformat")], route)
    result = run_cli(path, "-o", tmp_path / "out.tsv", "--build", "GRCh38")
    assert result.code == 0, result.err
    assert f"hftc-annot: warning: {path}: the header has no ##fileformat line; read as VCFv4.2\n" in result.err
    if route == "indexed":
        assert (f"warning: htslib cannot read the header of {path}, so its index is not used (streaming the whole "
                "file)") in result.err
    assert body((tmp_path / "out.tsv").read_text()) == body((tmp_path / "expected.tsv").read_text())
    assert expected.code == 0


def test_fileformat_line_out_of_place_is_moved(tmp_path: Path) -> None:
    lines = _lines()
    moved = [*lines[1:5], lines[0], *lines[5:]]
    result = run_cli(_variant(tmp_path, "moved", moved, "streamed"), "-o", tmp_path / "out.tsv")
    assert result.code == 0, result.err
    assert "the ##fileformat line is not the first header line; read as if it were" in result.err


@pytest.mark.parametrize("route", ["streamed", "indexed"])
def test_header_only_vcf_without_fileformat(tmp_path: Path, route: str) -> None:
    header = [line for line in _lines() if line.startswith("#") and not line.startswith("##fileformat")]
    result = run_cli(_variant(tmp_path, "empty", header, route), "-o", tmp_path / "out.tsv", "--build", "GRCh38")
    assert result.code == 0, result.err
    assert body((tmp_path / "out.tsv").read_text()).startswith("chrom\tpos\t")
    assert len(body((tmp_path / "out.tsv").read_text()).splitlines()) == 1


def test_headerless_records_are_refused(tmp_path: Path) -> None:
    path = _variant(tmp_path, "headerless", [line for line in _lines() if not line.startswith("#")], "streamed")
    _refused(run_cli(path, "-o", tmp_path / "out.tsv", "--build", "GRCh37"), tmp_path / "out.tsv",
             f"{path}: not a VCF: it does not start with '##fileformat=VCF' or '#CHROM' header lines")


def test_records_without_a_chrom_line_are_refused(tmp_path: Path) -> None:
    path = _variant(tmp_path, "nochrom", [line for line in _lines() if not line.startswith("#CHROM")], "streamed")
    _refused(run_cli(path, "-o", tmp_path / "out.tsv", "--build", "GRCh38"), tmp_path / "out.tsv",
             f"{path}: not a VCF: no '#CHROM' header line before the first record")


@pytest.mark.parametrize("route", ["streamed", "indexed"])
def test_duplicated_and_malformed_definitions_are_read(tmp_path: Path, route: str) -> None:
    lines = _lines()
    extra = ['##INFO=<ID=DP,Number=1,Type=String,Description="DP again">',
             '##FORMAT=<ID=GQ,Number=1,Type=Integer,Description="GQ again">', "##INFO=<ID=BROKEN,Number=1", "##"]
    path = _variant(tmp_path, "defs", [lines[0], *extra, *lines[1:]], route)
    result = run_cli(path, "-o", tmp_path / "out.tsv", "--build", "GRCh38")
    assert result.code == 0, result.err
    expected = run_cli(SINGLE, "-o", tmp_path / "expected.tsv")
    assert body((tmp_path / "out.tsv").read_text()) == body((tmp_path / "expected.tsv").read_text())
    assert expected.code == 0


def test_header_line_htslib_cannot_parse_is_named(tmp_path: Path) -> None:
    lines = _lines()
    path = _variant(tmp_path, "badformat", ["##fileformat=banana", *lines[1:]], "streamed")
    _refused(run_cli(path, "-o", tmp_path / "out.tsv", "--build", "GRCh38"), tmp_path / "out.tsv",
             f"{path}: line 1: htslib cannot parse this header line")


def test_header_line_in_the_middle_is_found_by_bisection(tmp_path: Path) -> None:
    lines = _lines()
    lines.insert(20, '##INFO=<ID=CLASH,Number=1,Type=Integer,Description="IDX taken by PASS",IDX=0>')
    path = _variant(tmp_path, "clash", lines, "streamed")
    _refused(run_cli(path, "-o", tmp_path / "out.tsv"), tmp_path / "out.tsv",
             f"{path}: line 21: htslib cannot parse this header line")


def test_nul_in_header_is_refused(tmp_path: Path) -> None:
    lines = _lines()
    lines[3] = lines[3][:20] + "\0" + lines[3][20:]
    path = _variant(tmp_path, "nul", lines, "streamed")
    _refused(run_cli(path, "-o", tmp_path / "out.tsv", "--build", "GRCh38"), tmp_path / "out.tsv",
             f"{path}: line 4: header line holds a NUL or other control character")


@pytest.mark.parametrize(("columns", "message"), [
    (["#CHROM", "POS", "ID", "REFERENCE", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "PATIENT1"],
     "not a VCF: the #CHROM line must start with the 8 fixed tab-separated columns "
     "#CHROM\\tPOS\\tID\\tREF\\tALT\\tQUAL\\tFILTER\\tINFO"),
    (["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "PATIENT1", "OTHER"],
     "line {first}: 10 tab-separated columns where the #CHROM line has 11"),
])
def test_chrom_line_with_other_columns_is_refused(tmp_path: Path, columns: list[str], message: str) -> None:
    lines = _lines()
    chrom = next(i for i, line in enumerate(lines) if line.startswith("#CHROM"))
    lines[chrom] = "\t".join(columns)
    path = _variant(tmp_path, "columns", lines, "streamed")
    where = "" if "{first}" in message else f"line {chrom + 1}: "
    _refused(run_cli(path, "-o", tmp_path / "out.tsv", "--build", "GRCh38"), tmp_path / "out.tsv",
             f"{path}: {where}{message.format(first=chrom + 2)}")


@pytest.mark.parametrize("route", ["streamed", "indexed", "BCF"])
def test_file_cut_at_a_block_boundary_is_refused(tmp_path: Path, route: str) -> None:
    """A bgzipped VCF or BCF that ends exactly after a block reads as complete unless its end-of-file block
    is checked; the indexed route used to hang in htslib's threaded reader on such a file."""
    lines = _lines()
    chrom = next(i for i, line in enumerate(lines) if line.startswith("#CHROM"))
    big = tmp_path / "big.vcf"
    big.write_text("\n".join(lines[:chrom + 1] + [line for line in lines[chrom + 1:] for _ in range(6)]) + "\n")
    if route == "BCF":
        packed = tmp_path / "big.bcf"
        with pysam.VariantFile(str(big)) as source, pysam.VariantFile(str(packed), "wb", header=source.header) as out:
            for record in source:
                out.write(record)
    else:
        packed = tmp_path / "big.vcf.gz"
        pysam.tabix_compress(str(big), str(packed), force=True)
    cut = tmp_path / ("cut" + "".join(packed.suffixes))
    cut.write_bytes(dict(truncations(packed.read_bytes()))["cut_at_block_2"])
    if route == "indexed":
        pysam.tabix_index(str(packed), preset="vcf", force=True)
        shutil.copyfile(str(packed) + ".tbi", str(cut) + ".tbi")
    result = run_cli(cut, "-o", tmp_path / "out.tsv", "--threads", "2")
    _refused(result, tmp_path / "out.tsv", f"{cut}: the compressed file ends early: no BGZF end-of-file block "
             "(truncated download or copy?)")


@pytest.mark.parametrize("route", ["streamed", "indexed", "BCF"])
def test_format_dot_is_read_and_a_record_without_sample_columns_is_not(tmp_path: Path, route: str) -> None:
    """FORMAT '.' (no fields, samples kept) is legal VCF on every route; a panel record cut after INFO is refused
    on every route, where htslib would drop it from the annotated VCF without a word."""
    lines = _lines()
    at = next(i for i, line in enumerate(lines) if "\tclinvar:7801\t" in line)
    fields = lines[at].split("\t")
    cases = [("dot", fields[:8] + ["."] * len(fields[8:]), 0), ("cut", fields[:8], 2)]
    for name, record, expected in cases[:1] if route == "BCF" else cases:  # pysam cannot write a cut record
        changed = [*lines[:at], "\t".join(record), *lines[at + 1:]]
        path = _variant(tmp_path, name, changed, "streamed" if route == "BCF" else route)
        if route == "BCF":
            packed = tmp_path / f"{name}.bcf"
            with pysam.VariantFile(str(path)) as source, pysam.VariantFile(str(packed), "wb",
                                                                           header=source.header) as out:
                for item in source:
                    out.write(item)
            path = packed
        result = run_cli(path, "-o", tmp_path / f"{name}.out.vcf")
        assert result.code == expected, result.err
        if expected == 0:
            assert f"{fields[0]}\t{fields[1]}\t" in (tmp_path / f"{name}.out.vcf").read_text()
        elif route == "streamed":
            assert f"line {at + 1}: 8 tab-separated columns where the #CHROM line has 10" in result.err
        else:
            assert f"record chr2:{fields[1]} has no FORMAT and sample columns, but the header names 1 samples" \
                in result.err


def test_stdin_bcf_copy_is_removed_when_refused(tmp_path: Path) -> None:
    bcf = tmp_path / "in.bcf"
    with pysam.VariantFile(str(SINGLE)) as source, pysam.VariantFile(str(bcf), "wb", header=source.header) as out:
        for record in source:
            out.write(record)
    env = {**os.environ, "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    result = run_cli("-", "-o", tmp_path / "out.tsv", stdin=bcf.read_bytes()[:-28], env=env)
    _refused(result, tmp_path / "out.tsv", "<stdin>: the compressed BCF ends early: no BGZF end-of-file block "
             "(truncated?)")
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("kind", ["vcf", "bgzip", "bcf"])
@pytest.mark.parametrize("first_write", [None, 1])
def test_a_pipe_named_by_path_is_read_once(tmp_path: Path, kind: str, first_write: int | None) -> None:
    """`hftc-annot <(zcat x.vcf.gz)`, or a FIFO: read from one handle, as stdin is, not sniffed and then reopened;
    its kind is told from its first 64 KiB however the writer cuts them (here: one byte, a pause, the rest)."""
    inputs = {"vcf": SINGLE, "bgzip": tmp_path / "in.vcf.gz", "bcf": tmp_path / "in.bcf"}
    pysam.tabix_compress(str(SINGLE), str(inputs["bgzip"]))
    with pysam.VariantFile(str(SINGLE)) as source, pysam.VariantFile(str(inputs["bcf"]), "wb",
                                                                     header=source.header) as out:
        for record in source:
            out.write(record)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    slowly = f'head -c {first_write} "{inputs[kind]}"; sleep 0.3; tail -c +{first_write + 1} "{inputs[kind]}"' \
        if first_write else f'cat "{inputs[kind]}"'
    writer = subprocess.Popen(["sh", "-c", f'({slowly}) > "{fifo}"'])
    piped = run_cli(fifo, "-o", tmp_path / "piped.tsv")
    writer.wait(timeout=60)
    assert (piped.code, "330 records read, 26 in panel regions" in piped.err) == (0, True), piped.err
    assert run_cli(SINGLE, "-o", tmp_path / "file.tsv").code == 0
    assert body((tmp_path / "piped.tsv").read_text()) == body((tmp_path / "file.tsv").read_text())
    assert list(tmp_path.glob("hftc-annot-*")) == []


def test_stdin_is_named_stdin_when_its_compression_is_cut(tmp_path: Path) -> None:
    bgz = tmp_path / "in.vcf.gz"
    pysam.tabix_compress(str(SINGLE), str(bgz))
    result = run_cli("-", "-o", tmp_path / "out.tsv", stdin=bgz.read_bytes()[:100])
    _refused(result, tmp_path / "out.tsv", "<stdin>: cannot read: the compressed file ends early (truncated download "
             "or copy?)")


def _grch37_without_build_facts(tmp: Path, route: str) -> Path:
    lines = [line for line in (EXAMPLES / "grch37_exome.vcf").read_text().rstrip("\n").split("\n")
             if not line.startswith(("##contig", "##reference"))]
    return _variant(tmp, "b37", lines, route)


@pytest.mark.parametrize("route", ["streamed", "indexed"])
@pytest.mark.parametrize("fmt", ["tsv", "vcf"])
def test_wrong_build_is_not_reported_as_no_findings(tmp_path: Path, route: str, fmt: str) -> None:
    path = _grch37_without_build_facts(tmp_path, route)
    out = tmp_path / f"out.{fmt}"
    result = run_cli(path, "-o", out, "--build", "GRCh38")
    assert result.code == 0, result.err
    message = ("0 records in GRCh38 panel regions, but 8 would be in GRCh37 panel regions: is this file GRCh37? "
               "(use --build GRCh37)")
    assert f"hftc-annot: warning: {message}\n" in result.err
    text = out.read_text()
    assert (f"## build_check: {message}\n" if fmt == "tsv" else f"##hftc-annot_build_check={message}\n") in text
    right = run_cli(path, "-o", tmp_path / "right.tsv", "--build", "GRCh37")
    assert right.code == 0 and "build_check" not in right.err + (tmp_path / "right.tsv").read_text()


def test_header_build_that_the_records_contradict_is_questioned(tmp_path: Path) -> None:
    lines = [line for line in (EXAMPLES / "grch37_exome.vcf").read_text().rstrip("\n").split("\n")
             if not line.startswith(("##contig", "##reference"))]
    path = _variant(tmp_path, "claims38", [lines[0], "##reference=GRCh38", *lines[1:]], "streamed")
    result = run_cli(path, "-o", tmp_path / "out.tsv")
    assert result.code == 0, result.err
    assert ("warning: 0 records in GRCh38 panel regions, but 8 would be in GRCh37 panel regions: the header says "
            "GRCh38 (header line ##reference=GRCh38); do the records and the header agree?\n") in result.err


@pytest.mark.parametrize("route", ["streamed", "indexed"])
def test_chr_in_any_letter_case_is_read_on_every_route(tmp_path: Path, route: str) -> None:
    """'Chr1' and 'CHR2' are chr1 and chr2 on every route (the text scan missed them, the index did not)."""
    prefixes = {"chr1": "Chr1", "chr2": "CHR2"}
    lines = [re.sub(r"^chr[12]\b", lambda m: prefixes[m.group(0)], line) for line in _lines()
             if not line.startswith("##contig")]
    renamed = run_cli(_variant(tmp_path, "names", lines, route), "--build", "GRCh38")
    original = run_cli(SINGLE, "--build", "GRCh38")
    assert renamed.code == 0 and original.code == 0, renamed.err
    rows = [[prefixes[r[0]], *r[1:14]] for r in data_rows(original.out) if r[0] in prefixes]  # chrom .. HGVS c.
    assert len(rows) == 9 and rows == [r[:14] for r in data_rows(renamed.out) if r[0] in prefixes.values()]


@pytest.mark.parametrize("route", ["streamed", "indexed"])
def test_unmapped_contig_names_are_named(tmp_path: Path, route: str) -> None:
    lines = [line.replace("chr", "ch", 1) if not line.startswith("#") else line for line in _lines()
             if not line.startswith("##contig")]
    result = run_cli(_variant(tmp_path, "names", lines, route), "-o", tmp_path / "out.tsv",
                     "--build", "GRCh38")
    assert result.code == 0, result.err
    assert ("warning: 0 records in GRCh38 panel regions, and the input's first contig 'ch1' is not a chromosome "
            "name hftc-annot reads (1-22, X, Y, MT, with or without 'chr'): rename the contigs, e.g. with bcftools "
            "annotate --rename-chrs\n") in result.err


def test_correct_runs_have_no_build_check(tmp_path: Path) -> None:
    for path in (SINGLE, EXAMPLES / "single_exome.vcf.gz", EXAMPLES / "trio.vcf", EXAMPLES / "grch37_exome.vcf"):
        result = run_cli(path, "-o", tmp_path / "out.tsv")
        assert result.code == 0 and "build_check" not in result.err + (tmp_path / "out.tsv").read_text()


def test_unknown_sample_error_lists_every_name_when_few(tmp_path: Path) -> None:
    result = run_cli(EXAMPLES / "trio.vcf", "--samples", "child", "-o", tmp_path / "out.tsv")
    _refused(result, tmp_path / "out.tsv", f"--samples: 'child' is not a sample of {EXAMPLES / 'trio.vcf'} (names "
             "are case-sensitive; it has 3: CHILD, FATHER, MOTHER)")


def test_help_example_names_the_shipped_trio() -> None:
    assert "--samples CHILD,MOTHER" in run_cli("--help").out


def test_damaged_corpus(tmp_path: Path) -> None:
    """Every damaged input (see tests/corpus.py) through every route it can take, with and without --build
    GRCh37 and with VCF output: exit 0, or exit 2 with one line and no output; no traceback, no hang."""
    (tmp_path / "in").mkdir()
    cases = build_cases(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    outcomes, child_stderr, child_code = run_corpus(
        cases, ((), ("--build", "GRCh37"), ("--format", "vcf")), out, timeout=240)
    assert child_code == 0 and len(outcomes) == 3 * len(cases), child_stderr
    assert broken_promises(outcomes, out) == []
    assert "[E::" not in child_stderr and "[W::" not in child_stderr and "Traceback" not in child_stderr
    counts = exit_counts(outcomes)
    assert set(counts) == {0, 2} and counts[2] > 100 and counts[0] > 100, counts


def test_undeclared_info_key(tmp_path: Path) -> None:
    """htslib reads a record whose INFO key the header lacks (with its own warning, which never reaches
    stderr), but cannot write it back: the TSV report works, the annotated VCF is refused with the key named."""
    lines = [line for line in _lines() if not line.startswith("##INFO=<ID=SVTYPE")]
    path = _variant(tmp_path, "undeclared", lines, "streamed")
    result = run_cli(path, "-o", tmp_path / "out.tsv")
    assert result.code == 0 and "[W::" not in result.err and "[E::" not in result.err
    line = next(number for number, text in enumerate(lines, 1) if "SVTYPE=" in text)
    _refused(run_cli(path, "-o", tmp_path / "out.vcf"), tmp_path / "out.vcf",
             f"{path}: line {line}: INFO/SVTYPE not declared in the header, so the record cannot be written to the "
             "annotated VCF; add the ##INFO/##FORMAT/##FILTER line (bcftools annotate -h)")


def test_undeclared_filter_is_named(tmp_path: Path) -> None:
    """An undeclared FILTER is as unwritable as an undeclared INFO key: the error names it."""
    path = write_vcf(tmp_path / "in.vcf", ["chr2 165754626 . C T 50 q10 . GT 0/1"])
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "\tq10\t" in text)
    _refused(run_cli(path, "-o", tmp_path / "out.vcf"), tmp_path / "out.vcf",
             f"{path}: line {line}: FILTER/q10 not declared in the header, so the record cannot be written to the "
             "annotated VCF; add the ##INFO/##FORMAT/##FILTER line (bcftools annotate -h)")



def test_an_infinite_float_gq_is_written_as_read(tmp_path: Path) -> None:
    """GQ and DP declared Float (as some callers do) may be inf: the report shows it (it stopped with OverflowError)."""
    text = vcf_text(["chr2 165754626 . C T 50 PASS . GT:GQ:DP 0/1:inf:30.5"])
    path = tmp_path / "in.vcf"
    path.write_text(text.replace("ID=GQ,Number=1,Type=Integer", "ID=GQ,Number=1,Type=Float")
                    .replace("ID=DP,Number=1,Type=Integer", "ID=DP,Number=1,Type=Float"))
    result = run_cli(path, "-q")
    assert result.code == 0, result.err
    assert [(r["genotype"], r["gq"], r["dp"]) for r in table(result.out)] == [("0/1", "inf", "30.50")]
    result = run_cli(path, "-q", "--format", "json")
    assert result.code == 0, result.err
    assert [(r["gq"], r["dp"]) for r in json.loads(result.out)["rows"]] == [("inf", "30.50")]
