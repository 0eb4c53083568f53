"""Outputs that are not regular files are written through, never replaced; failed runs leave nothing behind.

FIFOs, symbolic links, /dev/stdout and (in a private mount namespace with a scratch /dev) /dev/null, for
every option that writes a file: -o, --report, --summary and merge -o.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import bgzip_index, body, run_cli, write_vcf

RECORDS = ["chr2 165754626 . C T 50 PASS . GT:AD:DP:GQ 1/1:0,30:30:99",
           "chr2 165760000 . C T 50 PASS . GT:AD:DP:GQ 0/1:12,14:26:99"]
OPTIONS = {"-o": "report.tsv", "--report": "report.html", "--summary": "summary.tsv"}


def _vcf(tmp: Path) -> Path:
    return write_vcf(tmp / "in.vcf", RECORDS)


def _args(vcf: Path, tmp: Path, option: str, path: Path | str) -> list:
    """Arguments that write `option` to `path` and the other outputs to regular files in tmp/regular."""
    regular = tmp / "regular"
    regular.mkdir(parents=True, exist_ok=True)
    args = [vcf]
    for name, default in OPTIONS.items():
        args += [name, path if name == option else regular / default]
    return args


def _read_fifo(path: Path, into: list[bytes]) -> threading.Thread:
    def reader() -> None:
        with open(path, "rb") as handle:
            into.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("option", list(OPTIONS))
def test_fifo_output_is_written_through(tmp_path: Path, option: str) -> None:
    vcf = _vcf(tmp_path)
    expected = run_cli(*_args(vcf, tmp_path / "plain", option, tmp_path / "expected"))
    assert expected.code == 0, expected.err
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    thread = _read_fifo(fifo, received)
    result = run_cli(*_args(vcf, tmp_path, option, fifo))
    thread.join(timeout=60)
    assert result.code == 0, result.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    got, want = received[0].decode(), (tmp_path / "expected").read_text()
    if option == "--report":
        assert got.startswith("<!DOCTYPE html>") and got.endswith("</html>\n")
        assert len(got.splitlines()) == len(want.splitlines())
    else:
        assert body(got) == body(want) and body(got).count("\n") >= 2
    assert not list(tmp_path.glob(".hftc-annot-*")) and not list((tmp_path / "regular").glob(".hftc-annot-*"))


def test_failed_run_writes_nothing_into_a_fifo(tmp_path: Path) -> None:
    bad = tmp_path / "bad.vcf"
    bad.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr2\tx\t.\tA\tG\t.\t.\t.\n")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run_cli(bad, "-o", fifo, "--build", "GRCh38")
        assert result.code == 2 and "line 3" in result.err, result.err
        assert os.read(reader, 1 << 16) == b""
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("option", list(OPTIONS))
@pytest.mark.parametrize("dangling", [False, True])
def test_symlink_output_stays_a_link(tmp_path: Path, option: str, dangling: bool) -> None:
    vcf = _vcf(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "target.txt"
    if not dangling:
        target.write_text("old content\n")
        target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    result = run_cli(*_args(vcf, tmp_path, option, link))
    assert result.code == 0, result.err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert "old content" not in target.read_text() and len(target.read_text()) > 100
    if not dangling:
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not list(elsewhere.glob(".hftc-annot-*"))


def test_dev_stdout_keeps_the_shells_append_mode(tmp_path: Path) -> None:
    vcf = _vcf(tmp_path)
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n")
    command = f'"{sys.executable}" -m hftc_annot "{vcf}" -o /dev/stdout -q >> "{log}"'
    assert subprocess.run(["sh", "-c", command], timeout=120).returncode == 0
    text = log.read_text()
    assert text.startswith("earlier line\n## hftc-annot ")
    assert body(text).splitlines()[0] == "earlier line" and len(body(text).splitlines()) == 4


def test_summary_to_dev_stderr(tmp_path: Path) -> None:
    result = run_cli(_vcf(tmp_path), "-o", tmp_path / "out.tsv", "--summary", "/dev/stderr", "-q")
    assert result.code == 0
    assert result.err.startswith("## hftc-annot ") and "\nsample\tgene\tcandidate" in result.err


NAMESPACE_RUN = """
set -e
mount -t tmpfs scratch "$SCRATCH"
mknod -m 666 "$SCRATCH/null" c 1 3
mount --bind "$SCRATCH" /dev
"$PYTHON" -m hftc_annot "$VCF" -o /dev/null --report /dev/null --summary /dev/null -q
"$PYTHON" -m hftc_annot merge -o /dev/null "$REPORT" 2>/dev/null
stat -c '%F' /dev/null
ls -A /dev
"""


@pytest.mark.skipif(shutil.which("unshare") is None or os.geteuid() != 0,
                    reason="needs root and unshare for a private mount namespace with a scratch /dev")
def test_dev_null_stays_a_device(tmp_path: Path) -> None:
    """Run as root in a private mount namespace whose /dev is a scratch tmpfs holding only a `null` node: the
    machine's /dev is never at risk, and the scratch node must still be a character device afterwards."""
    vcf = _vcf(tmp_path)
    report = tmp_path / "r.tsv"
    assert run_cli(vcf, "-o", report).code == 0
    scratch = tmp_path / "dev"
    scratch.mkdir()
    env = {**os.environ, "SCRATCH": str(scratch), "PYTHON": sys.executable, "VCF": str(vcf), "REPORT": str(report)}
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -m is not allowed here: {probe.stderr.decode().strip()}")
    proc = subprocess.run(["unshare", "-m", "sh", "-c", NAMESPACE_RUN], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["character", "special", "file", "null"]


@pytest.mark.parametrize("option", ["--report", "--summary", "-o"])
def test_output_in_a_missing_directory_is_refused_before_reading(tmp_path: Path, option: str) -> None:
    vcf = _vcf(tmp_path)
    missing = tmp_path / "no" / "such" / "file.txt"
    result = run_cli(*_args(vcf, tmp_path, option, missing))
    assert result.code == 2, result.err
    assert result.err == f"hftc-annot: error: {option} {missing}: directory {missing.parent} does not exist\n"
    assert list((tmp_path / "regular").iterdir()) == []


def test_two_outputs_naming_one_file_are_refused(tmp_path: Path) -> None:
    vcf = _vcf(tmp_path)
    out = tmp_path / "same.tsv"
    result = run_cli(vcf, "-o", out, "--summary", out)
    assert result.code == 2
    assert result.err == f"hftc-annot: error: --summary {out} and -o {out} name the same file\n"
    assert not out.exists() and not list(tmp_path.glob(".hftc-annot-*"))


def test_a_directory_output_is_refused(tmp_path: Path) -> None:
    result = run_cli(_vcf(tmp_path), "--summary", tmp_path / "summary.tsv", "-o", tmp_path)
    assert result.code == 2
    assert result.err == f"hftc-annot: error: -o {tmp_path}: is a directory\n"
    assert not list(tmp_path.glob(".hftc-annot-*")) and not (tmp_path / "summary.tsv").exists()


def _ctrl_c_as_at_a_terminal() -> None:
    """In the child, before exec: SIGINT at its default and unblocked, as a terminal's Ctrl-C finds it. A test run
    started as a background job of a non-interactive shell (`pytest &`, some CI runners) ignores SIGINT, children
    inherit that, Python then installs no KeyboardInterrupt handler, and the run rightly goes on after the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _exit_status(proc: subprocess.Popen, timeout: float) -> int:
    """proc's exit status; if it has not exited within `timeout`, fail with what says why: its signal dispositions
    and its stderr, with the Python stack of each thread (faulthandler's, on SIGABRT). The whole process group goes:
    the scan child of --threads 2 holds stderr open too."""
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            with open(f"/proc/{proc.pid}/status") as status:
                signals = [line for line in status.read().splitlines()
                           if line.startswith(("SigBlk", "SigIgn", "SigCgt", "SigPnd", "ShdPnd"))]
        except OSError:  # no /proc
            signals = []
        os.killpg(proc.pid, signal.SIGABRT)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            _, err = proc.communicate()
        pytest.fail(f"no exit {timeout} s after the signal; {' '.join(signals)}; stderr:\n"
                    f"{err.decode(errors='replace')}")


@pytest.mark.parametrize("threads", ["1", "2"])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_removes_temporary_files(tmp_path: Path, stop: signal.Signals, threads: str) -> None:
    """A run killed by SIGTERM (a cluster's time limit) or Ctrl-C while it reads stdin leaves no temporary file and
    exits 128 + the signal (Ctrl-C was 'internal error: Abort', exit 1). With --threads 2 the signal comes while
    htslib waits for the scanning child's candidates (it was ignored until the input went on)."""
    proc = subprocess.Popen([sys.executable, "-m", "hftc_annot", "-", "-o", tmp_path / "out.tsv", "--build",
                             "GRCh38", "--summary", tmp_path / "s.tsv", "--threads", threads],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_ctrl_c_as_at_a_terminal,
                            start_new_session=True, env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    assert proc.stdin is not None
    proc.stdin.write(("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                      + "chr1\t100\t.\tA\tG\t.\t.\t.\n" * 120_000).encode())  # more than one 2 MiB chunk
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".hftc-annot-*.part")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(list(tmp_path.glob(".hftc-annot-*.part"))) == 2
    time.sleep(0.5)  # let the run reach its wait for more input
    proc.send_signal(stop)
    assert _exit_status(proc, timeout=60) == 128 + stop
    proc.stdin.close()
    assert list(tmp_path.iterdir()) == []
    assert proc.stderr is not None and b"internal error" not in proc.stderr.read()


def test_a_read_of_stdin_returns_what_has_arrived_so_that_ctrl_c_between_reads_is_seen() -> None:
    """Stdin after its first bytes is read one read at a time: a buffered read waited for a full buffer, in C, and a
    Ctrl-C that came between two of its reads was acted on only when more input came (a stress run of the SIGINT test
    above hung in 5 of 32 runs under load; none since). Here 10 bytes wait in a pipe whose writer stays open: the
    read returns them (it waited for 100 before)."""
    from hftc_annot.reader import _Replay

    read_end, write_end = os.pipe()
    os.write(write_end, b"0123456789")
    got = []
    with open(read_end, "rb") as pipe:
        reader = threading.Thread(target=lambda: got.append(_Replay(b"", pipe).readinto(bytearray(100))), daemon=True)
        reader.start()
        reader.join(30)
        before_the_end = list(got)
        os.close(write_end)  # ends a read still waiting (the old code's), so that the test ends
        reader.join(30)
    assert before_the_end == [10]


@pytest.mark.parametrize("entry", ["from hftc_annot.console import main; main()", "import hftc_annot.__main__"])
def test_ctrl_c_while_the_command_line_loads_is_quiet(entry: str) -> None:
    """Ctrl-C in the tenth of a second that the modules take to load was a KeyboardInterrupt traceback; a finder
    that raises it when hftc_annot.cli is imported stands in for the key press."""
    interrupt = ("import sys\n"
                 "class Interrupt:\n"
                 "    def find_spec(self, name, path=None, target=None):\n"
                 "        if name == 'hftc_annot.cli':\n"
                 "            raise KeyboardInterrupt\n"
                 "sys.meta_path.insert(0, Interrupt())\n")
    result = subprocess.run([sys.executable, "-c", interrupt + entry, "--version"], capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "")


def test_full_device_is_one_line(tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("/dev/full does not exist here")
    result = run_cli(_vcf(tmp_path), "-o", "/dev/full", "--summary", tmp_path / "s.tsv")
    assert result.code == 2
    assert result.err == "hftc-annot: error: -o /dev/full: cannot write (No space left on device)\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_failing_summary_leaves_nothing_in_the_stdout_pipe(tmp_path: Path) -> None:
    """Standard output (the next step of a pipeline) is written after the outputs named by path; the report used to
    be in the pipe already when --summary /dev/full failed."""
    if not os.path.exists("/dev/full"):
        pytest.skip("/dev/full does not exist here")
    for option in ("--summary", "--report"):
        result = run_cli(_vcf(tmp_path), option, "/dev/full")
        assert (result.code, result.out) == (2, "")
        assert result.err == f"hftc-annot: error: {option} /dev/full: cannot write (No space left on device)\n"


def test_one_fifo_for_two_outputs_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_cli(_vcf(tmp_path), "-o", fifo, "--summary", fifo)
    assert result.code == 2
    assert result.err == f"hftc-annot: error: --summary {fifo} and -o {fifo} name the same pipe or file\n"


@pytest.mark.parametrize("threads", ["1", "2"])
def test_a_closed_stdout_is_no_internal_error(tmp_path: Path, threads: str) -> None:
    """A run started with standard output closed (`>&-`) writes its -o file; with --threads 2 it was an internal
    error (the flush of the missing sys.stdout before the scan's fork)."""
    expected = run_cli(_vcf(tmp_path), "-o", tmp_path / "expected.tsv", "-q")
    proc = subprocess.run([sys.executable, "-m", "hftc_annot", _vcf(tmp_path), "-o", tmp_path / "out.tsv", "-q",
                           "--threads", threads], stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1), timeout=300)
    assert (expected.code, proc.returncode, proc.stderr) == (0, 0, b"")
    assert body((tmp_path / "out.tsv").read_text()) == body((tmp_path / "expected.tsv").read_text())


@pytest.mark.parametrize("threads", ["1", "2"])
def test_a_closed_stderr_does_not_stop_the_run(tmp_path: Path, threads: str) -> None:
    """Standard error closed at start (`2>&-`): the messages go nowhere and the run writes its -o file (it exited 1
    with nothing written)."""
    expected = run_cli(_vcf(tmp_path), "-o", tmp_path / "expected.tsv")
    proc = subprocess.run([sys.executable, "-m", "hftc_annot", _vcf(tmp_path), "-o", tmp_path / "out.tsv", "--threads",
                           threads], stdout=subprocess.PIPE, preexec_fn=lambda: os.close(2), timeout=300)
    assert (expected.code, proc.returncode, proc.stdout) == (0, 0, b"")
    assert body((tmp_path / "out.tsv").read_text()) == body((tmp_path / "expected.tsv").read_text())


def test_closed_stdout_and_stderr_refuse_a_report_on_stdout(tmp_path: Path) -> None:
    """Both closed: /dev/null standing in for standard error must not take descriptor 1, so the report (standard
    output by default) is refused, exit 2, instead of an internal error."""

    def close_both() -> None:
        os.close(1)
        os.close(2)

    proc = subprocess.run([sys.executable, "-m", "hftc_annot", _vcf(tmp_path)], preexec_fn=close_both, timeout=300)
    assert proc.returncode == 2


@pytest.mark.parametrize("threads", ["1", "2"])
def test_a_closed_stdin_is_no_internal_error(tmp_path: Path, threads: str) -> None:
    """Standard input closed at start (`<&-`): a named VCF is read as usual, '-' is one line and exit 2; both were an
    internal error (sys.stdin is None)."""
    vcf = _vcf(tmp_path)
    expected = run_cli(vcf, "-o", tmp_path / "expected.tsv", "-q")
    runs = [subprocess.run([sys.executable, "-m", "hftc_annot", source, "-o", tmp_path / "out.tsv", "-q", "--threads",
                            threads], capture_output=True, preexec_fn=lambda: os.close(0), timeout=300)
            for source in (vcf, "-")]
    assert [(run.returncode, run.stdout, run.stderr) for run in runs] == [
        (0, b"", b""), (2, b"", b"hftc-annot: error: <stdin>: cannot read: standard input is closed\n")]
    assert expected.code == 0
    assert body((tmp_path / "out.tsv").read_text()) == body((tmp_path / "expected.tsv").read_text())


STOP_AS_THE_PART_IS_MADE = """
import os, signal, sys
from hftc_annot.cli import main
made = os.open
def create(path, *args, **kwargs):
    result = made(path, *args, **kwargs)
    if str(path).endswith(".part"):
        os.kill(os.getpid(), signal.SIGTERM)
    return result
os.open = create
main(sys.argv[1:])
"""


def test_a_stop_as_the_temporary_output_is_made_leaves_nothing(tmp_path: Path) -> None:
    """SIGTERM handled just as the output's temporary file is created (here: as its os.open returns) left the .part file
    in the output directory; found by sending signals at random moments of runs."""
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.run([sys.executable, "-c", STOP_AS_THE_PART_IS_MADE, _vcf(tmp_path), "-o", out / "r.tsv"],
                          capture_output=True, timeout=300)
    assert (proc.returncode, proc.stdout, proc.stderr) == (128 + signal.SIGTERM, b"", b"")
    assert list(out.iterdir()) == []


def _with_reader_gone(tmp_path: Path, *args: str | Path) -> subprocess.CompletedProcess:
    """Run with standard output a pipe whose reader has already gone, as `| head -1` leaves it once it has its line."""
    read, write = os.pipe()
    os.close(read)
    temp = tmp_path / "tmpdir"
    temp.mkdir(exist_ok=True)
    try:
        return subprocess.run([sys.executable, "-m", "hftc_annot", *map(str, args)], stdout=write,
                              stderr=subprocess.PIPE, env={**os.environ, "TMPDIR": str(temp)}, timeout=300)
    finally:
        os.close(write)


def test_a_reader_gone_from_stdout_is_sigpipes_status(tmp_path: Path) -> None:
    """`hftc-annot x.vcf | head -1`, and the same of merge and panel: exit 141 (128 + SIGPIPE, as a tool the signal
    stops) with nothing on stderr and no temporary file left; it was exit 1, the status of an internal error (click
    turns a broken pipe into it)."""
    vcf = _vcf(tmp_path)
    report = tmp_path / "report.tsv"
    assert run_cli(vcf, "-o", report, "-q").code == 0
    runs = [_with_reader_gone(tmp_path, *args) for args in
            ([vcf], [vcf, "--format", "vcf", "--summary", tmp_path / "s.tsv"], ["merge", report], ["panel"])]
    assert [(run.returncode, run.stderr) for run in runs] == [(141, b"")] * 4
    assert list((tmp_path / "tmpdir").iterdir()) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.vcf", "report.tsv", "tmpdir"]


def _cut_short(tmp_path: Path, limit: int, *args: str | Path) -> subprocess.CompletedProcess:
    """Run with files limited to `limit` bytes (RLIMIT_FSIZE: a write past it fails, EFBIG, as on a full disk) and
    TMPDIR in tmp_path/tmpdir."""
    import resource

    temp = tmp_path / "tmpdir"
    temp.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "hftc_annot", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "TMPDIR": str(temp)}, timeout=300,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))


def _many_records(tmp_path: Path) -> Path:
    """An indexed VCF (read without a temporary file of candidates) whose 300 records make a kept BCF of about 19 kB
    and an annotated VCF of about 62 kB."""
    return bgzip_index(write_vcf(tmp_path / "in.vcf", [
        f"chr2 {165750000 + 10 * i} . A G 50 PASS . GT:AD:DP:GQ 0/1:5,5:10:60" for i in range(300)]))


def test_an_annotated_vcf_that_htslib_cannot_write_is_an_error(tmp_path: Path) -> None:
    """A full disk while the annotated VCF is written: exit 2 naming the output, nothing published. htslib's failed
    writes are return values, not raised: the run exited 0 and published the cut file (-o /mnt/full/out.vcf.gz on a
    64 KiB tmpfs: 65,536 bytes, no BGZF end-of-file block)."""
    vcf = _many_records(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    proc = _cut_short(tmp_path, 40_000, vcf, "-o", out / "out.vcf")
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        2, "", f"hftc-annot: error: -o {out / 'out.vcf'}: cannot write (htslib failed to write the annotated VCF: a "
               "full disk?)\n")
    assert list(out.iterdir()) == [] and list((tmp_path / "tmpdir").iterdir()) == []


def test_panel_records_htslib_cannot_keep_are_an_error(tmp_path: Path) -> None:
    """A full disk while the panel records are kept in the temporary BCF for the annotated VCF: exit 2 naming that
    file (it was 'internal error: Exception: error parsing variant with `htslib::bcf_read`')."""
    vcf = _many_records(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    proc = _cut_short(tmp_path, 8_000, vcf, "-o", out / "out.vcf")
    temp = re.escape(str(tmp_path / "tmpdir"))
    assert (proc.returncode, proc.stdout) == (2, "")
    assert re.fullmatch(f"hftc-annot: error: {temp}/hftc-annot-[^/]+\\.bcf: htslib failed to write the panel records "
                        "to this temporary file: a full disk\\?\n", proc.stderr), proc.stderr
    assert list(out.iterdir()) == [] and list((tmp_path / "tmpdir").iterdir()) == []


@pytest.mark.parametrize(("kind", "name"), [("vcf", "merged.vcf.gz"), ("tsv", "merged.tsv.bgz"), ("tsv", "merged.tsv")])
def test_a_bgzf_output_that_cannot_be_written_is_named(tmp_path: Path, kind: str, name: str) -> None:
    """merge -o x.vcf.gz (and a .bgz report) on a full disk: one line naming the output, exit 2; it was htslib's two
    '[E::bgzf_...] File write failed' lines and 'internal error: OSError: Error closing BGZFile object', exit 1, and a
    plain output 'while writing: File too large', naming none."""
    part = tmp_path / f"part.{kind}"
    assert run_cli(_many_records(tmp_path), "-o", part, "-q").code == 0
    out = tmp_path / "out"
    out.mkdir()
    proc = _cut_short(tmp_path, 2_000, "merge", "-o", out / name, part)
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        2, "", f"hftc-annot: error: -o {out / name}: cannot write (File too large)\n")
    assert list(out.iterdir()) == [] and list((tmp_path / "tmpdir").iterdir()) == []


def test_output_endings_in_upper_case_name_their_format(tmp_path: Path) -> None:
    """-o X.VCF.GZ wrote an uncompressed TSV into a file named as a bgzipped VCF (endings were matched in lower case
    only); merge -o M.VCF likewise. Found by review."""
    trio = Path(__file__).resolve().parents[1] / "example_vcfs" / "trio.vcf"
    for name, start in (("OUT.VCF.GZ", b"\x1f\x8b\x08\x04"), ("OUT.TSV.GZ", b"\x1f\x8b\x08\x00"),
                        ("OUT.BCF", b"\x1f\x8b\x08\x04"), ("OUT.JSON", b"{")):
        result = run_cli(trio, "-q", "-o", tmp_path / name)
        assert result.code == 0, result.err
        assert (tmp_path / name).read_bytes()[:len(start)] == start, name
    assert run_cli(trio, "-q", "--shard", "1/2", "-o", tmp_path / "s1.vcf").code == 0
    assert run_cli(trio, "-q", "--shard", "2/2", "-o", tmp_path / "s2.vcf").code == 0
    merged = run_cli("merge", "-o", tmp_path / "M.VCF.GZ", tmp_path / "s1.vcf", tmp_path / "s2.vcf")
    assert merged.code == 0, merged.err
    assert (tmp_path / "M.VCF.GZ").read_bytes()[:4] == b"\x1f\x8b\x08\x04"
    refused = run_cli("merge", "-o", tmp_path / "M.TSV", tmp_path / "s1.vcf", tmp_path / "s2.vcf")
    assert (refused.code, refused.err.splitlines()[-1]) == (2, (
        f"hftc-annot: error: -o {tmp_path / 'M.TSV'}: the name asks for a TSV report, but merging VCF files writes a "
        "VCF; name it .vcf or .vcf.gz"))
