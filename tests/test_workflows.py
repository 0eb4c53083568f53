"""The pipeline integrations under workflows/.

Snakemake: the wrapper's test Snakefile and the example workflow run with the real snakemake (skipped when it
is not installed); every output is compared with a direct hftc-annot run, and a second run must do nothing.

Nextflow: no engine here, so the modules' script and stub blocks are cut out of main.nf, their Groovy
variables replaced with test values the way Nextflow would, and the result run with bash in a directory
where the inputs are staged as Nextflow stages them; the declared outputs must appear and equal a direct run.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from hftc_annot import __version__
from hftc_annot.writers.tsv import COLUMNS

from conftest import body

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "example_vcfs"
SNAKEMAKE = ROOT / "workflows" / "snakemake"
MODULES = ROOT / "workflows" / "nextflow" / "modules" / "local" / "hftc_annot"

# The GRCh38 examples (merge refuses mixed builds, so not grch37_exome.vcf); sample name -> file.
SAMPLES = {"multiallelic": "multiallelic.vcf", "single_exome": "single_exome.vcf.gz", "trio": "trio.vcf"}
# The sample names in each example's VCF header.
VCF_SAMPLES = {"multiallelic": ["SAMPLE1", "SAMPLE2", "SAMPLE3", "SAMPLE4"], "single_exome": ["PATIENT1"],
               "trio": ["CHILD", "FATHER", "MOTHER"]}
EXTRA = ["--min-gq", "30"]

# The same hftc-annot as this interpreter's, for the direct runs and for the jobs of the workflows.
ENV = {**os.environ, "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}


def run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300)


def hftc(*args: str | Path, cwd: Path) -> None:
    result = run(["hftc-annot", *args], cwd)
    assert result.returncode == 0, result.stderr


def hftc_version() -> str:
    result = run(["hftc-annot", "--version"], ROOT)
    match = re.fullmatch(r"hftc-annot, version (\S+)\n", result.stdout)
    assert match, result.stdout
    return match.group(1)


def vcf_records(path: Path) -> str:
    """The VCF without its ## meta lines (which name the command); bgzipped or plain."""
    with (gzip.open(path, "rt") if path.suffix == ".gz" else path.open()) as handle:
        return "".join(line for line in handle if not line.startswith("##"))


def rows(tsv: Path) -> list[str]:
    return body(tsv.read_text()).splitlines()[1:]


def stage(directory: Path, *files: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copy(path, directory / path.name)


def stage_cohort(directory: Path) -> None:
    """The example VCFs (and the bgzipped one's index) in vcfs/, the trio's pedigree in peds/."""
    stage(directory / "vcfs", *(EXAMPLES / name for name in SAMPLES.values()), EXAMPLES / "single_exome.vcf.gz.tbi")
    stage(directory / "peds", EXAMPLES / "trio.ped")


def sample_options(sample: str) -> list[str]:
    return ["--ped", "peds/trio.ped"] if sample == "trio" else []


@pytest.mark.parametrize("environment", [
    SNAKEMAKE / "wrapper" / "environment.yaml", MODULES / "environment.yml", MODULES / "merge" / "environment.yml"])
def test_conda_environments_pin_this_version(environment: Path) -> None:
    """The wheel built from this checkout (workflows/README.md) is this version; the environments pinned 0.1.0, which
    pip cannot find among the wheels of a 0.2 checkout, so --use-conda and -profile conda failed."""
    (pin,) = re.findall(r"^\s*- hftc-annot ?==(\S+)$", environment.read_text(), flags=re.MULTILINE)
    assert pin == hftc_version() == __version__


# --- Snakemake ----------------------------------------------------------------------------------------------

def snakemake(snakefile: Path, cwd: Path, *args: str) -> str:
    pytest.importorskip("snakemake")
    result = subprocess.run([sys.executable, "-m", "snakemake", "-s", str(snakefile), "--cores", "2", *args],
                            cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout
    return result.stdout


def mtimes(directory: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in directory.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example workflow run twice on the GRCh38 examples (the trio also in 3 gene shards), and direct runs
    of the same in direct/."""
    work = tmp_path_factory.mktemp("snakemake_example")
    stage_cohort(work)
    (work / "config.yaml").write_text(textwrap.dedent(f"""\
        vcf_dir: vcfs
        outdir: results
        extra: "{' '.join(EXTRA)}"
        ped:
          trio: peds/trio.ped
        cohort_vcf: vcfs/trio.vcf
        cohort_ped: peds/trio.ped
        shards: 3
        """))
    first = snakemake(SNAKEMAKE / "example" / "Snakefile", work, "--configfile", "config.yaml")
    assert "steps (100%) done" in first, first
    before = mtimes(work / "results")

    second = snakemake(SNAKEMAKE / "example" / "Snakefile", work, "--configfile", "config.yaml")
    assert "Nothing to be done (all requested files are present and up to date)." in second, second
    assert "rule annotate" not in second and "rule merge" not in second
    assert mtimes(work / "results") == before

    (work / "direct").mkdir()
    for sample, name in SAMPLES.items():
        options = [*sample_options(sample), *EXTRA]
        hftc(f"vcfs/{name}", *options, "-o", f"direct/{sample}.tsv", "--report", f"direct/{sample}.html", cwd=work)
        hftc(f"vcfs/{name}", *options, "-o", f"direct/{sample}.vcf.gz", cwd=work)
    hftc("merge", "-o", "direct/cohort.tsv", *(f"direct/{sample}.tsv" for sample in SAMPLES), cwd=work)
    return work


def test_example_workflow_outputs(cohort: Path) -> None:
    results = cohort / "results"
    expected = {"cohort.hftc.tsv", "logs/merge.log", "sharded/cohort.hftc.tsv", "sharded/cohort.hftc.vcf.gz",
                "logs/merge_shards.tsv.log", "logs/merge_shards.vcf.gz.log"} | {
        f"{kind}/{sample}.{ext}" for sample in SAMPLES
        for kind, ext in [("samples", "hftc.tsv"), ("samples", "hftc.vcf.gz"), ("samples", "hftc.html"),
                          ("logs/annotate", "log")]} | {
        f"{kind}/{k}_of_3.{ext}" for k in (1, 2, 3)
        for kind, ext in [("sharded/shards", "hftc.tsv"), ("sharded/shards", "hftc.vcf.gz"),
                          ("logs/annotate_shard", "log")]}
    assert {str(p.relative_to(results)) for p in results.rglob("*") if p.is_file()} == expected


@pytest.mark.parametrize("sample", SAMPLES)
def test_example_workflow_sample(cohort: Path, sample: str) -> None:
    out, direct = cohort / "results" / "samples", cohort / "direct"
    tsv = (out / f"{sample}.hftc.tsv").read_text()
    assert body(tsv) == body((direct / f"{sample}.tsv").read_text())
    assert vcf_records(out / f"{sample}.hftc.vcf.gz") == vcf_records(direct / f"{sample}.vcf.gz")
    html = (out / f"{sample}.hftc.html").read_text()
    assert all(name in html for name in [sample, *VCF_SAMPLES[sample]])
    # The job's stderr: hftc-annot's one-line summary of each of its two runs (TSV + HTML, then VCF).
    log = (cohort / "results" / "logs" / "annotate" / f"{sample}.log").read_text()
    assert log.count(" rows written; ") == 2, log


def test_example_workflow_cohort(cohort: Path) -> None:
    merged = (cohort / "results" / "cohort.hftc.tsv").read_text()
    assert body(merged) == body((cohort / "direct" / "cohort.tsv").read_text())
    assert body(merged).splitlines()[0].split("\t") == list(COLUMNS)
    per_sample = [rows(cohort / "results" / "samples" / f"{sample}.hftc.tsv") for sample in SAMPLES]
    assert all(per_sample)
    assert len(rows(cohort / "results" / "cohort.hftc.tsv")) == sum(map(len, per_sample))
    assert sorted(rows(cohort / "results" / "cohort.hftc.tsv")) == sorted(r for rs in per_sample for r in rs)
    assert (cohort / "results" / "logs" / "merge.log").exists()


def test_example_workflow_shards(cohort: Path) -> None:
    """The trio annotated in 3 gene shards and merged back equals one unsharded run."""
    sharded, direct = cohort / "results" / "sharded", cohort / "direct"
    assert body((sharded / "cohort.hftc.tsv").read_text()) == body((direct / "trio.tsv").read_text())
    assert vcf_records(sharded / "cohort.hftc.vcf.gz") == vcf_records(direct / "trio.vcf.gz")
    shard_rows = [rows(sharded / "shards" / f"{k}_of_3.hftc.tsv") for k in (1, 2, 3)]
    assert sum(map(len, shard_rows)) == len(rows(direct / "trio.tsv"))
    assert sum(bool(r) for r in shard_rows) > 1


def test_example_workflow_in_folders_with_spaces(tmp_path: Path) -> None:
    """The merge rules quote their paths: 'hftc-annot merge -o {output} {input}' split 'my results/...' in two."""
    stage(tmp_path / "my vcfs", EXAMPLES / "trio.vcf", EXAMPLES / "multiallelic.vcf")
    snakemake(SNAKEMAKE / "example" / "Snakefile", tmp_path, "--config", "vcf_dir=my vcfs", "outdir=my results",
              "cohort_vcf=my vcfs/trio.vcf", "shards=2")
    for sample in ("trio", "multiallelic"):
        hftc(f"my vcfs/{sample}.vcf", "-o", f"{sample}.hftc.tsv", cwd=tmp_path)
    hftc("merge", "-o", "cohort.tsv", "trio.hftc.tsv", "multiallelic.hftc.tsv", cwd=tmp_path)
    results = tmp_path / "my results"
    assert body((results / "cohort.hftc.tsv").read_text()) == body((tmp_path / "cohort.tsv").read_text())
    assert body((results / "sharded" / "cohort.hftc.tsv").read_text()) == body(
        (tmp_path / "trio.hftc.tsv").read_text())
    assert (results / "logs" / "merge.log").read_text() == "hftc-annot merge: 2 TSV files, 25 rows written\n"
    assert not (tmp_path / "my").exists()


SLURM = ROOT / "workflows" / "slurm"
# What each SLURM job must have been given (rule/wildcards: cpus, memory, time limit in minutes): the Snakefile's
# threads (2 for a VCF without an index: the indexed single_exome.vcf.gz reads without threads) and the SLURM
# profile's resources.
SLURM_JOBS = {
    "annotate/multiallelic": ("2", "4G", "60"), "annotate/single_exome": ("1", "4G", "60"),
    "annotate/trio": ("2", "4G", "60"), "annotate_shard/1": ("2", "4G", "60"), "annotate_shard/2": ("2", "4G", "60"),
    "annotate_shard/3": ("2", "4G", "60"), "merge": ("1", "1G", "10"), "merge_shards/tsv": ("1", "1G", "10"),
    "merge_shards/vcf.gz": ("1", "1G", "10"),
}


@pytest.fixture(scope="module")
def slurm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-node SLURM cluster (workflows/slurm/up.sh), taken down after the module's tests; its state folder."""
    pytest.importorskip("snakemake_executor_plugin_slurm")
    if shutil.which("slurmctld") is None or shutil.which("munged") is None:
        pytest.skip("SLURM is not installed (apt-get install slurmctld slurmd slurm-client munge)")
    state = tmp_path_factory.mktemp("slurm")
    env = {**ENV, "HFTC_SLURM_DIR": str(state)}
    up = subprocess.run(["bash", str(SLURM / "up.sh")], env=env, capture_output=True, text=True, timeout=120)
    if up.returncode != 0:
        subprocess.run(["bash", str(SLURM / "down.sh")], env=env, timeout=60)
        pytest.skip(f"the SLURM daemons cannot start here: {up.stderr.strip()[-300:]}")
    yield state
    subprocess.run(["bash", str(SLURM / "down.sh")], env=env, timeout=60)


def test_example_workflow_through_slurm(cohort: Path, slurm: Path, tmp_path: Path) -> None:
    """The example workflow submitted to SLURM: every job a SLURM job with its declared cpus, memory and time limit
    (slurmctld's job completion records), every output byte-identical to the local run's."""
    work = tmp_path / "cluster"
    stage_cohort(work)
    shutil.copy(cohort / "config.yaml", work / "config.yaml")
    result = subprocess.run(
        ["timeout", "-k", "10", "600", sys.executable, "-m", "snakemake",
         "-s", str(SNAKEMAKE / "example" / "Snakefile"), "--configfile", "config.yaml",
         "--workflow-profile", str(SNAKEMAKE / "example" / "profiles" / "slurm"),
         # a cluster without accounting: squeue for job states, no account
         "--slurm-status-command", "squeue", "--slurm-no-account", "--slurm-init-seconds-before-status-checks", "5",
         "--slurm-keep-successful-logs"],
        cwd=work, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "steps (100%) done" in result.stdout

    logs = work / ".snakemake" / "slurm_logs"
    rule_of = {log.stem: str(log.parent.relative_to(logs)).removeprefix("rule_") for log in logs.rglob("*.log")}
    records = {}
    for line in (slurm / "jobcomp.txt").read_text().splitlines():
        fields = dict(field.split("=", 1) for field in line.split() if "=" in field)
        if fields["WorkDir"] == str(work):
            tres = dict(item.split("=") for item in fields["Tres"].split(","))
            records[rule_of[fields["JobId"]]] = (fields["JobState"], tres["cpu"], tres["mem"], fields["TimeLimit"])
    assert records == {job: ("COMPLETED", *declared) for job, declared in SLURM_JOBS.items()}

    def outputs(results: Path) -> dict[str, bytes]:
        return {str(path.relative_to(results)): path.read_bytes() for path in results.rglob("*")
                if path.is_file() and "logs" not in path.relative_to(results).parts}

    local, cluster = outputs(cohort / "results"), outputs(work / "results")
    assert len(local) == 18 and sorted(cluster) == sorted(local)
    assert [name for name in local if cluster[name] != local[name]] == []


def test_readme_slurm_commands_dry_run(tmp_path: Path) -> None:
    """The README's SLURM commands (all but up.sh), as a dry run from a copy of the repository's root. They were
    'cd workflows/snakemake/example; snakemake --profile profiles/slurm', where the config's vcf_dir (vcfs) does
    not exist, and advised --slurm-account/--slurm-partition, which the plugin does not have."""
    pytest.importorskip("snakemake")
    pytest.importorskip("snakemake_executor_plugin_slurm")
    readme = (ROOT / "README.md").read_text()
    block = readme.split("**Snakemake and SLURM.**", 1)[1].split("```\n", 2)[1]
    commands = [line for line in block.splitlines() if not line.startswith("workflows/slurm/up.sh")]
    shutil.copytree(ROOT / "workflows", tmp_path / "workflows")
    shutil.copytree(EXAMPLES, tmp_path / "example_vcfs")
    script = "\n".join([f'snakemake() {{ "{sys.executable}" -m snakemake --dry-run "$@"; }}', *commands, ""])
    result = run(["bash", "-euo", "pipefail", "-c", script], tmp_path)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert re.findall(r"^(annotate|merge|all|total) +(\d+)$", result.stdout, flags=re.MULTILINE)[:4] == [
        ("annotate", "3"), ("merge", "1"), ("all", "1"), ("total", "5")]
    assert "This was a dry-run" in result.stdout


def test_wrapper_test_snakefile(tmp_path: Path) -> None:
    snakemake(SNAKEMAKE / "wrapper" / "test" / "Snakefile", tmp_path)
    trio, ped = EXAMPLES / "trio.vcf", EXAMPLES / "trio.ped"
    hftc(trio, "--ped", ped, "--min-gq", "20", "-o", "d.tsv", "--summary", "d.summary.tsv", cwd=tmp_path)
    hftc(trio, "--ped", ped, "--min-gq", "20", "-o", "d.vcf.gz", cwd=tmp_path)
    hftc(EXAMPLES / "single_exome.vcf.gz", "-o", "d.single.tsv", cwd=tmp_path)
    assert body((tmp_path / "trio.hftc.tsv").read_text()) == body((tmp_path / "d.tsv").read_text())
    assert body((tmp_path / "trio.summary.tsv").read_text()) == body((tmp_path / "d.summary.tsv").read_text())
    assert vcf_records(tmp_path / "trio.hftc.vcf.gz") == vcf_records(tmp_path / "d.vcf.gz")
    assert "CHILD" in (tmp_path / "trio.hftc.html").read_text()
    assert body((tmp_path / "single_exome.hftc.tsv").read_text()) == body((tmp_path / "d.single.tsv").read_text())
    assert "indexed" in (tmp_path / "logs" / "single_exome.log").read_text()


def test_wrapper_log_and_outputs_in_folders_with_spaces(tmp_path: Path) -> None:
    """The log's path is quoted: snakemake's log_fmt_shell() left it bare, so '2> my logs/trio.log' sent stderr to
    a file 'my' and gave hftc-annot the argument 'logs/trio.log' (exit 2)."""
    (tmp_path / "Snakefile").write_text(textwrap.dedent(f"""\
        rule trio:
            input:
                vcf="{EXAMPLES / 'trio.vcf'}",
            output:
                tsv="my out/trio.hftc.tsv",
                vcf="my out/trio.hftc.vcf.gz",
            log:
                "my logs/trio.log",
            wrapper:
                "file:{SNAKEMAKE / 'wrapper'}"
        """))
    snakemake(tmp_path / "Snakefile", tmp_path)
    hftc(EXAMPLES / "trio.vcf", "-o", "d.tsv", cwd=tmp_path)
    assert body((tmp_path / "my out" / "trio.hftc.tsv").read_text()) == body((tmp_path / "d.tsv").read_text())
    log = (tmp_path / "my logs" / "trio.log").read_text()
    assert [line.split(": ")[1] for line in log.splitlines() if " rows written; " in line] == [
        "GRCh38, streamed", "GRCh38, streamed"]
    assert not (tmp_path / "my").exists()


# --- Nextflow -----------------------------------------------------------------------------------------------

GSTRING = re.compile(r"\\(.)|\$\{([^}]*)\}|\$([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)")


def sections(main_nf: Path) -> dict[str, str]:
    """The process's sections by label (input, output, when, script, stub)."""
    text = main_nf.read_text()
    parts = re.split(r"^\s*(input|output|when|script|stub):\s*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def interpolate(text: str, values: dict[str, object], used: set[str]) -> str:
    """A Groovy GString with its escapes and $name / ${name} references replaced from `values`."""
    def replace(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            assert match.group(1) in '\\$"', f"unexpected escape \\{match.group(1)}"
            return match.group(1)
        name = (match.group(2) or match.group(3)).strip()
        used.add(name.split(".")[0])
        return str(values[name])
    return GSTRING.sub(replace, text)


def shell_script(section: str, values: dict[str, object], inputs: set[str]) -> str:
    """The triple-quoted script of a script/stub section as Nextflow hands it to bash (indent stripped).

    Every variable must be an input, `task`, or one the section's Groovy code before the script defines.
    """
    prelude, script, _ = section.split('"""', 2)
    defined = set(re.findall(r"^\s*(?:def\s+)?(\w+)\s*=", prelude, flags=re.MULTILINE))
    used: set[str] = set()
    shell = interpolate(textwrap.dedent(script), values, used)
    assert used <= inputs | defined | {"task"}, used - inputs - defined
    return shell


def declared(section: str, pattern: str) -> list[str]:
    return re.findall(pattern, section)


def run_process(main_nf: Path, block: str, values: dict[str, object], work: Path) -> list[Path]:
    """Run the process's script or stub block with bash -ue in `work`; return the declared outputs."""
    parts = sections(main_nf)
    inputs = set(declared(parts["input"], r"(?:val|path)\((\w+)"))
    (work / ".command.sh").write_text(shell_script(parts[block], values, inputs))
    result = run(["bash", "-ue", ".command.sh"], work)
    assert result.returncode == 0, result.stderr
    outputs = [interpolate(name, values, set()) for name in declared(parts["output"], r'path\(?\s*"([^"]+)"')]
    return [work / name for name in outputs]


def link(directory: Path, *files: Path) -> None:
    """Stage inputs as Nextflow does: symlinks in the task directory."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in files:
        (directory / path.name).symlink_to(path)


def versions_yml(process: str) -> str:
    return f'"{process}":\n    hftc-annot: {hftc_version()}\n'


@pytest.mark.parametrize(("sample", "index", "ped", "args"), [
    ("trio", None, "trio.ped", "--min-gq 30"),
    ("single_exome", "single_exome.vcf.gz.tbi", None, ""),
])
def test_nextflow_module_script(tmp_path: Path, sample: str, index: str | None, ped: str | None,
                                args: str) -> None:
    vcf = SAMPLES[sample]
    work = tmp_path / "work"
    link(work, *(EXAMPLES / name for name in (vcf, index, ped) if name))
    values = {"vcf": vcf, "ped_arg": f"--ped {ped}" if ped else "", "args": args, "prefix": sample,
              "task.cpus": 2, "task.process": "HFTC_ANNOT", "meta.id": sample}
    tsv, annotated, html, versions = run_process(MODULES / "main.nf", "script", values, work)

    options = [vcf, *(["--ped", ped] if ped else []), *args.split()]
    hftc(*options, "-o", tmp_path / "direct.tsv", cwd=work)
    hftc(*options, "-o", tmp_path / "direct.vcf.gz", cwd=work)
    assert tsv.name == f"{sample}.hftc.tsv" and body(tsv.read_text()) == body((tmp_path / "direct.tsv").read_text())
    assert annotated.name == f"{sample}.hftc.vcf.gz"
    assert vcf_records(annotated) == vcf_records(tmp_path / "direct.vcf.gz")
    assert html.name == f"{sample}.hftc.html" and all(name in html.read_text() for name in VCF_SAMPLES[sample])
    assert versions.read_text() == versions_yml("HFTC_ANNOT")


def test_nextflow_module_stub(tmp_path: Path) -> None:
    values = {"prefix": "trio", "task.process": "HFTC_ANNOT", "meta.id": "trio"}
    outputs = run_process(MODULES / "main.nf", "stub", values, tmp_path)
    assert [p.name for p in outputs if p.exists()] == ["trio.hftc.tsv", "trio.hftc.vcf.gz", "trio.hftc.html",
                                                      "versions.yml"]
    assert outputs[-1].read_text() == versions_yml("HFTC_ANNOT")


def test_nextflow_merge_module_script(tmp_path: Path) -> None:
    stage_cohort(tmp_path)
    reports = []
    for sample, name in SAMPLES.items():
        hftc(f"vcfs/{name}", *sample_options(sample), "-o", f"{sample}.hftc.tsv", cwd=tmp_path)
        reports.append(tmp_path / f"{sample}.hftc.tsv")
    hftc("merge", "-o", "direct.tsv", *(p.name for p in reports), cwd=tmp_path)

    main_nf = MODULES / "merge" / "main.nf"
    (stage_dir,) = declared(sections(main_nf)["input"], r"stageAs:\s*'([^'/]+)/\*'")
    work = tmp_path / "work"
    link(work / stage_dir, *reports)
    values = {"args": "", "prefix": "cohort", "tsvs": " ".join(f"{stage_dir}/{p.name}" for p in reports),
              "task.process": "HFTC_ANNOT_MERGE", "meta.id": "cohort"}
    merged, versions = run_process(main_nf, "script", values, work)
    assert merged.name == "cohort.hftc.tsv"
    assert body(merged.read_text()) == body((tmp_path / "direct.tsv").read_text())
    assert len(rows(merged)) == sum(len(rows(p)) for p in reports)
    assert versions.read_text() == versions_yml("HFTC_ANNOT_MERGE")

    stub_work = tmp_path / "stub"
    stub_work.mkdir()
    merged, versions = run_process(main_nf, "stub", values, stub_work)
    assert merged.exists() and versions.read_text() == versions_yml("HFTC_ANNOT_MERGE")
