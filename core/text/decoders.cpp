// Decoders and post-processors of tokenizer.json (HF tokenizers `decoders/`, `processors/`).

#include "core/common/error.h"
#include "core/text/bpe.h"
#include "core/text/json_fields.h"
#include "core/text/regex.h"
#include "core/text/tokenizer_components.h"
#include "core/text/unicode.h"

#include <map>

namespace benchtop::text {

namespace {

using json = nlohmann::json;
using namespace json_fields;

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    size_t pos = 0;
    while ((pos = s.find(from, pos)) != std::string::npos) {
        s.replace(pos, from.size(), to);
        pos += to.size();
    }
}

// HF decoders::wordpiece::cleanup: the undo of BERT's punctuation splitting.
std::string cleanup(std::string s) {
    replaceAll(s, " .", ".");
    replaceAll(s, " ?", "?");
    replaceAll(s, " !", "!");
    replaceAll(s, " ,", ",");
    replaceAll(s, " ' ", "'");
    replaceAll(s, " n't", "n't");
    replaceAll(s, " 'm", "'m");
    replaceAll(s, " do not", " don't");
    replaceAll(s, " 's", "'s");
    replaceAll(s, " 've", "'ve");
    replaceAll(s, " 're", "'re");
    return s;
}

class WordPieceDecoder final : public Decoder {
public:
    explicit WordPieceDecoder(const json& j)
        : m_prefix(stringOr(j, "prefix", "##")), m_cleanup(boolOr(j, "cleanup", true)) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override {
        for (size_t i = 0; i < tokens.size(); ++i) {
            std::string& t = tokens[i];
            if (i != 0) {
                if (!m_prefix.empty() && t.compare(0, m_prefix.size(), m_prefix) == 0)
                    t.erase(0, m_prefix.size());
                else
                    t.insert(0, " ");
            }
            if (m_cleanup) t = cleanup(t);
        }
        return tokens;
    }

private:
    std::string m_prefix;
    bool m_cleanup;
};

class MetaspaceDecoder final : public Decoder {
public:
    explicit MetaspaceDecoder(const json& j) {
        const std::u32string rep = unicode::decode(stringOr(j, "replacement", "\xE2\x96\x81"));
        m_replacement = rep.empty() ? 0x2581 : rep[0];
        std::string scheme = stringOr(j, "prepend_scheme", "always");
        if (j.contains("add_prefix_space") && j["add_prefix_space"].is_boolean() && !j["add_prefix_space"].get<bool>())
            scheme = "never";
        m_stripFirst = scheme != "never";
    }
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override {
        for (size_t i = 0; i < tokens.size(); ++i) {
            std::u32string out;
            for (char32_t c : unicode::decode(tokens[i])) {
                if (c == m_replacement) {
                    if (i == 0 && m_stripFirst) continue;
                    out.push_back(U' ');
                } else {
                    out.push_back(c);
                }
            }
            tokens[i] = unicode::encode(out);
        }
        return tokens;
    }

private:
    char32_t m_replacement = 0x2581;
    bool m_stripFirst = true;
};

class ByteLevelDecoder final : public Decoder {
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override {
        std::string bytes;
        for (const std::string& t : tokens) bytes += byteLevelDecode(t);
        return {unicode::lossy(bytes)};
    }
};

class BpeDecoder final : public Decoder {
public:
    explicit BpeDecoder(const json& j) : m_suffix(stringOr(j, "suffix", "</w>")) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override {
        for (size_t i = 0; i < tokens.size(); ++i) replaceAll(tokens[i], m_suffix, i + 1 == tokens.size() ? "" : " ");
        return tokens;
    }

private:
    std::string m_suffix;
};

class ByteFallbackDecoder final : public Decoder {
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override {
        std::vector<std::string> out;
        std::string pending;
        auto flush = [&] {
            if (pending.empty()) return;
            if (unicode::isValid(pending))
                out.push_back(pending);
            else
                for (size_t k = 0; k < pending.size(); ++k) out.emplace_back("\xEF\xBF\xBD");
            pending.clear();
        };
        for (std::string& t : tokens) {
            if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' &&
                std::isxdigit(static_cast<unsigned char>(t[3])) && std::isxdigit(static_cast<unsigned char>(t[4]))) {
                pending.push_back(static_cast<char>(std::stoi(t.substr(3, 2), nullptr, 16)));
                continue;
            }
            flush();
            out.push_back(std::move(t));
        }
        flush();
        return out;
    }
};

class FuseDecoder final : public Decoder {
public:
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override {
        std::string all;
        for (const auto& t : tokens) all += t;
        return {all};
    }
};

class ReplaceDecoder final : public Decoder {
public:
    ReplaceDecoder(const json& j, const std::string& context)
        : m_regex(patternOf(required(j, "pattern", context, "Replace decoder"), context)),
          m_content(unicode::decode(stringOr(j, "content", ""))) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override {
        for (std::string& t : tokens) {
            const std::u32string s = unicode::decode(t);
            std::u32string out;
            size_t prev = 0;
            for (const auto& [b, e] : m_regex.findAll(s)) {
                out.append(s, prev, b - prev);
                out.append(m_content);
                prev = e;
            }
            out.append(s, prev, std::u32string::npos);
            t = unicode::encode(out);
        }
        return tokens;
    }

private:
    CodepointRegex m_regex;
    std::u32string m_content;
};

class StripDecoder final : public Decoder {
public:
    StripDecoder(const json& j) {
        const std::u32string c = unicode::decode(stringOr(j, "content", " "));
        m_content = c.empty() ? U' ' : c[0];
        m_start = j.contains("start") && j["start"].is_number_integer() ? j["start"].get<size_t>() : 0;
        m_stop = j.contains("stop") && j["stop"].is_number_integer() ? j["stop"].get<size_t>() : 0;
    }
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override {
        for (std::string& t : tokens) {
            std::u32string s = unicode::decode(t);
            size_t b = 0, e = s.size();
            for (size_t k = 0; k < m_start && b < e && s[b] == m_content; ++k) ++b;
            for (size_t k = 0; k < m_stop && e > b && s[e - 1] == m_content; ++k) --e;
            t = unicode::encode(std::u32string_view(s).substr(b, e - b));
        }
        return tokens;
    }

private:
    char32_t m_content = U' ';
    size_t m_start = 0, m_stop = 0;
};

class SequenceDecoder final : public Decoder {
public:
    explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> parts) : m_parts(std::move(parts)) {}
    std::vector<std::string> decodeChain(std::vector<std::string> tokens) const override {
        for (const auto& p : m_parts) tokens = p->decodeChain(std::move(tokens));
        return tokens;
    }

private:
    std::vector<std::unique_ptr<Decoder>> m_parts;
};

// ---- post-processors ----

struct TemplateItem {
    bool isSequence = false;
    std::string id;  // "A"/"B" for sequences, the special-token key otherwise
    TokenId typeId = 0;
};

class TemplateProcessing final : public PostProcessor {
public:
    TemplateProcessing(const json& j, const std::string& context) {
        m_single = parseTemplate(required(j, "single", context, "TemplateProcessing"), context);
        m_pair = j.contains("pair") && !j["pair"].is_null() ? parseTemplate(j["pair"], context) : m_single;
        if (j.contains("special_tokens") && j["special_tokens"].is_object()) {
            for (auto it = j["special_tokens"].begin(); it != j["special_tokens"].end(); ++it) {
                const json& ids =
                    required(it.value(), "ids", context, "TemplateProcessing special token \"" + it.key() + "\"");
                std::vector<TokenId> v;
                for (const json& id : ids) v.push_back(id.get<TokenId>());
                m_special[it.key()] = v;
            }
        }
        for (const auto* t : {&m_single, &m_pair})
            for (const TemplateItem& item : *t)
                if (!item.isSequence && !m_special.count(item.id))
                    throw Error(context, "TemplateProcessing uses special token \"" + item.id +
                                             "\" that is missing from its special_tokens.");
    }

    static std::vector<TemplateItem> parseTemplate(const json& t, const std::string& context) {
        std::vector<TemplateItem> items;
        if (t.is_string()) {
            // The string form ("[CLS] $A [SEP]") is accepted by HF on input too.
            std::string s = t.get<std::string>();
            size_t pos = 0;
            while (pos < s.size()) {
                size_t end = s.find(' ', pos);
                if (end == std::string::npos) end = s.size();
                std::string piece = s.substr(pos, end - pos);
                pos = end + 1;
                if (piece.empty()) continue;
                TemplateItem item;
                const size_t colon = piece.rfind(':');
                if (colon != std::string::npos && colon + 1 < piece.size() &&
                    piece.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
                    item.typeId = std::stoi(piece.substr(colon + 1));
                    piece = piece.substr(0, colon);
                }
                if (piece[0] == '$') {
                    item.isSequence = true;
                    item.id = piece.size() > 1 && (piece[1] == 'B' || piece[1] == 'b') ? "B" : "A";
                    if (piece.size() > 1 && std::isdigit(static_cast<unsigned char>(piece[1])))
                        item.typeId = piece[1] - '0';
                } else {
                    item.id = piece;
                }
                items.push_back(item);
            }
            return items;
        }
        if (!t.is_array()) throw Error(context, "TemplateProcessing template must be a list.");
        for (const json& e : t) {
            TemplateItem item;
            if (e.contains("Sequence")) {
                item.isSequence = true;
                item.id = stringOr(e["Sequence"], "id", "A");
                item.typeId = e["Sequence"].value("type_id", 0);
            } else if (e.contains("SpecialToken")) {
                item.id = requiredString(e["SpecialToken"], "id", context, "TemplateProcessing SpecialToken");
                item.typeId = e["SpecialToken"].value("type_id", 0);
            } else {
                throw Error(context, "TemplateProcessing items must be Sequence or SpecialToken.");
            }
            items.push_back(item);
        }
        return items;
    }

    size_t addedTokens(bool pair) const override {
        size_t n = 0;
        for (const TemplateItem& item : pair ? m_pair : m_single)
            if (!item.isSequence) n += m_special.at(item.id).size();
        return n;
    }

    TokenSequence process(const TokenSequence& a, const TokenSequence* b) const override {
        TokenSequence out;
        for (const TemplateItem& item : b ? m_pair : m_single) {
            if (item.isSequence) {
                const TokenSequence* s = item.id == "B" ? b : &a;
                if (!s) continue;
                out.ids.insert(out.ids.end(), s->ids.begin(), s->ids.end());
                out.typeIds.insert(out.typeIds.end(), s->ids.size(), item.typeId);
                out.special.insert(out.special.end(), s->special.begin(), s->special.end());
            } else {
                const auto& ids = m_special.at(item.id);
                out.ids.insert(out.ids.end(), ids.begin(), ids.end());
                out.typeIds.insert(out.typeIds.end(), ids.size(), item.typeId);
                out.special.insert(out.special.end(), ids.size(), 1);
            }
        }
        return out;
    }

private:
    std::vector<TemplateItem> m_single, m_pair;
    std::map<std::string, std::vector<TokenId>> m_special;
};

// BertProcessing ([CLS] A [SEP] B [SEP], B with type 1) and RobertaProcessing (<s> A </s></s> B </s>, all type 0).
class ClsSepProcessing final : public PostProcessor {
public:
    ClsSepProcessing(const json& j, const std::string& context, bool roberta) : m_roberta(roberta) {
        const std::string owner = roberta ? "RobertaProcessing" : "BertProcessing";
        m_cls = readPair(required(j, "cls", context, owner), context, owner);
        m_sep = readPair(required(j, "sep", context, owner), context, owner);
    }
    static TokenId readPair(const json& p, const std::string& context, const std::string& owner) {
        if (!p.is_array() || p.size() != 2 || !p[1].is_number_integer())
            throw Error(context, owner + " cls/sep must be [token, id].");
        return p[1].get<TokenId>();
    }
    size_t addedTokens(bool pair) const override { return pair ? (m_roberta ? 4 : 3) : 2; }
    TokenSequence process(const TokenSequence& a, const TokenSequence* b) const override {
        TokenSequence out;
        auto special = [&](TokenId id, TokenId type) {
            out.ids.push_back(id);
            out.typeIds.push_back(type);
            out.special.push_back(1);
        };
        auto seq = [&](const TokenSequence& s, TokenId type) {
            out.ids.insert(out.ids.end(), s.ids.begin(), s.ids.end());
            out.typeIds.insert(out.typeIds.end(), s.ids.size(), type);
            out.special.insert(out.special.end(), s.special.begin(), s.special.end());
        };
        special(m_cls, 0);
        seq(a, 0);
        special(m_sep, 0);
        if (b) {
            const TokenId type = m_roberta ? 0 : 1;
            if (m_roberta) special(m_sep, 0);
            seq(*b, type);
            special(m_sep, type);
        }
        return out;
    }

private:
    bool m_roberta;
    TokenId m_cls = 0, m_sep = 0;
};

class SequenceProcessing final : public PostProcessor {
public:
    explicit SequenceProcessing(std::vector<std::unique_ptr<PostProcessor>> parts) : m_parts(std::move(parts)) {}
    size_t addedTokens(bool pair) const override {
        size_t n = 0;
        for (const auto& p : m_parts) n += p->addedTokens(pair);
        return n;
    }
    TokenSequence process(const TokenSequence& a, const TokenSequence* b) const override {
        // Only the processors that add tokens matter here (ByteLevel trims offsets only).
        if (m_parts.empty()) {
            TokenSequence out = a;
            if (b) {
                out.ids.insert(out.ids.end(), b->ids.begin(), b->ids.end());
                out.typeIds.insert(out.typeIds.end(), b->typeIds.begin(), b->typeIds.end());
                out.special.insert(out.special.end(), b->special.begin(), b->special.end());
            }
            return out;
        }
        return m_parts.front()->process(a, b);
    }

private:
    std::vector<std::unique_ptr<PostProcessor>> m_parts;
};

}  // namespace

std::unique_ptr<Decoder> makeDecoder(const json& j, const std::string& context) {
    if (j.is_null()) return nullptr;
    const std::string type = typeOf(j);
    if (type == "WordPiece") return std::make_unique<WordPieceDecoder>(j);
    if (type == "Metaspace") return std::make_unique<MetaspaceDecoder>(j);
    if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
    if (type == "BPEDecoder") return std::make_unique<BpeDecoder>(j);
    if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
    if (type == "Fuse") return std::make_unique<FuseDecoder>();
    if (type == "Replace") return std::make_unique<ReplaceDecoder>(j, context);
    if (type == "Strip") return std::make_unique<StripDecoder>(j);
    if (type == "Sequence") {
        return std::make_unique<SequenceDecoder>(sequenceParts<Decoder>(
            j, "decoders", context, "Sequence decoder", [&](const json& item) { return makeDecoder(item, context); }));
    }
    throw Error(context, "Unsupported decoder type \"" + type + "\".");
}

std::unique_ptr<PostProcessor> makePostProcessor(const json& j, const std::string& context) {
    if (j.is_null()) return nullptr;
    const std::string type = typeOf(j);
    if (type == "TemplateProcessing") return std::make_unique<TemplateProcessing>(j, context);
    if (type == "BertProcessing") return std::make_unique<ClsSepProcessing>(j, context, false);
    if (type == "RobertaProcessing") return std::make_unique<ClsSepProcessing>(j, context, true);
    if (type == "ByteLevel") return nullptr;  // only trims offsets, which Benchtop does not report
    if (type == "Sequence") {
        const json& list = required(j, "processors", context, "Sequence post-processor");
        std::vector<std::unique_ptr<PostProcessor>> parts;
        for (const json& item : list)
            if (auto p = makePostProcessor(item, context)) parts.push_back(std::move(p));
        if (parts.size() > 1)
            throw Error(context, "A Sequence post-processor may add special tokens in one step only.");
        return std::make_unique<SequenceProcessing>(std::move(parts));
    }
    throw Error(context, "Unsupported post-processor type \"" + type + "\".");
}

}  // namespace benchtop::text
