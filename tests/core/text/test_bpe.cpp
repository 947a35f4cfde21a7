// Byte-level BPE (Whisper): every case of fixtures/tokenizers/bpe with the tokenizer.json of
// tiny-whisper-v3 and with its vocab.json + merges.txt, plus tiny-whisper-v2 (same merges).

#include "core/common/error.h"
#include "core/text/bpe.h"
#include "core/text/tokenizer.h"
#include "tests/support/shared_paths.h"

#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>

using benchtop::text::EncodeOptions;
using benchtop::text::TokenId;
using benchtop::text::Tokenizer;
using nlohmann::json;

namespace {

json cases() {
    return json::parse(
        benchtop::test::readFile(benchtop::test::sharedPath("fixtures/tokenizers/bpe/tiny-whisper-v3.cases.json")));
}

EncodeOptions plainText() {
    EncodeOptions o;
    o.addSpecialTokens = false;
    o.matchAddedTokens = false;
    return o;
}

EncodeOptions withSpecials() {
    EncodeOptions o;
    o.addSpecialTokens = false;
    return o;
}

std::vector<TokenId> idsOf(const json& j) {
    return j.get<std::vector<TokenId>>();
}

}  // namespace

TEST_CASE("Whisper v3 tokenizer.json encodes and decodes every BPE case", "[text][bpe]") {
    const json fixture = cases();
    const Tokenizer tok = Tokenizer::fromFile(benchtop::test::sharedPath("models/tiny-whisper-v3/tokenizer.json"));
    const TokenId timestampBegin = fixture["special_ids"]["timestamp_begin"].get<TokenId>();
    REQUIRE(fixture["cases"].size() == 40);
    for (const json& c : fixture["cases"]) {
        const std::string text = c["text"].get<std::string>();
        INFO(c["name"].get<std::string>() << ": " << text);
        const auto ids = tok.encode(text, plainText()).ids;
        CHECK(ids == idsOf(c["ids"]));
        std::vector<std::string> pieces;
        for (TokenId id : ids) pieces.push_back(tok.idToToken(id).value_or("?"));
        CHECK(pieces == c["pieces"].get<std::vector<std::string>>());

        const auto special = tok.encode(text, withSpecials()).ids;
        CHECK(special == idsOf(c["ids_with_specials"]));

        CHECK(tok.decode(idsOf(c["ids"])) == c["decoded"].get<std::string>());
        CHECK(tok.decode(idsOf(c["ids_with_specials"])) == c["decoded_with_specials"].get<std::string>());
        // whisper's Tokenizer.decode drops timestamps and keeps the other specials.
        std::vector<TokenId> noTimestamps;
        for (TokenId id : idsOf(c["ids_with_specials"]))
            if (id < timestampBegin) noTimestamps.push_back(id);
        CHECK(tok.decode(noTimestamps) == c["decoded_openai"].get<std::string>());
    }
    for (const json& s : fixture["single_token_decodes"]) {
        INFO("id " << s["id"]);
        CHECK(tok.decode({s["id"].get<TokenId>()}) == s["decoded"].get<std::string>());
    }
    const json& sp = fixture["special_ids"];
    CHECK(tok.tokenToId("<|endoftext|>") == sp["eot"].get<TokenId>());
    CHECK(tok.tokenToId("<|startoftranscript|>") == sp["sot"].get<TokenId>());
    CHECK(tok.tokenToId("<|transcribe|>") == sp["transcribe"].get<TokenId>());
    CHECK(tok.tokenToId("<|notimestamps|>") == sp["no_timestamps"].get<TokenId>());
    CHECK(tok.tokenToId("<|0.00|>") == sp["timestamp_begin"].get<TokenId>());
    CHECK(tok.tokenToId("<|yue|>") == sp["yue"].get<TokenId>());
    CHECK(tok.isSpecial(sp["eot"].get<TokenId>()));
    CHECK_FALSE(tok.isSpecial(timestampBegin));  // timestamps are added tokens, not specials, in HF's files
}

TEST_CASE("vocab.json + merges.txt give the same byte-level BPE as tokenizer.json", "[text][bpe]") {
    const json fixture = cases();
    const std::string dir = benchtop::test::sharedPath("models/tiny-whisper-v3");
    const Tokenizer files =
        Tokenizer::fromByteLevelBpeFiles(dir + "/vocab.json", dir + "/merges.txt", dir + "/added_tokens.json");
    const auto model = benchtop::text::BpeModel::fromFiles(dir + "/vocab.json", dir + "/merges.txt");
    CHECK(model.vocabSize() == 50257);
    for (const json& c : fixture["cases"]) {
        const std::string text = c["text"].get<std::string>();
        INFO(c["name"].get<std::string>() << ": " << text);
        CHECK(files.encode(text, plainText()).ids == idsOf(c["ids"]));
        CHECK(files.encode(text, withSpecials()).ids == idsOf(c["ids_with_specials"]));
        CHECK(files.decode(idsOf(c["ids"])) == c["decoded"].get<std::string>());

        // The bare model on the byte-level pieces gives the same ids (the API Whisper's decoder uses).
        std::vector<int32_t> ids;
        for (const std::string& piece : c["pieces"].get<std::vector<std::string>>()) model.tokenize(piece, ids);
        CHECK(ids == idsOf(c["ids"]));
    }
}

TEST_CASE("Whisper v2 shares the byte-level BPE of v3", "[text][bpe]") {
    const json fixture = cases();
    const Tokenizer v2 = Tokenizer::fromFolder(benchtop::test::sharedPath("models/tiny-whisper-v2"));
    for (const json& c : fixture["cases"]) {
        const std::string text = c["text"].get<std::string>();
        INFO(c["name"].get<std::string>() << ": " << text);
        CHECK(v2.encode(text, plainText()).ids == idsOf(c["ids"]));
        CHECK(v2.decode(idsOf(c["ids"])) == c["decoded"].get<std::string>());
    }
    // v2 has no <|yue|>: the specials after <|zh|>... are one id lower than in v3.
    CHECK_FALSE(v2.tokenToId("<|yue|>").has_value());
    CHECK(v2.tokenToId("<|endoftext|>") == 50257);
    CHECK(v2.tokenToId("<|0.00|>") == 50364);
}

TEST_CASE("byte-level alphabet round-trips every byte", "[text][bpe]") {
    std::string all;
    for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
    const std::string encoded = benchtop::text::byteLevelEncode(all);
    CHECK(benchtop::text::byteLevelDecode(encoded) == all);
    CHECK(benchtop::text::byteLevelChar(' ') == U'\u0120');   // "Ġ"
    CHECK(benchtop::text::byteLevelChar('\n') == U'\u010A');  // "Ċ"
    CHECK(benchtop::text::byteLevelChar('A') == U'A');
}

TEST_CASE("BPE options: continuing prefix, end-of-word suffix, unk fusing, byte fallback", "[text][bpe]") {
    using benchtop::text::BpeModel;
    {
        BpeModel::Options o;
        o.continuingSubwordPrefix = "##";
        o.unkToken = "[UNK]";
        o.fuseUnk = true;
        BpeModel m({{"[UNK]", 0}, {"a", 1}, {"##b", 2}, {"##c", 3}, {"ab", 4}, {"abc", 5}, {"##a", 6}},
                   {{"a", "##b"}, {"ab", "##c"}}, o);
        std::vector<int32_t> ids;
        m.tokenize("abc", ids);
        CHECK(ids == std::vector<int32_t>{5});
        ids.clear();
        m.tokenize("axyb", ids);  // x and y are unknown: one fused [UNK]
        CHECK(ids == std::vector<int32_t>{1, 0, 2});
    }
    {
        BpeModel::Options o;
        o.endOfWordSuffix = "</w>";
        o.byteFallback = true;
        BpeModel m({{"a", 0}, {"b</w>", 1}, {"ab</w>", 2}, {"<0xC3>", 3}, {"<0xA9>", 4}, {"a</w>", 5}},
                   {{"a", "b</w>"}}, o);
        std::vector<int32_t> ids;
        m.tokenize("ab", ids);
        CHECK(ids == std::vector<int32_t>{2});
        ids.clear();
        m.tokenize(
            "\xC3\xA9"
            "a",
            ids);  // "éa": é is not in the vocabulary -> its two bytes
        CHECK(ids == std::vector<int32_t>{3, 4, 5});
    }
    CHECK_THROWS_AS(BpeModel({{"a", 0}}, {{"a", "b"}}, BpeModel::Options()), benchtop::Error);
}
