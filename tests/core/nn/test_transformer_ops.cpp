// The fused CPU kernels and packed attention against the plain libtorch formulation they replace.

// torch first: its glog CHECK macro is then replaced by Catch2's.
#include "core/nn/transformer_ops_torch.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include "core/nn/cpu_kernels.h"

using namespace benchtop;

namespace {

double maxAbs(const torch::Tensor& a, const torch::Tensor& b) {
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

/// Softmax attention of one sequence written out in float64: the reference.
torch::Tensor referenceAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, int heads,
                                 double scale, std::int64_t causalOffset = -1) {
    const std::int64_t nq = q.size(0), nk = k.size(0), d = q.size(1), dh = d / heads;
    const auto qh = q.to(torch::kFloat64).view({nq, heads, dh}).transpose(0, 1);
    const auto kh = k.to(torch::kFloat64).view({nk, heads, dh}).permute({1, 2, 0});
    const auto vh = v.to(torch::kFloat64).view({nk, heads, dh}).transpose(0, 1);
    auto s = torch::matmul(qh, kh) * scale;
    if (causalOffset >= 0) {
        const auto rows = torch::arange(nq).unsqueeze(1) + causalOffset;
        const auto cols = torch::arange(nk).unsqueeze(0);
        s = s.masked_fill(cols > rows, -std::numeric_limits<double>::infinity());
    }
    return torch::matmul(torch::softmax(s, -1), vh).transpose(0, 1).reshape({nq, d});
}

}  // namespace

TEST_CASE("the fused softmax matches libtorch's in float32 and bfloat16", "[nn]") {
    torch::manual_seed(1);
    const auto scores = torch::randn({37, 301}) * 6;
    const float scale = 0.125f;
    const auto expected = torch::softmax(scores.to(torch::kFloat64) * scale, -1);

    auto out = torch::empty_like(scores);
    nn::softmaxRows(scores.data_ptr<float>(), 301, out.data_ptr<float>(), 301, 37, 301, scale);
    CHECK(maxAbs(out, expected) < 1e-6);
    CHECK((out.sum(-1) - 1).abs().max().item<float>() < 1e-5f);

    const auto bf = scores.to(torch::kBFloat16);
    auto outBf = torch::empty_like(bf);
    nn::softmaxRows(reinterpret_cast<const std::uint16_t*>(bf.data_ptr<at::BFloat16>()), 301,
                    reinterpret_cast<std::uint16_t*>(outBf.data_ptr<at::BFloat16>()), 301, 37, 301, scale);
    const auto expectedBf = torch::softmax(bf.to(torch::kFloat64) * scale, -1);
    // One bf16 rounding of each probability: relative 2^-9.
    CHECK(((outBf.to(torch::kFloat64) - expectedBf).abs() / expectedBf.clamp_min(1e-30)).max().item<double>() < 4e-3);

    SECTION("causal rows see keys up to their position only") {
        auto causal = torch::empty_like(scores);
        nn::softmaxRows(scores.data_ptr<float>(), 301, causal.data_ptr<float>(), 301, 37, 301, scale, 10);
        for (std::int64_t r : {0, 5, 36}) {
            const std::int64_t visible = r + 11;
            CHECK(causal[r].slice(0, visible).abs().sum().item<float>() == 0.0f);
            const auto ref = torch::softmax(scores[r].slice(0, 0, visible).to(torch::kFloat64) * scale, -1);
            CHECK(maxAbs(causal[r].slice(0, 0, visible), ref) < 1e-6);
        }
    }
    SECTION("very negative scores underflow to zero, not NaN") {
        auto extreme = torch::full({1, 4}, -1e30f);
        extreme[0][2] = 0.0f;
        auto p = torch::empty_like(extreme);
        nn::softmaxRows(extreme.data_ptr<float>(), 4, p.data_ptr<float>(), 4, 1, 4, 1.0f);
        CHECK(p[0][2].item<float>() == 1.0f);
        CHECK(p.sum().item<float>() == 1.0f);
    }
}

TEST_CASE("packed self-attention equals per-sequence softmax attention", "[nn]") {
    torch::manual_seed(2);
    const int heads = GENERATE(4, 12);
    const std::int64_t d = heads * 16;
    // Short, medium and one long sequence: the long one goes head by head in blocks of query rows.
    const std::vector<std::int64_t> lengths{1, 7, 64, heads == 12 ? 700 : 300, 33};
    std::vector<std::int64_t> offsets{0};
    for (auto l : lengths) offsets.push_back(offsets.back() + l);
    const auto qkv = torch::randn({offsets.back(), 3 * d});
    const double scale = 1.0 / std::sqrt(16.0);

    const auto context = nn::packedSelfAttention(qkv, offsets, heads, scale);
    REQUIRE(context.sizes() == torch::IntArrayRef({offsets.back(), d}));
    const auto contextBf = nn::packedSelfAttention(qkv.to(torch::kBFloat16), offsets, heads, scale);
    for (std::size_t s = 0; s < lengths.size(); ++s) {
        const auto rows = qkv.narrow(0, offsets[s], lengths[s]);
        const auto expected =
            referenceAttention(rows.narrow(1, 0, d), rows.narrow(1, d, d), rows.narrow(1, 2 * d, d), heads, scale);
        CHECK(maxAbs(context.narrow(0, offsets[s], lengths[s]), expected) < 2e-5);
        // bf16 inputs, products and probabilities: a few bf16 roundings of values of size ~1.
        CHECK(maxAbs(contextBf.narrow(0, offsets[s], lengths[s]), expected) < 0.1);
    }
}

TEST_CASE("cached attention with a causal offset matches the reference", "[nn]") {
    torch::manual_seed(3);
    const int heads = 6;
    const std::int64_t d = 48, cached = 9, n = 4;
    const auto q = torch::randn({2, n, d});
    const auto k = torch::randn({2, cached + n, d});
    const auto v = torch::randn({2, cached + n, d});
    const auto out = nn::attention(q, k, v, heads, 0.3, cached);
    for (std::int64_t b = 0; b < 2; ++b)
        CHECK(maxAbs(out[b], referenceAttention(q[b], k[b], v[b], heads, 0.3, cached)) < 2e-5);
    // A bool mask hiding every column after the causal limit gives the same (the reference softmax path).
    const auto cols = torch::arange(cached + n).view({1, 1, 1, -1});
    const auto rows = (torch::arange(n) + cached).view({1, 1, -1, 1});
    const auto masked = nn::attention(q, k, v, heads, 0.3, -1, cols > rows);
    CHECK(maxAbs(masked, out) < 2e-5);
}

TEST_CASE("fused residual + LayerNorm matches add then layer_norm", "[nn]") {
    torch::manual_seed(4);
    const auto x0 = torch::randn({19, 96}) * 3;
    const auto y = torch::randn({19, 96});
    const auto gamma = torch::randn({96});
    const auto beta = torch::randn({96});
    const auto expected = torch::layer_norm((x0 + y).to(torch::kFloat64), {96}, gamma.to(torch::kFloat64),
                                            beta.to(torch::kFloat64), 1e-5);

    SECTION("pre-LN keeps the sum in x and returns the normalised rows in bf16") {
        auto x = x0.clone();
        const auto normed =
            nn::residualLayerNorm(x, y.to(torch::kBFloat16), gamma, beta, 1e-5, torch::kBFloat16, false);
        CHECK(normed.scalar_type() == torch::kBFloat16);
        CHECK(maxAbs(x, x0 + y.to(torch::kBFloat16).to(torch::kFloat32)) < 1e-6);
        const auto expectedBf =
            torch::layer_norm(x.to(torch::kFloat64), {96}, gamma.to(torch::kFloat64), beta.to(torch::kFloat64), 1e-5);
        CHECK(maxAbs(normed, expectedBf) < 0.05);
    }
    SECTION("post-LN replaces x") {
        auto x = x0.clone();
        const auto normed = nn::residualLayerNorm(x, y, gamma, beta, 1e-5, torch::kFloat32, true);
        CHECK(maxAbs(x, expected) < 1e-5);
        CHECK(normed.data_ptr() == x.data_ptr());
    }
}

TEST_CASE("packing drops padding and unpacking restores it with zeros", "[nn]") {
    const auto padded = torch::arange(2 * 4 * 3, torch::kFloat32).view({2, 4, 3});
    const auto mask = torch::tensor({1, 1, 1, 0, 1, 1, 0, 0}, torch::kLong).view({2, 4});
    std::vector<std::int64_t> offsets;
    torch::Tensor index;
    const auto packed = nn::packRows(padded, mask, offsets, &index);
    CHECK(offsets == std::vector<std::int64_t>{0, 3, 5});
    REQUIRE(packed.size(0) == 5);
    CHECK(packed[3][0].item<float>() == 12.0f);  // row 1, column 0
    const auto back = nn::unpackRows(packed, index, 2, 4);
    CHECK(maxAbs(back, padded * mask.unsqueeze(-1)) == 0.0);
}

TEST_CASE("the few-row linear kernel gives torch::linear's result in float32 and bfloat16", "[nn]") {
    torch::manual_seed(7);
    const auto dtype = GENERATE(torch::kFloat32, torch::kBFloat16);
    const std::int64_t rows = GENERATE(1, 3, 5, 16, 17);  // 17 rows is past the limit: libtorch's own path
    const std::int64_t k = GENERATE(64, 100);             // 100: a tail after the 16-wide body
    const std::int64_t n = 203;                           // not a multiple of the 4-row weight blocks
    const bool withBias = GENERATE(true, false);
    INFO("dtype " << dtype << " rows " << rows << " k " << k << " bias " << withBias);
    const auto x = torch::randn({rows, k}).to(dtype);
    const auto w = torch::randn({n, k}).to(dtype);
    const auto b = withBias ? torch::randn({n}).to(dtype) : torch::Tensor();
    const auto got = nn::linear(x, w, b);
    REQUIRE(got.scalar_type() == dtype);
    REQUIRE(got.sizes() == torch::IntArrayRef({rows, n}));
    // float64 reference of the same (rounded) inputs; the kernel sums in float32, bf16 output is rounded once.
    auto expected = torch::matmul(x.to(torch::kFloat64), w.to(torch::kFloat64).t());
    if (withBias) expected = expected + b.to(torch::kFloat64);
    // bf16: one rounding of the output (relative 2^-9) plus float32 summation.
    const double tolerance = dtype == torch::kFloat32 ? 1e-4 : 0.004 * expected.abs().max().item<double>() + 1e-3;
    CHECK(maxAbs(got, expected) < tolerance);
    // A 3-d input keeps its leading shape.
    const auto batched = nn::linear(x.unsqueeze(0), w, b);
    CHECK(batched.sizes() == torch::IntArrayRef({1, rows, n}));
    CHECK(maxAbs(batched.squeeze(0), expected) < tolerance);
}

TEST_CASE("a decoder step's attention over a head-major cache matches the reference", "[nn]") {
    torch::manual_seed(11);
    const auto dtype = GENERATE(torch::kFloat32, torch::kBFloat16);
    const std::int64_t nq = GENERATE(1, 3);
    const bool causal = GENERATE(true, false);
    const int heads = 12;
    const std::int64_t dh = 64, d = heads * dh, capacity = 40, valid = 23;
    INFO("dtype " << dtype << " queries " << nq << " causal " << causal);
    // The cache is preallocated for `capacity` tokens and holds `valid`: the kernel reads a strided view.
    const auto cacheK = torch::randn({2, heads, capacity, dh}).to(dtype);
    const auto cacheV = torch::randn({2, heads, capacity, dh}).to(dtype);
    const auto keys = cacheK.narrow(2, 0, valid);
    const auto values = cacheV.narrow(2, 0, valid);
    const auto q = torch::randn({2, nq, d}).to(dtype);
    const std::int64_t offset = causal ? valid - nq : -1;
    const auto out = nn::attentionHeadMajor(q, keys, values, 0.125, offset);
    REQUIRE(out.scalar_type() == dtype);
    REQUIRE(out.sizes() == torch::IntArrayRef({2, nq, d}));
    const double tolerance = dtype == torch::kFloat32 ? 2e-5 : 2e-2;
    for (std::int64_t b = 0; b < 2; ++b) {
        const auto k = keys[b].transpose(0, 1).reshape({valid, d});
        const auto v = values[b].transpose(0, 1).reshape({valid, d});
        CHECK(maxAbs(out[b], referenceAttention(q[b], k, v, heads, 0.125, offset)) < tolerance);
    }
}
