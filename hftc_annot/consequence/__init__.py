"""Consequence stage: each panel allele's effect on its gene's chosen transcript (MANE Select first)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from hftc_annot.alleles import Allele, Spelling, StructuralAllele
from hftc_annot.assembly import canonical_contig
from hftc_annot.consequence.alleles import across_repeat
from hftc_annot.consequence.haplotype import cds_span, combined, member_changes
from hftc_annot.consequence.predict import CodingSequence, Consequence, predict
from hftc_annot.consequence.sequence import SequenceSource
from hftc_annot.consequence.structural import structural
from hftc_annot.consequence.transcripts import Transcript
from hftc_annot.errors import InputError
from hftc_annot.model import AlleleFinding, PanelRecord

__all__ = ["NO_SEQUENCE", "NO_SEQUENCE_FIX", "Consequence", "ConsequenceSource", "ConsequenceStage", "Effect",
           "TRANSCRIPT_RULES"]

TRANSCRIPT_RULES: tuple[tuple[str, Callable[[Transcript], bool]], ...] = (
    ("MANE Select", lambda t: "MANE_Select" in t.tags),
    ("Ensembl canonical", lambda t: "Ensembl_canonical" in t.tags),
    ("longest CDS", lambda t: t.coding),
    ("longest transcript (non-coding gene)", lambda t: True),
)
"""How a gene's transcript is chosen: the first rule with a candidate wins (longest CDS among ties, longest transcript
for a gene without a coding one). A coding transcript is always preferred to a non-coding one."""

_PREFERRED_CONTIGS = (frozenset([*map(str, range(1, 23)), "X", "MT"]), frozenset({"Y"}))
"""Where a gene's copy is taken from first (canonical names): the chromosomes, then chrY (GENCODE repeats the
pseudo-autosomal genes there, ENST…_PAR_Y, while callers put those variants on chrX), then alt, patch or unplaced
contigs."""

NO_SEQUENCE = "no reference sequence"
NO_SEQUENCE_FIX = "give --fasta REF.fa or run 'hftc-annot reference install REF.fa'"
"""Why a consequence computed without sequence lacks fields, and how to add the sequence."""


class ConsequenceSource(Protocol):
    """What a run needs of a consequence stage: computed (ConsequenceStage) or read from the input's own
    CSQ/ANN/BCSQ annotation (FromInputStage)."""

    info_keys: tuple[str, ...]
    """The INFO keys the reader must copy for it."""
    protein_effects: str
    """Why protein effects are not computed for some or all genes, and how to add them ('' when they are)."""

    def describe(self, models: str) -> str:
        """How consequences are obtained, for the report's preamble ('computed; transcripts: ...')."""
        ...

    def transcript(self, gene: str) -> tuple[Transcript, str] | None: ...

    def annotate(self, item: PanelRecord) -> None: ...


@dataclass(frozen=True)
class Effect:
    """The consequence of one ALT allele on one gene and the transcript rule that fired; `note` says why the
    consequence is missing (None) or partial, in words for the report."""

    consequence: Consequence | None
    rule: str = ""
    note: str = ""


def choose_transcripts(transcripts: list[Transcript]) -> dict[str, tuple[Transcript, str]]:
    """Per gene, the transcript picked by the first rule of TRANSCRIPT_RULES that any candidate meets, and
    that rule's name; ties go to the longest CDS (transcript, when non-coding), then the transcript id. The
    candidates are the gene's coding transcripts, or all of them when it has none; and of those, the ones on the
    first of _PREFERRED_CONTIGS that has any: a copy of the gene on chrY (pseudo-autosomal) is chosen only when it
    has none on another chromosome, one on an alt, patch or unplaced contig only when it has none on a chromosome."""
    chosen: dict[str, tuple[Transcript, str]] = {}
    for gene in sorted({t.gene for t in transcripts}):
        candidates = [t for t in transcripts if t.gene == gene]
        candidates = [t for t in candidates if t.coding] or candidates
        for contigs in _PREFERRED_CONTIGS:
            if on := [t for t in candidates if canonical_contig(t.chrom) in contigs]:
                candidates = on
                break
        for rule, applies in TRANSCRIPT_RULES:
            matching = [t for t in candidates if applies(t)]
            if matching:
                chosen[gene] = (max(matching, key=lambda t: (t.cds_length, t.cdna_length, t.id)), rule)
                break
    return chosen


class ConsequenceStage:
    """Chooses transcripts, checks the reference once, and gives each finding of a panel record its Effect."""

    def __init__(self, transcripts: list[Transcript], seq: SequenceSource | None, warn: Callable[[str], None],
                 note_problem: Callable[[str, str], None] = lambda kind, where: None, strict: bool = True) -> None:
        """`strict`: a CDS that does not translate on `seq` stops the run (the shipped models on a reference of their
        build); otherwise that gene's protein effects are left out with a warning (models and assembly of one's
        own, where a transcript may disagree with the genome)."""
        self._seq = seq
        self._note_problem = note_problem
        self._chosen = choose_transcripts(transcripts)
        self._coding: dict[str, CodingSequence | None] = {}
        self._noncoding_read: set[str] = set()  # non-coding genes whose sequence the reference has
        self._why: dict[str, str] = {}  # why a gene's protein effects are not computed, when not for want of sequence
        self.protein_effects = f"not computed: {NO_SEQUENCE}; coding substitutions have impact UNKNOWN; " \
            f"{NO_SEQUENCE_FIX}" if seq is None else ""
        if seq is not None:
            self._check_reference(seq, warn, strict)

    info_keys: tuple[str, ...] = ()

    def describe(self, models: str) -> str:
        return f"computed; transcripts: {models}; reference: {self._seq.name if self._seq is not None else 'none'}"

    def transcript(self, gene: str) -> tuple[Transcript, str] | None:
        return self._chosen.get(gene)

    def _check_reference(self, seq: SequenceSource, warn: Callable[[str], None], strict: bool) -> None:
        """Every chosen CDS must translate ATG ... stop with no internal stop; all-N genes have no sequence."""
        lacking, untranslated = [], []
        for gene, (t, _) in sorted(self._chosen.items()):
            if seq.length(t.chrom) is None:
                lacking.append(gene)
                self._coding[gene] = None
                continue
            if not t.coding:
                self._noncoding_read.add(gene)
                continue
            coding = CodingSequence(t, seq)
            if set(coding.cds) <= {"N"}:
                lacking.append(gene)
                self._coding[gene] = None
                continue
            protein = coding.protein
            if not (protein.startswith("M") and protein.endswith("*") and "*" not in protein[:-1]):
                if strict:
                    raise InputError(seq.name, f"the {gene} CDS ({t.id}) does not translate from ATG to one final "
                                     "stop on this FASTA: it is not the reference of this build (or the models do not "
                                     "match)")
                untranslated.append((gene, f"{gene} ({t.id})"))
                self._coding[gene] = None
                continue
            self._coding[gene] = coding
        notes = []
        if lacking:
            warn(f"{seq.name} has no sequence (missing or all N) for {len(lacking)} panel gene(s): "
                 f"{', '.join(lacking)}; their protein-level consequences and HGVS p. are not given")
            notes.append(f"{', '.join(lacking)}: {seq.name} has no sequence for them")
        if untranslated:
            named = ", ".join(name for _, name in untranslated)
            warn(f"the CDS of {named} does not translate from ATG to one final stop on {seq.name}; "
                 "their protein-level consequences and HGVS p. are not given")
            notes.append(f"{named}: the CDS does not translate on {seq.name}")
            self._why |= {gene: f"the {name} CDS does not translate on {seq.name}" for gene, name in untranslated}
        if notes:
            self.protein_effects = f"not computed for {'; '.join(notes)}; their coding substitutions have impact " \
                "UNKNOWN"

    def annotate(self, item: PanelRecord) -> None:
        record = item.record
        failure = self._ref_mismatch(record) if item.findings else ""  # no allele to annotate: nothing to say
        if failure:
            self._note_problem("REF differs from the reference FASTA; consequence from the position only",
                               record.site)
        for finding in item.findings:
            if finding.gene is not None:
                finding.effect = self._effect(finding, finding.gene.symbol, failure)
        if self._seq is not None and not failure:
            self._place_in_repeats(item)

    def _place_in_repeats(self, item: PanelRecord) -> None:
        """Each finding's indel written over its whole repeat (AlleleFinding.repeat), once per ALT."""
        record = item.record
        length = self._seq.length(record.chrom)
        if not length:
            return
        repeats: dict[int, Spelling | None] = {}
        for finding in item.findings:
            if isinstance(finding.change, Allele):
                if finding.allele not in repeats:
                    repeats[finding.allele] = across_repeat(finding.change, record.chrom, self._seq, length)
                finding.repeat = repeats[finding.allele]

    def _effect(self, finding: AlleleFinding, symbol: str, failure: str) -> Effect:
        chosen = self._chosen.get(symbol)
        if chosen is None:
            return Effect(None, note=f"no transcript model for {symbol}")
        t, rule = chosen
        change = finding.change  # the VCF may say 2 where the models say chr2
        if change.chrom != t.chrom:
            change = change.on(t.chrom)
        if isinstance(change, StructuralAllele):
            consequence, words = structural(t, change)
            return Effect(consequence, rule, words)
        if failure:
            return _from_position(t, change, rule, failure)
        coding = self._coding.get(symbol)
        seq = self._seq if coding is not None or symbol in self._noncoding_read else None
        consequence = predict(t, change, seq, coding)
        if seq is not None or consequence is None:
            return Effect(consequence, rule)
        why = f"{NO_SEQUENCE} ({NO_SEQUENCE_FIX})" if self._seq is None else \
            self._why.get(symbol, f"{self._seq.name} has no sequence for {symbol}")
        return Effect(consequence, rule, _without_sequence(consequence, why))

    def cds_span(self, gene: str, change) -> tuple[int, int, int] | None:
        """(first CDS index, last CDS index, length change) of a sequence change inside the CDS of the gene's
        transcript (0-based; an insertion's last is its first - 1), when its protein can be computed (None
        otherwise): what haplotype combination needs to know."""
        t, coding = self._translatable(gene)
        if t is None or not isinstance(change, Allele) or change.end < t.cds[0] - 1 or change.start > t.cds[1] + 1:
            return None
        span = cds_span(t, change)
        if span is None:
            return None
        return span[0], span[1], len(change.alt) - len(change.ref)

    def combine(self, gene: str, changes: list[Allele]) -> Consequence | None:
        """The consequence of sequence changes of one haplotype applied together (consequence/haplotype.py); its
        HGVS c. names each change as it lies beside the others (`member_changes`), not as the changes' own rows do."""
        t, coding = self._translatable(gene)
        if t is None:
            return None
        changes = [c.on(t.chrom) for c in changes]
        return combined(t, coding, changes, member_changes(t, self._seq, changes))

    def _translatable(self, gene: str) -> tuple[Transcript | None, CodingSequence | None]:
        chosen, coding = self._chosen.get(gene), self._coding.get(gene)
        return (chosen[0], coding) if chosen is not None and coding is not None else (None, None)

    def _ref_mismatch(self, record) -> str:
        if self._seq is None or self._seq.length(record.chrom) is None:
            return ""
        if record.span is not None and record.ref.upper() == "N":
            return ""  # a structural record's REF may be N (the VCF spec allows it)
        reference = self._seq.fetch(record.chrom, record.pos, record.pos + len(record.ref) - 1)
        if set(reference) <= {"N"} or reference == record.ref.upper():
            return ""
        return f"REF does not match the reference (REF {record.ref}, reference {reference})"


def _from_position(t: Transcript, change, rule: str, failure: str) -> Effect:
    """The effect of an allele whose REF disagrees with the reference: location terms from its position only (no
    HGVS c., which would name the wrong base); a CDS change has an unknown protein effect."""
    consequence = predict(t, change, None, None)
    if consequence is None:
        return Effect(None, rule, failure)
    note = f"{failure}: consequence from the position only" + \
        ("; protein effect unknown" if consequence.protein_unknown else "")
    return Effect(dataclasses.replace(consequence, hgvs_c=""), rule, note)


def _without_sequence(consequence: Consequence, why: str) -> str:
    """The note of a consequence computed without sequence: the protein effect is unknown, or fields that sequence
    would give (HGVS p., codons, indel HGVS c.) are missing; '' when nothing is."""
    if consequence.protein_unknown:
        return f"protein effect unknown: {why}"
    if not consequence.hgvs_c or (consequence.cds_position and not consequence.hgvs_p):
        return f"HGVS p., codons and indel HGVS c. not given: {why}"
    return ""
