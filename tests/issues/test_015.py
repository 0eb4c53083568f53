"""Issue 15 (speed), the part that is done: commands that annotate nothing start without the engine.

Times are measured by bench/bench_startup.py, never asserted here; this checks the cause: `--version`, `--help`
and `panel` import neither numpy nor htslib bindings nor the stages.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

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
