"""Consequences against an independent implementation: bcftools csq on the oracle saturation set.

493,704 SNVs (every SNV in every CDS and within 20 bp of every exon boundary, 47 synthetic genes with the
shipped structures plus real COL1A1/COL1A2 sequence) must agree term for term after the documented
VEP-to-bcftools convention map; every one of 5,000 random indels that disagrees must fall in an explained
category, and the list must equal the checked-in tests/oracle/indel_disagreements.tsv.
"""

from __future__ import annotations

import shutil

import pytest

from oracle.compare import DISAGREEMENTS, compare, direct_translation_agrees, disagreement_table

pytestmark = pytest.mark.skipif(shutil.which("bcftools") is None, reason="bcftools is not installed")


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("oracle")
    return work, compare(work)


def test_every_snv_agrees(comparison) -> None:
    _, result = comparison
    assert result.snv_total == 493_704
    assert result.snv_disagreements == []


def test_every_indel_disagreement_is_explained_and_listed(comparison) -> None:
    _, result = comparison
    assert result.indel_total == 5_000
    assert [row for row in result.indel_disagreements if row[-1] == "unexplained"] == []
    assert disagreement_table(result.indel_disagreements) == DISAGREEMENTS.read_text(), (
        "the disagreements changed: review them, then run python tests/oracle/compare.py --write")


def test_delins_calls_match_a_direct_translation(comparison) -> None:
    work, result = comparison
    assert direct_translation_agrees(work, result.indel_disagreements) == []
