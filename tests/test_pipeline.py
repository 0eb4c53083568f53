"""The stage order of a run: each record through consequence, frequency and knowledge and into inheritance as it
is read; inheritance decides once it has seen them all; then its results and the tiers, record by record."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pysam
import pytest

from hftc_annot.model import PanelRecord
from hftc_annot.pipeline import Pipeline, write
from hftc_annot.reader import open_vcf
from hftc_annot.reader.records import Record
from hftc_annot.regions import Regions

from conftest import bgzip_index, write_vcf


class Recorder:
    """A stand-in for every stage: notes each call as (stage, method, record index)."""

    def __init__(self, name: str, calls: list) -> None:
        self.name, self.calls = name, calls

    def hit(self, record: Record):
        self.calls.append((self.name, "hit", record.index))
        return PanelRecord(record, (), (), ".", [])

    def annotate(self, item) -> None:
        self.calls.append((self.name, "annotate", item.key))

    def add(self, item) -> None:
        self.calls.append((self.name, "add", item.key))
        assert item.record.genotypes is not None  # the cohort stage sees the sample columns

    def finish(self) -> None:
        self.calls.append((self.name, "finish", None))

    def write(self, item) -> int:
        self.calls.append((self.name, "write", item.key))
        assert item.record.genotypes is None  # kept without them
        return 2


def record(index: int) -> Record:
    return Record("2", 100 + index, ".", "A", ("G",), (), np.zeros((1, 2), dtype=np.int32), np.zeros(1, bool),
                  None, None, None, None, index=index)


def test_stage_order_and_two_passes() -> None:
    calls: list = []
    stages = {name: Recorder(name, calls) for name in
              ("panel", "consequence", "frequency", "knowledge", "inheritance", "tiers", "writer")}
    pipeline = Pipeline(**{k: v for k, v in stages.items() if k != "writer"})
    seen = []
    kept = pipeline.read([record(0), record(1)], seen.append)
    assert [item.key for item in seen] == [0, 1]
    assert calls == [(name, method, index) for index in (0, 1) for name, method in (
        ("panel", "hit"), ("consequence", "annotate"), ("frequency", "annotate"), ("knowledge", "annotate"),
        ("inheritance", "add"))]
    calls.clear()
    assert write(pipeline.finish(kept), {"report": stages["writer"]}) == {"report": 4}
    assert calls == [("inheritance", "finish", None)] + [
        (name, method, index) for index in (0, 1) for name, method in (
            ("inheritance", "annotate"), ("tiers", "annotate"), ("writer", "write"))]


@pytest.mark.parametrize("index", ["tbi", "csi", "bcf"])
def test_records_come_in_the_input_order_on_the_indexed_route(tmp_path: Path, index: str) -> None:
    """chr12 before chr2 in the file (the header declares chr2 first): the records come in the file's order through
    the index too, as when streamed; the annotated VCF is written in this order."""
    if index == "bcf" and shutil.which("bcftools") is None:
        pytest.skip("bcftools is not installed")
    plain = write_vcf(tmp_path / "in.vcf", ["chr12 4370563 . C T 50 PASS . GT 0/1",
                                            "chr2 165754626 . C T 50 PASS . GT 0/1",
                                            "chrX 22100000 . G A 50 PASS . GT 0/1"])
    if index == "bcf":
        path = tmp_path / "in.bcf"
        subprocess.run(["bcftools", "view", "-Ob", "-o", str(path), str(plain)], check=True)
        subprocess.run(["bcftools", "index", str(path)], check=True)
    else:
        path = bgzip_index(plain, index=False)
        pysam.tabix_index(str(path), preset="vcf", force=True, csi=index == "csi")
    regions = Regions([("2", 165747588, 165794247), ("12", 4368227, 4379712), ("X", 22032325, 22251310)])
    orders = {}
    for route in (plain, path):
        vcf = open_vcf(str(route))
        try:
            orders[vcf.indexed] = [(r.chrom, r.pos) for r in vcf.records(regions, None)]
            assert vcf.first_contig == "chr12"
        finally:
            vcf.close()
    assert orders == {False: [("chr12", 4370563), ("chr2", 165754626), ("chrX", 22100000)],
                      True: [("chr12", 4370563), ("chr2", 165754626), ("chrX", 22100000)]}
