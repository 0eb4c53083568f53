"""Allow `python -m hftc_annot`."""

from hftc_annot.cli import main

main()
