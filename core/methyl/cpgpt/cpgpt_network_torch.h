#pragma once

// CpGPT's network as named tensors with its forward functions. Includes torch: core .cpp files and tests only.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/methyl/cpgpt/cpgpt_config.h"

namespace benchtop::methyl::cpgpt {

/// torch.nn.RMSNorm with eps=None on float32 input: eps = finfo(float32).eps.
constexpr double kRmsEps = 1.1920928955078125e-07;

/// Upstream's MLPBlock: x = in(norm?(x)); x += W2 swiglu(W1 rms(x)) per block; y = out(norm?(x)).
struct MlpBlock {
    struct Block {
        torch::Tensor norm, w1, b1, w2, b2;
    };
    torch::Tensor inputNorm, inW, inB, outputNorm, outW, outB;  ///< undefined where the config has none
    std::vector<Block> blocks;
    /// x: [rows, d_in] float32 -> [rows, d_out] float32.
    torch::Tensor forward(const torch::Tensor& x) const;
};

/// One TransformerPPBlock (pre-norm, separate CLS/sequence norms, torch's MultiheadAttention without bias).
struct TransformerLayer {
    torch::Tensor norm1Cls, norm1Seq, norm2Cls, norm2Seq;
    torch::Tensor inProj, inProjBias, outProj, outProjBias;
    torch::Tensor linear1, linear1Bias, linear2, linear2Bias;
};

/// Everything a run reads about one sample's attention, for the memory budget.
struct AttentionStats {
    std::int64_t blocks = 0;          ///< query blocks computed (all layers)
    std::int64_t peakScoreBytes = 0;  ///< largest score block held at once
};

/// Attention of q [H, Lq, hd] over k, v [H, Lk, hd], computed in blocks of query rows that share one score buffer,
/// sized so that a block's scores, counted at 8 bytes each (float32 scores plus room for a reduced-precision
/// product), stay within `budgetBytes` (at least one row per block); the softmax runs in place. `hiddenKeys` (bool
/// [Lk], true = masked), when defined, excludes keys as torch's key_padding_mask does. Scores and softmax are float32
/// whatever the input dtype; q is scaled before the product, as torch does. Returns [H, Lq, hd] in v's dtype.
torch::Tensor blockedAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, double scale,
                               std::int64_t budgetBytes, const torch::Tensor& hiddenKeys = {},
                               AttentionStats* stats = nullptr);

/// Per-layer outputs for debugging (rows = CLS + every CpG passed in).
using LayerHook = std::function<void(int layer, const torch::Tensor& output)>;

struct CpgptNetwork {
    CpgptConfig config;
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;  ///< of the matrix products; norms and the residual stay float32
    MlpBlock dnaEncoder, methEncoder, methDecoder, methUncDecoder, conditionDecoder;
    torch::Tensor cls;              ///< [d]
    torch::Tensor conditionTokens;  ///< [K, d]
    std::vector<TransformerLayer> layers;

    /// Reads the `net.*` tensors (names with or without the "net." prefix) from `weights`, checking every shape
    /// against the config. Throws benchtop::Error("<origin>", "tensor 'net.x' ...") for missing or misshapen ones.
    static CpgptNetwork fromWeights(const std::function<torch::Tensor(const std::string&)>& find,
                                    const std::function<bool(const std::string&)>& has, const CpgptConfig& config,
                                    const std::string& origin, torch::Device device, torch::ScalarType dtype);

    /// dna_encoder over DNA embeddings [V, d_dna] -> [V, d].
    torch::Tensor sequenceEmbeddings(const torch::Tensor& dna) const;
    /// The absolute position encoding z [V, d] (float32) of genomic positions (int64 [V]).
    torch::Tensor positionEncoding(const torch::Tensor& positions) const;
    /// rotary_quirk(seq + z): the per-CpG locus embeddings [V, d].
    torch::Tensor locusEmbeddings(const torch::Tensor& sequence, const torch::Tensor& positions) const;
    /// meth_encoder(beta) for betas [L] -> [L, d].
    torch::Tensor methEmbeddings(const torch::Tensor& betas) const;
    /// The transformer input [1 + L, d]: CLS then (locus + meth) / sqrt 2; rows where `hidden` is true are zero.
    torch::Tensor transformerInput(const torch::Tensor& locus, const torch::Tensor& betas,
                                   const torch::Tensor& hidden = {}) const;
    /// The sample embedding [d] (the CLS row after the last layer). With `hidden` undefined every row is a
    /// measured CpG and the last layer runs for the CLS query only; with `hidden` (bool [L]) those CpGs are
    /// masked as keys, as upstream's padded batches are, and every row is computed (for `hook`).
    torch::Tensor encodeSample(const torch::Tensor& input, std::int64_t budgetBytes, const torch::Tensor& hidden = {},
                               const LayerHook& hook = {}, AttentionStats* stats = nullptr) const;
    /// condition_decoder(stack(condition_tokens)) [K, d].
    torch::Tensor conditionQueries() const;
};

}  // namespace benchtop::methyl::cpgpt
