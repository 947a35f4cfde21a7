#pragma once

// Element-wise kernels that libtorch 1.13 runs slowly on CPU for bfloat16 (softmax, LayerNorm, dtype round
// trips), written as plain loops the compiler vectorises. bf16 values are passed as their 16-bit patterns.

#include <cstdint>

namespace benchtop::nn {

/// Softmax of each row of `in` (rows x cols, row stride ldIn) after multiplying by `scale`, in float32
/// arithmetic: out[r][c] = exp(scale * (in[r][c] - max_r)) / sum_r. Columns c > r + causalOffset get 0
/// when causalOffset >= 0 (query row r sits at key position r + causalOffset).
void softmaxRows(const float* in, std::int64_t ldIn, float* out, std::int64_t ldOut, std::int64_t rows,
                 std::int64_t cols, float scale, std::int64_t causalOffset = -1);
void softmaxRows(const std::uint16_t* in, std::int64_t ldIn, std::uint16_t* out, std::int64_t ldOut, std::int64_t rows,
                 std::int64_t cols, float scale, std::int64_t causalOffset = -1);

/// x[r] += y[r] (+ bias) in float32, then LayerNorm of each row of x into `normed` (float32 or bf16 through
/// `normedBf16`; either may be null). With `inPlace` the normalised row replaces x (post-LN models such as
/// BERT); otherwise x keeps the sum (pre-LN models such as Whisper). y may be float32 or bf16 (yBf16).
struct ResidualNorm {
    float* x = nullptr;        ///< [rows, cols] residual stream (float32)
    const float* y = nullptr;  ///< [rows, cols] added to x, or null
    const std::uint16_t* yBf16 = nullptr;
    const float* bias = nullptr;   ///< [cols] added with y, or null
    const float* gamma = nullptr;  ///< [cols]
    const float* beta = nullptr;   ///< [cols]
    float eps = 1e-5f;
    bool inPlace = false;
    float* normed = nullptr;              ///< [rows, cols] or null
    std::uint16_t* normedBf16 = nullptr;  ///< [rows, cols] or null
};
void residualLayerNorm(const ResidualNorm& args, std::int64_t rows, std::int64_t cols);

/// out[m][n] = sum_k x[m][k] * w[n][k] (+ bias[n]) for output rows n in [nBegin, nEnd): a linear layer for a
/// few input rows (a decoder step), where the cost is streaming the weights once. x is float32 [rows, k]
/// (row stride ldx), w is [n, k] row-major in bf16 (`wBf16`) or float32 (`wF32`), bias float32 or null; the
/// sums are float32 and go to `out` (float32, row stride ldOut) or, rounded, to `outBf16`. Every weight row
/// is read once for all input rows (blocks of 4). With bf16 weights and inputs (`xBf16`) on a CPU with
/// AVX512-BF16 the products are bf16 dot-product instructions (float32 sums). Runs on the calling thread;
/// split n across threads.
struct SkinnyLinear {
    const float* x = nullptr;
    const std::uint16_t* xBf16 = nullptr;  ///< the same rows in bf16, when they are: AVX512-BF16 dot products
    std::int64_t ldx = 0;
    std::int64_t rows = 0;
    std::int64_t k = 0;
    const std::uint16_t* wBf16 = nullptr;
    const float* wF32 = nullptr;
    const float* bias = nullptr;
    float* out = nullptr;
    std::uint16_t* outBf16 = nullptr;
    std::int64_t ldOut = 0;
};
void skinnyLinear(const SkinnyLinear& args, std::int64_t nBegin, std::int64_t nEnd);

/// Attention of a few queries (a decoder step) over keys/values kept head-major ([heads, nk, dh] per
/// sequence, rows contiguous): per head, scores in float32, softmax (scale folded in), the weighted sum of
/// the values accumulated in float32 - no score tensor, the cache read once. Queries are float32
/// [nq, heads x dh]; keys/values bf16 or float32 with the given element strides; the context goes to
/// `out` (float32) or `outBf16`, [nq, heads x dh]. Query row i sees key columns <= i + causalOffset when
/// causalOffset >= 0. Runs heads [headBegin, headEnd) on the calling thread.
struct FewQueryAttention {
    const float* q = nullptr;
    std::int64_t nq = 0;
    std::int64_t heads = 0;
    std::int64_t dh = 0;
    std::int64_t nk = 0;
    const std::uint16_t* kBf16 = nullptr;
    const float* kF32 = nullptr;
    const std::uint16_t* vBf16 = nullptr;
    const float* vF32 = nullptr;
    std::int64_t kHeadStride = 0, kRowStride = 0;  ///< in elements
    std::int64_t vHeadStride = 0, vRowStride = 0;
    float scale = 1.0f;
    std::int64_t causalOffset = -1;
    float* out = nullptr;
    std::uint16_t* outBf16 = nullptr;
};
void fewQueryAttention(const FewQueryAttention& args, std::int64_t headBegin, std::int64_t headEnd);

/// float32 <-> bf16 (round to nearest even) for n values.
void toBf16(const float* in, std::uint16_t* out, std::int64_t n);
void fromBf16(const std::uint16_t* in, float* out, std::int64_t n);

}  // namespace benchtop::nn
