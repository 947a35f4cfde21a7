#pragma once

#include <string>
#include <vector>

namespace benchtop::text {

/// What mergeEmbeddingParts() wrote.
struct MergedEmbeddings {
    std::size_t parts = 0;
    std::size_t texts = 0;
    std::vector<std::string> files;  ///< final paths, in writing order
};

/// Combines the result folders of the parts of one split text job (`run --shard I/N`, folders
/// "<name>.shard-I-of-N") into `outDir`, with exactly the files one run writes: embeddings.npy (rows in input
/// order, same dtype), texts.jsonl and sparse.jsonl (byte for byte what one run writes: ids were global already),
/// colbert.safetensors (vectors concatenated, offsets shifted) and embedding_info.json (counts, tokens and
/// throughput summed over the parts; no "shard"). Refuses, naming the folders: a folder that is no part of a
/// split text job, parts of different jobs (inputs, model, options, precision, dtype, outputs, part count),
/// a part given twice, missing parts, and an `outDir` that already holds files. Files appear only when all
/// were written (.part, then renamed).
MergedEmbeddings mergeEmbeddingParts(const std::vector<std::string>& partDirs, const std::string& outDir);

/// Whether `dir` is the result folder of a part of a split text job (its embedding_info.json has a "shard").
bool isEmbeddingPart(const std::string& dir);

}  // namespace benchtop::text
