#include "core/text/unicode.h"

#include <utf8proc.h>

#include <cstdlib>

namespace benchtop::text::unicode {

int sequenceLength(unsigned char b) {
    if (b < 0x80) return 1;
    if (b >= 0xC2 && b <= 0xDF) return 2;
    if (b >= 0xE0 && b <= 0xEF) return 3;
    if (b >= 0xF0 && b <= 0xF4) return 4;
    return 1;
}

namespace {

// Decodes one code point at `i`; returns false (and the length of the maximal invalid subpart) on error,
// following the Unicode "maximal subpart" practice that Rust's from_utf8_lossy and Python use.
bool decodeOne(std::string_view s, size_t i, char32_t& c, size_t& len) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        c = b0;
        len = 1;
        return true;
    }
    int need = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        c = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        c = b0 & 0x0F;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        c = b0 & 0x07;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        len = 1;
        return false;
    }
    size_t j = i + 1;
    for (int k = 0; k < need; ++k, ++j) {
        if (j >= s.size()) {
            len = j - i;
            return false;
        }
        const auto b = static_cast<unsigned char>(s[j]);
        const unsigned char l = k == 0 ? lo : 0x80, h = k == 0 ? hi : 0xBF;
        if (b < l || b > h) {
            len = j - i;
            return false;
        }
        c = (c << 6) | (b & 0x3F);
    }
    len = j - i;
    return true;
}

}  // namespace

std::u32string decode(std::string_view utf8) {
    std::u32string out;
    out.reserve(utf8.size());
    size_t i = 0;
    while (i < utf8.size()) {
        char32_t c = 0;
        size_t len = 0;
        if (decodeOne(utf8, i, c, len))
            out.push_back(c);
        else
            out.push_back(0xFFFD);
        i += len;
    }
    return out;
}

void append(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string encode(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text) append(out, c);
    return out;
}

bool isValid(std::string_view bytes) {
    size_t i = 0;
    while (i < bytes.size()) {
        char32_t c = 0;
        size_t len = 0;
        if (!decodeOne(bytes, i, c, len)) return false;
        i += len;
    }
    return true;
}

std::string lossy(std::string_view bytes) {
    if (isValid(bytes)) return std::string(bytes);
    return encode(decode(bytes));
}

int category(char32_t c) {
    return utf8proc_category(static_cast<utf8proc_int32_t>(c));
}

bool isWhitespace(char32_t c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool isPythonSpace(char32_t c) {
    return isWhitespace(c) || (c >= 0x1C && c <= 0x1F);
}

bool isLetter(char32_t c) {
    const int k = category(c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

bool isNumber(char32_t c) {
    const int k = category(c);
    return k == UTF8PROC_CATEGORY_ND || k == UTF8PROC_CATEGORY_NL || k == UTF8PROC_CATEGORY_NO;
}

bool isMark(char32_t c) {
    const int k = category(c);
    return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC || k == UTF8PROC_CATEGORY_ME;
}

bool isPunctuation(char32_t c) {
    const int k = category(c);
    return k >= UTF8PROC_CATEGORY_PC && k <= UTF8PROC_CATEGORY_PO;
}

bool isAlphanumeric(char32_t c) {
    return isLetter(c) || isNumber(c);
}

namespace {

// Letters, marks, Nd, Nl, Pc and the circled letters (Other_Alphabetic symbols): the part of \w that
// Rust's regex crate and Oniguruma agree on.
bool isCommonWordChar(char32_t c) {
    const int k = category(c);
    return isLetter(c) || isMark(c) || k == UTF8PROC_CATEGORY_ND || k == UTF8PROC_CATEGORY_NL ||
           k == UTF8PROC_CATEGORY_PC || (c >= 0x24B6 && c <= 0x24E9);
}

}  // namespace

bool isWordChar(char32_t c) {
    return isCommonWordChar(c) || c == 0x200C || c == 0x200D;
}

bool isOnigWordChar(char32_t c) {
    // Oniguruma also counts the Latin-1 superscripts and fractions (measured against the HF library).
    return isCommonWordChar(c) || c == 0xB2 || c == 0xB3 || c == 0xB9 || c == 0xBC || c == 0xBD || c == 0xBE;
}

bool isOther(char32_t c) {
    const int k = category(c);
    return k == UTF8PROC_CATEGORY_CN || k == UTF8PROC_CATEGORY_CC || k == UTF8PROC_CATEGORY_CF ||
           k == UTF8PROC_CATEGORY_CS || k == UTF8PROC_CATEGORY_CO;
}

void appendLowercase(std::u32string& out, char32_t c) {
    if (c == 0x130) {  // the only unconditional multi-code-point lowercase mapping
        out.push_back(U'i');
        out.push_back(0x307);
        return;
    }
    out.push_back(static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))));
}

char32_t toUpper(char32_t c) {
    return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c)));
}

std::string normalize(std::string_view utf8, Form form) {
    int options = UTF8PROC_STABLE;
    switch (form) {
        case Form::Nfc:
            options |= UTF8PROC_COMPOSE;
            break;
        case Form::Nfd:
            options |= UTF8PROC_DECOMPOSE;
            break;
        case Form::Nfkc:
            options |= UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
            break;
        case Form::Nfkd:
            options |= UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT;
            break;
    }
    if (utf8.empty()) return {};
    utf8proc_uint8_t* out = nullptr;
    const auto n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()), static_cast<utf8proc_ssize_t>(utf8.size()),
                     &out, static_cast<utf8proc_option_t>(options));
    if (n < 0) return std::string(utf8);  // invalid input cannot occur: callers pass decoded text
    std::string result(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
    std::free(out);
    return result;
}

std::u32string normalize(const std::u32string& text, Form form) {
    return decode(normalize(encode(text), form));
}

std::vector<std::string_view> graphemes(std::string_view utf8) {
    std::vector<std::string_view> out;
    size_t start = 0, i = 0;
    utf8proc_int32_t state = 0;
    char32_t prev = 0;
    bool first = true;
    while (i < utf8.size()) {
        char32_t c = 0;
        size_t len = 0;
        if (!decodeOne(utf8, i, c, len)) c = 0xFFFD;
        if (!first && utf8proc_grapheme_break_stateful(static_cast<utf8proc_int32_t>(prev),
                                                       static_cast<utf8proc_int32_t>(c), &state)) {
            out.push_back(utf8.substr(start, i - start));
            start = i;
        }
        first = false;
        prev = c;
        i += len;
    }
    if (i > start) out.push_back(utf8.substr(start, i - start));
    return out;
}

std::string pythonStrip(std::string_view utf8) {
    const std::u32string s = decode(utf8);
    size_t b = 0, e = s.size();
    while (b < e && isPythonSpace(s[b])) ++b;
    while (e > b && isPythonSpace(s[e - 1])) --e;
    return encode(std::u32string_view(s).substr(b, e - b));
}

}  // namespace benchtop::text::unicode
