process HFTC_ANNOT_MERGE {
    tag "$meta.id"
    label 'process_single'

    conda "${moduleDir}/environment.yml"

    input:
    tuple val(meta), path(tsvs, stageAs: 'reports/*')

    output:
    tuple val(meta), path("${prefix}.hftc.tsv"), emit: tsv
    path "versions.yml"                        , emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    hftc-annot merge \\
        $args \\
        -o ${prefix}.hftc.tsv \\
        $tsvs

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        hftc-annot: \$(hftc-annot --version | sed 's/^hftc-annot, version //')
    END_VERSIONS
    """

    stub:
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.hftc.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        hftc-annot: \$(hftc-annot --version | sed 's/^hftc-annot, version //')
    END_VERSIONS
    """
}
