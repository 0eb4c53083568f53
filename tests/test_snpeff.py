"""HGVS c./p. strings against SnpEff on the same transcript models and sequence (issue 3).

SnpEff 5.1d (Debian package ``snpeff``) gets a database built offline from the oracle GFF3 + FASTA
(tests/oracle/README.md), restricted to four genes: ALPL (+) and GALNT3 (-) with synthetic sequence, COL1A1 (-)
and COL1A2 (+) with the real LRG sequence. The variants are

* every saturation SNV in the CDS of the first two coding exons of each gene, and every intronic saturation SNV
  within 10 bp of those exons;
* every saturation indel on the four contigs (unshiftable by construction);
* shiftable indels made here (:func:`repeat_indels`): a one-unit deletion and a duplication of every mono-, di- and
  trinucleotide tract in and next to those exons, each written twice, left- and right-aligned, so that the HGVS
  3' rule is exercised on both strands.

Notation that carries no information is normalised before comparing: the accession prefix is dropped on both
sides (the part after ``:`` is compared), SnpEff's p. gets the parentheses of a predicted consequence, and ``*``
becomes ``Ter``. Every remaining difference is put in one of :data:`CATEGORIES` by :func:`classify`. Protein
descriptions are checked against a direct translation of the edited transcript (:func:`direct_protein`, which
uses the harness's translation, not the engine's), so a category says which side describes the wrong protein.
The counts, with the first example of each category, must equal ``tests/oracle/snpeff_divergences.tsv``. After a
reviewed change, rewrite it with ``SNPEFF_DIVERGENCES_WRITE=1 python3 -m pytest -q tests/test_snpeff.py``.

SnpEff setup (:func:`build_snpeff_database`): SnpEff does not resolve the Ensembl-style ``ID=gene:…`` /
``ID=transcript:…`` of the oracle GFF3: it names the mRNA ``ENST…`` but then cannot find the parent
``transcript:ENST…`` of the exon/CDS/UTR lines, and invents one transcript and gene per exon. So the ``gene:`` and
``transcript:`` prefixes are removed from ``ID=`` and ``Parent=``; nothing else changes (``mRNA`` is accepted
as is). Java is called directly (the ``snpEff`` wrapper prints a stray line with ``-c``), always with ``-noLog``
(otherwise SnpEff contacts its server).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

from hftc_annot.consequence.alleles import Allele, minimal, shift_3prime
from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.consequence.predict import CodingSequence, predict
from hftc_annot.consequence.sequence import FastaSource
from hftc_annot.consequence.transcripts import Transcript

from oracle.harness import (
    Model,
    OracleSet,
    Variant,
    build_oracle_reference,
    read_fasta,
    read_models,
    reverse_complement,
    saturation_variants,
    spliced,
    translate,
    write_vcf,
)

SNPEFF_JAR = Path("/usr/share/java/snpeff.jar")
JAVA = shutil.which("java")

pytestmark = pytest.mark.skipif(JAVA is None or not SNPEFF_JAR.is_file(),
                                reason=f"needs java and {SNPEFF_JAR} (Debian package snpeff)")

HERE = Path(__file__).resolve().parent
SHIPPED_GFF3 = HERE.parent / "resources" / "mane_select.GRCh38.gff3"
DIVERGENCES = HERE / "oracle" / "snpeff_divergences.tsv"
SEED = 20261121
N_INDELS = 5000
GENES = ("ALPL", "GALNT3", "COL1A1", "COL1A2")
FIRST_CODING_EXONS = 2
INTRON_FLANK = 10
REPEAT_FLANK = 3
MAX_VARIANTS = 20_000
GENOME = "oracle"

CATEGORIES: dict[str, str] = {
    # c.
    "c_bases_listed": "SnpEff writes the deleted/duplicated bases (c.12delC, c.12dupC, c.12_14delCTGinsA); "
                      "HGVS no longer does",
    "c_minus_strand_not_shifted": "minus-strand gene: SnpEff does not move indels 3' along the transcript (it keeps "
                                  "the VCF placement) and names a duplication placed there ins; we apply the HGVS "
                                  "3' rule (on plus-strand genes SnpEff shifts like us)",
    "c_dup_across_transcript_end": "the inserted bases duplicate bases reaching beyond the transcript's end: we "
                                   "name it dup, numbering on upstream/downstream (c.-N, c.*N) as HGVS allows; SnpEff "
                                   "names it ins",
    "c_outside_transcript": "the VCF placement reaches beyond the transcript's first or last base: SnpEff numbers "
                            "into the flank (c.-N, c.*N); we give no c. (as VEP) or the 3' shift moves it inside",
    # p., notation only (both describe the same protein)
    "p_synonymous": "synonymous: SnpEff writes p.Leu2Leu; HGVS writes p.(Leu2=)",
    "p_frameshift_short": "frameshift: SnpEff writes the short form p.Arg12fs; we write p.(Arg12GlyfsTer5)",
    "p_frameshift_to_stop": "frameshift whose first changed residue is a stop: SnpEff writes p.Arg12fs; we write "
                            "the nonsense form p.(Arg12Ter)",
    "p_stop_as_nonsense": "in-frame change whose first changed residue is a stop: SnpEff writes an insertion or "
                          "delins starting with Ter; HGVS writes nonsense, p.(Arg12Ter)",
    "p_residues_after_stop": "in-frame change that makes a stop: SnpEff keeps translating and lists residues after "
                             "the new Ter; the protein ends at the Ter",
    "p_dup_named_ins": "duplicated residues: SnpEff writes an insertion (p.Gly4_Ala5insAla); HGVS writes a "
                       "duplication of the most C-terminal copy (p.(Ala5dup))",
    "p_not_3prime": "deleted or duplicated residue in a repeat: SnpEff names the most N-terminal copy; HGVS (and "
                    "we) the most C-terminal one",
    "p_ins_with_stop_as_delins": "insertion between two intact residues that encodes a stop: we write "
                                 "p.(Pro5delinsLysTer); HGVS writes an insertion, p.(Gly4_Pro5insLysTer), as SnpEff "
                                 "does apart from residues after the stop (hftc-annot deviation, reported)",
    "p_snpeff_mnp_format": "several codons substituted in frame: SnpEff writes p.SerGlu12AspTyr (not HGVS); we write "
                           "p.(Ser12_Glu13delinsAspTyr)",
    # p., different predictions
    "p_start_codon": "the start codon is changed (or deleted and re-formed): we give p.(Met1?), or nothing when the "
                     "change also covers the 5' UTR; SnpEff gives p.Met1del, p.Met1_Leu2delinsIle, p.Met1fs or "
                     "nothing",
    "p_no_protein_across_splice": "the change covers exonic and intronic bases (or an insertion sits on an "
                                  "exon/intron junction): we predict no protein change (VEP rule); SnpEff translates "
                                  "the exonic part",
    "p_shift_across_junction": "an indel whose HGVS 3' shift moves it between exon and intron: SnpEff predicts "
                               "from the shifted placement (splice/intron and no p., or the reverse); we predict "
                               "from the VCF placement, as VEP does",
    "p_snpeff_unknown_codons": "change ending at an exon's last base: SnpEff cannot complete the codons (???) and "
                               "misses the frameshift",
    "p_stop_loss": "the stop codon is deleted with 3' UTR bases: we give the extension read through the edited "
                   "3' UTR (p.(Ter1367TyrextTer4)); SnpEff writes a frameshift at the stop",
    "p_snpeff_wrong_protein": "SnpEff's p. is not the protein of the edited transcript (direct translation): "
                              "in-frame duplications on minus-strand genes get the wrong residue (p.Phe33dup for an "
                              "inserted Cys), and a deletion it shifts across an exon end becomes a frameshift",
    "p_ours_wrong_protein": "our p. is not the protein of the edited transcript (direct translation): a "
                            "frameshifting deletion from the last codons through the stop is written as an "
                            "extension from the stop; hftc-annot bug, reported",
    "p_ours_missing_protein": "we give no p. although the change lies in one exon after the start codon and alters "
                              "the protein (a delins over the stop codon that makes an earlier stop); hftc-annot "
                              "gap, reported",
    # engine failures
    "ours_raises": "hftc-annot raises ValueError for an insertion that duplicates bases across the transcript's "
                   "first base; hftc-annot bug, reported",
    "unclassified": "fits no documented category",
}
"""Difference category -> the one-line reason written to the TSV. Order = TSV order."""


# ---------------------------------------------------------------------------------------------------------------
# Variants
# ---------------------------------------------------------------------------------------------------------------


def coding_exons(model: Model) -> list[tuple[int, int]]:
    """Exons holding CDS, in transcript order."""
    exons = [e for e in model.exons if any(a <= e[1] and e[0] <= b for a, b in model.cds)]
    return exons if model.strand == "+" else exons[::-1]


def select_variants(oracle: OracleSet, variants: list[Variant]) -> list[Variant]:
    """The saturation variants this test uses (see the module docstring)."""
    models = {m.chrom: m for m in oracle.models if m.chrom in GENES}
    windows = {c: coding_exons(m)[:FIRST_CODING_EXONS] for c, m in models.items()}

    def keep(v: Variant) -> bool:
        contig, pos, ref, alt = v
        if contig not in models:
            return False
        if not len(ref) == len(alt) == 1:
            return True
        m = models[contig]
        in_cds = any(a <= pos <= b for a, b in m.cds)
        intronic = m.start <= pos <= m.end and not any(a <= pos <= b for a, b in m.exons)
        return any((a <= pos <= b and in_cds) or (intronic and a - INTRON_FLANK <= pos <= b + INTRON_FLANK)
                   for a, b in windows[contig])

    return [v for v in variants if keep(v)]


def _tracts(seq: str, lo: int, hi: int, k: int) -> list[tuple[int, int]]:
    """Maximal stretches [a, b] (1-based) of period ``k`` and length > k that overlap [lo, hi]."""
    def periodic(i: int) -> bool:  # base i equals base i + k
        return seq[i - 1] == seq[i + k - 1]

    out = []
    p = lo
    while p <= hi:
        if not periodic(p):
            p += 1
            continue
        a, q = p, p
        while periodic(a - 1):
            a -= 1
        while periodic(q + 1):
            q += 1
        out.append((a, q + k))
        p = q + 2
    return out


def repeat_indels(oracle: OracleSet, sequences: dict[str, str]) -> list[Variant]:
    """Shiftable deletions and duplications of one repeat unit (1-3 bp), each left- and right-aligned.

    In a tract [a, b] of period k, deleting any k consecutive bases, or inserting a copy of them next to
    themselves, gives the same sequence. Tracts overlapping the first two coding exons of each gene (+- 3 bp) are
    used; a di- or trinucleotide tract of one base (a homopolymer) is left to k = 1.
    """
    out: set[Variant] = set()
    for m in oracle.models:
        if m.chrom not in GENES:
            continue
        seq = sequences[m.chrom]
        for lo, hi in coding_exons(m)[:FIRST_CODING_EXONS]:
            for k in (1, 2, 3):
                for a, b in _tracts(seq, lo - REPEAT_FLANK, hi + REPEAT_FLANK, k):
                    if k == 1 or len(set(seq[a - 1:a - 1 + k])) > 1:
                        out.update(_unit_changes(m.chrom, seq, a, b, k))
    return sorted(out)


def _unit_changes(contig: str, seq: str, a: int, b: int, k: int) -> list[Variant]:
    def bases(p: int, q: int) -> str:
        return seq[p - 1:q]

    return [
        (contig, a - 1, bases(a - 1, a + k - 1), bases(a - 1, a - 1)),  # deletion, left-aligned
        (contig, b - k, bases(b - k, b), bases(b - k, b - k)),  # deletion, right-aligned
        (contig, a - 1, bases(a - 1, a - 1), bases(a - 1, a + k - 1)),  # duplication, left-aligned
        (contig, b, bases(b, b), bases(b, b) + bases(b - k + 1, b)),  # duplication, right-aligned
    ]


# ---------------------------------------------------------------------------------------------------------------
# SnpEff
# ---------------------------------------------------------------------------------------------------------------


class AnnEntry(NamedTuple):
    """The fields of one SnpEff ANN entry that are kept."""

    effects: str
    feature: str
    hgvs_c: str
    hgvs_p: str
    messages: str
    """ERRORS / WARNINGS / INFO, e.g. INFO_REALIGN_3_PRIME."""


NO_ENTRY = AnnEntry("", "", "", "", "")


def snpeff_gff3(oracle: OracleSet, out: Path) -> None:
    """The oracle GFF3 for GENES only, with ``gene:``/``transcript:`` removed from ID= and Parent=."""
    with open(oracle.gff3) as src, open(out, "w") as dst:
        for line in src:
            if line.startswith("##sequence-region") and line.split()[1] not in GENES:
                continue
            if not line.startswith("#") and line.split("\t", 1)[0] not in GENES:
                continue
            dst.write(line.replace("=gene:", "=").replace("=transcript:", "="))


def _snpeff(args: list[str], cwd: Path, stdout) -> None:
    cmd = [JAVA or "java", "-Xmx1g", "-jar", str(SNPEFF_JAR), *args]
    proc = subprocess.run(cmd, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 0, f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}"


def build_snpeff_database(sequences: dict[str, str], oracle: OracleSet, work: Path) -> None:
    """``work/snpEff.config`` and ``work/data/oracle/{genes.gff,sequences.fa}``, then ``snpeff build -gff3``."""
    data = work / "data" / GENOME
    data.mkdir(parents=True, exist_ok=True)
    (work / "snpEff.config").write_text(f"data.dir = ./data/\n{GENOME}.genome : {GENOME}\n")
    snpeff_gff3(oracle, data / "genes.gff")
    (data / "sequences.fa").write_text("".join(f">{g}\n{sequences[g]}\n" for g in GENES))
    _snpeff(["build", "-gff3", "-noCheckCds", "-noCheckProtein", "-noLog", "-c", "snpEff.config", GENOME], work,
            subprocess.DEVNULL)


def run_snpeff(work: Path, vcf: Path) -> dict[Variant, list[AnnEntry]]:
    """``snpeff ann`` on ``vcf``; per input variant its ANN entries, in SnpEff's order."""
    out = work / "ann.vcf"
    with open(out, "w") as fh:
        _snpeff(["ann", "-noLog", "-noStats", "-c", "snpEff.config", GENOME, str(vcf)], work, fh)
    calls: dict[Variant, list[AnnEntry]] = {}
    with open(out) as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            ann = next((item[4:] for item in cols[7].split(";") if item.startswith("ANN=")), "")
            entries = []
            for raw in ann.split(",") if ann else []:
                f = raw.split("|") + [""] * 16
                entries.append(AnnEntry(f[1], f[6], f[9], f[10], f[15]))
            calls[(cols[0], int(cols[1]), cols[3], cols[4])] = entries
    return calls


def snpeff_entry(entries: list[AnnEntry], t: Transcript) -> AnnEntry:
    """The entry for ``t`` (Feature_ID is the GFF's unversioned ENST); the first with a c. if there are several
    (a deletion over the transcript start gets 5' UTR, upstream and non-coding entries with the same c.)."""
    mine = [e for e in entries if e.feature == t.id.split(".")[0]]
    return next((e for e in mine if e.hgvs_c), mine[0] if mine else NO_ENTRY)


# ---------------------------------------------------------------------------------------------------------------
# Direct translation (independent of the engine) and checking a p. description against it
# ---------------------------------------------------------------------------------------------------------------

ONE_LETTER = {"Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E", "Gly": "G",
              "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F", "Pro": "P", "Ser": "S",
              "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*"}


def _protein(mrna: str, start: int) -> str:
    """Translate from 0-based ``start`` through the first stop (kept); no stop: to the end of the mRNA."""
    protein = translate(mrna[start:])
    return protein[:protein.index("*") + 1] if "*" in protein else protein


def direct_protein(model: Model, genome: str, v: Variant, allele: Allele) -> tuple[str, str] | None:
    """(reference, altered) protein of the VCF change applied to the transcript; None unless the changed bases
    (both flanking bases of an insertion) lie in one exon and the start codon is kept. The altered protein is
    read through the edited 3' UTR; without a new stop it has no ``*``."""
    lo, hi = (allele.end, allele.start) if allele.is_insertion else (allele.start, allele.end)
    exon = next(((a, b) for a, b in model.exons if a <= lo and hi <= b), None)
    cds_lo, cds_hi = model.cds[0][0], model.cds[-1][1]
    ins = allele.is_insertion
    if exon is None or not (lo >= cds_lo + (not ins) if model.strand == "+" else hi <= cds_hi - (not ins)):
        return None
    _, pos, ref, alt = v
    end = pos + len(ref) - 1
    delta = len(alt) - len(ref)
    edited = genome[:pos - 1] + alt + genome[end:]
    moved = [(a, b) if b < pos else (a, b + delta) if (a, b) == exon else (a + delta, b + delta)
             for a, b in model.exons]
    start = _cdna_index(model, cds_lo if model.strand == "+" else cds_hi)
    mrna = spliced(edited, moved, model.strand)
    if mrna[start:start + 3] != "ATG":
        return None
    return _protein(spliced(genome, model.exons, model.strand), start), _protein(mrna, start)


def _cdna_index(model: Model, g: int) -> int:
    """0-based index of exonic genomic position ``g`` in the spliced transcript."""
    n = 0
    for a, b in model.exons if model.strand == "+" else reversed(model.exons):
        if a <= g <= b:
            return n + (g - a if model.strand == "+" else b - g)
        n += b - a + 1
    raise ValueError(g)


_AA3 = "[A-Z][a-z]{2}"
_EDIT = re.compile(rf"p\.\((?P<a>{_AA3})(?P<i>\d+)(?:_(?P<b>{_AA3})(?P<j>\d+))?"
                   rf"(?P<kind>delins|del|dup|ins|=|)(?P<seq>(?:{_AA3})*)\)")
_FS_FULL = re.compile(rf"p\.\((?P<a>{_AA3})(?P<i>\d+)(?P<new>{_AA3})fsTer(?P<n>\d+|\?)\)")
_FS_SHORT = re.compile(rf"p\.\((?P<a>{_AA3})(?P<i>\d+)fs\)")
_EXT = re.compile(rf"p\.\(Ter(?P<i>\d+)(?P<new>{_AA3})extTer(?P<n>\d+|\?)\)")


def _residues(text: str) -> str:
    return "".join(ONE_LETTER[text[k:k + 3]] for k in range(0, len(text), 3))


def describes(p: str, ref: str, alt: str) -> bool | None:
    """Whether HGVS ``p`` turns protein ``ref`` into ``alt`` (both end at their stop, ``*``); None when ``p`` is
    not a form checked here (``Met1?``, SnpEff's own forms)."""
    if m := _FS_FULL.fullmatch(p):
        i = int(m["i"])
        stop = len(alt) == i - 1 + int(m["n"]) and alt.endswith("*") if m["n"] != "?" else not alt.endswith("*")
        return alt[:i - 1] == ref[:i - 1] and ref[i - 1] == ONE_LETTER[m["a"]] and \
            alt[i - 1:i] == ONE_LETTER[m["new"]] != ref[i - 1] and stop
    if m := _FS_SHORT.fullmatch(p):
        i = int(m["i"])
        return alt[:i - 1] == ref[:i - 1] and ref[i - 1] == ONE_LETTER[m["a"]] and alt[i - 1:i] != ref[i - 1]
    if m := _EXT.fullmatch(p):
        i = int(m["i"])
        stop = len(alt) == i + int(m["n"]) and alt.endswith("*") if m["n"] != "?" else not alt.endswith("*")
        return ref[i - 1:] == "*" and alt[:i - 1] == ref[:i - 1] and alt[i - 1:i] == ONE_LETTER[m["new"]] and stop
    m = _EDIT.fullmatch(p)
    if m is None or m["a"] == "Met" and m["i"] == "1" and m["kind"] != "=":
        return None
    i, j = int(m["i"]), int(m["j"] or m["i"])
    if ref[i - 1:i] != ONE_LETTER[m["a"]] or (m["b"] and ref[j - 1:j] != ONE_LETTER[m["b"]]):
        return False
    seq = _residues(m["seq"])
    kind = m["kind"]
    if kind == "=":
        edited = ref
    elif kind == "del":
        edited = ref[:i - 1] + ref[j:]
    elif kind == "dup":
        edited = ref[:j] + ref[i - 1:j] + ref[j:]
    elif kind == "ins":
        edited = ref[:i] + seq + ref[i:] if j == i + 1 else ""
    else:  # delins, or a substitution (kind "")
        edited = ref[:i - 1] + seq + ref[j:]
    return (edited[:edited.index("*") + 1] if "*" in edited else edited) == alt


# ---------------------------------------------------------------------------------------------------------------
# Normalisation and classification
# ---------------------------------------------------------------------------------------------------------------


def after_colon(hgvs: str) -> str:
    return hgvs.split(":", 1)[1] if ":" in hgvs else hgvs


def snpeff_p(value: str) -> str:
    """SnpEff's p. in our notation: no accession, parentheses, ``Ter`` for ``*``."""
    p = after_colon(value).replace("*", "Ter")
    return f"p.({p[2:]})" if p.startswith("p.") and not p.startswith("p.(") else p


_SYNONYMOUS = re.compile(rf"p\.\(({_AA3})(\d+)\1\)")
_MNP = re.compile(rf"p\.\((?:{_AA3}){{2,}}\d+(?:{_AA3})+\)")
_LISTED_BASES = re.compile(r"(del|dup)[ACGT]+")


class Case(NamedTuple):
    """What the classifier may look at for one variant."""

    variant: Variant
    allele: Allele
    transcript: Transcript
    proteins: tuple[str, str] | None
    """(reference, altered) protein by direct translation (see :func:`direct_protein`), or None."""
    seq: FastaSource


def classify(field: str, mine: str, theirs: str, case: Case) -> str:
    """The category of one difference (``mine != theirs``, both normalised)."""
    return _classify_c(mine, theirs, case) if field == "c" else _classify_p(mine, theirs, case)


def _classify_c(mine: str, theirs: str, case: Case) -> str:
    t, allele = case.transcript, case.allele
    bare = _LISTED_BASES.sub(r"\1", theirs)
    if bare == mine:
        return "c_bases_listed"
    if min(allele.start, allele.end) < t.start or max(allele.start, allele.end) > t.end:
        return "c_outside_transcript"
    if allele.is_insertion and mine.endswith("dup") and "ins" in theirs:
        size = len(allele.alt)
        if min(allele.start - size, allele.end) < t.start or max(allele.start + size, allele.end) > t.end:
            return "c_dup_across_transcript_end"
    if t.strand == -1 and (allele.is_insertion or allele.is_deletion) and bare == _unshifted_c(t, allele) \
            and shift_3prime(allele, t.strand, case.seq, t.start, t.end) != allele:
        return "c_minus_strand_not_shifted"
    return "unclassified"


def _unshifted_c(t: Transcript, allele: Allele) -> str:
    """SnpEff's c. for an allele left where the VCF puts it: not shifted, an insertion always named ins."""
    if allele.is_insertion:
        five, three = (allele.end, allele.start) if t.strand == 1 else (allele.start, allele.end)
        alt = allele.alt if t.strand == 1 else reverse_complement(allele.alt)
        return f"c.{t.c_position(five)}_{t.c_position(three)}ins{alt}"
    five, three = (allele.start, allele.end) if t.strand == 1 else (allele.end, allele.start)
    where = t.c_position(five) if five == three else f"{t.c_position(five)}_{t.c_position(three)}"
    return f"c.{where}del"


def _crosses_exon_intron(t: Transcript, allele: Allele) -> bool:
    """Some touched bases (both flanks of an insertion) are exonic and some are intronic."""
    touched = (allele.end, allele.start) if allele.is_insertion else range(allele.start, allele.end + 1)
    return len({t.exon_index(g) is not None for g in touched if t.start <= g <= t.end}) == 2


_MET1 = re.compile(r"p\.\(Met1(?!\d)")


def _classify_p(mine: str, theirs: str, case: Case) -> str:
    t, allele = case.transcript, case.allele
    if (m := _SYNONYMOUS.fullmatch(theirs)) and mine == f"p.({m[1]}{m[2]}=)":
        return "p_synonymous"
    if not mine and _crosses_exon_intron(t, allele):
        return "p_no_protein_across_splice"
    if _MET1.match(mine) or _MET1.match(theirs):
        return "p_start_codon"
    if problem := our_protein_problem(mine, case.proteins):
        return problem
    if (not mine or not theirs) and _shift_crosses_junction(case):
        return "p_shift_across_junction"
    if "???" in theirs:
        return "p_snpeff_unknown_codons"
    if _MNP.fullmatch(theirs):
        return "p_snpeff_mnp_format"
    if case.proteins is None:
        return "unclassified"
    ref, alt = case.proteins
    if _EXT.fullmatch(mine) and _FS_SHORT.fullmatch(theirs):
        return "p_stop_loss"
    snpeff_right = describes(theirs, ref, alt)
    if snpeff_right is None:
        return "unclassified"
    if not snpeff_right:
        return "p_snpeff_wrong_protein"
    stop = theirs.find("Ter")
    if 0 <= stop < len(theirs) - 4:  # residues after the new stop
        cut = theirs[:stop + 3] + ")"
        return "p_residues_after_stop" if cut == mine else _naming(mine, cut)
    return _naming(mine, theirs)


def our_protein_problem(mine: str, proteins: tuple[str, str] | None) -> str:
    """``p_ours_wrong_protein``/``p_ours_missing_protein`` when direct translation contradicts our p., else ""."""
    if proteins is None or _MET1.match(mine):
        return ""
    if mine and describes(mine, *proteins) is False:
        return "p_ours_wrong_protein"
    if not mine and proteins[0] != proteins[1]:
        return "p_ours_missing_protein"
    return ""


def _exonic(t: Transcript, allele: Allele) -> tuple[bool, ...]:
    touched = (allele.end, allele.start) if allele.is_insertion else range(allele.start, allele.end + 1)
    return tuple(sorted({t.exon_index(g) is not None for g in touched}))


def _shift_crosses_junction(case: Case) -> bool:
    """A pure indel whose HGVS 3' shift moves it between exon and intron (or onto a junction)."""
    t, allele = case.transcript, case.allele
    if not (allele.is_insertion or allele.is_deletion):
        return False
    shifted = shift_3prime(allele, t.strand, case.seq, t.start, t.end)
    return _exonic(t, shifted) != _exonic(t, allele)


def _naming(mine: str, theirs: str) -> str:
    """Both describe the same protein: which naming rule differs."""
    if _FS_SHORT.fullmatch(theirs):
        if _FS_FULL.fullmatch(mine) and mine.startswith(theirs[:-3]):
            return "p_frameshift_short"
        if mine == theirs[:-3] + "Ter)":
            return "p_frameshift_to_stop"
    m, s = _EDIT.fullmatch(mine), _EDIT.fullmatch(theirs)
    if m is None or s is None:
        return "unclassified"
    if m["kind"] == "" and m["seq"] == "Ter":
        return "p_stop_as_nonsense"
    if m["kind"] == "dup" and s["kind"] == "ins":
        return "p_dup_named_ins"
    if m["kind"] == s["kind"] and m["a"] == s["a"] and int(s["i"]) < int(m["i"]):
        return "p_not_3prime"
    if m["kind"] == "delins" and s["kind"] == "ins" and m["seq"] == s["seq"] and s["seq"].endswith("Ter"):
        return "p_ins_with_stop_as_delins"
    return "unclassified"


# ---------------------------------------------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------------------------------------------


class Difference(NamedTuple):
    category: str
    field: str
    """``c`` or ``p``."""
    variant: Variant
    ours: str
    snpeff: str


@dataclass
class Comparison:
    variants: list[Variant]
    differences: list[Difference]
    ours_problems: list[Difference]
    """Every variant (equal to SnpEff or not) whose p. from us contradicts direct translation."""
    agree: Counter
    """(snv|indel, c|p, both|neither) -> variants where the two strings are equal (both empty: neither)."""
    seconds_snpeff: float
    seconds_total: float

    def by_category(self, category: str) -> list[Difference]:
        return [d for d in self.differences if d.category == category]


def is_snv(v: Variant) -> bool:
    return len(v[2]) == len(v[3]) == 1


def compare(work: Path) -> Comparison:
    started = time.perf_counter()
    oracle = build_oracle_reference(read_models(SHIPPED_GFF3), work / "ref", seed=SEED)
    sequences = read_fasta(oracle.fasta)
    saturation = select_variants(oracle, saturation_variants(oracle, seed=SEED, n_indels=N_INDELS))
    order = {g: i for i, g in enumerate(GENES)}
    variants = sorted(set(saturation) | set(repeat_indels(oracle, sequences)),
                      key=lambda v: (order[v[0]], v[1], v[2], v[3]))
    assert len(variants) <= MAX_VARIANTS
    write_vcf(variants, work / "in.vcf", {g: len(sequences[g]) for g in GENES})
    build_snpeff_database(sequences, oracle, work / "snpeff")
    snpeff_started = time.perf_counter()
    calls = run_snpeff(work / "snpeff", work / "in.vcf")
    seconds_snpeff = time.perf_counter() - snpeff_started

    models = {m.chrom: m for m in oracle.models}
    transcripts = {t.chrom: t for t in read_transcripts(oracle.gff3) if t.chrom in GENES}
    seq = FastaSource(str(oracle.fasta))
    coding = {c: CodingSequence(t, seq) for c, t in transcripts.items()}
    differences: list[Difference] = []
    ours_problems: list[Difference] = []
    agree: Counter = Counter()
    for v in variants:
        t = transcripts[v[0]]
        allele = minimal(*v)
        try:
            ours = predict(t, allele, seq, coding[v[0]])
        except ValueError as exc:
            differences.append(Difference("ours_raises", "c", v, f"ValueError: {exc}", ""))
            ours_problems.append(differences[-1])
            continue
        entry = snpeff_entry(calls[v], t)
        mine_p = after_colon(ours.hgvs_p) if ours else ""
        proteins = direct_protein(models[v[0]], sequences[v[0]], v, allele)
        if problem := our_protein_problem(mine_p, proteins):
            ours_problems.append(Difference(problem, "p", v, mine_p, ""))
        case = Case(v, allele, t, proteins, seq)
        pairs = (("c", after_colon(ours.hgvs_c) if ours else "", after_colon(entry.hgvs_c)),
                 ("p", mine_p, snpeff_p(entry.hgvs_p)))
        for field, mine, theirs in pairs:
            if mine == theirs:
                agree[("snv" if is_snv(v) else "indel", field, "both" if mine else "neither")] += 1
            else:
                differences.append(Difference(classify(field, mine, theirs, case), field, v, mine, theirs))
    return Comparison(variants, differences, ours_problems, agree, seconds_snpeff,
                      time.perf_counter() - started)


def divergence_table(result: Comparison) -> str:
    counts = Counter(d.category for d in result.differences)
    first: dict[str, Difference] = {}
    for d in result.differences:
        first.setdefault(d.category, d)
    snvs = sum(map(is_snv, result.variants))
    lines = [
        "# HGVS differences between hftc-annot and SnpEff 5.1d on the oracle reference (tests/test_snpeff.py).",
        f"# {len(result.variants)} variants on {', '.join(GENES)}: {snvs} SNVs, {len(result.variants) - snvs} "
        "indels/delins.",
        "# equal: " + ", ".join(f"{kind} {field}. {how} {n}" for (kind, field, how), n in sorted(result.agree.items())),
        "category\tcount\texample variant\tours\tsnpeff\treason",
    ]
    for category in sorted(counts, key=lambda c: list(CATEGORIES).index(c) if c in CATEGORIES else len(CATEGORIES)):
        d = first[category]
        example = "{}:{}:{}:{}".format(*d.variant)
        lines.append("\t".join([category, str(counts[category]), example, d.ours or "-", d.snpeff or "-",
                                CATEGORIES.get(category, "?")]))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory) -> Comparison:
    return compare(tmp_path_factory.mktemp("snpeff"))


def test_snv_c_strings_agree(comparison: Comparison) -> None:
    assert [d for d in comparison.differences if d.field == "c" and is_snv(d.variant)] == []
    assert comparison.agree[("snv", "c", "both")] == sum(map(is_snv, comparison.variants))


def test_every_difference_is_classified(comparison: Comparison) -> None:
    assert [d for d in comparison.differences if d.category not in CATEGORIES or d.category == "unclassified"] == []


def test_divergence_table_is_current(comparison: Comparison) -> None:
    table = divergence_table(comparison)
    if os.environ.get("SNPEFF_DIVERGENCES_WRITE"):
        DIVERGENCES.write_text(table)
    assert table == (DIVERGENCES.read_text() if DIVERGENCES.exists() else ""), (
        "the SnpEff divergences changed: review them, then rerun with SNPEFF_DIVERGENCES_WRITE=1")


def test_engine_handles_dups_at_the_transcript_start(comparison: Comparison) -> None:
    assert comparison.by_category("ours_raises") == []


def test_our_protein_descriptions_are_right(comparison: Comparison) -> None:
    """Every p. of ours (equal to SnpEff's or not) that can be checked against direct translation is right."""
    assert [d for d in comparison.ours_problems if d.category != "ours_raises"] == []


def test_snpeff_run_is_quick(comparison: Comparison) -> None:
    assert comparison.seconds_snpeff < 60
