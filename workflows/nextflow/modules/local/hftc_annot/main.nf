process HFTC_ANNOT {
    tag "$meta.id"
    label 'process_low'

    conda "${moduleDir}/environment.yml"

    input:
    tuple val(meta), path(vcf), path(index), path(ped)

    output:
    tuple val(meta), path("${prefix}.hftc.tsv")   , emit: tsv
    tuple val(meta), path("${prefix}.hftc.vcf.gz"), emit: vcf
    tuple val(meta), path("${prefix}.hftc.html")  , emit: html
    path "versions.yml"                           , emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def ped_arg = ped ? "--ped ${ped}" : ''
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    hftc-annot \\
        $vcf \\
        $ped_arg \\
        --threads $task.cpus \\
        $args \\
        --report ${prefix}.hftc.html \\
        -o ${prefix}.hftc.tsv
    hftc-annot \\
        $vcf \\
        $ped_arg \\
        --threads $task.cpus \\
        $args \\
        -q \\
        -o ${prefix}.hftc.vcf.gz

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        hftc-annot: \$(hftc-annot --version | sed 's/^hftc-annot, version //')
    END_VERSIONS
    """

    stub:
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.hftc.tsv
    echo "" | gzip > ${prefix}.hftc.vcf.gz
    touch ${prefix}.hftc.html

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        hftc-annot: \$(hftc-annot --version | sed 's/^hftc-annot, version //')
    END_VERSIONS
    """
}
