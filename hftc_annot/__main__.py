"""Allow `python -m hftc_annot`."""

from hftc_annot.console import main

main()
