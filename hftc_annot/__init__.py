"""hftc-annot: a variant annotator for a curated panel of calcification-disorder genes."""

__version__ = "0.2.0.dev0"
