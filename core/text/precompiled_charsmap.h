#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace benchtop::text {

/// sentencepiece's precompiled normalization map (the `precompiled_charsmap` of a Precompiled
/// normalizer): a darts-clone double-array trie over UTF-8 keys whose values index a blob of
/// NUL-terminated replacement strings. Normalization follows the HF Rust `spm_precompiled` crate,
/// which is what tokenizer.json consumers produce: each extended grapheme cluster shorter than 6 bytes
/// is looked up whole, otherwise (or on a miss) each code point is looked up; a hit takes the value of
/// the first (shortest) prefix match, a miss keeps the text unchanged.
class PrecompiledCharsmap {
public:
    /// Parses the raw (base64-decoded) blob: u32 trie size in bytes, trie units, normalized strings.
    /// Throws benchtop::Error(context, ...) on a malformed blob.
    PrecompiledCharsmap(std::string_view blob, const std::string& context);

    /// The replacement for the first prefix of `chunk` present in the trie, if any.
    std::optional<std::string_view> transform(std::string_view chunk) const;
    /// Normalizes UTF-8 text.
    std::string normalize(std::string_view text) const;

    /// Decodes standard base64 (padding optional); throws benchtop::Error on invalid input.
    static std::string decodeBase64(std::string_view text, const std::string& context);

private:
    std::vector<uint32_t> m_trie;
    std::string m_normalized;
};

}  // namespace benchtop::text
