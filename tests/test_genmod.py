"""hftc-annot's inheritance flags against genmod's GeneticModels (issue 4), on the example trio and on small cases.

genmod (PyPI `genmod`; the table was made with 3.12.0, so CI installs `genmod==3.12.0`) is run the way its
documentation describes, offline: `genmod annotate -r -b 38` (gene regions from the Ensembl gene list that genmod
ships), then `genmod models -f PED`. hftc-annot runs on the same VCF and PED. For the affected sample, every
variant that either tool labels, or that hftc-annot reports for that sample, becomes one row of the comparison.

To compare, genmod's models are put in our vocabulary: AR_hom and AR_hom_dn -> AR_hom; AR_comp and AR_comp_dn ->
AR_comphet; AD and AD_dn -> AD; XD, XD_dn, XR and XR_dn -> XL; and de_novo when genmod gives only the de novo
form of a dominant or X-linked model (AD_dn without AD, XD_dn without XD, XR_dn without XR: no genotyped parent
carries it). A row agrees when that set equals our inheritance_flags. genmod tests every model in every gene;
hftc-annot only the modes the panel records for the gene (GALNT3: AR), which explains the extra AD rows.

The expected rows, with a one-line reason for every disagreement, are tests/data/genmod_comparison.tsv.
All genotypes of the extra cases are made up; positions are intronic GALNT3 (an AR gene in the panel), SLC20A2 (AD)
and PHEX (XLD). The quartets have an affected sibling SIB, who does or does not share CHILD's genotype: genmod gives
nothing unless every affected member shares it, we lower to medium (README, "What relatives' genotypes do to a
flag"), and where genmod flags we must not lower.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from conftest import run_cli, table, write_vcf

pytest.importorskip("genmod.commands.base", reason="genmod is not installed (pip install genmod==3.12.0)")

GENMOD_VERSION = "3.12.0"  # the version the checked-in table was made with
ROOT = Path(__file__).resolve().parent.parent
EXPECTED = Path(__file__).parent / "data" / "genmod_comparison.tsv"
COLUMNS = ("case", "variant", "sample", "genmod_models", "hftc_annot_flags", "agree", "reason")
GENMOD = (sys.executable, "-c", "import sys; from genmod.commands.base import cli; sys.exit(cli())")

A, B, C = "chr2 165750000 . A G 50 PASS .", "chr2 165760000 . C T 50 PASS .", "chr2 165765000 . G A 50 PASS ."
FORMAT = "GT:AD:DP:GQ"
HET, HOM, REF, MISS = "0/1:10,10:20:60", "1/1:0,20:20:60", "0/0:20,0:20:60", "./.:.:.:."
AD_SITE, X_SITE = "chr8 42450000 . A G 50 PASS .", "chrX 22050000 . G A 50 PASS ."  # SLC20A2, PHEX
TRIO_SAMPLES = ("CHILD", "FATHER", "MOTHER")
QUARTET_SAMPLES = (*TRIO_SAMPLES, "SIB")
TRIO_PED = ["FAM1 CHILD FATHER MOTHER 2 2", "FAM1 FATHER 0 0 1 1", "FAM1 MOTHER 0 0 2 1"]
DUO_PED = ["FAM1 CHILD 0 MOTHER 2 2", "FAM1 MOTHER 0 0 2 1"]


def quartet_ped(sib_sex: int = 2, father: int = 1, mother: int = 1) -> list[str]:
    """A son, his parents (unaffected unless told) and an affected sibling."""
    return ["FAM1 CHILD FATHER MOTHER 1 2", f"FAM1 FATHER 0 0 1 {father}", f"FAM1 MOTHER 0 0 2 {mother}",
            f"FAM1 SIB FATHER MOTHER {sib_sex} 2"]


# name -> (records, samples, PED lines); the affected sample is always CHILD.
CASES: dict[str, tuple[list[str], tuple[str, ...], list[str]]] = {
    # genmod issue #99: each variant has one parent genotyped, a different parent for each.
    "missing_each_parent": ([f"{B} {FORMAT} {HET} {MISS} {HET}", f"{C} {FORMAT} {HET} {HET} {MISS}"],
                            TRIO_SAMPLES, TRIO_PED),
    "missing_father": ([f"{B} {FORMAT} {HET} {MISS} {HET}", f"{C} {FORMAT} {HET} {MISS} {REF}"],
                       TRIO_SAMPLES, TRIO_PED),
    "duo_mother_carries_one": ([f"{B} {FORMAT} {HET} {HET}", f"{C} {FORMAT} {HET} {REF}"],
                               ("CHILD", "MOTHER"), DUO_PED),
    "duo_mother_carries_both": ([f"{B} {FORMAT} {HET} {HET}", f"{C} {FORMAT} {HET} {HET}"],
                                ("CHILD", "MOTHER"), DUO_PED),
    "singleton_two_hets": ([f"{B} {FORMAT} {HET}", f"{C} {FORMAT} {HET}"], ("CHILD",), ["FAM1 CHILD 0 0 2 2"]),
    "trio_cis_from_father": ([f"{B} {FORMAT} {HET} {HET} {REF}", f"{C} {FORMAT} {HET} {HET} {REF}"],
                             TRIO_SAMPLES, TRIO_PED),
    "trio_comphet_one_de_novo": ([f"{B} {FORMAT} {HET} {HET} {REF}", f"{C} {FORMAT} {HET} {REF} {REF}"],
                                 TRIO_SAMPLES, TRIO_PED),
    "trio_hom_mother_ref": ([f"{A} {FORMAT} {HOM} {HET} {REF}"], TRIO_SAMPLES, TRIO_PED),
    "trio_hom_father_hom": ([f"{A} {FORMAT} {HOM} {HOM} {HET}"], TRIO_SAMPLES, TRIO_PED),
    "hom_affected_sib_ref": ([f"{A} {FORMAT} {HOM} {HET} {HET} {REF}"], QUARTET_SAMPLES, quartet_ped()),
    "hom_affected_sib_hom": ([f"{A} {FORMAT} {HOM} {HET} {HET} {HOM}"], QUARTET_SAMPLES, quartet_ped()),
    "comphet_affected_sib_one": ([f"{B} {FORMAT} {HET} {HET} {REF} {HET}", f"{C} {FORMAT} {HET} {REF} {HET} {REF}"],
                                 QUARTET_SAMPLES, quartet_ped()),
    "comphet_affected_sib_both": ([f"{B} {FORMAT} {HET} {HET} {REF} {HET}", f"{C} {FORMAT} {HET} {REF} {HET} {HET}"],
                                  QUARTET_SAMPLES, quartet_ped()),
    "ad_affected_sib_ref": ([f"{AD_SITE} {FORMAT} {HET} {HET} {REF} {REF}"], QUARTET_SAMPLES, quartet_ped(father=2)),
    "de_novo_affected_sib_ref": ([f"{AD_SITE} {FORMAT} {HET} {REF} {REF} {REF}"], QUARTET_SAMPLES, quartet_ped()),
    "de_novo_affected_sib_het": ([f"{AD_SITE} {FORMAT} {HET} {REF} {REF} {HET}"], QUARTET_SAMPLES, quartet_ped()),
    "xl_affected_brother_ref": ([f"{X_SITE} {FORMAT} {HOM} {REF} {HET} {REF}"], QUARTET_SAMPLES,
                                quartet_ped(sib_sex=1, mother=2)),
    "xl_affected_sister_het": ([f"{X_SITE} {FORMAT} {HOM} {REF} {HET} {HET}"], QUARTET_SAMPLES,
                               quartet_ped(mother=2)),
}

_OURS = {"AR_hom": "AR_hom", "AR_comp": "AR_comphet", "AD": "AD", "XD": "XL", "XR": "XL"}


def as_hftc_flags(models: str) -> set[str]:
    """genmod's models for one variant and family (`AR_comp|AR_comp_dn`) in our flag vocabulary."""
    names = set(models.split("|")) - {"."}
    flags = {_OURS[name.removesuffix("_dn")] for name in names}
    if any(name.endswith("_dn") and name[:-3] in ("AD", "XD", "XR") and name[:-3] not in names for name in names):
        flags.add("de_novo")
    return flags


def _run(command: tuple[str, ...] | list[str]) -> None:
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def _records(vcf: Path) -> list[list[str]]:
    return [line.split("\t") for line in vcf.read_text().splitlines() if line and not line.startswith("#")]


def _label(fields: list[str]) -> str:
    return f"{fields[0]}:{fields[1]} {fields[3]}>{fields[4]}"


def genmod_models(vcf: Path, ped: Path, work: Path, family: str = "FAM1") -> dict[str, str]:
    """variant label -> genmod's GeneticModels for `family` (only variants it labels)."""
    annotated, modelled = work / "genmod.annotated.vcf", work / "genmod.models.vcf"
    _run([*GENMOD, "annotate", "--annotate_regions", "--genome-build", "38", str(vcf), "-o", str(annotated)])
    _run([*GENMOD, "models", "--family_file", str(ped), str(annotated), "-o", str(modelled)])
    found = {}
    for fields in _records(modelled):
        info = dict(item.split("=", 1) for item in fields[7].split(";") if "=" in item)
        for entry in info.get("GeneticModels", "").split(","):
            name, _, models = entry.partition(":")
            if name == family:
                found[_label(fields)] = models
    return found


def hftc_flags(vcf: Path, ped: Path, sample: str) -> dict[str, str]:
    """variant label -> our inheritance_flags for `sample` (every variant reported for that sample). genmod
    considers every variant, so every allele qualifies here (--qualify all)."""
    result = run_cli(vcf, "--ped", ped, "-q", "--qualify", "all")
    assert result.code == 0, result.err
    found: dict[str, str] = {}
    for row in table(result.out):
        if row["sample"] == sample:
            label = f"{row['chrom']}:{row['pos']} {row['ref']}>{row['alt']}"
            assert label not in found, f"{label} reported twice for {sample}"
            found[label] = row["inheritance_flags"]
    return found


def compare_case(case: str, vcf: Path, ped: Path, sample: str, work: Path) -> list[tuple[str, ...]]:
    """Rows (case, variant, sample, genmod_models, hftc_annot_flags, agree) in VCF order."""
    work.mkdir(parents=True, exist_ok=True)
    theirs, ours = genmod_models(vcf, ped, work), hftc_flags(vcf, ped, sample)
    rows = []
    for label in dict.fromkeys(_label(fields) for fields in _records(vcf)):
        if label not in theirs and label not in ours:
            continue
        models, flags = theirs.get(label, "."), ours.get(label, ".")
        agree = as_hftc_flags(models) == set(flags.split(";")) - {"."}
        rows.append((case, label, sample, models, flags, "yes" if agree else "no"))
    return rows


def comparison(work: Path) -> list[tuple[str, ...]]:
    """The whole comparison: the example trio, then every case of CASES."""
    examples = ROOT / "example_vcfs"
    rows = compare_case("example_trio", examples / "trio.vcf", examples / "trio.ped", "CHILD", work / "example_trio")
    for case, (records, samples, ped_lines) in CASES.items():
        folder = work / case
        folder.mkdir()
        vcf = write_vcf(folder / "in.vcf", records, samples=samples)
        ped = folder / "fam.ped"
        ped.write_text("".join("\t".join(line.split()) + "\n" for line in ped_lines))
        rows += compare_case(case, vcf, ped, "CHILD", folder)
    return rows


def read_expected() -> list[dict[str, str]]:
    lines = EXPECTED.read_text().splitlines()
    assert tuple(lines[0].split("\t")) == COLUMNS
    return [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in lines[1:]]


def test_mapping_of_genmod_models() -> None:
    assert as_hftc_flags(".") == set()
    assert as_hftc_flags("AR_comp|AR_comp_dn") == {"AR_comphet"}
    assert as_hftc_flags("AD|AD_dn") == {"AD"}
    assert as_hftc_flags("AD_dn|AR_comp_dn") == {"AD", "de_novo", "AR_comphet"}
    assert as_hftc_flags("XD_dn") == {"XL", "de_novo"}
    assert as_hftc_flags("AR_hom_dn") == {"AR_hom"}


def test_comparison_matches_checked_in_table(tmp_path: Path) -> None:
    installed = metadata.version("genmod")
    if installed != GENMOD_VERSION:
        pytest.skip(f"tests/data/genmod_comparison.tsv was made with genmod {GENMOD_VERSION}, not {installed}")
    expected = read_expected()
    computed = comparison(tmp_path)
    assert [tuple(row[c] for c in COLUMNS[:-1]) for row in expected] == computed, (
        "the comparison with genmod changed: review it and update tests/data/genmod_comparison.tsv")
    unexplained = [row for row in expected if row["agree"] == "no" and row["reason"] in ("", ".")]
    assert unexplained == []
