"""Sequence Ontology consequence terms: rank, SO id and impact, read from so_terms.tsv.

The table is Ensembl VEP's consequence table; row order is VEP's severity rank (most severe first). One row is not
VEP's: exon_loss_variant (SO:0001572, as SnpEff uses it), which a structural deletion of coding bases gets besides
VEP's feature_truncation, so that the evidence tiers can count it as a null variant.
codons.tsv is NCBI translation table 1 (the standard genetic code). Both are data, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from hftc_annot.resources import package_table

IMPACTS = ("HIGH", "MODERATE", "LOW", "MODIFIER")
UNKNOWN = "UNKNOWN"
"""The impact of a CDS change whose protein effect could not be computed (no reference sequence): it may be
anything from synonymous to stop_gained, so it is neither MODIFIER nor ranked among IMPACTS."""


@dataclass(frozen=True)
class Term:
    """One row of so_terms.tsv; `tier_group` ('null', 'missense', 'coding_or_splice' or '.') is the group the
    evidence-tier rules (knowledge/tiers.tsv) ask about."""

    name: str
    so_id: str
    impact: str
    rank: int
    tier_group: str
    description: str


def _rows(name: str) -> list[dict[str, str]]:
    return package_table("hftc_annot.consequence", name)


@cache
def terms() -> dict[str, Term]:
    """Every known term by name."""
    return {row["term"]: Term(row["term"], row["so_id"], row["impact"], rank, row["tier_group"], row["description"])
            for rank, row in enumerate(_rows("so_terms.tsv"))}


def term(name: str) -> Term:
    """Look a term up; an unknown term is a programming error, never silently ranked."""
    try:
        return terms()[name]
    except KeyError:
        raise KeyError(f"unknown Sequence Ontology consequence term {name!r}") from None


def ordered(names: set[str] | frozenset[str]) -> tuple[str, ...]:
    """Terms most severe first."""
    return tuple(sorted(names, key=lambda n: term(n).rank))


def impact(names: tuple[str, ...], protein_unknown: bool = False) -> str:
    """The impact of the most severe term ('MODIFIER' for none); UNKNOWN when the protein effect is unknown and no
    known term is MODERATE or HIGH."""
    known = term(names[0]).impact if names else "MODIFIER"
    return UNKNOWN if protein_unknown and known not in ("HIGH", "MODERATE") else known


@cache
def codon_table() -> dict[str, str]:
    """Codon (DNA, upper case) to one-letter amino acid, '*' for stop."""
    return {row["codon"]: row["amino_acid"] for row in _rows("codons.tsv")}


@cache
def three_letter() -> dict[str, str]:
    """One-letter amino acid (and '*') to the three-letter code used by HGVS ('Ter' for stop; 'Xaa' for the unknown
    residue a codon with N gives)."""
    return {row["amino_acid"]: row["three_letter"] for row in _rows("codons.tsv")} | {"X": "Xaa"}


def translate(cds: str, until_stop: bool = False) -> str:
    """Translate whole codons of upper-case DNA; a codon with N or another letter gives 'X'.

    With until_stop, translation ends after the first stop codon.
    """
    table = codon_table()
    if not until_stop:
        return "".join([table.get(cds[i:i + 3], "X") for i in range(0, len(cds) - len(cds) % 3, 3)])
    protein = []
    for i in range(0, len(cds) - len(cds) % 3, 3):
        protein.append(table.get(cds[i:i + 3], "X"))
        if protein[-1] == "*":
            break
    return "".join(protein)
