// A text job split N ways (--shard I/N) and merged gives what one run gives.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/engine/shard.h"
#include "core/tensor/npy_reader.h"
#include "core/tensor/safetensors_file.h"
#include "core/text/embedding_merge.h"
#include "tests/core/text/text_jobs.h"

namespace fs = std::filesystem;
using namespace benchtop;
using benchtop::test::sharedPath;
using benchtop::test::TempDir;
using Catch::Matchers::ContainsSubstring;

namespace {

std::vector<nlohmann::json> jsonLines(const std::string& path) {
    std::vector<nlohmann::json> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

std::vector<float> colbertValues(const tensor::SafetensorsFile& file) {
    const auto bytes = file.bytes("colbert");
    std::vector<float> values(bytes.size / 4);
    std::memcpy(values.data(), bytes.data, bytes.size);
    return values;
}

}  // namespace

TEST_CASE("a shard is a balanced contiguous range", "[text][shard]") {
    CHECK(engine::parseShard("0/4").range(10) == std::pair<std::size_t, std::size_t>{0, 2});
    CHECK(engine::parseShard("1/4").range(10) == std::pair<std::size_t, std::size_t>{2, 5});
    CHECK(engine::parseShard("3/4").range(10) == std::pair<std::size_t, std::size_t>{7, 10});
    std::size_t covered = 0;
    for (int i = 0; i < 7; ++i) {
        const auto [first, end] = engine::Shard{i, 7}.range(52);
        CHECK(first == covered);
        CHECK(end - first >= 7);
        CHECK(end - first <= 8);
        covered = end;
    }
    CHECK(covered == 52);
    CHECK(engine::parseShard("2/3").folderSuffix() == ".shard-2-of-3");
    CHECK_FALSE(engine::parseShard("0/1").split());
    for (const char* bad : {"4/4", "-1/4", "1", "a/b", "1/0", "", "1/4/2"})
        CHECK_THAT(test::errorOf([&] { engine::parseShard(bad); }), ContainsSubstring("--shard"));
}

TEST_CASE("three parts of a BGE-M3 text job merge into what one run writes", "[text][shard]") {
    TempDir dir;
    const std::string model = sharedPath("models/tiny-xlmr-m3");
    const std::map<std::string, std::string> options = {{"outputs", "dense,sparse,colbert"}};
    const auto whole = test::runTextJob(model, dir.file("whole"), "fp32", options);
    REQUIRE(whole.state == engine::JobState::Done);
    std::vector<std::string> parts;
    for (int i = 2; i >= 0; --i) {  // any order
        auto shardOptions = options;
        shardOptions["shard"] = std::to_string(i) + "/3";
        const auto part = test::runTextJob(model, dir.file("parts"), "fp32", shardOptions);
        INFO(part.error);
        REQUIRE(part.state == engine::JobState::Done);
        CHECK(fs::path(part.resultDir).filename() == "inputs.shard-" + std::to_string(i) + "-of-3");
        parts.push_back(part.resultDir);
    }
    const auto merged = text::mergeEmbeddingParts(parts, dir.file("merged"));
    CHECK(merged.parts == 3);
    CHECK(merged.texts == 52);
    CHECK(merged.files.size() == 5);

    const std::string a = whole.resultDir, b = dir.file("merged");
    CHECK(test::readFile(b + "/texts.jsonl") == test::readFile(a + "/texts.jsonl"));
    const auto e1 = tensor::readNpy(a + "/embeddings.npy");
    const auto e2 = tensor::readNpy(b + "/embeddings.npy");
    CHECK(e2.shape == e1.shape);
    CHECK(e2.dtype == e1.dtype);
    const auto v1 = e1.toFloats(), v2 = e2.toFloats();
    double worst = 0;
    for (std::size_t i = 0; i < v1.size(); ++i) worst = std::max(worst, double(std::abs(v1[i] - v2[i])));
    CHECK(worst <= 1e-6);
    const auto s1 = jsonLines(a + "/sparse.jsonl"), s2 = jsonLines(b + "/sparse.jsonl");
    REQUIRE(s2.size() == s1.size());
    for (std::size_t i = 0; i < s1.size(); ++i) {
        CHECK(s2[i]["id"] == s1[i]["id"]);
        REQUIRE(s2[i]["weights"].size() == s1[i]["weights"].size());
        for (const auto& [id, w] : s1[i]["weights"].items())
            CHECK(std::abs(s2[i]["weights"].at(id).get<double>() - w.get<double>()) <= 1e-6);
    }
    const tensor::SafetensorsFile c1(a + "/colbert.safetensors"), c2(b + "/colbert.safetensors");
    CHECK(c2.info("colbert").shape == c1.info("colbert").shape);
    const auto o1 = c1.bytes("offsets"), o2 = c2.bytes("offsets");
    REQUIRE(o1.size == o2.size);
    CHECK(std::memcmp(o1.data, o2.data, o1.size) == 0);
    const auto cv1 = colbertValues(c1), cv2 = colbertValues(c2);
    worst = 0;
    for (std::size_t i = 0; i < cv1.size(); ++i) worst = std::max(worst, double(std::abs(cv1[i] - cv2[i])));
    CHECK(worst <= 1e-6);
    const auto info = test::readJson(b + "/embedding_info.json");
    CHECK(info["count"] == 52);
    CHECK_FALSE(info.contains("shard"));
    CHECK(info["tokens"] == test::readJson(a + "/embedding_info.json")["tokens"]);
    CHECK(info["merged_parts"] == 3);

    // What merge refuses, naming the folders; nothing is written then.
    CHECK_THAT(test::errorOf([&] {
                   text::mergeEmbeddingParts({parts[0], parts[2]}, dir.file("m1"));
               }),
               ContainsSubstring("part(s) 1 of 3 are missing"));
    CHECK_THAT(test::errorOf([&] {
                   text::mergeEmbeddingParts({parts[0], parts[0], parts[1], parts[2]}, dir.file("m2"));
               }),
               ContainsSubstring("give each part once"));
    CHECK_THAT(test::errorOf([&] { text::mergeEmbeddingParts(parts, b); }), ContainsSubstring("already holds files"));
    CHECK_THAT(test::errorOf([&] { text::mergeEmbeddingParts({a}, dir.file("m3")); }), ContainsSubstring("whole run"));
    CHECK_THAT(test::errorOf([&] { text::mergeEmbeddingParts({dir.path()}, dir.file("m4")); }),
               ContainsSubstring("no embedding_info.json"));
    auto other = options;
    other["shard"] = "1/3";
    other["max-length"] = "16";
    const auto foreign = test::runTextJob(model, dir.file("other"), "fp32", other);
    REQUIRE(foreign.state == engine::JobState::Done);
    const std::string mismatch = test::errorOf([&] {
        text::mergeEmbeddingParts({parts[2], foreign.resultDir, parts[0]}, dir.file("m5"));
    });
    CHECK_THAT(mismatch, ContainsSubstring("another job"));
    CHECK_THAT(mismatch, ContainsSubstring("max_length"));
    for (const char* name : {"m1", "m2", "m3", "m4", "m5"})
        CHECK_FALSE(fs::exists(fs::path(dir.file(name)) / "texts.jsonl"));

    // More parts than texts: the empty part says so.
    auto tooMany = options;
    tooMany["shard"] = "0/100";  // 52 texts: part 0 gets texts [0, 0)
    const auto empty = test::runTextJob(model, dir.file("many"), "fp32", tooMany);
    CHECK(empty.state == engine::JobState::Failed);
    CHECK_THAT(empty.error, ContainsSubstring("use fewer parts"));
}
