"""The installed panel reference: panel regions cut from a genome FASTA into the user's cache, and reading it back.

Layout: $HFTC_ANNOT_CACHE (default $XDG_CACHE_HOME/hftc-annot, else ~/.cache/hftc-annot) /reference/<build>/
holding panel.fa.gz (bgzip, with .fai and .gzi), whose records are named 'contig:start-end', and
manifest.tsv with the build, the source FASTA and the original contig lengths.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from hftc_annot.assembly import assembly_lengths, canonical_contig
from hftc_annot.consequence.sequence import FastaSource
from hftc_annot.errors import InputError, UsageError

MARGIN = 10_000  # bp kept around each transcript: room for padding and HGVS 3' shifting
_REGION = re.compile(r"^(.+):(\d+)-(\d+)$")


def cache_dir() -> Path:
    if os.environ.get("HFTC_ANNOT_CACHE"):
        return Path(os.environ["HFTC_ANNOT_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hftc-annot"


def installed_path(build: str) -> Path:
    return cache_dir() / "reference" / build / "panel.fa.gz"


def check_indexed(path: str) -> None:
    """A FASTA must come with its index: building one would write next to the user's file."""
    if not os.path.isfile(path):
        raise InputError(path, "no such file")
    if not os.path.isfile(path + ".fai"):
        raise InputError(path, "has no .fai index; run samtools faidx on it first (hftc-annot never writes beside "
                         "your files)")
    with open(path, "rb") as handle:
        compressed = handle.read(2) == b"\x1f\x8b"
    if compressed and not os.path.isfile(path + ".gzi"):
        raise InputError(path, "is compressed but has no .gzi index; it must be bgzipped and indexed with "
                         "samtools faidx")


def fasta_build(lengths: dict[str, int], source: str) -> str:
    """The build whose chromosome lengths the FASTA has (1-22, X, Y)."""
    table = assembly_lengths()
    votes = {b: 0 for b in table}
    for name, length in lengths.items():
        contig = canonical_contig(name)
        for build, known in table.items():
            if contig != "MT" and known.get(contig) == length:
                votes[build] += 1
    found = [b for b, n in votes.items() if n]
    if len(found) != 1:
        raise InputError(source, "chromosome lengths are not those of GRCh38 or GRCh37 (or mix them)")
    return found[0]


def install(fasta: str) -> tuple[str, Path, list[str]]:
    """Cut the panel genes of the FASTA's build (plus MARGIN) into the cache and check them.

    Returns the build, the installed file and warnings. Genes on contigs the FASTA lacks are skipped
    (and named). The new installation is built and checked in a temporary folder beside the old one and
    swapped in only when every panel CDS translates; a failure leaves the cache as it was.
    """
    from hftc_annot.consequence import ConsequenceStage
    from hftc_annot.consequence.transcripts import read_gff3
    from hftc_annot.panel import load_panel
    from hftc_annot.resources import models_gff3

    check_indexed(fasta)
    genome = FastaSource(fasta)
    build = fasta_build(genome.lengths, fasta)
    names = {canonical_contig(n): n for n in genome.lengths}
    panel_genes = load_panel(build, padding=0).genes
    genes = [g for g in panel_genes if g.contig in names]
    missing = [g.symbol for g in panel_genes if g.contig not in names]
    warnings = [f"{fasta} lacks the contigs of {len(missing)} panel genes: {', '.join(missing)}"] if missing else []
    genome.check_index(sorted({g.contig for g in genes}))
    final = Path(os.path.realpath(installed_path(build).parent))  # a cache folder that is a link stays a link
    created: list[Path] = []
    try:
        created = _make_folders(final.parent)
        with tempfile.TemporaryDirectory(prefix=".hftc-annot-", dir=final.parent) as work:
            fresh = Path(work) / build
            fresh.mkdir()
            _cut(genome, genes, names, fresh)
            _write_manifest(fresh / "manifest.tsv", build, fasta, genome.lengths)
            ConsequenceStage(read_gff3(models_gff3(build)), InstalledSource(build, fresh), warnings.append)
            _swap(fresh, final, Path(work) / "previous")
    except OSError as exc:
        _remove_empty(created)
        raise UsageError(f"cannot write the reference cache {final} ({exc.strerror}); set HFTC_ANNOT_CACHE to a "
                         "writable folder") from None
    except BaseException:
        _remove_empty(created)
        raise
    return build, installed_path(build), warnings


def _swap(fresh: Path, final: Path, aside: Path) -> None:
    """Put `fresh` where `final` is; the previous installation comes back if the second rename fails."""
    had_previous = final.exists()
    if had_previous:
        os.rename(final, aside)
    try:
        os.rename(fresh, final)
    except BaseException:
        if had_previous:
            os.rename(aside, final)
        raise


def _remove_empty(folders: list[Path]) -> None:
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _make_folders(folder: Path) -> list[Path]:
    """mkdir -p, returning the folders it made (outermost first) so that a failed install can remove them."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        made.mkdir()
    return list(reversed(missing))


def _cut(genome: FastaSource, genes: list, names: dict[str, str], folder: Path) -> None:
    """panel.fa.gz (bgzipped, with .fai and .gzi) holding each gene's region, named 'contig:first-last'."""
    import pysam

    plain = folder / "panel.fa"
    with open(plain, "w") as out:
        for gene in genes:
            name = names[gene.contig]
            first, last = max(1, gene.start - MARGIN), min(genome.lengths[name], gene.end + MARGIN)
            sequence = genome.fetch(name, first, last)
            out.write(f">{gene.chrom}:{first}-{last} {gene.symbol}\n")
            out.writelines(sequence[i:i + 60] + "\n" for i in range(0, len(sequence), 60))
    packed = folder / "panel.fa.gz"
    pysam.tabix_compress(str(plain), str(packed), force=True)
    pysam.faidx(str(packed))
    plain.unlink()


def _write_manifest(path: Path, build: str, fasta: str, lengths: dict[str, int]) -> None:
    path.write_text("key\tvalue\n" + f"build\t{build}\nsource\t{os.path.abspath(fasta)}\n"
                    + "".join(f"length\t{canonical_contig(n)}={n_len}\n" for n, n_len in lengths.items()))


def _manifest_rows(build: str, folder: Path | None = None) -> list[list[str]] | None:
    """(key, value) rows of the installed reference's manifest; None when nothing is installed."""
    path = (folder or installed_path(build).parent) / "manifest.tsv"
    if not path.is_file():
        return None
    return [line.split("\t", 1) for line in path.read_text().splitlines()[1:]]


def manifest(build: str) -> dict[str, str] | None:
    rows = _manifest_rows(build)
    return None if rows is None else {k: v for k, v in rows if k != "length"}


class InstalledSource:
    """Reads the installed panel reference with genomic coordinates; bases outside the cut regions are N."""

    def __init__(self, build: str, folder: Path | None = None) -> None:
        import pysam

        path = folder / "panel.fa.gz" if folder else installed_path(build)
        self.name = f"installed {build} panel reference ({path})"
        self._fasta = pysam.FastaFile(str(path))
        self._regions: dict[str, list[tuple[int, int, str]]] = {}
        for record in self._fasta.references:
            contig, first, last = _REGION.match(record).groups()
            self._regions.setdefault(canonical_contig(contig), []).append((int(first), int(last), record))
        lengths = (value.rsplit("=", 1) for key, value in _manifest_rows(build, folder) or () if key == "length")
        self._lengths = {contig: int(length) for contig, length in lengths}

    def length(self, chrom: str) -> int | None:
        return self._lengths.get(canonical_contig(chrom))

    def fetch(self, chrom: str, start: int, end: int) -> str:
        for first, last, record in self._regions.get(canonical_contig(chrom), ()):
            if first <= start and end <= last:
                return self._fasta.fetch(record, start - first, end - first + 1).upper()
        return "N" * max(0, end - start + 1)

