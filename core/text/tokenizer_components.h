#pragma once

// The stages of a Hugging Face tokenizer.json pipeline (normalizer -> pre-tokenizer -> model ->
// post-processor, and the decoder), each built from its JSON object. Internal to core/text: the
// public API is core/text/tokenizer.h.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace benchtop::text {

using TokenId = int32_t;

/// Rewrites text before it is split (lowercase, NFKC, precompiled maps...). Works on code points.
class Normalizer {
public:
    virtual ~Normalizer() = default;
    virtual std::u32string normalize(const std::u32string& text) const = 0;
};

/// A piece of text during pre-tokenization. `atStart`: the piece begins at offset 0 of the input
/// (Metaspace's prepend_scheme "first" depends on it).
struct Piece {
    std::u32string text;
    bool atStart = false;
};

/// Splits normalized text into pieces (words); each piece is tokenized by the model on its own.
class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    virtual void apply(std::vector<Piece>& pieces) const = 0;
};

/// Turns one pre-tokenized piece (UTF-8) into token ids.
class Model {
public:
    virtual ~Model() = default;
    virtual void tokenize(const std::string& piece, std::vector<TokenId>& ids) const = 0;
    virtual std::optional<TokenId> tokenToId(std::string_view token) const = 0;
    virtual std::optional<std::string> idToToken(TokenId id) const = 0;
    virtual size_t vocabSize() const = 0;
};

/// Token strings back to text pieces (HF decode_chain); the tokenizer concatenates the result.
class Decoder {
public:
    virtual ~Decoder() = default;
    virtual std::vector<std::string> decodeChain(std::vector<std::string> tokens) const = 0;
};

/// A sequence of ids being assembled into an encoding.
struct TokenSequence {
    std::vector<TokenId> ids;
    std::vector<TokenId> typeIds;
    std::vector<uint8_t> special;
};

/// Adds the special tokens around one sequence or a pair ([CLS] A [SEP] B [SEP], <s> A </s>...).
class PostProcessor {
public:
    virtual ~PostProcessor() = default;
    virtual size_t addedTokens(bool pair) const = 0;
    virtual TokenSequence process(const TokenSequence& a, const TokenSequence* b) const = 0;
};

/// How a Split-style pre-tokenizer treats the delimiters it finds (HF SplitDelimiterBehavior).
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

/// Applies `behavior` to the [begin, end, isMatch] runs covering a piece; returns the kept ranges.
std::vector<std::pair<size_t, size_t>> applySplitBehavior(const std::vector<std::tuple<size_t, size_t, bool>>& runs,
                                                          SplitBehavior behavior);

/// Builders from tokenizer.json objects. `context` names the file in error messages. A null JSON value
/// gives nullptr (no stage).
std::unique_ptr<Normalizer> makeNormalizer(const nlohmann::json& j, const std::string& context);
std::unique_ptr<PreTokenizer> makePreTokenizer(const nlohmann::json& j, const std::string& context);
std::unique_ptr<Model> makeModel(const nlohmann::json& j, const std::string& context);
std::unique_ptr<Decoder> makeDecoder(const nlohmann::json& j, const std::string& context);
/// `tokenToId` resolves the token strings of BertProcessing / RobertaProcessing / TemplateProcessing.
std::unique_ptr<PostProcessor> makePostProcessor(const nlohmann::json& j, const std::string& context);

/// GPT-2 style pre-split (the regex `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`),
/// hand-written on code points; returns [begin, end) ranges covering `text`.
std::vector<std::pair<size_t, size_t>> splitGpt2(const std::u32string& text);

}  // namespace benchtop::text
