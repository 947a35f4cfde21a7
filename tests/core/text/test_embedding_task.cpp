// The text-embedding task run through the engine against the fixtures (sentence-transformers outputs).
#include "core/engine/engine.h"
#include "core/tensor/npy_reader.h"
#include "core/tensor/safetensors_file.h"
#include "core/tensor/safetensors_writer.h"
#include "core/text/embedding_task.h"
#include "tests/core/text/text_jobs.h"
#include "tests/support/shared_paths.h"

#include <catch2/catch_test_macros.hpp>

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

namespace {

fs::path tempDir(const std::string& name) {
    fs::path dir = fs::temp_directory_path() / ("benchtop_test_embedding_task_" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::vector<std::string> readLines(const fs::path& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

double cosine(const float* a, const float* b, size_t n) {
    double dot = 0, na = 0, nb = 0;
    for (size_t i = 0; i < n; ++i) {
        dot += double(a[i]) * b[i];
        na += double(a[i]) * a[i];
        nb += double(b[i]) * b[i];
    }
    return dot / std::sqrt(na * nb);
}

}  // namespace

TEST_CASE("embedding task recognises text inputs", "[text][task]") {
    const auto kind = text::embeddingTaskKind();
    engine::FileProbe probe;
    probe.exists = true;
    for (const char* ext : {".txt", ".csv", ".tsv", ".jsonl"}) {
        probe.extension = ext;
        CHECK(kind.recognise(probe) == 40);
    }
    probe.extension = ".wav";
    CHECK(kind.recognise(probe) == 0);
}

TEST_CASE("embedding task reads txt, csv and jsonl like the brief says", "[text][task]") {
    const auto dir = tempDir("read");
    {
        std::ofstream(dir / "a.txt", std::ios::binary) << "one\r\ntwo\n\nthree\n";
        std::ofstream(dir / "b.csv", std::ios::binary) << "id,Sentence\n1,\"hello, world\"\n2,\"say \"\"hi\"\"\"\n";
        std::ofstream(dir / "c.jsonl", std::ios::binary) << "{\"text\":\"x\"}\n{\"body\":\"y\",\"text\":\"z\"}\n";
    }
    const auto txt = text::readTexts((dir / "a.txt").string());
    REQUIRE(txt.size() == 4);
    CHECK(txt[0].text == "one");
    CHECK(txt[2].text.empty());
    CHECK(txt[3].source == "a.txt:4");
    const auto csv = text::readTexts((dir / "b.csv").string());
    REQUIRE(csv.size() == 2);
    CHECK(csv[0].text == "hello, world");
    CHECK(csv[1].text == "say \"hi\"");
    CHECK(text::readTexts((dir / "b.csv").string(), "id")[1].text == "2");
    const auto jsonl = text::readTexts((dir / "c.jsonl").string());
    REQUIRE(jsonl.size() == 2);
    CHECK(jsonl[1].text == "z");
    CHECK_THROWS(text::readTexts((dir / "c.jsonl").string(), {}, "body"));
}

TEST_CASE("embedding task reproduces sentence-transformers through the engine", "[text][task]") {
    const std::string model = test::sharedPath("models/tiny-bert-mean");
    const tensor::SafetensorsFile expected(test::sharedPath("fixtures/text/tiny-bert-mean/expected.safetensors"));
    const auto& info = expected.info("st/embeddings");
    REQUIRE(info.shape.size() == 2);
    const auto view = expected.bytes("st/embeddings");
    std::vector<float> ref(view.size / sizeof(float));
    std::memcpy(ref.data(), view.data, view.size);
    const size_t dim = static_cast<size_t>(info.shape[1]);

    const auto snap = test::runTextJob(model, tempDir("fp32").string(), "fp32");
    INFO(snap.error);
    REQUIRE(snap.state == engine::JobState::Done);
    // Each job writes into a folder of its own, named after its input.
    const fs::path dirFp32 = snap.resultDir;
    CHECK(dirFp32.filename() == "inputs");
    const auto npy = tensor::readNpy((dirFp32 / "embeddings.npy").string());
    REQUIRE(npy.shape == std::vector<std::int64_t>{52, static_cast<std::int64_t>(dim)});
    const auto got = npy.toFloats();
    double maxAbs = 0;
    for (size_t i = 0; i < ref.size(); ++i) maxAbs = std::max(maxAbs, double(std::fabs(got[i] - ref[i])));
    std::cout << "embedding task fp32 vs st/embeddings: max abs " << maxAbs << "\n";
    CHECK(maxAbs <= 1e-5);
    const auto lines = readLines(dirFp32 / "texts.jsonl");
    CHECK(lines.size() == 52);
    CHECK(fs::exists(dirFp32 / "embedding_info.json"));
    CHECK(!fs::exists(dirFp32 / "embeddings.npy.part"));

    SECTION("bf16 stays within cosine 0.999 of fp32") {
        const auto snapBf16 = test::runTextJob(model, tempDir("bf16").string(), "bf16");
        INFO(snapBf16.error);
        REQUIRE(snapBf16.state == engine::JobState::Done);
        const fs::path dirBf16 = snapBf16.resultDir;
        const auto low = tensor::readNpy((dirBf16 / "embeddings.npy").string()).toFloats();
        double minCos = 1.0;
        for (size_t r = 0; r < 52; ++r) minCos = std::min(minCos, cosine(&got[r * dim], &low[r * dim], dim));
        std::cout << "embedding task bf16 vs fp32: min cosine " << minCos << "\n";
        CHECK(minCos >= 0.999);
    }

    SECTION("float16 output dtype") {
        const auto snapF16 = test::runTextJob(model, tempDir("f16").string(), "fp32", {{"dtype", "float16"}});
        REQUIRE(snapF16.state == engine::JobState::Done);
        const fs::path dirF16 = snapF16.resultDir;
        const auto half = tensor::readNpy((dirF16 / "embeddings.npy").string());
        CHECK(half.dtype == tensor::DType::F16);
        const auto values = half.toFloats();
        double maxAbsHalf = 0;
        for (size_t i = 0; i < ref.size(); ++i)
            maxAbsHalf = std::max(maxAbsHalf, double(std::fabs(values[i] - got[i])));
        CHECK(maxAbsHalf <= 1e-3);
    }
}

TEST_CASE("embedding task fails with the file and tensor of a malformed model", "[text][task]") {
    const fs::path source = test::sharedPath("models/tiny-bert-mean");
    const auto dir = tempDir("broken");
    const fs::path model = dir / "model";
    fs::create_directories(model);
    for (const auto& entry : fs::recursive_directory_iterator(source)) {
        const auto rel = fs::relative(entry.path(), source);
        if (entry.is_directory())
            fs::create_directories(model / rel);
        else if (rel != "model.safetensors")
            fs::copy_file(entry.path(), model / rel);
    }
    // Rewrite the weights without one tensor.
    const tensor::SafetensorsFile weights((source / "model.safetensors").string());
    std::vector<tensor::TensorToWrite> kept;
    std::string dropped;
    for (const auto& name : weights.names()) {
        if (dropped.empty() && name.find("layer.0.attention.self.query.weight") != std::string::npos) {
            dropped = name;
            continue;
        }
        const auto& info = weights.info(name);
        kept.push_back({name, info.dtype, info.shape, weights.bytes(name)});
    }
    REQUIRE(!dropped.empty());
    tensor::writeSafetensors((model / "model.safetensors").string(), kept);

    const auto snap = test::runTextJob(model.string(), (dir / "out").string(), "fp32");
    CHECK(snap.state == engine::JobState::Failed);
    INFO(snap.error);
    CHECK(snap.error.find("model.safetensors") != std::string::npos);
    CHECK(snap.error.find(dropped) != std::string::npos);
    // Nothing of the failed job is left: no result, no result folder.
    CHECK(!fs::exists(dir / "out" / "inputs"));
}
