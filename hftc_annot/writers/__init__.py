"""Writer stage: the counselor's TSV report and the annotated VCF for pipelines."""
