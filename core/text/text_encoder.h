#pragma once

#include "core/text/bert_config.h"
#include "core/text/tokenizer.h"

#include <memory>
#include <string>
#include <vector>

namespace benchtop::text {

/// A sentence-transformers style text embedder: tokenizer + BERT-family encoder + pooling (+ normalize),
/// loaded from a model folder. Torch-free interface; the model lives on the device it was loaded on.
class TextEncoder {
public:
    /// `device`: "cpu", "cuda", "cuda:1", "mps"; `precision`: "fp32", "fp16", "bf16".
    static std::unique_ptr<TextEncoder> load(const std::string& dir, const std::string& device = "cpu",
                                             const std::string& precision = "fp32");
    ~TextEncoder();

    const Tokenizer& tokenizer() const;
    const BertConfig& config() const;
    const PoolingConfig& pooling() const;
    /// Width of one pooled embedding.
    size_t dimension() const;

    /// Pooled embeddings of a padded batch, row-major [batch.rows, dimension()], float32 on the CPU.
    std::vector<float> embed(const EncodedBatch& batch) const;
    /// Last hidden state of a padded batch, [rows, columns, hidden] float32 (padding rows included).
    std::vector<float> hiddenStates(const EncodedBatch& batch) const;
    /// Tokenizes (sentence-transformers: strip, truncate to the model's max length), runs and pools.
    std::vector<float> embedTexts(const std::vector<std::string>& texts) const;

    struct Impl;

private:
    explicit TextEncoder(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace benchtop::text
