"""Pedigrees: a validated PED file, or singletons, with affected status and sex per sample."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from hftc_annot.errors import InputError, UsageError, read_bytes

MALE, FEMALE, UNKNOWN_SEX = 1, 2, 0
AFFECTED, UNAFFECTED, UNKNOWN_STATUS = 2, 1, 0
_SEX_WORDS = {MALE: ("1", "male", "M"), FEMALE: ("2", "female", "F"),
              UNKNOWN_SEX: ("0", "-9", "-1", "unknown", "other", "NA")}
_STATUS_WORDS = {AFFECTED: ("2", "affected"), UNAFFECTED: ("1", "unaffected"),
                 UNKNOWN_STATUS: ("0", "-9", "unknown", "missing", "NA")}
_SEX = {word.lower(): code for code, words in _SEX_WORDS.items() for word in words}
_STATUS = {word.lower(): code for code, words in _STATUS_WORDS.items() for word in words}
_VAGUE_SEX = "other"  # a sex that is known but neither male nor female: unknown here, with a warning
_MISSING_PARENT = {"0", "-9", ".", "", "NA"}  # NA: as R writes a missing value
_SEX_COLUMN = {"sex", "gender"}  # a header's name for the sex column (lower case, letters only), never a sex
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class Individual:
    family: str
    id: str
    father: str | None
    mother: str | None
    sex: int
    status: int


@dataclass(frozen=True)
class Pedigree:
    """Everyone known by sample id. VCF samples missing from the PED are unrelated (unless named as a parent), of
    unknown status."""

    individuals: dict[str, Individual]

    def get(self, sample: str) -> Individual:
        return self.individuals.get(sample) or Individual(sample, sample, None, None, UNKNOWN_SEX, UNKNOWN_STATUS)

    @cached_property
    def _parental_sex(self) -> dict[str, int]:
        """The sex each parent's role gives: a father male, a mother female (read_ped refuses one who is both)."""
        return {parent: sex for i in self.individuals.values()
                for parent, sex in ((i.father, MALE), (i.mother, FEMALE)) if parent is not None}

    def sex(self, sample: str) -> int:
        """The PED's sex; when it gives none, that of a parent's role (a father male, a mother female), else
        UNKNOWN_SEX."""
        sex = self.get(sample).sex
        return sex if sex in (MALE, FEMALE) else self._parental_sex.get(sample, UNKNOWN_SEX)

    def with_sex(self, sample: str) -> Individual:
        """`sample`'s entry (get) with its sex as `sex` gives it."""
        return replace(self.get(sample), sex=self.sex(sample))

    @cached_property
    def _by_parents(self) -> dict[tuple[str | None, str | None], list[Individual]]:
        """The individuals by (father, mother), in PED order (found once: a cohort's samples each look theirs up)."""
        return _grouped(self.individuals.values(), lambda i: (i.father, i.mother))

    @cached_property
    def _by_mother(self) -> dict[str | None, list[Individual]]:
        """The individuals by mother, in PED order."""
        return _grouped(self.individuals.values(), lambda i: i.mother)

    @cached_property
    def _by_family(self) -> dict[str, list[Individual]]:
        """The individuals by family, in PED order."""
        return _grouped(self.individuals.values(), lambda i: i.family)

    def siblings(self, sample: str) -> list[Individual]:
        """Full siblings: the others with the same father and the same mother, both known. Empty when either parent
        of `sample` is unknown, so half siblings and founders are never full siblings."""
        me = self.get(sample)
        if me.father is None or me.mother is None:
            return []
        return [i for i in self._by_parents.get((me.father, me.mother), []) if i.id != sample]

    def maternal_half_siblings(self, sample: str) -> list[Individual]:
        """The others with the same known mother and not the same known father (another, or one unknown to either):
        on chrX outside the PARs they share the mother's X as full siblings do. Empty when the mother is unknown."""
        me = self.get(sample)
        if me.mother is None:
            return []
        return [i for i in self._by_mother.get(me.mother, [])
                if i.id != sample and (i.father is None or i.father != me.father)]

    def family_of(self, sample: str) -> list[Individual]:
        """The individuals of `sample`'s PED family, in PED order; `sample` alone when it has no PED line (a VCF sample
        named like a PED family is not of that family)."""
        if sample not in self.individuals:
            return [self.get(sample)]
        return list(self._by_family[self.individuals[sample].family])


def _grouped(individuals: Iterable[Individual], key: Callable[[Individual], object]) -> dict:
    """The individuals by `key`, each group in the order given."""
    found: dict = {}
    for i in individuals:
        found.setdefault(key(i), []).append(i)
    return found


def _case_hint(ped_only: list[str], vcf_only: list[str]) -> str:
    """'; names are case-sensitive: PED kid is VCF KID' when names in only one of the two differ only in case."""
    folded = {name.casefold(): name for name in ped_only}
    pairs = [f"PED {folded[name.casefold()]} is VCF {name}" for name in vcf_only if name.casefold() in folded]
    return f"; names are case-sensitive: {_first(pairs)}" if pairs else ""


def read_ped(path: str, vcf_samples: tuple[str, ...], affected: tuple[str, ...],
             warn: Callable[[str], None], chosen: bool = False, vcf: str = "the VCF") -> Pedigree:
    """Parse and check a 6-column PED (family, id, father, mother, sex, phenotype) in the dialects pipelines write.

    Lines end in LF, CRLF or CR (any `str.splitlines` break). A line without its trailing whitespace is split on
    tabs when that gives 6 or more fields (empty ones allowed), else on whitespace (tabs and spaces mixed).
    Skipped: blank lines, `#` comments, a UTF-8 byte-order mark and, as the first line that is none of these, a
    header of column names: one naming a sex column (SEX, Gender, ...; FID IID PAT MAT SEX PHENOTYPE, Family ID
    Individual ID ... Gender Phenotype). Sex is 1/male/M, 2/female/F or unknown as 0/-9/-1/unknown/other/NA;
    phenotype 2/affected, 1/unaffected or 0/-9/unknown/missing/NA (words in any case); a missing parent is 0, -9,
    ., NA (as R writes a missing value) or empty.

    Errors (exit 2, with the line): text that is not UTF-8, fewer than 6 columns, an empty id, any other sex or
    phenotype (quantitative phenotypes are named as such), an id listed twice or in two families, a parent who is
    the child itself, one individual as both parents (of one child, or the father of one and the mother of another:
    the later child's line), a father who is female or a mother who is male (the child's line), and ancestry loops
    (the line of an individual who is their own ancestor); text from the file is quoted as `repr` does, so a
    control character in it shows escaped ('1\\x00'). Warnings: columns beyond the sixth
    (ignored), sex 'other', samples in only one of PED and VCF (a parent named without a line of their own counts as
    in the PED), VCF samples only named as a parent, and --affected
    naming one the PED calls unaffected.
    """
    individuals: dict[str, Individual] = {}
    lines: dict[str, int] = {}  # the line of each individual's entry
    extra: list[int] = []  # line numbers with columns beyond the sixth
    vague: list[str] = []  # individuals of sex 'other'
    for index, (number, fields) in enumerate(_rows(path)):
        if index == 0 and _is_header(fields):
            continue
        if len(fields) < 6:
            raise InputError(path, "a PED line needs 6 columns: family, individual, father, mother, sex, "
                             "phenotype", line=number)
        person = _individual(path, number, fields)
        if person.id in individuals:
            earlier = individuals[person.id].family
            raise InputError(path, f"individual {person.id!r} is listed twice" if earlier == person.family else
                             f"individual {person.id!r} is in family {earlier!r} and in family {person.family!r}: "
                             "sample ids must be unique", line=number)
        individuals[person.id], lines[person.id] = person, number
        if any(fields[6:]):
            extra.append(number)
        if fields[4].lower() == _VAGUE_SEX:
            vague.append(person.id)
    if extra:
        warn(f"PED columns beyond the sixth are ignored ({len(extra)} line(s), the first is line {extra[0]})")
    if vague:
        warn(f"{len(vague)} PED individual(s) have sex '{_VAGUE_SEX}' and count as of unknown sex: "
             f"{_first(vague)}")
    roles: dict[str, tuple[str, str]] = {}  # each parent's role, and the child it was first given for
    for person in individuals.values():
        for parent, sex, role in ((person.father, FEMALE, "father"), (person.mother, MALE, "mother")):
            if parent in individuals and individuals[parent].sex == sex:
                raise InputError(path, f"{parent!r} is the {role} of {person.id!r} but has sex "
                                 f"{'female' if sex == FEMALE else 'male'}", line=lines[person.id])
            if parent is not None:
                first, child = roles.setdefault(parent, (role, person.id))
                if first != role:
                    raise InputError(path, f"individual {parent!r} is the {first} of {child!r} and the {role} of "
                                     f"{person.id!r}", line=lines[person.id])
    _check_loops(individuals, lines, path)
    in_vcf = set(vcf_samples)
    parents = {p: None for person in individuals.values() for p in (person.father, person.mother) if p}  # in order
    missing = [i for i in [*individuals, *(p for p in parents if p not in individuals)] if i not in in_vcf]
    if missing:  # a parent without a line who is not in the VCF either (a misspelt id?) is named too
        where = "among the samples read (--samples)" if chosen else "in the VCF"
        warn(f"{len(missing)} PED individual(s) are not {where} and count as not genotyped: {_first(missing)}")
    unknown = [s for s in vcf_samples if s not in individuals and s not in parents]
    if unknown:
        warn(f"{len(unknown)} VCF sample(s) are not in the PED and count as unrelated, of unknown status: "
             f"{_first(unknown)}{_case_hint(missing, unknown)}")
    unlisted = [s for s in vcf_samples if s not in individuals and s in parents]  # a parent column names them
    if unlisted:
        warn(f"{len(unlisted)} VCF sample(s) are parents in the PED without a line of their own and count as parents "
             f"of unknown status (a father male, a mother female): {_first(unlisted)}")
    overridden = [a for a in affected if a in individuals and individuals[a].status == UNAFFECTED]
    if overridden:
        warn(f"--affected marks {len(overridden)} individual(s) the PED calls unaffected as affected: "
             f"{_first(overridden)}")
    return with_affected(Pedigree(individuals), affected, vcf_samples, vcf, chosen)


def _first(names: list[str]) -> str:
    """The first five names of a warning, '…' when there are more."""
    return ", ".join(names[:5]) + (", …" if len(names) > 5 else "")


def _rows(path: str) -> Iterator[tuple[int, list[str]]]:
    """The fields of each line that is not blank or a comment, with its line number: split on tabs (keeping empty
    fields) when that gives 6 or more, else on whitespace; trailing whitespace is no field."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = data[:exc.start].decode("utf-8")  # its lines, and one more character on the bad byte's line
        raise InputError(path, "not UTF-8 text (a PED must be plain text, not compressed or binary)",
                         line=len(f"{before}.".splitlines())) from None
    for number, line in enumerate(text.splitlines(), 1):  # CR, LF and CRLF ends alike
        line = line.rstrip()
        if line and not line.lstrip().startswith("#"):
            fields = [f.strip() for f in line.split("\t")]
            yield number, fields if len(fields) >= 6 else line.split()  # too few tabs: spaces separate too


def _is_header(fields: list[str]) -> bool:
    """Column names, not an individual: a field names the sex column ('SEX', 'Gender', ...) and the fifth field is
    no sex (so a first individual with an id like 'SEX1' stays one)."""
    names_sex = any(re.sub("[^a-z]", "", field.lower()) in _SEX_COLUMN for field in fields)
    return names_sex and (len(fields) < 5 or fields[4].lower() not in _SEX)


def _individual(path: str, number: int, fields: list[str]) -> Individual:
    """One PED line's individual, checked on its own."""
    family, ident, father, mother, sex, status = fields[:6]
    if not family or not ident:
        raise InputError(path, "the family and individual ids must not be empty", line=number)
    if ident in (father, mother):
        raise InputError(path, f"individual {ident!r} is listed as its own parent", line=number)
    if father == mother and father not in _MISSING_PARENT:
        raise InputError(path, f"individual {father!r} is listed as both father and mother of {ident!r}", line=number)
    shifted = f" (the line has {len(fields)} columns: an id with spaces in it needs a tab-separated PED)" \
        if len(fields) > 6 else ""
    if sex.lower() not in _SEX:
        raise InputError(path, f"sex {sex!r} must be {_choices(_SEX_WORDS)} (words in any case){shifted}",
                         line=number)
    if status.lower() not in _STATUS:
        accepted = f"{_choices(_STATUS_WORDS)} (words in any case)"
        raise InputError(path, f"phenotype {status!r} looks quantitative: quantitative phenotypes are not supported; "
                         f"use {accepted}{shifted}" if _NUMBER.fullmatch(status) else
                         f"phenotype {status!r} must be {accepted}{shifted}", line=number)
    return Individual(family, ident, None if father in _MISSING_PARENT else father,
                      None if mother in _MISSING_PARENT else mother, _SEX[sex.lower()], _STATUS[status.lower()])


def _choices(words: dict[int, tuple[str, ...]]) -> str:
    """'1/male/M, 2/female/F or 0/-9/...': the accepted words, one group per code."""
    groups = ["/".join(group) for group in words.values()]
    return f"{', '.join(groups[:-1])} or {groups[-1]}"


def with_affected(pedigree: Pedigree, affected: tuple[str, ...], vcf_samples: tuple[str, ...], vcf: str,
                  chosen: bool = False) -> Pedigree:
    """Mark --affected samples as affected (they need not be in a PED). `vcf` names the input; `chosen`: the samples
    are those --samples chose."""
    unknown = [a for a in affected if a not in vcf_samples and a not in pedigree.individuals]
    if unknown:
        where = f"among the samples read from {vcf} (--samples)" if chosen else f"a sample of {vcf}"
        also = " nor in the PED" if pedigree.individuals else ""
        raise UsageError(f"--affected: '{unknown[0]}' is not {where}{also} (names are case-sensitive)")
    people = dict(pedigree.individuals)
    for sample in affected:
        person = pedigree.get(sample)
        people[sample] = Individual(person.family, sample, person.father, person.mother, person.sex, AFFECTED)
    return Pedigree(people)


def _check_loops(individuals: dict[str, Individual], lines: dict[str, int], path: str) -> None:
    """No one may be their own ancestor (the error gives the line of that individual's entry).

    A depth-first walk up the parents with an explicit stack, linear in the number of individuals: an individual
    is on the current path (`walking`) until all its ancestors are checked, then `done` and never walked again.
    """
    def parents(ident: str) -> Iterator[str]:
        person = individuals[ident]
        return iter([p for p in (person.father, person.mother) if p in individuals])  # the unlisted have no parents

    done: set[str] = set()
    for start in individuals:
        if start in done:
            continue
        walking, stack = {start}, [(start, parents(start))]
        while stack:
            ident, todo = stack[-1]
            parent = next(todo, None)
            if parent is None:
                stack.pop()
                walking.remove(ident)
                done.add(ident)
            elif parent in walking:
                raise InputError(path, f"pedigree loop: {parent!r} is an ancestor of itself", line=lines[parent])
            elif parent not in done:
                walking.add(parent)
                stack.append((parent, parents(parent)))
