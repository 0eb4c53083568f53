"""`hftc-annot reference install`: cut the panel regions of a genome FASTA into the cache, checked, atomically."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path

from hftc_annot.assembly import assembly_lengths, canonical_contig
from hftc_annot.consequence.installed import FILES, InstalledSource, installed_path
from hftc_annot.consequence.sequence import FastaSource, check_indexed
from hftc_annot.errors import InputError, UsageError
from hftc_annot.resources import BUILDS

MARGIN = 10_000  # bp kept around each transcript: room for padding and HGVS 3' shifting


def fasta_build(lengths: dict[str, int], source: str) -> str:
    """The build whose chromosome lengths the FASTA has (1-22, X, Y)."""
    table = {b: known for b, known in assembly_lengths().items() if b in BUILDS}
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
    from hftc_annot.consequence.gff import read_transcripts
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
            named = str(installed_path(build).parent)  # warnings name the files where they are installed, not `fresh`
            ConsequenceStage(read_transcripts(models_gff3(build)), InstalledSource(build, fresh),
                             lambda message: warnings.append(message.replace(str(fresh), named)))
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
    """Put `fresh` where `final` is; the previous installation comes back if the second rename fails. One that
    another install swaps in between the two renames is put aside in turn: the last to swap stays (each is complete
    and checked)."""
    while True:
        had_previous = True
        try:
            os.rename(final, aside)
        except FileNotFoundError:  # nothing installed, or another install has just put it aside
            had_previous = False
        try:
            os.rename(fresh, final)
            return
        except BaseException as exc:
            if not (isinstance(exc, OSError) and exc.errno in (errno.ENOTEMPTY, errno.EEXIST)):
                if had_previous:
                    os.rename(aside, final)
                raise
        shutil.rmtree(aside, ignore_errors=True)


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
    made = []
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:  # another install made it meanwhile: it is not ours to remove
            continue
        made.append(folder)
    return made


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
    quiet = pysam.set_verbosity(0)  # htslib's own lines about a failed write: the error says it once
    try:
        pysam.tabix_compress(str(plain), str(packed), force=True)
        pysam.faidx(str(packed))
    except (OSError, pysam.utils.SamtoolsError) as exc:  # a full disk: OSError('writing failed'), SamtoolsError
        if getattr(exc, "strerror", None):
            raise
        raise OSError(errno.EIO, f"htslib could not write {packed.name} and its index") from None
    finally:
        pysam.set_verbosity(quiet)
    plain.unlink()


def _write_manifest(path: Path, build: str, fasta: str, lengths: dict[str, int]) -> None:
    """Build, source, contig lengths, and the sizes of the cut files: a cheap check of them on every run."""
    sizes = {name: (path.parent / name).stat().st_size for name in FILES}
    path.write_text("key\tvalue\n" + f"build\t{build}\nsource\t{os.path.abspath(fasta)}\n"
                    + "".join(f"length\t{canonical_contig(n)}={n_len}\n" for n, n_len in lengths.items())
                    + "".join(f"size\t{name}={size}\n" for name, size in sizes.items()))
