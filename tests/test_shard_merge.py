"""--shard K/N over the panel genes and 'hftc-annot merge': merged shards equal one whole-panel run."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pysam
import pytest

from hftc_annot import __version__
from hftc_annot.errors import UsageError
from hftc_annot.merge_checks import EQUAL, RULES, check_same, contig_order
from hftc_annot.panel import load_panel, shard_genes
from hftc_annot.provenance import Provenance
from hftc_annot.run import vcf_meta
from hftc_annot.writers.tsv import COLUMNS

from conftest import body, data_rows, run_cli, write_vcf

EXAMPLES = Path(__file__).resolve().parents[1] / "example_vcfs"
COLUMN_POS = COLUMNS.index("pos")


def vcf_lines(path: Path) -> list[str]:
    """An annotated VCF's lines, without the one header line that names the command."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        return [line for line in handle if not line.startswith("##hftc-annot_command=")]


@pytest.mark.parametrize("vcf, extra, shards", [
    ("single_exome.vcf.gz", (), 3),
    ("trio.vcf", ("--ped", str(EXAMPLES / "trio.ped")), 4),
])
def test_merged_shards_equal_one_run(tmp: Path, vcf: str, extra: tuple[str, ...], shards: int) -> None:
    source = EXAMPLES / vcf
    for suffix in ("tsv", "vcf.gz"):
        whole = tmp / f"whole.{suffix}"
        assert run_cli(source, *extra, "-q", "-o", whole).code == 0
        parts = []
        for k in range(1, shards + 1):
            part = tmp / f"part{k}.{suffix}"
            assert run_cli(source, *extra, "-q", "--shard-by", "gene", "--shard", f"{k}/{shards}", "-o", part).code == 0
            parts.append(part)
        merged = tmp / f"merged.{suffix}"
        result = run_cli("merge", "-o", merged, *reversed(parts))  # argument order does not matter
        assert result.code == 0, result.err
        if suffix == "tsv":
            assert body(merged.read_text()) == body(whole.read_text())
            assert len(data_rows(merged.read_text())) == len(data_rows(whole.read_text())) > 10
            assert f"## panel: {len(load_panel('GRCh38').genes)} genes (merged), padding 5000 bp" in merged.read_text()
        else:
            assert vcf_lines(merged) == vcf_lines(whole)


def test_a_record_the_input_holds_twice_merges_as_one_run_writes_it(tmp: Path) -> None:
    """A record written twice in the input (two callers' files joined) gives two equal rows, and two equal records,
    in one run; merge refused the shard that holds them ('a row or record written twice'), so a sharded run failed
    where one run worked (found by review)."""
    lines = (EXAMPLES / "trio.vcf").read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("chr2\t165754626\t"))  # GALNT3 c.1626+1G>A
    source = tmp / "twice.vcf"
    source.write_text("".join(lines[:at + 1] + lines[at:]))
    for suffix in ("tsv", "vcf"):
        whole = tmp / f"whole.{suffix}"
        assert run_cli(source, "-q", "-o", whole).code == 0
        parts = [tmp / f"part{k}.{suffix}" for k in (1, 2)]
        for k, part in enumerate(parts, 1):
            assert run_cli(source, "-q", "--shard", f"{k}/2", "-o", part).code == 0
        merged = tmp / f"merged.{suffix}"
        result = run_cli("merge", "-o", merged, *parts)
        assert result.code == 0, result.err
        if suffix == "tsv":
            assert body(merged.read_text()) == body(whole.read_text())
            assert sum(row[1] == "165754626" for row in data_rows(merged.read_text())) == 6  # 3 carriers, twice
        else:
            assert vcf_lines(merged) == vcf_lines(whole)
            assert sum(line.startswith("chr2\t165754626\t") for line in vcf_lines(merged)) == 2


def test_a_line_break_in_a_shard_name_stays_inside_the_merged_command_line(tmp: Path) -> None:
    """merge's own ##hftc-annot_command line names its inputs: a line break in one is written \\n (it cut the
    header line in two, and bcftools could not read the merged VCF)."""
    parts = []
    for k in (1, 2):
        part = tmp / f"p\n{k}.vcf"
        assert run_cli(EXAMPLES / "single_exome.vcf.gz", "-q", "--shard", f"{k}/2", "-o", part).code == 0
        parts.append(part)
    merged = tmp / "merged.vcf"
    subprocess.run([sys.executable, "-m", "hftc_annot", "merge", "-o", merged, *parts], check=True, timeout=300)
    lines = merged.read_text().splitlines()
    header = lines[:next(i for i, line in enumerate(lines) if line.startswith("#CHROM\t"))]
    assert all(line.startswith("##") for line in header)
    assert sum(line.startswith("##hftc-annot_command=hftc-annot merge") for line in header) == 1


def test_merge_of_samples_keeps_each_samples_rows(tmp: Path) -> None:
    single, trio = tmp / "single.tsv", tmp / "trio.tsv"
    assert run_cli(EXAMPLES / "single_exome.vcf.gz", "-q", "-o", single).code == 0
    assert run_cli(EXAMPLES / "trio.vcf", "-q", "-o", trio).code == 0
    merged = tmp / "cohort.tsv"
    assert run_cli("merge", "-o", merged, trio, single).code == 0
    rows = data_rows(merged.read_text())
    assert rows == data_rows(single.read_text()) + data_rows(trio.read_text())  # input paths sorted: single_ first
    assert "## samples: 4 (PATIENT1,CHILD,FATHER,MOTHER)" in merged.read_text()


def test_merge_refuses_mixed_inputs(tmp: Path) -> None:
    single, other, b37 = tmp / "single.tsv", tmp / "single_again.tsv", tmp / "b37.tsv"
    assert run_cli(EXAMPLES / "single_exome.vcf.gz", "-q", "-o", single).code == 0
    assert run_cli(EXAMPLES / "grch37_exome.vcf", "-q", "-o", b37).code == 0
    assert run_cli(EXAMPLES / "single_exome.vcf.gz", "-q", "--genes", "GALNT3", "-o", other).code == 0
    older = tmp / "older.tsv"
    older.write_text(single.read_text().replace(f"## hftc-annot {__version__}", "## hftc-annot 0.0.9", 1))
    vcf = tmp / "single.vcf.gz"
    assert run_cli(EXAMPLES / "single_exome.vcf.gz", "-q", "-o", vcf).code == 0
    cases = {
        (single, b37): "different build",
        (single, older): f"different hftc-annot version ('0.0.9' vs '{__version__}')",
        (single, other): "both report GALNT3 of the same input",
        (single, vcf): "cannot merge TSV reports with VCFs",
        (single, EXAMPLES / "trio.ped"): "not an hftc-annot TSV report",
    }
    for inputs, message in cases.items():
        out = tmp / "merged.tsv"
        result = run_cli("merge", "-o", out, *inputs)
        assert result.code == 2 and message in result.err and result.err.count("\n") == 1, (inputs, result.err)
        assert not out.exists()
    result = run_cli("merge", "-o", single, single)
    assert result.code == 2 and "is one of the inputs" in result.err


def test_shards_keep_overlapping_genes_together_and_cover_the_panel() -> None:
    genes = load_panel("GRCh38").genes
    for padding in (5000, 2_000_000):
        groups = shard_genes(genes, padding, 6)
        assert sorted(g for group in groups for g in group) == sorted(g.symbol for g in genes)
        shard_of = {g: i for i, group in enumerate(groups) for g in group}
        for a in genes:
            for b in genes:
                overlap = a.start - padding <= b.end + padding and b.start - padding <= a.end + padding
                if a.contig == b.contig and overlap:
                    assert shard_of[a.symbol] == shard_of[b.symbol], (a.symbol, b.symbol, padding)
    assert shard_genes(genes, 5000, 6) == shard_genes(genes, 5000, 6)


def test_panel_lists_shards_and_shard_option_errors(tmp: Path) -> None:
    result = run_cli("panel", "--shards", "4")
    rows = [line.split("\t") for line in result.out.splitlines()]
    assert rows[0][-1] == "shard" and {r[-1] for r in rows[1:]} == {"1/4", "2/4", "3/4", "4/4"}
    bad = run_cli(EXAMPLES / "trio.vcf", "--shard", "5/4")
    assert bad.code == 2 and "is not K/N with 1 <= K <= N" in bad.err
    both = run_cli(EXAMPLES / "trio.vcf", "--shard", "1/4", "--genes", "KL")
    assert both.code == 2 and "--shard cannot be combined with --genes" in both.err
    many = run_cli(EXAMPLES / "trio.vcf", "--shard", "1/60", "-o", tmp / "x.tsv")
    assert many.code == 2 and "cannot make 60 shards: the 49 genes form only 49 groups" in many.err
    assert not (tmp / "x.tsv").exists()


def test_parts_of_a_family_split_run_merge_only_as_a_complete_set(tmp: Path) -> None:
    """hftc-annot hail writes part K of N (tests/test_hail.py runs it); here the parts are made by marking the
    halves of one report, so merge's checks are tested without Hail."""
    whole = tmp / "whole.tsv"
    assert run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "-q", "-o", whole).code == 0
    lines = whole.read_text().splitlines(keepends=True)
    preamble = [line for line in lines if line.startswith("## ")]
    header, *rows = [line for line in lines if not line.startswith("## ")]

    def part(name: str, marker: str, chosen: list[str], run: str = "a1b2c3") -> Path:
        path = tmp / name
        path.write_text("".join(preamble[:3] + [f"## part: {marker} (run {run}; the rows of some families)\n"]
                                + preamble[3:] + [header] + chosen))
        return path

    one, two = part("p1.tsv", "1 of 2", rows[::2]), part("p2.tsv", "2 of 2", rows[1::2])
    merged = tmp / "merged.tsv"
    result = run_cli("merge", "-o", merged, two, one)
    assert result.code == 0, result.err
    assert body(merged.read_text()) == body(whole.read_text())
    assert "## part:" not in merged.read_text()
    cases = [((one, part("again.tsv", "1 of 2", [])), "are not parts 1 to 2 of 2, each once (given: 1 of 2, 1 of 2)"),
             ((one, part("three.tsv", "2 of 3", [])), "are not parts 1 to 2 of 2, each once (given: 1 of 2, 2 of 3)"),
             ((one, two, whole), "one is a part of a family-split run of the same input, the other is not"),
             ((one, part("rerun.tsv", "2 of 2", rows[1::2], run="d4e5f6")), "parts of different runs (d4e5f6 and "
                                                                            "a1b2c3)")]
    for inputs, message in cases:
        result = run_cli("merge", "-o", tmp / "bad.tsv", *inputs)
        assert result.code == 2, result.err
        assert result.err.strip().endswith(message), result.err
    bad = part("bad_marker.tsv", "first of 2", [])
    result = run_cli("merge", "-o", tmp / "bad.tsv", one, bad)
    assert (result.code, result.err.strip()) == (
        2, f"hftc-annot: error: {bad}: the report's preamble is damaged: 'part: first of 2 (run a1b2c3; the rows "
           "of some families)' is not 'part: K of N (run ID; …)'")
    assert not (tmp / "bad.tsv").exists()


@pytest.fixture(scope="module")
def trio_shards(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """The trio's four --shard runs, as TSV reports and as annotated VCFs."""
    where = tmp_path_factory.mktemp("shards")
    made: dict[str, list[Path]] = {}
    for suffix in ("tsv", "vcf"):
        made[suffix] = [where / f"trio.s{k}.{suffix}" for k in range(1, 5)]
        for k, path in enumerate(made[suffix], 1):
            assert run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "--shard", f"{k}/4", "-q",
                           "-o", path).code == 0
    return made


def refused(tmp: Path, inputs: list[Path], name: str = "merged.tsv") -> str:
    """merge's one error line for `inputs` (exit 2, no output file)."""
    out = tmp / name
    result = run_cli("merge", "-o", out, *inputs)
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert not out.exists()
    return result.err.removeprefix("hftc-annot: error: ").rstrip("\n")


def test_merge_refuses_damaged_tsv_parts_naming_file_and_line(tmp: Path, trio_shards: dict[str, list[Path]]) -> None:
    *others, last = trio_shards["tsv"]
    text = last.read_text()
    lines = text.splitlines(keepends=True)
    end = len(lines)
    row = lines[-1].rstrip("\n").split("\t")
    long_cell = "\t".join(row[:-1] + ["x" * 9000]).encode() + b"\xff\n"  # the bad byte more than 8 KB in
    child = next(n for n, line in enumerate(lines, 1) if "\tCHILD\t" in line)
    damaged = {
        "short.tsv": (text + "chr2\t5\n", f"line {end + 1}: 2 columns, the column header has 50"),
        "cut.tsv": ("".join(lines[:-1]) + "\t".join(row[:45]) + "\n", f"line {end}: 45 columns, the column header "
                                                                        "has 50"),
        "extra.tsv": ("".join(lines[:-1]) + "\t".join(row + ["x"]) + "\n", f"line {end}: 51 columns, the column "
                                                                             "header has 50"),
        "kid.tsv": (text.replace("\tCHILD\t", "\tKID\t"), f"line {child}: sample KID is not in the report's "
                                                          "'## samples:' line"),
        "pos.tsv": ("".join(lines[:-1]) + lines[-1].replace(f"\t{row[COLUMN_POS]}\t", "\tx\t", 1),
                    f"line {end}: pos 'x' is not a position"),
        "swapped.tsv": ("".join(lines[:-2]) + lines[-1] + lines[-2], f"line {end}: out of order: it sorts before the "
                        "line above it (hftc-annot writes its rows and records sorted)"),
        "unended.tsv": (text[:-1], f"line {end}: truncated: the last line has no line end"),
    }
    for name, (content, message) in damaged.items():
        part = tmp / name
        part.write_text(content)
        assert refused(tmp, [*others, part]) == f"{part}: {message}", name
    binary = tmp / "binary.tsv"
    binary.write_bytes("".join(lines[:-1]).encode() + long_cell)
    assert refused(tmp, [*others, binary]) == f"{binary}: line {end}: not UTF-8 text (hftc-annot writes UTF-8)"
    cut = tmp / "e4.tsv.gz"
    cut.write_bytes(gzip.compress(last.read_bytes())[:600])
    assert refused(tmp, [others[0], cut]).startswith(f"{cut}: truncated or damaged gzip stream after line ")


def test_merge_refuses_damaged_vcf_parts_naming_file_and_line(tmp: Path, trio_shards: dict[str, list[Path]]) -> None:
    *others, last = trio_shards["vcf"]
    text = last.read_text()
    lines = text.splitlines(keepends=True)
    end = len(lines)
    chrom, pos, rest = lines[-1].split("\t", 2)
    damaged = {
        "garbage.vcf": (text + "garbage\n", f"line {end + 1}: 1 columns, the #CHROM line has 12"),
        "pos.vcf": ("".join(lines[:-1]) + f"{chrom}\tx{pos}\t{rest}", f"line {end}: POS 'x{pos}' is not a position"),
        "cut.vcf": (text[:-30], f"line {end}: truncated: the last line has no line end"),
        "short.vcf": ("".join(lines[:-1]) + "\t".join(lines[-1].split("\t")[:8]) + "\n",
                      f"line {end}: 8 columns, the #CHROM line has 12"),
    }
    for name, (content, message) in damaged.items():
        part = tmp / name
        part.write_text(content)
        assert refused(tmp, [*others, part], "merged.vcf") == f"{part}: {message}", name
    binary = tmp / "binary.vcf"
    cells = lines[-1].rstrip("\n").split("\t")
    cells[2] = "x" * 9000  # the bad byte more than 8 KB into the file
    binary.write_bytes(("".join(lines[:-1]) + "\t".join(cells)).encode() + b"\xff\n")
    assert refused(tmp, [*others, binary], "merged.vcf") == (f"{binary}: line {end}: not UTF-8 text (hftc-annot "
                                                             "writes UTF-8)")
    packed = tmp / "last.vcf.gz"
    pysam.tabix_compress(str(last), str(packed))
    unended = tmp / "unended.vcf.gz"
    unended.write_bytes(packed.read_bytes()[:-28])
    assert refused(tmp, [*others, unended], "merged.vcf") == (f"{unended}: truncated: the BGZF file has no "
                                                              "end-of-file block (cut short while written or copied?)")
    cut = tmp / "cut.vcf.gz"
    cut.write_bytes(gzip.compress(last.read_bytes())[:1500])
    assert refused(tmp, [*others, cut], "merged.vcf").startswith(f"{cut}: truncated or damaged gzip stream after line")
    assert refused(tmp, [*trio_shards["vcf"], others[0]], "merged.vcf") == (f"{others[0]} is given twice; give each "
                                                                            "output once")


def test_merge_names_a_part_with_crlf_line_ends(tmp: Path, trio_shards: dict[str, list[Path]]) -> None:
    """A report opened and saved in a spreadsheet: the message said its column header was another version's (TSV)
    or its '##hftc-annot_shard=3/4' line was not K/N (VCF)."""
    for kind in ("tsv", "vcf"):
        s1, s2, s3, s4 = trio_shards[kind]
        crlf = tmp / f"crlf.{kind}"
        crlf.write_bytes(s3.read_bytes().replace(b"\n", b"\r\n"))
        assert refused(tmp, [s1, s2, crlf, s4], f"merged.{kind}") == (
            f"{crlf}: line 1: Windows (CRLF) line ends: the file was saved by another program (a spreadsheet?); "
            "merge the file hftc-annot wrote")


def test_merge_names_a_sample_name_with_a_comma(tmp: Path) -> None:
    """'## samples: 3 (CH,ILD,FATHER,MOTHER)' splits into four names: merge blamed the report's row ('line 16: sample
    CH,ILD is not in the report's '## samples:' line'), as if the report were damaged."""
    trio = (EXAMPLES / "trio.vcf").read_text()
    for name, sample in (("comma.vcf", "CH,ILD"), ("quiet.vcf", "MOTH,ER")):
        (tmp / name).write_text(trio.replace("\tCHILD" if sample == "CH,ILD" else "\tMOTHER", f"\t{sample}", 1))
        report = tmp / name.replace(".vcf", ".tsv")
        assert run_cli(tmp / name, "-q", "-o", report).code == 0
        names = "CH,ILD,FATHER,MOTHER" if sample == "CH,ILD" else "CHILD,FATHER,MOTH,ER"
        assert f"## samples: 3 ({names})\n" in report.read_text()
        assert refused(tmp, [report]) == (f"{report}: line 7: the '## samples: 3 (…)' line holds 4 names when split "
                                          "at ',': a sample name with a comma cannot be merged")


def test_reports_of_separate_samples_are_ordered_by_input_file_name_not_folder(tmp: Path) -> None:
    """The README said 'by input path': a/z.vcf's report comes after b/a.vcf's."""
    for folder, name, vcf in (("a", "z", "trio.vcf"), ("b", "a", "multiallelic.vcf")):
        (tmp / folder).mkdir()
        (tmp / folder / f"{name}.vcf").write_bytes((EXAMPLES / vcf).read_bytes())
        assert run_cli(tmp / folder / f"{name}.vcf", "-q", "-o", tmp / folder / f"{name}.tsv").code == 0
    merged = run_cli("merge", tmp / "a" / "z.tsv", tmp / "b" / "a.tsv").out
    assert [line for line in merged.splitlines() if line.startswith(("## input: ", "## samples: "))] == [
        f"## input: {tmp / 'b' / 'a.vcf'} (3298 bytes)", f"## input: {tmp / 'a' / 'z.vcf'} (4517 bytes)",
        "## samples: 7 (SAMPLE1,SAMPLE2,SAMPLE3,SAMPLE4,CHILD,FATHER,MOTHER)"]


def test_merge_names_a_summary_table(tmp: Path) -> None:
    """A --summary table starts like a report: merge said its column header was another version's report's."""
    parts = [shard(tmp, f"s{k}.tsv", k, 2, "--summary", tmp / f"s{k}.summary.tsv") for k in (1, 2)]
    summary = tmp / "s2.summary.tsv"
    assert refused(tmp, [parts[0], summary]) == (f"{summary}: line 17: a --summary table cannot be merged: merge the "
                                                 "TSV reports (-o) of the runs")


def test_merge_names_empty_and_json_parts(tmp: Path, trio_shards: dict[str, list[Path]]) -> None:
    empty, packed, report = tmp / "empty.tsv", tmp / "empty.tsv.gz", tmp / "trio.json"
    empty.write_bytes(b"")
    packed.write_bytes(gzip.compress(b""))
    assert run_cli(EXAMPLES / "trio.vcf", "-q", "-o", report).code == 0
    first = trio_shards["tsv"][0]
    for part in (empty, packed):
        assert refused(tmp, [first, part]) == f"{part}: empty (no preamble, header or rows; did the run that wrote " \
                                              "it fail?)"
    assert refused(tmp, [first, report]) == f"{report}: JSON output cannot be merged: merge the TSV reports or the " \
                                            "annotated VCFs of the runs"


def test_merge_refuses_an_output_name_of_another_format(tmp: Path, trio_shards: dict[str, list[Path]]) -> None:
    tsv, vcf = trio_shards["tsv"], trio_shards["vcf"]
    cases = [(tsv, "j.json", "the name asks for JSON, but merging TSV files writes a TSV report; name it .tsv or "
                             ".tsv.gz"),
             (tsv, "x.vcf", "the name asks for a VCF, but merging TSV files writes a TSV report; name it .tsv or "
                            ".tsv.gz"),
             (vcf, "x.tsv", "the name asks for a TSV report, but merging VCF files writes a VCF; name it .vcf or "
                            ".vcf.gz"),
             (vcf, "x.bcf", "the name asks for a BCF, but merging VCF files writes a VCF; name it .vcf or .vcf.gz"),
             (vcf, "x.html", "the name asks for HTML, but merging VCF files writes a VCF; name it .vcf or .vcf.gz")]
    for parts, name, message in cases:
        assert refused(tmp, parts, name) == f"-o {tmp / name}: {message}", name
    for parts, name in ((tsv, "m.tsv.gz"), (vcf, "m.vcf.gz"), (vcf, "m.vcf.bgz"), (tsv, "m.txt")):
        assert run_cli("merge", "-o", tmp / name, *parts).code == 0, name
    for name in ("m.vcf.gz", "m.vcf.bgz"):  # .bgz is Hail's name for bgzip
        assert gzip.open(tmp / name, "rt").readline() == "##fileformat=VCFv4.2\n"


def test_merging_a_merged_report_keeps_all_its_inputs(tmp: Path) -> None:
    runs = {"a.tsv": "single_exome.vcf.gz", "b.tsv": "multiallelic.vcf", "c.tsv": "trio.vcf"}
    for name, vcf in runs.items():
        assert run_cli(EXAMPLES / vcf, "-q", "-o", tmp / name).code == 0
    assert run_cli("merge", "-o", tmp / "ab.tsv", tmp / "a.tsv", tmp / "b.tsv").code == 0
    assert run_cli("merge", "-o", tmp / "abc.tsv", tmp / "ab.tsv", tmp / "c.tsv").code == 0
    assert run_cli("merge", "-o", tmp / "all.tsv", *(tmp / name for name in runs)).code == 0
    again = (tmp / "abc.tsv").read_text()
    single, multi, trio = (EXAMPLES / vcf for vcf in runs.values())
    named = {path: f"{path} ({path.stat().st_size} bytes)" for path in (single, multi, trio)}
    assert [line for line in again.splitlines() if line.startswith("## input: ")] == [
        f"## input: {named[path]}" for path in (multi, single, trio)]  # reports are ordered by input file name
    assert "## samples: 8 (SAMPLE1,SAMPLE2,SAMPLE3,SAMPLE4,PATIENT1,CHILD,FATHER,MOTHER)" in again
    assert body(again) == body((tmp / "all.tsv").read_text())
    assert refused(tmp, [tmp / "ab.tsv", tmp / "b.tsv"]) == (f"cannot merge: sample SAMPLE1 is in two inputs "
                                                             f"({named[multi]} and {named[multi]}, {named[single]})")


def shard(tmp: Path, name: str, k: int, n: int = 4, *options: str, vcf: Path = EXAMPLES / "trio.vcf") -> Path:
    """One --shard K/N run of the trio (with --ped) with more `options`."""
    path = tmp / name
    result = run_cli(vcf, "--ped", EXAMPLES / "trio.ped", "--shard", f"{k}/{n}", "-q", *options, "-o", path)
    assert result.code == 0, result.err
    return path


def test_merge_refuses_shards_run_with_other_settings(tmp: Path, trio_shards: dict[str, list[Path]]) -> None:
    s1, s2, s3, _ = trio_shards["tsv"]
    gq = shard(tmp, "gq.tsv", 4, 4, "--min-gq", "30")
    assert refused(tmp, [s1, s2, s3, gq]) == (
        f"cannot merge {gq} with {s1}: different settings ('genotype gates GQ >= 30, DP >= 10, heterozygous allele "
        "balance 0.2-0.8; minimum impact none; inheritance modes the panel's' vs 'genotype gates GQ >= 20, DP >= 10, "
        "heterozygous allele balance 0.2-0.8; minimum impact none; inheritance modes the panel's')")
    kid = shard(tmp, "kid.tsv", 4, 4, "--affected", "MOTHER")
    ped = f"{EXAMPLES / 'trio.ped'} (sha256 {hashlib.sha256((EXAMPLES / 'trio.ped').read_bytes()).hexdigest()})"
    assert refused(tmp, [s1, s2, s3, kid]) == (f"cannot merge {kid} with {s1}: the same input with a different "
                                               f"pedigree ('{ped}; affected MOTHER' vs '{ped}')")
    v1, v2, v3, _ = trio_shards["vcf"]
    cases = {("padding.vcf", "--padding", "100"): "padding ('100 bp' vs '5000 bp')",
             ("max_af.vcf", "--max-af", "0.5"): "qualifying ('protein-altering, splice, unknown protein effect, "
                                                "ClinVar P/LP or curated HFTC (qualifying.tsv); population frequency "
                                                "at most 0.5 (--max-af)' vs 'protein-altering, splice, unknown protein "
                                                "effect, ClinVar P/LP or curated HFTC (qualifying.tsv); population "
                                                "frequency at most AR 0.01, XLR 0.01, AD 0.001, XLD 0.001 "
                                                "(frequency_limits.tsv)')",
             ("affected.vcf", "--affected", "MOTHER"): f"pedigree ('{ped}; affected MOTHER' vs '{ped}')"}
    for (name, *options), message in cases.items():
        other = shard(tmp, name, 4, 4, *options)
        assert refused(tmp, [v1, v2, v3, other], "merged.vcf") == f"cannot merge {other} with {v1}: different " \
                                                                  f"{message}", name
    trio = EXAMPLES / "trio.vcf"
    fewer = tmp / "trio.vcf"
    fewer.write_text(trio.read_text().rsplit("\n", 2)[0] + "\n")  # the same samples, one record less
    other = shard(tmp, "other_input.vcf", 4, 4, vcf=fewer)
    assert refused(tmp, [v1, v2, v3, other], "merged.vcf") == (
        f"cannot merge {other} with {v1}: different input ('{fewer} ({fewer.stat().st_size} bytes)' vs "
        f"'{trio} ({trio.stat().st_size} bytes)')")


def test_merge_refuses_shards_of_different_panel_files(tmp: Path) -> None:
    """Shards 1/2 and 2/2 of two --panel files are a complete set by their numbers, but shard 1/2 of the second
    file's genes is in neither: merging them dropped its genes (12 of 49) without a word."""
    full = run_cli("panel", "--format", "tsv").out
    (tmp / "full.tsv").write_text(full)
    first, second = (shard(tmp, f"full{k}.tsv", k, 2, "--panel", tmp / "full.tsv") for k in (1, 2))
    genes = Provenance.from_lines([line[3:] for line in second.read_text().splitlines() if line.startswith("## ")])
    header, *rows = full.splitlines()
    (tmp / "some.tsv").write_text("\n".join([header, *(r for r in rows if r.split("\t")[0] in genes.genes)]) + "\n")
    digest = {name: hashlib.sha256((tmp / name).read_bytes()).hexdigest() for name in ("full.tsv", "some.tsv")}
    for kind in ("tsv", "vcf"):
        one = shard(tmp, f"full1.{kind}", 1, 2, "--panel", tmp / "full.tsv")
        other = shard(tmp, f"some2.{kind}", 2, 2, "--panel", tmp / "some.tsv")
        assert refused(tmp, [one, other], f"merged.{kind}") == (
            f"cannot merge {other} with {one}: different --panel file ('{tmp / 'some.tsv'} (sha256 "
            f"{digest['some.tsv']})' vs '{tmp / 'full.tsv'} (sha256 {digest['full.tsv']})')")
        shipped = shard(tmp, f"shipped2.{kind}", 2, 2)
        assert refused(tmp, [one, shipped], f"merged.{kind}") == (
            f"cannot merge {shipped} with {one}: different --panel file ('none' vs '{tmp / 'full.tsv'} (sha256 "
            f"{digest['full.tsv']})')")
    # the same file under another name is the same panel, and a merged report keeps naming it
    (tmp / "copy").mkdir()
    (tmp / "copy" / "full.tsv").write_text(full)
    copied = shard(tmp, "copy2.tsv", 2, 2, "--panel", tmp / "copy" / "full.tsv")
    assert run_cli("merge", "-o", tmp / "m.tsv", first, copied).code == 0
    assert (f"## panel: 49 genes (merged from {tmp / 'full.tsv'} (sha256 {digest['full.tsv']}; shipped MANE Select "
            "models)), padding 5000 bp\n") in (tmp / "m.tsv").read_text()
    assert run_cli("merge", "-o", tmp / "m2.tsv", first, second).code == 0
    other_sample = tmp / "se.tsv"
    assert run_cli(EXAMPLES / "single_exome.vcf.gz", "-q", "-o", other_sample).code == 0
    assert refused(tmp, [tmp / "m.tsv", other_sample]) == (
        f"cannot merge {tmp / 'm.tsv'} with {other_sample}: different --panel file ('{tmp / 'full.tsv'} (sha256 "
        f"{digest['full.tsv']})' vs 'none')")


def test_a_record_reaching_genes_of_two_shards(tmp: Path) -> None:
    """A deletion from SAMD9 into SAMD9L (their padded spans do not overlap: shards 2/4 and 1/4) is in both shards.
    The TSV reports merge into the one run's rows; the VCF shards were refused with 'use --shard', which they had."""
    groups = shard_genes(load_panel("GRCh38").genes, 5000, 4)
    shard_of = {gene: k for k, group in enumerate(groups, 1) for gene in group}
    assert (shard_of["SAMD9"], shard_of["SAMD9L"]) == (2, 1)
    vcf = write_vcf(tmp / "sv.vcf", ["chr7 93110000 sv1 N <DEL> 50 PASS END=93135000 GT:GQ:DP 0/1:50:30"],
                    extra_header=('##ALT=<ID=DEL,Description="Deletion">',))
    for kind in ("tsv", "vcf"):
        parts = []
        for k in range(1, 5):
            parts.append(tmp / f"s{k}.{kind}")
            assert run_cli(vcf, "-q", "--shard", f"{k}/4", "-o", parts[-1]).code == 0
        if kind == "tsv":
            assert run_cli(vcf, "-q", "-o", tmp / "whole.tsv").code == 0
            assert run_cli("merge", "-o", tmp / "merged.tsv", *parts).code == 0
            rows = data_rows((tmp / "merged.tsv").read_text())
            assert [row[COLUMNS.index("gene")] for row in rows] == ["SAMD9L", "SAMD9"]
            assert rows == data_rows((tmp / "whole.tsv").read_text())
        else:
            assert refused(tmp, parts, "merged.vcf") == (
                f"cannot merge: record chr7:93110000 is in {parts[0]} and {parts[1]}: it reaches genes of two "
                "shards (a long deletion or structural variant), and merge does not join one record's annotations; "
                "merge the TSV reports, or annotate this input in one run")


def test_merge_needs_every_shard_once(tmp: Path, trio_shards: dict[str, list[Path]]) -> None:
    trio = EXAMPLES / "trio.vcf"
    source = f"{trio} ({trio.stat().st_size} bytes)"
    for kind, name in (("tsv", "merged.tsv"), ("vcf", "merged.vcf")):
        s1, s2, s3, s4 = trio_shards[kind]
        assert refused(tmp, [s1, s2, s4], name) == (f"cannot merge: shard 3/4 of {source} is missing (every shard 1 "
                                                    "to 4 is needed)")
        assert refused(tmp, [s1, s4], name) == (f"cannot merge: shards 2/4, 3/4 of {source} are missing (every "
                                                "shard 1 to 4 is needed)")
        copy = tmp / f"copy.{kind}"
        copy.write_bytes(s1.read_bytes())
        assert refused(tmp, [s1, s2, s3, s4, copy], name) == (f"cannot merge: {s1} and {copy} are both shard 1/4 of "
                                                              f"{source}")
        half = shard(tmp, f"half.{kind}", 2, 2)
        assert refused(tmp, [s1, half], name) == f"cannot merge {half} with {s1}: shards of different N (2/2 and 1/4)"
        whole = tmp / f"whole.{kind}"
        assert run_cli(trio, "--ped", EXAMPLES / "trio.ped", "-q", "-o", whole).code == 0
        assert refused(tmp, [s1, s2, s3, s4, whole], name).endswith(f": one is a --shard run of {source}, the other "
                                                                    "is not")


def test_per_sample_runs_of_one_file_name_merge(tmp: Path) -> None:
    """As Nextflow stages inputs: each job runs 'hftc-annot in.vcf' in its own folder."""
    reports = []
    for job, vcf in (("w1", "single_exome.vcf"), ("w2", "multiallelic.vcf")):
        (tmp / job).mkdir()
        (tmp / job / "in.vcf").write_bytes((EXAMPLES / vcf).read_bytes())
        here = {**os.environ, "PYTHONPATH": str(EXAMPLES.parent)}  # this checkout's code, from another folder
        assert run_cli("in.vcf", "-q", "-o", "out.tsv", cwd=tmp / job, env=here).code == 0
        reports.append(tmp / job / "out.tsv")
    merged = tmp / "merged.tsv"
    result = run_cli("merge", "-o", merged, *reports)
    assert result.code == 0, result.err
    single, multi = (f"in.vcf ({(EXAMPLES / vcf).stat().st_size} bytes)" for vcf in ("single_exome.vcf",
                                                                                       "multiallelic.vcf"))
    assert (single, multi) == ("in.vcf (27629 bytes)", "in.vcf (3298 bytes)")  # so single_exome's report is first
    assert [line for line in merged.read_text().splitlines() if line.startswith("## input: ")] == [
        f"## input: {single}", f"## input: {multi}"]
    assert data_rows(merged.read_text()) == data_rows(reports[0].read_text()) + data_rows(reports[1].read_text())


def test_shards_of_one_file_named_by_other_paths_merge(tmp: Path) -> None:
    """One input named 'in.vcf', './in.vcf', by its absolute path, or copied to a node's scratch folder, is one input:
    its shards merge (they were refused as shards of different inputs, or 'shards 1/3, 2/3 ... are missing')."""
    here = {**os.environ, "PYTHONPATH": str(EXAMPLES.parent)}  # this checkout's code, from another folder
    (tmp / "in.vcf").write_bytes((EXAMPLES / "trio.vcf").read_bytes())
    (tmp / "node3").mkdir()
    (tmp / "node3" / "in.vcf").write_bytes((EXAMPLES / "trio.vcf").read_bytes())
    for kind in ("tsv", "vcf"):
        names = (("in.vcf", tmp), ("./in.vcf", tmp), ("in.vcf", tmp / "node3"))
        parts = []
        for k, (name, folder) in enumerate(names, 1):
            parts.append(tmp / f"s{k}.{kind}")
            assert run_cli(name, "-q", "--shard", f"{k}/3", "-o", parts[-1], cwd=folder, env=here).code == 0
        assert run_cli("in.vcf", "-q", "-o", f"whole.{kind}", cwd=tmp, env=here).code == 0
        result = run_cli("merge", "-o", tmp / f"merged.{kind}", *parts)
        assert result.code == 0, result.err
        if kind == "tsv":
            assert data_rows((tmp / "merged.tsv").read_text()) == data_rows((tmp / "whole.tsv").read_text())
        else:
            assert vcf_lines(tmp / "merged.vcf") == vcf_lines(tmp / "whole.vcf")


def test_shards_of_a_panel_file_are_recorded_and_merge_only_as_a_complete_set(tmp: Path) -> None:
    """--shard with --panel writes '## shard: K/N' (and ##hftc-annot_shard), so a missing shard is refused."""
    panel = tmp / "p.tsv"
    panel.write_text("gene\tinheritance\nGALNT3\tAR\nABCC6\tAR\nENPP1\tAR\n")
    source = EXAMPLES / "single_exome.vcf.gz"
    named = f"{source} ({source.stat().st_size} bytes)"
    for kind, line in (("tsv", "## shard: {}/3\n"), ("vcf", "##hftc-annot_shard={}/3\n")):
        parts = [shard_of_panel(tmp, source, panel, k, kind) for k in (1, 2, 3)]
        assert [line.format(k) in part.read_text() for k, part in enumerate(parts, 1)] == [True] * 3
        assert refused(tmp, [parts[0], parts[2]], f"merged.{kind}") == (
            f"cannot merge: shard 2/3 of {named} is missing (every shard 1 to 3 is needed)")
        whole, merged = tmp / f"whole.{kind}", tmp / f"merged.{kind}"
        assert run_cli(source, "--panel", panel, "-q", "-o", whole).code == 0
        assert run_cli("merge", "-o", merged, *parts).code == 0
        if kind == "tsv":
            assert body(merged.read_text()) == body(whole.read_text()) and len(data_rows(whole.read_text())) == 19
            assert "## shard:" not in merged.read_text() and "## shard:" not in whole.read_text()
        else:
            assert vcf_lines(merged) == vcf_lines(whole)


def shard_of_panel(tmp: Path, source: Path, panel: Path, k: int, kind: str) -> Path:
    """--shard K/3 of `source` over the genes of the --panel file `panel`."""
    path = tmp / f"p{k}.{kind}"
    assert run_cli(source, "--panel", panel, "--shard", f"{k}/3", "-q", "-o", path).code == 0
    return path


def preamble_value(path: Path, key: str) -> str:
    """The value of the one '## KEY: ' line of a TSV report or '##hftc-annot_KEY=' line of an annotated VCF."""
    prefix = f"## {key}: " if path.suffix == ".tsv" else f"##hftc-annot_{key}="
    found = [line[len(prefix):] for line in path.read_text().splitlines() if line.startswith(prefix)]
    assert len(found) == 1, (path, key, found)
    return found[0]


def test_lines_naming_each_shards_genes_are_joined_by_both_merges(tmp: Path) -> None:
    """A --fasta without the genes' sequence (protein effects not computed for the shard's genes) and a build check
    (counts of the shard's records) differ between shards: TSV and VCF merges join them with ' | '."""
    fasta = tmp / "m.fa"
    fasta.write_text(">chrM\n" + "N" * 16569 + "\n")
    pysam.faidx(str(fasta))
    bare = tmp / "bare.vcf"  # no ##contig or ##reference line, so --build GRCh37 is taken
    bare.write_text("".join(line for line in (EXAMPLES / "single_exome.vcf").open()
                            if not line.startswith(("##contig", "##reference"))))
    cases = {"protein_effects": (EXAMPLES / "single_exome.vcf.gz", "--fasta", fasta),
             "build_check": (bare, "--build", "GRCh37")}
    for key, (source, *options) in cases.items():
        for kind in ("tsv", "vcf"):
            parts = [tmp / f"{key}{k}.{kind}" for k in (1, 2)]
            for k, part in enumerate(parts, 1):
                assert run_cli(source, *options, "--shard", f"{k}/2", "-q", "-o", part).code == 0
            own = [preamble_value(part, key) for part in parts]
            assert own[0] != own[1] and "|" not in own[0] + own[1]
            merged, whole = tmp / f"{key}.merged.{kind}", tmp / f"{key}.whole.{kind}"
            result = run_cli("merge", "-o", merged, *reversed(parts))
            assert result.code == 0, result.err
            assert preamble_value(merged, key) == f"{own[0]} | {own[1]}", (key, kind)
            assert run_cli(source, *options, "-q", "-o", whole).code == 0
            if kind == "tsv":
                assert body(merged.read_text()) == body(whole.read_text())
            else:
                assert [line for line in vcf_lines(merged) if not line.startswith(f"##hftc-annot_{key}=")] == [
                    line for line in vcf_lines(whole) if not line.startswith(f"##hftc-annot_{key}=")]
    assert own[0].startswith("0 records in GRCh37 panel regions, but 23 would be in GRCh38 panel regions")
    assert own[1].startswith("0 records in GRCh37 panel regions, but 3 would be in GRCh38 panel regions")


def test_every_key_an_output_records_has_a_merge_rule() -> None:
    """A new preamble or ##hftc-annot_ line must be given a rule (equal, per input, joined or merge's own)."""
    every = Provenance(
        version="1", command="c", inputs=("a.vcf",), build="GRCh38", build_reason="r", panel_key="panel",
        panel="2 genes (x), padding 5 bp", genes=("KL",), samples=("S",), consequences="c", protein_effects="p",
        qualifying="q", knowledge="k", evidence_tier="e", merged="m", not_covered=("MGP",), build_check="b",
        part=(1, 2, "r1"), structural="sv.vcf", settings="s", pedigree="p.ped", shard=(1, 2))
    assert all(getattr(every, f.name) != f.default for f in dataclasses.fields(Provenance))
    keys = {line.partition(": ")[0] for line in every.to_lines()[1:]}
    keys = {"version", *("not_covered" if key.startswith("not covered on ") else key for key in keys)}
    assert keys - set(RULES) == set()
    assert set(vcf_meta(every)) - set(RULES) == set() and "padding" in RULES
    check_same([("a.vcf", {"protein_effects": "p1"}), ("b.vcf", {"protein_effects": "p2"})], EQUAL)  # joined
    with pytest.raises(UsageError) as error:  # a key without a rule (of a later version) must be equal
        check_same([("a.vcf", {"future": "1"}), ("b.vcf", {"future": "2"})], EQUAL)
    assert str(error.value) == "cannot merge b.vcf with a.vcf: different future ('2' vs '1')"


def test_vcf_shards_merge_in_the_inputs_record_order_not_its_contig_lines(tmp: Path) -> None:
    """The ##contig lines sorted by name (chr1, chr10, …, chr2, …), the records by chromosome number: the shards
    merge into the unsharded run's VCF (the record order each shard shows, numbers ordering the rest)."""
    lines = (EXAMPLES / "single_exome.vcf").read_text().splitlines(keepends=True)
    contigs = [line for line in lines if line.startswith("##contig=")]
    at = lines.index(contigs[0])
    source = tmp / "named.vcf"
    source.write_text("".join([line for line in lines[:at] if line not in contigs] + sorted(contigs)
                              + [line for line in lines[at:] if line not in contigs]))
    parts = [shard(tmp, f"n{k}.vcf", k, 3, vcf=source) for k in (1, 2, 3)]
    whole, merged = shard(tmp, "whole.vcf", 1, 1, vcf=source), tmp / "merged.vcf"
    chroms = [[line.split("\t")[0] for line in vcf_lines(part) if not line.startswith("#")] for part in parts]
    assert [list(dict.fromkeys(c)) for c in chroms] == [["chr2", "chr12", "chr13"], ["chr16"], ["chr6"]]
    result = run_cli("merge", "-o", merged, *parts)
    assert result.code == 0, result.err
    assert vcf_lines(merged) == [line for line in vcf_lines(whole) if line != "##hftc-annot_shard=1/1\n"]
    text = parts[0].read_text().splitlines(keepends=True)
    first, twelve = text.index(next(line for line in text if line.startswith("chr2\t"))), chroms[0].index("chr12")
    moved = tmp / "moved.vcf"  # chr2's first record after chr12's first
    moved.write_text("".join(text[:first] + text[first + 1:first + twelve + 1] + [text[first]]
                             + text[first + twelve + 1:]))
    assert refused(tmp, [moved, *parts[1:]], "m.vcf") == (
        f"{moved}: line {first + twelve + 1}: out of order: it sorts before the line above it (hftc-annot writes its "
        "rows and records sorted)")


def test_one_contig_order_fits_every_part_or_the_parts_are_named() -> None:
    named = sorted(f"chr{c}" for c in [*range(1, 23), "X"])
    assert contig_order([("a", ["chr1", "chr10"]), ("b", ["chr2"])], named) == {"chr1": 0, "chr10": 1, "chr2": 2}
    assert contig_order([("a", ["chr2", "chr10"]), ("b", ["chr11", "chr3"])], named) == {
        "chr2": 0, "chr10": 1, "chr11": 2, "chr3": 3}  # a contradicts the ##contig lines: numbers break the ties
    with pytest.raises(UsageError) as error:
        contig_order([("a.vcf", ["chr1", "chr2"]), ("b.vcf", ["chr2", "chr3"]), ("c.vcf", ["chr3", "chr1"])], named)
    assert str(error.value) == ("cannot merge: no one record order fits every part (chr1 before chr2 in a.vcf; chr2 "
                                "before chr3 in b.vcf; chr3 before chr1 in c.vcf; the shards of one input keep its "
                                "order)")


def test_genes_without_a_model_are_named_by_every_shard_and_the_merges(tmp: Path) -> None:
    """On GRCh37, SLC20A2 and ACVR1 have no model and are in no shard: each shard, the annotated VCF and both merges
    name them (they were silently missing from shards, from merged reports and from every annotated VCF)."""
    source, note = EXAMPLES / "grch37_exome.vcf", "SLC20A2, ACVR1"
    for kind in ("tsv", "vcf"):
        parts = [tmp / f"g{k}.{kind}" for k in (1, 2)]
        for k, part in enumerate(parts, 1):
            result = run_cli(source, "--shard", f"{k}/2", "-o", part)
            assert result.code == 0, result.err
            assert f"2 panel genes have no transcript model on GRCh37 and are not covered: {note}; " in result.err
            assert preamble_value(part, "not covered on GRCh37 (no transcript model)" if kind == "tsv"
                                  else "not_covered") == note
        merged, whole = tmp / f"merged.{kind}", tmp / f"whole.{kind}"
        assert run_cli("merge", "-o", merged, *parts).code == 0
        assert run_cli(source, "-q", "-o", whole).code == 0
        if kind == "tsv":
            assert f"## not covered on GRCh37 (no transcript model): {note}\n" in merged.read_text()
            assert body(merged.read_text()) == body(whole.read_text())
        else:
            assert preamble_value(whole, "not_covered") == preamble_value(merged, "not_covered") == note
            assert vcf_lines(merged) == vcf_lines(whole)
    other = tmp / "other.vcf"  # the same calls of another sample: a per-sample report to merge with whole.tsv
    other.write_text(source.read_text().replace("\tPATIENT2\n", "\tPATIENT3\n"))
    assert run_cli(other, "-q", "-o", tmp / "other.tsv").code == 0
    assert run_cli("merge", "-o", tmp / "samples.tsv", tmp / "whole.tsv", tmp / "other.tsv").code == 0
    assert preamble_value(tmp / "samples.tsv", "not covered on GRCh37 (no transcript model)") == note


def test_merge_says_it_does_not_read_standard_input(tmp: Path) -> None:
    """'-' as an input was '-: no such file' (found by review)."""
    result = run_cli("merge", "-o", tmp / "m.tsv", "-", stdin=b"")
    assert (result.code, result.err) == (2, "hftc-annot: error: merge reads its inputs from files, not from standard "
                                            "input ('-'): name the files\n")
    assert not (tmp / "m.tsv").exists()
