// TorchPickleFile on the shared PyTorch checkpoints (values checked against torch.load output recorded
// once with Debian's python3-torch 1.13), hand-built archives for the strided/parameter paths, and
// rejection of damaged zips, unsupported opcodes and forbidden globals.
#include <cstring>
#include <filesystem>
#include <fstream>

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/tensor/torch_pickle_file.h"
#include "tests/support/shared_paths.h"

using benchtop::Error;
using benchtop::test::readFile;
using benchtop::test::sharedPath;
using benchtop::test::TempDir;
using namespace benchtop::tensor;
using Catch::Approx;
using Catch::Matchers::ContainsSubstring;

namespace {

std::uint32_t crc32Of(const std::string& data) {
    std::uint32_t crc = 0xffffffffu;
    for (unsigned char c : data) {
        crc ^= c;
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void putLe(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

// A stored (uncompressed) zip, the way torch.save writes one (minus its alignment padding).
std::string makeZip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string zip, central;
    for (const auto& [name, data] : entries) {
        const std::size_t offset = zip.size();
        const std::uint32_t crc = crc32Of(data);
        putLe(zip, 0x04034b50, 4);
        putLe(zip, 20, 2);
        putLe(zip, 0, 2);
        putLe(zip, 0, 2);
        putLe(zip, 0, 4);
        putLe(zip, crc, 4);
        putLe(zip, data.size(), 4);
        putLe(zip, data.size(), 4);
        putLe(zip, name.size(), 2);
        putLe(zip, 0, 2);
        zip += name;
        zip += data;
        putLe(central, 0x02014b50, 4);
        putLe(central, 20, 2);
        putLe(central, 20, 2);
        putLe(central, 0, 2);
        putLe(central, 0, 2);
        putLe(central, 0, 4);
        putLe(central, crc, 4);
        putLe(central, data.size(), 4);
        putLe(central, data.size(), 4);
        putLe(central, name.size(), 2);
        putLe(central, 0, 2);
        putLe(central, 0, 2);
        putLe(central, 0, 2);
        putLe(central, 0, 2);
        putLe(central, 0, 4);
        putLe(central, offset, 4);
        central += name;
    }
    const std::size_t cdOffset = zip.size();
    zip += central;
    putLe(zip, 0x06054b50, 4);
    putLe(zip, 0, 2);
    putLe(zip, 0, 2);
    putLe(zip, entries.size(), 2);
    putLe(zip, entries.size(), 2);
    putLe(zip, central.size(), 4);
    putLe(zip, cdOffset, 4);
    putLe(zip, 0, 2);
    return zip;
}

// Pickle building blocks (protocol 2 opcodes).
std::string str(const std::string& s) {
    std::string out = "X";
    putLe(out, s.size(), 4);
    return out + s;
}
std::string global(const std::string& module, const std::string& name) {
    return "c" + module + "\n" + name + "\n";
}
std::string int1(int v) {
    return std::string("K") + static_cast<char>(v);
}
// ('storage', torch.FloatStorage, key, 'cpu', numel) followed by BINPERSID.
std::string storage(const std::string& key, int numel) {
    return "((" + str("storage") + global("torch", "FloatStorage") + str(key) + str("cpu") + int1(numel) + "tQ";
}
// _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())
std::string tensor(const std::string& storagePickle, int offset, const std::string& size, const std::string& stride) {
    return global("torch._utils", "_rebuild_tensor_v2") + storagePickle.substr(0, 0) + "(" + storagePickle.substr(1) +
           int1(offset) + size + stride + "\x89" + global("collections", "OrderedDict") + ")R" + "tR";
}

std::string floats(const std::vector<float>& v) {
    return std::string(reinterpret_cast<const char*>(v.data()), v.size() * 4);
}

std::string writeFile(const TempDir& dir, const std::string& name, const std::string& bytes) {
    const std::string path = dir.file(name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

std::string openError(const std::string& path) {
    try {
        TorchPickleFile file(path);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

float floatAt(const std::vector<std::uint8_t>& bytes, std::size_t i) {
    float f;
    std::memcpy(&f, bytes.data() + 4 * i, 4);
    return f;
}

float halfAt(const std::vector<std::uint8_t>& bytes, std::size_t i) {
    return halfToFloat(static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8)));
}

}  // namespace

TEST_CASE("tiny-bert-cls pytorch_model.bin loads without executing Python", "[tensor][pickle]") {
    const std::string path = sharedPath("models/tiny-bert-cls/pytorch_model.bin");
    const nlohmann::json config = nlohmann::json::parse(readFile(sharedPath("models/tiny-bert-cls/config.json")));
    const std::int64_t hidden = config["hidden_size"], vocab = config["vocab_size"],
                       positions = config["max_position_embeddings"], ffn = config["intermediate_size"],
                       types = config["type_vocab_size"];
    const TorchPickleFile file(path);
    CHECK(file.archiveName() == "pytorch_model");
    REQUIRE(file.names().size() == 45);
    CHECK(file.names()[0] == "bert.embeddings.position_ids");
    CHECK(file.names()[1] == "bert.embeddings.word_embeddings.weight");
    CHECK(file.names()[2] == "bert.embeddings.position_embeddings.weight");
    CHECK(file.names().back() == "cls.predictions.decoder.bias");

    const PickledTensor& ids = file.info("bert.embeddings.position_ids");
    CHECK(ids.dtype == DType::I64);
    CHECK(ids.shape == std::vector<std::int64_t>{1, positions});
    CHECK(ids.strides == std::vector<std::int64_t>{positions, 1});
    const auto idBytes = file.contiguousBytes("bert.embeddings.position_ids");
    for (std::int64_t i = 0; i < positions; ++i) {
        std::int64_t v;
        std::memcpy(&v, idBytes.data() + 8 * i, 8);
        CHECK(v == i);
    }

    file.checkShape("bert.embeddings.word_embeddings.weight", {vocab, hidden});
    file.checkShape("bert.embeddings.position_embeddings.weight", {positions, hidden});
    file.checkShape("bert.embeddings.token_type_embeddings.weight", {types, hidden});
    file.checkShape("bert.encoder.layer.1.attention.self.query.weight", {hidden, hidden});
    file.checkShape("bert.encoder.layer.0.intermediate.dense.weight", {ffn, hidden});
    file.checkShape("cls.predictions.bias", {vocab});
    CHECK_FALSE(file.contains("bert.pooler.dense.weight"));
    CHECK_THROWS_WITH(file.info("bert.pooler.dense.weight"), path + ": tensor 'bert.pooler.dense.weight' not found.");
    CHECK_THROWS_WITH(file.checkShape("cls.predictions.bias", {hidden}),
                      path + ": tensor 'cls.predictions.bias' has shape [1400], expected [32].");

    // Tied weights: the MLM decoder shares the word embeddings' storage.
    const PickledTensor& words = file.info("bert.embeddings.word_embeddings.weight");
    CHECK(file.info("cls.predictions.decoder.weight").storageKey == words.storageKey);
    CHECK(words.dtype == DType::F32);

    // Reference values: torch.load(...)[name].flatten()[:4].tolist() and .double().sum().
    const auto w = file.contiguousBytes("bert.embeddings.word_embeddings.weight");
    CHECK(floatAt(w, 0) == -0.2557806074619293f);
    CHECK(floatAt(w, 1) == -0.33104825019836426f);
    CHECK(floatAt(w, 2) == 0.26643916964530945f);
    CHECK(floatAt(w, 3) == 0.043406225740909576f);
    CHECK(floatAt(w, 1399 * 32 + 31) == -0.7742025852203369f);
    double sum = 0;
    for (std::size_t i = 0; i < w.size() / 4; ++i) sum += floatAt(w, i);
    CHECK(sum == Approx(-15.519641930689204).epsilon(1e-12));
    const auto ln = file.contiguousBytes("bert.encoder.layer.1.output.LayerNorm.weight");
    CHECK(floatAt(ln, 0) == 1.0816906690597534f);
    CHECK(floatAt(ln, 3) == 0.9179013967514038f);
    const auto bias = file.contiguousBytes("cls.predictions.bias");
    CHECK(floatAt(bias, 3) == -0.14732414484024048f);
}

TEST_CASE("BGE-M3 colbert_linear.pt and sparse_linear.pt (OrderedDict pickles) load", "[tensor][pickle]") {
    const TorchPickleFile colbert(sharedPath("models/tiny-xlmr-m3/colbert_linear.pt"));
    CHECK(colbert.names() == std::vector<std::string>{"weight", "bias"});
    CHECK(colbert.info("weight").dtype == DType::F16);
    CHECK(colbert.info("weight").shape == std::vector<std::int64_t>{48, 48});
    CHECK(colbert.info("bias").shape == std::vector<std::int64_t>{48});
    const auto cw = colbert.contiguousBytes("weight");
    CHECK(halfAt(cw, 0) == -0.08770751953125f);
    CHECK(halfAt(cw, 1) == 0.034088134765625f);
    CHECK(halfAt(cw, 3) == -0.049560546875f);
    double sum = 0;
    for (std::size_t i = 0; i < 48 * 48; ++i) sum += halfAt(cw, i);
    CHECK(sum == Approx(-12.537323415279388).epsilon(1e-12));
    CHECK(halfAt(colbert.contiguousBytes("bias"), 2) == 0.06439208984375f);

    const TorchPickleFile sparse(sharedPath("models/tiny-xlmr-m3/sparse_linear.pt"));
    CHECK(sparse.names() == std::vector<std::string>{"weight", "bias"});
    CHECK(sparse.info("weight").shape == std::vector<std::int64_t>{1, 48});
    CHECK(sparse.info("bias").shape == std::vector<std::int64_t>{1});
    CHECK(halfAt(sparse.contiguousBytes("weight"), 3) == -0.330322265625f);
    CHECK(halfAt(sparse.contiguousBytes("bias"), 0) == 0.123779296875f);
}

TEST_CASE("strided views, parameters and BUILD state are handled", "[tensor][pickle]") {
    TempDir dir;
    // {"t": Parameter(storage[0:6] viewed as (2,3) with strides (1,2)), "skip": 1.5}, plus BUILD(_metadata).
    const std::string pkl = std::string("\x80\x02}q\x07(") + str("t") + global("torch._utils", "_rebuild_parameter") +
                            "(" + tensor(storage("0", 6), 0, int1(2) + int1(3) + "\x86", int1(1) + int1(2) + "\x86") +
                            "\x88}tR" + str("skip") + std::string("G?\xf8\0\0\0\0\0\0", 9) + "u}(" + str("_metadata") +
                            "}ub.";
    const std::string path = writeFile(
        dir, "strided.pt",
        makeZip(
            {{"archive/data.pkl", pkl}, {"archive/data/0", floats({0, 1, 2, 3, 4, 5})}, {"archive/version", "3\n"}}));
    const TorchPickleFile file(path);
    CHECK(file.names() == std::vector<std::string>{"t"});
    CHECK(file.info("t").shape == std::vector<std::int64_t>{2, 3});
    CHECK(file.info("t").strides == std::vector<std::int64_t>{1, 2});
    CHECK_FALSE(file.isContiguous("t"));
    const auto bytes = file.contiguousBytes("t");
    std::vector<float> values;
    for (std::size_t i = 0; i < 6; ++i) values.push_back(floatAt(bytes, i));
    CHECK(values == std::vector<float>{0, 2, 4, 1, 3, 5});
}

TEST_CASE("bad archives and unsafe pickles are rejected with clear errors", "[tensor][pickle]") {
    TempDir dir;
    const std::string okTensor = tensor(storage("0", 2), 0, int1(2) + "\x85", int1(1) + "\x85");
    const auto archive = [&](const std::string& pkl, const std::string& data = floats({1, 2})) {
        return makeZip({{"archive/data.pkl", pkl}, {"archive/data/0", data}});
    };
    REQUIRE(openError(writeFile(dir, "ok.pt", archive("\x80\x02}(" + str("w") + okTensor + "u."))) == "(no error)");

    const std::string text = writeFile(dir, "text.bin", "this is not a checkpoint");
    CHECK(openError(text) ==
          text + ": is not a zip archive (PyTorch checkpoints saved since torch 1.6 are zip files).");

    const std::string real = readFile(sharedPath("models/tiny-bert-cls/pytorch_model.bin"));
    const std::string cut = writeFile(dir, "cut.bin", real.substr(0, real.size() / 2));
    CHECK(openError(cut) == cut + ": is a damaged zip archive: no end-of-central-directory record (truncated?).");

    // One flipped byte inside a storage: the zip CRC catches it.
    std::string flipped = readFile(sharedPath("models/tiny-xlmr-m3/sparse_linear.pt"));
    // The first occurrence of the name is in its local header (30 fixed bytes before the name).
    const std::size_t header = flipped.find("sparse_linear/data/0") - 30;
    REQUIRE(flipped.compare(header, 4, "PK\x03\x04") == 0);
    const auto u16 = [&](std::size_t p) {
        return static_cast<unsigned char>(flipped[p]) | (static_cast<unsigned char>(flipped[p + 1]) << 8);
    };
    const std::size_t dataStart = header + 30 + u16(header + 26) + u16(header + 28);
    flipped[dataStart + 10] = static_cast<char>(flipped[dataStart + 10] ^ 0x40);
    const std::string crc = writeFile(dir, "crc.pt", flipped);
    CHECK(openError(crc) == crc + ": zip entry 'sparse_linear/data/0' is damaged: CRC mismatch (corrupt download?).");

    const std::string legacy = writeFile(dir, "legacy.bin", std::string("\x80\x02\x8a\x0a", 4) + "old format");
    CHECK_THAT(openError(legacy), ContainsSubstring("is a legacy (pre-1.6) PyTorch file"));

    const std::string noPickle = writeFile(dir, "nopkl.pt", makeZip({{"archive/other.txt", "x"}}));
    CHECK(openError(noPickle) ==
          noPickle + ": is a zip file without '<archive>/data.pkl', so it is not a PyTorch checkpoint.");

    const std::string opcode = writeFile(dir, "opcode.pt", archive("\x80\x02}(" + str("w") + "I42\nu."));
    CHECK(openError(opcode) == opcode +
                                   ": unsupported pickle opcode 0x49 at byte 10 in data.pkl; only plain PyTorch "
                                   "state dicts can be read (nothing in the file is executed).");

    const std::string evil =
        writeFile(dir, "evil.pt", archive("\x80\x02" + global("os", "system") + str("rm -rf /") + "\x85R."));
    CHECK(openError(evil) == evil +
                                 ": the pickle references 'os.system', which a state dict never needs; refusing to "
                                 "load it (nothing in the file is executed).");

    const std::string call = writeFile(dir, "call.pt", archive("\x80\x02" + global("torch", "FloatStorage") + ")R."));
    CHECK_THAT(openError(call), ContainsSubstring("the pickle calls 'torch.FloatStorage'"));

    const std::string missing =
        writeFile(dir, "missing.pt", makeZip({{"archive/data.pkl", "\x80\x02}(" + str("w") + okTensor + "u."}}));
    CHECK(openError(missing) ==
          missing + ": storage 'archive/data/0' is missing from the archive (truncated download?).");

    const std::string small =
        writeFile(dir, "small.pt", archive("\x80\x02}(" + str("w") + okTensor + "u.", floats({1})));
    CHECK(openError(small) == small + ": storage 'archive/data/0' holds 4 bytes but 2 F32 elements need 8.");

    const std::string beyond = writeFile(
        dir, "beyond.pt",
        archive("\x80\x02}(" + str("w") + tensor(storage("0", 2), 1, int1(2) + "\x85", int1(1) + "\x85") + "u."));
    CHECK(openError(beyond) == beyond +
                                   ": a tensor view [2] at offset 1 reaches past the end of storage "
                                   "'archive/data/0' (2 elements).");

    const std::string list = writeFile(dir, "list.pt", archive("\x80\x02]."));
    CHECK(openError(list) == list + ": holds a pickled list, not a state dict.");

    const std::string truncated = writeFile(dir, "trunc.pt", archive("\x80\x02}(" + str("w")));
    CHECK_THAT(openError(truncated), ContainsSubstring("the pickle ends without STOP"));
}

TEST_CASE("fuzz regressions: a tiny archive claiming zip64 is refused, not read past its end",
          "[tensor][pickle][fuzz]") {
    // Found by fuzz_torch_pickle (ASan SEGV): a 53-byte file whose end record saturates its fields made the
    // zip64 bounds check underflow and read far outside the mapping.
    TempDir dir;
    const std::string bytes(
        "PK\x03\x04\x00\x00\x08\x00\x04\x00PK\x06\x07\x00\x00\x00\x00\x85\x03\x00\xe8\x03\x00"
        "\x00\x00\x01\x00\x00\x00PK\x05\x06\x00\x00\x00\x00\xfc\xff\x04\x04\x00\xf3\x00\xff\xff"
        "\xff\xff\xff\xff\xff\x08",
        53);
    const std::string path = writeFile(dir, "tiny.bin", bytes);
    CHECK_THROWS_WITH(TorchPickleFile(path), ContainsSubstring("tiny.bin") && ContainsSubstring("zip64"));
}
