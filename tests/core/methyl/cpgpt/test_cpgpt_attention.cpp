// Blocked attention against full softmax attention, directly and on the fixture, and the memory budget.
// libtorch first: its logging CHECK macro is replaced by Catch's below.
#include <torch/torch.h>
#undef CHECK

#include <cmath>
#include <cstdio>

#include <catch2/catch_test_macros.hpp>

#include "core/methyl/beta_matrix.h"
#include "core/methyl/cpgpt/cpgpt_model.h"
#include "core/methyl/cpgpt/cpgpt_network_torch.h"
#include "tests/core/methyl/cpgpt/cpgpt_test_util.h"

using namespace benchtop;
using namespace benchtop::test;
using namespace benchtop::test::cpgpt;
using methyl::cpgpt::CpgptModel;

TEST_CASE("blocked attention equals full attention", "[cpgpt][attention]") {
    using methyl::cpgpt::blockedAttention;
    torch::manual_seed(3);
    const auto q = torch::randn({4, 301, 8}), k = torch::randn({4, 301, 8}), v = torch::randn({4, 301, 8});
    const auto hidden = torch::rand({301}) < 0.2;
    const double scale = 1.0 / std::sqrt(8.0);
    const auto full = torch::matmul(
        torch::softmax((torch::matmul(q * scale, k.transpose(1, 2))).masked_fill(hidden, -INFINITY), -1), v);
    methyl::cpgpt::AttentionStats stats;
    const auto blocked = blockedAttention(q, k, v, scale, 4 * 301 * 8 * 7, hidden, &stats);  // 7 rows per block
    CHECK(stats.blocks == 43);
    CHECK(stats.peakScoreBytes <= 4 * 301 * 8 * 7);
    CHECK((blocked - full).abs().max().item<double>() <= 1e-6);

    // On the fixture: one query row per block vs everything at once.
    TempDir dir;
    const CpgptModel model = CpgptModel::load(modelFolder(dir, "model.safetensors", fixtureLocusTable()));
    const auto matrix = methyl::readBetaMatrix(fixture("inputs/betas.csv"));
    std::vector<double> b;
    for (const std::string& id : model.vocab().input) {
        const int row = matrix.row(id);
        b.push_back(row < 0 ? std::nan("") : matrix.at(static_cast<std::size_t>(row), 0));
    }
    std::vector<float> c1, e1, c2, e2;
    model.encode(b, c1, e1, true, 1);
    model.encode(b, c2, e2, true, 1ll << 40);
    const Closeness d = compare(c1, c2, 0);
    std::printf("[cpgpt] blocked (1 row) vs full attention on the fixture: max |diff| %.3g\n", d.maxAbs);
    CHECK(d.maxAbs <= 1e-5);  // fp32 summation order only (the fixture's tolerance)
}
