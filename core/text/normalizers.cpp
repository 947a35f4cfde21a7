// Normalizers of tokenizer.json (HF tokenizers `normalizers/`), on code points.

#include "core/common/error.h"
#include "core/text/bpe.h"
#include "core/text/json_fields.h"
#include "core/text/precompiled_charsmap.h"
#include "core/text/regex.h"
#include "core/text/tokenizer_components.h"
#include "core/text/unicode.h"

#include <utf8proc.h>

namespace benchtop::text {

namespace {

using json = nlohmann::json;
using namespace json_fields;

// The CJK ranges of the HF BertNormalizer (0x2B920 is where HF starts the range Python BERT starts at 0x2B820).
bool isChineseChar(char32_t c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

std::u32string stripNonspacingMarks(const std::u32string& s) {
    std::u32string out;
    out.reserve(s.size());
    for (char32_t c : s)
        if (unicode::category(c) != UTF8PROC_CATEGORY_MN) out.push_back(c);
    return out;
}

std::u32string lowercase(const std::u32string& s) {
    std::u32string out;
    out.reserve(s.size());
    for (char32_t c : s) unicode::appendLowercase(out, c);
    return out;
}

class BertNormalizer final : public Normalizer {
public:
    explicit BertNormalizer(const json& j)
        : m_cleanText(boolOr(j, "clean_text", true)),
          m_chinese(boolOr(j, "handle_chinese_chars", true)),
          m_lowercase(boolOr(j, "lowercase", true)),
          m_stripAccents(boolOr(j, "strip_accents", m_lowercase)) {}  // null follows lowercase

    std::u32string normalize(const std::u32string& text) const override {
        std::u32string s;
        s.reserve(text.size());
        for (char32_t c : text) {
            if (m_cleanText) {
                const bool control = c != U'\t' && c != U'\n' && c != U'\r' && unicode::isOther(c);
                if (c == 0 || c == 0xFFFD || control) continue;
                if (c == U'\t' || c == U'\n' || c == U'\r' || unicode::isWhitespace(c)) c = U' ';
            }
            if (m_chinese && isChineseChar(c)) {
                s.push_back(U' ');
                s.push_back(c);
                s.push_back(U' ');
            } else {
                s.push_back(c);
            }
        }
        if (m_stripAccents) s = stripNonspacingMarks(unicode::normalize(s, unicode::Form::Nfd));
        if (m_lowercase) s = lowercase(s);
        return s;
    }

private:
    bool m_cleanText, m_chinese, m_lowercase, m_stripAccents;
};

class UnicodeNormalizer final : public Normalizer {
public:
    explicit UnicodeNormalizer(unicode::Form form) : m_form(form) {}
    std::u32string normalize(const std::u32string& text) const override { return unicode::normalize(text, m_form); }

private:
    unicode::Form m_form;
};

class LowercaseNormalizer final : public Normalizer {
public:
    std::u32string normalize(const std::u32string& text) const override { return lowercase(text); }
};

class StripAccentsNormalizer final : public Normalizer {
public:
    std::u32string normalize(const std::u32string& text) const override { return stripNonspacingMarks(text); }
};

class StripNormalizer final : public Normalizer {
public:
    explicit StripNormalizer(const json& j)
        : m_left(boolOr(j, "strip_left", true)), m_right(boolOr(j, "strip_right", true)) {}
    std::u32string normalize(const std::u32string& text) const override {
        size_t b = 0, e = text.size();
        if (m_left)
            while (b < e && unicode::isWhitespace(text[b])) ++b;
        if (m_right)
            while (e > b && unicode::isWhitespace(text[e - 1])) --e;
        return text.substr(b, e - b);
    }

private:
    bool m_left, m_right;
};

class NmtNormalizer final : public Normalizer {
public:
    std::u32string normalize(const std::u32string& text) const override {
        std::u32string out;
        out.reserve(text.size());
        for (char32_t c : text) {
            if ((c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F || c == 0x8F ||
                c == 0x9F)
                continue;
            if (c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x1680 || (c >= 0x200B && c <= 0x200F) ||
                c == 0x2028 || c == 0x2029 || c == 0x2581 || c == 0xFEFF || c == 0xFFFD)
                c = U' ';
            out.push_back(c);
        }
        return out;
    }
};

class ReplaceNormalizer final : public Normalizer {
public:
    ReplaceNormalizer(const json& j, const std::string& context)
        : m_regex(patternOf(required(j, "pattern", context, "Replace normalizer"), context)),
          m_content(unicode::decode(stringOr(j, "content", ""))) {}

    std::u32string normalize(const std::u32string& text) const override {
        std::u32string out;
        size_t prev = 0;
        for (const auto& [b, e] : m_regex.findAll(text)) {
            out.append(text, prev, b - prev);
            out.append(m_content);
            prev = e;
        }
        out.append(text, prev, std::u32string::npos);
        return out;
    }

private:
    CodepointRegex m_regex;
    std::u32string m_content;
};

class PrependNormalizer final : public Normalizer {
public:
    explicit PrependNormalizer(const json& j) : m_prepend(unicode::decode(stringOr(j, "prepend", ""))) {}
    std::u32string normalize(const std::u32string& text) const override {
        return text.empty() ? text : m_prepend + text;
    }

private:
    std::u32string m_prepend;
};

class PrecompiledNormalizer final : public Normalizer {
public:
    PrecompiledNormalizer(const json& j, const std::string& context)
        : m_map(j.contains("precompiled_charsmap") && j["precompiled_charsmap"].is_string()
                    ? PrecompiledCharsmap::decodeBase64(j["precompiled_charsmap"].get<std::string>(), context)
                    : std::string(),
                context) {}
    std::u32string normalize(const std::u32string& text) const override {
        return unicode::decode(m_map.normalize(unicode::encode(text)));
    }

private:
    PrecompiledCharsmap m_map;
};

class ByteLevelNormalizer final : public Normalizer {
public:
    std::u32string normalize(const std::u32string& text) const override {
        return unicode::decode(byteLevelEncode(unicode::encode(text)));
    }
};

class SequenceNormalizer final : public Normalizer {
public:
    explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> parts) : m_parts(std::move(parts)) {}
    std::u32string normalize(const std::u32string& text) const override {
        std::u32string s = text;
        for (const auto& p : m_parts) s = p->normalize(s);
        return s;
    }

private:
    std::vector<std::unique_ptr<Normalizer>> m_parts;
};

}  // namespace

std::unique_ptr<Normalizer> makeNormalizer(const json& j, const std::string& context) {
    if (j.is_null()) return nullptr;
    const std::string type = typeOf(j);
    if (type == "BertNormalizer") return std::make_unique<BertNormalizer>(j);
    if (type == "NFC") return std::make_unique<UnicodeNormalizer>(unicode::Form::Nfc);
    if (type == "NFD") return std::make_unique<UnicodeNormalizer>(unicode::Form::Nfd);
    if (type == "NFKC") return std::make_unique<UnicodeNormalizer>(unicode::Form::Nfkc);
    if (type == "NFKD") return std::make_unique<UnicodeNormalizer>(unicode::Form::Nfkd);
    if (type == "Lowercase") return std::make_unique<LowercaseNormalizer>();
    if (type == "StripAccents") return std::make_unique<StripAccentsNormalizer>();
    if (type == "Strip") return std::make_unique<StripNormalizer>(j);
    if (type == "Nmt") return std::make_unique<NmtNormalizer>();
    if (type == "Replace") return std::make_unique<ReplaceNormalizer>(j, context);
    if (type == "Prepend") return std::make_unique<PrependNormalizer>(j);
    if (type == "Precompiled") return std::make_unique<PrecompiledNormalizer>(j, context);
    if (type == "ByteLevel") return std::make_unique<ByteLevelNormalizer>();
    if (type == "Sequence") {
        return std::make_unique<SequenceNormalizer>(
            sequenceParts<Normalizer>(j, "normalizers", context, "Sequence normalizer",
                                      [&](const json& item) { return makeNormalizer(item, context); }));
    }
    throw Error(context, "Unsupported normalizer type \"" + type + "\".");
}

}  // namespace benchtop::text
