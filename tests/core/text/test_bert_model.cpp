// BERT / XLM-R encoder + sentence-transformers pooling against the fixtures' expected.safetensors
// (sentence-transformers 2.2.2 on torch 1.13, fp32; README tolerance 1e-5). Torch-free test: the
// encoder is driven through core/text/text_encoder.h.

#include "core/tensor/safetensors_file.h"
#include "core/text/text_encoder.h"
#include "tests/support/shared_paths.h"

#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

using benchtop::text::TextEncoder;

namespace {

std::vector<float> readF32(const benchtop::tensor::SafetensorsFile& file, const std::string& name) {
    const auto view = file.bytes(name);
    std::vector<float> out(view.size / sizeof(float));
    std::memcpy(out.data(), view.data, view.size);
    return out;
}

}  // namespace

TEST_CASE("text encoder reproduces sentence-transformers embeddings", "[text][bert]") {
    const auto inputs =
        nlohmann::json::parse(benchtop::test::readFile(benchtop::test::sharedPath("fixtures/text/inputs.json")))
            .get<std::vector<std::string>>();
    REQUIRE(inputs.size() == 52);
    for (const std::string model : {"tiny-bert-mean", "tiny-bert-cls", "tiny-xlmr-m3"}) {
        INFO(model);
        const auto encoder = TextEncoder::load(benchtop::test::sharedPath("models/" + model), "cpu", "fp32");
        const benchtop::tensor::SafetensorsFile expected(
            benchtop::test::sharedPath("fixtures/text/" + model + "/expected.safetensors"));
        const auto ref = readF32(expected, "st/embeddings");
        const size_t dim = encoder->dimension();
        REQUIRE(ref.size() == 52 * dim);

        // sentence-transformers encodes in batches of 32.
        std::vector<float> got;
        for (size_t begin = 0; begin < inputs.size(); begin += 32) {
            const std::vector<std::string> chunk(
                inputs.begin() + static_cast<long>(begin),
                inputs.begin() + static_cast<long>(std::min(inputs.size(), begin + 32)));
            const auto part = encoder->embedTexts(chunk);
            got.insert(got.end(), part.begin(), part.end());
        }
        REQUIRE(got.size() == ref.size());
        double maxErr = 0, minCos = 1;
        for (size_t r = 0; r < 52; ++r) {
            double dot = 0, na = 0, nb = 0;
            for (size_t c = 0; c < dim; ++c) {
                const double a = got[r * dim + c], b = ref[r * dim + c];
                maxErr = std::max(maxErr, std::abs(a - b) / std::max(1.0, std::abs(b)));
                dot += a * b, na += a * a, nb += b * b;
            }
            minCos = std::min(minCos, dot / std::sqrt(na * nb));
        }
        CHECK(maxErr <= 1e-5);
        CHECK(minCos >= 0.99999);
    }
}

TEST_CASE("encoder hidden states match the per-layer reference", "[text][bert]") {
    const auto encoder = TextEncoder::load(benchtop::test::sharedPath("models/tiny-bert-mean"), "cpu", "fp32");
    const benchtop::tensor::SafetensorsFile expected(
        benchtop::test::sharedPath("fixtures/text/tiny-bert-mean/expected.safetensors"));
    const auto ref = readF32(expected, "debug/input1/hidden_state.2");  // after the last layer, unpadded
    const auto batch = encoder->tokenizer().encodeBatch({"The quick brown fox jumps over the lazy dog."});
    const auto hidden = encoder->hiddenStates(batch);
    REQUIRE(hidden.size() == ref.size());
    double maxErr = 0;
    for (size_t i = 0; i < ref.size(); ++i)
        maxErr = std::max(maxErr, static_cast<double>(std::abs(hidden[i] - ref[i])));
    CHECK(maxErr <= 2e-5);
}

TEST_CASE("bf16 embeddings stay within cosine 0.999 of fp32 for every fixture model", "[text][bert][bf16]") {
    const auto inputs =
        nlohmann::json::parse(benchtop::test::readFile(benchtop::test::sharedPath("fixtures/text/inputs.json")))
            .get<std::vector<std::string>>();
    for (const std::string model : {"tiny-bert-mean", "tiny-bert-cls", "tiny-xlmr-m3"}) {
        INFO(model);
        const std::string dir = benchtop::test::sharedPath("models/" + model);
        const auto full = TextEncoder::load(dir, "cpu", "fp32")->embedTexts(inputs);
        const auto low = TextEncoder::load(dir, "cpu", "bf16")->embedTexts(inputs);
        REQUIRE(full.size() == low.size());
        const size_t dim = full.size() / inputs.size();
        double minCos = 1, maxAbs = 0, maxRef = 0;
        for (size_t r = 0; r < inputs.size(); ++r) {
            double dot = 0, na = 0, nb = 0;
            for (size_t c = 0; c < dim; ++c) {
                const double a = full[r * dim + c], b = low[r * dim + c];
                dot += a * b, na += a * a, nb += b * b;
                maxAbs = std::max(maxAbs, std::abs(a - b));
                maxRef = std::max(maxRef, std::abs(a));
            }
            minCos = std::min(minCos, dot / std::sqrt(na * nb));
        }
        std::printf("%s bf16 vs fp32 on the 52 fixture inputs: min cosine %.6f, max abs %.4f (max |fp32| %.2f)\n",
                    model.c_str(), minCos, maxAbs, maxRef);
        CHECK(minCos >= 0.999);
        CHECK(maxAbs <= 2e-2 * maxRef);  // README: max abs <= 2e-2 x max|ref| for reduced precision
    }
}
