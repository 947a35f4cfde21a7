#pragma once

// BERT / RoBERTa / XLM-R encoder on libtorch. Includes torch: include from core .cpp files only.

#include "core/text/bert_config.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace benchtop::text {

/// One post-LayerNorm transformer layer, as named in the checkpoint (encoder.layer.N.*).
struct BertLayer {
    /// query, key and value projections stacked into one [3H, H] matrix: one matrix product per layer.
    torch::Tensor qkvW, qkvB;
    torch::Tensor attnOutW, attnOutB, attnLnW, attnLnB;
    torch::Tensor interW, interB, outW, outB, outLnW, outLnB;
};

/// The encoder as a plain struct of named tensors (loaded by name from model.safetensors or
/// pytorch_model.bin) with a forward function; no hidden state.
struct BertModel {
    BertConfig config;
    torch::Tensor wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings, embLnW, embLnB;
    std::vector<BertLayer> layers;
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;

    /// Loads `dir` (config.json + model.safetensors or pytorch_model.bin), the matrices and embeddings
    /// converted to `dtype`, LayerNorm parameters to float32. Accepts the bare encoder names and the
    /// "bert." / "roberta." prefixed ones.
    static BertModel load(const std::string& dir, torch::Device device, torch::ScalarType dtype);

    /// Last hidden state [B, L, H] in float32 for int64 [B, L] ids, mask (1 = token) and token type ids
    /// (may be undefined: zeros); padding rows are zero. Matrix products run in `dtype`; the residual stream,
    /// LayerNorm and softmax in float32. Padding is never computed: the tokens of the batch are packed
    /// into one [T, H] matrix for the linear layers and attention runs per sequence. Run under
    /// torch::NoGradGuard / InferenceMode.
    torch::Tensor forward(const torch::Tensor& inputIds, const torch::Tensor& attentionMask,
                          const torch::Tensor& tokenTypeIds = {}) const;

    /// The same on packed tokens: ids, positions and token types [T] (int64), sequence i being rows
    /// offsets[i] .. offsets[i+1]. Returns [T, H] in float32.
    torch::Tensor forwardPacked(const torch::Tensor& ids, const torch::Tensor& positions, const torch::Tensor& types,
                                const std::vector<std::int64_t>& offsets) const;
};

/// sentence-transformers Pooling (+ Normalize) over the last hidden state: [B, H'] in float32.
torch::Tensor poolEmbeddings(const torch::Tensor& hidden, const torch::Tensor& attentionMask,
                             const PoolingConfig& pooling);

}  // namespace benchtop::text
