#pragma once

// The BGE-M3 heads on libtorch. Includes torch: include from core .cpp files only.

#include <torch/torch.h>

#include <string>

namespace benchtop::text {

/// FlagEmbedding's two extra heads over the encoder's last hidden state: `sparse_linear.pt`
/// (Linear hidden -> 1, the per-token lexical weight) and `colbert_linear.pt` (Linear hidden -> D, the
/// per-token ColBERT vector). Both files are torch zip pickles of an OrderedDict {weight, bias}, read
/// by core/tensor without Python. A head that was not requested stays undefined. The heads are tiny next
/// to the encoder, so they always run in float32 on its (possibly bf16/fp16) last hidden state: that keeps
/// the lexical weights within the reduced-precision tolerance, which bf16 heads alone would exceed.
struct BgeM3Heads {
    torch::Tensor sparseW, sparseB;    ///< [1, hidden], [1]
    torch::Tensor colbertW, colbertB;  ///< [D, hidden], [D]

    /// Loads the requested heads from `dir` as float32 on `device`. Throws benchtop::Error naming the file
    /// when a requested head file is missing, unreadable, lacks a tensor or has the wrong shape for
    /// `hiddenSize`.
    static BgeM3Heads load(const std::string& dir, std::int64_t hiddenSize, bool sparse, bool colbert,
                           torch::Device device);

    bool hasSparse() const { return sparseW.defined(); }
    bool hasColbert() const { return colbertW.defined(); }
    /// Width of one ColBERT vector (0 without the head).
    std::int64_t colbertDimension() const { return hasColbert() ? colbertW.size(0) : 0; }

    /// relu(sparse_linear(hidden)): [B, L] float32, every token (specials and padding included).
    torch::Tensor tokenWeights(const torch::Tensor& hidden) const;
    /// normalize(colbert_linear(hidden[:, 1:]) * mask[:, 1:]): [B, L-1, D] float32; the CLS token is
    /// dropped and padded positions are zero vectors.
    torch::Tensor colbertVectors(const torch::Tensor& hidden, const torch::Tensor& attentionMask) const;
};

}  // namespace benchtop::text
