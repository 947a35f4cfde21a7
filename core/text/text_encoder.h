#pragma once

#include "core/text/bert_config.h"
#include "core/text/bge_m3.h"
#include "core/text/tokenizer.h"

#include <memory>
#include <string>
#include <vector>

namespace benchtop::text {

/// Everything encode() computed for one padded batch, rows in batch order.
struct EncoderOutputs {
    size_t rows = 0;
    std::vector<float> dense;                 ///< [rows, dimension()] pooled (empty unless dense was selected)
    std::vector<LexicalWeights> sparse;       ///< per row (empty unless sparse was selected)
    std::vector<std::vector<float>> colbert;  ///< per row [tokens - 1, colbertDimension()] (CLS dropped)
};

/// A sentence-transformers style text embedder: tokenizer + BERT-family encoder + pooling (+ normalize),
/// loaded from a model folder, with BGE-M3's sparse and ColBERT heads on request. Torch-free interface;
/// the model lives on the device it was loaded on.
class TextEncoder {
public:
    /// `device`: "cpu", "cuda", "cuda:1", "mps"; `precision`: "fp32", "fp16", "bf16". `outputs` says
    /// which heads to load: sparse needs sparse_linear.pt, colbert needs colbert_linear.pt (a missing
    /// file is an error naming it).
    static std::unique_ptr<TextEncoder> load(const std::string& dir, const std::string& device = "cpu",
                                             const std::string& precision = "fp32",
                                             const OutputSelection& outputs = {});
    ~TextEncoder();

    const Tokenizer& tokenizer() const;
    const BertConfig& config() const;
    const PoolingConfig& pooling() const;
    /// Width of one pooled embedding.
    size_t dimension() const;
    /// What encode() computes (the selection given to load()).
    const OutputSelection& outputs() const;
    /// Width of one ColBERT vector (0 without the head).
    size_t colbertDimension() const;
    /// The device ("cpu", "cuda:0") and precision ("fp32", "bf16") the model runs in.
    const std::string& device() const;
    const std::string& precision() const;

    /// Pooled embeddings of a padded batch, row-major [batch.rows, dimension()], float32 on the CPU.
    std::vector<float> embed(const EncodedBatch& batch) const;
    /// Last hidden state of a padded batch, [rows, columns, hidden] float32 (padding rows included).
    std::vector<float> hiddenStates(const EncodedBatch& batch) const;
    /// Tokenizes (sentence-transformers: strip, truncate to the model's max length), runs and pools.
    std::vector<float> embedTexts(const std::vector<std::string>& texts) const;
    /// Runs the encoder once and computes every selected output: pooled embeddings, lexical weights
    /// (FlagEmbedding: max per id, special ids dropped) and ColBERT vectors (one per real token after CLS).
    EncoderOutputs encode(const EncodedBatch& batch) const;

    struct Impl;

private:
    explicit TextEncoder(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace benchtop::text
