"""Issue 15 (speed): what the fast paths must not change, and what makes startup fast.

Times are measured by the bench/ scripts, never asserted here. This checks that the streamed route's quick pass
changes no output (sorted, unsorted, multi-contig input, lines cut by chunk ends), and that `--version`, `--help`
and `panel` import neither numpy nor htslib bindings nor the stages.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hftc_annot.cli import main
from hftc_annot.reader import inflate, textscan
from hftc_annot.resources import read_table

from conftest import bgzip_index, body, write_vcf

REPO = Path(__file__).resolve().parents[2]

HEAVY = ("numpy", "cyvcf2", "pysam", "jinja2", "hftc_annot.run", "hftc_annot.inheritance", "hftc_annot.reader")
PROBE = """
import sys
from hftc_annot.cli import main
try:
    main({args!r})
except SystemExit:
    pass
print(",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["panel"], ["panel", "--shards", "4"]])
def test_commands_that_annotate_nothing_do_not_import_the_engine(args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)], capture_output=True,
                          text=True, timeout=60)
    assert proc.stderr.splitlines()[-1] == "", proc.stderr
    assert proc.stdout


def test_a_run_still_imports_what_it_needs() -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(args=["/nonexistent.vcf"], heavy=HEAVY)],
                          capture_output=True, text=True, timeout=60)
    assert "hftc_annot.run" in proc.stderr.splitlines()[-1]


# ----------------------------------------------------------------------------- the streamed route's quick pass

GRCH38_LENGTHS = {row["contig"]: int(row["length"]) for row in read_table("assemblies.tsv") if row["build"] == "GRCh38"}


def wgs_like(n_far: int, seed: int) -> list[str]:
    """Sorted single-sample records (synthetic bases) on every GRCh38 chromosome: `n_far` spread over the genome,
    plus records in and around each panel gene, some of them deletions reaching into a gene from outside."""
    rng = np.random.default_rng(seed)
    genes: dict[str, list[tuple[int, int]]] = {}
    for line in (REPO / "resources" / "genes.bed").read_text().splitlines()[1:]:
        chrom, start, end = line.split("\t")[:3]
        genes.setdefault(chrom, []).append((int(start), int(end)))
    total = sum(GRCH38_LENGTHS[c] for c in CHROMOSOMES)
    records = []
    for chrom in CHROMOSOMES:
        name = f"chr{chrom}"
        positions = list(rng.integers(1, GRCH38_LENGTHS[chrom], n_far * GRCH38_LENGTHS[chrom] // total))
        for start, end in genes.get(name, []):
            positions += list(rng.integers(start - 6000, end + 6000, 12))
        for pos in sorted(set(positions)):
            ref = "ACGTTGCA"[: int(rng.integers(1, 8))] if rng.random() < 0.1 else "C"
            gt = ["0/1", "1/1", "0|1", "0/0"][int(rng.integers(4))]
            records.append(f"{name} {pos} . {ref} G 50 PASS . GT:AD:DP:GQ {gt}:5,5:10:60")
        for start, _ in genes.get(name, []):
            records.append(f"{name} {start - 5030} . {'A' * 40} A 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60")
    records.sort(key=lambda r: (CHROMOSOMES.index(r.split()[0][3:]), int(r.split()[1])))
    return records


CHROMOSOMES = [str(i) for i in range(1, 23)] + ["X", "Y"]


def annotate_in_process(args: list[str], out: Path) -> str:
    """Run the CLI in this process (so that a test can patch the reader) and return the TSV body."""
    with pytest.raises(SystemExit) as done:
        main([*map(str, args), "-o", str(out), "-q"])
    assert done.value.code == 0
    return body(out.read_text())


def test_streamed_output_is_identical_with_and_without_the_quick_pass(tmp: Path, monkeypatch) -> None:
    records = wgs_like(40_000, seed=15)
    plain = write_vcf(tmp / "wgs.vcf", records)
    indexed = bgzip_index(plain)
    unindexed = bgzip_index(write_vcf(tmp / "wgs_noindex.vcf", records), index=False)
    shuffled = write_vcf(tmp / "shuffled.vcf", list(np.random.default_rng(1).permutation(records)))
    outputs = {
        "indexed": annotate_in_process([indexed], tmp / "a.tsv"),
        "bgzip": annotate_in_process([unindexed], tmp / "b.tsv"),
        "plain, 2 threads": annotate_in_process([plain, "--threads", "2"], tmp / "c.tsv"),
        "bgzip, 2 threads": annotate_in_process([unindexed, "--threads", "2"], tmp / "i.tsv"),
    }
    with pytest.raises(ChildProcessError):  # the scanning processes of the 2-thread runs have been waited for
        os.waitpid(-1, os.WNOHANG)
    unsorted = annotate_in_process([shuffled], tmp / "d.tsv")
    skipped, in_pieces = counted_scans(monkeypatch)
    outputs["bgzip, again"] = annotate_in_process([unindexed], tmp / "j.tsv")
    assert in_pieces[-1] == 0  # pieces of 256 KiB: about 4,500 records, every piece spans two contigs
    monkeypatch.setattr(textscan, "PIECE_BYTES", 2000)  # pieces of about 25 records
    outputs["bgzip, small pieces"] = annotate_in_process([unindexed], tmp / "k.tsv")
    assert in_pieces[-1] == 35720  # of 40,626: the rest lie in pieces across two contigs or near a padded gene
    monkeypatch.setattr(textscan, "PIECE_BYTES", 1 << 30)  # one piece per chunk: the quick pass does the work
    monkeypatch.setattr(textscan, "GROUP_LINES", 64)  # groups this small are quiet even in a file this sparse
    monkeypatch.setattr(textscan, "FINE_LINES", 8)
    outputs["bgzip, small groups"] = annotate_in_process([unindexed], tmp / "e.tsv")
    assert (skipped[-1] > 0.8 * len(records), in_pieces[-1]) == (True, 0)
    monkeypatch.setattr(inflate.bgzf_chunks, "__defaults__", (10_000,))  # lines cut by many chunk ends
    outputs["bgzip, small chunks"] = annotate_in_process([unindexed], tmp / "h.tsv")
    assert skipped[-1] > 0.5 * len(records)
    full_pass_only(monkeypatch)
    outputs["bgzip, full pass only"] = annotate_in_process([unindexed], tmp / "f.tsv")
    assert (skipped[-1], in_pieces[-1]) == (0, 0)
    assert annotate_in_process([shuffled], tmp / "g.tsv") == unsorted
    assert len(set(outputs.values())) == 1, [k for k, v in outputs.items() if v != outputs["indexed"]]
    rows = outputs["indexed"].splitlines()
    assert len(rows) > 300
    def variants(tsv: str) -> list[list[str]]:  # rows in input order, pair numbers by order: compare the variants
        return sorted(line.split("\t")[:14] for line in tsv.splitlines()[1:])

    assert variants(unsorted) == variants(outputs["indexed"])


def counted_scans(monkeypatch) -> tuple[list[int], list[int]]:
    """Lists to which every scan of this process adds its records_skipped and records_in_pieces."""
    skipped: list[int] = []
    in_pieces: list[int] = []
    real_scan = textscan.TextScanner.scan

    def counting_scan(self, *args, **kwargs):
        result = real_scan(self, *args, **kwargs)
        skipped.append(result.records_skipped)
        in_pieces.append(result.records_in_pieces)
        return result

    monkeypatch.setattr(textscan.TextScanner, "scan", counting_scan)
    return skipped, in_pieces


def full_pass_only(monkeypatch) -> None:
    """No fast path: every line goes through the full pass."""
    monkeypatch.setattr(textscan.TextScanner, "_quiet_segments",
                        lambda self, lines, padded, starts, ends: ([0, len(ends)], np.zeros(1, dtype=bool)))
    monkeypatch.setattr(textscan.TextScanner, "_quiet_piece", lambda self, *args: 0)


@pytest.mark.parametrize("threads", ["1", "2"])
def test_a_misplaced_panel_record_inside_a_far_piece_is_found(tmp: Path, monkeypatch, threads: str) -> None:
    """A record in ALPL (chr1) and one in GALNT3 (chr2), each put in the middle of a stretch of chr5 records far from
    every gene: every line of a piece is checked, so both are found, as by the full pass, whatever the order."""
    records = wgs_like(40_000, seed=16)
    in_alpl = "chr1 21520000 . C G 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60"
    in_galnt3 = "chr2 165760000 . C G 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60"
    chr5 = [i for i, r in enumerate(records) if r.startswith("chr5 ")]
    middle = chr5[len(chr5) // 2]
    misplaced = [*records[:middle], in_alpl, *records[middle:middle + 200], in_galnt3, *records[middle + 200:]]
    vcf = bgzip_index(write_vcf(tmp / "misplaced.vcf", misplaced), index=False)
    monkeypatch.setattr(textscan, "PIECE_BYTES", 4000)
    _, in_pieces = counted_scans(monkeypatch)
    found = annotate_in_process([vcf, "--threads", threads], tmp / "pieces.tsv")
    if threads == "1":  # the 2-thread scan runs in a child process, whose calls are not seen here
        assert in_pieces[-1] > 30_000
    full_pass_only(monkeypatch)
    assert found == annotate_in_process([vcf], tmp / "full.tsv")
    assert [row.split("\t")[:2] for row in found.splitlines() if row.split("\t")[1] in ("21520000", "165760000")] == [
        ["chr1", "21520000"], ["chr2", "165760000"]]


@pytest.mark.parametrize(("bad", "message"), [
    ("#chr5 100000000 . C G 50 PASS . GT 0/1", "header line ('#') after the first record"),
    ("chr5 100000000 . C G 50 PASS . GT:AD:DP:GQ", "9 tab-separated columns where the #CHROM line has 10"),
    ("chr5 1000x0000 . C G 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60", "POS '1000x0000' is not a whole number (0 or more)"),
    ("chr5 100000000 . C\x01 G 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60", "control character in the text (binary data?)"),
    ("chrZ 100000000 . C G 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60",
     "contig 'chrZ' is not declared in the header (##contig lines); fix the header, e.g. with "
     "bcftools reheader --fai"),
])
def test_a_bad_line_far_from_every_gene_is_named(tmp: Path, monkeypatch, capsys, bad: str, message: str) -> None:
    records = wgs_like(20_000, seed=17)
    middle = next(i for i, r in enumerate(records) if r.startswith("chr5 ") and int(r.split()[1]) > 100_000_000)
    vcf = bgzip_index(write_vcf(tmp / "bad.vcf", [*records[:middle], bad, *records[middle:]]), index=False)
    monkeypatch.setattr(textscan, "PIECE_BYTES", 4000)
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main([str(vcf), "-q", "-o", str(tmp / "out.tsv")])
    line = len(Path(write_vcf(tmp / "header.vcf", [])).read_text().splitlines()) + middle + 1
    error = capsys.readouterr().err.strip()
    assert (done.value.code, error) == (2, f"hftc-annot: error: {vcf}: line {line}: {message}")
    assert not (tmp / "out.tsv").exists()


# ----------------------------------------------------------------------------- --threads 2: the scan in a child process

CLASH = '##INFO=<ID=CLASH,Number=1,Type=Integer,Description="IDX taken by PASS",IDX=0>'


def bad_inputs(tmp: Path) -> dict[str, Path]:
    """Inputs whose problems the streamed route meets at different points: in the scan (a bad line far from the
    panel, after many panel records), in the compressed stream, in htslib's header or record parser, or both."""
    records = wgs_like(3_000, seed=7)
    late_bad_pos = records[:-5] + ["chr22 12x4 . A G 50 PASS . GT:AD:DP:GQ 0/1:9,9:18:60"] + records[-5:]
    in_panel = next(i for i, r in enumerate(records) if f" {'A' * 40} " in r)  # a deletion reaching a gene
    malformed = list(records)
    malformed[in_panel] = malformed[in_panel].rsplit(" ", 1)[0] + " 0/1:x,y:10:60"
    inputs = {
        "bad POS late": bgzip_index(write_vcf(tmp / "late.vcf", late_bad_pos), index=False),
        "malformed panel record": bgzip_index(write_vcf(tmp / "malformed.vcf", malformed), index=False),
    }
    both = malformed[:-5] + late_bad_pos[-6:]
    inputs["malformed panel record and bad POS late"] = bgzip_index(write_vcf(tmp / "both.vcf", both), index=False)
    corrupt = bytearray(bgzip_index(write_vcf(tmp / "whole.vcf", records), index=False).read_bytes())
    corrupt[len(corrupt) * 2 // 3] ^= 0xFF
    inputs["corrupt block"] = tmp / "corrupt.vcf.gz"
    inputs["corrupt block"].write_bytes(corrupt)
    for name, body_records in (("header refused", records), ("header refused and bad POS late", late_bad_pos)):
        lines = write_vcf(tmp / "h.vcf", body_records).read_text().splitlines()
        lines.insert(3, CLASH)
        path = tmp / f"{name.replace(' ', '_')}.vcf"
        path.write_text("\n".join(lines) + "\n")
        inputs[name] = bgzip_index(path, index=False)
    late = dense_panel_vcf(tmp / "candidates_then_bad_pos.vcf", 5_000)  # the child meets the bad line while the
    with late.open("a") as out:  # parent still reads candidates: its error must stay the run's error
        out.writelines(f"chr21\t{30_000_000 + i}\t.\tA\tG\t.\t.\t.\n" for i in range(150_000))
        out.write("chr21\t12x4\t.\tA\tG\t.\t.\t.\n")
    inputs["bad POS after 2 MiB, while candidates are read"] = late
    return inputs


def test_two_threads_report_the_same_error_as_one(tmp: Path) -> None:
    for name, path in bad_inputs(tmp).items():
        outcomes = []
        for threads in ("1", "2"):
            output = tmp / f"out_{threads}.tsv"
            proc = subprocess.run([sys.executable, "-m", "hftc_annot", str(path), "-o", str(output), "-q",
                                   "--threads", threads], capture_output=True, text=True, timeout=120)
            outcomes.append((proc.returncode, proc.stderr))
            assert not output.exists(), name
        assert outcomes[0] == outcomes[1], name
        assert outcomes[0][0] == 2 and outcomes[0][1].count("\n") == 1, (name, outcomes[0])


def test_two_threads_report_a_bad_line_before_a_record_that_cannot_be_written(tmp: Path) -> None:
    """-o x.vcf: a panel record with an undeclared INFO key (htslib cannot write it) comes first, a bad line far
    from the panel after 2 MiB; with one thread the scan reads the whole input before any record is written, so the
    bad line is the error, and it must stay so when the scan runs alongside (it was the record's error)."""
    path = dense_panel_vcf(tmp / "undeclared_then_bad_pos.vcf", 5_000)
    text = path.read_text().replace("\t.\t.\t.\n", "\t.\t.\tUNDECLARED=1\n", 1)
    far = "".join(f"chr21\t{30_000_000 + i}\t.\tA\tG\t.\t.\t.\n" for i in range(150_000))
    path.write_text(text + far + "chr21\t12x4\t.\tA\tG\t.\t.\t.\n")
    bad_line = 3 + 5_000 + 150_000 + 1  # after the header, the panel records and the far ones
    for threads in ("1", "2"):
        output = tmp / f"out_{threads}.vcf"
        proc = subprocess.run([sys.executable, "-m", "hftc_annot", str(path), "-o", str(output), "-q",
                               "--threads", threads], capture_output=True, text=True, timeout=120)
        assert (proc.returncode, proc.stderr) == (2, f"hftc-annot: error: {path}: line {bad_line}: POS '12x4' is "
                                                     "not a whole number (0 or more)\n"), threads
        assert not output.exists()


def dense_panel_vcf(path: Path, records: int, header_extra: str = "") -> Path:
    """Short sites-only records packed into one panel gene (JAM2): many candidates per chunk, so that the line
    numbers of one chunk alone would overfill a pipe if they were sent at once."""
    lines = ["##fileformat=VCFv4.2", "##contig=<ID=chr21,length=46709983>", *filter(None, [header_extra]),
             "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"]
    lines += [f"chr21\t{25_640_000 + i}\t.\tA\tG\t.\t.\t." for i in range(records)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("header_extra", ["", CLASH])
def test_two_threads_never_wait_on_a_full_pipe(tmp: Path, header_extra: str) -> None:
    vcf = dense_panel_vcf(tmp / "dense.vcf", 60_000, header_extra)
    outcomes = []
    for threads in ("1", "2"):
        output = tmp / f"out_{threads}.tsv"
        proc = subprocess.run([sys.executable, "-m", "hftc_annot", str(vcf), "-o", str(output), "-q", "--build",
                               "GRCh38", "--threads", threads], capture_output=True, text=True, timeout=240)
        outcomes.append((proc.returncode, proc.stderr, body(output.read_text()) if output.exists() else None))
    assert outcomes[0] == outcomes[1]
    code, stderr, report = outcomes[0]
    if header_extra:
        assert code == 2 and "line 3: htslib cannot parse this header line" in stderr and report is None
    else:
        assert code == 0 and report.count("\n") == 60_001
