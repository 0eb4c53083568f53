"""Annotated VCF: the input header plus an HFTC INFO field declared the way VEP declares CSQ."""

from __future__ import annotations

import contextlib
from collections import defaultdict

import cyvcf2
import numpy as np

from hftc_annot.inheritance.haplotypes import Haplotype
from hftc_annot.knowledge import Knowledge
from hftc_annot.knowledge.tiers import row_tier
from hftc_annot.model import AlleleFinding, PanelRecord
from hftc_annot.reader.sniff import ends_with_bgzf_eof, unwritten

INFO_ID = "HFTC"
FLAGS_INFO = "HFTC_INHERITANCE"
FLAGS_FORMAT = "HFTC_FLAGS"
HAPLOTYPE_FORMAT = "HFTC_HAPLOTYPE"
HAPLOTYPE_FIELDS = ("ALLELE_NUM", "SYMBOL", "PHASE", "MEMBERS", "Consequence", "HGVSc", "HGVSp")
FIELDS = ("Allele", "Consequence", "IMPACT", "SYMBOL", "HGNC_ID", "Feature", "MANE_SELECT", "EXON", "INTRON",
          "HGVSc", "HGVSp", "cDNA_position", "CDS_position", "Protein_position", "Amino_acids", "Codons",
          "ALLELE_NUM", "TRANSCRIPT_RULE", "CONSEQUENCE_NOTE", "CLINVAR_ID", "CLINVAR_SIG", "CLINVAR_STARS",
          "CLINVAR_NEARBY", "HFTC_KNOWN", "HFTC_KNOWN_REF", "POPULATION_AF", "EVIDENCE_TIER", "TIER_REASONS")
_LINE_BREAKS = {"\r": "%0D", "\n": "%0A"}
_ESCAPES = str.maketrans({"%": "%25", ",": "%2C", "|": "%7C", ";": "%3B", "=": "%3D", " ": "_", "\t": "_",
                          **_LINE_BREAKS})
"""Every HFTC sub-field (free text, and HGVS or labels that may come from the input): spaces as '_' (as VEP
writes them), the characters that VCF INFO or the '|' format would split on, and line breaks, percent-encoded
(p.(Leu20%3D))."""
_INFO, _FORMAT = 1, 2
"""htslib's BCF_HL_INFO and BCF_HL_FMT: which kind of header line remove_header removes (another tool's FORMAT/HFTC
is not ours to remove)."""
_FORMAT_ESCAPES = str.maketrans({"%": "%25", ",": "%2C", "|": "%7C", ":": "%3A", " ": "_", "\t": "_", **_LINE_BREAKS})
"""The same for a FORMAT sub-field, where ':' separates and ';' may stand."""


def _generic(value: str) -> str:
    """A ##hftc-annot_KEY=value line's value as htslib can read it back: one starting with '<' is read as a structured
    line (<ID=...>) and refused, so standard input's name '<stdin>' is written 'stdin'."""
    return value[1:].replace(">", "", 1) if value.startswith("<") else value


def vcf_mode(path: str) -> str:
    """cyvcf2 write mode for an output name: bgzip for .gz (and Hail's .bgz), BCF for .bcf, else plain text (endings
    in any letter case)."""
    path = path.lower()
    if path.endswith((".gz", ".bgz")):
        return "wz"
    if path.endswith(".bcf"):
        return "wb"
    return "w"


def _entry(finding: AlleleFinding, label: str) -> str:
    """One HFTC entry: the consequence fields (VEP's names), then the note, knowledge and evidence tier (_best_tier)."""
    effect, gene, known = finding.effect, finding.gene, finding.knowledge or Knowledge()
    c = effect.consequence if effect else None
    tier, reason = _best_tier(finding)
    consequence = [finding.alt, "&".join(c.terms) if c else "", c.impact if c else ""]
    refseq, other = finding.transcript_ids
    transcript = [gene.symbol, gene.hgnc_id, other, refseq] if gene else [label, "", "", ""]
    fields = [c.exon, c.intron, c.hgvs_c, c.hgvs_p, c.cdna_position, c.cds_position, c.protein_position,
              c.amino_acids, c.codons] if c else [""] * 9
    rule = [str(finding.allele), effect.rule if effect else ""]
    notes = [effect.note if effect else "", known.clinvar_id, known.clinvar_significance, known.clinvar_stars,
             known.clinvar_nearby, known.known_hftc_variant, known.known_hftc_reference, known.population_af,
             tier if tier != "." else "", reason]
    return "|".join(text.translate(_ESCAPES) for text in consequence + transcript + fields + rule + notes)


def _best_tier(finding: AlleleFinding) -> tuple[str, str]:
    """The tier and reason of the allele's best report row: each carrier's row has the tier its flags give, that of
    the combined change where the allele is on a haplotype in cis (ReportRows.write); without a carrier (sites-only),
    the tier without a pattern."""
    judged = finding.flags.keys() | finding.haplotype_tiers.keys()  # carriers whose row may differ from the plain one
    tiers = [row_tier(finding, s) for s in judged]
    if not tiers or finding.calls is None or len(finding.calls.samples) > len(judged):
        tiers.append(finding.tiers[False])  # a carrier without flags or haplotype, or no carrier
    return min(tiers, key=lambda tier: tier[0] if tier[0] != "." else "9")


def _haplotype_entry(finding: AlleleFinding, haplotype: Haplotype) -> str:
    """One HFTC_HAPLOTYPE entry: this ALT, its gene and the combined change of its haplotype in this sample."""
    c = haplotype.consequence
    members = "&".join("{}_{}_{}/{}".format(*member.rsplit(":", 3)) for member in haplotype.members)
    return "|".join(text.translate(_FORMAT_ESCAPES) for text in (
        str(finding.allele), finding.symbol, haplotype.phase, members, "&".join(c.terms), c.hgvs_c, c.hgvs_p))


def _set_info(variant: cyvcf2.Variant, key: str, value: str) -> None:
    """Set an INFO value; an empty one removes the value an input annotated before gave the key."""
    if value:
        variant.INFO[key] = value
    elif variant.INFO.get(key) is not None:
        del variant.INFO[key]


class VcfWriter:
    """Writes each finished panel record, read back with its sample columns from the BCF the reader kept, with
    one HFTC entry per (ALT allele, panel gene) and the inheritance flags per ALT and per sample."""

    def __init__(self, path: str, mode: str, kept: str, meta: dict[str, str]) -> None:
        self._kept = cyvcf2.VCF(kept, gts012=False)
        template = self._kept
        for key, value in meta.items():
            template.add_to_header(f"##hftc-annot_{key}={_generic(value)}")
        for key, kind in ((INFO_ID, _INFO), (FLAGS_INFO, _INFO), (FLAGS_FORMAT, _FORMAT), (HAPLOTYPE_FORMAT, _FORMAT)):
            with contextlib.suppress(KeyError):  # the input's (annotated before) make way for ours, of that kind only
                template.remove_header(key, order=[kind])
        template.add_info_to_header({
            "ID": INFO_ID, "Number": ".", "Type": "String",
            "Description": "hftc-annot consequences, knowledge and evidence tier (not an ACMG classification) per "
                           "ALT allele and panel gene (MANE Select transcript); in every field, spaces are _ and "
                           ",;=|% are percent-encoded. "
                           "Format: " + "|".join(FIELDS),
        })
        template.add_info_to_header({
            "ID": FLAGS_INFO, "Number": "A", "Type": "String",
            "Description": "hftc-annot inheritance flags given to any sample for this ALT allele, joined by &"})
        template.add_format_to_header({
            "ID": FLAGS_FORMAT, "Number": "1", "Type": "String",
            "Description": "hftc-annot inheritance flags of this sample: FLAG/confidence[/pair id], joined by &"})
        template.add_format_to_header({
            "ID": HAPLOTYPE_FORMAT, "Number": ".", "Type": "String",
            "Description": "hftc-annot: this sample's alleles that change the same codons (or a frameshift and the "
                           "indel restoring its frame) on one chromosome, and their combined change; PHASE is cis, "
                           "cis_(homozygous), unknown (if in cis) or unknown_(in_cis_on_the_phased_haplotypes_but_one_"
                           "from_each_parent) (if in cis too: the sample's phasing and its parents disagree); "
                           "MEMBERS CHROM_POS_REF/ALT joined by &; one entry per ALT and panel gene; : , | % "
                           "percent-encoded. Format: " + "|".join(HAPLOTYPE_FIELDS)})
        self._samples = len(template.samples)
        self._variants = iter(self._kept)
        self._writer = cyvcf2.Writer(path, template, mode=mode)
        self._path, self._mode, self._written, self._closed = path, mode, 0, False

    def write(self, item: PanelRecord) -> int:
        """Write the next kept record (the one of `item`) with the HFTC fields added; returns the rows written (1)."""
        variant = next(self._variants)
        if (item.record.chrom, item.record.pos, item.record.ref) != (variant.CHROM, variant.POS, variant.REF):
            raise RuntimeError(f"the kept record {variant.CHROM}:{variant.POS} is not record {item.key} "
                               f"({item.record.chrom}:{item.record.pos})")
        entries = [_entry(finding, item.label) for finding in item.findings]
        names: list[list[str]] = [[] for _ in item.record.alts]
        per_sample: dict[int, list[str]] = defaultdict(list)
        for finding in item.findings:  # ALT, then gene
            for sample in sorted(finding.flags):
                for flag in finding.flags[sample]:
                    names[finding.allele - 1].append(flag.name)
                    per_sample[sample].append("/".join(x for x in (flag.name, flag.confidence, flag.pair) if x))
        haplotypes: dict[int, list[str]] = defaultdict(list)
        for finding in item.findings:
            for sample, haplotype in finding.haplotypes.items():
                haplotypes[sample].append(_haplotype_entry(finding, haplotype))
        per_allele = ["&".join(dict.fromkeys(n)) or "." for n in names]
        _set_info(variant, INFO_ID, ",".join(entries))
        _set_info(variant, FLAGS_INFO, ",".join(per_allele) if any(a != "." for a in per_allele) else "")
        previous = set(variant.FORMAT or ())  # an input annotated before has its own: replaced, with "." if none
        if self._samples and (per_sample or FLAGS_FORMAT in previous):
            variant.set_format(FLAGS_FORMAT, np.array(["&".join(dict.fromkeys(per_sample.get(s, []))) or "."
                                                       for s in range(self._samples)], dtype=bytes))
        if self._samples and (haplotypes or HAPLOTYPE_FORMAT in previous):
            variant.set_format(HAPLOTYPE_FORMAT, np.array([",".join(haplotypes.get(s, [])) or "."
                                                          for s in range(self._samples)], dtype=bytes))
        if self._writer.write_record(variant) != 0:  # a failed write (a full disk) is not raised: -1
            raise unwritten(self._path, "the annotated VCF")
        self._written += 1
        return 1

    def finish(self) -> None:
        """Close the file and check that htslib wrote all of it: a write that fails as it closes is not raised, and
        left a cut file (the end-of-file block of BGZF, or lines of a plain VCF, missing)."""
        lines = self._writer.raw_header.count("\n") + self._written
        self.close()
        if self._mode == "w":
            with open(self._path, "rb") as handle:
                whole = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) == lines
        else:
            whole = ends_with_bgzf_eof(self._path)
        if not whole:
            raise unwritten(self._path, "the annotated VCF")

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._writer.close()
            self._kept.close()
