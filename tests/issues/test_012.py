"""Issue 12: the diagnosis first. Qualifying alleles (a rule table) for inheritance flags, an honest UNKNOWN
impact without a reference, tiers that follow the flags' confidence, a ranked summary (one line per sample, gene
and pattern), each flag kind once in the TSV, and interpretations that do not over-reach.

Real alleles are ClinVar P/LP records of the shipped snapshot (IDs given); other positions are made up.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pysam
import pytest

from hftc_annot.consequence import Effect
from hftc_annot.consequence.predict import Consequence
from hftc_annot.inheritance.qualifying import frequency_limits, reason, rules
from hftc_annot.inheritance.summary import dominant_caveat, interpretations
from hftc_annot.knowledge import Knowledge
from hftc_annot.knowledge.tiers import Facts, tier
from hftc_annot.knowledge.tiers import rules as tier_rules
from hftc_annot.panel import load_panel

from conftest import run_cli, table, write_vcf
from oracle.harness import build_oracle_reference, read_models

EXAMPLES = Path(__file__).resolve().parents[2] / "example_vcfs"
GENES = {g.symbol: g for g in load_panel("GRCh38").genes}
FORMAT = "GT:AD:DP:GQ"
HET, HOM, REF = "0/1:10,10:20:60", "1/1:0,20:20:60", "0/0:20,0:20:60"
GALNT3 = "consistent with Tumoral calcinosis, hyperphosphatemic, familial, 1 [OMIM:211900] (AR)"


def summary(path: Path) -> list[dict[str, str]]:
    return table(path.read_text())


def test_single_exome_summary_is_ranked_and_built_only_from_qualifying_alleles(tmp_path: Path) -> None:
    result = run_cli(EXAMPLES / "single_exome.vcf", "-o", tmp_path / "out.tsv", "--summary", tmp_path / "s.tsv")
    assert result.code == 0, result.err
    assert run_cli(EXAMPLES / "single_exome.vcf", "-o", tmp_path / "out.json").code == 0
    lines = summary(tmp_path / "s.tsv")
    assert [(x["gene"], x["candidate"], x["confidence"], x["tier"], x["variants"], x["other_candidates"])
            for x in lines] == [
        ("GALNT3", "biallelic (compound heterozygous, multiallelic trans)", "high", "1", "c.516-2A>T, c.516-2A>G",
         "14"),
        ("GALNT3", "biallelic (homozygous)", "medium", "1", "c.1626+1G>A", "0"),
        ("ENPP1", "biallelic (homozygous)", "medium", "1", "c.913C>A", "0"),
        ("ABCC6", "biallelic (homozygous)", "medium", "1", "c.2787+1G>T", "0"),
        ("FGF23", "heterozygous in an autosomal dominant gene", "low", "2", "c.536G>A", "2"),
        ("ENPP1", "homozygous in an autosomal dominant gene", "low", "2", "c.913C>A", "2"),
        ("ABCC6", "heterozygous in an autosomal dominant gene", "low", "2", "chr16:16154653 AC>A", "6"),
        # of the three equal FGF23 pairs, the one whose calls pass the quality gates (c.385T>C is LowQual)
        ("FGF23", "biallelic (compound heterozygous, unphased)", "low", "2", "c.536G>A, c.162G>C", "2"),
        ("ENPP1", "biallelic (compound heterozygous, unphased)", "low", "2", "c.1441C>T, c.2608-1G>A", "0"),
        ("ABCC6", "biallelic (compound heterozygous, unphased)", "low", "2",
         "chr16:16154653 AC>A, chr16:16157770 A>AG", "14"),
    ]
    assert lines[0]["evidence"] == ("two heterozygous variants in GALNT3 (c.516-2A>T, c.516-2A>G), in trans: one "
                                    "multi-allelic genotype carries both")
    # the upstream, downstream and intronic alleles of the example take part in nothing
    flagged = {(r["chrom"], r["pos"]) for r in table((tmp_path / "out.tsv").read_text())
               if r["inheritance_flags"] != "."}
    for site in [("chr2", "165742588"), ("chr2", "165799247"), ("chr12", "4363227"), ("chr12", "4384712"),
                 ("chr13", "33030000"), ("chr13", "33030002")]:
        assert site not in flagged
    assert "KL" not in {x["gene"] for x in lines}
    document = json.loads((tmp_path / "out.json").read_text())
    assert [(x["gene"], x["candidate"], x["other_candidates"]) for x in document["summary"]] == [
        (x["gene"], x["candidate"], int(x["other_candidates"])) for x in lines]


def test_no_coding_allele_is_modifier_without_a_reference(tmp_path: Path) -> None:
    result = run_cli(EXAMPLES / "single_exome.vcf", "-o", tmp_path / "out.tsv")
    rows = table((tmp_path / "out.tsv").read_text())
    coding = [r for r in rows if "coding_sequence_variant" in r["consequence"]]
    assert len(coding) == 9 and {r["impact"] for r in coding} == {"UNKNOWN"}
    assert {r["consequence_note"] for r in coding} == {
        "protein effect unknown: no reference sequence (give --fasta REF.fa or run 'hftc-annot reference install "
        "REF.fa')"}
    assert ("## protein_effects: not computed: no reference sequence; coding substitutions have impact UNKNOWN; "
            "give --fasta REF.fa or run 'hftc-annot reference install REF.fa'") in result.out + (
        tmp_path / "out.tsv").read_text()
    # a rare coding allele in a core gene of unknown protein effect is tier 2, not tier 3
    novel = write_vcf(tmp_path / "novel.vcf", [f"chr2 165770230 . G A 50 PASS . {FORMAT} {HET}"])
    [row] = table(run_cli(novel).out)
    assert (row["consequence"], row["impact"], row["evidence_tier"], row["tier_reasons"]) == (
        "coding_sequence_variant", "UNKNOWN", "2",
        "rare coding variant in a core HFTC gene, protein effect unknown (not computed)")


def test_the_unknown_effect_tier_reason_says_not_computed_also_when_a_reference_was_given(tmp_path: Path) -> None:
    """With --fasta, a REF that differs from the reference leaves a coding change's protein effect unknown too: its
    row's tier reason said 'protein effect unknown (no reference sequence)' beside the note 'REF does not match the
    reference'. On the oracle's SYNTHETIC GALNT3 (tests/oracle/harness.py), as --build custom."""
    models = [m for m in read_models(EXAMPLES.parent / "resources" / "mane_select.GRCh38.gff3") if m.gene == "GALNT3"]
    oracle = build_oracle_reference(models, tmp_path, seed=7)
    (tmp_path / "panel.tsv").write_text("gene\nGALNT3\n")
    pos = sorted(next(iter(read_models(oracle.gff3))).cds)[0][0] + 10  # a coding base of the last exon
    base = pysam.FastaFile(str(oracle.fasta)).fetch("GALNT3", pos - 1, pos).upper()
    wrong, alt = [b for b in "ACGT" if b != base][:2]
    length = (tmp_path / "oracle.fa.fai").read_text().split()[1]
    vcf = tmp_path / "in.vcf"
    vcf.write_text(f"##fileformat=VCFv4.2\n##contig=<ID=GALNT3,length={length}>\n"
                   '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
                   "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
                   f"GALNT3\t{pos}\t.\t{wrong}\t{alt}\t50\tPASS\t.\tGT\t0/1\n")
    result = run_cli(vcf, "--fasta", oracle.fasta, "--gff", oracle.gff3, "--panel", tmp_path / "panel.tsv",
                     "--build", "custom")
    assert result.code == 0, result.err
    [row] = table(result.out)
    assert (row["impact"], row["evidence_tier"], row["tier_reasons"], row["consequence_note"]) == (
        "UNKNOWN", "2", "rare coding variant in a core HFTC gene, protein effect unknown (not computed)",
        f"REF does not match the reference (REF {wrong}, reference {base}): consequence from the position only; "
        "protein effect unknown")


def test_min_impact_keeps_unknown_impact_with_a_note(tmp_path: Path) -> None:
    vcf = write_vcf(tmp_path / "in.vcf", [f"chr2 165770230 . G A 50 PASS . {FORMAT} {HOM}"])
    result = run_cli(vcf, "--min-impact", "MODERATE")
    assert table(result.out)[0]["inheritance_flags"] == "AR_hom"
    assert ("kept by --min-impact MODERATE although its impact is unknown (no reference sequence): 1 time "
            "(first at") in result.err


@pytest.mark.parametrize(("records", "paired"), [
    # intron + intron: neither qualifies
    (["chr2 165750000 . A G 50 PASS .", "chr2 165760000 . C T 50 PASS ."], False),
    # coding (protein effect unknown: qualifies) + intron: the intron does not pair
    (["chr2 165770230 . G A 50 PASS .", "chr2 165760000 . C T 50 PASS ."], False),
    # ClinVar 557116 (c.3061-12T>A, splice polypyrimidine tract) + ClinVar 188900 (c.3556G>A): paired in ATP7B
    (["chr13 51944303 . A T 50 PASS .", "chr13 51941081 . C T 50 PASS ."], True),
])
def test_hand_cases_of_pairing(tmp_path: Path, records: list[str], paired: bool) -> None:
    vcf = write_vcf(tmp_path / "in.vcf", [f"{r} {FORMAT} {HET}" for r in records])
    rows = table(run_cli(vcf).out)
    assert {r["inheritance_flags"] for r in rows} == ({"AR_comphet"} if paired else {"."}), rows
    everything = table(run_cli(vcf, "--qualify", "all").out)  # today's behaviour back: every allele pairs
    assert {r["inheritance_flags"] for r in everything} == {"AR_comphet"}


def test_clinvar_alone_qualifies_an_intronic_allele(tmp_path: Path) -> None:
    """ClinVar 643480, FBN1 c.6872-961A>G (deep intronic, P/LP): its only qualifying evidence is ClinVar."""
    vcf = write_vcf(tmp_path / "in.vcf", [f"chr15 48429432 . T C 50 PASS . {FORMAT} {HET}"])
    [row] = table(run_cli(vcf).out)
    assert (row["consequence"], row["clinvar_id"], row["inheritance_flags"]) == ("intron_variant", "643480", "AD")


def test_population_frequency_limit_per_mode(tmp_path: Path) -> None:
    assert frequency_limits() == {"AR": 0.01, "XLR": 0.01, "AD": 0.001, "XLD": 0.001}
    header = ('##INFO=<ID=gnomAD_AF,Number=A,Type=Float,Description="gnomAD allele frequency">',)
    records = [f"chr2 165770230 . G A 50 PASS gnomAD_AF=0.005 {FORMAT} {HOM}",  # GALNT3 (AR): within 1%
               f"chr8 42417900 . G A 50 PASS gnomAD_AF=0.005 {FORMAT} {HET}"]  # SLC20A2 (AD): above 0.1%
    vcf = write_vcf(tmp_path / "in.vcf", records, extra_header=header)
    flags = {r["gene"]: r["inheritance_flags"] for r in table(run_cli(vcf).out)}
    assert flags == {"GALNT3": "AR_hom", "SLC20A2": "."}
    strict = {r["gene"]: r["inheritance_flags"] for r in table(run_cli(vcf, "--max-af", "0.001").out)}
    assert strict == {"GALNT3": ".", "SLC20A2": "."}
    loose = {r["gene"]: r["inheritance_flags"] for r in table(run_cli(vcf, "--max-af", "0.01").out)}
    assert loose == {"GALNT3": "AR_hom", "SLC20A2": "AD"}


def _effect(terms: tuple[str, ...], impact: str) -> Effect:
    return Effect(Consequence(None, terms, impact))


@pytest.mark.parametrize(("effect", "known", "expected"), [
    (_effect(("stop_gained",), "HIGH"), None, "protein-truncating or canonical splice site (HIGH impact)"),
    (_effect(("missense_variant",), "MODERATE"), None, "protein-altering (MODERATE impact)"),
    (_effect(("coding_sequence_variant",), "UNKNOWN"), None,
     "changes the coding sequence; protein effect unknown without a reference sequence"),
    (_effect(("splice_region_variant", "intron_variant"), "LOW"), None, "in a splice region"),
    (_effect(("splice_donor_5th_base_variant", "intron_variant"), "LOW"), None, "at the 5th base of a splice donor"),
    (_effect(("splice_donor_region_variant", "intron_variant"), "LOW"), None, "in a splice donor region"),
    (_effect(("splice_polypyrimidine_tract_variant", "intron_variant"), "LOW"), None,
     "in a splice polypyrimidine tract"),
    (_effect(("intron_variant",), "MODIFIER"), Knowledge(clinvar_significance="Likely_pathogenic"),
     "pathogenic or likely pathogenic in ClinVar (any review status)"),
    (_effect(("synonymous_variant",), "LOW"), Knowledge(known_hftc_variant="c.1A>G", known_hftc_exact=True),
     "a curated HFTC literature variant (this change, any curator confidence)"),
    (_effect(("synonymous_variant",), "LOW"), Knowledge(known_hftc_variant="same codon as p.(Arg1Ter)"), ""),
    (_effect(("intron_variant",), "MODIFIER"), Knowledge(clinvar_significance="Conflicting classifications"), ""),
    (_effect(("upstream_gene_variant",), "MODIFIER"), None, ""),
    (Effect(None, note="REF does not match the reference"), None, ""),
])
def test_every_qualifying_rule(effect: Effect, known: Knowledge | None, expected: str) -> None:
    assert reason(effect, known) == expected


def test_qualifying_rules_are_data() -> None:
    assert [(r.evidence, r.value) for r in rules()] == [
        ("impact", "HIGH"), ("impact", "MODERATE"), ("impact", "UNKNOWN"), ("term", "splice_region_variant"),
        ("term", "splice_donor_5th_base_variant"), ("term", "splice_donor_region_variant"),
        ("term", "splice_polypyrimidine_tract_variant"), ("clinvar", "P/LP"), ("curated", "exact")]


@pytest.mark.parametrize(("facts", "expected"), [
    (Facts(("intron_variant",), "Pathogenic", "2", False, None, True), "1"),  # P/LP, fitting pattern
    (Facts(("stop_gained",), "", "", True, 0.001, True), "1"),  # null, core, rare, fitting pattern
    (Facts(("intron_variant",), "Pathogenic", "2", False, None, False), "2"),  # P/LP, no fitting pattern
    (Facts(("stop_gained",), "", "", True, None, False), "2"),  # null in a core gene, no fitting pattern
    (Facts(("missense_variant",), "", "", True, None, False), "2"),
    (Facts(("coding_sequence_variant",), "", "", True, None, False, True), "2"),  # protein effect unknown, core
    (Facts(("frameshift_variant",), "", "", False, None, True), "2"),  # null in a related gene
    (Facts(("missense_variant",), "", "", False, None, True), "3"),
    (Facts(("coding_sequence_variant",), "", "", False, None, False, True), "3"),
    (Facts(("stop_gained",), "", "", True, 0.2, True), "."),  # common
    (Facts(("intron_variant",), "Pathogenic", "1", True, None, True), "."),  # one star: not the P/LP rules
])
def test_every_tier_rule(facts: Facts, expected: str) -> None:
    assert tier(facts)[0] == expected
    assert len(tier_rules()) == 8


def test_a_low_confidence_flag_does_not_make_tier_1(tmp_path: Path) -> None:
    """Trio example: FGF23 c.535C>T is carried by the unaffected mother (AD, low): tier 2; the de novo PHEX allele
    with both parents genotyped and good calls: tier 1."""
    result = run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped")
    child = {r["gene"]: r for r in table(result.out) if r["sample"] == "CHILD"}
    assert (child["FGF23"]["inheritance_flags"], child["FGF23"]["confidence"], child["FGF23"]["evidence_tier"]) == (
        "AD", "low", "2")
    assert (child["PHEX"]["inheritance_flags"], child["PHEX"]["confidence"], child["PHEX"]["evidence_tier"]) == (
        "de_novo;XL", "high;medium", "1")


def test_trio_summary_puts_the_galnt3_findings_first(tmp_path: Path) -> None:
    result = run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "--summary", tmp_path / "s.tsv")
    assert result.code == 0, result.err
    lines = summary(tmp_path / "s.tsv")
    assert [(x["gene"], x["candidate"], x["confidence"], x["tier"]) for x in lines] == [
        ("GALNT3", "biallelic (homozygous)", "high", "1"),
        ("GALNT3", "biallelic (compound heterozygous, parental trans)", "high", "1"),
        ("PHEX", "de novo", "high", "1"),
        ("PHEX", "X-linked", "medium", "1"),
        ("FGF23", "heterozygous in an autosomal dominant gene", "low", "2"),
        ("ENPP1", "heterozygous in an autosomal dominant gene", "low", "2"),
        ("FGF23", "one known disease allele in a recessive gene, no second found", "low", "2"),
        ("ENPP1", "one known disease allele in a recessive gene, no second found", "low", "2")]
    assert lines[0]["interpretation"] == GALNT3


def test_interpretation_names_a_dominant_disorder_of_particular_variants_with_its_caveat() -> None:
    enpp1 = interpretations(GENES["ENPP1"], ("AR", "AD"))
    assert enpp1["AD"] == ("ENPP1's dominant disorder (Cole disease [OMIM:615522]) is caused by specific missense "
                           "variants in the somatomedin-B-like domains: review whether this variant is one of them")
    assert enpp1["AR_hom"].startswith("consistent with Arterial calcification, generalized, of infancy, 1")
    assert dominant_caveat(GENES["ENPP1"]) == ("not every variant causes ENPP1's dominant disorder "
                                               "(Cole disease [OMIM:615522]): review")
    casr = interpretations(GENES["CASR"], ("AD", "AR"))  # FHH1 follows from loss of function, ADH1 does not
    assert casr["AD"] == ("consistent with Hyperparathyroidism, neonatal severe [OMIM:239200] (AD/AR); "
                          "Hypocalciuric hypercalcemia, familial, type I [OMIM:145980] (AD); note: CASR's dominant "
                          "disorder (Hypocalcemia, autosomal dominant 1 [OMIM:601198]) is caused by activating "
                          "(gain-of-function) variants: review whether this variant is one of them")
    assert dominant_caveat(GENES["CASR"]) == ""
    assert dominant_caveat(GENES["SLC20A2"]) == ""


def test_a_heterozygous_allele_in_a_gene_of_particular_dominant_variants_is_low(tmp_path: Path) -> None:
    """ClinVar 445386, ENPP1 c.2608-1G>A, heterozygous in a singleton: AD low with the caveat, tier 2."""
    vcf = write_vcf(tmp_path / "in.vcf", [f"chr6 131890340 . G A 50 PASS . {FORMAT} {HET}"])
    [row] = table(run_cli(vcf).out)
    assert (row["inheritance_flags"], row["confidence"], row["evidence_tier"]) == ("AD", "low", "2")
    assert row["evidence"] == ("heterozygous in an autosomal dominant gene; no parental genotypes; not every "
                               "variant causes ENPP1's dominant disorder (Cole disease [OMIM:615522]): review")


def test_the_tsv_lists_each_flag_kind_once(tmp_path: Path) -> None:
    rows = table(run_cli(EXAMPLES / "single_exome.vcf").out)
    row = next(r for r in rows if r["hgvs_c"] == "NM_004482.4:c.516-2A>T")
    assert (row["inheritance_flags"], row["confidence"], row["phase_evidence"]) == (
        "AR_comphet(5 pairs)", "high", "multiallelic_trans")
    assert row["comphet_pair_id"] == "CH13,CH3,CH7,CH10,CH14"  # the multi-allelic trans pair first
    assert row["evidence"].endswith("(and 4 other candidate pairs)")


def test_trio_html_puts_the_galnt3_findings_first(tmp_path: Path) -> None:
    report = tmp_path / "trio.html"
    assert run_cli(EXAMPLES / "trio.vcf", "--ped", EXAMPLES / "trio.ped", "-o", report).code == 0
    html = report.read_text()
    heads = re.findall(r'<li class="candidate[^>]*>\s*<div class="head"><span class="rank">(\d+)\.</span> '
                       r"<strong>([^<]+)</strong> &middot;\s*<strong>([^<]+)</strong>: ([^<]+?) <", html)
    assert [(rank, sample, gene, words) for rank, sample, gene, words in heads[:3]] == [
        ("1", "CHILD", "GALNT3", "biallelic (homozygous)"),
        ("2", "CHILD", "GALNT3", "biallelic (compound heterozygous, parental trans)"),
        ("3", "CHILD", "PHEX", "de novo")]
    assert html.index("Candidate diagnoses") < html.index("Findings")
    assert "Warning: Protein effects not computed: no reference sequence" in html


def test_a_de_novo_allele_in_a_recessive_only_gene_is_no_standalone_finding(tmp_path: Path) -> None:
    """ClinVar 7801, GALNT3 c.1626+1G>A (AR only), new in the child: no de novo flag, no 'consistent with', no
    tier 1; in SLC20A2 (AD) a new allele is de novo, and low when the child's call is below the gates."""
    ped = tmp_path / "trio.ped"
    ped.write_text("F1\tKID\tDAD\tMUM\t2\t2\nF1\tDAD\t0\t0\t1\t1\nF1\tMUM\t0\t0\t2\t1\n")
    records = [f"chr2 165754626 . C T 50 PASS . {FORMAT} {HET} {REF} {REF}",
               f"chr8 42417900 . G A 50 PASS . {FORMAT} {HET} {REF} {REF}",
               f"chr8 42417950 . G A 50 PASS . {FORMAT} 0/1:3,3:6:10 {REF} {REF}"]
    vcf = write_vcf(tmp_path / "in.vcf", records, samples=("KID", "DAD", "MUM"))
    rows = {r["pos"]: r for r in table(run_cli(vcf, "--ped", ped).out) if r["sample"] == "KID"}
    assert (rows["165754626"]["inheritance_flags"], rows["165754626"]["evidence_tier"]) == (".", "2")
    assert (rows["42417900"]["inheritance_flags"], rows["42417900"]["confidence"]) == ("de_novo;AD", "high;high")
    assert (rows["42417950"]["inheritance_flags"], rows["42417950"]["confidence"]) == ("de_novo;AD", "low;low")
