"""Write the csq suite: per case a SYNTHETIC contig (.fa), its one gene (.gff, Ensembl GFF3 style) and variants
(.vcf) whose INFO holds the expected consequence (EXP_CSQ), HGVS c./n. (EXP_HGVSC) and HGVS p. (EXP_HGVSP).

The sequence is made up: seeded random filler, then each gene's exons, introns (GT..AG with a donor consensus,
branch point and polypyrimidine tract), UTRs and a codon-by-codon designed CDS placed in code. Expectations are
written by hand below (VEP's terms and combination rules, HGVS nomenclature), never computed by hftc-annot; this
script only checks that each REF matches the sequence and that indels are left-aligned as VCF wants.

    python tests/data/csq_suite/make_suite.py      # rewrites the files next to it (byte-identical on a re-run)
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20240614
DONOR = "GTAAGTGCCT"  # intron bases +1..+10: GT, then +3 A, +4 A, +5 G, +6 T, +7 G, +8 C
ACCEPTOR = "CTGACTCCTTTCTTCCCTTCTTCAG"  # intron bases -25..-1: branch point CTGAC, pyrimidine tract, CAG
# ACCEPTOR from the 3' end: -1 G, -2 A, -3 C, -4 T, -5 T, -6 C, -7 T, -8 T, -9 C, -10 C, -11 C, -12 T, -13 T,
# -14 C, -15 T, -16 T, -17 T
_COMPLEMENT = str.maketrans("ACGT", "TGCA")
_HGVS = re.compile(r"^([cn])\.([-*]?)(\d+)([-+]\d+)?$")


def revcomp(seq: str) -> str:
    """Reverse complement of upper-case DNA."""
    return seq.translate(_COMPLEMENT)[::-1]


@dataclass
class Gene:
    """One gene with one transcript; `up`, exons, introns and `down` are sequence 5'->3' on the gene's strand."""

    contig: str
    symbol: str
    number: int
    strand: str
    biotype: str  # protein_coding or lncRNA
    up: str
    exons: list[str]
    introns: list[str]
    down: str
    utr5: int = 0  # bases of 5' UTR (coding genes), all in the first exon here
    utr3: int = 0  # bases of 3' UTR, all in the last exon here
    cases: list[tuple[str, str, str, str, str, str, str]] = field(default_factory=list)

    @property
    def sense(self) -> str:
        """The whole contig 5'->3' on the gene's strand."""
        body = "".join(e + i for e, i in zip(self.exons, [*self.introns, ""], strict=True))
        return self.up + body + self.down

    @property
    def length(self) -> int:
        return len(self.sense)

    @property
    def genome(self) -> str:
        """The contig on the plus strand, as the FASTA holds it."""
        return self.sense if self.strand == "+" else revcomp(self.sense)

    @property
    def mrna_length(self) -> int:
        return sum(map(len, self.exons))

    def _to_genome(self, s: int) -> int:
        """Genomic position of a 1-based position in `sense`."""
        return s if self.strand == "+" else self.length + 1 - s

    def exon_spans(self) -> list[tuple[int, int]]:
        """Genomic 1-based (low, high) of the exons in transcript order."""
        spans, at = [], len(self.up) + 1
        for k, exon in enumerate(self.exons):
            ends = sorted((self._to_genome(at), self._to_genome(at + len(exon) - 1)))
            spans.append((ends[0], ends[1]))
            at += len(exon) + (len(self.introns[k]) if k < len(self.introns) else 0)
        return spans

    def sense_position(self, cdna: int) -> int:
        """1-based position in `sense` of a cDNA position (continuing linearly beyond the transcript's ends)."""
        if cdna < 1:
            return len(self.up) + cdna
        at, done = len(self.up) + 1, 0
        for k, exon in enumerate(self.exons):
            if cdna <= done + len(exon):
                return at + cdna - done - 1
            done += len(exon)
            at += len(exon) + (len(self.introns[k]) if k < len(self.introns) else 0)
        return at - 1 + cdna - done  # past the last exon

    def genomic(self, hgvs: str) -> int:
        """Genomic position of a c./n. position such as 'c.-12', 'c.60+5', 'c.*8', 'n.331-2', 'n.*100'."""
        found = _HGVS.match(hgvs)
        if not found:
            raise ValueError(hgvs)
        kind, sign, number, offset = found.groups()
        n = int(number)
        first = self.utr5 + 1 if kind == "c" else 1  # cDNA position of c.1 / n.1
        last = self.mrna_length - self.utr3 if kind == "c" else self.mrna_length  # of c.*0 / n.*0
        cdna = first - n if sign == "-" else last + n if sign == "*" else first + n - 1
        return self._to_genome(self.sense_position(cdna) + (int(offset) if offset else 0))

    @property
    def cds(self) -> str:
        mrna = "".join(self.exons)
        return mrna[self.utr5:len(mrna) - self.utr3]


def filler(rng: random.Random, n: int) -> str:
    """Random sequence (about 42% GC)."""
    return "".join(rng.choices("ACGT", weights=(29, 21, 21, 29), k=n))


def intron(rng: random.Random, n: int) -> str:
    return DONOR + filler(rng, n - len(DONOR) - len(ACCEPTOR)) + ACCEPTOR


def codons(text: str) -> str:
    """A CDS written as codons separated by spaces (amino acids in the comments next to it)."""
    return "".join(text.split())


def gene_a(rng: random.Random) -> Gene:
    """MINIA, plus strand, 3 exons: 5' UTR 100 bp, CDS 90 aa + stop (60 + 123 + 90 bp), 3' UTR 350 bp."""
    cds = codons(
        "ATG GCG TCC AAG CTG CCA GAG GAG GAG TTC ACC TGG CGC AGC CTG GAA AAC CCA GCC CAG"  # 1-20 MASKLPEEEFTWRSLENPAQ
        " GGC AAA AAA GAT CTG TGG TAC GCC ATC GAG AAG CTG CGT GAA TAC CCC GTG ACC TTC CAG"  # 21-40 GKKDLWYAIEKLREYPVTFQ
        " AAC GTC TCT GGA CTC AGA TTG CAT GAC ATG AAA GCT ACT TGT CCG GAA ATC CGC TAT GCC"  # 41-60 NVSGLRLHDMKATCPEIRYA
        " AAG"  # 61 K (end of exon 2)
        " GTC CAG GCA TTT GAC CGG CTG ACA TCG GAG GTA CCT GCT TGG AAG ACC AGC GTT CGC ATT"  # 62-81 VQAFDRLTSEVPAWKTSVRI
        " GAT CCA CTC TAC GGC AAA GAG CTG AGC TAA")  # 82-91 DPLYGKELS*
    utr5 = filler(rng, 81) + "AGCTTCCGAGGCCGCCACC"  # c.-19..c.-1 designed (Kozak GCCGCCACC)
    utr3 = "GACTTTTTCTGAAGCCTG" + filler(rng, 312) + "AATAAAGCTTGCATTGCCAG"  # c.*1..*18 designed
    g = Gene("ctgA", "MINIA", 1, "+", "protein_coding", filler(rng, 500),
             [utr5 + cds[:60], cds[60:183], cds[183:] + utr3], [intron(rng, 420), intron(rng, 380)],
             filler(rng, 400), utr5=len(utr5), utr3=len(utr3))
    g.cases = [
        # id, VCF POS as c. position, REF, ALT (plus strand), EXP_CSQ, EXP_HGVSC, EXP_HGVSP
        ("A01", "c.-300", "A", "C", "upstream_gene_variant", ".", "."),  # 200 bp 5' of the transcript
        ("A02", "c.-12", "G", "A", "5_prime_UTR_variant", "c.-12G>A", "."),
        # GCG inserted between c.2 T and c.3 G (left-aligned); 3' shifted: CGG between c.3 and c.4. ATG stays:
        # ATG CGG GCG = Met Arg Ala
        ("A03", "c.2", "T", "TGCG", "inframe_insertion&start_retained_variant", "c.3_4insCGG",
         "p.(Met1_Ala2insArg)"),
        ("A04", "c.6", "G", "A", "synonymous_variant", "c.6G>A", "p.(Ala2=)"),  # GCG>GCA
        ("A05", "c.11", "A", "G", "missense_variant", "c.11A>G", "p.(Lys4Arg)"),  # AAG>AGG
        # GAG x3 (codons 7-9, c.19-27) gains a copy: VCF anchor c.18 A; the 3'-most copy is c.25_27
        ("A06", "c.18", "A", "AGAG", "inframe_insertion", "c.25_27dup", "p.(Glu9dup)"),
        # CGC AGC (Arg13 Ser14) > GAT (Asp): a length-changing delins
        ("A07", "c.37", "CGCAGC", "GAT", "protein_altering_variant", "c.37_42delinsGAT",
         "p.(Arg13_Ser14delinsAsp)"),
        ("A08", "c.60", "G", "A", "splice_region_variant&synonymous_variant", "c.60G>A", "p.(Gln20=)"),  # CAG>CAA
        ("A09", "c.60+1", "G", "A", "splice_donor_variant", "c.60+1G>A", "."),
        ("A10", "c.60+3", "A", "G", "splice_donor_region_variant&intron_variant", "c.60+3A>G", "."),
        ("A11", "c.60+5", "G", "C", "splice_donor_5th_base_variant&intron_variant", "c.60+5G>C", "."),
        ("A12", "c.60+150", "C", "G", "intron_variant", "c.60+150C>G", "."),
        ("A13", "c.61", "G", "A", "missense_variant&splice_region_variant", "c.61G>A", "p.(Gly21Ser)"),  # GGC>AGC
        # one A fewer in AAAAAA (c.64-69): VCF anchor c.63 C; the 3'-most A is c.69
        ("A14", "c.63", "CA", "C", "frameshift_variant", "c.69del", "p.(Asp24IlefsTer14)"),
        ("A15", "c.77", "G", "A", "stop_gained", "c.77G>A", "p.(Trp26Ter)"),  # TGG>TAG
        ("A16", "c.183+7", "G", "A", "splice_region_variant&intron_variant", "c.183+7G>A", "."),
        ("A17", "c.239", "G", "A", "missense_variant", "c.239G>A", "p.(Arg80His)"),  # CGC>CAC, last exon
        ("A18", "c.271", "T", "C", "stop_lost", "c.271T>C", "p.(Ter91GlnextTer4)"),  # CAA GAC TTT TTC TGA
        ("A19", "c.273", "A", "G", "stop_retained_variant", "c.273A>G", "p.(Ter91=)"),  # TAA>TAG
        # one T fewer in TTTTT (c.*4-*8): VCF anchor c.*3 C; the 3'-most T is c.*8
        ("A20", "c.*3", "CT", "C", "3_prime_UTR_variant", "c.*8del", "."),
    ]
    return g


def gene_b(rng: random.Random) -> Gene:
    """MINIB, minus strand, 4 exons: 5' UTR 80 bp, CDS 99 aa + stop (45 + 96 + 111 + 48 bp), 3' UTR 250 bp.
    REF and ALT of the cases are plus-strand (the complement of the transcript's bases)."""
    cds = codons(
        "ATG CCT GAA ACG TTC AGC GGT CAC CTG GAG ATC ACA AAC TGG CAG"  # 1-15 MPETFSGHLEITNWQ (exon 1)
        " GAT CCT TTC GGG GCA AAC TAC GAG CCC ATG CGT GTC ACA AGC TCG GAC"  # 16-31 DPFGANYEPMRVTSSD
        " TTC GCT ACC TGC AAG GAC CTC ATA TGG CCA GAA AAC GTG CTT TCG CAG"  # 32-47 FATCKDLIWPENVLSQ (end exon 2)
        " GCC TAC AAG CTG CTG CTG AAC GAT TTC ACC CGA GTG CAG ATT CCT GAC AGC TGG CAC"  # 48-66 AYKLLLNDFTRVQIPDSWH
        " GTC AAA GAG TTC CGC ACC GGA TAC CTG AAC GCC ATC GAA CCT TCA GAG ATC AAG"  # 67-84 VKEFRTGYLNAIEPSEIK
        " GAG CAG TTC GCC AAG CGC ATC TGG ACC GAC CTG TAC AGC CCA GGC TGA")  # 85-100 EQFAKRIWTDLYSPG* (exon 4)
    utr5 = filler(rng, 60) + "GTCAGACTTCAGCAGCCACC"  # c.-20..c.-1 designed
    utr3 = "GCAGGACCTTGAA" + filler(rng, 217) + "AATAAAGCATTTGCTGTCCA"
    g = Gene("ctgB", "MINIB", 2, "-", "protein_coding", filler(rng, 400),
             [utr5 + cds[:45], cds[45:141], cds[141:252], cds[252:] + utr3],
             [intron(rng, 350), intron(rng, 300), intron(rng, 280)], filler(rng, 600),
             utr5=len(utr5), utr3=len(utr3))
    g.cases = [
        ("B01", "c.*450", "C", "G", "downstream_gene_variant", ".", "."),  # 200 bp 3' of the transcript
        ("B02", "c.*20", "T", "A", "3_prime_UTR_variant", "c.*20A>T", "."),
        ("B03", "c.256", "G", "A", "stop_gained", "c.256C>T", "p.(Gln86Ter)"),  # CAG>TAG, last exon
        ("B04", "c.253-12", "A", "C", "splice_polypyrimidine_tract_variant&intron_variant", "c.253-12T>G", "."),
        # CTG x3 (codons 51-53, c.151-159) loses one; plus strand TCAGCAGCAG: VCF anchor is c.160's base (T)
        ("B05", "c.160", "TCAG", "T", "inframe_deletion", "c.157_159del", "p.(Leu53del)"),
        ("B06", "c.142-2", "T", "C", "splice_acceptor_variant", "c.142-2A>G", "."),
        ("B07", "c.142-5", "A", "C", "splice_region_variant&splice_polypyrimidine_tract_variant&intron_variant",
         "c.142-5T>G", "."),
        ("B08", "c.141+4", "T", "C", "splice_donor_region_variant&intron_variant", "c.141+4A>G", "."),
        ("B09", "c.141+100", "A", "C", "intron_variant", "c.141+100T>G", "."),
        ("B10", "c.77", "C", "T", "missense_variant", "c.77G>A", "p.(Arg26His)"),  # CGT>CAT
        # one G more in GGGG (c.55-58): plus strand CCCC, VCF anchor is c.59's base (G); 3'-most: c.58dup
        ("B11", "c.59", "G", "GC", "frameshift_variant", "c.58dup", "p.(Ala20GlyfsTer44)"),
        ("B12", "c.45", "C", "T", "splice_region_variant&synonymous_variant", "c.45G>A", "p.(Gln15=)"),  # CAG>CAA
        ("B13", "c.45+2", "A", "G", "splice_donor_variant", "c.45+2T>C", "."),
        ("B14", "c.2", "A", "G", "start_lost", "c.2T>C", "p.(Met1?)"),  # ATG>ACG
        ("B15", "c.-30", "A", "C", "5_prime_UTR_variant", "c.-30T>G", "."),
        ("B16", "c.-280", "G", "T", "upstream_gene_variant", ".", "."),  # 200 bp 5' of the transcript
    ]
    return g


def gene_c(rng: random.Random) -> Gene:
    """MINIC, plus strand, one exon: 5' UTR 60 bp, CDS 119 aa + stop (360 bp), 3' UTR 240 bp."""
    sense = [c for c in (a + b + d for a in "ACGT" for b in "ACGT" for d in "ACGT") if c not in ("TAA", "TAG", "TGA")]
    cds = codons(
        "ATG GAC TCT CGC AAG ATC TTC GCA CAC ACA GGT CTG"  # 1-12 MDSRKIFAHTGL
        " " + " ".join(rng.choice(sense) for _ in range(107)) +  # 13-119 seeded random sense codons
        " TAG")  # 120 stop
    utr5 = filler(rng, 44) + "CAGCGGAGCCGCCACC"  # c.-16..c.-1 designed
    utr3 = "CTGCCATAAGC" + filler(rng, 209) + "AATAAAGCTTTCCTCAGCTG"
    g = Gene("ctgC", "MINIC", 3, "+", "protein_coding", filler(rng, 600), [utr5 + cds + utr3], [],
             filler(rng, 600), utr5=len(utr5), utr3=len(utr3))
    g.cases = [
        ("C01", "c.-160", "A", "C", "upstream_gene_variant", ".", "."),  # 100 bp 5' of the transcript
        ("C02", "c.-60", "C", "G", "5_prime_UTR_variant", "c.-60C>G", "."),  # the first base of the transcript
        ("C03", "c.-1", "C", "T", "5_prime_UTR_variant", "c.-1C>T", "."),
        ("C04", "c.4", "GA", "TT", "missense_variant", "c.4_5delinsTT", "p.(Asp2Phe)"),  # GAC>TTC
        # one CA fewer in (CA)4 (c.23-30): VCF anchor c.22 G; the 3'-most copy is c.29_30
        ("C05", "c.22", "GCA", "G", "frameshift_variant", "c.29_30del", "p.(Thr10ArgfsTer16)"),
        ("C06", "c.21", "C", "T", "synonymous_variant", "c.21C>T", "p.(Phe7=)"),  # TTC>TTT
        ("C07", "c.359", "A", "G", "stop_lost", "c.359A>G", "p.(Ter120TrpextTer3)"),  # TGG CTG CCA TAA
        ("C08", "c.*1", "C", "G", "3_prime_UTR_variant", "c.*1C>G", "."),
        ("C09", "c.*240", "G", "A", "3_prime_UTR_variant", "c.*240G>A", "."),  # the last base of the transcript
        ("C10", "c.*340", "T", "A", "downstream_gene_variant", ".", "."),
    ]
    return g


def gene_d(rng: random.Random) -> Gene:
    """MINID, minus strand, non-coding (lncRNA), 3 exons of 180, 150 and 500 bp."""
    exon3 = filler(rng, 30) + "TGCAAAAAGT" + filler(rng, 440) + "AATAAAGCTGCTTTGCTCAC"  # n.364-368 AAAAA
    g = Gene("ctgD", "MINID", 4, "-", "lncRNA", filler(rng, 400),
             [filler(rng, 180), filler(rng, 150), exon3], [intron(rng, 300), intron(rng, 400)], filler(rng, 400))
    g.cases = [
        ("D01", "n.-200", "C", "G", "upstream_gene_variant", ".", "."),
        ("D02", "n.45", "G", "T", "non_coding_transcript_exon_variant", "n.45C>A", "."),
        ("D03", "n.180+1", "C", "T", "splice_donor_variant&non_coding_transcript_variant", "n.180+1G>A", "."),
        ("D04", "n.180+4", "T", "C", "splice_donor_region_variant&intron_variant&non_coding_transcript_variant",
         "n.180+4A>G", "."),
        ("D05", "n.180+5", "C", "G",
         "splice_donor_5th_base_variant&intron_variant&non_coding_transcript_variant", "n.180+5G>C", "."),
        ("D06", "n.180+60", "A", "C", "intron_variant&non_coding_transcript_variant", "n.180+60T>G", "."),
        ("D07", "n.182", "T", "A", "splice_region_variant&non_coding_transcript_exon_variant", "n.182A>T", "."),
        ("D08", "n.331-2", "T", "C", "splice_acceptor_variant&non_coding_transcript_variant", "n.331-2A>G", "."),
        ("D09", "n.331-10", "G", "T",
         "splice_polypyrimidine_tract_variant&intron_variant&non_coding_transcript_variant", "n.331-10C>A", "."),
        # one A fewer in AAAAA (n.364-368): plus strand TTTTT, VCF anchor is n.369's base (C); 3'-most: n.368
        ("D10", "n.369", "CT", "C", "non_coding_transcript_exon_variant", "n.368del", "."),
        ("D11", "n.*150", "C", "G", "downstream_gene_variant", ".", "."),
    ]
    return g


def fasta_text(g: Gene) -> str:
    seq = g.genome
    lines = [f">{g.contig} synthetic sequence for the hftc-annot csq suite, not real genome"]
    return "\n".join(lines + [seq[i:i + 60] for i in range(0, len(seq), 60)]) + "\n"


def gff_text(g: Gene) -> str:
    """Ensembl GFF3 style: gene, mRNA/lnc_RNA, exon, CDS (with phase, stop codon included), UTR lines."""
    gid, tid, pid = f"SYNG{g.number:07d}", f"SYNT{g.number:07d}", f"SYNP{g.number:07d}"
    spans = g.exon_spans()
    low, high = min(s for s, _ in spans), max(e for _, e in spans)
    coding = g.biotype == "protein_coding"
    kind = "mRNA" if coding else "lnc_RNA"

    def line(feature: str, start: int, end: int, attrs: str, phase: str = ".") -> str:
        return "\t".join([g.contig, "csq_suite", feature, str(start), str(end), ".", g.strand, phase, attrs])

    rows = [line("gene", low, high, f"ID=gene:{gid};Name={g.symbol};biotype={g.biotype};gene_id={gid};version=1"),
            line(kind, low, high, f"ID=transcript:{tid};Parent=gene:{gid};Name={g.symbol}-201;biotype={g.biotype};"
                 f"tag=Ensembl_canonical;transcript_id={tid};version=1")]
    cds_lo = cds_hi = 0
    if coding:
        ends = sorted((g.genomic("c.1"), g.genomic(f"c.{len(g.cds)}")))
        cds_lo, cds_hi = ends
    done = 0
    for rank, (start, end) in enumerate(spans, 1):
        parent = f"Parent=transcript:{tid}"
        rows.append(line("exon", start, end, f"{parent};Name={tid}.exon{rank};rank={rank}"))
        if not coding:
            continue
        low_utr, high_utr = ("five_prime_UTR", "three_prime_UTR")[::1 if g.strand == "+" else -1]
        if start < cds_lo:
            rows.append(line(low_utr, start, min(end, cds_lo - 1), parent))
        lo, hi = max(start, cds_lo), min(end, cds_hi)
        if lo <= hi:
            rows.append(line("CDS", lo, hi, f"ID=CDS:{pid};{parent};protein_id={pid}", str((3 - done % 3) % 3)))
            done += hi - lo + 1
        if end > cds_hi:
            rows.append(line(high_utr, max(start, cds_hi + 1), end, parent))
    rows = [rows[0], rows[1], *sorted(rows[2:], key=lambda r: int(r.split("\t")[3]))]
    return "##gff-version 3\n" + f"##sequence-region {g.contig} 1 {g.length}\n" + "\n".join(rows) + "\n"


def vcf_text(g: Gene) -> str:
    """VCFv4.2 with the expectations in INFO ('=' inside a value is written %3D)."""
    header = [
        "##fileformat=VCFv4.2",
        f"##contig=<ID={g.contig},length={g.length}>",
        "##INFO=<ID=EXP_CSQ,Number=1,Type=String,Description=\"Expected SO terms, most severe first (VEP rules)\">",
        "##INFO=<ID=EXP_HGVSC,Number=1,Type=String,Description=\"Expected HGVS c./n. without reference ('.' none)\">",
        "##INFO=<ID=EXP_HGVSP,Number=1,Type=String,Description=\"Expected HGVS p. without reference ('.' none); "
        "'=' written %3D\">",
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">",
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1",
    ]
    seq = g.genome
    records = []
    for case, anchor, ref, alt, csq, hgvs_c, hgvs_p in g.cases:
        pos = g.genomic(anchor)
        assert seq[pos - 1:pos - 1 + len(ref)] == ref, (case, seq[pos - 1:pos - 1 + len(ref)], ref)
        if len(ref) != len(alt) and ref[0] == alt[0]:  # an indel: VCF wants it left-aligned
            longer = ref if len(ref) > len(alt) else alt
            assert longer[-1] != ref[0], f"{case} is not left-aligned"
        info = f"EXP_CSQ={csq};EXP_HGVSC={hgvs_c};EXP_HGVSP={hgvs_p.replace('=', '%3D')}"
        records.append((pos, f"{g.contig}\t{pos}\t{case}\t{ref}\t{alt}\t50\tPASS\t{info}\tGT\t0/1"))
    return "\n".join(header + [r for _, r in sorted(records)]) + "\n"


def files() -> dict[str, str]:
    """Every file of the suite (name -> text), as main writes them."""
    rng = random.Random(SEED)
    built = [make(rng) for make in (gene_a, gene_b, gene_c, gene_d)]
    out = {}
    for g in built:
        out[f"{g.contig}.fa"], out[f"{g.contig}.gff"], out[f"{g.contig}.vcf"] = fasta_text(g), gff_text(g), vcf_text(g)
    modes = ("AR", "AD", "AR", "AD")
    rows = ["gene\tinheritance", *(f"{g.symbol}\t{m}" for g, m in zip(built, modes, strict=True))]
    out["panel.tsv"] = "\n".join(rows) + "\n"
    return out


def main(where: Path = HERE) -> None:
    for name, text in files().items():
        (where / name).write_text(text)


if __name__ == "__main__":
    main()
