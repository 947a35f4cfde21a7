// BGE-M3 outputs (dense, sparse lexical weights, ColBERT vectors) of the tiny-xlmr-m3 model against
// FlagEmbedding 1.3.5 (fixtures/text/tiny-xlmr-m3: expected.safetensors, lexical_weights.json,
// scores.json; README tolerances), through the encoder and through the engine's text task.

#include "core/engine/engine.h"
#include "core/tensor/npy_reader.h"
#include "core/tensor/safetensors_file.h"
#include "core/tensor/safetensors_writer.h"
#include "core/text/bge_m3.h"
#include "core/text/embedding_task.h"
#include "core/text/text_encoder.h"
#include "tests/core/text/text_jobs.h"
#include "tests/support/shared_paths.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace benchtop;
using Catch::Matchers::ContainsSubstring;

namespace {

const std::string kModel = "models/tiny-xlmr-m3";
const std::string kFixture = "fixtures/text/tiny-xlmr-m3/";

template <class T>
std::vector<T> readTensor(const tensor::SafetensorsFile& file, const std::string& name) {
    const auto view = file.bytes(name);
    std::vector<T> out(view.size / sizeof(T));
    std::memcpy(out.data(), view.data, view.size);
    return out;
}

std::vector<std::string> fixtureInputs() {
    return nlohmann::json::parse(test::readFile(test::sharedPath("fixtures/text/inputs.json")))
        .get<std::vector<std::string>>();
}

/// lexical_weights.json items as (id, weight) lists in the file's (insertion) order.
std::vector<text::LexicalWeights> expectedLexicalWeights() {
    // ordered_json keeps the keys in file order, which is FlagEmbedding's insertion order.
    const auto j = nlohmann::ordered_json::parse(test::readFile(test::sharedPath(kFixture + "lexical_weights.json")));
    std::vector<text::LexicalWeights> out;
    for (const auto& item : j["items"]) {
        text::LexicalWeights w;
        for (const auto& [key, value] : item["weights"].items()) w.emplace_back(std::stoi(key), value.get<float>());
        out.push_back(std::move(w));
    }
    return out;
}

double cosine(const float* a, const float* b, size_t n) {
    double dot = 0, na = 0, nb = 0;
    for (size_t i = 0; i < n; ++i) {
        dot += double(a[i]) * b[i];
        na += double(a[i]) * a[i];
        nb += double(b[i]) * b[i];
    }
    return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : (na == nb ? 1.0 : 0.0);
}

/// fp32: same ids in the same order, weights within `tol`. Reduced precision (`reduced`): only ids with a
/// weight >= 0.02 on either side are compared (README), absent counts as 0. Returns the largest difference.
double compareLexical(const text::LexicalWeights& got, const text::LexicalWeights& want, double tol, bool reduced) {
    double worst = 0;
    if (!reduced) {
        REQUIRE(got.size() == want.size());
        for (size_t i = 0; i < want.size(); ++i) {
            CHECK(got[i].first == want[i].first);
            CHECK(std::abs(got[i].second - want[i].second) <= tol);
            worst = std::max(worst, double(std::abs(got[i].second - want[i].second)));
        }
        return worst;
    }
    auto weightOf = [](const text::LexicalWeights& w, text::TokenId id) {
        for (const auto& [i, v] : w)
            if (i == id) return double(v);
        return 0.0;
    };
    for (const auto* side : {&got, &want})
        for (const auto& [id, w] : *side) {
            const double a = weightOf(got, id), b = weightOf(want, id);
            if (std::max(a, b) < 0.02) continue;
            INFO("token id " << id);
            CHECK(std::abs(a - b) <= tol);
            worst = std::max(worst, std::abs(a - b));
        }
    return worst;
}

/// A copy of a shared model folder that a test may break.
fs::path copyModel(const std::string& name, const fs::path& dir) {
    const fs::path source = test::sharedPath("models/" + name);
    const fs::path model = dir / name;
    fs::create_directories(model);
    for (const auto& entry : fs::recursive_directory_iterator(source)) {
        const auto rel = fs::relative(entry.path(), source);
        if (entry.is_directory())
            fs::create_directories(model / rel);
        else
            fs::copy_file(entry.path(), model / rel);
        fs::permissions(model / rel, fs::perms::owner_write, fs::perm_options::add);
    }
    return model;
}

}  // namespace

TEST_CASE("output selection parses the --outputs list", "[text][m3]") {
    CHECK(text::OutputSelection::parse("").toString() == "dense");
    CHECK(text::OutputSelection::parse("sparse").toString() == "sparse");
    CHECK(text::OutputSelection::parse(" Dense , colbert").toString() == "dense,colbert");
    CHECK(text::OutputSelection::parse("all").toString() == "dense,sparse,colbert");
    CHECK(text::OutputSelection::parse("sparse").anyHead());
    CHECK_FALSE(text::OutputSelection::parse("dense").anyHead());
    CHECK_THROWS_WITH(text::OutputSelection::parse("dense,bm25"),
                      ContainsSubstring("bm25") && ContainsSubstring("outputs"));
}

TEST_CASE("lexical weights keep the max per id, drop special ids and non-positive weights", "[text][m3]") {
    const std::vector<std::int64_t> ids{0, 7, 9, 7, 2, 9, 5};
    const std::vector<float> weights{3.0f, 0.5f, 0.0f, 0.75f, 4.0f, 0.25f, -1.0f};
    const auto w = text::lexicalWeights(weights.data(), ids.data(), ids.size(), {0, 1, 2, 3});
    REQUIRE(w.size() == 2);
    CHECK(w[0] == std::pair<text::TokenId, float>{7, 0.75f});  // first occurrence order, max value
    CHECK(w[1] == std::pair<text::TokenId, float>{9, 0.25f});  // a zero weight does not claim the slot
    CHECK(text::lexicalMatchingScore(w, {{9, 2.0f}, {11, 5.0f}}) == 0.5);
    const std::vector<float> q{1, 0, 0, 1}, p{0.5f, 0.5f, 1, 0, 0, -1};
    CHECK(text::colbertScore(q.data(), 2, p.data(), 3, 2) == (1.0 + 0.5) / 2);
    CHECK(text::colbertScore(q.data(), 2, p.data(), 0, 2) == 0.0);
}

TEST_CASE("special ids left out of lexical weights come from special_tokens_map.json", "[text][m3]") {
    const std::string dir = test::sharedPath(kModel);
    const auto encoder = text::TextEncoder::load(dir, "cpu", "fp32");
    const auto unused = text::unusedTokenIds(dir, encoder->tokenizer());
    const auto fixture = nlohmann::json::parse(test::readFile(test::sharedPath(kFixture + "lexical_weights.json")));
    CHECK(unused == fixture["unused_token_ids"].get<std::vector<text::TokenId>>());
}

TEST_CASE("BGE-M3 dense, sparse and ColBERT outputs match FlagEmbedding", "[text][m3]") {
    const auto inputs = fixtureInputs();
    const tensor::SafetensorsFile expected(test::sharedPath(kFixture + "expected.safetensors"));
    const auto refDense = readTensor<float>(expected, "m3/dense");
    const auto refColbert = readTensor<float>(expected, "m3/colbert");
    const auto refOffsets = readTensor<std::int64_t>(expected, "m3/colbert_offsets");
    const auto refIds = readTensor<std::int64_t>(expected, "m3/input_ids");
    const auto refLexical = expectedLexicalWeights();
    REQUIRE(refLexical.size() == inputs.size());

    const auto encoder =
        text::TextEncoder::load(test::sharedPath(kModel), "cpu", "fp32", text::OutputSelection::parse("all"));
    REQUIRE(encoder->dimension() == 48);
    REQUIRE(encoder->colbertDimension() == 48);
    // FlagEmbedding tokenizes the raw texts (no strip), truncated to max_length 128.
    text::EncodeOptions options;
    options.maxLength = encoder->tokenizer().maxLength();
    REQUIRE(options.maxLength == 128);
    const auto batch = encoder->tokenizer().encodeBatch(inputs, options);
    REQUIRE(batch.columns == 128);
    CHECK(batch.inputIds == refIds);
    const auto out = encoder->encode(batch);
    REQUIRE(out.rows == inputs.size());

    double maxDense = 0;
    for (size_t i = 0; i < refDense.size(); ++i)
        maxDense = std::max(maxDense, double(std::abs(out.dense[i] - refDense[i])));
    CHECK(maxDense <= 1e-5);

    double maxColbert = 0, maxSparse = 0;
    for (size_t r = 0; r < inputs.size(); ++r) {
        INFO("input " << r);
        const auto n = static_cast<size_t>(refOffsets[r + 1] - refOffsets[r]);
        REQUIRE(out.colbert[r].size() == n * 48);
        for (size_t i = 0; i < n * 48; ++i)
            maxColbert = std::max(maxColbert, double(std::abs(out.colbert[r][i] - refColbert[refOffsets[r] * 48 + i])));
        maxSparse = std::max(maxSparse, compareLexical(out.sparse[r], refLexical[r], 1e-5, false));
    }
    CHECK(maxColbert <= 2e-5);
    std::cout << "BGE-M3 fp32 vs FlagEmbedding: dense max abs " << maxDense << ", ColBERT max abs " << maxColbert
              << ", lexical weights max abs " << maxSparse << "\n";

    SECTION("scores between texts match FlagEmbedding's") {
        const auto scores = nlohmann::json::parse(test::readFile(test::sharedPath(kFixture + "scores.json")));
        REQUIRE(scores["pairs"].size() == 8);
        for (const auto& pair : scores["pairs"]) {
            const auto q = pair["query_index"].get<size_t>(), p = pair["passage_index"].get<size_t>();
            INFO("pair " << q << ", " << p);
            double dense = 0;
            for (size_t i = 0; i < 48; ++i) dense += double(out.dense[q * 48 + i]) * out.dense[p * 48 + i];
            const double sparse = text::lexicalMatchingScore(out.sparse[q], out.sparse[p]);
            const double colbert = text::colbertScore(out.colbert[q].data(), out.colbert[q].size() / 48,
                                                      out.colbert[p].data(), out.colbert[p].size() / 48, 48);
            CHECK(std::abs(dense - pair["dense"].get<double>()) <= 1e-5);
            CHECK(std::abs(sparse - pair["sparse"].get<double>()) <=
                  1e-5 * std::max(1.0, pair["sparse"].get<double>()));
            CHECK(std::abs(colbert - pair["colbert"].get<double>()) <= 1e-5);
        }
    }

    SECTION("bf16 stays within the README's reduced-precision tolerances") {
        const auto low =
            text::TextEncoder::load(test::sharedPath(kModel), "cpu", "bf16", text::OutputSelection::parse("all"));
        const auto lowOut = low->encode(batch);
        double minDense = 1, minColbert = 1, maxSparse = 0;
        for (size_t r = 0; r < inputs.size(); ++r) {
            INFO("input " << r);
            minDense = std::min(minDense, cosine(&lowOut.dense[r * 48], &out.dense[r * 48], 48));
            REQUIRE(lowOut.colbert[r].size() == out.colbert[r].size());
            for (size_t v = 0; v < out.colbert[r].size() / 48; ++v)
                minColbert = std::min(minColbert, cosine(&lowOut.colbert[r][v * 48], &out.colbert[r][v * 48], 48));
            maxSparse = std::max(maxSparse, compareLexical(lowOut.sparse[r], refLexical[r], 2e-2, true));
        }
        std::cout << "BGE-M3 bf16 vs fp32: dense min cosine " << minDense << ", ColBERT min cosine " << minColbert
                  << ", lexical weights max abs " << maxSparse << "\n";
        CHECK(minDense >= 0.999);
        CHECK(minColbert >= 0.995);
    }
}

TEST_CASE("text task writes sparse.jsonl and colbert.safetensors for a BGE-M3 model", "[text][m3][task]") {
    test::TempDir dir;
    const auto snap =
        test::runTextJob(test::sharedPath(kModel), dir.path(), "fp32", {{"outputs", "dense,sparse,colbert"}});
    INFO(snap.error);
    REQUIRE(snap.state == engine::JobState::Done);
    const fs::path out(snap.resultDir);
    for (const char* part : {"embeddings.npy.part", "sparse.jsonl.part", "colbert.safetensors.part"})
        CHECK_FALSE(fs::exists(out / part));

    const tensor::SafetensorsFile expected(test::sharedPath(kFixture + "expected.safetensors"));
    const auto refDense = readTensor<float>(expected, "m3/dense");
    const auto dense = tensor::readNpy((out / "embeddings.npy").string());
    REQUIRE(dense.shape == std::vector<std::int64_t>{52, 48});
    const auto values = dense.toFloats();
    double maxDense = 0;
    for (size_t i = 0; i < refDense.size(); ++i)
        maxDense = std::max(maxDense, double(std::abs(values[i] - refDense[i])));
    CHECK(maxDense <= 1e-5);

    // sparse.jsonl: FlagEmbedding's dict per text, ids as strings in insertion order.
    const auto refLexical = expectedLexicalWeights();
    std::ifstream sparseFile(out / "sparse.jsonl");
    size_t row = 0;
    for (std::string line; std::getline(sparseFile, line); ++row) {
        INFO("sparse.jsonl line " << row + 1);
        REQUIRE(row < refLexical.size());
        const auto j = nlohmann::ordered_json::parse(line);
        CHECK(j["id"].get<size_t>() == row);
        text::LexicalWeights got;
        for (const auto& [key, value] : j["weights"].items()) got.emplace_back(std::stoi(key), value.get<float>());
        compareLexical(got, refLexical[row], 1e-5, false);
    }
    CHECK(row == 52);

    const tensor::SafetensorsFile colbert((out / "colbert.safetensors").string());
    CHECK(colbert.info("colbert").shape == std::vector<std::int64_t>{1384, 48});
    CHECK(readTensor<std::int64_t>(colbert, "offsets") == readTensor<std::int64_t>(expected, "m3/colbert_offsets"));
    const auto got = readTensor<float>(colbert, "colbert");
    const auto ref = readTensor<float>(expected, "m3/colbert");
    double maxColbert = 0;
    for (size_t i = 0; i < ref.size(); ++i) maxColbert = std::max(maxColbert, double(std::abs(got[i] - ref[i])));
    CHECK(maxColbert <= 2e-5);

    const auto info = nlohmann::json::parse(test::readFile((out / "embedding_info.json").string()));
    CHECK(info["outputs"] == "dense,sparse,colbert");
    CHECK(info["colbert_dim"] == 48);
    CHECK(info["count"] == 52);

    SECTION("float16 on request applies to the ColBERT vectors too") {
        test::TempDir halfDir;
        const auto half = test::runTextJob(test::sharedPath(kModel), halfDir.path(), "fp32",
                                           {{"outputs", "colbert"}, {"dtype", "float16"}});
        INFO(half.error);
        REQUIRE(half.state == engine::JobState::Done);
        CHECK_FALSE(fs::exists(fs::path(half.resultDir) / "embeddings.npy"));  // dense not requested
        CHECK_FALSE(fs::exists(fs::path(half.resultDir) / "sparse.jsonl"));
        const tensor::SafetensorsFile h((fs::path(half.resultDir) / "colbert.safetensors").string());
        CHECK(h.info("colbert").dtype == tensor::DType::F16);
        CHECK(h.info("colbert").shape == std::vector<std::int64_t>{1384, 48});
    }
}

TEST_CASE("BGE-M3 head problems fail with the file and the tensor", "[text][m3][task]") {
    test::TempDir dir;

    SECTION("a model without the head file") {
        const auto snap = test::runTextJob(test::sharedPath("models/tiny-bert-mean"), dir.file("out"), "fp32",
                                           {{"outputs", "dense,sparse"}});
        CHECK(snap.state == engine::JobState::Failed);
        INFO(snap.error);
        CHECK_THAT(snap.error, ContainsSubstring("sparse_linear.pt") && ContainsSubstring("not found"));
        CHECK_FALSE(fs::exists(fs::path(dir.file("out")) / "embeddings.npy"));
    }
    SECTION("a head of the wrong shape") {
        const fs::path model = copyModel("tiny-xlmr-m3", dir.path());
        fs::copy_file(model / "colbert_linear.pt", model / "sparse_linear.pt", fs::copy_options::overwrite_existing);
        const auto snap = test::runTextJob(model.string(), dir.file("out"), "fp32", {{"outputs", "sparse"}});
        CHECK(snap.state == engine::JobState::Failed);
        INFO(snap.error);
        CHECK_THAT(snap.error, ContainsSubstring("sparse_linear.pt") && ContainsSubstring("'weight'") &&
                                   ContainsSubstring("[48,48]") && ContainsSubstring("[1,48]"));
    }
    SECTION("a head without its bias") {
        const fs::path model = copyModel("tiny-xlmr-m3", dir.path());
        const std::vector<float> weight(48 * 48, 0.1f);
        tensor::writeSafetensors((model / "colbert_linear.pt").string(),
                                 {{"weight",
                                   tensor::DType::F32,
                                   {48, 48},
                                   {reinterpret_cast<const std::uint8_t*>(weight.data()), weight.size() * 4}}});
        const auto snap = test::runTextJob(model.string(), dir.file("out"), "fp32", {{"outputs", "colbert"}});
        CHECK(snap.state == engine::JobState::Failed);
        INFO(snap.error);
        CHECK_THAT(snap.error, ContainsSubstring("colbert_linear.pt") && ContainsSubstring("'bias' not found"));
    }
    SECTION("a truncated head file") {
        const fs::path model = copyModel("tiny-xlmr-m3", dir.path());
        fs::resize_file(model / "sparse_linear.pt", 300);
        const auto snap = test::runTextJob(model.string(), dir.file("out"), "fp32", {{"outputs", "sparse"}});
        CHECK(snap.state == engine::JobState::Failed);
        INFO(snap.error);
        CHECK_THAT(snap.error, ContainsSubstring("sparse_linear.pt"));
    }
    SECTION("an unknown output") {
        const auto snap =
            test::runTextJob(test::sharedPath(kModel), dir.file("out"), "fp32", {{"outputs", "dense,bm25"}});
        CHECK(snap.state == engine::JobState::Failed);
        CHECK_THAT(snap.error, ContainsSubstring("bm25"));
    }
}

TEST_CASE("malformed model folders fail with the file and the problem", "[text][task]") {
    test::TempDir dir;

    SECTION("a weight of the wrong shape") {
        const fs::path model = copyModel("tiny-bert-mean", dir.path());
        const tensor::SafetensorsFile weights(test::sharedPath("models/tiny-bert-mean/model.safetensors"));
        std::vector<tensor::TensorToWrite> tensors;
        std::vector<float> wrong;
        const std::string target = "encoder.layer.1.intermediate.dense.weight";
        for (const auto& name : weights.names()) {
            const auto& info = weights.info(name);
            if (name == target) {
                wrong.assign(64 * 64, 0.0f);  // [64, 64] instead of [128, 64]
                tensors.push_back({name,
                                   tensor::DType::F32,
                                   {64, 64},
                                   {reinterpret_cast<const std::uint8_t*>(wrong.data()), wrong.size() * 4}});
            } else {
                tensors.push_back({name, info.dtype, info.shape, weights.bytes(name)});
            }
        }
        tensor::writeSafetensors((model / "model.safetensors").string(), tensors);
        const auto snap = test::runTextJob(model.string(), dir.file("out"), "fp32", {});
        CHECK(snap.state == engine::JobState::Failed);
        INFO(snap.error);
        CHECK_THAT(snap.error, ContainsSubstring("model.safetensors") && ContainsSubstring(target) &&
                                   ContainsSubstring("[64,64]") && ContainsSubstring("[128,64]"));
    }
    SECTION("a broken tokenizer.json") {
        const fs::path model = copyModel("tiny-bert-mean", dir.path());
        std::ofstream(model / "tokenizer.json", std::ios::binary | std::ios::trunc)
            << "{\"model\": {\"type\": \"WordPiece\", ";
        const auto snap = test::runTextJob(model.string(), dir.file("out"), "fp32", {});
        CHECK(snap.state == engine::JobState::Failed);
        INFO(snap.error);
        CHECK_THAT(snap.error, ContainsSubstring("tokenizer.json"));
    }
    SECTION("no weights at all") {
        const fs::path model = copyModel("tiny-bert-mean", dir.path());
        fs::remove(model / "model.safetensors");
        const auto snap = test::runTextJob(model.string(), dir.file("out"), "fp32", {});
        CHECK(snap.state == engine::JobState::Failed);
        INFO(snap.error);
        CHECK_THAT(snap.error, ContainsSubstring("model.safetensors") && ContainsSubstring("pytorch_model.bin"));
    }
}
