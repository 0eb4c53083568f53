"""Issue 14 (bring your own models): the shipped models written in each GFF dialect give the same report.

The shipped GRCh38 models (an Ensembl-style GFF3) are rewritten here as GENCODE GTF, GENCODE GFF3 and RefSeq GFF3
(NC_ accessions, gene-/rna- ids, Dbxref, 'tag=MANE Select'), each with the stop codon where that dialect puts it,
and with a decoy transcript per gene that only the MANE Select tag tells apart (same structure, a larger id, so
that the longest-CDS rule would pick it).
"""

from __future__ import annotations

import gzip
import hashlib
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

import pytest

from hftc_annot.consequence.gff import read_transcripts
from hftc_annot.panel import read_panel_file
from hftc_annot.resources import models_gff3, read_table

from conftest import body, run_cli, table

REPO = Path(__file__).resolve().parents[2]
ACCESSION = {f"chr{r['contig']}" if r["contig"] != "MT" else "chrM": r["refseq"]
             for r in read_table("assemblies.tsv") if r["build"] == "GRCh38"}


def shipped() -> tuple[dict, dict, dict]:
    """Genes, transcripts and their features (exon/CDS rows) of the shipped GRCh38 GFF3, as attribute dicts."""
    genes, transcripts, features = {}, {}, defaultdict(list)
    for line in Path(models_gff3("GRCh38")).read_text().splitlines():
        if line.startswith("#") or not line:
            continue
        chrom, _, kind, start, end, _, strand, phase, text = line.split("\t")
        attrs = dict(part.split("=", 1) for part in text.split(";"))
        attrs = {k: unquote(v) for k, v in attrs.items()}
        row = {"chrom": chrom, "kind": kind, "start": int(start), "end": int(end), "strand": strand, "phase": phase,
               **attrs}
        if kind == "gene":
            genes[attrs["ID"]] = row
        elif attrs.get("ID", "").startswith("transcript:"):
            transcripts[attrs["ID"]] = row
        elif kind in ("exon", "CDS"):
            features[attrs["Parent"]].append(row)
    return genes, transcripts, features


def without_stop(cds: list[dict], strand: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """CDS segments (start, end, phase) without the last three bases, and the stop codon's segments."""
    ordered = sorted(cds, key=lambda r: r["start"], reverse=strand == "-")
    segments = [[r["start"], r["end"], r["phase"]] for r in ordered]
    stops, left = [], 3
    while left:
        start, end, _ = segments[-1]
        take = min(left, end - start + 1)
        if strand == "+":
            stops.append((end - take + 1, end))
            segments[-1][1] = end - take
        else:
            stops.append((start, start + take - 1))
            segments[-1][0] = start + take
        if segments[-1][0] > segments[-1][1]:
            segments.pop()
        left -= take
    return [tuple(s) for s in segments], stops


def gtf_attributes(pairs: list[tuple[str, str]]) -> str:
    return " ".join(f'{k} "{v}";' for k, v in pairs)


def gff3_attributes(pairs: list[tuple[str, str]]) -> str:
    return ";".join(f"{k}={v}" for k, v in pairs)


def write_dialect(dialect: str, path: Path) -> Path:
    genes, transcripts, features = shipped()
    lines = ["##gff-version 3"] if dialect != "gencode_gtf" else ["##description: synthetic copy (test)"]
    for gene_key, gene in genes.items():
        gene_id = f"{gene['gene_id']}.{gene['version']}"
        symbol = gene["Name"]
        mine = [t for t in transcripts.values() if t["Parent"] == gene_key]
        chrom = ACCESSION[gene["chrom"]] if dialect == "refseq" else gene["chrom"]
        span = (chrom, "test", "gene", str(gene["start"]), str(gene["end"]), ".", gene["strand"], ".")
        if dialect == "gencode_gtf":
            lines.append("\t".join([*span, gtf_attributes([("gene_id", gene_id), ("gene_name", symbol),
                                                            ("gene_type", "protein_coding")])]))
        elif dialect == "gencode_gff3":
            lines.append("\t".join([*span, gff3_attributes([("ID", gene_id), ("gene_id", gene_id),
                                                             ("gene_name", symbol)])]))
        else:
            lines.append("\t".join([*span, gff3_attributes([("ID", f"gene-{symbol}"), ("Name", symbol),
                                                             ("gene_biotype", "protein_coding")])]))
        for t in mine:
            for decoy in (False, True):
                lines += transcript_lines(dialect, chrom, gene_id, symbol, t, features[t["ID"]], decoy)
    text = "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path


def transcript_lines(dialect: str, chrom: str, gene_id: str, symbol: str, t: dict, rows: list[dict],
                     decoy: bool) -> list[str]:
    ensembl = f"{t['transcript_id']}.{t['version']}" if not decoy else f"ENST9999{t['transcript_id'][4:]}.1"
    refseq = t["mane_select"] if not decoy else f"NM_9{t['mane_select'][3:]}"
    protein = t["refseq_protein"] if not decoy else f"NP_9{t['refseq_protein'][3:]}"
    strand = t["strand"]
    span = (chrom, "test", "{kind}", "{start}", "{end}", ".", strand, "{phase}")

    def line(kind: str, start: int, end: int, phase: str, attributes: str) -> str:
        return "\t".join(span).format(kind=kind, start=start, end=end, phase=phase) + "\t" + attributes

    exons = sorted((r for r in rows if r["kind"] == "exon"), key=lambda r: r["start"], reverse=strand == "-")
    cds = [r for r in rows if r["kind"] == "CDS"]
    start, end = t["start"], t["end"]
    if dialect == "refseq":
        rna = f"rna-{refseq}"
        tags = [("tag", "MANE Select")] if not decoy else []
        out = [line("mRNA", start, end, ".", gff3_attributes(
            [("ID", rna), ("Parent", f"gene-{symbol}"), ("Dbxref", f"Ensembl:{ensembl},GeneID:1"),
             ("Name", refseq), ("gene", symbol), *tags, ("transcript_id", refseq)]))]
        out += [line("exon", r["start"], r["end"], ".", gff3_attributes(
            [("ID", f"exon-{refseq}-{n}"), ("Parent", rna), ("gene", symbol)])) for n, r in enumerate(exons, 1)]
        out += [line("CDS", r["start"], r["end"], r["phase"], gff3_attributes(
            [("ID", f"cds-{protein}"), ("Parent", rna), ("protein_id", protein), ("gene", symbol)])) for r in cds]
        return out
    tags = "basic,Ensembl_canonical,MANE_Select" if not decoy else "basic"
    segments, stops = without_stop(cds, strand)
    if dialect == "gencode_gtf":
        ids = [("gene_id", gene_id), ("transcript_id", ensembl), ("gene_name", symbol)]
        tag_pairs = [("tag", tag) for tag in tags.split(",")]
        out = [line("transcript", start, end, ".", gtf_attributes([*ids, ("transcript_type", "protein_coding"),
                                                                   *tag_pairs]))]
        out += [line("exon", r["start"], r["end"], ".", gtf_attributes([*ids, ("exon_number", str(n))]))
                for n, r in enumerate(exons, 1)]
        out += [line("CDS", s, e, phase, gtf_attributes([*ids, ("protein_id", "ENSP99999999999.1")]))
                for s, e, phase in segments]
        out += [line("stop_codon", s, e, "0", gtf_attributes(ids)) for s, e in stops]
        out += [line("UTR", start, start, ".", gtf_attributes(ids))]  # ignored: a feature the reader skips
        return out
    ids = [("Parent", ensembl), ("gene_id", gene_id), ("transcript_id", ensembl), ("gene_name", symbol)]
    out = [line("transcript", start, end, ".", gff3_attributes(
        [("ID", ensembl), ("Parent", gene_id), ("gene_id", gene_id), ("transcript_id", ensembl),
         ("gene_name", symbol), ("tag", tags)]))]
    out += [line("exon", r["start"], r["end"], ".", gff3_attributes([("ID", f"exon:{ensembl}:{n}"), *ids]))
            for n, r in enumerate(exons, 1)]
    out += [line("CDS", s, e, phase, gff3_attributes([("ID", f"CDS:{ensembl}"), *ids,
                                                      ("protein_id", "ENSP99999999999.1")]))
            for s, e, phase in segments]
    out += [line("stop_codon", s, e, "0", gff3_attributes([("ID", f"stop_codon:{ensembl}"), *ids]))
            for s, e in stops]
    return out


DIALECTS = ("gencode_gtf", "gencode_gff3", "refseq")


@pytest.mark.parametrize("dialect", DIALECTS)
def test_each_dialect_reads_as_the_shipped_models(dialect: str, tmp_path: Path) -> None:
    path = write_dialect(dialect, tmp_path / f"{dialect}.gz")
    expected = {t.gene: t for t in read_transcripts(models_gff3("GRCh38"))}
    found = [t for t in read_transcripts(str(path)) if not t.id.startswith("ENST9999")]
    assert len(found) == len(expected) == 49
    for t in found:
        want = expected[t.gene]
        assert (t.id, t.chrom, t.strand, t.exons, t.cds) == (want.id, want.chrom, want.strand, want.exons, want.cds)
        assert "MANE_Select" in t.tags
        if dialect == "refseq":
            assert (t.refseq, t.protein) == (want.refseq, want.protein)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_file_sorted_by_position_reads_the_same(dialect: str, tmp_path: Path) -> None:
    """`sort -k1,1 -k4,4n` (ties by the whole line, C locale) puts an exon that starts with its transcript before the
    transcript line: such parts are read in a second pass, never lost."""
    path = write_dialect(dialect, tmp_path / f"{dialect}.gz")
    with gzip.open(path, "rt") as handle:
        lines = [line.replace("\ttest\tgene\t", "\ttest_gene\tgene\t") for line in handle if not line.startswith("#")]
    lines.sort(key=lambda line: (line.split("\t")[0], int(line.split("\t")[3]), line))
    exon_starts, gene_starts, early, before_gene = set(), set(), 0, 0
    for fields in (line.split("\t") for line in lines):
        if fields[2] == "exon":
            exon_starts.add((fields[0], fields[3]))
        elif fields[2] == "gene":
            gene_starts.add((fields[0], fields[3]))
        elif fields[2] in ("mRNA", "transcript"):
            early += (fields[0], fields[3]) in exon_starts
            before_gene += fields[1] == "test" and (fields[0], fields[3]) not in gene_starts
    assert early == 2 * 49  # each gene's MANE transcript and its decoy: an exon starts with it, and sorts first
    assert before_gene >= 49  # a gene line from another source ('test_gene') sorts after its transcripts
    resorted = tmp_path / f"{dialect}.sorted"
    resorted.write_text("".join(lines))
    assert sorted(read_transcripts(str(resorted)), key=str) == sorted(read_transcripts(str(path)), key=str)


def test_a_sorted_ensembl_gff3_whose_gene_line_comes_after_its_transcript(tmp_path: Path) -> None:
    """Ensembl GFF3 mRNA lines name no gene: the symbol comes from the gene line, even when it sorts later."""
    lines = [line.replace("\thftc-annot\tgene\t", "\thftc-annot_gene\tgene\t")
             for line in Path(models_gff3("GRCh38")).read_text().splitlines(keepends=True) if not line.startswith("#")]
    lines.sort(key=lambda line: (line.split("\t")[0], int(line.split("\t")[3]), line))
    kinds = [line.split("\t")[2] for line in lines]
    assert kinds.index("mRNA") < kinds.index("gene")
    resorted = tmp_path / "sorted.gff3"
    resorted.write_text("".join(lines))
    assert sorted(read_transcripts(str(resorted), ["GALNT3", "FGF23"]), key=str) == \
        sorted(read_transcripts(models_gff3("GRCh38"), ["GALNT3", "FGF23"]), key=str)
    assert len(read_transcripts(str(resorted))) == 49


def test_a_contig_map_adds_to_the_refseq_accessions(tmp_path: Path) -> None:
    path = write_dialect("refseq", tmp_path / "refseq.gz")
    assert read_transcripts(str(path), None, {"NC_999999.1": "chrZ"}) == read_transcripts(str(path))
    moved = read_transcripts(str(path), ["GALNT3"], {"NC_000002.12": "two"})
    assert {t.chrom for t in moved} == {"two"}


def test_the_report_is_the_same_with_every_dialect(tmp_path: Path) -> None:
    vcf = REPO / "example_vcfs" / "single_exome.vcf"
    shipped_run = run_cli(vcf, "--build", "GRCh38", "-q")
    assert shipped_run.code == 0, shipped_run.err
    rows = table(shipped_run.out)
    assert len(rows) > 20 and {r["transcript_rule"] for r in rows if r["gene"]} == {"MANE Select"}
    for dialect in DIALECTS:
        path = write_dialect(dialect, tmp_path / f"{dialect}.{'gtf' if 'gtf' in dialect else 'gff3'}")
        result = run_cli(vcf, "--build", "GRCh38", "-q", "--gff", path)
        assert result.code == 0, (dialect, result.err)
        assert body(result.out) == body(shipped_run.out), dialect


def test_a_gtf_without_version_numbers_still_names_the_mane_transcript(tmp_path: Path) -> None:
    """A GTF whose ids have no version (and no transcript_version): its MANE_Select transcript was not known as the
    panel's (the ids were compared with their version), so HGVS named the bare ENST, the transcript column was '.'
    and the curated HFTC variant c.484C>T of GALNT3 (NM_004482.4) was silently not matched."""
    import re

    text = write_dialect("gencode_gtf", tmp_path / "v.gtf").read_text()
    bare = tmp_path / "bare.gtf"
    bare.write_text(re.sub(r'((?:transcript|gene)_id "ENS[TG]\d+)\.\d+"', r'\1"', text))
    assert 'transcript_id "ENST00000392701";' in bare.read_text()
    vcf = REPO / "example_vcfs" / "trio.vcf"
    shipped = table(run_cli(vcf, "-q").out)
    result = run_cli(vcf, "-q", "--gff", bare)
    assert result.code == 0, result.err
    rows = table(result.out)
    assert [r["ensembl_transcript"] for r in rows] == [r["ensembl_transcript"].split(".")[0] for r in shipped]
    assert [{**r, "ensembl_transcript": "."} for r in rows] == [{**r, "ensembl_transcript": "."} for r in shipped]
    galnt3 = next(r for r in rows if r["hgvs_c"].endswith("c.484C>T"))
    assert (galnt3["transcript"], galnt3["hgvs_c"]) == ("NM_004482.4", "NM_004482.4:c.484C>T")
    assert galnt3["known_hftc_variant"] == "c.484C>T p.(Arg162Ter) [confidence: medium-low]"


# ----------------------------------------------------------------------------- --panel

def renamed_models(symbol: str, new: str, path: Path) -> Path:
    """The shipped GFF3 lines of `symbol`'s gene and transcripts with the gene renamed `new` (a synthetic gene a
    lab might add: the shipped panel does not know it)."""
    genes, transcripts, features = shipped()
    gene_key = next(k for k, g in genes.items() if g["Name"] == symbol)
    keep = {gene_key, *(t for t, row in transcripts.items() if row["Parent"] == gene_key)}
    lines = ["##gff-version 3"]
    for line in Path(models_gff3("GRCh38")).read_text().splitlines():
        if line.startswith("#"):
            continue
        attrs = dict(part.split("=", 1) for part in line.split("\t")[8].split(";"))
        if attrs.get("ID") in keep or attrs.get("Parent") in keep:
            lines.append(line.replace(f"Name={symbol};", f"Name={new};").replace("transcript:ENST", "transcript:ENSX"))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_panel_tsv_round_trips_to_the_same_report(tmp_path: Path) -> None:
    listing = run_cli("panel", "--format", "tsv")
    assert listing.code == 0
    lines = listing.out.splitlines()
    assert lines[0] == "gene\tinheritance\tgroup\tdisorders" and len(lines) == 50
    assert lines[1].split("\t")[:3] == ["GALNT3", "AR", "core HFTC"]
    panel = tmp_path / "panel.tsv"
    panel.write_text(listing.out)
    vcf = REPO / "example_vcfs" / "single_exome.vcf"
    default, custom = run_cli(vcf, "-q"), run_cli(vcf, "-q", "--panel", panel)
    assert custom.code == 0, custom.err
    assert body(custom.out) == body(default.out)
    assert f"## panel: 49 genes from {panel} (sha256 " in custom.out


def test_a_gene_the_panel_lacks_is_annotated_from_its_gff_model(tmp_path: Path) -> None:
    gff = renamed_models("JAM2", "LABGENE1", tmp_path / "lab.gff3")
    panel = tmp_path / "panel.tsv"
    panel.write_text("gene\tinheritance\tgroup\n# a lab's list\nGALNT3\tAD\t.\nLABGENE1\tAR\tlab genes\n")
    models = {t.gene: t for t in read_transcripts(models_gff3("GRCh38"))}
    t, galnt3 = models["JAM2"], models["GALNT3"]
    coding, galnt3_coding = (m.genomic_of(m.coding_cdna[0] + 30) for m in (t, galnt3))
    vcf = tmp_path / "in.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n##contig=<ID=chr2,length=242193529>\n##contig=<ID=chr21,length=46709983>\n"
                   '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n'
                   "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
                   f"chr2\t{galnt3_coding}\t.\tA\tG\t50\tPASS\t.\tGT\t0/1\n"
                   f"chr21\t{coding}\t.\tA\tG\t50\tPASS\t.\tGT\t1/1\n")
    shipped_rows = table(run_cli(vcf, "-q").out)
    result = run_cli(vcf, "-q", "--panel", panel, "--gff", gff)
    assert result.code == 0, result.err
    rows = {r["gene"]: r for r in table(result.out)}
    assert sorted(rows) == ["GALNT3", "LABGENE1"]
    lab, jam2 = rows["LABGENE1"], next(r for r in shipped_rows if r["gene"] == "JAM2")
    assert (lab["panel_group"], lab["ensembl_transcript"], lab["transcript"]) == ("lab genes", t.id, t.refseq)
    assert (lab["consequence"], lab["hgvs_c"], lab["exon"]) == (jam2["consequence"], jam2["hgvs_c"], jam2["exon"])
    assert lab["inheritance_flags"].split(";")[0] == "AR_hom"
    assert rows["GALNT3"]["inheritance_flags"].split(";")[0] == "AD"  # the file's mode replaces the shipped AR
    assert "## panel: 2 genes from" in result.out and f"models from --gff {gff}" in result.out


@pytest.mark.parametrize(("text", "gff", "message"), [
    ("gene\nLABGENE1\n", False, "--panel {panel}: LABGENE1 is not a shipped panel gene, so it needs a transcript "
                                "model: give --gff MODELS with it"),
    ("gene\nNOSUCHGENE\n", True, "--panel {panel}: no transcript of NOSUCHGENE in --gff {gff}"),
    ("gene\tinheritance\nGALNT3\tAR;XL\n", False, "{panel}: line 2: inheritance 'XL' is not one of AR, AD, XLR, XLD"),
    ("gene\tmode\nGALNT3\tAR\n", False, "{panel}: line 1: header must name the columns gene, inheritance, group, "
                                        "disorders"),
    ("gene\nGALNT3\ngalnt3\n", False, "{panel}: line 3: gene galnt3 is listed twice"),
    ("gene\tgroup\nGALNT3\n", False, "{panel}: line 2: 1 tab-separated cells where the header has 2"),
    ("gene\tgroup\nGALNT3\tcaf\xe9\n".encode("cp1252"), False,
     "{panel}: line 2: not UTF-8 text (save it as UTF-8 tab-separated text)"),
])
def test_bad_panel_files_are_refused(tmp_path: Path, text: str | bytes, gff: bool, message: str) -> None:
    panel = tmp_path / "panel.tsv"
    panel.write_bytes(text if isinstance(text, bytes) else text.encode())
    models = renamed_models("JAM2", "LABGENE1", tmp_path / "lab.gff3")
    output = tmp_path / "out.tsv"
    result = run_cli(REPO / "example_vcfs" / "single_exome.vcf", "--panel", panel, "-o", output,
                     *(["--gff", models] if gff else []))
    assert result.code == 2 and result.err.count("\n") == 1, result.err
    assert message.format(panel=panel, gff=models) in result.err
    assert not output.exists()


def test_a_panel_file_with_a_byte_order_mark_reads_as_without(tmp_path: Path) -> None:
    """Excel's 'CSV UTF-8' and Windows editors open the file with a byte order mark: it is no part of 'gene'."""
    panel = tmp_path / "panel.tsv"
    panel.write_bytes(b"\xef\xbb\xbfgene\tgroup\r\nGALNT3\tmine\r\n")
    assert read_panel_file(str(panel)) == {"GALNT3": {"group": "mine"}}


def test_panel_cells_are_read_as_the_shipped_facts_write_them(tmp_path: Path) -> None:
    panel = tmp_path / "panel.tsv"
    panel.write_text("gene\tinheritance\tgroup\nGALNT3\t AD ; AR/XLD \t.\nFGF23\t.\tmine\n")
    assert read_panel_file(str(panel)) == {"GALNT3": {"inheritance": "AD;AR/XLD"}, "FGF23": {"group": "mine"}}


def test_a_panel_saved_by_a_spreadsheet_with_quoted_cells_reads_as_typed(tmp_path: Path) -> None:
    """Excel's 'Text (Tab delimited)' writes a cell holding a comma or a quote as "..." (quotes doubled): the quotes
    were kept in the disorders, which then no longer parsed, so ENPP1's dominant-disorder caveat was lost and its AD
    flag rose from tier 2 to tier 1 (confidence low to medium)."""
    def excel(cell: str) -> str:
        return '"' + cell.replace('"', '""') + '"' if "," in cell or '"' in cell else cell

    listing = run_cli("panel", "--format", "tsv").out
    panel = tmp_path / "excel.tsv"
    panel.write_bytes("".join("\t".join(map(excel, line.split("\t"))) + "\r\n"
                              for line in listing.splitlines()).encode())
    assert b'\t"Tumoral calcinosis, hyperphosphatemic, familial, 1 [OMIM:211900] (AR)"\r\n' in panel.read_bytes()
    quoted = tmp_path / "quoted.tsv"
    quoted.write_text('"gene"\tdisorders\n"GALNT3"\t"A ""quoted"" name, 1 [OMIM:1] (AR)"\n')
    assert read_panel_file(str(quoted)) == {"GALNT3": {"disorders": 'A "quoted" name, 1 [OMIM:1] (AR)'}}
    vcf, ped = REPO / "example_vcfs" / "trio.vcf", REPO / "example_vcfs" / "trio.ped"
    shipped, custom = tmp_path / "shipped.sum", tmp_path / "custom.sum"
    assert run_cli(vcf, "--ped", ped, "-q", "--summary", shipped).code == 0
    result = run_cli(vcf, "--ped", ped, "-q", "--panel", panel, "--summary", custom)
    assert result.code == 0, result.err
    assert body(custom.read_text()) == body(shipped.read_text())
    enpp1 = next(line.split("\t") for line in custom.read_text().splitlines() if "\tENPP1\t" in line)
    assert enpp1[1:5] == ["ENPP1", "heterozygous in an autosomal dominant gene", "low", "2"]
    assert body(result.out) == body(run_cli(vcf, "--ped", ped, "-q").out)


def test_a_panel_run_with_regions_says_so_and_does_not_merge_as_a_panel_run(tmp_path: Path) -> None:
    """--panel with --regions: the preamble named the panel file and a padding, not the BED that chose the records,
    and merge joined it with a plain --panel report of other targets as if both covered the padded genes."""
    panel, bed = tmp_path / "panel.tsv", tmp_path / "t.bed"
    panel.write_text("gene\nGALNT3\n")
    bed.write_text("chr2\t165000000\t165760000\tX\n")
    vcf = REPO / "example_vcfs" / "single_exome.vcf"
    with_bed, without = tmp_path / "a.tsv", tmp_path / "b.tsv"
    assert run_cli(vcf, "-q", "--panel", panel, "--regions", bed, "-o", with_bed).code == 0
    assert run_cli(vcf, "-q", "--panel", panel, "-o", without).code == 0
    digest = hashlib.sha256(panel.read_bytes()).hexdigest()
    lines = [line for line in with_bed.read_text().splitlines() if line.startswith(("## panel", "## regions"))]
    assert lines == [f"## regions: {bed} (1 BED regions, genes from {panel} (sha256 {digest}; shipped MANE Select "
                     "models))"]
    merged = run_cli("merge", with_bed, without, "-o", tmp_path / "m.tsv")
    assert (merged.code, merged.err) == (2, f"hftc-annot: error: {with_bed}: the report has no '## input:' or "
                                            "'## panel: …, padding N bp' line (a --regions report cannot be merged)\n")
    assert not (tmp_path / "m.tsv").exists()


def test_shards_of_a_custom_panel_merge_into_the_unsharded_report(tmp_path: Path) -> None:
    panel = tmp_path / "panel.tsv"
    panel.write_text(run_cli("panel", "--format", "tsv").out)
    vcf = REPO / "example_vcfs" / "trio.vcf"
    ped = REPO / "example_vcfs" / "trio.ped"
    whole = run_cli(vcf, "--ped", ped, "--panel", panel, "-q")
    parts = []
    for k in (1, 2):
        parts.append(tmp_path / f"part{k}.tsv")
        assert run_cli(vcf, "--ped", ped, "--panel", panel, "-q", "--shard", f"{k}/2", "-o", parts[-1]).code == 0
    merged = run_cli("merge", *parts)
    assert merged.code == 0, merged.err
    assert body(merged.out) == body(whole.out)
    digest = hashlib.sha256(panel.read_bytes()).hexdigest()
    assert f"## panel: 49 genes (merged from {panel} (sha256 {digest}; shipped MANE Select models)), padding 5000 " \
        "bp\n" in merged.out
