"""Start-up time of the commands that do no annotation (--version, --help, panel), against the bare interpreter.

Issue 15's target: `hftc-annot --version` and `hftc-annot panel` <= 0.08 s. Each command runs --repeat times,
alternating with `python -c pass` (the baseline: what any Python tool pays) so drift hits both alike; medians are
reported, and the ratio to the baseline. `--compare-with DIR` times a checkout of another commit (PYTHONPATH=DIR)
in the same run.

    python3 bench/bench_startup.py --repeat 21
    git worktree add /tmp/before <commit> && python3 bench/bench_startup.py --compare-with /tmp/before
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from run_bench import REPO, run_measured

TARGET_S = 0.08
COMMANDS = {"--version": ["--version"], "--help": ["--help"], "panel": ["panel"]}


def median_s(cmd: list[str], baseline: list[str], repeat: int) -> tuple[float, float]:
    mine, base = [], []
    for _ in range(repeat):
        mine.append(run_measured(cmd).seconds)
        base.append(run_measured(baseline).seconds)
    return statistics.median(mine), statistics.median(base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--compare-with", type=Path, metavar="DIR", help="a checkout of another commit")
    args = parser.parse_args()
    checkouts = {"this checkout": REPO} | ({f"{args.compare_with}": args.compare_with} if args.compare_with else {})
    baseline = [sys.executable, "-c", "pass"]
    print("| checkout | command | median s | `python -c pass` median s | ratio | target <= 0.08 s |")
    print("|---|---|---:|---:|---:|---|")
    for label, checkout in checkouts.items():
        os.environ["PYTHONPATH"] = str(checkout)
        for name, extra in COMMANDS.items():
            mine, base = median_s([sys.executable, "-m", "hftc_annot", *extra], baseline, args.repeat)
            verdict = "met" if mine <= TARGET_S else "MISSED"
            print(f"| {label} | `hftc-annot {name}` | {mine:.3f} | {base:.3f} | {mine / base:.2f} | "
                  f"{verdict if name != '--help' else '(no target)'} |")


if __name__ == "__main__":
    main()
