"""Pedigrees: a validated PED file, or singletons, with affected status and sex per sample."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hftc_annot.errors import InputError, UsageError, open_text

MALE, FEMALE, UNKNOWN_SEX = 1, 2, 0
AFFECTED, UNAFFECTED, UNKNOWN_STATUS = 2, 1, 0
_MISSING_PARENT = {"0", ".", ""}


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
    """Everyone known by sample id. VCF samples missing from the PED are unrelated, of unknown status."""

    individuals: dict[str, Individual]

    def get(self, sample: str) -> Individual:
        return self.individuals.get(sample) or Individual(sample, sample, None, None, UNKNOWN_SEX, UNKNOWN_STATUS)

    def siblings(self, sample: str) -> list[Individual]:
        me = self.get(sample)
        if me.father is None and me.mother is None:
            return []
        return [i for i in self.individuals.values()
                if i.id != sample and (i.father, i.mother) == (me.father, me.mother)]

    def family_of(self, sample: str) -> list[Individual]:
        family = self.get(sample).family
        return [i for i in self.individuals.values() if i.family == family] or [self.get(sample)]


def read_ped(path: str, vcf_samples: tuple[str, ...], affected: tuple[str, ...],
             warn: Callable[[str], None]) -> Pedigree:
    """Parse and check a 6-column PED (family, id, father, mother, sex 1/2/0, phenotype 1/2/0/-9).

    Errors (exit 2) for malformed lines, duplicate ids, a parent who is the child itself, a father who is
    female or a mother who is male, and ancestry loops; warnings for samples in only one of PED and VCF.
    """
    individuals: dict[str, Individual] = {}
    with open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split()
            if len(fields) < 6:
                raise InputError(path, "a PED line needs 6 columns: family, individual, father, mother, sex, "
                                 "phenotype", line=number)
            family, ident, father, mother, sex, status = fields[:6]
            if ident in individuals:
                raise InputError(path, f"individual '{ident}' is listed twice", line=number)
            if ident in (father, mother):
                raise InputError(path, f"individual '{ident}' is listed as its own parent", line=number)
            if sex not in ("0", "1", "2"):
                raise InputError(path, f"sex '{sex}' must be 1 (male), 2 (female) or 0 (unknown)", line=number)
            codes = {"2": AFFECTED, "1": UNAFFECTED, "0": UNKNOWN_STATUS, "-9": UNKNOWN_STATUS}
            if status not in codes:
                raise InputError(path, f"phenotype '{status}' must be 2 (affected), 1 (unaffected), 0 or -9",
                                 line=number)
            individuals[ident] = Individual(family, ident, None if father in _MISSING_PARENT else father,
                                            None if mother in _MISSING_PARENT else mother, int(sex), codes[status])
    for person in individuals.values():
        for parent, sex, role in ((person.father, FEMALE, "father"), (person.mother, MALE, "mother")):
            if parent in individuals and individuals[parent].sex == sex:
                raise InputError(path, f"'{parent}' is the {role} of '{person.id}' but has sex "
                                 f"{'female' if sex == FEMALE else 'male'}")
    _check_loops(individuals, path)
    missing = [i for i in individuals if i not in vcf_samples]
    if missing:
        warn(f"{len(missing)} PED individual(s) are not in the VCF and count as not genotyped: "
             f"{', '.join(missing[:5])}")
    unknown = [s for s in vcf_samples if s not in individuals]
    if unknown:
        warn(f"{len(unknown)} VCF sample(s) are not in the PED and count as unrelated, of unknown status: "
             f"{', '.join(unknown[:5])}")
    return with_affected(Pedigree(individuals), affected, vcf_samples)


def with_affected(pedigree: Pedigree, affected: tuple[str, ...], vcf_samples: tuple[str, ...]) -> Pedigree:
    """Mark --affected samples as affected (they need not be in a PED)."""
    unknown = [a for a in affected if a not in vcf_samples and a not in pedigree.individuals]
    if unknown:
        raise UsageError(f"--affected: '{unknown[0]}' is not a sample of the VCF")
    people = dict(pedigree.individuals)
    for sample in affected:
        person = pedigree.get(sample)
        people[sample] = Individual(person.family, sample, person.father, person.mother, person.sex, AFFECTED)
    return Pedigree(people)


def _check_loops(individuals: dict[str, Individual], path: str) -> None:
    """No one may be their own ancestor."""
    def ancestors(ident: str, seen: tuple[str, ...]) -> None:
        person = individuals.get(ident)
        if person is None:
            return
        for parent in (person.father, person.mother):
            if parent is None:
                continue
            if parent in seen:
                raise InputError(path, f"pedigree loop: '{parent}' is an ancestor of itself")
            ancestors(parent, (*seen, parent))

    for ident in individuals:
        ancestors(ident, (ident,))
