#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace benchtop::text {

using TokenId = int32_t;

/// One tokenized text (or pair of texts).
struct Encoding {
    std::vector<TokenId> ids;
    std::vector<TokenId> typeIds;
    std::vector<uint8_t> attentionMask;      ///< 1 for every token (padding is added by batches only)
    std::vector<uint8_t> specialTokensMask;  ///< 1 for tokens added by the post-processor or matched added specials
    bool truncated = false;                  ///< true when tokens were cut to fit maxLength
    size_t untruncatedLength = 0;            ///< the number of ids without truncation
};

/// Texts encoded and padded to one length, row-major, ready for a [rows, columns] int64 tensor.
struct EncodedBatch {
    size_t rows = 0;
    size_t columns = 0;
    std::vector<int64_t> inputIds;
    std::vector<int64_t> typeIds;
    std::vector<int64_t> attentionMask;
    std::vector<size_t> lengths;     ///< real (unpadded) tokens per row
    std::vector<uint8_t> truncated;  ///< 1 where the row's text was truncated
};

struct EncodeOptions {
    bool addSpecialTokens = true;  ///< run the post-processor ([CLS] ... [SEP], <s> ... </s>)
    size_t maxLength = 0;          ///< truncate (right, keeping the special tokens) to this many ids; 0 = never
    bool matchAddedTokens = true;  ///< split out added/special token strings found in the text
};

/// Where maxLength() came from, for messages ("max_seq_length in sentence_bert_config.json").
struct MaxLengthSource {
    size_t value = 0;
    std::string origin;
};

/// A Hugging Face `tokenizer.json` tokenizer implemented natively: normalizer, pre-tokenizer, model
/// (WordPiece, Unigram, BPE), post-processor, decoder and added tokens, giving the same ids as the
/// Rust `tokenizers` library. Immutable after loading; copies share state and every method is
/// thread-safe.
class Tokenizer {
public:
    /// Parses a tokenizer.json file. Throws benchtop::Error naming the file and the problem.
    static Tokenizer fromFile(const std::string& tokenizerJsonPath);
    /// Parses tokenizer.json text; `context` names its origin in error messages.
    static Tokenizer fromJson(const std::string& json, const std::string& context);
    /// Loads a model folder: tokenizer.json (or vocab.json + merges.txt as byte-level BPE) and the
    /// maximum length from sentence_bert_config.json (max_seq_length), tokenizer_config.json
    /// (model_max_length) or config.json (max_position_embeddings, minus 2 for RoBERTa/XLM-R), in that order.
    static Tokenizer fromFolder(const std::string& dir);
    /// A GPT-2 style byte-level BPE from vocab.json + merges.txt; `addedTokensJson` (optional, may be
    /// empty) is an added_tokens.json ({content: id}) whose tokens are matched in text as specials.
    static Tokenizer fromByteLevelBpeFiles(const std::string& vocabJson, const std::string& mergesTxt,
                                           const std::string& addedTokensJson = {});

    Encoding encode(std::string_view text, const EncodeOptions& options = {}) const;
    /// A pair (query, passage): the post-processor's pair template; LongestFirst truncation.
    Encoding encodePair(std::string_view first, std::string_view second, const EncodeOptions& options = {}) const;
    /// Encodes every text and pads to the longest (right padding with padId(), mask 0).
    EncodedBatch encodeBatch(const std::vector<std::string>& texts, const EncodeOptions& options = {},
                             size_t padToMultipleOf = 0) const;
    /// Pads already-encoded texts into a batch (right padding with padId() / padTypeId()).
    EncodedBatch pad(const std::vector<Encoding>& encodings, size_t padToMultipleOf = 0) const;

    /// Ids back to text through the decoder; unknown ids are skipped.
    std::string decode(const std::vector<TokenId>& ids, bool skipSpecialTokens = false) const;

    std::optional<TokenId> tokenToId(std::string_view token) const;
    std::optional<std::string> idToToken(TokenId id) const;
    /// True for added tokens marked special (what decode(skipSpecialTokens) drops).
    bool isSpecial(TokenId id) const;
    /// Model vocabulary plus added tokens not in it.
    size_t vocabSize() const;
    /// The number of tokens the post-processor adds to one text (2 for [CLS] ... [SEP]).
    size_t specialTokensAdded(bool pair = false) const;

    TokenId padId() const;
    TokenId padTypeId() const;
    /// The maximum sequence length from the folder (fromFolder), or 0 when unknown.
    size_t maxLength() const;
    const MaxLengthSource& maxLengthSource() const;
    /// The file this tokenizer was read from.
    const std::string& source() const;

    struct Impl;

private:
    explicit Tokenizer(std::shared_ptr<Impl> impl);
    std::shared_ptr<Impl> m_impl;
};

/// Python str.strip(): what sentence-transformers applies to every text before tokenizing.
std::string stripPython(std::string_view text);

}  // namespace benchtop::text
