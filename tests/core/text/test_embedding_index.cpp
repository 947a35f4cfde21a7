// The output folder of a text job opened for search and the 2-D map (core/text/embedding_index.h).
#include "core/engine/engine.h"
#include "core/tensor/npy_writer.h"
#include "core/text/embedding_index.h"
#include "core/text/embedding_task.h"
#include "core/text/text_encoder.h"
#include "tests/support/shared_paths.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace benchtop;
using Catch::Matchers::ContainsSubstring;

namespace {

const std::vector<std::string> kTexts = {
    "The cat sat on the mat.",
    "Stock markets fell sharply on Monday.",
    "A recipe for bread needs flour, water and yeast.",
    "The football match ended in a draw.",
    "Quantum computers use qubits.",
    "She played the violin at the concert.",
    "Heavy rain is expected tomorrow.",
    "The museum opens at nine.",
    "Photosynthesis turns light into chemical energy.",
    "He forgot his umbrella on the train.",
    "Der Hund schläft im Garten.",
    "Le train part à midi.",
};

/// Runs the text task on kTexts into `dir` (fp32) and returns the output folder.
std::string embedCorpus(const test::TempDir& dir) {
    std::ofstream(dir.file("corpus.txt"), std::ios::binary) << [] {
        std::string all;
        for (const auto& t : kTexts) all += t + "\n";
        return all;
    }();
    engine::TaskRegistry registry;
    registry.add(text::embeddingTaskKind());
    engine::Engine engine(std::move(registry));
    engine::JobSpec spec;
    spec.inputs = {dir.file("corpus.txt")};
    spec.task = "text";
    spec.model = test::sharedPath("models/tiny-bert-mean");
    spec.outputDir = dir.file("out");
    spec.device = "cpu";
    spec.precision = "fp32";
    spec.threads = 2;
    const auto id = engine.submit(spec);
    REQUIRE(engine.wait(id, 600.0));
    const auto snap = *engine.snapshot(id);
    INFO(snap.error);
    REQUIRE(snap.state == engine::JobState::Done);
    REQUIRE(snap.resultDir == dir.file("out/corpus"));
    return snap.resultDir;
}

double variance(const std::vector<double>& v) {
    double mean = 0, var = 0;
    for (double x : v) mean += x;
    mean /= double(v.size());
    for (double x : v) var += (x - mean) * (x - mean);
    return var / double(v.size());
}

}  // namespace

TEST_CASE("an output folder opens with its texts, info and embeddings", "[text][index]") {
    test::TempDir dir;
    const auto index = text::EmbeddingIndex::open(embedCorpus(dir));
    REQUIRE(index->size() == kTexts.size());
    CHECK(index->dimension() == 64);
    CHECK(index->text(3) == kTexts[3]);
    CHECK(index->source(3) == "corpus.txt:4");
    CHECK(index->info().precision == "fp32");
    CHECK(index->info().device == "cpu");
    CHECK(index->info().pooling == "mean");
    CHECK(index->info().normalize);
    CHECK(index->info().model == fs::absolute(test::sharedPath("models/tiny-bert-mean")).string());
    CHECK(index->info().tokens > 0);
    CHECK(index->info().textsPerSecond > 0);
    CHECK(index->info().paddingEfficiency > 0.0);
    CHECK(index->info().paddingEfficiency <= 1.0);
}

TEST_CASE("search embeds the query with the recorded model and ranks by cosine", "[text][index]") {
    test::TempDir dir;
    const auto index = text::EmbeddingIndex::open(embedCorpus(dir));
    for (size_t row : {size_t{0}, size_t{4}, size_t{11}}) {
        INFO("query " << kTexts[row]);
        const auto hits = index->search(kTexts[row], 3);
        REQUIRE(hits.size() == 3);
        CHECK(hits[0].row == row);
        CHECK(hits[0].text == kTexts[row]);
        CHECK(hits[0].score >= 0.99999);
        CHECK(hits[0].score >= hits[1].score);
        CHECK(hits[1].score >= hits[2].score);
    }
    // The scores are cosines against the stored vectors: check one against a direct computation.
    const auto q = index->encoder()->embedTexts({"weather forecast"});
    const auto hits = index->searchVector(q, index->size());
    REQUIRE(hits.size() == index->size());
    const auto& e = index->embeddings();
    const size_t r = hits[5].row, d = index->dimension();
    double dot = 0, nq = 0, ne = 0;
    for (size_t i = 0; i < d; ++i)
        dot += double(q[i]) * e[r * d + i], nq += double(q[i]) * q[i], ne += double(e[r * d + i]) * e[r * d + i];
    CHECK(std::abs(hits[5].score - dot / std::sqrt(nq * ne)) <= 1e-9);
    CHECK(index->search("anything", 100).size() == kTexts.size());  // k above the count gives every row
    CHECK_THROWS_WITH(index->searchVector({1.0f, 2.0f}, 1), ContainsSubstring("2 values"));
}

TEST_CASE("project2d is a deterministic PCA of the embeddings", "[text][index]") {
    test::TempDir dir;
    const auto index = text::EmbeddingIndex::open(embedCorpus(dir));
    const size_t n = index->size(), d = index->dimension();
    const auto p = index->project2d();
    REQUIRE(p.xy.size() == n * 2);
    REQUIRE(p.sample.size() == n);
    std::vector<double> x(n), y(n);
    for (size_t i = 0; i < n; ++i) x[i] = p.xy[2 * i], y[i] = p.xy[2 * i + 1];

    // Total variance of the embeddings, and the variance along every original coordinate.
    const auto& e = index->embeddings();
    double total = 0, bestCoordinate = 0;
    for (size_t c = 0; c < d; ++c) {
        std::vector<double> col(n);
        for (size_t i = 0; i < n; ++i) col[i] = e[i * d + c];
        total += variance(col);
        bestCoordinate = std::max(bestCoordinate, variance(col));
    }
    // The first axis carries the most variance of any direction (at least any coordinate's), the second less.
    CHECK(variance(x) >= bestCoordinate);
    CHECK(variance(x) >= variance(y));
    CHECK(std::abs(p.explained[0] - variance(x) / total) <= 1e-5);
    CHECK(std::abs(p.explained[1] - variance(y) / total) <= 1e-5);
    // Centred and uncorrelated.
    double mx = 0, my = 0, cov = 0;
    for (size_t i = 0; i < n; ++i) mx += x[i], my += y[i];
    mx /= double(n), my /= double(n);
    for (size_t i = 0; i < n; ++i) cov += (x[i] - mx) * (y[i] - my);
    CHECK(std::abs(mx) <= 1e-5);
    CHECK(std::abs(cov / double(n)) <= 1e-6);
    CHECK(index->project2d().xy == p.xy);

    SECTION("a capped sample fits the axes on a subset and still projects every row") {
        const auto s = index->project2d(5, 42);
        REQUIRE(s.sample.size() == 5);
        CHECK(std::is_sorted(s.sample.begin(), s.sample.end()));
        CHECK(std::set<size_t>(s.sample.begin(), s.sample.end()).size() == 5);
        CHECK(s.xy.size() == n * 2);
        CHECK(index->project2d(5, 42).sample == s.sample);
    }
}

TEST_CASE("broken output folders fail with the file and the problem", "[text][index]") {
    test::TempDir dir;
    CHECK_THROWS_WITH(text::EmbeddingIndex::open(dir.file("nothing")),
                      ContainsSubstring("embedding_info.json") && ContainsSubstring("not found"));

    const std::string out = embedCorpus(dir);
    SECTION("texts.jsonl with a line missing") {
        std::vector<std::string> lines;
        {
            std::ifstream in(out + "/texts.jsonl");
            for (std::string line; std::getline(in, line);) lines.push_back(line);
        }
        lines.pop_back();
        std::ofstream o(out + "/texts.jsonl", std::ios::trunc);
        for (const auto& l : lines) o << l << "\n";
        o.close();
        CHECK_THROWS_WITH(text::EmbeddingIndex::open(out), ContainsSubstring("texts.jsonl") &&
                                                               ContainsSubstring("11 texts") &&
                                                               ContainsSubstring("12 rows"));
    }
    SECTION("a bad texts.jsonl line") {
        std::ofstream(out + "/texts.jsonl", std::ios::app) << "{not json\n";
        CHECK_THROWS_WITH(text::EmbeddingIndex::open(out), ContainsSubstring("texts.jsonl:13"));
    }
    SECTION("embeddings.npy that is not 2-D") {
        const std::vector<float> flat(12, 0.5f);
        tensor::writeNpy(out + "/embeddings.npy", tensor::DType::F32, {12},
                         {reinterpret_cast<const std::uint8_t*>(flat.data()), flat.size() * 4});
        CHECK_THROWS_WITH(text::EmbeddingIndex::open(out),
                          ContainsSubstring("embeddings.npy") && ContainsSubstring("2-D"));
    }
    SECTION("embedding_info.json that is not JSON") {
        std::ofstream(out + "/embedding_info.json", std::ios::trunc) << "{\"model\": ";
        CHECK_THROWS_WITH(text::EmbeddingIndex::open(out),
                          ContainsSubstring("embedding_info.json") && ContainsSubstring("not valid JSON"));
    }
    SECTION("a query model of another dimension") {
        const auto index = text::EmbeddingIndex::open(out);
        CHECK_THROWS_WITH(index->encoder(test::sharedPath("models/tiny-bert-cls")),
                          ContainsSubstring("32-dim") && ContainsSubstring("64"));
    }
}
