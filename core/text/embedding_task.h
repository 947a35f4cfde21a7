#pragma once

#include "core/engine/engine.h"
#include "core/engine/task.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace benchtop::text {

/// The text-embedding workload: .txt (one text per line), .csv/.tsv (option `column`) or .jsonl
/// (option `field`) in, `embeddings.npy` + `texts.jsonl` + `embedding_info.json` out; with option
/// `outputs` naming BGE-M3 heads also `sparse.jsonl` (lexical weights) and `colbert.safetensors`
/// ("colbert" [total tokens, D] + "offsets" [n + 1]).
/// Options: `outputs` ("dense,sparse,colbert"; default dense), `max-length` (tokens), `dtype`
/// ("float32" | "float16", for embeddings and ColBERT vectors), `column`, `field`.
engine::TaskKind embeddingTaskKind();

/// The token-budget batching of the task (texts sorted by length within windows) in `precision` ("fp32",
/// "bf16", "fp16"): reduced-precision batches take twice the tokens in the same memory (the matrix products
/// run faster on larger batches; peak stays under 1 GB for a bge-small-sized model).
engine::BatchLimits embeddingBatchLimits(const std::string& precision);

struct BertConfig;
/// Device memory one token of a batch needs at the peak of a layer, for GPU batch budgets (an upper estimate:
/// attention rows are counted at `maxLength`).
std::uint64_t activationBytesPerToken(const BertConfig& config, const std::string& precision, std::size_t maxLength);

struct Encoding;
class Tokenizer;
/// One text tokenized as the text workload (and the server) tokenizes it: stripped as sentence-transformers does,
/// or unstripped as FlagEmbedding's M3Embedder takes it when a BGE-M3 head is asked for; truncated to `maxLength`.
Encoding encodeForEmbedding(const Tokenizer& tokenizer, const std::string& text, bool withHeads, std::size_t maxLength);

/// One input text with where it came from.
struct SourceText {
    std::string text;
    std::string source;  ///< "corpus.txt:12"
};

/// Reads the texts of one input file as the task does (used by the task and by the bench/search commands).
/// Throws benchtop::Error naming the file when it cannot be read or the column/field is missing.
std::vector<SourceText> readTexts(const std::string& path, const std::string& column = {},
                                  const std::string& field = {});

/// Resolves a model reference: an existing folder, else a catalog/repo id via the model store.
std::string resolveTextModel(const std::string& ref);

/// The model-cache key of a text encoder: absolute model folder, precision and heads ("d", "ds", "dsc", ...).
std::string textEncoderCacheKey(const std::string& modelDir, const std::string& precision, const std::string& heads);

/// Embeds `texts` (dense, pooled as the model's job did) with the model in `modelDir` on `device` at `precision`,
/// through `engine`: on the device's thread, with the encoder a job of that model, device and precision left in
/// the engine's model cache (loaded there when none did). Row-major [texts, dimension].
std::vector<float> embedThroughEngine(engine::Engine& engine, const std::string& modelDir, const std::string& device,
                                      const std::string& precision, const std::vector<std::string>& texts);

}  // namespace benchtop::text
