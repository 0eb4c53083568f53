"""The Hail/Spark path gives the rows of the single-machine tool: the trio example, and a generated cohort of 300
samples in 60 families and 120 singletons (phased and unphased calls, multi-allelic records, haploid chrX calls in
males, missing calls, calls below the quality gates, population frequencies). Runs Hail in local mode; skipped
where Hail is not installed (`pip install "hftc-annot[hail]"`; .ci/run installs it).

Every VCF here is synthetic: positions are in the shipped GRCh38 models of the genes, REF/ALT bases are arbitrary.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pysam
import pytest

from hftc_annot.biobank.hail_path import annotate_matrix_table
from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.errors import UsageError
from hftc_annot.resources import models_gff3
from hftc_annot.run import Config
from hftc_annot.writers.rows import COLUMNS

from conftest import run_cli, vcf_text

pytest.importorskip("hail", reason="Hail is not installed: pip install 'hftc-annot[hail]'")

EXAMPLES = Path(__file__).resolve().parent.parent / "example_vcfs"
GENES = ("GALNT3", "ABCC6", "ENPP1", "SLC20A2", "PHEX", "FGF23", "KL")
AF_HEADER = ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="Population frequency (synthetic)">',
             '##FORMAT=<ID=PS,Number=1,Type=Integer,Description="Phase set">')


def body(path: Path) -> list[str]:
    """A TSV's lines without the '## ' preamble."""
    return [line for line in path.read_text().splitlines() if not line.startswith("## ")]


def single_machine(tmp: Path, vcf: Path, ped: Path | None, *args: str) -> tuple[Path, Path, Path]:
    tsv, js, summary = tmp / "single.tsv", tmp / "single.json", tmp / "single.summary.tsv"
    extra = ["--ped", ped, *args] if ped else list(args)
    for output in (tsv, js):
        result = run_cli(vcf, *extra, "-o", output, "--summary", summary)
        assert result.code == 0, result.err
    return tsv, js, summary


def hail_run(tmp: Path, vcf: Path, ped: Path | None, *args: str) -> Path:
    out = tmp / "hail_out"
    result = run_cli("hail", vcf, "--out", out, "--master", "local[2]", *(["--ped", ped] if ped else []), *args)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return out


def assert_same_rows(tmp: Path, vcf: Path, ped: Path | None, out: Path, *args: str) -> list[dict]:
    tsv, js, summary = single_machine(tmp, vcf, ped, *args)
    assert body(out / "report.tsv") == body(tsv)
    mine, theirs = json.loads((out / "report.json").read_text()), json.loads(js.read_text())
    assert mine["columns"] == theirs["columns"]
    assert mine["rows"] == theirs["rows"]
    assert mine["summary"] == theirs["summary"]
    assert body(out / "summary.tsv") == body(summary)
    return theirs["rows"]


def test_trio_example_gives_the_rows_of_one_run(tmp: Path) -> None:
    vcf, ped = EXAMPLES / "trio.vcf", EXAMPLES / "trio.ped"
    out = hail_run(tmp, vcf, ped)
    rows = assert_same_rows(tmp, vcf, ped, out)
    assert len(rows) == 11
    assert sorted(p.name for p in (out / "parts").iterdir()) == ["part-00001.tsv", "part-00001.tsv.jsonl"]
    assert "## merged: 1 reports (parts/part-00001.tsv)" in (out / "report.tsv").read_text()


def exonic_positions(rng: np.random.Generator) -> list[tuple[str, int]]:
    """Sorted (chrom, pos): 9 coding positions per gene and one intronic, from the shipped models."""
    sites = []
    for t in read_transcripts(models_gff3("GRCh38"), GENES):
        coding = [p for start, end in t.exons for p in range(max(start, t.cds[0]), min(end, t.cds[1]) + 1)]
        sites += [(t.chrom, int(p)) for p in rng.choice(coding, 9, replace=False)]
        sites.append((t.chrom, t.exons[0][1] + 30))
    order = {f"chr{c}": i for i, c in enumerate([*map(str, range(1, 23)), "X"])}
    return sorted(set(sites), key=lambda s: (order[s[0]], s[1]))


def cohort(tmp: Path, seed: int = 17) -> tuple[Path, Path]:
    """A bgzipped VCF of 300 samples and its PED: 40 trios, 10 quads (with an unaffected sibling), 10 duos and 120
    singletons (half of them listed in the PED). Children inherit one allele from each genotyped parent."""
    rng = np.random.default_rng(seed)
    families, ped_lines, sex = [], [], {}
    for f in range(60):
        kind = "trio" if f < 40 else "quad" if f < 50 else "duo"
        kid, dad, mum, sib = (f"F{f}_{r}" for r in ("KID", "DAD", "MUM", "SIB"))
        members = {"trio": [kid, dad, mum], "quad": [kid, sib, dad, mum], "duo": [kid, mum]}[kind]
        families.append(members)
        for person in members:
            sex[person] = 1 if person.endswith("DAD") else 2 if person.endswith("MUM") else int(rng.integers(1, 3))
        ped_lines += [f"FAM{f} {kid} {dad if kind != 'duo' else 0} {mum} {sex[kid]} 2",
                      f"FAM{f} {mum} 0 0 2 1"]
        if kind != "duo":
            ped_lines.append(f"FAM{f} {dad} 0 0 1 1")
        if kind == "quad":
            ped_lines.append(f"FAM{f} {sib} {dad} {mum} {sex[sib]} 1")
    singles = [f"S{i}" for i in range(120)]
    for i, name in enumerate(singles):
        sex[name] = int(rng.integers(1, 3))
        if i % 2 == 0:
            ped_lines.append(f"SOLO{i} {name} 0 0 {sex[name]} 2")
    samples = [s for members in families for s in members] + singles
    order = rng.permutation(len(samples))  # families interleave in the VCF, as they do in a real cohort
    samples = [samples[i] for i in order]
    parents = {m[0]: (m[-2] if len(m) > 2 else None, m[-1]) for m in families}
    parents.update({m[1]: (m[2], m[3]) for m in families if len(m) == 4})
    records = []
    for number, (chrom, pos) in enumerate(exonic_positions(rng)):
        alts = ["T", "G"] if number % 7 == 3 else ["T"]
        freq = float(rng.choice([0.004, 0.02, 0.08]))
        haploid_x = chrom == "chrX"
        calls = {}
        for name in samples:
            if name in parents:
                continue
            calls[name] = [int(rng.random() < freq) * int(rng.integers(1, len(alts) + 1)) for _ in range(2)]
        for child, (dad, mum) in parents.items():
            from_dad = calls[dad][int(rng.integers(2))] if dad else int(rng.random() < freq)
            calls[child] = [from_dad, calls[mum][int(rng.integers(2))]]
        cells = []
        phase_set = 1000 + len(chrom)  # one phase set per gene's contig, so that phased calls pair up
        for name in samples:
            alleles = calls[name]
            if rng.random() < 0.02:
                cells.append("./.:.:.:.:." if not (haploid_x and sex[name] == 1) else ".:.:.:.:.")
                continue
            depth = int(rng.integers(6, 60))
            gq = int(rng.integers(5, 99))
            ad = [depth - sum(a > 0 for a in alleles) * depth // 2] + \
                 [sum(a == k for a in alleles) * depth // 2 for k in range(1, len(alts) + 1)]
            phased = rng.random() < 0.3
            ps = str(phase_set) if phased and rng.random() < 0.8 else "."
            if haploid_x and sex[name] == 1:
                gt = str(alleles[0])
            else:
                gt = ("|" if phased else "/").join(map(str, alleles if phased else sorted(alleles)))
            cells.append(f"{gt}:{','.join(map(str, ad))}:{depth}:{gq}:{ps}")
        info = f"gnomAD_AF={','.join(f'{freq / 4:.4g}' for _ in alts)}" if number % 2 else "."
        records.append(" ".join([chrom, str(pos), f"rs{number}" if number % 3 else ".", "C", ",".join(alts), "50",
                                 "LowQual" if number % 11 == 5 else "PASS", info, "GT:AD:DP:GQ:PS", *cells]))
    plain = tmp / "cohort.vcf"
    plain.write_text(vcf_text(records, samples=tuple(samples), extra_header=AF_HEADER))
    vcf = tmp / "cohort.vcf.gz"
    pysam.tabix_compress(str(plain), str(vcf), force=True)
    ped = tmp / "cohort.ped"
    ped.write_text("\n".join("\t".join(line.split()) for line in ped_lines) + "\n")
    return vcf, ped


def test_generated_cohort_of_300_samples_gives_the_rows_of_one_run_in_3_parts(tmp: Path) -> None:
    vcf, ped = cohort(tmp)
    out = hail_run(tmp, vcf, ped, "--parts", "3")
    rows = assert_same_rows(tmp, vcf, ped, out)
    flags = {r["inheritance_flags"] for r in rows}
    assert {"AR_hom", "AR_comphet", "de_novo"} <= {f.split("(")[0] for cell in flags for f in cell.split(";")}
    assert {r["zygosity"] for r in rows} == {"het", "hom_alt", "hemi"}
    assert {r["phase_evidence"] for r in rows} >= {"parental_trans", "phased_trans", "unphased"}
    parts = sorted((out / "parts").glob("*.tsv"))
    assert len(parts) == 3
    merged = tmp / "merged.tsv"
    result = run_cli("merge", "-o", merged, *parts)
    assert result.code == 0, result.err
    assert body(merged) == body(out / "report.tsv")
    result = run_cli("merge", "-o", tmp / "two.tsv", *parts[:2])
    assert result.code == 2
    assert result.err.strip().endswith("are not parts 1 to 3 of 3, each once (given: 1 of 3, 2 of 3)")


API_SCRIPT = """
import os, sys
import hail as hl
from hftc_annot.biobank.hail_path import annotate_matrix_table
from hftc_annot.run import Config
os.environ["PYSPARK_PYTHON"] = sys.executable
vcf, ped, out = sys.argv[1:4]
hl.init(master="local[2]", quiet=True, log=os.path.join(out, "hail.log"))
mt = hl.import_vcf(vcf, reference_genome="GRCh38")
done = annotate_matrix_table(mt, out, Config(vcf=vcf, ped=ped), parts=2)
table = hl.read_table(os.path.join(out, "report.ht"))
first = table.head(1).collect()[0]
print(done.rows, table.count(), first.sample, first.locus, first.alleles, first.comphet_pair_id)
"""


def test_python_api_takes_a_matrix_table_and_writes_a_hail_table_in_report_order(tmp: Path) -> None:
    vcf, ped = EXAMPLES / "trio.vcf", EXAMPLES / "trio.ped"
    out = tmp / "api"
    out.mkdir()
    script = tmp / "api.py"
    script.write_text(API_SCRIPT)
    result = run_cli(vcf, "--ped", ped, "-o", tmp / "single.tsv")  # the expected rows
    assert result.code == 0, result.err
    proc = subprocess.run([sys.executable, str(script), str(vcf), str(ped), str(out)], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    first = body(tmp / "single.tsv")[1].split("\t")
    assert proc.stdout.split("\n")[-2] == f"11 11 {first[27]} {first[0]}:{first[1]} ['{first[3]}', '{first[4]}'] " \
                                           f"{first[38]}"
    assert body(out / "report.tsv") == body(tmp / "single.tsv")
    assert len(list((out / "parts").glob("*.tsv"))) == 2


def test_what_hails_vcf_import_reads_differently(tmp: Path) -> None:
    """Documented in the README: Hail imports a partly missing call (1/.) as missing, FILTER as a set, and the
    alleles of an unphased call sorted (1/0 as 0/1); structural variants are left out, with a warning."""
    records = ["chr2 165765058 . T C 50 q10;a5 . GT:AD:DP:GQ 0/1:10,10:20:60 1/.:0,9:9:50 0/0:9,0:9:60",
               "chr2 165765100 . T C 50 PASS . GT:AD:DP:GQ 0/0:20,0:20:60 ./1:0,12:12:50 1/0:6,6:12:60",
               "chr2 165765200 . T <DEL> 50 PASS END=165765300 GT 0/1 0/0 0/0"]
    plain = tmp / "in.vcf"
    plain.write_text(vcf_text(records, samples=("A", "B", "C"),
                              extra_header=('##FILTER=<ID=q10,Description="q">', '##FILTER=<ID=a5,Description="a">',
                                            '##ALT=<ID=DEL,Description="Deletion">')))
    out = tmp / "hail_out"
    result = run_cli("hail", plain, "--out", out, "--master", "local[2]")
    assert result.code == 0, result.err
    assert "1 records with a structural ALT (<DEL>, <DUP>, <INV>, <CNV>) are not annotated by hftc-annot hail" in \
        result.err
    tsv, _, _ = single_machine(tmp, plain, None)
    cells = [(r["sample"], r["alt"], r["genotype"], r["zygosity"], r["filter"]) for r in table_rows(tsv)]
    assert cells == [("A", "C", "0/1", "het", "q10;a5"), ("A", "<DEL>", "0/1", "het", "PASS"),
                     ("B", "C", "1/.", "partial", "q10;a5"), ("B", "C", "./1", "partial", "PASS"),
                     ("C", "C", "1/0", "het", "PASS")]
    assert [(r["sample"], r["genotype"], r["zygosity"], r["filter"]) for r in table_rows(out / "report.tsv")] == [
        ("A", "0/1", "het", "a5;q10"), ("C", "0/1", "het", "PASS")]


def table_rows(path: Path) -> list[dict[str, str]]:
    header, *lines = body(path)
    return [dict(zip(header.split("\t"), line.split("\t"), strict=True)) for line in lines]


def test_refusals_are_one_line_with_exit_2_and_no_output(tmp: Path) -> None:
    full = tmp / "full"
    full.mkdir()
    (full / "x").write_text("mine\n")
    result = run_cli("hail", EXAMPLES / "trio.vcf", "--out", full)
    assert (result.code, result.err) == (2, f"hftc-annot: error: --out {full}: exists and is not an empty directory "
                                            "(nothing is replaced)\n")
    assert (full / "x").read_text() == "mine\n"
    bad = tmp / "bad.vcf"
    bad.write_text(vcf_text(["chr2 165765058 . T C 50 PASS . GT 0/1", "chr2 abc . T C 50 PASS . GT 0/1"],
                            samples=("A",)))
    offset = bad.read_text().index("chr2\tabc")  # Hail names the byte offset of the record it cannot parse
    result = run_cli("hail", bad, "--out", tmp / "out", "--master", "local[1]")
    assert result.code == 2
    error = [line for line in result.err.splitlines() if line.startswith("hftc-annot")]
    assert error == [f"hftc-annot: error: {bad}: Hail cannot read it: VCFParseError: invalid character 'a' in "
                     f"integer literal at byte offset {offset} (record "
                     "'chr2\tabc\t.\tT\tC\t50\tPASS\t.\tGT\t0/1')"]
    assert sorted(p.name for p in tmp.iterdir()) == ["bad.vcf", "full"]


def coding(gene: str, count: int) -> list[tuple[str, int]]:
    """`count` coding positions of a gene's shipped GRCh38 model, 30 coding bases apart."""
    t = next(iter(read_transcripts(models_gff3("GRCh38"), [gene])))
    bases = [p for start, end in t.exons for p in range(max(start, t.cds[0]), min(end, t.cds[1]) + 1)]
    return [(t.chrom, bases[30 * (k + 1)]) for k in range(count)]


def test_relatives_found_by_name_haploid_families_and_long_ad_give_the_rows_of_one_run(tmp: Path) -> None:
    """Parents in the VCF without a PED line of their own; a family whose called members are all haploid at a
    record (the missing calls stay diploid, as ./. is); an AD with more values than alleles, which makes that
    sample's depths missing (C3's 9,9,3: ad '.,.', not '9,9' and 0.429), and a negative count, each with its
    warning, counted over every sample's AD as in one run, a family without a carrier there too (the Hail path read
    every value, and said nothing)."""
    (g1, p1), (_, p2) = coding("GALNT3", 2)
    (x1, q1), (_, q2) = coding("PHEX", 2)
    f = "GT:AD:DP:GQ"
    records = [f"{g1} {p1} . C T 50 PASS . {f} 0/1:10,10:20:60 0/1:9,9:18:60 0/0:20,0:20:60 ./.:.:.:. 0/0:9,0:9:60 "
               "0/0:-9,0:9:60",
               f"{g1} {p2} . C T 50 PASS . {f} 0/1:10,10:20:60 0/0:9,0:18:60 0/1:20,20:40:60 0/0:5,0,2:7:60 "
               "0/0:9,0:9:60 0/0:9,0:9:60",
               f"{x1} {q1} . C T 50 PASS . {f} 0/0:10,0:10:60 0/0:9,0:9:60 0/0:9,0:9:60 ./.:.:.:. 1:0,9:9:60 ./.:.:.:.",
               f"{x1} {q2} . C T 50 PASS . {f} 0/0:10,0:10:60 0/0:9,0:9:60 0/0:9,0:9:60 0/1:9,9,3:18:60 0:9,0:9:60 "
               "0/0:9,0:9:60"]
    samples = ("KID2", "DAD2", "MOM2", "C3", "D3", "M3")
    vcf = tmp / "edges.vcf"
    vcf.write_text(vcf_text(records, samples=samples))
    ped = tmp / "edges.ped"
    ped.write_text("FAM2\tKID2\tDAD2\tMOM2\t0\t2\nF3\tC3\tD3\tM3\t0\t2\nF3\tD3\t0\t0\t1\t1\nF3\tM3\t0\t0\t2\t1\n")
    out = hail_run(tmp, vcf, ped)
    rows = assert_same_rows(tmp, vcf, ped, out)
    kid = {(r["sample"], r["pos"]): (r["inheritance_flags"], r["phase_evidence"]) for r in rows}
    assert kid[("KID2", str(p1))] == ("AR_comphet", "parental_trans")
    assert [(r["sample"], r["ad"], r["allele_fraction"]) for r in rows if r["pos"] == str(q2)] == [("C3", ".,.", ".")]
    unread = [w for w in json.loads((out / "report.json").read_text())["warnings"] if w.startswith("FORMAT/AD")]
    assert unread == [w for w in json.loads((tmp / "single.json").read_text())["warnings"] if w.startswith("FORMAT/AD")]
    assert [w.rsplit(": ", 1)[1] for w in unread] == [f"2 times (first at {g1}:{p2})", f"1 time (first at {g1}:{p1})"]


@pytest.mark.parametrize("number", ["1", "."])
def test_genotype_filters_in_format_ft_lower_flags_as_in_one_run(tmp: Path, number: str) -> None:
    """A call its caller filtered in FORMAT/FT (GATK VariantFiltration, DRAGEN, Strelka2) fails the quality gates,
    as in a single-machine run: the Hail path did not read FT, so the homozygous kid's AR_hom was high, not low. FT
    declared Number=1 (Hail: a string) or Number=. (Hail: an array)."""
    (g1, p1), (g2, p2) = coding("GALNT3", 2)
    (x1, q1), = coding("PHEX", 1)
    f = "GT:AD:DP:GQ:FT"
    records = [f"{g1} {p1} . C T 50 PASS . {f} 1/1:0,20:20:60:LowGQ;LowDP 0/1:10,10:20:60:PASS 0/1:9,9:18:60:.",
               f"{g2} {p2} . C T 50 PASS . {f} 0/1:10,10:20:60:PASS 0/0:20,0:20:60:. 0/1:9,9:18:60:PASS",
               f"{x1} {q1} . C T 50 PASS . GT:AD:DP:GQ 0/1:10,10:20:60 0/0:9,0:9:60 0/0:9,0:9:60"]
    header = (f'##FORMAT=<ID=FT,Number={number},Type=String,Description="Genotype filters">',)
    vcf = tmp / "ft.vcf"
    vcf.write_text(vcf_text(records, samples=("KID", "DAD", "MUM"), extra_header=header))
    ped = tmp / "trio.ped"
    ped.write_text("F1\tKID\tDAD\tMUM\t2\t2\nF1\tDAD\t0\t0\t1\t1\nF1\tMUM\t0\t0\t2\t1\n")
    out = hail_run(tmp, vcf, ped)
    rows = assert_same_rows(tmp, vcf, ped, out)
    assert [(r["pos"], r["inheritance_flags"], r["confidence"]) for r in rows if r["sample"] == "KID"] == [
        (str(p1), "AR_hom", "low"), (str(p2), ".", "."), (str(q1), "de_novo;XL", "low;medium")]


def test_bare_contig_names_without_contig_lines_and_a_cohort_without_carriers(tmp: Path) -> None:
    (g1, p1), (_, p2) = coding("GALNT3", 2)
    records = [f"2 {p1} . C T 50 PASS . GT:AD:DP:GQ 0/1:10,10:20:60",
               f"2 {p2} . C T 50 PASS . GT:AD:DP:GQ 1/1:0,9:9:60"]
    vcf = tmp / "bare.vcf"
    vcf.write_text(vcf_text(records, samples=("A",), build=None))
    out = hail_run(tmp, vcf, None, "--build", "GRCh38")
    rows = assert_same_rows(tmp, vcf, None, out, "--build", "GRCh38")
    assert [(r["chrom"], r["pos"], r["zygosity"]) for r in rows] == [("2", str(p1), "het"), ("2", str(p2), "hom_alt")]
    none = tmp / "none.vcf"
    none.write_text(vcf_text([r.replace("0/1:", "0/0:").replace("1/1:", "0/0:") for r in records], samples=("A",)))
    empty = tmp / "empty"
    result = run_cli("hail", none, "--out", empty, "--master", "local[1]", "--build", "GRCh38")
    assert result.code == 0, result.err
    assert body(empty / "report.tsv") == ["\t".join(COLUMNS)]
    assert sorted(p.name for p in (empty / "parts").iterdir()) == ["part-00001.tsv", "part-00001.tsv.jsonl"]


def test_python_api_refuses_options_it_does_not_offer_and_never_replaces_outputs(tmp: Path) -> None:
    with pytest.raises(UsageError, match=r"^hftc-annot hail does not offer --genes, --samples, --consequences "
                                         r"from-input yet: run the single-machine tool, or leave them out$"):
        annotate_matrix_table(None, str(tmp), Config(vcf="x", genes=("GALNT3",), samples=("A",),
                                                     consequences="from-input"))
    (tmp / "report.tsv").write_text("mine\n")
    with pytest.raises(UsageError, match=r"already holds report.tsv \(nothing is replaced\)$"):
        annotate_matrix_table(None, str(tmp), Config(vcf="x"))
    assert (tmp / "report.tsv").read_text() == "mine\n"
