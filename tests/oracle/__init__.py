"""Independent oracle for consequence prediction: synthetic/LRG reference, saturation variants, bcftools csq."""
