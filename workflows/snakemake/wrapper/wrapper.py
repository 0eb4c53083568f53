"""Snakemake wrapper for hftc-annot: annotate a VCF/BCF with the calcification gene panel."""

__author__ = "hftc-annot developers"
__copyright__ = "Copyright 2025, hftc-annot developers"
__license__ = "MIT"

from shlex import quote

from snakemake.shell import shell

# Each of these named outputs is one hftc-annot run (-o, with its --format). html is a run of its own only
# when none of the others is asked for; otherwise it and summary are written by the first run.
RUN_FORMATS = ("tsv", "vcf", "json")
SIDE_OUTPUTS = {"html": "--report", "summary": "--summary"}

named = dict(snakemake.output.items())  # noqa: F821
unknown = sorted(set(named) - set(RUN_FORMATS) - set(SIDE_OUTPUTS))
if unknown:
    raise ValueError(f"hftc-annot wrapper: unknown named output(s) {unknown}; use tsv, vcf, json, html, summary")

if not named:
    # One unnamed output: hftc-annot takes the format from its name.
    runs = [("", snakemake.output[0])]  # noqa: F821
else:
    runs = [(f"--format {fmt}", named[fmt]) for fmt in RUN_FORMATS if fmt in named]
    if not runs:
        if "html" not in named:
            raise ValueError("hftc-annot wrapper: a summary output needs a tsv, vcf, json or html output too")
        runs = [("--format html", named.pop("html"))]
side = " ".join(f"{option} {quote(named[key])}" for key, option in SIDE_OUTPUTS.items() if key in named)

ped = snakemake.input.get("ped")  # noqa: F821
ped = f"--ped {quote(ped)}" if ped else ""
extra = snakemake.params.get("extra", "")  # noqa: F821

# shell() fills the command from the local variables, so fmt and out are used.
for i, (fmt, out) in enumerate(runs):  # noqa: B007
    # not snakemake.log_fmt_shell(), which leaves the log's path unquoted (a space in it split the command)
    log = f"{'2>>' if i > 0 else '2>'} {quote(snakemake.log[0])}" if snakemake.log else ""  # noqa: F821
    side_outputs = side if i == 0 else ""
    shell(
        "hftc-annot {snakemake.input.vcf:q} {fmt} -o {out:q} {side_outputs} {ped}"
        " --threads {snakemake.threads} {extra} {log}"
    )
