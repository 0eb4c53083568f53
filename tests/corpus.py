"""A corpus of damaged VCF/BCF inputs and a runner that feeds them to the CLI in one child process.

Every input here is synthetic damage done to the shipped example VCFs or to VCFs the tests write:
header lines removed, duplicated, reordered or malformed, `##fileformat` or `#CHROM` missing, columns cut
or added, CRLF line ends, NUL and non-UTF-8 bytes, and compressed files truncated at every BGZF block
boundary. Each damaged text is written as a plain VCF (streamed route), a bgzipped VCF with a tabix index
(indexed route) and a BCF (when htslib can read the text at all).

The contract checked for each run: exit 0, or exit 2 with exactly one `hftc-annot: error:` line; never a
traceback or htslib's own `[E::` text; no output file (and no temporary file) left after exit 2; no hang.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pysam

EXAMPLES = Path(__file__).resolve().parent.parent / "example_vcfs"
SEEDS = ("single_exome.vcf", "trio.vcf", "grch37_exome.vcf", "multiallelic.vcf")
BROKEN_META = (
    "##INFO=<ID=BROKEN,Number=1",
    "##INFO=<ID=,Number=1,Type=Integer,Description=\"no id\">",
    "##INFO=<Number=1,Type=Integer,Description=\"no id key\">",
    "##INFO=<ID=TYPED,Number=1,Type=Banana,Description=\"unknown type\">",
    "##INFO=<ID=NUM,Number=Z,Type=Integer,Description=\"unknown number\">",
    "##INFO=<ID=DP,Number=1,Type=String,Description=\"DP again, other type\">",
    "##FORMAT=<ID=GT,Number=1,Type=Integer,Description=\"GT again, wrong type\">",
    "##FORMAT=<ID=GQ,Number=A,Type=Float>",
    "##FILTER=<ID=PASS>",
    "##contig=<ID=chr2,length=abc>",
    "##contig=<length=1000>",
    "##",
    "#",
    "## free text with spaces",
    "##INFO=<ID=SPACE IN,Number=1,Type=Integer,Description=\"space in id\">",
    "##INFO=<ID=Q,Number=1,Type=String,Description=\"unclosed quote>",
    "fileformat=VCFv4.2",
)
RUNNER = """
import io, json, sys
from hftc_annot.cli import main
for line in sys.stdin:
    case = json.loads(line)
    print(json.dumps({"start": case["name"]}), flush=True)
    err = io.StringIO()
    sys.stderr = err
    try:
        main(case["args"])
        code = 0
    except SystemExit as exit:
        code = exit.code
    finally:
        sys.stderr = sys.__stderr__
    print(json.dumps({"name": case["name"], "code": code, "stderr": err.getvalue()}), flush=True)
"""


@dataclass(frozen=True)
class Case:
    """One damaged input, by name, with the route it is read by."""

    name: str
    path: Path


def text_mutants(text: str, rng: random.Random) -> Iterator[tuple[str, str]]:
    """Named damaged versions of a VCF text (header lines, #CHROM line, record columns, line ends)."""
    lines = text.rstrip("\n").split("\n")
    meta = [i for i, line in enumerate(lines) if line.startswith("##")]
    chrom = next(i for i, line in enumerate(lines) if line.startswith("#CHROM"))
    body = list(range(chrom + 1, len(lines)))

    def joined(new: list[str]) -> str:
        return "\n".join(new) + "\n"

    yield "no_fileformat", joined([line for line in lines if not line.startswith("##fileformat")])
    yield "no_chrom_line", joined(lines[:chrom] + lines[chrom + 1:])
    yield "headerless", joined(lines[chrom + 1:])
    yield "only_chrom_line", joined(lines[chrom:])
    yield "header_only", joined(lines[:chrom + 1])
    yield "header_only_no_fileformat", joined([line for line in lines[:chrom + 1] if "fileformat" not in line])
    for i in rng.sample(meta, 3):
        yield f"drop_meta_{i}", joined(lines[:i] + lines[i + 1:])
        yield f"dup_meta_{i}", joined(lines[:i + 1] + lines[i:])
    shuffled = [lines[i] for i in meta]
    rng.shuffle(shuffled)
    yield "meta_shuffled", joined(shuffled + lines[chrom:])
    yield "chrom_line_first", joined([lines[chrom]] + [lines[i] for i in meta] + lines[chrom + 1:])
    yield "meta_after_chrom", joined(lines[:chrom + 1] + [lines[meta[-1]]] + lines[chrom + 1:])
    for number, broken in enumerate(BROKEN_META):
        yield f"broken_meta_{number}", joined(lines[:meta[1]] + [broken] + lines[meta[1]:])
    columns = lines[chrom].split("\t")
    for name, new in (("cut", columns[:-1]), ("added", columns + ["EXTRA"]), ("fixed_only", columns[:8]),
                      ("renamed", columns[:3] + ["REFERENCE"] + columns[4:]), ("spaces", [" ".join(columns)])):
        yield f"chrom_columns_{name}", joined(lines[:chrom] + ["\t".join(new)] + lines[chrom + 1:])
    if body:
        at = rng.choice(body)
        fields = lines[at].split("\t")
        for name, new in (("cut", fields[:-1]), ("added", fields + ["0/1"]), ("eight", fields[:8]),
                          ("two", fields[:2])):
            yield f"record_columns_{name}", joined(lines[:at] + ["\t".join(new)] + lines[at + 1:])
    yield "crlf", joined(lines).replace("\n", "\r\n")
    yield "crlf_header_only", "\r\n".join(lines[:chrom + 1]) + "\r\n" + joined(lines[chrom + 1:])


def byte_mutants(text: str, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    """Damaged bytes: NUL and non-UTF-8 bytes in the header, the sample names and a record."""
    data = text.encode()
    chrom = data.index(b"#CHROM")
    body = data.index(b"\n", chrom) + 1
    for name, at in (("header", rng.randrange(20, chrom)), ("chrom_line", data.index(b"\n", chrom) - 1),
                     ("record", body + 3 if body < len(data) else len(data))):
        yield f"nul_in_{name}", data[:at] + b"\x00" + data[at:]
        yield f"latin1_in_{name}", data[:at] + b"\xe9\xff" + data[at:]


def truncations(bgzipped: bytes) -> Iterator[tuple[str, bytes]]:
    """A BGZF (or BCF) file cut at every block boundary and in the middle of every block."""
    offsets = []
    at = 0
    while at + 18 <= len(bgzipped):
        offsets.append(at)
        size = int.from_bytes(bgzipped[at + 16:at + 18], "little") + 1
        at += size
    for number, start in enumerate(offsets[1:], 1):
        yield f"cut_at_block_{number}", bgzipped[:start]
    for number, start in enumerate(offsets[:-1]):
        end = offsets[number + 1]
        yield f"cut_in_block_{number}", bgzipped[:(start + end) // 2]


def build_cases(directory: Path, seeds: tuple[str, ...] = SEEDS, seed: int = 2026) -> list[Case]:
    """Write the corpus under `directory`: every mutant of every seed, by each route that can carry it."""
    rng = random.Random(seed)
    pysam.set_verbosity(0)
    cases: list[Case] = []
    for seed_name in seeds:
        text = (EXAMPLES / seed_name).read_text()
        stem = seed_name.removesuffix(".vcf")
        mutants = [(name, body.encode()) for name, body in text_mutants(text, rng)]
        mutants += list(byte_mutants(text, rng))
        for name, data in mutants:
            cases.extend(_routes(directory, f"{stem}.{name}", data))
    cases.extend(_truncated(directory))
    return cases


def _routes(directory: Path, name: str, data: bytes) -> list[Case]:
    plain = directory / f"{name}.vcf"
    plain.write_bytes(data)
    cases = [Case(f"{name} (streamed)", plain)]
    packed = directory / f"{name}.vcf.gz"
    try:
        pysam.tabix_compress(str(plain), str(packed), force=True)
        pysam.tabix_index(str(packed), preset="vcf", force=True)
        cases.append(Case(f"{name} (indexed)", packed))
    except (OSError, ValueError):
        pass
    bcf = directory / f"{name}.bcf"
    try:
        with pysam.VariantFile(str(plain)) as source, pysam.VariantFile(str(bcf), "wb", header=source.header) as out:
            for record in source:
                out.write(record)
        cases.append(Case(f"{name} (BCF)", bcf))
    except (OSError, ValueError):
        pass
    return cases


def _truncated(directory: Path) -> list[Case]:
    """A seed large enough for several BGZF blocks, truncated as bgzipped VCF (streamed and indexed) and BCF."""
    text = (EXAMPLES / "single_exome.vcf").read_text()
    header, _, records = text.partition("#CHROM")
    first, _, rest = records.partition("\n")
    big = directory / "big.vcf"
    big.write_text(header + "#CHROM" + first + "\n" + "".join(line + "\n" for line in rest.splitlines()
                                                                for _ in range(6)))
    pysam.tabix_compress(str(big), str(big) + ".gz", force=True)
    pysam.tabix_index(str(big) + ".gz", preset="vcf", force=True)
    with pysam.VariantFile(str(big)) as source, pysam.VariantFile(str(big) + ".bcf", "wb",
                                                                   header=source.header) as out:
        for record in source:
            out.write(record)
    cases = []
    for suffix in (".gz", ".bcf"):
        whole = Path(str(big) + suffix).read_bytes()
        for name, data in truncations(whole):
            path = directory / f"big.{name}{'.vcf.gz' if suffix == '.gz' else '.bcf'}"
            path.write_bytes(data)
            cases.append(Case(f"big{suffix}.{name} (streamed)", path))
            if suffix == ".gz" and name.startswith("cut_in"):
                indexed = directory / f"big.{name}.indexed.vcf.gz"
                indexed.write_bytes(data)
                shutil.copyfile(str(big) + ".gz.tbi", str(indexed) + ".tbi")
                cases.append(Case(f"big{suffix}.{name} (indexed, index of the whole file)", indexed))
    return cases


@dataclass(frozen=True)
class Outcome:
    name: str
    code: int
    stderr: str
    output_left: bool


def run_corpus(cases: list[Case], flag_sets: tuple[tuple[str, ...], ...], out_dir: Path,
               timeout: float) -> tuple[list[Outcome], str, int]:
    """Run every case with every flag set in one child; (outcomes, the child's own stderr, its exit code).

    A hang or a crash stops the child: the outcomes then end before the case that caused it, and the last
    `start` line names it.
    """
    jobs = []
    for number, case in enumerate(cases):
        for flags_number, flags in enumerate(flag_sets):
            output = out_dir / f"{number}.{flags_number}.tsv"
            jobs.append({"name": f"{case.name} {' '.join(flags)}".strip(),
                         "args": [str(case.path), "-o", str(output), "--log-level", "warning", *flags],
                         "output": str(output)})
    feed = "".join(json.dumps(job) + "\n" for job in jobs)
    try:
        proc = subprocess.run([sys.executable, "-c", RUNNER], input=feed, capture_output=True, text=True,
                              timeout=timeout)
        stdout, stderr, code = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as expired:
        stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else expired.stdout or ""
        stderr, code = "timeout", -1
    outputs = {job["name"]: job["output"] for job in jobs}
    outcomes = []
    last_started = "(none)"
    for line in stdout.splitlines():
        item = json.loads(line)
        if "start" in item:
            last_started = item["start"]
            continue
        outcomes.append(Outcome(item["name"], item["code"], item["stderr"], os.path.exists(outputs[item["name"]])))
    if len(outcomes) < len(jobs):
        stderr = f"stopped at {last_started}: {stderr[-800:]}"
    return outcomes, stderr, code


def broken_promises(outcomes: list[Outcome], out_dir: Path) -> list[str]:
    """Every way an outcome breaks the contract, one line each."""
    problems = []
    for outcome in outcomes:
        lines = outcome.stderr.splitlines()
        errors = [line for line in lines if line.startswith("hftc-annot: error: ")]
        if outcome.code not in (0, 2):
            problems.append(f"{outcome.name}: exit {outcome.code}: {outcome.stderr.strip()[:300]}")
        elif outcome.code == 2 and (len(errors) != 1 or outcome.output_left):
            problems.append(f"{outcome.name}: exit 2 with {len(errors)} error lines, output left: "
                            f"{outcome.output_left}: {outcome.stderr.strip()[:300]}")
        elif outcome.code == 0 and not outcome.output_left:
            problems.append(f"{outcome.name}: exit 0 but no output")
        if "Traceback" in outcome.stderr or "[E::" in outcome.stderr or "[W::" in outcome.stderr:
            problems.append(f"{outcome.name}: raw error text: {outcome.stderr.strip()[:300]}")
        if any(not line.startswith(("hftc-annot: error: ", "hftc-annot: warning: ")) for line in lines):
            problems.append(f"{outcome.name}: stray stderr line: {outcome.stderr.strip()[:300]}")
    problems.extend(f"temporary file left: {p.name}" for p in out_dir.glob(".hftc-annot-*"))
    return problems


def exit_counts(outcomes: list[Outcome]) -> Counter:
    return Counter(outcome.code for outcome in outcomes)
