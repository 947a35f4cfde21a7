#include "core/nn/cpu_kernels.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <type_traits>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#endif

// On x86-64 Linux builds with GCC/Clang the hot loops are compiled for AVX-512, AVX2 and baseline SSE2 and
// the loader picks one for the CPU at hand (ifunc), so one binary runs everywhere and fast where it can.
#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__)) && !defined(__INTEL_COMPILER)
#define BENCHTOP_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define BENCHTOP_CLONES
#endif

// Helpers are forced inline so that each clone compiles them for its own instruction set.
#if defined(__GNUC__) || defined(__clang__)
#define BENCHTOP_INLINE inline __attribute__((always_inline))
#else
#define BENCHTOP_INLINE inline
#endif

namespace benchtop::nn {
namespace {

// Bit casts the vectoriser sees through (memcpy into a local defeats it in GCC 12).
#if defined(__GNUC__) || defined(__clang__)
BENCHTOP_INLINE float asFloat(std::uint32_t bits) {
    return __builtin_bit_cast(float, bits);
}
BENCHTOP_INLINE std::uint32_t asBits(float f) {
    return __builtin_bit_cast(std::uint32_t, f);
}
#else
BENCHTOP_INLINE float asFloat(std::uint32_t bits) {
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}
BENCHTOP_INLINE std::uint32_t asBits(float f) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    return bits;
}
#endif

BENCHTOP_INLINE float bf16ToFloat(std::uint16_t h) {
    return asFloat(static_cast<std::uint32_t>(h) << 16);
}

BENCHTOP_INLINE std::uint16_t floatToBf16(float f) {
    std::uint32_t bits = asBits(f);
    // Round to nearest even; NaN never reaches here (inputs are finite activations).
    bits += 0x7fffu + ((bits >> 16) & 1u);
    return static_cast<std::uint16_t>(bits >> 16);
}

/// exp(x) for x <= 0 to ~2 float ulps: Cody-Waite range reduction to exp(f) * 2^n and a degree-7 Taylor
/// polynomial for |f| <= ln2/2. Branch-free, so loops over it vectorise (libm's expf does not).
BENCHTOP_INLINE float expNonPositive(float x) {
    x = x < -87.0f ? -87.0f : x;
    const float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;  // round(x / ln2)
    const float f = (x - n * 0.693145751953125f) - n * 1.42860682030941723e-6f;
    float p = 1.0f / 5040.0f;
    p = p * f + 1.0f / 720.0f;
    p = p * f + 1.0f / 120.0f;
    p = p * f + 1.0f / 24.0f;
    p = p * f + 1.0f / 6.0f;
    p = p * f + 0.5f;
    p = p * f + 1.0f;
    p = p * f + 1.0f;
    const auto e = static_cast<std::uint32_t>(static_cast<std::int32_t>(n) + 127) << 23;
    return p * asFloat(e);
}

template <typename T>
BENCHTOP_INLINE float load(const T* p, std::int64_t i) {
    if constexpr (std::is_same_v<T, float>)
        return p[i];
    else
        return bf16ToFloat(p[i]);
}

template <typename T>
BENCHTOP_INLINE void store(T* p, std::int64_t i, float v) {
    if constexpr (std::is_same_v<T, float>)
        p[i] = v;
    else
        p[i] = floatToBf16(v);
}

// Reductions with 16 independent partial results: GCC vectorises these without -ffast-math (a single
// running sum would be a sequential dependency it may not reorder).
BENCHTOP_INLINE float sumOf(const float* p, std::int64_t n) {
    float acc[16] = {};
    std::int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int j = 0; j < 16; ++j) acc[j] += p[i + j];
    float total = 0.0f;
    for (; i < n; ++i) total += p[i];
    for (int j = 0; j < 16; ++j) total += acc[j];
    return total;
}

BENCHTOP_INLINE float maxOf(const float* p, std::int64_t n) {
    float acc[16];
    for (int j = 0; j < 16; ++j) acc[j] = -std::numeric_limits<float>::infinity();
    std::int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int j = 0; j < 16; ++j) acc[j] = acc[j] > p[i + j] ? acc[j] : p[i + j];
    float best = -std::numeric_limits<float>::infinity();
    for (; i < n; ++i) best = best > p[i] ? best : p[i];
    for (int j = 0; j < 16; ++j) best = best > acc[j] ? best : acc[j];
    return best;
}

/// One row in five passes over an L1-resident float buffer; each pass is a plain loop that vectorises.
template <typename In, typename Out>
BENCHTOP_INLINE void softmaxRow(const In* in, Out* out, std::int64_t cols, std::int64_t valid, float scale,
                                float* tmp) {
    for (std::int64_t c = 0; c < valid; ++c) tmp[c] = load(in, c);
    const float maxValue = maxOf(tmp, valid);
    for (std::int64_t c = 0; c < valid; ++c) tmp[c] = expNonPositive((tmp[c] - maxValue) * scale);
    const float inv = 1.0f / sumOf(tmp, valid);
    for (std::int64_t c = 0; c < valid; ++c) store(out, c, tmp[c] * inv);
    for (std::int64_t c = valid; c < cols; ++c) store(out, c, 0.0f);
}

template <typename In, typename Out>
BENCHTOP_INLINE void softmaxRowsImpl(const In* in, std::int64_t ldIn, Out* out, std::int64_t ldOut, std::int64_t rows,
                                     std::int64_t cols, float scale, std::int64_t causalOffset) {
    // The row's exponentials are kept in float32 before normalising, so bf16 output rounds once.
    float stackTmp[2048];
    float* tmp = stackTmp;
    std::unique_ptr<float[]> heapTmp;
    if (cols > 2048) {
        heapTmp.reset(new float[static_cast<std::size_t>(cols)]);
        tmp = heapTmp.get();
    }
    for (std::int64_t r = 0; r < rows; ++r) {
        const std::int64_t valid = causalOffset >= 0 ? std::min(cols, r + causalOffset + 1) : cols;
        softmaxRow(in + r * ldIn, out + r * ldOut, cols, valid, scale, tmp);
    }
}

BENCHTOP_CLONES void softmaxF32(const float* in, std::int64_t ldIn, float* out, std::int64_t ldOut, std::int64_t rows,
                                std::int64_t cols, float scale, std::int64_t causalOffset) {
    softmaxRowsImpl(in, ldIn, out, ldOut, rows, cols, scale, causalOffset);
}

BENCHTOP_CLONES void softmaxBf16(const std::uint16_t* in, std::int64_t ldIn, std::uint16_t* out, std::int64_t ldOut,
                                 std::int64_t rows, std::int64_t cols, float scale, std::int64_t causalOffset) {
    softmaxRowsImpl(in, ldIn, out, ldOut, rows, cols, scale, causalOffset);
}

BENCHTOP_CLONES void residualNormRows(const ResidualNorm& a, std::int64_t rows, std::int64_t cols) {
    const float invCols = 1.0f / static_cast<float>(cols);
    float stackTmp[4096];
    std::unique_ptr<float[]> heapTmp;
    float* tmp = stackTmp;
    if (cols > 4096) {
        heapTmp.reset(new float[static_cast<std::size_t>(cols)]);
        tmp = heapTmp.get();
    }
    for (std::int64_t r = 0; r < rows; ++r) {
        float* x = a.x + r * cols;
        if (a.y) {
            const float* y = a.y + r * cols;
            for (std::int64_t c = 0; c < cols; ++c) x[c] += y[c];
        } else if (a.yBf16) {
            const std::uint16_t* y = a.yBf16 + r * cols;
            for (std::int64_t c = 0; c < cols; ++c) x[c] += bf16ToFloat(y[c]);
        }
        const float mean = sumOf(x, cols) * invCols;
        for (std::int64_t c = 0; c < cols; ++c) {
            const float d = x[c] - mean;
            tmp[c] = d * d;
        }
        const float inv = 1.0f / std::sqrt(sumOf(tmp, cols) * invCols + a.eps);
        for (std::int64_t c = 0; c < cols; ++c) tmp[c] = (x[c] - mean) * inv * a.gamma[c] + a.beta[c];
        if (a.normed) std::memcpy(a.normed + r * cols, tmp, static_cast<std::size_t>(cols) * sizeof(float));
        if (a.normedBf16) {
            std::uint16_t* normedBf16 = a.normedBf16 + r * cols;
            for (std::int64_t c = 0; c < cols; ++c) normedBf16[c] = floatToBf16(tmp[c]);
        }
        if (a.inPlace) std::memcpy(x, tmp, static_cast<std::size_t>(cols) * sizeof(float));
    }
}

BENCHTOP_CLONES void toBf16Impl(const float* in, std::uint16_t* out, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) out[i] = floatToBf16(in[i]);
}

BENCHTOP_CLONES void fromBf16Impl(const std::uint16_t* in, float* out, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) out[i] = bf16ToFloat(in[i]);
}

// ---- skinny linear (few input rows, weights streamed once) ----

constexpr int kSkinnyRows = 4;  // input rows per pass over a weight block
constexpr int kSkinnyCols = 4;  // weight rows per block

BENCHTOP_INLINE void storeSkinny(const SkinnyLinear& a, std::int64_t m, std::int64_t n, float v) {
    if (a.bias) v += a.bias[n];
    if (a.out)
        a.out[m * a.ldOut + n] = v;
    else
        a.outBf16[m * a.ldOut + n] = floatToBf16(v);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BENCHTOP_HAVE_AVX512_SKINNY 1

// bf16 -> float32 of 16 values: the bits shifted into the high half.
#define BENCHTOP_BF16X16(q) \
    _mm512_castsi512_ps(    \
        _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(q))), 16))

// M input rows (float32) against 4 weight rows (bf16 or float32), 16 lanes per step; pointers hoisted so the
// loop is loads and FMAs only.
template <int M, bool Bf16>
__attribute__((target("avx512f"))) void skinnyBlockAvx512(const SkinnyLinear& a, std::int64_t m0, std::int64_t n0) {
    const std::int64_t k = a.k, body = k & ~std::int64_t(15);
    const float* x[M];
    for (int i = 0; i < M; ++i) x[i] = a.x + (m0 + i) * a.ldx;
    __m512 acc[M][kSkinnyCols];
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < kSkinnyCols; ++j) acc[i][j] = _mm512_setzero_ps();
    if constexpr (Bf16) {
        const std::uint16_t* w0 = a.wBf16 + n0 * k;
        const std::uint16_t* w1 = w0 + k;
        const std::uint16_t* w2 = w1 + k;
        const std::uint16_t* w3 = w2 + k;
        for (std::int64_t p = 0; p < body; p += 16) {
            const __m512 v0 = BENCHTOP_BF16X16(w0 + p), v1 = BENCHTOP_BF16X16(w1 + p);
            const __m512 v2 = BENCHTOP_BF16X16(w2 + p), v3 = BENCHTOP_BF16X16(w3 + p);
            for (int i = 0; i < M; ++i) {
                const __m512 xv = _mm512_loadu_ps(x[i] + p);
                acc[i][0] = _mm512_fmadd_ps(xv, v0, acc[i][0]);
                acc[i][1] = _mm512_fmadd_ps(xv, v1, acc[i][1]);
                acc[i][2] = _mm512_fmadd_ps(xv, v2, acc[i][2]);
                acc[i][3] = _mm512_fmadd_ps(xv, v3, acc[i][3]);
            }
        }
    } else {
        const float* w0 = a.wF32 + n0 * k;
        const float* w1 = w0 + k;
        const float* w2 = w1 + k;
        const float* w3 = w2 + k;
        for (std::int64_t p = 0; p < body; p += 16) {
            const __m512 v0 = _mm512_loadu_ps(w0 + p), v1 = _mm512_loadu_ps(w1 + p);
            const __m512 v2 = _mm512_loadu_ps(w2 + p), v3 = _mm512_loadu_ps(w3 + p);
            for (int i = 0; i < M; ++i) {
                const __m512 xv = _mm512_loadu_ps(x[i] + p);
                acc[i][0] = _mm512_fmadd_ps(xv, v0, acc[i][0]);
                acc[i][1] = _mm512_fmadd_ps(xv, v1, acc[i][1]);
                acc[i][2] = _mm512_fmadd_ps(xv, v2, acc[i][2]);
                acc[i][3] = _mm512_fmadd_ps(xv, v3, acc[i][3]);
            }
        }
    }
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < kSkinnyCols; ++j) {
            float v = _mm512_reduce_add_ps(acc[i][j]);
            for (std::int64_t p = body; p < k; ++p)
                v += x[i][p] * (Bf16 ? bf16ToFloat(a.wBf16[(n0 + j) * k + p]) : a.wF32[(n0 + j) * k + p]);
            storeSkinny(a, m0 + i, n0 + j, v);
        }
}

// The same on bf16 inputs with AVX512-BF16: 32 products per instruction, weights used as loaded (no
// conversion); needs k % 32 == 0.
template <int M>
__attribute__((target("avx512f,avx512bf16"))) void skinnyBlockDpBf16(const SkinnyLinear& a, std::int64_t m0,
                                                                     std::int64_t n0) {
    const std::int64_t k = a.k;
    const std::uint16_t* x[M];
    for (int i = 0; i < M; ++i) x[i] = a.xBf16 + (m0 + i) * a.ldx;
    __m512 acc[M][kSkinnyCols];
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < kSkinnyCols; ++j) acc[i][j] = _mm512_setzero_ps();
    const std::uint16_t* w0 = a.wBf16 + n0 * k;
    const std::uint16_t* w1 = w0 + k;
    const std::uint16_t* w2 = w1 + k;
    const std::uint16_t* w3 = w2 + k;
    for (std::int64_t p = 0; p < k; p += 32) {
        const __m512bh v0 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(w0 + p));
        const __m512bh v1 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(w1 + p));
        const __m512bh v2 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(w2 + p));
        const __m512bh v3 = reinterpret_cast<__m512bh>(_mm512_loadu_si512(w3 + p));
        for (int i = 0; i < M; ++i) {
            const __m512bh xv = reinterpret_cast<__m512bh>(_mm512_loadu_si512(x[i] + p));
            acc[i][0] = _mm512_dpbf16_ps(acc[i][0], xv, v0);
            acc[i][1] = _mm512_dpbf16_ps(acc[i][1], xv, v1);
            acc[i][2] = _mm512_dpbf16_ps(acc[i][2], xv, v2);
            acc[i][3] = _mm512_dpbf16_ps(acc[i][3], xv, v3);
        }
    }
    for (int i = 0; i < M; ++i)
        for (int j = 0; j < kSkinnyCols; ++j) storeSkinny(a, m0 + i, n0 + j, _mm512_reduce_add_ps(acc[i][j]));
}

/// Output rows past the end of a block are computed from the last full rows and dropped: blocks are always 4
/// weight rows; a tail block re-reads rows (n - 4, n] instead.
template <bool Bf16, bool Dp>
void skinnyAvx512(const SkinnyLinear& a, std::int64_t nBegin, std::int64_t nEnd) {
    for (std::int64_t n = nBegin; n < nEnd; n += kSkinnyCols) {
        std::int64_t n0 = n;
        if (n0 + kSkinnyCols > nEnd) n0 = nEnd - kSkinnyCols;  // overlapping tail block (rows recomputed)
        for (std::int64_t m = 0; m < a.rows; m += kSkinnyRows) {
            const std::int64_t rows = std::min<std::int64_t>(kSkinnyRows, a.rows - m);
            if constexpr (Dp) {
                switch (rows) {
                    case 1:
                        skinnyBlockDpBf16<1>(a, m, n0);
                        break;
                    case 2:
                        skinnyBlockDpBf16<2>(a, m, n0);
                        break;
                    case 3:
                        skinnyBlockDpBf16<3>(a, m, n0);
                        break;
                    default:
                        skinnyBlockDpBf16<4>(a, m, n0);
                        break;
                }
            } else {
                switch (rows) {
                    case 1:
                        skinnyBlockAvx512<1, Bf16>(a, m, n0);
                        break;
                    case 2:
                        skinnyBlockAvx512<2, Bf16>(a, m, n0);
                        break;
                    case 3:
                        skinnyBlockAvx512<3, Bf16>(a, m, n0);
                        break;
                    default:
                        skinnyBlockAvx512<4, Bf16>(a, m, n0);
                        break;
                }
            }
        }
    }
}
#endif

// ---- few-query attention ----

template <typename T>
BENCHTOP_INLINE const T* rowOf(const T* base, std::int64_t head, std::int64_t row, std::int64_t headStride,
                               std::int64_t rowStride) {
    return base + head * headStride + row * rowStride;
}

// Softmax of scores[0, n) in place (max-shifted, float32), returns nothing; the caller scales first.
// Plain passes that vectorise (the reductions with 16 partial results).
BENCHTOP_INLINE void softmaxInPlace(float* scores, std::int64_t n) {
    const float maxValue = maxOf(scores, n);
    for (std::int64_t t = 0; t < n; ++t) scores[t] = expNonPositive(scores[t] - maxValue);
    const float inverse = 1.0f / sumOf(scores, n);
    for (std::int64_t t = 0; t < n; ++t) scores[t] *= inverse;
}

#ifdef BENCHTOP_HAVE_AVX512_SKINNY
template <bool Bf16>
__attribute__((target("avx512f"))) void fewQueryAvx512(const FewQueryAttention& a, std::int64_t headBegin,
                                                       std::int64_t headEnd, float* scores) {
    const std::int64_t d = a.heads * a.dh, chunks = a.dh / 16;
    for (std::int64_t h = headBegin; h < headEnd; ++h)
        for (std::int64_t i = 0; i < a.nq; ++i) {
            const std::int64_t visible = a.causalOffset >= 0 ? std::min(a.nk, i + a.causalOffset + 1) : a.nk;
            const float* q = a.q + i * d + h * a.dh;
            __m512 qv[8];
            for (std::int64_t c = 0; c < chunks; ++c)
                qv[c] = _mm512_mul_ps(_mm512_loadu_ps(q + 16 * c), _mm512_set1_ps(a.scale));
            for (std::int64_t t = 0; t < visible; ++t) {
                __m512 acc = _mm512_setzero_ps();
                if constexpr (Bf16) {
                    const std::uint16_t* k = rowOf(a.kBf16, h, t, a.kHeadStride, a.kRowStride);
                    for (std::int64_t c = 0; c < chunks; ++c)
                        acc = _mm512_fmadd_ps(qv[c], BENCHTOP_BF16X16(k + 16 * c), acc);
                } else {
                    const float* k = rowOf(a.kF32, h, t, a.kHeadStride, a.kRowStride);
                    for (std::int64_t c = 0; c < chunks; ++c)
                        acc = _mm512_fmadd_ps(qv[c], _mm512_loadu_ps(k + 16 * c), acc);
                }
                scores[t] = _mm512_reduce_add_ps(acc);
            }
            softmaxInPlace(scores, visible);
            __m512 ctx[8];
            for (std::int64_t c = 0; c < chunks; ++c) ctx[c] = _mm512_setzero_ps();
            for (std::int64_t t = 0; t < visible; ++t) {
                const __m512 p = _mm512_set1_ps(scores[t]);
                if constexpr (Bf16) {
                    const std::uint16_t* v = rowOf(a.vBf16, h, t, a.vHeadStride, a.vRowStride);
                    for (std::int64_t c = 0; c < chunks; ++c)
                        ctx[c] = _mm512_fmadd_ps(p, BENCHTOP_BF16X16(v + 16 * c), ctx[c]);
                } else {
                    const float* v = rowOf(a.vF32, h, t, a.vHeadStride, a.vRowStride);
                    for (std::int64_t c = 0; c < chunks; ++c)
                        ctx[c] = _mm512_fmadd_ps(p, _mm512_loadu_ps(v + 16 * c), ctx[c]);
                }
            }
            alignas(64) float context[128];
            for (std::int64_t c = 0; c < chunks; ++c) _mm512_store_ps(context + 16 * c, ctx[c]);
            for (std::int64_t e = 0; e < a.dh; ++e) {
                if (a.out)
                    a.out[i * d + h * a.dh + e] = context[e];
                else
                    a.outBf16[i * d + h * a.dh + e] = floatToBf16(context[e]);
            }
        }
}
#endif

BENCHTOP_CLONES void fewQueryPortable(const FewQueryAttention& a, std::int64_t headBegin, std::int64_t headEnd,
                                      float* scores, float* context) {
    const std::int64_t d = a.heads * a.dh;
    for (std::int64_t h = headBegin; h < headEnd; ++h)
        for (std::int64_t i = 0; i < a.nq; ++i) {
            const std::int64_t visible = a.causalOffset >= 0 ? std::min(a.nk, i + a.causalOffset + 1) : a.nk;
            const float* q = a.q + i * d + h * a.dh;
            for (std::int64_t t = 0; t < visible; ++t) {
                float acc = 0;
                if (a.kBf16) {
                    const std::uint16_t* k = rowOf(a.kBf16, h, t, a.kHeadStride, a.kRowStride);
                    for (std::int64_t e = 0; e < a.dh; ++e) acc += q[e] * bf16ToFloat(k[e]);
                } else {
                    const float* k = rowOf(a.kF32, h, t, a.kHeadStride, a.kRowStride);
                    for (std::int64_t e = 0; e < a.dh; ++e) acc += q[e] * k[e];
                }
                scores[t] = acc * a.scale;
            }
            softmaxInPlace(scores, visible);
            for (std::int64_t e = 0; e < a.dh; ++e) context[e] = 0;
            for (std::int64_t t = 0; t < visible; ++t) {
                const float p = scores[t];
                if (a.vBf16) {
                    const std::uint16_t* v = rowOf(a.vBf16, h, t, a.vHeadStride, a.vRowStride);
                    for (std::int64_t e = 0; e < a.dh; ++e) context[e] += p * bf16ToFloat(v[e]);
                } else {
                    const float* v = rowOf(a.vF32, h, t, a.vHeadStride, a.vRowStride);
                    for (std::int64_t e = 0; e < a.dh; ++e) context[e] += p * v[e];
                }
            }
            for (std::int64_t e = 0; e < a.dh; ++e) {
                if (a.out)
                    a.out[i * d + h * a.dh + e] = context[e];
                else
                    a.outBf16[i * d + h * a.dh + e] = floatToBf16(context[e]);
            }
        }
}

// Portable version: 16 partial sums per dot product, which the vectoriser maps onto SIMD lanes.
template <typename W>
BENCHTOP_INLINE float dotLanes(const float* x, const W* w, std::int64_t k) {
    float lanes[16] = {};
    const std::int64_t body = k & ~std::int64_t(15);
    for (std::int64_t p = 0; p < body; p += 16)
        for (int l = 0; l < 16; ++l) lanes[l] += x[p + l] * load(w, p + l);
    float v = 0;
    for (int l = 0; l < 16; ++l) v += lanes[l];
    for (std::int64_t p = body; p < k; ++p) v += x[p] * load(w, p);
    return v;
}

BENCHTOP_CLONES void skinnyPortable(const SkinnyLinear& a, std::int64_t nBegin, std::int64_t nEnd) {
    for (std::int64_t n = nBegin; n < nEnd; ++n)
        for (std::int64_t m = 0; m < a.rows; ++m) {
            const float* x = a.x + m * a.ldx;
            storeSkinny(a, m, n, a.wBf16 ? dotLanes(x, a.wBf16 + n * a.k, a.k) : dotLanes(x, a.wF32 + n * a.k, a.k));
        }
}

}  // namespace

void skinnyLinear(const SkinnyLinear& args, std::int64_t nBegin, std::int64_t nEnd) {
#ifdef BENCHTOP_HAVE_AVX512_SKINNY
    // Whole 4-row weight blocks need at least 4 rows in the range (a tail block overlaps the previous one).
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    static const bool bf16Dot = avx512 && __builtin_cpu_supports("avx512bf16");
    if (avx512 && nEnd - nBegin >= kSkinnyCols) {
        if (args.wBf16 && args.xBf16 && bf16Dot && args.k % 32 == 0)
            skinnyAvx512<true, true>(args, nBegin, nEnd);
        else if (args.wBf16 && args.x)
            skinnyAvx512<true, false>(args, nBegin, nEnd);
        else if (args.x)
            skinnyAvx512<false, false>(args, nBegin, nEnd);
        else
            skinnyPortable(args, nBegin, nEnd);
        return;
    }
#endif
    skinnyPortable(args, nBegin, nEnd);
}

void fewQueryAttention(const FewQueryAttention& args, std::int64_t headBegin, std::int64_t headEnd) {
    std::unique_ptr<float[]> scores(new float[static_cast<std::size_t>(std::max<std::int64_t>(args.nk, 1))]);
#ifdef BENCHTOP_HAVE_AVX512_SKINNY
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    const bool sameType = (args.kBf16 != nullptr) == (args.vBf16 != nullptr);
    if (avx512 && sameType && args.dh % 16 == 0 && args.dh <= 128) {
        if (args.kBf16)
            fewQueryAvx512<true>(args, headBegin, headEnd, scores.get());
        else
            fewQueryAvx512<false>(args, headBegin, headEnd, scores.get());
        return;
    }
#endif
    std::unique_ptr<float[]> context(new float[static_cast<std::size_t>(args.dh)]);
    fewQueryPortable(args, headBegin, headEnd, scores.get(), context.get());
}

void softmaxRows(const float* in, std::int64_t ldIn, float* out, std::int64_t ldOut, std::int64_t rows,
                 std::int64_t cols, float scale, std::int64_t causalOffset) {
    softmaxF32(in, ldIn, out, ldOut, rows, cols, scale, causalOffset);
}

void softmaxRows(const std::uint16_t* in, std::int64_t ldIn, std::uint16_t* out, std::int64_t ldOut, std::int64_t rows,
                 std::int64_t cols, float scale, std::int64_t causalOffset) {
    softmaxBf16(in, ldIn, out, ldOut, rows, cols, scale, causalOffset);
}

void residualLayerNorm(const ResidualNorm& args, std::int64_t rows, std::int64_t cols) {
    residualNormRows(args, rows, cols);
}

void toBf16(const float* in, std::uint16_t* out, std::int64_t n) {
    toBf16Impl(in, out, n);
}
void fromBf16(const std::uint16_t* in, float* out, std::int64_t n) {
    fromBf16Impl(in, out, n);
}

}  // namespace benchtop::nn
