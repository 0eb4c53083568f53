"""Consequences already in the input: VEP CSQ, SnpEff ANN or bcftools BCSQ, read by the header's field order.

The entry for the gene's chosen transcript (by Ensembl id, with or without version, or by the MANE RefSeq
id) is turned into a Consequence; the rest of the report is unchanged. Structural variants (<DEL>, ...) are
computed from their coordinates instead: VEP's SV entries name no HGVS and other tools' vary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from hftc_annot.alleles import Allele, StructuralAllele, minimal
from hftc_annot.consequence import Effect
from hftc_annot.consequence.predict import Consequence
from hftc_annot.consequence.structural import structural
from hftc_annot.consequence.terms import impact, ordered, terms
from hftc_annot.consequence.transcripts import Transcript
from hftc_annot.errors import InputError, UsageError
from hftc_annot.model import PanelRecord
from hftc_annot.reader.header import info_declaration

if TYPE_CHECKING:
    from hftc_annot.reader.records import Record

_FORMAT = re.compile(r"Format: ?'?([^'\"]+)'?", re.IGNORECASE)
_ANN_FORMAT = re.compile(r"Functional annotations: ?'([^']+)'")
_DNA_CHANGE = re.compile(r"(\d+)([ACGTN]+)>([ACGTN]+)", re.IGNORECASE)  # bcftools: POS REF > ALT
# Other tools' names for terms of our table (SnpEff refinements, bcftools short names).
STRUCTURAL_RULE = "{} (computed: the input's annotation of structural variants is not read)"
"""The transcript rule of a structural variant, given the rule that chose the transcript."""

ALIASES = {
    "conservative_inframe_insertion": "inframe_insertion", "disruptive_inframe_insertion": "inframe_insertion",
    "conservative_inframe_deletion": "inframe_deletion", "disruptive_inframe_deletion": "inframe_deletion",
    "5_prime_UTR_premature_start_codon_gain_variant": "5_prime_UTR_variant",
    "intragenic_variant": "sequence_variant", "intergenic_region": "intergenic_variant",
    "missense": "missense_variant", "synonymous": "synonymous_variant", "stop_retained": "stop_retained_variant",
    "start_retained": "start_retained_variant", "frameshift": "frameshift_variant",
    "splice_acceptor": "splice_acceptor_variant", "splice_donor": "splice_donor_variant",
    "splice_region": "splice_region_variant", "5_prime_utr": "5_prime_UTR_variant",
    "3_prime_utr": "3_prime_UTR_variant", "intron": "intron_variant", "coding_sequence": "coding_sequence_variant",
    "non_coding": "non_coding_transcript_variant", "intergenic": "intergenic_variant",
    "inframe_altering": "protein_altering_variant",
}
INTRONIC = frozenset({"intron_variant", "splice_donor_variant", "splice_acceptor_variant",
                      "splice_donor_5th_base_variant", "splice_donor_region_variant",
                      "splice_polypyrimidine_tract_variant"})
"""Terms of a variant in an intron: SnpEff's Rank then numbers the intron, not an exon."""
SHORT_ENTRIES = ("BCSQ",)
"""Tags whose entries may stop after their leading fields (bcftools csq writes 4 of 7 for splice, intron, UTR)."""
# Field names in VEP CSQ, SnpEff ANN and bcftools BCSQ for what we report.
_NAMES = {
    "allele": ("Allele",), "terms": ("Consequence", "Annotation"), "feature": ("Feature", "Feature_ID", "transcript"),
    "exon": ("EXON", "Rank"), "intron": ("INTRON",), "hgvs_c": ("HGVSc", "HGVS.c"), "hgvs_p": ("HGVSp", "HGVS.p"),
    "protein_position": ("Protein_position",), "codons": ("Codons",), "amino_acids": ("Amino_acids",),
    "allele_num": ("ALLELE_NUM",), "mane": ("MANE_SELECT", "MANE"), "dna_change": ("dna_change",),
    "symbol": ("SYMBOL", "Gene_Name", "gene"), "feature_type": ("Feature_type", "Feature_Type"),
}


@dataclass(frozen=True)
class InputAnnotation:
    """An INFO field of per-transcript annotations and its declared sub-field order."""

    tag: str
    fields: tuple[str, ...]

    def index(self, what: str) -> int | None:
        for name in _NAMES[what]:
            if name in self.fields:
                return self.fields.index(name)
        return None


def declared_annotation(header_lines: tuple[str, ...], source: str) -> InputAnnotation:
    """The first of CSQ, ANN, BCSQ declared in the header of `source`, with its fields; a UsageError when none is,
    or when its header line does not say how to read its entries."""
    for tag in ("CSQ", "ANN", "BCSQ"):
        lines = [x for x in header_lines if x.startswith(f"##INFO=<ID={tag},")]
        if lines:
            where = f"--consequences from-input: the {tag} header line of {source}"
            kind = info_declaration(lines[:1], tag).get("Type", "(none)")
            annotation = _declared(tag, lines[0], kind, where)
            # annotated twice (VEP --keep_csq adds its line after the old one; htslib reads the first): records
            # annotated only the second time hold entries of the second line's fields
            if any(_format_fields(x) != annotation.fields for x in lines[1:]):
                raise UsageError(f"{where.replace(' header line', '')} is declared {len(lines)} times with different "
                                 "fields (annotated twice, e.g. VEP --keep_csq): which fields a record's entries "
                                 f"have cannot be told; annotate the file once (bcftools annotate -x INFO/{tag}, "
                                 "then annotate again)")
            return annotation
    raise UsageError("--consequences from-input: the input has no CSQ (VEP), ANN (SnpEff) or BCSQ (bcftools) field")


def _declared(tag: str, line: str, kind: str, where: str) -> InputAnnotation:
    if kind != "String":
        raise UsageError(f"{where} declares Type={kind}, but its entries are text: declare Type=String (bcftools "
                         "reheader -h)")
    fields = _format_fields(line)
    if fields is None:
        raise UsageError(f"{where} does not declare its fields ('Format: ...'): give the header line the annotator "
                         "wrote")
    if not all(fields):
        raise UsageError(f"{where} declares {'an empty field name' if any(fields) else 'no fields'} in its Format: "
                         "list the '|'-separated field names of its entries")
    annotation = InputAnnotation(tag, fields)
    for what, words in (("feature", "transcript field (Feature, Feature_ID or transcript)"),
                        ("terms", "consequence field (Consequence or Annotation)")):
        if annotation.index(what) is None:
            raise UsageError(f"{where} declares no {words}: annotate again with that field")
    return annotation


def _format_fields(line: str) -> tuple[str, ...] | None:
    """The field names a header line declares in its Description ('Format: A|B', SnpEff's 'A | B'); None if none."""
    found = _ANN_FORMAT.search(line) or _FORMAT.search(line)
    return tuple(f.strip() for f in found.group(1).rstrip('">').split("|")) if found else None


def _dna_changes(text: str, chrom: str) -> list[Allele]:
    """The changes a bcftools dna_change names, in minimal form: it writes the record's own POS, REF and ALT
    ('1160CCG>CAG', untrimmed), joined by '+' with the other records of a compound consequence."""
    found = (_DNA_CHANGE.fullmatch(part) for part in text.split("+"))
    return [minimal(chrom, int(m[1]), m[2], m[3]) for m in found if m]


def _so(name: str) -> str | None:
    name = ALIASES.get(name, name)
    return name if name in terms() else None


def _vep_allele(ref: str, alt: str, alts: tuple[str, ...]) -> str:
    """VEP's allele string: the shared first base dropped when every allele has it; '-' when empty."""
    if all(a[:1] == ref[:1] for a in alts) and (len(ref) > 1 or any(len(a) > 1 for a in alts)):
        alt = alt[1:]
    return alt or "-"


def _trimmed(ref: str, alt: str, ends: tuple[int, int]) -> str:
    """ALT without the bases it shares with REF, trimmed at ends[0] (0: start, -1: end) first; '-' when empty."""
    for end in ends:
        while ref and alt and ref[end] == alt[end]:
            ref, alt = (ref[1:], alt[1:]) if end == 0 else (ref[:-1], alt[:-1])
    return alt or "-"


def _spellings(ref: str, alt: str, alts: tuple[str, ...]) -> set[str]:
    """How annotators write an ALT: as given, VEP's (the shared first base dropped), and trimmed of what it shares
    with REF (VEP --minimal; either end first, or our minimal form)."""
    ref, alt, alts = ref.upper(), alt.upper(), tuple(a.upper() for a in alts)
    return {alt, _vep_allele(ref, alt, alts), _trimmed(ref, alt, (0, -1)), _trimmed(ref, alt, (-1, 0)),
            minimal("", 0, ref, alt).alt or "-"}


class FromInputStage:
    """Reads the input's annotations instead of computing them (a ConsequenceSource)."""

    def __init__(self, annotation: InputAnnotation, chosen: dict[str, tuple[Transcript, str]],
                 note_problem: Callable[[str, str], None], source: str) -> None:
        """`chosen`: each gene's transcript and the rule that chose it (consequence.choose_transcripts); `source`:
        the input's name, for errors."""
        self._source = source
        self._annotation = annotation
        self._note_problem = note_problem
        self.tag = annotation.tag
        self.info_keys = (annotation.tag,)
        self.protein_effects = ""
        self._transcripts = {gene: t for gene, (t, _) in chosen.items()}
        self._rules = {gene: f"{rule} (from input {annotation.tag})" for gene, (_, rule) in chosen.items()}
        self._structural_rules = {gene: STRUCTURAL_RULE.format(rule) for gene, (_, rule) in chosen.items()}
        self._columns = {what: annotation.index(what) for what in _NAMES}
        self._ids = {gene: {t.id, t.id.split(".")[0], t.refseq, t.refseq.split(".")[0]} - {""}
                     for gene, t in self._transcripts.items()}
        self._short = annotation.tag in SHORT_ENTRIES
        self._rank = self._columns["exon"] is not None and annotation.fields[self._columns["exon"]] == "Rank"

    def describe(self, models: str) -> str:
        return f"read from the input ({self.tag}); transcripts: {models}"

    def transcript(self, gene: str) -> tuple[Transcript, str] | None:
        t = self._transcripts.get(gene)
        return (t, self._rules[gene]) if t else None

    def annotate(self, item: PanelRecord) -> None:
        record = item.record
        entries = self._entries(record.info.get(self._annotation.tag), record.where)
        for finding in item.findings:
            if finding.gene is None:
                continue
            symbol = finding.gene.symbol
            t = self._transcripts.get(symbol)
            if t is None:
                finding.effect = Effect(None, note=f"no transcript model for {symbol}")  # as when computed
                continue
            if isinstance(finding.change, StructuralAllele):
                consequence, words = structural(t, finding.change)  # from coordinates alone, as when computed
                finding.effect = Effect(consequence, self._structural_rules[symbol], words)
                continue
            entry, why = self._entry(entries, finding.allele, record, self._ids[symbol], symbol)
            if entry is None:
                tag = self._annotation.tag
                self._note_problem(f"no {tag} entry for the chosen transcript", record.site)
                finding.effect = Effect(None, self._rules[symbol], f"no {'usable ' if why else ''}{tag} entry for "
                                        f"the chosen transcript {t.id}{': ' if why else ''}{why}")
            else:
                finding.effect = Effect(self._consequence(entry, t, record.site), self._rules[symbol])

    def _entries(self, value: object, where: str) -> list[list[str]]:
        """The record's entries split into fields, percent-escapes decoded (VEP writes '=' as %3D). bcftools
        writes only the leading fields of some consequences (splice, intron, UTR: the rest are empty) and '@POS' for
        a consequence written at the record at POS: not an entry of this record. An entry with another number of
        fields than the header declares is an InputError: its fields cannot be told apart. '.' is VCF's
        missing value (CSQ=.): no entries."""
        if not isinstance(value, str) or value in ("", "."):
            return []
        declared = len(self._annotation.fields)
        entries = [e.split("|") for e in value.split(",") if not (self._short and e.startswith("@"))]
        for e in entries:
            if len(e) > declared or len(e) < declared and not self._short:
                raise InputError(self._source, f"{where}: a {self._annotation.tag} entry has {len(e)} fields where "
                                 f"the header declares {declared} ({'|'.join(e)[:60]}): annotate the file again, or "
                                 "give it the header its annotator wrote")
        return [[_decoded(f) for f in e] + [""] * (declared - len(e)) for e in entries]

    def _entry(self, entries: list[list[str]], allele: int, record: Record, ids: set[str],
               symbol: str) -> tuple[list[str] | None, str]:
        """The transcript's entry for ALT `allele`; else None and why its entries for that ALT were not used ('' when
        it has none). Each entry not used is noted as a problem."""
        ours = [e for e in entries if self._on(e, ids, symbol)]
        why = ""
        for entry in self._for_alt(ours, allele, record):
            problem = self._unusable(entry, allele, record, ours)
            if problem is None:
                return entry, ""
            self._note_problem(f"{self._annotation.tag} {problem[0]} (entry not used)", record.site)
            why = why or problem[1]
        return None, why

    def _for_alt(self, ours: list[list[str]], allele: int, record: Record) -> list[list[str]]:
        """The entries for one ALT: by ALLELE_NUM where given, else by Allele (as given or VEP's; VEP --minimal's
        trimmed form when no other ALT could be spelled so), else (BCSQ) by dna_change. On a record
        with one ALT, an entry whose Allele is this ALT's but whose ALLELE_NUM is another (a record split after VEP
        ran: bcftools norm -m- keeps every entry) comes before one numbered 1 whose Allele is another ALT's."""
        c = self._columns
        num, name = c["allele_num"], c["allele"]
        if name is None and c["dna_change"] is not None:
            return self._by_dna_change(ours, allele, record)
        alt = record.alts[allele - 1]
        spellings = (alt, _vep_allele(record.ref, alt, record.alts))
        unnumbered = [e for e in ours if (num is None or not e[num]) and (name is None or e[name] in spellings)]
        own = _spellings(record.ref, alt, record.alts)
        if name is not None:  # VEP --minimal's trimmed Allele, when it spells no other ALT of the record
            others = {s for i, a in enumerate(record.alts) if i != allele - 1
                      for s in _spellings(record.ref, a, record.alts)}
            unnumbered += [e for e in ours if (num is None or not e[num]) and e not in unnumbered
                           and e[name].upper() in own - others]
        if num is None:
            return unnumbered
        numbered = [e for e in ours if e[num] == str(allele)]
        if name is None:
            return numbered + unnumbered
        agreeing = [e for e in numbered if not e[name] or e[name].upper() in own]
        split = [e for e in ours if e[num] and e[num] != str(allele) and e[name].upper() in own] \
            if len(record.alts) == 1 else []
        return agreeing + unnumbered + split + [e for e in numbered if e not in agreeing]

    def _unusable(self, entry: list[str], allele: int, record: Record,
                  ours: list[list[str]]) -> tuple[str, str] | None:
        """Why an entry for the ALT cannot be used, as (kind of problem, words for the report); None when it can.
        `ours`: the record's entries on the transcript."""
        num, name, change = self._columns["allele_num"], self._columns["allele"], self._columns["dna_change"]
        if name is None and change is not None and len(record.alts) > 1 and not entry[change]:
            kinds = {tuple(e) for e in ours if not e[change]}
            if len(kinds) > 1:  # bcftools writes one per ALT (TATG>T,CATG: start_lost, 5_prime_utr), ALT unnamed
                tag = self._annotation.tag
                return ("entry without dna_change on a multiallelic record with several different ones",
                        f"its record has {len(kinds)} different {tag} entries without dna_change for its ALTs: "
                        "which is this ALT's cannot be told")
        if num is not None and name is not None and entry[num] and entry[name] and \
                entry[name].upper() not in _spellings(record.ref, record.alts[allele - 1], record.alts):
            return ("entry whose Allele contradicts its ALLELE_NUM",
                    f"its entry for ALLELE_NUM {allele} has Allele {entry[name]}, not ALT {record.alts[allele - 1]}")
        terms = self._columns["terms"]
        if not entry[terms].strip("&*@- "):
            name = self._annotation.fields[terms]
            return f"entry with an empty {name}", f"its entry for ALT {record.alts[allele - 1]} has an empty {name}"
        return None

    def _on(self, entry: list[str], ids: set[str], symbol: str) -> bool:
        """Whether an entry is on the chosen transcript (its Feature or MANE id, with or without version); one that
        names no transcript (bcftools's intron entries) counts when it names the gene. An entry of another feature type
        is not the transcript's, though it names it (SnpEff's sequence_feature entries: Feature_Type
        'domain:Protein_kinase', Feature_ID the transcript's)."""
        feature, mane, gene = self._columns["feature"], self._columns["mane"], self._columns["symbol"]
        kind = self._columns["feature_type"]
        if kind is not None and entry[kind] and entry[kind].lower() != "transcript":
            return False
        names = {entry[feature]} if feature is not None else set()
        if mane is not None:
            names.add(entry[mane])
        if not any(names) and gene is not None:
            return entry[gene] == symbol
        return bool(names & ids or {n.split(".")[0] for n in names} & ids)

    def _by_dna_change(self, ours: list[list[str]], allele: int, record: Record) -> list[list[str]]:
        """bcftools's entries for one ALT (they carry no allele field): those whose dna_change names it first, then
        those without a dna_change (bcftools writes a splice, intron or UTR consequence once, for all the record's
        ALTs). A record with one ALT may also take the others (a compound change elsewhere names other records)."""
        i = self._columns["dna_change"]
        alt = minimal(record.chrom, record.pos, record.ref, record.alts[allele - 1])
        named = [e for e in ours if alt in _dna_changes(e[i], record.chrom)]
        unnamed = [e for e in ours if not e[i]]
        others = [e for e in ours if e[i] and e not in named] if len(record.alts) == 1 else []
        return named + unnamed + others

    def _consequence(self, entry: list[str], t: Transcript, where: str) -> Consequence:
        a = self._annotation

        def field(what: str) -> str:
            i = self._columns[what]
            return entry[i] if i is not None and entry[i] != "-" else ""

        names = [n.lstrip("*@") for n in field("terms").split("&") if n]
        known = {_so(n) for n in names} - {None}
        if len(known) < len(names):
            self._note_problem(f"unknown consequence term in {a.tag} (reported as sequence_variant)", where)
            known.add("sequence_variant")
        chosen = ordered(known)
        exon, intron = field("exon"), field("intron")
        if self._rank and INTRONIC & set(chosen):
            exon, intron = "", exon  # SnpEff's Rank is the intron's for a variant in one
        return Consequence(
            transcript=t, terms=chosen, impact=impact(chosen), exon=exon, intron=intron,
            protein_position=field("protein_position"), codons=field("codons"), amino_acids=field("amino_acids"),
            hgvs_c=self._named(field("hgvs_c"), entry), hgvs_p=_on_protein(field("hgvs_p"), t),
        )

    def _named(self, hgvs: str, entry: list[str]) -> str:
        """HGVS c. with its reference sequence, as VEP and the computed path write it: SnpEff's 'c.400-20C>A' takes the
        entry's transcript ('ENST00000392701.8:c.400-20C>A')."""
        feature = self._columns["feature"]
        if not hgvs or ":" in hgvs or feature is None or not entry[feature]:
            return hgvs
        return f"{entry[feature]}:{hgvs}"


def _on_protein(hgvs: str, t: Transcript) -> str:
    """HGVS p. with its reference sequence, the chosen transcript's protein ('NP_...:p.Gly334Ser', as VEP and the
    computed path write it); SnpEff's bare 'p.' stays bare when the model names no protein."""
    return f"{t.protein}:{hgvs}" if hgvs and ":" not in hgvs and t.protein else hgvs


_CONTROL_ESCAPE = re.compile(r"%(?=[01][0-9A-Fa-f]|7[Ff])")


def _decoded(field: str) -> str:
    """A field with its percent-escapes decoded (VEP escapes the characters VCF INFO reserves: p.Arg2%3D), except those
    of control characters (%09 is a tab: it would split a report cell), which stay as written."""
    return unquote(_CONTROL_ESCAPE.sub("%25", field)) if "%" in field else field
