"""The damaged-input corpus of tests/corpus.py with every flag set: a longer sweep than CI's.

Usage: python scripts/sweep_damaged_inputs.py [--keep DIR]
Prints the corpus size, the exit-code counts and every broken promise (none expected); exits 1 if any.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from corpus import broken_promises, build_cases, exit_counts, run_corpus  # noqa: E402

FLAG_SETS = ((), ("--build", "GRCh37"), ("--build", "GRCh38"), ("--format", "vcf"), ("--format", "json"),
             ("--threads", "2"), ("--format", "vcf", "--build", "GRCh37", "--threads", "2"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", type=Path, help="write the corpus and outputs here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep or Path(scratch)
        (root / "in").mkdir(parents=True, exist_ok=True)
        (root / "out").mkdir(exist_ok=True)
        cases = build_cases(root / "in")
        started = time.perf_counter()
        outcomes, child_stderr, child_code = run_corpus(cases, FLAG_SETS, root / "out", timeout=3600)
        problems = broken_promises(outcomes, root / "out")
        if child_code != 0 or len(outcomes) != len(cases) * len(FLAG_SETS):
            problems.append(f"the runner stopped (exit {child_code}): {child_stderr[-500:]}")
        counts = exit_counts(outcomes)
        print(f"{len(cases)} damaged inputs x {len(FLAG_SETS)} flag sets = {len(outcomes)} runs in "
              f"{time.perf_counter() - started:.0f} s; exit codes: "
              + ", ".join(f"{code}: {n}" for code, n in sorted(counts.items())))
        for problem in problems:
            print(problem)
        return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
