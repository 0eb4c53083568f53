"""HTML report: self-contained, escaped by its template, summary first, sorted findings, labelled gene figures;
rendered, printed to PDF and measured in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from hftc_annot.consequence.transcripts import Transcript
from hftc_annot.inheritance import SummaryLine
from hftc_annot.panel import load_panel
from hftc_annot.writers.html import CHAR_WIDTH, FIGURE_LABELS, _place, figure, render
from hftc_annot.writers.rows import ReportRow

from conftest import bgzip_index, run_cli, vcf_text, write_vcf

EXAMPLES = Path(__file__).resolve().parents[1] / "example_vcfs"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_report_is_self_contained_and_escapes_input(tmp: Path) -> None:
    path = tmp / "in.vcf"
    evil = "<script>alert(1)</script>"
    path.write_text(vcf_text([f"chr2 165754626 {evil} C T 50 PASS . GT 1/1", "chr12 4370564 . G A 50 PASS . GT 0/1"],
                             samples=(evil,)))
    result = run_cli(path, "-o", tmp / "out.tsv", "--report", tmp / "report.html")
    assert result.code == 0, result.err
    html = (tmp / "report.html").read_text()
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"(src|href)=", html)  # nothing is fetched
    assert html.count('class="gene-figure"') == 2  # GALNT3 and FGF23
    assert "Evidence tiers are not an ACMG classification" in html
    assert (tmp / "out.tsv").read_text().count("\n") > 10


def test_html_output_format(tmp: Path) -> None:
    result = run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "-o", tmp / "trio.html")
    assert result.code == 0, result.err
    html = (tmp / "trio.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "biallelic (compound heterozygous, parental trans)" in html
    assert html.count('class="finding"') == 6  # distinct findings drawn on GALNT3, ENPP1, FGF23, PHEX


def test_warnings_about_the_inputs_are_in_the_report_too(tmp: Path) -> None:
    """A counselor reads the HTML, not stderr: the PED warnings and the per-record problems (a PED male's
    heterozygous chrX call) were on stderr only. Each is listed once, as on stderr."""
    vcf = write_vcf(tmp / "in.vcf", ["chrX 22050000 . G A 50 PASS . GT:AD:DP:GQ 0/1:10,10:20:60 0/0:20,0:20:60"],
                    samples=("SON", "AUNT"))
    ped = tmp / "fam.ped"
    ped.write_text("F1\tSON\tDAD\tMUM\t1\t2\nF1\tDAD\t0\t0\t1\t1\nF1\tMUM\t0\t0\t2\t1\n")
    result = run_cli(vcf, "--ped", ped, "--qualify", "all", "-o", tmp / "r.html")
    assert result.code == 0, result.err
    warnings = [line.removeprefix("hftc-annot: warning: ") for line in result.err.splitlines()
                if line.startswith("hftc-annot: warning: ")]
    assert warnings == [
        "no reference FASTA: protein-level consequences, HGVS p. and indel HGVS c. are left empty; give --fasta "
        "REF.fa (or set HFTC_ANNOT_FASTA), or run 'hftc-annot reference install REF.fa' once",
        "2 PED individual(s) are not in the VCF and count as not genotyped: DAD, MUM",
        "1 VCF sample(s) are not in the PED and count as unrelated, of unknown status: AUNT",
        "heterozygous call in a male on chrX outside the pseudo-autosomal regions (sex or call error?): 1 time "
        "(first at SON at chrX:22050000)"]
    notices = [unescape(text) for text in re.findall(r"<p>Warning: (.*?)</p>", (tmp / "r.html").read_text())]
    assert notices == [
        "Protein effects not computed: no reference sequence; coding substitutions have impact UNKNOWN; give --fasta "
        "REF.fa or run 'hftc-annot reference install REF.fa'.",
        *warnings[1:]]  # the first is the protein-effects notice's


def test_warnings_about_how_the_input_is_read_stay_on_stderr(tmp: Path) -> None:
    """An index older than its VCF is not used: the same rows, read more slowly. That concerns who runs the command,
    not the counselor, whose page said 'Warning: in.vcf.gz.tbi is older than in.vcf.gz'."""
    vcf = bgzip_index(write_vcf(tmp / "in.vcf", ["chr2 165750000 . A G 50 PASS . GT:AD:DP:GQ 0/1:10,10:20:60"]))
    index = Path(f"{vcf}.tbi")
    os.utime(index, (vcf.stat().st_mtime - 60, vcf.stat().st_mtime - 60))
    result = run_cli(vcf, "-o", tmp / "r.html")
    assert result.code == 0, result.err
    assert f"hftc-annot: warning: {index} is older than {vcf}; not using it (streaming the whole file)\n" in result.err
    notices = [unescape(text) for text in re.findall(r"<p>Warning: (.*?)</p>", (tmp / "r.html").read_text())]
    assert notices == [
        "Protein effects not computed: no reference sequence; coding substitutions have impact UNKNOWN; give --fasta "
        "REF.fa or run 'hftc-annot reference install REF.fa'."]


def test_a_run_that_consults_no_clinvar_says_so(tmp: Path) -> None:
    """The shipped ClinVar snapshot has GRCh38 positions and is not read on GRCh37: the example GRCh37 exome's eight
    ClinVar P/LP alleles had empty ClinVar cells and no ClinVar tier, and neither stderr nor the report said that
    ClinVar had not been looked at. With --clinvar it is, and nothing is said."""
    result = run_cli(EXAMPLES / "grch37_exome.vcf", "--build", "GRCh37", "-o", tmp / "r.html")
    assert result.code == 0, result.err
    said = ("ClinVar not consulted: the shipped ClinVar snapshot has GRCh38 positions and this run is on GRCh37, so "
            "the ClinVar columns are empty and no tier rests on ClinVar; give --clinvar with a ClinVar VCF of this "
            "assembly")
    assert f"hftc-annot: warning: {said}\n" in result.err
    notices = [unescape(text) for text in re.findall(r"<p>Warning: (.*?)</p>", (tmp / "r.html").read_text())]
    assert notices[1:] == ["2 panel genes have no transcript model on GRCh37 and are not covered: SLC20A2, ACVR1; "
                           "give --gff with a GRCh37 annotation that has them (e.g. GENCODE's GTF)", said]
    clinvar = write_vcf(tmp / "clinvar.vcf", ["2 166611136 7801 C T . . CLNSIG=Pathogenic"], samples=(),
                        build="GRCh37", prefix="",
                        extra_header=('##INFO=<ID=CLNSIG,Number=.,Type=String,Description="significance">',))
    result = run_cli(EXAMPLES / "grch37_exome.vcf", "--build", "GRCh37", "--clinvar", bgzip_index(clinvar),
                     "-o", tmp / "r.html")
    assert result.code == 0, result.err
    assert "ClinVar not consulted" not in result.err + (tmp / "r.html").read_text()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_renders_in_headless_chromium(tmp: Path) -> None:
    report = tmp / "trio.html"
    assert run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "-o", report).code == 0
    profile = tmp / "profile"
    shot = tmp / "report.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,2000",
                    f"--screenshot={shot}", report.as_uri()], capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", report.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert dom.count('class="gene-figure"') == 4 and dom.count("<circle") == 6


# --- the counselor report: template, order, wording, print and layout ---------------------------------------------

TEMPLATE = Path(__file__).resolve().parents[1] / "hftc_annot" / "writers" / "templates" / "report.html.j2"
PDFTOTEXT = shutil.which("pdftotext")
GALNT3 = next(g for g in load_panel("GRCh38").genes if g.symbol == "GALNT3")
ENPP1 = next(g for g in load_panel("GRCh38").genes if g.symbol == "ENPP1")


def row(**cells: str) -> ReportRow:
    """A report row: '.' in every cell but those given."""
    return ReportRow._make(["."] * len(ReportRow._fields))._replace(**cells)


def line(**fields) -> SummaryLine:
    values = {"sample": "S1", "gene": "GALNT3", "candidate": "biallelic (homozygous)", "confidence": "high",
              "tier": "1", "variants": "c.1626+1G>A", "others": 0, "evidence": "homozygous",
              "interpretation": "consistent with Tumoral calcinosis (AR)"}
    return SummaryLine(**{**values, **fields})


def page(rows: list[ReportRow] = (), summary: list[SummaryLine] = (), notices: list[str] = (),
         transcripts: dict | None = None) -> str:
    return render(["hftc-annot 0.1.0", "genes: GALNT3,ENPP1"], rows, list(summary), (GALNT3, ENPP1),
                  transcripts or {}, (), list(notices), {}, ("S1",), ())


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args], capture_output=True,
                          text=True, timeout=120, check=True)


def test_template_escapes_everything_and_marks_nothing_safe() -> None:
    evil = "<script>alert(1)</script>"
    html = page([row(chrom="chr2", pos="165754626", ref="C", alt="T", gene="GALNT3", sample=evil, hgvs_c=evil,
                     evidence=evil, evidence_tier="1", consequence="splice_donor_variant", impact="HIGH")],
                [line(sample=evil, variants=evil, evidence=evil, interpretation=evil)], notices=[evil])
    assert "<script" not in html and html.count("&lt;script&gt;") >= 6
    source = TEMPLATE.read_text()
    assert not re.search(r"\|\s*safe\b|Markup", source)  # autoescape does it all; nothing opts out


def test_page_order_notices_first_then_candidate_diagnoses() -> None:
    html = page([row(chrom="chr2", pos="165754626", ref="C", alt="T", gene="GALNT3", sample="S1",
                     evidence_tier="1", consequence="splice_donor_variant", impact="HIGH")], [line()],
                notices=["No reference sequence: protein effects were not computed"])
    order = ["<h1>", "No reference sequence: protein effects", "Candidate diagnoses", "Evidence tiers",
             "<h2>Findings", "Genes with findings", "How this report was made", "<h2>Panel"]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert 'class="notices"' not in page()  # no banner without notices


def test_summary_keeps_the_given_order_and_counts_the_others() -> None:
    summary = [line(gene="ENPP1", confidence="low", tier="2", variants="c.913C>A", others=1,
                    candidate="heterozygous in an autosomal dominant gene"),
               line(candidate="biallelic (compound heterozygous, unphased)", variants="c.1C>T, c.2C>T", others=3),
               line(variants="c.3C>T")]
    html = page(summary=summary)
    assert html.index("c.913C&gt;A") < html.index("c.1C&gt;T, c.2C&gt;T") < html.index("c.3C&gt;T")
    assert "and 1 other candidate variant<" in html and "and 3 other candidate pairs" in html
    assert html.count("other candidate") == 2  # not for others == 0
    assert "No candidate diagnosis" in page() and "No candidate diagnosis" not in html


def test_findings_sorted_by_strength() -> None:
    def at(pos: str, tier: str, confidence: str, group: str, sample: str = "S1", gene: str = "GALNT3") -> ReportRow:
        n = len(confidence.split(";"))
        flags, phases = (";".join(["AD"] * n), ";".join(["."] * n)) if confidence != "." else (".", ".")
        return row(chrom="chr2", pos=pos, ref="C", alt="T", gene=gene, sample=sample, evidence_tier=tier,
                   confidence=confidence, inheritance_flags=flags, phase_evidence=phases, panel_group=group,
                   consequence="intron_variant")
    rows = [at("10", ".", "high", "core HFTC"), at("20", "2", ".", "core HFTC"), at("30", "1", "low", "core HFTC"),
            at("40", "1", "low;high", "ectopic calcification", gene="ENPP1"), at("50", "1", "low", "core HFTC", "S0"),
            at("60", "1", "medium", "ectopic calcification", gene="ENPP1"), at("5", "1", "low", "core HFTC")]
    html = page(rows)
    found = [int(p) for p in re.findall(r"chr2:(\d+) C&gt;T", html)]
    # tier 1 first; among them best confidence (high in "low;high"), then medium, then low: core genes, sample
    # in the order given (S1 came first), position; then tier 2, then no tier
    assert found == [40, 60, 5, 30, 50, 20, 10]


def test_no_placeholder_dots_and_unknown_impact_visible() -> None:
    html = page([row(chrom="chr2", pos="165770217", ref="G", alt="A", gene="GALNT3", sample="S1", evidence_tier=".",
                     consequence="coding_sequence_variant", impact="UNKNOWN", hgvs_c="NM_004482.4:c.484C>T")])
    assert "coding_<wbr>sequence_<wbr>variant <span class=\"unknown\">(protein effect unknown)</span>" in html
    assert "impact UNKNOWN" in html
    assert not re.search(r"<td>\s*\.\s*</td>|<br>\s*\.|>\s*\.\s*<", html)


def test_no_finding_when_a_panel_variant_is_carried_by_no_sample(tmp: Path) -> None:
    path = tmp / "in.vcf"
    path.write_text(vcf_text(["chr2 165754626 . C T 50 PASS . GT 0/0"]))  # in GALNT3, homozygous reference
    assert run_cli(path, "-o", tmp / "r.html").code == 0
    findings = re.search(r'<section id="findings">\n<h2>Findings</h2>\n(.*)\n</section>', (tmp / "r.html").read_text())
    assert findings.group(1) == ("<p>No finding: no variant in the panel regions, or none carried by the "
                                 "report&rsquo;s samples.</p>")


def test_panel_table_shows_the_inheritance_overrides(tmp: Path) -> None:
    report = tmp / "trio.html"
    assert run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "--inheritance", "GALNT3=AD",
                   "-o", report).code == 0
    html = report.read_text()
    assert "<tr><td>GALNT3</td><td>core HFTC</td><td>AD\n(--inheritance; panel: AR)</td><td>NM_004482.4</td>" in html
    assert "<tr><td>FGF23</td><td>core HFTC</td><td>AR, AD</td><td>NM_020638.3</td>" in html  # not overridden


def test_tier_rules_shown_once_not_per_row(tmp: Path) -> None:
    report = tmp / "trio.html"
    assert run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "-o", report).code == 0
    html = report.read_text()
    # six tier-1 rows in the trio, each with this rule before; the rule table now gives it once
    assert html.count("known P/LP in ClinVar (&gt;=2 stars) in a genotype pattern") == 1
    assert "no rule applies" in html and "not an ACMG classification" in html


@pytest.mark.parametrize("name", ["trio", "single_exome"])
def test_no_placeholder_cells_in_the_example_reports(tmp: Path, name: str) -> None:
    ped = ["--ped", EXAMPLES / "trio.ped"] if name == "trio" else []
    assert run_cli(EXAMPLES / f"{name}.vcf", *ped, "-o", tmp / "r.html").code == 0
    html = (tmp / "r.html").read_text()
    assert not re.search(r"<td>\s*\.\s*</td>", html) and not re.search(r"<br>\s*\.", html)
    assert not re.search(r">\s*\.\s*<", html)


def test_figure_labels_are_svg_text_and_staggered(tmp: Path) -> None:
    assert run_cli(EXAMPLES / "single_exome.vcf", "-o", tmp / "r.html").code == 0
    html = (tmp / "r.html").read_text()
    galnt3 = html[html.index('aria-label="GALNT3 findings"'):]
    galnt3 = galnt3[:galnt3.index("</svg>")]
    labels = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" font-size="12" fill="#222">([^<]+)</text>', galnt3)
    assert {text for _, _, text in labels} >= {"c.516-2A&gt;T", "c.516-2A&gt;G", "165759516 TA&gt;T"}
    assert not any(text.startswith("NM_") for _, _, text in labels)  # HGVS c. without the transcript
    boxes = [(float(x), float(y), float(x) + len(unescape(text)) * CHAR_WIDTH) for x, y, text in labels]
    for i, (x, y, end) in enumerate(boxes):  # no two labels on the same row overlap
        assert not any(y == y2 and x < end2 and x2 < end for x2, y2, end2 in boxes[i + 1:])
    assert len({y for _, y, _ in boxes}) > 1 and galnt3.count("<title>") == galnt3.count('class="finding"') == 9


def test_label_rows() -> None:
    assert _place([100.0, 500.0], [60.0, 60.0]) == [0, 0]  # far apart: one row
    assert _place([100.0, 120.0, 140.0], [60.0, 60.0, 60.0]) == [2, 1, 0]  # close: a row each, no stem crosses
    assert _place([300.0, 300.0], [60.0, 60.0]) == [1, 0]  # same position (two ALTs): stacked on one stem


def test_figure_numbers_for_the_template() -> None:
    t = Transcript("ENST1", "NM_1.1", "NP_1.1", "GALNT3", "chr2", 1, ((1000, 1100), (2000, 2100)), (1050, 2050))
    fig = figure(GALNT3, t, [row(pos="1060", alt="T", ref="C", evidence_tier="2", hgvs_c="NM_1.1:c.11C>T",
                                 consequence="missense_variant")])
    # 5' end at x 20, 3' end at 880: the CDS starts 50 of 1,100 bp in, the finding 60 bp in
    assert (fig.exons[0][0], fig.exons[1][0], fig.coding[0][0]) == (20.0, 801.8, 59.1)
    assert (fig.findings[0].x, fig.findings[0].label, fig.findings[0].tier, fig.width) == (66.9, "c.11C>T", "2", 900)


def test_a_long_hgvs_label_is_cut_and_whole_in_the_tooltip() -> None:
    t = Transcript("ENST1", "NM_1.1", "NP_1.1", "GALNT3", "chr2", 1, ((1000, 1100), (2000, 2100)), (1050, 2050))
    inserted = "ACGTTGCAAC" * 30  # 300 bases: the label would be 2,100 units wide
    fig = figure(GALNT3, t, [row(pos="1060", alt="C" + inserted, ref="C", evidence_tier="2", end="1060",
                                 hgvs_c=f"NM_1.1:c.11_12ins{inserted}", consequence="frameshift_variant")])
    assert (fig.findings[0].label, fig.width) == ("c.11_12insACGTTGCAACACGTTGCAA…", 900)
    assert fig.findings[0].title == f"c.11_12ins{inserted} (frameshift_variant), tier 2"


def test_a_gene_with_many_findings_labels_the_strongest_only() -> None:
    t = Transcript("ENST1", "NM_1.1", "NP_1.1", "GALNT3", "chr2", 1, ((1000, 5000),), (1050, 4950))
    rows = [row(pos=str(1100 + 10 * i), alt="T", ref="C", evidence_tier="2" if i % 25 else "1",
                hgvs_c=f"NM_1.1:c.{51 + 10 * i}C>T", consequence="missense_variant") for i in range(300)]
    fig = figure(GALNT3, t, rows)
    labelled = [p for p in fig.findings if p.label]
    assert (len(fig.findings), len(labelled)) == (300, FIGURE_LABELS)
    assert {p.tier for p in labelled} == {"1", "2"} and sum(p.tier == "1" for p in labelled) == 12  # tier 1 first
    lowest = fig.track_y - 36
    assert {p.y for p in fig.findings if not p.label} == {lowest} and max(p.y for p in labelled) < lowest
    assert (fig.findings[-1].label, fig.findings[-1].title) == ("", "c.3041C>T (missense_variant), tier 2")


def test_wrapping_css_for_long_lists(tmp: Path) -> None:
    assert run_cli(EXAMPLES / "trio.vcf", "-o", tmp / "r.html").code == 0
    html = (tmp / "r.html").read_text()
    assert "overflow-wrap:anywhere" in html and "table-layout:fixed" in html
    genes = re.search(r'<dl class="provenance wrap">.*?<dt>genes</dt><dd>([^<]*(<wbr>[^<]*)*)</dd>', html, re.S)
    assert genes and genes.group(1).count(",<wbr>") == 48  # 49 genes, a break opportunity after each comma
    assert "@media print" in html and "thead{display:table-header-group}" in html


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("name", ["trio", "single_exome"])
def test_no_horizontal_scroll_at_1400_px(tmp: Path, name: str) -> None:
    report = tmp / "r.html"
    assert run_cli(EXAMPLES / f"{name}.vcf", "-o", report).code == 0
    # A copy with a probe script (the report itself has none): the page's overflow beyond the window, in px.
    probe = tmp / "probe.html"
    probe.write_text(report.read_text().replace(
        "</body>", "<script>document.body.dataset.overflow = document.documentElement.scrollWidth - "
                   "document.documentElement.clientWidth;</script></body>"))
    dom = _chromium(tmp, "--window-size=1400,1000", "--dump-dom", probe.as_uri()).stdout
    assert 'data-overflow="0"' in dom


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed (apt-get install poppler-utils)")
def test_printed_report_has_the_summary_on_page_1(tmp: Path) -> None:
    report = tmp / "trio.html"
    assert run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "-o", report).code == 0
    html = report.read_text()
    first = re.search(r'<li class="candidate.*?<strong>[^<]*</strong> &middot;\s*<strong>([^<]+)</strong>.*?'
                      r"<dt>variants</dt><dd>([^<\n]+)", html, re.S)
    gene, variants = first.group(1), unescape(first.group(2).strip())
    pdf, shot = tmp / "out.pdf", tmp / "out.png"
    _chromium(tmp, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    _chromium(tmp, "--window-size=1400,3000", f"--screenshot={shot}", report.as_uri())
    assert pdf.read_bytes()[:5] == b"%PDF-" and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = subprocess.run([PDFTOTEXT, "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60, check=True).stdout
    flat = " ".join(text.split())
    assert "Candidate diagnoses" in flat and gene in flat and variants in flat


def test_the_candidate_diagnoses_say_who_has_none_and_why_an_empty_list_is_empty(tmp: Path) -> None:
    """An empty list said 'no sample's genotypes fit the mode of inheritance' also when every sample is unaffected
    (a homozygous P/LP GALNT3 call: it fits, but an unaffected sample gets no candidates) and for a sites-only VCF
    (no genotypes at all); a sample assessed without a candidate, and the unaffected ones, were not named."""
    het, hom, ref = "0/1:10,10:20:60", "1/1:0,20:20:60", "0/0:20,0:20:60"

    def summary(records: list[str], samples: tuple[str, ...], ped_lines: list[str] | None) -> str:
        vcf = write_vcf(tmp / "in.vcf", records, samples=samples)
        extra = []
        if ped_lines:
            (tmp / "fam.ped").write_text("".join("\t".join(line.split()) + "\n" for line in ped_lines))
            extra = ["--ped", tmp / "fam.ped"]
        result = run_cli(vcf, *extra, "-o", tmp / "r.html")
        assert result.code == 0, result.err
        section = re.search(r'<section id="summary">\n<h2>Candidate diagnoses</h2>\n(.*?)</section>',
                            (tmp / "r.html").read_text(), re.S).group(1)
        return re.sub(r"<ol.*</ol>\n", "<ol/>", section, flags=re.S).replace("\n", " ")

    known = "chr2 165754626 . C T 50 PASS . GT:AD:DP:GQ"
    assert summary([f"{known} {hom} {het}"], ("A", "B"), ["F A 0 0 1 1", "F B 0 0 2 1"]) == (
        '<p class="empty">No candidate diagnosis: every sample is unaffected in the PED, and an unaffected sample gets '
        "no candidates (it is evidence for its relatives).</p> ")
    assert summary(["chr2 165754626 . C T 50 PASS ."], (), None) == (
        '<p class="empty">No candidate diagnosis: the VCF has no samples (sites only), so no genotype was '
        "assessed.</p> ")
    family = ["F KID DAD MUM 2 2", "F DAD 0 0 1 1", "F MUM 0 0 2 1", "F AUNT 0 0 2 0"]
    assert summary([f"{known} {hom} {het} {het} {ref}"], ("KID", "DAD", "MUM", "AUNT"), family) == (
        '<ol/><p class="note">No candidate for AUNT.</p> <p class="note">Unaffected in the PED, so evidence for their '
        "relatives and given no candidates: DAD, MUM.</p> ")


def test_a_dominant_flag_on_a_call_inside_the_samples_deletion_is_worded_hemizygous(tmp: Path) -> None:
    """A 1/1 call inside the sample's own heterozygous deletion is one copy: the TSV evidence and the summary say
    'hemizygous (the other copy is deleted) in an autosomal dominant gene', the HTML findings table said 'homozygous
    in an autosomal dominant gene' (it worded the GT, not the flag)."""
    vcf = write_vcf(tmp / "in.vcf", ["chr8 42420000 . N <DEL> 50 PASS END=42430000 GT:GQ:DP 0/1:99:30",
                                     "chr8 42425000 . C T 50 PASS . GT:GQ:DP 1/1:99:30"],
                    extra_header=('##ALT=<ID=DEL,Description="Deletion">',))
    result = run_cli(vcf, "--qualify", "all", "-o", tmp / "r.html")
    assert result.code == 0, result.err
    html = (tmp / "r.html").read_text()
    cells = re.findall(r'<td class="inheritance" title="AD"><ul><li>(.*?)</li></ul></td>', html)
    assert sorted(cells) == ["hemizygous (the other copy is deleted) in an autosomal dominant gene: medium confidence",
                             "heterozygous in an autosomal dominant gene: medium confidence"]


def test_the_genotype_cell_gives_the_allele_depths_the_allele_balance_gate_reads() -> None:
    """A heterozygous call with 2 of 20 reads ALT fails the allele-balance gate and lowers its flag ('a genotype is
    below the quality gates'), but the findings table gave only GQ and DP (60 and 20, both passing): nothing on the
    page showed which call failed or why. A call without AD (.,.) gets no AD line."""
    def genotype_cell(ad: str, fraction: str) -> str:
        html = page([row(chrom="chr2", pos="165770217", ref="G", alt="A", gene="GALNT3", sample="S1",
                         genotype="0/1", zygosity="het", gq="60", dp="20", ad=ad, allele_fraction=fraction,
                         consequence="coding_sequence_variant", impact="UNKNOWN")])
        return re.search(r"<td>0/1 \(het\)(.*?)</td>", html).group(1)

    assert genotype_cell("18,2", "0.100") == ('<div class="sub">GQ 60 DP 20</div><div class="sub">AD 18,2 (allele '
                                              'fraction 0.100)</div>')
    assert genotype_cell(".,.", ".") == '<div class="sub">GQ 60 DP 20</div>'


def test_an_empty_list_of_variants_without_genotypes_does_not_say_they_do_not_fit(tmp: Path) -> None:
    """A VCF whose records give no FORMAT/GT (Strelka's somatic calls) has rows that name no sample and no genotype
    is judged, yet the empty list said 'no sample's genotypes fit the mode of inheritance of a panel gene', as if
    TUMOR's genotype at a P/LP GALNT3 allele had been looked at and found not to fit."""
    vcf = write_vcf(tmp / "in.vcf", ["chr2 165754626 . C T 50 PASS . DP:GQ 20:60"], samples=("TUMOR",))
    result = run_cli(vcf, "-o", tmp / "r.html")
    assert result.code == 0, result.err
    html = (tmp / "r.html").read_text()
    assert re.findall(r'<p class="empty">(.*?)</p>', html, re.S) == [
        "No candidate diagnosis: the variants found in the panel regions have no genotypes (no FORMAT/GT),\n"
        "so none could be assessed."]


def test_a_clinvar_record_of_one_star_is_not_written_one_stars() -> None:
    def shown(stars: str) -> str:
        html = page([row(chrom="chr2", pos="165754626", ref="C", alt="T", gene="GALNT3", sample="S1",
                         consequence="splice_donor_variant", impact="HIGH", clinvar_id="7792",
                         clinvar_significance="Pathogenic", clinvar_stars=stars)])
        return re.search(r"7792: Pathogenic \(([^)]*)\)", html).group(1)

    assert [shown(stars) for stars in ("0", "1", "2")] == ["0 stars", "1 star", "2 stars"]
