// Tokenizer fixtures: ids, type ids and masks of the HF Rust tokenizers (0.23.2) for the tiny text
// models, every tokenizer.json variant, truncation, sentence-transformers strip, batches, decoding and
// malformed files.

#include "core/common/error.h"
#include "core/text/tokenizer.h"
#include "tests/support/shared_paths.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using benchtop::text::EncodeOptions;
using benchtop::text::Encoding;
using benchtop::text::TokenId;
using benchtop::text::Tokenizer;
using nlohmann::json;

namespace {

json readJson(const std::string& relative) {
    return json::parse(benchtop::test::readFile(benchtop::test::sharedPath(relative)));
}

std::vector<TokenId> idsOf(const json& j) {
    return j.get<std::vector<TokenId>>();
}

std::vector<TokenId> asIds(const std::vector<int64_t>& v, size_t begin, size_t n) {
    return std::vector<TokenId>(v.begin() + static_cast<long>(begin), v.begin() + static_cast<long>(begin + n));
}

const char* const kModels[] = {"tiny-bert-mean", "tiny-bert-cls", "tiny-xlmr-m3"};

// Every tokenizer.json spelling of a model: the model's own and the fixture variants.
std::vector<std::string> tokenizerFiles(const std::string& model) {
    std::vector<std::string> files{benchtop::test::sharedPath("models/" + model + "/tokenizer.json")};
    const std::string dir = benchtop::test::sharedPath("fixtures/text/" + model + "/tokenizer_variants");
    std::vector<std::string> variants;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".json") variants.push_back(e.path().string());
    std::sort(variants.begin(), variants.end());
    REQUIRE(variants.size() == 2);
    files.insert(files.end(), variants.begin(), variants.end());
    return files;
}

}  // namespace

TEST_CASE("tokenizer.json gives the Rust tokenizers' ids for every fixture input", "[text][tokenizer]") {
    for (const char* model : kModels) {
        const json tokens = readJson(std::string("fixtures/text/") + model + "/tokens.json");
        const size_t maxLength = tokens["max_seq_length"].get<size_t>();
        const json& items = tokens["items"];
        REQUIRE(items.size() == 52);
        for (const std::string& file : tokenizerFiles(model)) {
            const Tokenizer tok = Tokenizer::fromFile(file);
            size_t checked = 0;
            for (const json& item : items) {
                const std::string text = item["text"].get<std::string>();
                INFO(file << " input #" << item["index"].get<int>() << " " << text);

                const Encoding full = tok.encode(text);
                CHECK(full.ids == idsOf(item["ids"]));
                CHECK(full.typeIds == idsOf(item["type_ids"]));
                CHECK(full.attentionMask == std::vector<uint8_t>(full.ids.size(), 1));
                CHECK_FALSE(full.truncated);

                EncodeOptions truncate;
                truncate.maxLength = maxLength;
                const Encoding cut = tok.encode(text, truncate);
                CHECK(cut.ids == idsOf(item["ids_truncated"]));
                CHECK(cut.truncated == (item["ids"].size() > maxLength));
                CHECK(cut.untruncatedLength == item["ids"].size());

                const std::string stripped = benchtop::text::stripPython(text);
                CHECK(stripped == item["st_text"].get<std::string>());
                const Encoding st = tok.encode(stripped, truncate);
                CHECK(st.ids == idsOf(item["st_ids"]));
                CHECK(st.typeIds == idsOf(item["st_type_ids"]));
                ++checked;
            }
            CHECK(checked == 52);
        }
    }
}

TEST_CASE("batches are truncated and right-padded like encodeBatch", "[text][tokenizer]") {
    for (const char* model : kModels) {
        INFO(model);
        const json tokens = readJson(std::string("fixtures/text/") + model + "/tokens.json");
        const json inputs = readJson("fixtures/text/inputs.json");
        const Tokenizer tok = Tokenizer::fromFolder(benchtop::test::sharedPath(std::string("models/") + model));
        REQUIRE(tok.maxLength() == tokens["max_seq_length"].get<size_t>());
        CHECK(tok.padId() == tokens["pad_id"].get<TokenId>());

        EncodeOptions options;
        options.maxLength = tok.maxLength();
        const auto batch = tok.encodeBatch(inputs.get<std::vector<std::string>>(), options);
        const json& expected = tokens["batch_raw_truncated_padded"];
        REQUIRE(batch.rows == 52);
        REQUIRE(batch.columns == expected["input_ids"][0].size());
        size_t truncatedRows = 0;
        for (size_t r = 0; r < batch.rows; ++r) {
            INFO("row " << r);
            CHECK(asIds(batch.inputIds, r * batch.columns, batch.columns) == idsOf(expected["input_ids"][r]));
            CHECK(asIds(batch.attentionMask, r * batch.columns, batch.columns) == idsOf(expected["attention_mask"][r]));
            CHECK(asIds(batch.typeIds, r * batch.columns, batch.columns) == idsOf(expected["token_type_ids"][r]));
            CHECK(batch.lengths[r] == tokens["items"][r]["ids_truncated"].size());
            truncatedRows += batch.truncated[r];
        }
        // README: bert-mean truncates 5 inputs, bert-cls and xlmr-m3 two each.
        CHECK(truncatedRows == (std::string(model) == "tiny-bert-mean" ? 5u : 2u));
    }
}

TEST_CASE("the maximum length comes from the first config that has it", "[text][tokenizer]") {
    const Tokenizer bert = Tokenizer::fromFolder(benchtop::test::sharedPath("models/tiny-bert-cls"));
    CHECK(bert.maxLength() == 48);
    CHECK(bert.maxLengthSource().origin == "max_seq_length in sentence_bert_config.json");

    // Without sentence_bert_config.json: tokenizer_config.json, then config.json (XLM-R: minus 2).
    benchtop::test::TempDir dir;
    const std::string src = benchtop::test::sharedPath("models/tiny-xlmr-m3");
    std::filesystem::copy_file(src + "/tokenizer.json", dir.file("tokenizer.json"));
    std::filesystem::copy_file(src + "/config.json", dir.file("config.json"));
    { std::ofstream(dir.file("tokenizer_config.json")) << R"({"model_max_length": 1000000000000000019884624838656})"; }
    const Tokenizer fromConfig = Tokenizer::fromFolder(dir.path());
    CHECK(fromConfig.maxLength() == 128);  // max_position_embeddings 130 - 2
    CHECK(fromConfig.maxLengthSource().origin == "max_position_embeddings in config.json minus 2");
    { std::ofstream(dir.file("tokenizer_config.json")) << R"({"model_max_length": 64})"; }
    CHECK(Tokenizer::fromFolder(dir.path()).maxLength() == 64);
}

TEST_CASE("decoding inverts encoding", "[text][tokenizer]") {
    // Expected strings from the Rust library (tokenizers 0.23.2, decode(ids, skip_special_tokens)).
    const Tokenizer bert = Tokenizer::fromFile(benchtop::test::sharedPath("models/tiny-bert-mean/tokenizer.json"));
    const Encoding e = bert.encode("The quick brown fox jumps over the lazy dog.");
    CHECK(bert.decode(e.ids, true) == "the quick brown fox jumps over the lazy dog.");
    CHECK(bert.decode(e.ids, false) == "[CLS] the quick brown fox jumps over the lazy dog. [SEP]");

    const Tokenizer xlmr = Tokenizer::fromFile(benchtop::test::sharedPath("models/tiny-xlmr-m3/tokenizer.json"));
    const Encoding x = xlmr.encode("The quick brown fox jumps over the lazy dog.");
    CHECK(xlmr.decode(x.ids, true) == "The quick brown fox jumps over the lazy dog.");
    CHECK(xlmr.decode(x.ids, false) == "<s> The quick brown fox jumps over the lazy dog.</s>");

    // Round trip: decoding then encoding again gives the same ids for every input without unknowns.
    const json inputs = readJson("fixtures/text/inputs.json");
    std::vector<size_t> counts;
    for (const Tokenizer* tok : {&bert, &xlmr}) {
        const TokenId unk = *tok->tokenToId(tok == &bert ? "[UNK]" : "<unk>");
        size_t roundTrips = 0;
        for (const auto& text : inputs.get<std::vector<std::string>>()) {
            if (benchtop::text::stripPython(text).empty()) continue;  // decodes to "" by design
            const Encoding first = tok->encode(text);
            if (std::find(first.ids.begin(), first.ids.end(), unk) != first.ids.end()) continue;
            const std::string decoded = tok->decode(first.ids, true);
            INFO(text << " -> " << decoded);
            CHECK(tok->encode(decoded).ids == first.ids);
            ++roundTrips;
        }
        counts.push_back(roundTrips);
    }
    // Inputs without unknown tokens and not blank: 29 for bert-mean, 24 for xlmr-m3.
    CHECK(counts == std::vector<size_t>{29, 24});
}

TEST_CASE("malformed tokenizer.json files fail with the file and the problem", "[text][tokenizer]") {
    benchtop::test::TempDir dir;
    auto write = [&](const std::string& name, const std::string& content) {
        std::ofstream(dir.file(name)) << content;
        return dir.file(name);
    };
    auto messageOf = [](const std::string& path) -> std::string {
        try {
            Tokenizer::fromFile(path);
        } catch (const benchtop::Error& e) {
            return e.what();
        }
        return "no error";
    };
    using Catch::Matchers::ContainsSubstring;
    const std::string bad = write("bad.json", "{\"model\": {\"type\": \"WordPiece\",");
    CHECK_THAT(messageOf(bad), ContainsSubstring(bad) && ContainsSubstring("not valid JSON"));

    const std::string unknown = write("unknown.json", R"({"model": {"type": "SuperBPE", "vocab": {}}})");
    CHECK_THAT(messageOf(unknown),
               ContainsSubstring(unknown) && ContainsSubstring("Unsupported tokenizer model type \"SuperBPE\""));

    const std::string noVocab = write("novocab.json", R"({"model": {"type": "WordPiece", "unk_token": "[UNK]"}})");
    CHECK_THAT(messageOf(noVocab),
               ContainsSubstring(noVocab) && ContainsSubstring("WordPiece model has no \"vocab\" field"));

    const std::string noModel = write("nomodel.json", R"({"normalizer": null})");
    CHECK_THAT(messageOf(noModel), ContainsSubstring("has no \"model\""));

    const std::string badUnk =
        write("badunk.json", R"({"model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"a": 0}}})");
    CHECK_THAT(messageOf(badUnk), ContainsSubstring("unk_token \"[UNK]\" is not in the vocabulary"));

    const std::string badMerge =
        write("badmerge.json", R"({"model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a b"]}})");
    CHECK_THAT(messageOf(badMerge), ContainsSubstring("makes \"ab\", which is not in the vocabulary"));

    const std::string badNormalizer = write(
        "badnorm.json", R"({"normalizer": {"type": "Magic"}, "model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}})");
    CHECK_THAT(messageOf(badNormalizer), ContainsSubstring("Unsupported normalizer type \"Magic\""));

    const std::string missing = dir.file("absent.json");
    CHECK_THAT(messageOf(missing), ContainsSubstring(missing) && ContainsSubstring("Cannot open"));

    CHECK_THROWS_AS(Tokenizer::fromFolder(dir.path() + "/nothing-here"), benchtop::Error);
}

TEST_CASE("added tokens: ids, single_word, lstrip/rstrip, normalized matching", "[text][tokenizer]") {
    // tiny-bert-mean with extra added tokens; expected ids from the Rust tokenizers 0.23.2.
    json j = readJson("models/tiny-bert-mean/tokenizer.json");
    j["normalizer"] = json::parse(R"({"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]})");
    j["pre_tokenizer"] = json::parse(R"({"type": "Whitespace"})");
    auto add = [&](int id, const char* content, bool singleWord, bool lstrip, bool rstrip, bool normalized,
                   bool special) {
        j["added_tokens"].push_back({{"id", id},
                                     {"content", content},
                                     {"single_word", singleWord},
                                     {"lstrip", lstrip},
                                     {"rstrip", rstrip},
                                     {"normalized", normalized},
                                     {"special", special}});
    };
    add(1500, "hello", true, false, false, false, false);
    add(1501, "world", false, false, true, false, true);
    add(1502, "Quick", false, true, true, true, false);
    add(1503, "the", true, true, false, true, false);
    add(1504, "ab", false, false, false, false, false);
    add(1505, "abab", false, false, false, false, false);
    const Tokenizer tok = Tokenizer::fromJson(j.dump(), "synthetic");

    // Tokens already in the vocabulary keep their ids; new ones are numbered after it.
    CHECK(tok.tokenToId("Quick") == 1500);
    CHECK(tok.tokenToId("abab") == 1501);
    CHECK(tok.tokenToId("world") == 642);

    const std::vector<std::pair<std::string, std::vector<TokenId>>> cases{
        {"hello world", {101, 800, 642, 102}},
        {"sayhello worldwide", {101, 109, 1355, 1382, 1406, 421, 642, 1153, 1176, 102}},
        {"a Quick  b", {101, 105, 1500, 121, 102}},
        {"quick", {101, 1500, 102}},
        {"then the end", {101, 566, 417, 566, 758, 102}},
        {"ababab abab", {101, 1501, 1486, 1501, 102}},
        {"xhello, hello_x hello!", {101, 130, 1382, 1406, 421, 124, 100, 800, 172, 102}},
    };
    for (const auto& [text, ids] : cases) {
        INFO(text);
        CHECK(tok.encode(text).ids == ids);
    }
    CHECK(tok.decode({101, 800, 642, 102}, true) == "hello");  // "world" is special
    CHECK(tok.decode({101, 105, 1500, 121, 102}, true) == "a quick b");
    CHECK(tok.decode({101, 1501, 1486, 1501, 102}, true) == "abab ab abab");
}

TEST_CASE("pairs use the pair template and LongestFirst truncation", "[text][tokenizer]") {
    const Tokenizer bert = Tokenizer::fromFile(benchtop::test::sharedPath("models/tiny-bert-mean/tokenizer.json"));
    const Encoding a = bert.encode("the quick brown fox", {false});
    const Encoding b = bert.encode("jumps over", {false});
    const Encoding pair = bert.encodePair("the quick brown fox", "jumps over");
    std::vector<TokenId> ids{101};
    ids.insert(ids.end(), a.ids.begin(), a.ids.end());
    ids.push_back(102);
    ids.insert(ids.end(), b.ids.begin(), b.ids.end());
    ids.push_back(102);
    CHECK(pair.ids == ids);
    std::vector<TokenId> types(a.ids.size() + 2, 0);
    types.insert(types.end(), b.ids.size() + 1, 1);
    CHECK(pair.typeIds == types);
    CHECK(bert.specialTokensAdded(true) == 3);

    EncodeOptions cut;
    cut.maxLength = 3 + b.ids.size() + 1;  // the first text loses tokens until it is no longer the longer one
    const Encoding truncated = bert.encodePair("the quick brown fox", "jumps over", cut);
    CHECK(truncated.truncated);
    CHECK(truncated.ids.size() == cut.maxLength);
    CHECK(truncated.ids[1] == a.ids[0]);
}
