#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// Unicode helpers for the tokenizers (utf8proc underneath). Strings are UTF-8 in std::string or code
/// points in std::u32string; predicates follow the Rust standard library where the HF tokenizers do.
namespace benchtop::text::unicode {

/// Decodes UTF-8; each maximal invalid subsequence becomes U+FFFD (as Rust's from_utf8_lossy).
std::u32string decode(std::string_view utf8);
/// Encodes code points as UTF-8.
std::string encode(std::u32string_view text);
/// Appends one code point as UTF-8.
void append(std::string& out, char32_t c);
/// Makes arbitrary bytes valid UTF-8 (invalid sequences -> U+FFFD, as Rust's String::from_utf8_lossy).
std::string lossy(std::string_view bytes);
/// True when `bytes` is valid UTF-8.
bool isValid(std::string_view bytes);
/// Byte length of the UTF-8 sequence starting with lead byte `b` (1 for invalid leads).
int sequenceLength(unsigned char b);

/// General category, as utf8proc_category_t (UTF8PROC_CATEGORY_*).
int category(char32_t c);
/// Rust char::is_whitespace (Unicode White_Space).
bool isWhitespace(char32_t c);
/// Python str.isspace (what str.strip() removes): White_Space plus U+001C..U+001F.
bool isPythonSpace(char32_t c);
/// Letters: categories Lu Ll Lt Lm Lo (regex \p{L}).
bool isLetter(char32_t c);
/// Numbers: categories Nd Nl No (regex \p{N}, Rust char::is_numeric).
bool isNumber(char32_t c);
/// Marks: categories Mn Mc Me.
bool isMark(char32_t c);
/// Unicode punctuation categories Pc Pd Ps Pe Pi Pf Po.
bool isPunctuation(char32_t c);
/// Rust char::is_alphanumeric, approximated as letters, Nl/Other_Alphabetic marks and numbers.
bool isAlphanumeric(char32_t c);
/// Rust regex \w (Unicode): Alphabetic, marks, Nd, Pc, join controls.
bool isWordChar(char32_t c);
/// Oniguruma's Unicode \w (the engine of HF Split/Replace patterns): Alphabetic, marks, Nd, Pc and the
/// Latin-1 superscripts/fractions; no join controls.
bool isOnigWordChar(char32_t c);
/// Categories Cc Cf Cs Co Cn ("other").
bool isOther(char32_t c);
/// Rust char::to_lowercase (full mapping: U+0130 becomes two code points).
void appendLowercase(std::u32string& out, char32_t c);
/// Rust char::to_uppercase for the simple mappings.
char32_t toUpper(char32_t c);

enum class Form { Nfc, Nfd, Nfkc, Nfkd };
/// Unicode normalization of valid UTF-8.
std::string normalize(std::string_view utf8, Form form);
std::u32string normalize(const std::u32string& text, Form form);

/// Splits UTF-8 text into extended grapheme clusters (UAX #29), as views into `utf8`.
std::vector<std::string_view> graphemes(std::string_view utf8);

/// Python str.strip(): removes leading and trailing isPythonSpace characters.
std::string pythonStrip(std::string_view utf8);

}  // namespace benchtop::text::unicode
