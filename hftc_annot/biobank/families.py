"""One family's records in one gene, judged by the single-machine stages: the pure-Python work that the Hail path
runs on Spark workers (no Hail or Spark import here)."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from hftc_annot.inheritance import Candidate, InheritanceStage, Settings
from hftc_annot.inheritance.pedigree import Pedigree
from hftc_annot.knowledge.tiers import TierStage
from hftc_annot.model import PanelRecord
from hftc_annot.reader.genotypes import carriers
from hftc_annot.reader.records import ALLELE_ABSENT, ALLELE_MISSING, INT_MISSING, Record, readable_depths
from hftc_annot.writers.rows import ReportRows, report_order
from hftc_annot.writers.summary import SummaryRanking
from hftc_annot.writers.tsv import COLUMNS, tsv_line

Key = tuple[int, str, str, int, str, int, int]
"""A row's place in the report: sample (VCF order), tier, gene, contig rank, POS, then its order within its group."""


@dataclass(frozen=True)
class Entry:
    """One family member's call at one record, as Hail imported it. alleles: None for a missing call; ad: None
    when missing, else per allele (None where missing); ps: FORMAT/PS; filtered: FORMAT/FT names a filter (not PASS
    or missing)."""

    column: int
    alleles: tuple[int, ...] | None
    phased: bool
    gq: int | None = None
    dp: int | None = None
    ad: tuple[int | None, ...] | None = None
    ps: int | None = None
    filtered: bool = False


@dataclass(frozen=True)
class Site:
    """A record of a family's group: its number (Hail's row index) and the calls of every family member."""

    record: int
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class FamilyGroup:
    """The records of one gene at which a member of one family carries an ALT (or has a haploid call)."""

    family: str
    gene: str
    sites: tuple[Site, ...]


@dataclass(frozen=True)
class Cohort:
    """What every group needs, sent once to each worker: the samples (VCF order), the groups judged together
    (member columns in VCF order), the PED, the inheritance settings, the tier stage, the records annotated once
    (sites-only, with their consequences and knowledge) and which have a FORMAT/PS value in any sample."""

    samples: tuple[str, ...]
    families: dict[str, tuple[int, ...]]
    pedigree: Pedigree
    build: str
    settings: Settings
    tiers: TierStage
    sites: dict[int, PanelRecord]
    phase_sets: frozenset[int]


@dataclass
class GroupResult:
    """A group's report rows (key, raw cells), its candidates with the tiers the ranking reads, and the problems
    its inheritance stage noted."""

    rows: list[tuple[Key, list[str]]]
    candidates: list[Candidate]
    tiers: dict[tuple[int, int, str], dict[bool, tuple[str, str]]]
    problems: list[tuple[str, str]]


def judge(group: FamilyGroup, cohort: Cohort) -> GroupResult:
    """Run the inheritance, tier and report stages of one run on one family's records in one gene."""
    columns = cohort.families[group.family]
    names = tuple(cohort.samples[c] for c in columns)
    local = {c: i for i, c in enumerate(columns)}
    problems: list[tuple[str, str]] = []
    inheritance = InheritanceStage(cohort.pedigree, names, cohort.build, cohort.settings,
                                   lambda kind, where: problems.append((kind, where)))
    kept = []
    for site in sorted(group.sites, key=lambda s: s.record):
        item = _item(cohort.sites[site.record], group.gene, _record(cohort, site, local))
        inheritance.add(item)
        kept.append(item.without_samples())
    inheritance.finish()
    tiers, report, ranking = cohort.tiers, ReportRows(names), SummaryRanking(names)
    try:
        for item in kept:
            inheritance.annotate(item)
            tiers.annotate(item)
            report.write(item)
            ranking.write(item)
        rank = {name: column for name, column in zip(names, columns, strict=True)}
        rows = [(_flat(report_order(rank[row.sample], row.evidence_tier, row.gene, row.chrom, int(row.pos)), order),
                 list(row)) for order, row in enumerate(report.rows())]
    finally:
        report.close()
    return GroupResult(rows, inheritance.candidates, ranking.tiers, problems)


def _flat(order: tuple, within: int) -> Key:
    """The report order as a flat key (JSON and Hail read it), then the row's order within its group."""
    sample, tier, gene, (contig, name), pos = order
    return sample, tier, gene, contig, name, pos, within


def _item(site: PanelRecord, gene: str, record: Record) -> PanelRecord:
    """The annotated sites-only record with the family's calls: its findings in `gene`, each with its carriers."""
    findings = [dataclasses.replace(f, calls=carriers(record, f.allele), flags={}, segregation={}, tiers={})
                for f in site.findings if f.symbol == gene]
    return PanelRecord(record, site.genes, site.skipped, site.label, findings)


def _record(cohort: Cohort, site: Site, local: dict[int, int]) -> Record:
    """The family's columns of one record, as the reader gives a record (htslib's missing-value codes), its AD read as
    the reader reads it: a sample's values beyond the record's alleles, or a negative count, make its depths missing
    (the warnings come from every sample's AD, hail_path._annotated_sites)."""
    known = cohort.sites[site.record].record
    count = len(local)
    ploidy = max([2, *(len(e.alleles) for e in site.entries if e.alleles)])  # a missing call (Hail: no ploidy) is ./.
    alleles = max([1 + len(known.alts), *(len(e.ad) for e in site.entries if e.ad is not None)])
    genotypes = np.full((count, ploidy), ALLELE_MISSING, dtype=np.int32)
    phased = np.zeros(count, dtype=bool)
    gq, dp = np.full(count, INT_MISSING, dtype=np.int32), np.full(count, INT_MISSING, dtype=np.int32)
    ad = np.full((count, alleles), INT_MISSING, dtype=np.int32)
    phase_set = np.full(count, np.nan) if site.record in cohort.phase_sets else None
    filtered = np.zeros(count, dtype=bool)
    for e in site.entries:
        i = local[e.column]
        if e.alleles:
            genotypes[i] = list(e.alleles) + [ALLELE_ABSENT] * (ploidy - len(e.alleles))
        phased[i] = e.phased
        gq[i] = INT_MISSING if e.gq is None else e.gq
        dp[i] = INT_MISSING if e.dp is None else e.dp
        if e.ad is not None:
            ad[i, :len(e.ad)] = [INT_MISSING if d is None else d for d in e.ad]
        if phase_set is not None and e.ps is not None:
            phase_set[i] = e.ps
        filtered[i] = e.filtered
    ad, _ = readable_depths(ad, 1 + len(known.alts))
    return Record(known.chrom, known.pos, known.id, known.ref, known.alts, known.filters, genotypes, phased, gq, dp,
                  ad, None, site.record, known.info, phase_set, sample_filtered=filtered if filtered.any() else None)


def write_part(groups: Iterable[FamilyGroup], cohort: Cohort, preamble: list[str], path: str) -> GroupResult:
    """Judge every group of one Spark partition and write its rows, sorted as one run sorts them, to `path` (a TSV
    report, part K of N) and `path`.jsonl (the raw cells with their keys, for the JSON report and the Hail Table);
    returns the candidates, tiers and problems of all its groups (no rows)."""
    rows: list[tuple[Key, list[str]]] = []
    total = GroupResult([], [], {}, [])
    for group in groups:
        result = judge(group, cohort)
        rows += result.rows
        total.candidates += result.candidates
        total.tiers.update(result.tiers)
        total.problems += result.problems
    rows.sort(key=lambda row: row[0])
    for target, lines in ((path, _tsv_lines(preamble, rows)), (path + ".jsonl", _json_lines(rows))):
        temporary = f"{target}.tmp{os.getpid()}"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.writelines(lines)
        os.replace(temporary, target)
    return total


def _tsv_lines(preamble: list[str], rows: list[tuple[Key, list[str]]]) -> Iterator[str]:
    yield from (f"## {line}\n" for line in preamble)
    yield "\t".join(COLUMNS) + "\n"
    for _, cells in rows:
        yield tsv_line(cells) + "\n"


def _json_lines(rows: list[tuple[Key, list[str]]]) -> Iterator[str]:
    for key, cells in rows:
        yield json.dumps({"key": key, "row": cells}, ensure_ascii=False) + "\n"
