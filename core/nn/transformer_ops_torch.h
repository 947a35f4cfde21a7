#pragma once

// Transformer building blocks shared by the BERT and Whisper forwards. Includes torch: core .cpp files only.
//
// On the CPU, attention runs per sequence and per block of query rows, so the score block stays in cache,
// padding is never computed, and the softmax (fp32 arithmetic, scale folded in) is one fused pass
// (cpu_kernels). Other devices take the plain batched formulation, which their kernels handle well.

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace benchtop::nn {

/// Self-attention over packed sequences: qkv is [T, 3d] with each token's query, key and value side by side
/// (heads contiguous inside each d); rows offsets[i] .. offsets[i+1] form sequence i. Every token attends to
/// the tokens of its own sequence. Returns the context [T, d] in qkv's dtype; `scale` multiplies q·k.
torch::Tensor packedSelfAttention(const torch::Tensor& qkv, const std::vector<std::int64_t>& offsets, int heads,
                                  double scale);

/// Attention for [B, nq, d] queries over [B, nk, d] keys/values (views are fine): the decoder's cached self-
/// attention and cross-attention. causalOffset >= 0 hides key columns after (query row + causalOffset);
/// `blocked` (bool, broadcastable to [B, heads, nq, nk]), when defined, hides more. Returns [B, nq, d].
torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, int heads, double scale,
                        std::int64_t causalOffset = -1, const torch::Tensor& blocked = {});

/// The same for keys/values kept head-major, [B, heads, nk, dh] (a decoder's KV cache): no per-call
/// re-layout of the cache. Returns [B, nq, heads x dh]. On the CPU, up to kFewQueries queries per sequence
/// (a decoder step) run through a fused kernel that reads the cache once (float32 scores and softmax).
constexpr std::int64_t kFewQueries = 4;
torch::Tensor attentionHeadMajor(const torch::Tensor& q, const torch::Tensor& keys, const torch::Tensor& values,
                                 double scale, std::int64_t causalOffset = -1, const torch::Tensor& blocked = {});

/// torch::linear(x, weight, bias) with the same dtypes and result. On the CPU, for a few rows of x (a decoder
/// step: at most kSkinnyRowLimit) and float32/bf16 weights, the weights are streamed once through a
/// vectorised kernel split across the intra-op threads; libtorch's GEMM repacks them on every call there.
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias = {});
constexpr std::int64_t kSkinnyRowLimit = 16;

/// x (float32, [rows, d], contiguous) += y — y in any dtype, or undefined — then the
/// LayerNorm of x. Post-LN (BERT, inPlace): x becomes the normalised value. Pre-LN (Whisper): x keeps the sum.
/// Returns the normalised rows in `outDtype` (x itself when inPlace and outDtype is float32).
torch::Tensor residualLayerNorm(torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& gamma,
                                const torch::Tensor& beta, double eps, torch::ScalarType outDtype, bool inPlace);

/// Rows of a padded [B, L, ...] tensor where mask [B, L] is non-zero, packed to [T, ...] in row-major order;
/// `offsets` receives the B + 1 sequence boundaries.
torch::Tensor packRows(const torch::Tensor& padded, const torch::Tensor& mask, std::vector<std::int64_t>& offsets,
                       torch::Tensor* indexOut = nullptr);

/// The inverse of packRows: [T, ...] back to zeros-padded [B, L, ...].
torch::Tensor unpackRows(const torch::Tensor& packed, const torch::Tensor& index, std::int64_t batch,
                         std::int64_t length);

/// Runs fn(task) for task in [0, count) on the intra-op threads, handing out tasks one at a time (uneven
/// task sizes stay balanced). Torch ops inside run single-threaded.
void parallelTasks(std::int64_t count, const std::function<void(std::int64_t)>& fn);

}  // namespace benchtop::nn
