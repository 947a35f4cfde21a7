// CpGPT on the shared fixture's tiny random-weight model: outputs, missing-value handling, stages, order
// invariance and blocked attention against upstream's own fp32 results (../shared/fixtures/cpgpt/README.md gives
// the tolerances: atol 1e-5 + 1e-5 |expected|; 5e-5 for locus embeddings; 1e-4 for pred_meth).
#include <cstdio>
#include <map>
#include <numeric>
#include <optional>
#include <random>

#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/cpgpt/cpgpt_model.h"
#include "tests/core/methyl/cpgpt/cpgpt_test_util.h"

using namespace benchtop;
using namespace benchtop::test;
using namespace benchtop::test::cpgpt;
using methyl::cpgpt::CpgptModel;

namespace {

const std::vector<std::string> kSamples = {"fx_s1", "fx_s2", "fx_s3", "fx_s4", "fx_s5", "fx_s6"};

methyl::BetaMatrix fixtureBetas() {
    return methyl::readBetaMatrix(fixture("inputs/betas.csv"));
}

/// Betas of sample `s` in vocab order (NaN where missing or absent).
std::vector<double> vocabBetas(const methyl::BetaMatrix& m, const std::vector<std::string>& vocab, std::size_t s) {
    std::vector<double> out;
    for (const std::string& id : vocab) {
        const int row = m.row(id);
        out.push_back(row < 0 ? std::nan("") : m.at(static_cast<std::size_t>(row), s));
    }
    return out;
}

void checkAgainstFixture(const CpgptModel& model, const char* label) {
    const methyl::BetaMatrix betas = fixtureBetas();
    const methyl::cpgpt::CpgptPredictions p = model.predict(betas);
    REQUIRE(p.samples == kSamples);
    REQUIRE(p.outputs.size() == 3);
    const std::vector<double> conditions = expected("pred_conditions_masked.npy");
    const std::vector<double> embeddings = expected("sample_embedding_masked.npy");
    double worstCondition = 0, worstEmbedding = 0;
    const std::vector<int> measured = {189, 179, 170, 95, 185, 151};  // MANIFEST.json dropped_lengths
    for (std::size_t s = 0; s < 6; ++s) {
        CHECK(p.measured[s] == measured[s]);
        CHECK(p.used[s] == measured[s]);
        for (std::size_t k = 0; k < 3; ++k) {
            CHECK(p.outputs[k].clockId == "fx_cond" + std::to_string(k));
            CHECK(p.outputs[k].present[s] == measured[s]);
            const double d = std::fabs(p.outputs[k].values[s] - conditions[s * 3 + k]);
            worstCondition = std::max(worstCondition, d);
            CHECK(d <= 1e-5 + 1e-5 * std::fabs(conditions[s * 3 + k]));
        }
        const Closeness e = compare(p.embeddings[s], embeddings, 1e-5, 0, s * 32, 32);
        worstEmbedding = std::max(worstEmbedding, e.maxAbs);
        CHECK(e.within);
    }
    std::printf("[cpgpt] %s: pred_conditions max |diff| %.3g, sample_embedding max |diff| %.3g\n", label,
                worstCondition, worstEmbedding);
}

}  // namespace

TEST_CASE("fixture: pred_conditions and sample_embedding match upstream (ckpt and safetensors)", "[cpgpt]") {
    TempDir dir;
    const auto locus = fixtureLocusTable();
    SECTION("model.ckpt through the data-only pickle reader") {
        const CpgptModel model = CpgptModel::load(modelFolder(dir, "model.ckpt", locus));
        CHECK(model.weightsFile().size() > 0);
        CHECK(model.locatedCpgs() == 200);
        checkAgainstFixture(model, "model.ckpt");
    }
    SECTION("model.safetensors") {
        const CpgptModel model = CpgptModel::load(modelFolder(dir, "model.safetensors", locus));
        checkAgainstFixture(model, "model.safetensors");
    }
}

TEST_CASE("fixture: masked == dropped == single sample, and the reference's dropped/single outputs", "[cpgpt]") {
    TempDir dir;
    const CpgptModel model = CpgptModel::load(modelFolder(dir, "model.safetensors", fixtureLocusTable()));
    const methyl::BetaMatrix betas = fixtureBetas();
    const std::vector<double> dropped = expected("pred_conditions_dropped.npy");
    const std::vector<double> single = expected("pred_conditions_single.npy");
    const std::vector<double> singleEmbedding = expected("sample_embedding_single.npy");
    double worst = 0;
    for (std::size_t s = 0; s < 6; ++s) {
        const auto b = vocabBetas(betas, model.vocab().input, s);
        std::vector<float> cm, em, cd, ed;
        model.encode(b, cm, em, /*masked=*/true);
        model.encode(b, cd, ed, /*masked=*/false);
        const Closeness cc = compare(cm, cd, 1e-5), ee = compare(em, ed, 1e-5);
        worst = std::max({worst, cc.maxAbs, ee.maxAbs});
        CHECK(cc.within);
        CHECK(ee.within);
        CHECK(compare(cd, dropped, 1e-5, 0, s * 3, 3).within);
        CHECK(compare(cd, single, 1e-5, 0, s * 3, 3).within);
        CHECK(compare(ed, singleEmbedding, 1e-5, 0, s * 32, 32).within);
    }
    std::printf("[cpgpt] masked vs dropped: max |diff| %.3g\n", worst);
}

TEST_CASE("fixture: intermediates stage by stage", "[cpgpt]") {
    TempDir dir;
    const CpgptModel model = CpgptModel::load(modelFolder(dir, "model.ckpt", fixtureLocusTable()));
    const auto stages = model.stages(vocabBetas(fixtureBetas(), model.vocab().input, 0));
    const std::map<std::string, std::pair<std::string, double>> cases = {
        {"sequence_embeddings", {"sequence_embeddings.npy", 1e-5}},
        {"abs_position_encoding", {"abs_position_encoding.npy", 1e-5}},
        {"locus_embeddings", {"locus_embeddings.npy", 5e-5}},
        {"meth_embeddings", {"meth_embeddings_s1.npy", 1e-5}},
        {"transformer_input", {"transformer_input_s1.npy", 1e-5}},
        {"layer0_output", {"layer0_output_s1.npy", 1e-5}},
        {"layer1_output", {"layer1_output_s1.npy", 1e-5}},
        {"condition_queries", {"condition_queries.npy", 1e-5}},
    };
    for (const auto& [name, file] : cases) {
        INFO(name);
        REQUIRE(stages.count(name));
        std::vector<std::int64_t> shape;
        const std::vector<double> want = expected("intermediates/" + file.first, &shape);
        CHECK(stages.at(name).shape == shape);
        const Closeness c = compare(stages.at(name).values, want, file.second);
        std::printf("[cpgpt] stage %-22s max |diff| %.3g\n", name.c_str(), c.maxAbs);
        CHECK(c.within);
    }
}

TEST_CASE("fixture: query_methylation M-values and uncertainties", "[cpgpt]") {
    TempDir dir;
    const CpgptModel model = CpgptModel::load(modelFolder(dir, "model.safetensors", fixtureLocusTable()));
    const auto p = model.predict(fixtureBetas());
    const std::vector<double> m = expected("pred_meth_m.npy"), u = expected("pred_meth_unc.npy");
    for (std::size_t s = 0; s < 6; ++s) {
        std::vector<float> mv, uv;
        model.queryMethylation(p.embeddings[s], mv, uv);
        CHECK(compare(mv, m, 1e-4, 0, s * 200, 200).within);
        CHECK(compare(uv, u, 1e-4, 0, s * 200, 200).within);
    }
}

TEST_CASE("a shuffled CpG order gives the same outputs", "[cpgpt]") {
    TempDir dir;
    const auto locus = fixtureLocusTable();
    // Permute the model's own CpG order (vocab and locus rows together); the file order is irrelevant anyway.
    std::vector<std::size_t> order(locus.cpgs.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937(7));
    auto shuffled = locus;
    nlohmann::json vocab = nlohmann::json::parse(readFile(fixture("tiny_model/vocab.json")));
    for (std::size_t i = 0; i < order.size(); ++i) {
        shuffled.cpgs[i] = locus.cpgs[order[i]];
        shuffled.positions[i] = locus.positions[order[i]];
        std::copy_n(locus.embeddings.begin() + static_cast<std::ptrdiff_t>(order[i] * 1024), 1024,
                    shuffled.embeddings.begin() + static_cast<std::ptrdiff_t>(i * 1024));
        vocab["input"][i] = locus.cpgs[order[i]];
    }
    const CpgptModel model = CpgptModel::load(modelFolder(dir, "model.safetensors", shuffled, vocab.dump()));
    REQUIRE(model.vocab().input != locus.cpgs);
    checkAgainstFixture(model, "shuffled vocab order");
}

TEST_CASE("maxLength keeps an evenly spaced, deterministic subset of the measured CpGs", "[cpgpt]") {
    TempDir dir;
    const CpgptModel model = CpgptModel::load(modelFolder(dir, "model.safetensors", fixtureLocusTable()));
    const methyl::BetaMatrix betas = fixtureBetas();
    methyl::cpgpt::RunOptions options;
    options.maxLength = 60;
    const auto a = model.predict(betas, options), b = model.predict(betas, options);
    for (std::size_t s = 0; s < 6; ++s) {
        CHECK(a.used[s] == 60);
        CHECK(a.outputs[0].present[s] == 60);
        CHECK(a.outputs[0].values[s] == b.outputs[0].values[s]);
        // The same subset by hand: measured CpGs j * n / 60 in vocab order.
        auto vb = vocabBetas(betas, model.vocab().input, s);
        std::vector<std::size_t> measured;
        for (std::size_t i = 0; i < vb.size(); ++i)
            if (!std::isnan(vb[i])) measured.push_back(i);
        std::vector<double> subset(vb.size(), std::nan(""));
        for (std::size_t j = 0; j < 60; ++j)
            subset[measured[j * measured.size() / 60]] = vb[measured[j * measured.size() / 60]];
        std::vector<float> c, e;
        model.encode(subset, c, e);
        for (std::size_t k = 0; k < 3; ++k) CHECK(std::fabs(a.outputs[k].values[s] - c[k]) <= 1e-6);
    }
    options.maxLength = 0;
    options.minCoverage = 0.9;  // fx_s3 (85 %), fx_s4 (47.5 %) and fx_s6 (75.5 %) fall below
    const auto covered = model.predict(betas, options);
    CHECK(std::isnan(covered.outputs[0].values[3]));
    CHECK(covered.outputs[0].reasons[3] == "95 of 200 CpGs measured (47 % < 90 %)");
    CHECK(!std::isnan(covered.outputs[0].values[0]));
}

TEST_CASE("output transforms: sigmoid and affine", "[cpgpt]") {
    TempDir dir;
    const CpgptModel model = CpgptModel::load(modelFolder(dir, "model.safetensors", fixtureLocusTable()));
    methyl::cpgpt::RunOptions options;
    options.outputs = {{"fx_cond2", "probability", methyl::cpgpt::OutputTransform::Sigmoid, 1, 0},
                       {"fx_cond0", "years", methyl::cpgpt::OutputTransform::Affine, 10.0, 50.0}};
    const auto p = model.predict(fixtureBetas(), options);
    const std::vector<double> raw = expected("pred_conditions_masked.npy");
    REQUIRE(p.outputs.size() == 2);
    CHECK(p.outputs[0].clockId == "fx_cond2");
    for (std::size_t s = 0; s < 6; ++s) {
        CHECK(std::fabs(p.outputs[0].values[s] - 1.0 / (1.0 + std::exp(-raw[s * 3 + 2]))) <= 1e-5);
        CHECK(std::fabs(p.outputs[1].values[s] - (raw[s * 3] * 10.0 + 50.0)) <= 1e-4);
    }
    options.outputs = {{"age", "years", methyl::cpgpt::OutputTransform::Identity, 1, 0}};
    CHECK(errorOf([&] { model.predict(fixtureBetas(), options); }).find("has no output 'age'") != std::string::npos);
}

TEST_CASE("reduced precision on request stays within the stated tolerance of fp32", "[cpgpt]") {
    // docs/cpgpt.md states it: with bf16 or fp16 matrix products (norms, softmax and the residual stream stay
    // float32) the outputs are within 2e-2 relative to the output range of upstream's fp32 results.
    TempDir dir;
    const std::string folder = modelFolder(dir, "model.safetensors", fixtureLocusTable());
    const std::vector<double> conditions = expected("pred_conditions_masked.npy");
    double range = 0;
    for (double v : conditions) range = std::max(range, std::fabs(v));
    methyl::cpgpt::LoadOptions options;
    options.precision = device::Precision::Bf16;
    std::optional<CpgptModel> loaded;
    try {
        loaded.emplace(CpgptModel::load(folder, options));
    } catch (const Error& e) {
        SKIP("this CPU has no bf16 matrix products: " << e.what());
    }
    const methyl::cpgpt::CpgptPredictions p = loaded->predict(fixtureBetas());
    CHECK(p.precision == "bf16");
    double worst = 0;
    for (std::size_t s = 0; s < 6; ++s)
        for (std::size_t k = 0; k < 3; ++k)
            worst = std::max(worst, std::fabs(p.outputs[k].values[s] - conditions[s * 3 + k]));
    std::printf("cpgpt bf16 vs upstream fp32: max |diff| %.3g (output range %.3g)\n", worst, range);
    CHECK(worst <= 2e-2 * range);
    CHECK(worst > 0);  // the products really ran in bf16
}
