// CpGPT's files: checkpoints with foreign classes in hyper_parameters (loaded, nothing constructed), a malicious
// pickle (refused), and clear errors for damaged checkpoints, missing or misshapen tensors, bad config.yaml,
// vocab.json and locus tables. The pickles in data/ come from tools/cpgpt/make_test_pickles.py.
#include <filesystem>
#include <fstream>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/common/error.h"
#include "core/methyl/cpgpt/cpgpt_model.h"
#include "core/methyl/cpgpt/lightning_checkpoint.h"
#include "core/methyl/cpgpt/safe_pickle.h"
#include "core/tensor/safetensors_file.h"
#include "core/tensor/safetensors_writer.h"
#include "core/tensor/zip_archive.h"
#include "tests/core/methyl/cpgpt/cpgpt_test_util.h"

using namespace benchtop;
using namespace benchtop::test;
using namespace benchtop::test::cpgpt;
using Catch::Matchers::ContainsSubstring;
using methyl::cpgpt::CpgptModel;

namespace {

void putLe(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

// A stored zip of `entries` with the CRCs copied from the source archive (or computed for new data).
std::uint32_t crc32Of(const std::string& data) {
    std::uint32_t crc = 0xffffffffu;
    for (unsigned char c : data) {
        crc ^= c;
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

std::string storedZip(const std::vector<std::pair<std::string, std::string>>& entries) {
    std::string zip, central;
    for (const auto& [name, data] : entries) {
        const std::size_t offset = zip.size();
        const std::uint32_t crc = crc32Of(data);
        for (std::string* out : {&zip, &central}) {
            const bool local = out == &zip;
            putLe(*out, local ? 0x04034b50 : 0x02014b50, 4);
            if (!local) putLe(*out, 20, 2);
            putLe(*out, 20, 2);
            putLe(*out, 0, 2);
            putLe(*out, 0, 2);
            putLe(*out, 0, 4);
            putLe(*out, crc, 4);
            putLe(*out, data.size(), 4);
            putLe(*out, data.size(), 4);
            putLe(*out, name.size(), 2);
            putLe(*out, 0, 2);
            if (!local) {
                putLe(*out, 0, 2);
                putLe(*out, 0, 2);
                putLe(*out, 0, 2);
                putLe(*out, 0, 4);
                putLe(*out, offset, 4);
            }
            *out += name;
            if (local) *out += data;
        }
    }
    const std::size_t cdOffset = zip.size();
    zip += central;
    putLe(zip, 0x06054b50, 4);
    putLe(zip, 0, 4);
    putLe(zip, entries.size(), 2);
    putLe(zip, entries.size(), 2);
    putLe(zip, central.size(), 4);
    putLe(zip, cdOffset, 4);
    putLe(zip, 0, 2);
    return zip;
}

/// The fixture's checkpoint with its data.pkl replaced by `pickleFile` of data/ (same storages).
std::string checkpointWith(const TempDir& dir, const std::string& pickleFile, const std::string& name) {
    tensor::ZipArchive fixtureZip(fixture("tiny_model/model.ckpt"));
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto& e : fixtureZip.entries()) {
        std::string data;
        if (e.name == "model/data.pkl") {
            data = readFile(std::string(BENCHTOP_CPGPT_TEST_DATA) + "/" + pickleFile);
        } else {
            const tensor::ByteView b = fixtureZip.read(e.name);
            data.assign(reinterpret_cast<const char*>(b.data), b.size);
        }
        entries.emplace_back(e.name, data);
    }
    const std::string path = dir.file(name);
    std::ofstream(path, std::ios::binary) << storedZip(entries);
    return path;
}

std::string withFile(const TempDir& dir, const std::string& name, const std::string& bytes) {
    std::ofstream(dir.file(name), std::ios::binary) << bytes;
    return dir.file(name);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a checkpoint with foreign classes in hyper_parameters loads and predicts as the fixture", "[cpgpt][files]") {
    TempDir dir;
    const std::string ckpt = checkpointWith(dir, "foreign_hparams.pkl", "model.ckpt");
    const methyl::cpgpt::LightningCheckpoint file(ckpt);
    CHECK(file.names().size() == 75);
    // Two functools.partial, the OmegaConf DictConfig, the pathlib path and the enum: inert objects (their
    // state is dropped); the set, frozenset and bytes become plain values.
    CHECK(file.foreignObjects() == 5);
    CHECK(file.info("net.cls_token").shape == std::vector<std::int64_t>{1, 1, 32});

    const std::string folder = modelFolder(dir, "", fixtureLocusTable());
    std::filesystem::copy_file(ckpt, folder + "/model.ckpt");
    const CpgptModel model = CpgptModel::load(folder);
    const auto p = model.predict(methyl::readBetaMatrix(fixture("inputs/betas.csv")));
    const std::vector<double> want = expected("pred_conditions_masked.npy");
    for (std::size_t s = 0; s < 6; ++s)
        for (std::size_t k = 0; k < 3; ++k)
            CHECK(std::fabs(p.outputs[k].values[s] - want[s * 3 + k]) <= 1e-5 + 1e-5 * std::fabs(want[s * 3 + k]));
}

TEST_CASE("a malicious pickle is refused, naming what it would have run", "[cpgpt][files]") {
    TempDir dir;
    const std::string ckpt = checkpointWith(dir, "malicious.pkl", "evil.ckpt");
    CHECK(errorOf([&] { methyl::cpgpt::LightningCheckpoint file(ckpt); }) ==
          ckpt +
              ": the pickle references 'posix.system', which no checkpoint needs; refusing the file (it was made "
              "to run code when loaded in Python; nothing in it is executed here).");
    // The same attacks spelled differently, in a bare pickle.
    const std::string evalCall = std::string(
                                     "\x80\x02"
                                     "cbuiltins\neval\nX") +
                                 std::string("\x01\x00\x00\x00", 4) + "1\x85R.";
    const std::string popen = "\x80\x04\x8c\x0asubprocess\x8c\x05Popen\x93.";
    for (const std::string& pkl : {evalCall, popen}) {
        const std::string message = errorOf(
            [&] { methyl::cpgpt::readPickle(reinterpret_cast<const std::uint8_t*>(pkl.data()), pkl.size(), "x"); });
        CHECK_THAT(message, ContainsSubstring("refusing the file"));
    }
}

TEST_CASE("damaged checkpoints and weights give clear errors", "[cpgpt][files]") {
    TempDir dir;
    const std::string real = readFile(fixture("tiny_model/model.ckpt"));
    const std::string cut = withFile(dir, "cut.ckpt", real.substr(0, real.size() / 2));
    CHECK_THAT(errorOf([&] { methyl::cpgpt::LightningCheckpoint f(cut); }),
               ContainsSubstring(cut + ": is a damaged zip archive"));
    const std::string text = withFile(dir, "text.ckpt", "not a checkpoint");
    CHECK_THAT(errorOf([&] { methyl::cpgpt::LightningCheckpoint f(text); }), ContainsSubstring("is not a zip archive"));
    const std::string list =
        withFile(dir, "list.ckpt", storedZip({{"archive/data.pkl", std::string("\x80\x02].", 4)}}));
    CHECK(errorOf([&] { methyl::cpgpt::LightningCheckpoint f(list); }) ==
          list + ": holds a pickled list, not a checkpoint dict.");
    const std::string noState = withFile(dir, "nostate.ckpt",
                                         storedZip({{"archive/data.pkl", std::string("\x80\x02}X\x05\x00\x00\x00"
                                                                                     "epochK\x01s.",
                                                                                     17)}}));
    CHECK(errorOf([&] { methyl::cpgpt::LightningCheckpoint f(noState); }) ==
          noState + ": has no 'state_dict' entry, so it is not a Lightning checkpoint.");

    // Weights without one tensor, and with one of the wrong shape (safetensors rewritten from the fixture's).
    const tensor::SafetensorsFile st(fixture("tiny_model/model.safetensors"));
    TempDir missingDir, shapedDir;
    const auto rewrite = [&](const TempDir& d, const std::string& drop, const std::string& reshape) {
        std::vector<tensor::TensorToWrite> tensors;
        for (const std::string& n : st.names()) {
            if (n == drop) continue;
            tensor::TensorToWrite t{n, st.info(n).dtype, st.info(n).shape, st.bytes(n)};
            if (n == reshape) t.shape = {t.shape[1], t.shape[0]};
            tensors.push_back(t);
        }
        const std::string folder = modelFolder(d, "", fixtureLocusTable());
        tensor::writeSafetensors(folder + "/model.safetensors", tensors);
        return folder;
    };
    const std::string missing = rewrite(missingDir, "net.transformer_encoder.layers.1.linear2.weight", "");
    CHECK(errorOf([&] { CpgptModel::load(missing); }) ==
          missing +
              "/model.safetensors: tensor 'net.transformer_encoder.layers.1.linear2.weight' is missing (does "
              "config.yaml belong to these weights?).");
    const std::string shaped = rewrite(shapedDir, "", "net.dna_encoder.input_adapter.weight");
    CHECK_THAT(
        errorOf([&] { CpgptModel::load(shaped); }),
        ContainsSubstring("tensor 'net.dna_encoder.input_adapter.weight' has shape [1024,48], expected [48,1024]"));
}

TEST_CASE("config.yaml, vocab.json and locus table errors name the file and the key", "[cpgpt][files]") {
    const std::string config = readFile(fixture("tiny_model/config.yaml"));
    const auto locus = fixtureLocusTable();
    const auto loadError = [&](const std::string& configYaml, const std::string& vocabJson = {}) {
        TempDir dir;
        const std::string folder = modelFolder(dir, "model.safetensors", locus, vocabJson, configYaml);
        return std::make_pair(folder, errorOf([&] { CpgptModel::load(folder); }));
    };
    auto [f1, e1] = loadError(replaced(config, "    n_layers: 2\n", ""));
    CHECK(e1 == f1 + "/config.yaml: key 'model.net.n_layers' is missing; is this a CpGPT config.yaml?");
    auto [f2, e2] = loadError(replaced(config, "n_attention_heads: 4", "n_attention_heads: four"));
    CHECK(e2 == f2 + "/config.yaml: key 'model.net.n_attention_heads' must be an integer, found 'four'.");
    auto [f3, e3] = loadError(replaced(config, "positional_encoding: rotary", "positional_encoding: hic"));
    CHECK_THAT(e3, ContainsSubstring("key 'model.net.positional_encoding' is 'hic', but Benchtop runs only rotary"));
    auto [f4, e4] = loadError(config + "  : [unbalanced\n");
    CHECK_THAT(e4, ContainsSubstring(f4 + "/config.yaml: is not valid YAML"));
    auto [f5, e5] = loadError(replaced(config, "n_layers: 2", "n_layers: 3"));
    CHECK(e5 == f5 + "/model.safetensors: tensor 'net.transformer_encoder.layers.2.norm1_cls.weight' is missing (does "
                     "config.yaml belong to these weights?).");
    auto [f6, e6] = loadError({}, R"({"output": ["a"]})");
    CHECK(e6 == f6 + "/vocab.json: has no \"input\" list of CpG ids; is this a CpGPT vocab/<model>.json?");
    auto [f7, e7] = loadError({}, R"({"input": ["cg1", "cg1"], "output": ["a", "b", "c"]})");
    CHECK(e7 == f7 + "/vocab.json: \"input\" lists CpG 'cg1' twice.");

    TempDir dir;
    auto other = locus;
    other.cpgs.pop_back();
    other.positions.pop_back();
    other.embeddings.resize(other.embeddings.size() - 1024);
    const std::string folder = modelFolder(dir, "model.safetensors", other);
    CHECK(errorOf([&] { CpgptModel::load(folder); }) ==
          folder +
              "/locus_embeddings.safetensors: lists other CpGs than vocab.json (199 vs 200); import it again for "
              "this model.");
    std::filesystem::remove(folder + "/locus_embeddings.safetensors");
    CHECK_THAT(errorOf([&] { CpgptModel::load(folder); }),
               ContainsSubstring("locus_embeddings.safetensors: is missing: import the DNA embeddings"));
}
