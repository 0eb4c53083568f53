// Annotate every VCF matching params.vcfs with hftc-annot, then merge the per-sample TSV reports into one
// cohort table. See ../README.md. Not run in this repository's CI (no Nextflow engine there).

include { HFTC_ANNOT       } from './modules/local/hftc_annot/main'
include { HFTC_ANNOT_MERGE } from './modules/local/hftc_annot/merge/main'

workflow {
    vcfs = channel
        .fromPath(params.vcfs, checkIfExists: true)
        .map { vcf ->
            def id = vcf.name.replaceAll(/\.(vcf\.gz|vcf|bcf)$/, '')
            def index = [file("${vcf}.tbi"), file("${vcf}.csi")].findAll { it.exists() }
            def ped = params.peds[id] ? file(params.peds[id], checkIfExists: true) : []
            [[id: id], vcf, index, ped]
        }

    HFTC_ANNOT(vcfs)

    cohort = HFTC_ANNOT.out.tsv
        .map { meta, tsv -> tsv }
        .collect(sort: true)
        .map { tsvs -> [[id: params.cohort], tsvs] }
    HFTC_ANNOT_MERGE(cohort)
}
