#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace benchtop::text {

/// Byte-pair-encoding model (HF tokenizers' BPE): a vocabulary, ranked merges, and the options
/// tokenizer.json can give. For byte-level BPE (GPT-2, Whisper, RoBERTa) the input words are in the
/// byte-level alphabet (see byteLevelEncode); tokenize() does not split words itself.
class BpeModel {
public:
    struct Options {
        std::string continuingSubwordPrefix;  ///< prefixed to every symbol but the first of a word
        std::string endOfWordSuffix;          ///< appended to the last symbol of a word
        std::optional<std::string> unkToken;  ///< used for symbols missing from the vocabulary
        bool fuseUnk = false;                 ///< consecutive unknown symbols become one unk
        bool byteFallback = false;            ///< unknown symbols become <0xXX> byte tokens when present
        bool ignoreMerges = false;            ///< a word present in the vocabulary is one token
    };

    BpeModel() = default;
    /// Merges are pairs of vocabulary strings in rank order (rank = index). Throws benchtop::Error
    /// (with `context`) when a merge uses a token that is not in the vocabulary.
    BpeModel(std::unordered_map<std::string, int32_t> vocab,
             const std::vector<std::pair<std::string, std::string>>& merges, Options options,
             const std::string& context = {});

    /// Loads the GPT-2 file pair: vocab.json ({token: id}) and merges.txt ("a b" per line, an optional
    /// "#version" first line). Throws benchtop::Error naming the file on bad input.
    static BpeModel fromFiles(const std::string& vocabJsonPath, const std::string& mergesTxtPath, Options options);
    static BpeModel fromFiles(const std::string& vocabJsonPath, const std::string& mergesTxtPath);

    /// Appends the ids of one word (already in the model's alphabet).
    void tokenize(std::string_view word, std::vector<int32_t>& ids) const;

    std::optional<int32_t> tokenToId(std::string_view token) const;
    std::optional<std::string> idToToken(int32_t id) const;
    size_t vocabSize() const { return m_vocab.size(); }
    const Options& options() const { return m_options; }

private:
    struct PairHash {
        size_t operator()(uint64_t v) const { return std::hash<uint64_t>()(v); }
    };
    static uint64_t pairKey(int32_t a, int32_t b) {
        return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
    }

    std::unordered_map<std::string, int32_t> m_vocab;
    std::unordered_map<int32_t, std::string> m_vocabR;
    std::unordered_map<uint64_t, std::pair<int32_t, int32_t>, PairHash> m_merges;  // pair -> (rank, new id)
    Options m_options;
};

/// GPT-2's reversible byte -> code point map: printable Latin-1 bytes map to themselves, the others to
/// U+0100 and up. byteLevelEncode maps each byte of `bytes` to its character (as UTF-8).
std::string byteLevelEncode(std::string_view bytes);
/// The inverse: the raw bytes of byte-level text. Characters outside the alphabet are kept as their
/// UTF-8 bytes (as the HF ByteLevel decoder does for added tokens).
std::string byteLevelDecode(std::string_view text);
/// The character for byte `b`.
char32_t byteLevelChar(uint8_t b);

}  // namespace benchtop::text
