// SafetensorsFile against every shared model (header parsed independently here), strict header
// validation on corrupted copies, and the writer (byte-identical to the files Python's safetensors wrote).
#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/tensor/safetensors_file.h"
#include "core/tensor/safetensors_writer.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using benchtop::Error;
using benchtop::test::readFile;
using benchtop::test::sharedPath;
using benchtop::test::TempDir;
using namespace benchtop::tensor;
using Catch::Matchers::ContainsSubstring;

namespace {

std::vector<std::string> allModelSafetensors() {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(sharedPath("models")))
        if (entry.is_regular_file() && entry.path().filename() == "model.safetensors")
            files.push_back(entry.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

// The header as the file spells it, parsed without the reader under test.
nlohmann::json rawHeader(const std::string& bytes) {
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
    return nlohmann::json::parse(bytes.substr(8, n));
}

std::string lengthPrefix(std::uint64_t n) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) s[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return s;
}

// A safetensors file from a header text and a data section.
std::string writeRaw(const TempDir& dir, const std::string& name, const std::string& header, const std::string& data) {
    const std::string path = dir.file(name);
    std::ofstream(path, std::ios::binary) << lengthPrefix(header.size()) << header << data;
    return path;
}

std::string openError(const std::string& path) {
    try {
        SafetensorsFile file(path);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

nlohmann::json configOf(const std::string& model) {
    return nlohmann::json::parse(readFile(sharedPath("models/" + model + "/config.json")));
}

}  // namespace

TEST_CASE("every shared model.safetensors matches its independently parsed header", "[tensor][safetensors]") {
    const auto files = allModelSafetensors();
    REQUIRE(files.size() == 4);  // tiny-bert-mean, tiny-whisper-v2, tiny-whisper-v3, tiny-xlmr-m3
    for (const std::string& path : files) {
        INFO(path);
        const std::string bytes = readFile(path);
        const nlohmann::json header = rawHeader(bytes);
        const SafetensorsFile file(path);
        CHECK(file.names().size() == header.size() - (header.contains("__metadata__") ? 1 : 0));
        CHECK(file.metadata() == std::map<std::string, std::string>{{"format", "pt"}});
        const std::size_t dataStart = 8 + file.headerSize();
        for (auto it = header.begin(); it != header.end(); ++it) {
            if (it.key() == "__metadata__") continue;
            INFO(it.key());
            REQUIRE(file.contains(it.key()));
            const TensorInfo& info = file.info(it.key());
            CHECK(dtypeName(info.dtype) == it.value()["dtype"].get<std::string>());
            CHECK(info.shape == it.value()["shape"].get<std::vector<std::int64_t>>());
            const auto offsets = it.value()["data_offsets"].get<std::vector<std::uint64_t>>();
            CHECK(info.offset == offsets[0]);
            CHECK(info.size == offsets[1] - offsets[0]);
            const ByteView view = file.bytes(it.key());
            REQUIRE(view.size == info.size);
            CHECK(std::memcmp(view.data, bytes.data() + dataStart + offsets[0], view.size) == 0);
        }
        // names() is in data order.
        for (std::size_t i = 1; i < file.names().size(); ++i)
            CHECK(file.info(file.names()[i - 1]).offset < file.info(file.names()[i]).offset);
    }
}

TEST_CASE("whisper checkpoints have the dtypes and config-derived shapes", "[tensor][safetensors]") {
    for (const auto& [model, dtype] : {std::pair<std::string, DType>{"tiny-whisper-v2", DType::F16},
                                       std::pair<std::string, DType>{"tiny-whisper-v3", DType::F32}}) {
        INFO(model);
        const nlohmann::json config = configOf(model);
        const std::int64_t dModel = config["d_model"], mels = config["num_mel_bins"], vocab = config["vocab_size"];
        const SafetensorsFile file(sharedPath("models/" + model + "/model.safetensors"));
        CHECK(file.names().size() == 89);
        for (const std::string& name : file.names()) CHECK(file.info(name).dtype == dtype);
        CHECK(file.info("model.encoder.conv1.weight").shape == std::vector<std::int64_t>{dModel, mels, 3});
        CHECK(file.info("model.encoder.conv2.weight").shape == std::vector<std::int64_t>{dModel, dModel, 3});
        CHECK(file.info("model.decoder.embed_tokens.weight").shape == std::vector<std::int64_t>{vocab, dModel});
        CHECK(file.info("model.encoder.embed_positions.weight").shape ==
              std::vector<std::int64_t>{config["max_source_positions"].get<std::int64_t>(), dModel});
        CHECK(file.info("model.decoder.embed_positions.weight").shape ==
              std::vector<std::int64_t>{config["max_target_positions"].get<std::int64_t>(), dModel});
        CHECK_NOTHROW(file.checkShape("model.encoder.conv1.weight", {dModel, mels, -1}));
    }
    CHECK(configOf("tiny-whisper-v3")["num_mel_bins"] == 128);
}

TEST_CASE("tiny-xlmr-m3 stores position_ids as I64 first and the rest as F16", "[tensor][safetensors]") {
    const SafetensorsFile file(sharedPath("models/tiny-xlmr-m3/model.safetensors"));
    REQUIRE(file.names().front() == "embeddings.position_ids");
    const TensorInfo& ids = file.info("embeddings.position_ids");
    CHECK(ids.dtype == DType::I64);
    CHECK(ids.shape == std::vector<std::int64_t>{1, 130});
    const ByteView bytes = file.bytes("embeddings.position_ids");
    for (std::int64_t i = 0; i < 130; ++i) {
        std::int64_t v;
        std::memcpy(&v, bytes.data + 8 * i, 8);
        CHECK(v == i);
    }
    std::size_t f16 = 0;
    for (const std::string& name : file.names()) f16 += file.info(name).dtype == DType::F16;
    CHECK(f16 == 39);
    CHECK(file.info("embeddings.word_embeddings.weight").shape == std::vector<std::int64_t>{802, 48});
}

TEST_CASE("missing tensors and wrong shapes are reported with the file and tensor", "[tensor][safetensors]") {
    const std::string path = sharedPath("models/tiny-bert-mean/model.safetensors");
    const SafetensorsFile file(path);
    CHECK_FALSE(file.contains("pooler.dense.bias.missing"));
    CHECK_THROWS_WITH(file.info("nope"), path + ": tensor 'nope' not found.");
    CHECK_THROWS_WITH(file.checkShape("embeddings.word_embeddings.weight", {64, 1500}),
                      path + ": tensor 'embeddings.word_embeddings.weight' has shape [1500,64], expected [64,1500].");
    CHECK_NOTHROW(file.checkShape("embeddings.word_embeddings.weight", {1500, 64}));
}

TEST_CASE("corrupted safetensors files are rejected with a message naming the problem", "[tensor][safetensors]") {
    TempDir dir;
    const std::string ok = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";
    REQUIRE(openError(writeRaw(dir, "ok.safetensors", ok, std::string(8, '\0'))) == "(no error)");

    const std::string tiny = dir.file("tiny.safetensors");
    std::ofstream(tiny, std::ios::binary) << "abc";
    CHECK(openError(tiny) ==
          tiny + ": is not a safetensors file: it is 3 bytes long, shorter than the 8-byte header length.");

    // A real model cut in half: its offsets now point past the end of the data.
    const std::string real = readFile(sharedPath("models/tiny-bert-mean/model.safetensors"));
    const std::string cut = dir.file("cut.safetensors");
    std::ofstream(cut, std::ios::binary) << real.substr(0, real.size() / 2);
    CHECK_THAT(openError(cut), ContainsSubstring(cut + ": is truncated or corrupt: tensor '") &&
                                   ContainsSubstring("lie outside the data section"));
    const std::string headerOnly = dir.file("header_cut.safetensors");
    std::ofstream(headerOnly, std::ios::binary) << real.substr(0, 100);
    CHECK_THAT(openError(headerOnly),
               ContainsSubstring("header length 4032 bytes is larger than the rest of the file (92 bytes)"));

    const std::string huge = dir.file("huge.safetensors");
    std::ofstream(huge, std::ios::binary) << lengthPrefix(1ull << 40) << ok;
    CHECK_THAT(openError(huge), ContainsSubstring("header length 1099511627776 bytes is absurd (more than 100 MB)"));

    struct Case {
        const char* file;
        std::string header;
        std::string data;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"json.safetensors", R"({"a":{"dtype":"F32",)", "", "has a corrupt safetensors header: not valid JSON"},
        {"array.safetensors", "[1,2]", "", "has a corrupt safetensors header: the JSON is not an object."},
        {"dtype.safetensors", R"({"a":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}})", std::string(2, '\0'),
         "tensor 'a' has unsupported dtype 'F8_E4M3' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)."},
        {"shape.safetensors", R"({"a":{"dtype":"F32","shape":[2,-1],"data_offsets":[0,8]}})", std::string(8, '\0'),
         "tensor 'a' has a shape that is not a list of non-negative integers: [2,-1]."},
        {"shape2.safetensors", R"({"a":{"dtype":"F32","shape":"2","data_offsets":[0,8]}})", std::string(8, '\0'),
         "tensor 'a' has no shape list."},
        {"offsets.safetensors", R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0]}})", std::string(8, '\0'),
         "tensor 'a' needs data_offsets as two non-negative integers [begin, end]."},
        {"reversed.safetensors", R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", std::string(8, '\0'),
         "tensor 'a' has data_offsets [8, 0] with begin after end."},
        {"outside.safetensors", R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", std::string(8, '\0'),
         "is truncated or corrupt: tensor 'a' data_offsets [0, 16] lie outside the data section (8 bytes)."},
        {"size.safetensors", R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", std::string(8, '\0'),
         "tensor 'a' holds 8 bytes but shape [3] of F32 needs 12."},
        {"overlap.safetensors",
         R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
         std::string(12, '\0'), "tensors 'a' and 'b' overlap in the data section."},
        {"duplicate.safetensors",
         R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
         std::string(16, '\0'), "key 'a' appears twice."},
        {"metadata.safetensors", R"({"__metadata__":{"format":1}})", "",
         "__metadata__ value 'format' is not a string."},
    };
    for (const Case& c : cases) {
        INFO(c.file);
        const std::string path = writeRaw(dir, c.file, c.header, c.data);
        CHECK_THAT(openError(path), ContainsSubstring(path + ": ") && ContainsSubstring(c.expected));
    }

    // Gaps between tensors and empty tensors are allowed.
    const std::string gap = writeRaw(
        dir, "gap.safetensors",
        R"({"b":{"dtype":"I8","shape":[2],"data_offsets":[6,8]},"e":{"dtype":"F32","shape":[0,5],"data_offsets":[2,2]},"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})",
        "\x01\x02xxxx\x03\x04");
    const SafetensorsFile gapped(gap);
    CHECK(gapped.names() == std::vector<std::string>{"a", "e", "b"});
    CHECK(gapped.bytes("b").data[1] == 4);
    CHECK(gapped.bytes("e").size == 0);
}

TEST_CASE("writeSafetensors round-trips and matches Python's layout byte for byte", "[tensor][safetensors]") {
    TempDir dir;
    SECTION("several dtypes, empty tensors and metadata") {
        const std::vector<float> f32 = {1.5f, -2.f, 3.25f, 0.f, 7.f, 8.f};
        const std::vector<std::int64_t> i64 = {5, -6};
        const std::vector<std::uint16_t> bf16 = {0x3f80, 0xc000, 0x4040};
        const std::vector<std::uint8_t> flags = {1, 0, 1};
        const std::string path = dir.file("out.safetensors");
        writeSafetensors(path,
                         {{"z.weight", DType::F32, {2, 3}, {reinterpret_cast<const std::uint8_t*>(f32.data()), 24}},
                          {"ids", DType::I64, {2}, {reinterpret_cast<const std::uint8_t*>(i64.data()), 16}},
                          {"a.bf16", DType::BF16, {3}, {reinterpret_cast<const std::uint8_t*>(bf16.data()), 6}},
                          {"mask", DType::Bool, {3}, {flags.data(), 3}},
                          {"empty", DType::F16, {0, 4}, {nullptr, 0}}},
                         {{"format", "pt"}, {"note", "round trip"}});
        CHECK_FALSE(fs::exists(path + ".part"));
        const SafetensorsFile file(path);
        CHECK(file.headerSize() % 8 == 0);
        // Largest element size first, then by name - the order Python's safetensors uses.
        CHECK(file.names() == std::vector<std::string>{"ids", "z.weight", "a.bf16", "empty", "mask"});
        CHECK(file.metadata().at("note") == "round trip");
        CHECK(file.info("z.weight").shape == std::vector<std::int64_t>{2, 3});
        CHECK(std::memcmp(file.bytes("z.weight").data, f32.data(), 24) == 0);
        CHECK(std::memcmp(file.bytes("ids").data, i64.data(), 16) == 0);
        CHECK(std::memcmp(file.bytes("a.bf16").data, bf16.data(), 6) == 0);
        CHECK(file.info("a.bf16").dtype == DType::BF16);
        CHECK(bfloat16ToFloat(bf16[2]) == 3.0f);
        CHECK(file.info("mask").dtype == DType::Bool);
        CHECK(file.info("empty").size == 0);
        const std::string bytes = readFile(path);
        CHECK(bytes.substr(8, 40) == R"({"__metadata__":{"format":"pt","note":"r)");
        CHECK(rawHeader(bytes)["ids"]["data_offsets"] == nlohmann::json::array({0, 16}));
    }
    SECTION("rewriting every shared model reproduces the file exactly") {
        for (const std::string& original : allModelSafetensors()) {
            INFO(original);
            const SafetensorsFile in(original);
            std::vector<TensorToWrite> tensors;
            for (const std::string& name : in.names()) {
                const TensorInfo& info = in.info(name);
                tensors.push_back({name, info.dtype, info.shape, in.bytes(name)});
            }
            const std::string copy = dir.file("copy.safetensors");
            writeSafetensors(copy, tensors, in.metadata());
            CHECK(readFile(copy) == readFile(original));
        }
    }
    SECTION("bad input is refused and leaves no file") {
        const std::vector<float> two = {1.f, 2.f};
        const ByteView view{reinterpret_cast<const std::uint8_t*>(two.data()), 8};
        const std::string path = dir.file("bad.safetensors");
        CHECK_THROWS_WITH(writeSafetensors(path, {{"x", DType::F32, {3}, view}}),
                          path + ": tensor 'x' has 8 bytes but shape [3] of F32 needs 12.");
        CHECK_THROWS_WITH(writeSafetensors(path, {{"x", DType::F32, {2}, view}, {"x", DType::F32, {2}, view}}),
                          path + ": tensor 'x' is given twice.");
        CHECK_FALSE(fs::exists(path));
        CHECK_FALSE(fs::exists(path + ".part"));
    }
}
