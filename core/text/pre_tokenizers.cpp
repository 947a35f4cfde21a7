// Pre-tokenizers of tokenizer.json (HF tokenizers `pre_tokenizers/`), on code points.

#include "core/common/error.h"
#include "core/text/bpe.h"
#include "core/text/json_fields.h"
#include "core/text/regex.h"
#include "core/text/tokenizer_components.h"
#include "core/text/unicode.h"

#include <functional>
#include <tuple>

namespace benchtop::text {

namespace {

using json = nlohmann::json;
using namespace json_fields;
using Runs = std::vector<std::tuple<size_t, size_t, bool>>;

// HF `Pattern for Fn(char) -> bool`: every matching character is its own match.
Runs charRuns(const std::u32string& s, const std::function<bool(char32_t)>& pred) {
    Runs runs;
    if (s.empty()) return runs;
    size_t last = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        if (pred(s[i])) {
            if (last < i) runs.emplace_back(last, i, false);
            runs.emplace_back(i, i + 1, true);
            last = i + 1;
        }
    }
    if (last < s.size()) runs.emplace_back(last, s.size(), false);
    return runs;
}

// HF `Pattern for &Regex`.
Runs regexRuns(const std::u32string& s, const CodepointRegex& re) {
    Runs runs;
    if (s.empty()) return runs;
    size_t prev = 0;
    for (const auto& [b, e] : re.findAll(s)) {
        if (prev != b) runs.emplace_back(prev, b, false);
        runs.emplace_back(b, e, true);
        prev = e;
    }
    if (prev != s.size()) runs.emplace_back(prev, s.size(), false);
    return runs;
}

// Replaces every piece by its sub-pieces; empty pieces disappear (as in HF PreTokenizedString::split).
template <typename F>
void splitPieces(std::vector<Piece>& pieces, F&& rangesOf) {
    std::vector<Piece> out;
    out.reserve(pieces.size());
    for (Piece& p : pieces) {
        for (const auto& [b, e] : rangesOf(p.text)) {
            if (e <= b) continue;
            out.push_back({p.text.substr(b, e - b), p.atStart && b == 0});
        }
    }
    pieces.swap(out);
}

bool isBertPunctuation(char32_t c) {
    return (c < 0x80 &&
            ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126))) ||
           unicode::isPunctuation(c);
}

SplitBehavior parseBehavior(const json& j, SplitBehavior fallback, const std::string& context) {
    if (!j.is_object() || !j.contains("behavior") || j["behavior"].is_null()) return fallback;
    const std::string b = j["behavior"].is_string() ? j["behavior"].get<std::string>() : std::string();
    if (b == "Removed") return SplitBehavior::Removed;
    if (b == "Isolated") return SplitBehavior::Isolated;
    if (b == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
    if (b == "MergedWithNext") return SplitBehavior::MergedWithNext;
    if (b == "Contiguous") return SplitBehavior::Contiguous;
    throw Error(context, "Unknown split behavior \"" + b + "\".");
}

class CharSplitPreTokenizer final : public PreTokenizer {
public:
    CharSplitPreTokenizer(std::function<bool(char32_t)> pred, SplitBehavior behavior)
        : m_pred(std::move(pred)), m_behavior(behavior) {}
    void apply(std::vector<Piece>& pieces) const override {
        splitPieces(pieces,
                    [&](const std::u32string& s) { return applySplitBehavior(charRuns(s, m_pred), m_behavior); });
    }

private:
    std::function<bool(char32_t)> m_pred;
    SplitBehavior m_behavior;
};

class BertPreTokenizer final : public PreTokenizer {
public:
    void apply(std::vector<Piece>& pieces) const override {
        splitPieces(pieces, [](const std::u32string& s) {
            return applySplitBehavior(charRuns(s, unicode::isWhitespace), SplitBehavior::Removed);
        });
        splitPieces(pieces, [](const std::u32string& s) {
            return applySplitBehavior(charRuns(s, isBertPunctuation), SplitBehavior::Isolated);
        });
    }
};

// `\w+|[^\w\s]+`, keeping the matches.
class WhitespacePreTokenizer final : public PreTokenizer {
public:
    void apply(std::vector<Piece>& pieces) const override {
        splitPieces(pieces, [](const std::u32string& s) {
            std::vector<std::pair<size_t, size_t>> out;
            size_t i = 0;
            while (i < s.size()) {
                if (unicode::isWordChar(s[i])) {
                    size_t j = i;
                    while (j < s.size() && unicode::isWordChar(s[j])) ++j;
                    out.emplace_back(i, j);
                    i = j;
                } else if (!unicode::isWhitespace(s[i])) {
                    size_t j = i;
                    while (j < s.size() && !unicode::isWordChar(s[j]) && !unicode::isWhitespace(s[j])) ++j;
                    out.emplace_back(i, j);
                    i = j;
                } else {
                    ++i;
                }
            }
            return out;
        });
    }
};

class MetaspacePreTokenizer final : public PreTokenizer {
public:
    enum class Prepend { Always, First, Never };
    MetaspacePreTokenizer(const json& j, const std::string& context) {
        const std::u32string rep = unicode::decode(stringOr(j, "replacement", "\xE2\x96\x81"));
        if (rep.size() != 1) throw Error(context, "Metaspace replacement must be one character.");
        m_replacement = rep[0];
        m_prepend = Prepend::Always;
        if (j.contains("prepend_scheme") && j["prepend_scheme"].is_string()) {
            const std::string p = j["prepend_scheme"].get<std::string>();
            if (p == "always")
                m_prepend = Prepend::Always;
            else if (p == "first")
                m_prepend = Prepend::First;
            else if (p == "never")
                m_prepend = Prepend::Never;
            else
                throw Error(context, "Unknown Metaspace prepend_scheme \"" + p + "\".");
        }
        if (j.contains("add_prefix_space") && j["add_prefix_space"].is_boolean() && !j["add_prefix_space"].get<bool>())
            m_prepend = Prepend::Never;  // the legacy spelling
        m_split = boolOr(j, "split", true);
    }
    void apply(std::vector<Piece>& pieces) const override {
        for (Piece& p : pieces) {
            for (char32_t& c : p.text)
                if (c == U' ') c = m_replacement;
            const bool startsWith = !p.text.empty() && p.text[0] == m_replacement;
            if ((m_prepend == Prepend::Always && !startsWith) ||
                (m_prepend == Prepend::First && !startsWith && p.atStart))
                p.text.insert(p.text.begin(), m_replacement);
        }
        if (!m_split) return;
        const char32_t rep = m_replacement;
        splitPieces(pieces, [rep](const std::u32string& s) {
            return applySplitBehavior(charRuns(s, [rep](char32_t c) { return c == rep; }),
                                      SplitBehavior::MergedWithNext);
        });
    }

private:
    char32_t m_replacement = 0x2581;
    Prepend m_prepend = Prepend::Always;
    bool m_split = true;
};

class ByteLevelPreTokenizer final : public PreTokenizer {
public:
    explicit ByteLevelPreTokenizer(const json& j)
        : m_addPrefixSpace(boolOr(j, "add_prefix_space", true)), m_useRegex(boolOr(j, "use_regex", true)) {}
    void apply(std::vector<Piece>& pieces) const override {
        for (Piece& p : pieces)
            if (m_addPrefixSpace && (p.text.empty() || p.text[0] != U' ')) p.text.insert(p.text.begin(), U' ');
        if (m_useRegex) splitPieces(pieces, [](const std::u32string& s) { return splitGpt2(s); });
        for (Piece& p : pieces) p.text = unicode::decode(byteLevelEncode(unicode::encode(p.text)));
    }

private:
    bool m_addPrefixSpace, m_useRegex;
};

class SplitPreTokenizer final : public PreTokenizer {
public:
    SplitPreTokenizer(const json& j, const std::string& context)
        : m_regex(patternOf(required(j, "pattern", context, "Split pre-tokenizer"), context)),
          m_behavior(parseBehavior(j, SplitBehavior::Isolated, context)),
          m_invert(boolOr(j, "invert", false)) {}

    void apply(std::vector<Piece>& pieces) const override {
        splitPieces(pieces, [&](const std::u32string& s) {
            Runs runs = regexRuns(s, m_regex);
            if (m_invert)
                for (auto& r : runs) std::get<2>(r) = !std::get<2>(r);
            return applySplitBehavior(runs, m_behavior);
        });
    }

private:
    CodepointRegex m_regex;
    SplitBehavior m_behavior;
    bool m_invert;
};

class SequencePreTokenizer final : public PreTokenizer {
public:
    explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> parts) : m_parts(std::move(parts)) {}
    void apply(std::vector<Piece>& pieces) const override {
        for (const auto& p : m_parts) p->apply(pieces);
    }

private:
    std::vector<std::unique_ptr<PreTokenizer>> m_parts;
};

}  // namespace

std::vector<std::pair<size_t, size_t>> applySplitBehavior(const Runs& runs, SplitBehavior behavior) {
    std::vector<std::pair<size_t, size_t>> out;
    switch (behavior) {
        case SplitBehavior::Removed:
            for (const auto& [b, e, m] : runs)
                if (!m) out.emplace_back(b, e);
            break;
        case SplitBehavior::Isolated:
            for (const auto& [b, e, m] : runs) out.emplace_back(b, e);
            break;
        case SplitBehavior::Contiguous: {
            bool previous = false;
            for (const auto& [b, e, m] : runs) {
                if (m == previous && !out.empty())
                    out.back().second = e;
                else
                    out.emplace_back(b, e);
                previous = m;
            }
            break;
        }
        case SplitBehavior::MergedWithPrevious: {
            bool previous = false;
            for (const auto& [b, e, m] : runs) {
                if (m && !previous && !out.empty())
                    out.back().second = e;
                else
                    out.emplace_back(b, e);
                previous = m;
            }
            break;
        }
        case SplitBehavior::MergedWithNext: {
            bool previous = false;
            for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
                const auto& [b, e, m] = *it;
                if (m && !previous && !out.empty())
                    out.back().first = b;
                else
                    out.emplace_back(b, e);
                previous = m;
            }
            std::reverse(out.begin(), out.end());
            break;
        }
    }
    return out;
}

std::vector<std::pair<size_t, size_t>> splitGpt2(const std::u32string& s) {
    using unicode::isLetter;
    using unicode::isNumber;
    using unicode::isWhitespace;
    auto isOtherSym = [](char32_t c) { return !isWhitespace(c) && !isLetter(c) && !isNumber(c); };
    std::vector<std::pair<size_t, size_t>> out;
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        const char32_t c = s[i];
        size_t end = i;
        // 's 't 're 've 'm 'll 'd
        if (c == U'\'' && i + 1 < n) {
            const char32_t a = s[i + 1];
            if (a == U's' || a == U't' || a == U'm' || a == U'd')
                end = i + 2;
            else if (i + 2 < n && ((a == U'r' && s[i + 2] == U'e') || (a == U'v' && s[i + 2] == U'e') ||
                                   (a == U'l' && s[i + 2] == U'l')))
                end = i + 3;
        }
        if (end == i) {
            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`
            const size_t start = (c == U' ' && i + 1 < n) ? i + 1 : i;
            const char32_t d = s[start];
            bool (*cls)(char32_t) = nullptr;
            if (start < n && (start == i + 1 || c != U' ')) {
                if (isLetter(d))
                    cls = isLetter;
                else if (isNumber(d))
                    cls = isNumber;
            }
            if (cls) {
                size_t j = start;
                while (j < n && cls(s[j])) ++j;
                end = j;
            } else if (start < n && isOtherSym(d)) {
                size_t j = start;
                while (j < n && isOtherSym(s[j])) ++j;
                end = j;
            }
        }
        if (end == i) {
            // `\s+(?!\S)` then `\s+`
            size_t j = i;
            while (j < n && isWhitespace(s[j])) ++j;
            if (j == n || j - i == 1)
                end = j;
            else
                end = j - 1;  // leave the last space to prefix the next word
        }
        if (end == i) end = i + 1;  // unreachable: every character falls in one class
        out.emplace_back(i, end);
        i = end;
    }
    return out;
}

std::unique_ptr<PreTokenizer> makePreTokenizer(const json& j, const std::string& context) {
    if (j.is_null()) return nullptr;
    const std::string type = typeOf(j);
    if (type == "BertPreTokenizer") return std::make_unique<BertPreTokenizer>();
    if (type == "Whitespace") return std::make_unique<WhitespacePreTokenizer>();
    if (type == "WhitespaceSplit")
        return std::make_unique<CharSplitPreTokenizer>(unicode::isWhitespace, SplitBehavior::Removed);
    if (type == "Punctuation")
        return std::make_unique<CharSplitPreTokenizer>(isBertPunctuation,
                                                       parseBehavior(j, SplitBehavior::Isolated, context));
    if (type == "Digits") {
        const bool individual = boolOr(j, "individual_digits", false);
        return std::make_unique<CharSplitPreTokenizer>(
            unicode::isNumber, individual ? SplitBehavior::Isolated : SplitBehavior::Contiguous);
    }
    if (type == "CharDelimiterSplit") {
        const std::u32string d = unicode::decode(requiredString(j, "delimiter", context, "CharDelimiterSplit"));
        if (d.size() != 1) throw Error(context, "CharDelimiterSplit delimiter must be one character.");
        const char32_t delim = d[0];
        return std::make_unique<CharSplitPreTokenizer>([delim](char32_t c) { return c == delim; },
                                                       SplitBehavior::Removed);
    }
    if (type == "Metaspace") return std::make_unique<MetaspacePreTokenizer>(j, context);
    if (type == "ByteLevel") return std::make_unique<ByteLevelPreTokenizer>(j);
    if (type == "Split") return std::make_unique<SplitPreTokenizer>(j, context);
    if (type == "Sequence") {
        return std::make_unique<SequencePreTokenizer>(
            sequenceParts<PreTokenizer>(j, "pretokenizers", context, "Sequence pre-tokenizer",
                                        [&](const json& item) { return makePreTokenizer(item, context); }));
    }
    throw Error(context, "Unsupported pre-tokenizer type \"" + type + "\".");
}

}  // namespace benchtop::text
