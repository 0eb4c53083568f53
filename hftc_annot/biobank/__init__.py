"""Biobank scale on Hail and Spark: `hftc-annot hail` and `annotate_matrix_table`, with the single-machine stages
and rules (install with `pip install "hftc-annot[hail]"`)."""
