"""Write ``tests/data/lrg_col1a1_col1a2.fa.gz`` from the LRG XML files (run by hand, not by the tests).

Usage::

    python3 tests/oracle/make_lrg_fasta.py /work/shared/data/raw/lrg_xml tests/data/lrg_col1a1_col1a2.fa.gz

Each record is the ``<fixed_annotation><sequence>`` text of ``LRG_1.xml`` / ``LRG_2.xml`` byte for byte
(upper-case A/C/G/T, wrapped at 60 columns), named ``LRG_1`` / ``LRG_2``. The description line names the gene
and the GRCh38 placement read from the XML's ``main_assembly`` mapping. The gzip stream is deterministic
(mtime 0, no file name in the header), so re-running gives identical bytes.
"""

from __future__ import annotations

import gzip
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

LRGS = (("LRG_1", "COL1A1"), ("LRG_2", "COL1A2"))


def lrg_record(xml_path: Path, gene: str) -> tuple[str, str]:
    """(FASTA header, sequence) for one LRG XML file."""
    root = ET.parse(xml_path).getroot()
    lrg_id = root.findtext("fixed_annotation/id")
    seq = root.findtext("fixed_annotation/sequence")
    source = root.findtext("fixed_annotation/sequence_source")
    if not lrg_id or not seq or set(seq) - set("ACGT"):
        raise ValueError(f"{xml_path}: no clean fixed_annotation sequence")
    main = [m for m in root.iter("mapping") if m.get("type") == "main_assembly"]
    if len(main) != 1:
        raise ValueError(f"{xml_path}: expected one main_assembly mapping, found {len(main)}")
    m = main[0]
    spans = m.findall("mapping_span")
    if len(spans) != 1 or spans[0].get("lrg_start") != "1" or spans[0].get("lrg_end") != str(len(seq)):
        raise ValueError(f"{xml_path}: main_assembly mapping is not one span over the whole LRG")
    strand = "+" if spans[0].get("strand") == "1" else "-"
    placement = f"{m.get('coord_system')} chr{m.get('other_name')}:{m.get('other_start')}-{m.get('other_end')} {strand}"
    header = f"{lrg_id} {gene} {source} fixed_annotation/sequence; {placement}"
    return header, seq


def fasta_bytes(records: list[tuple[str, str]], width: int = 60) -> bytes:
    lines: list[str] = []
    for header, seq in records:
        lines.append(">" + header)
        lines.extend(seq[i:i + width] for i in range(0, len(seq), width))
    return ("\n".join(lines) + "\n").encode("ascii")


def write_deterministic_gzip(data: bytes, out: Path) -> None:
    with out.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(data)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    xml_dir, out = Path(argv[1]), Path(argv[2])
    records = [lrg_record(xml_dir / f"{lrg}.xml", gene) for lrg, gene in LRGS]
    write_deterministic_gzip(fasta_bytes(records), out)
    for header, seq in records:
        print(f"{header}  ({len(seq)} bp)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
