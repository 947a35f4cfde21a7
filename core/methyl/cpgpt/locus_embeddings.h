#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace benchtop::methyl::cpgpt {

/// The DNA embeddings and genomic positions of a model's input CpGs, in vocab order: the few rows of CpGPT's
/// multi-gigabyte dependency file that the model reads, kept in the model store as
/// `locus_embeddings.safetensors` (tensors `dna_embeddings` F32 [cpgs, dim] and `positions` I64 [cpgs];
/// metadata: format, the CpG ids, the DNA language model and context length they come from).
struct LocusTable {
    std::vector<std::string> cpgs;
    std::vector<std::int64_t> positions;  ///< position on its chromosome; -1 = no location or no embedding
    int dim = 0;
    std::vector<float> embeddings;  ///< cpgs x dim, row-major; zeros where positions is -1
    std::string dnaLlm;
    int contextLen = 0;

    /// CpGs with a location and an embedding.
    std::size_t located() const;
};

/// Writes `table` to `path` (atomically). Throws benchtop::Error on size mismatches or I/O errors.
void writeLocusTable(const std::string& path, const LocusTable& table);

/// Reads a table written by writeLocusTable(). Throws benchtop::Error naming the file when it is not one,
/// or when its tensors and CpG list disagree.
LocusTable readLocusTable(const std::string& path);

/// What importLocusEmbeddings() found.
struct LocusImportReport {
    std::size_t requested = 0;
    std::size_t located = 0;           ///< CpGs the Illumina manifest index places on the genome
    std::size_t embedded = 0;          ///< ... of which the embedding index has a row
    std::vector<std::string> missing;  ///< CpGs without a location or an embedding (they count as unmeasured)
    std::string embeddingsFile;
};

/// Extracts the rows for `cpgs` from a CpGPT dependencies folder as upstream lays it out
/// (`download_cpgpt(species="human")`): `illumina_metadata.db` maps probe ids to "chrom:position",
/// `ensembl_metadata.db` maps "chrom:position" to a row of
/// `dna_embeddings/<species>/<dnaLlm>/<contextLen>bp_dna_embeddings.mmap` (float32 rows of `dim` values).
/// Both .db files are sqlitedict tables (pickled values, read with the data-only pickle reader). Only the
/// requested rows of the big file are read. Throws benchtop::Error naming the file for anything missing or
/// malformed, or when no requested CpG can be placed.
LocusTable importLocusEmbeddings(const std::string& dependenciesDir, const std::vector<std::string>& cpgs,
                                 const std::string& dnaLlm, int contextLen, int dim,
                                 const std::string& species = "homo_sapiens", LocusImportReport* report = nullptr);

}  // namespace benchtop::methyl::cpgpt
