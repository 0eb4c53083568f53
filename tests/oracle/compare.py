"""Compare hftc-annot consequences with bcftools csq on the oracle saturation set.

Our terms follow Ensembl VEP; bcftools uses a smaller vocabulary. `to_bcftools` maps ours onto it (the
documented convention map). SNVs must then agree exactly. Every indel disagreement is put in one of the
explained categories of `REASONS`; one that fits none is a failure.

Run as a script to rewrite the checked-in list:  python tests/oracle/compare.py --write
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[1]))

from hftc_annot.consequence.alleles import minimal  # noqa: E402
from hftc_annot.consequence.gff import read_transcripts  # noqa: E402
from hftc_annot.consequence.predict import CodingSequence, Consequence, predict  # noqa: E402
from hftc_annot.consequence.sequence import FastaSource  # noqa: E402

from oracle.harness import (  # noqa: E402
    build_oracle_reference,
    read_fasta,
    read_models,
    reverse_complement,
    run_bcftools_csq,
    saturation_variants,
    translate,
    write_vcf,
)

SEED = 20261121
N_INDELS = 5000
DISAGREEMENTS = HERE / "indel_disagreements.tsv"
SHIPPED_GFF3 = HERE.parents[1] / "resources" / "mane_select.GRCh38.gff3"

REASONS = {
    "crosses_exon_intron": "crosses an exon/intron boundary: by VEP's rules the protein effect is not predicted "
                           "(coding_sequence_variant) and intron_variant is listed; bcftools predicts the exonic "
                           "part's protein effect and lists only the canonical splice term",
    "near_junction": "within 3 bp of an exon/intron junction: VEP tests every REF base (both flanking bases of an "
                     "insertion); bcftools places the length change at the base after the VCF anchor, so the "
                     "splice and coding terms fall on different sides of the junction",
    "spans_cds_and_utr": "spans the CDS and a UTR: we apply the change to the transcript and name its effect on "
                         "the start or stop codon (start_lost, stop_lost, or stop_gained when the protein now ends "
                         "earlier) without frameshift_variant; bcftools adds frameshift_variant or gives "
                         "coding_sequence_variant",
    "start_stop_codon": "in the start or stop codon: VEP reports start_lost together with frameshift_variant, and "
                        "stop_lost whenever the original stop codon is gone (the protein is extended); bcftools "
                        "reports start_lost alone, and stop_retained when a stop reappears within the inserted bases",
    "inframe_naming": "in-frame change that alters the codon it splits or ends in a new stop: VEP calls it "
                      "protein_altering_variant (or stop_gained alone); bcftools calls every in-frame length "
                      "change inframe_insertion/inframe_deletion",
    "delins_alignment": "multi-base substitution or delins: bcftools aligns ALT against REF in its own way (matching "
                        "ALT bases inside REF) and derives a different change; we translate the edited CDS as "
                        "written",
}


def to_bcftools(terms: tuple[str, ...]) -> set[str]:
    """Our (VEP) terms in bcftools' vocabulary and conventions."""
    out = set()
    for term in terms:
        if term in ("splice_donor_5th_base_variant", "splice_donor_region_variant"):
            out.add("splice_region_variant")  # VEP's refinements of splice_region (intron bases 3-6)
        elif term not in ("splice_polypyrimidine_tract_variant", "upstream_gene_variant", "downstream_gene_variant"):
            out.add(term)  # bcftools has no polypyrimidine term and reports nothing outside transcripts
    if out & {"splice_donor_variant", "splice_acceptor_variant"}:
        out.discard("splice_region_variant")
    if out & {"splice_region_variant", "splice_donor_variant", "splice_acceptor_variant"}:
        out.discard("intron_variant")  # bcftools lists the splice term instead of intron
    return out


@dataclass(frozen=True)
class Comparison:
    snv_total: int
    snv_disagreements: list[tuple]
    indel_total: int
    indel_disagreements: list[tuple[str, int, str, str, str, str, str]]
    seconds_ours: float
    seconds_bcftools: float


def _category(variant: tuple[str, int, str, str], ours: Consequence, theirs: set[str]) -> str:
    t = ours.transcript
    allele = minimal(*variant)
    touched = [allele.end, allele.start] if allele.is_insertion else list(range(allele.start, allele.end + 1))
    exonic = [t.exon_index(g) is not None for g in touched if t.start <= g <= t.end]
    if any(exonic) and not all(exonic):
        return "crosses_exon_intron"
    if any(t.exon_index(g + step) is None or t.exon_index(g) is None
           for g in touched for step in (-3, -2, -1, 1, 2, 3) if t.start <= g + step <= t.end):
        return "near_junction"
    terms = set(ours.terms)
    if {"5_prime_UTR_variant", "3_prime_UTR_variant"} & terms and {
            "start_lost", "stop_lost", "stop_gained", "stop_retained_variant"} & terms:
        return "spans_cds_and_utr"
    if ("start_lost" in terms and "start_lost" in theirs) or (
            "stop_lost" in terms and "stop_retained_variant" in theirs):
        return "start_stop_codon"
    if allele.ref and allele.alt and not allele.is_substitution:
        return "delins_alignment"
    inframe = {"inframe_insertion", "inframe_deletion", "protein_altering_variant", "stop_gained"}
    if (len(allele.alt) - len(allele.ref)) % 3 == 0 and to_bcftools(ours.terms) - inframe == theirs - inframe:
        return "inframe_naming"
    return "unexplained"


def compare(work: Path) -> Comparison:
    import time

    oracle = build_oracle_reference(read_models(SHIPPED_GFF3), work / "ref", seed=SEED)
    variants = saturation_variants(oracle, seed=SEED, n_indels=N_INDELS)
    write_vcf(variants, work / "saturation.vcf", oracle.contig_lengths())
    calls = run_bcftools_csq(work / "saturation.vcf", oracle, work / "csq")
    transcripts = {t.chrom: t for t in read_transcripts(work / "ref" / "oracle.gff3")}
    seq = FastaSource(str(work / "ref" / "oracle.fa"))
    coding = {contig: CodingSequence(t, seq) for contig, t in transcripts.items()}
    started = time.perf_counter()
    ours = {v: predict(transcripts[v[0]], minimal(*v), seq, coding[v[0]]) for v in variants}
    seconds = time.perf_counter() - started
    snvs, snv_bad, indels, indel_bad = 0, [], 0, []
    for v in variants:
        result = ours[v]
        mine = to_bcftools(result.terms if result else ())
        theirs = calls.terms[v]
        is_snv = len(v[2]) == len(v[3]) == 1
        snvs += is_snv
        indels += not is_snv
        if mine == theirs:
            continue
        if is_snv:
            snv_bad.append((v, mine, theirs))
            continue
        reason = _category(v, result, theirs) if result else "unexplained"
        indel_bad.append((v[0], v[1], v[2], v[3], "&".join(sorted(mine)), "&".join(sorted(theirs)), reason))
    return Comparison(snvs, snv_bad, indels, indel_bad, seconds, calls.seconds)


def direct_translation_agrees(work: Path, rows: list[tuple]) -> list[tuple]:
    """For delins rows inside one CDS exon: translate the edited CDS with the harness's own code (not ours)
    and check our stop_gained / synonymous calls. Returns the rows that disagree."""
    sequences = read_fasta(work / "ref" / "oracle.fa")
    models = {m.chrom: m for m in read_models(work / "ref" / "oracle.gff3")}
    bad = []
    for row in rows:
        contig, pos, ref, alt, ours = row[0], int(row[1]), row[2], row[3], row[4]
        model = models[contig]
        end = pos + len(ref) - 1
        if row[-1] != "delins_alignment" or not any(a <= pos and end <= b for a, b in model.cds):
            continue
        genome = sequences[contig]
        edited = genome[:pos - 1] + alt + genome[end:]
        shift = len(alt) - len(ref)
        pieces_ref = [genome[a - 1:b] for a, b in model.cds]
        pieces_alt = [edited[a - 1:b] if b < pos else edited[a - 1:b + shift] if a <= pos
                      else edited[a - 1 + shift:b + shift] for a, b in model.cds]
        cds_ref, cds_alt = "".join(pieces_ref), "".join(pieces_alt)
        if model.strand == "-":
            cds_ref, cds_alt = reverse_complement(cds_ref), reverse_complement(cds_alt)
        protein_ref = translate(cds_ref)
        protein_alt = translate(cds_alt[:len(cds_alt) - len(cds_alt) % 3])
        premature = "*" in protein_alt[:-1]
        if shift % 3 == 0 and (("stop_gained" in ours.split("&")) != premature
                               or ("synonymous_variant" in ours.split("&")) != (protein_alt == protein_ref)):
            bad.append(row)
    return bad


def disagreement_table(rows: list[tuple]) -> str:
    lines = ["# Indel disagreements with bcftools csq 1.16 on the oracle saturation set (tests/oracle/compare.py).",
             "# reasons: " + "; ".join(f"{k} = {v}" for k, v in REASONS.items()),
             "contig\tpos\tref\talt\thftc_annot\tbcftools_csq\treason"]
    lines += ["\t".join(map(str, row)) for row in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help=f"rewrite {DISAGREEMENTS.name}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        result = compare(Path(work))
    counts: dict[str, int] = {}
    for row in result.indel_disagreements:
        counts[row[-1]] = counts.get(row[-1], 0) + 1
    print(f"SNVs {result.snv_total:,}: {len(result.snv_disagreements)} disagreements; indels {result.indel_total:,}: "
          f"{len(result.indel_disagreements)} disagreements {counts}; ours {result.seconds_ours:.1f} s")
    if args.write:
        DISAGREEMENTS.write_text(disagreement_table(result.indel_disagreements))


if __name__ == "__main__":
    main()
