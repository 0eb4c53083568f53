"""The console script's entry point: a Ctrl-C while the command line's modules load ends quietly, exit 130."""

from __future__ import annotations

import sys


def main() -> None:
    """Load the command line (click, numpy, the stages take a tenth of a second), then run it (cli.main)."""
    try:
        from hftc_annot.cli import main as run
    except KeyboardInterrupt:
        sys.exit(130)
    run()
