// Models of tokenizer.json: WordPiece, Unigram, BPE (HF tokenizers `models/`).

#include "core/common/error.h"
#include "core/text/bpe.h"
#include "core/text/json_fields.h"
#include "core/text/tokenizer_components.h"
#include "core/text/unicode.h"

#include <cmath>
#include <limits>
#include <unordered_map>

namespace benchtop::text {

namespace {

using json = nlohmann::json;
using namespace json_fields;

std::unordered_map<std::string, TokenId> readVocabObject(const json& j, const std::string& context,
                                                         const std::string& owner) {
    const json& v = required(j, "vocab", context, owner);
    if (!v.is_object()) throw Error(context, owner + " field \"vocab\" must be an object {token: id}.");
    std::unordered_map<std::string, TokenId> vocab;
    vocab.reserve(v.size());
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!it.value().is_number_integer())
            throw Error(context, owner + " vocabulary entry \"" + it.key() + "\" has no integer id.");
        vocab[it.key()] = it.value().get<TokenId>();
    }
    if (vocab.empty()) throw Error(context, owner + " has an empty vocabulary.");
    return vocab;
}

class WordPieceModel final : public Model {
public:
    WordPieceModel(const json& j, const std::string& context)
        : m_vocab(readVocabObject(j, context, "WordPiece model")),
          m_unk(stringOr(j, "unk_token", "[UNK]")),
          m_prefix(stringOr(j, "continuing_subword_prefix", "##")),
          m_maxChars(j.contains("max_input_chars_per_word") && j["max_input_chars_per_word"].is_number_integer()
                         ? j["max_input_chars_per_word"].get<size_t>()
                         : 100) {
        for (const auto& [t, id] : m_vocab) m_vocabR[id] = t;
        auto it = m_vocab.find(m_unk);
        if (it == m_vocab.end())
            throw Error(context, "WordPiece unk_token \"" + m_unk + "\" is not in the vocabulary.");
        m_unkId = it->second;
    }

    void tokenize(const std::string& word, std::vector<TokenId>& ids) const override {
        if (unicode::decode(word).size() > m_maxChars) {
            ids.push_back(m_unkId);
            return;
        }
        const size_t before = ids.size();
        size_t start = 0;
        std::string candidate;
        while (start < word.size()) {
            size_t end = word.size();
            bool found = false;
            while (start < end) {
                candidate.clear();
                if (start > 0) candidate = m_prefix;
                candidate.append(word, start, end - start);
                auto it = m_vocab.find(candidate);
                if (it != m_vocab.end()) {
                    ids.push_back(it->second);
                    found = true;
                    break;
                }
                // Step back one whole code point.
                do {
                    --end;
                } while (end > start && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80);
            }
            if (!found) {
                ids.resize(before);
                ids.push_back(m_unkId);
                return;
            }
            start = end;
        }
    }

    std::optional<TokenId> tokenToId(std::string_view token) const override {
        auto it = m_vocab.find(std::string(token));
        if (it == m_vocab.end()) return std::nullopt;
        return it->second;
    }
    std::optional<std::string> idToToken(TokenId id) const override {
        auto it = m_vocabR.find(id);
        if (it == m_vocabR.end()) return std::nullopt;
        return it->second;
    }
    size_t vocabSize() const override { return m_vocab.size(); }

private:
    std::unordered_map<std::string, TokenId> m_vocab;
    std::unordered_map<TokenId, std::string> m_vocabR;
    std::string m_unk, m_prefix;
    size_t m_maxChars;
    TokenId m_unkId = 0;
};

class UnigramModel final : public Model {
public:
    UnigramModel(const json& j, const std::string& context) {
        const json& v = required(j, "vocab", context, "Unigram model");
        if (!v.is_array() || v.empty())
            throw Error(context, "Unigram model field \"vocab\" must be a non-empty list of [piece, score].");
        m_pieces.reserve(v.size());
        m_scores.reserve(v.size());
        m_minScore = std::numeric_limits<double>::infinity();
        for (size_t i = 0; i < v.size(); ++i) {
            const json& e = v[i];
            if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number())
                throw Error(context, "Unigram vocabulary entry " + std::to_string(i) + " is not [piece, score].");
            m_pieces.push_back(e[0].get<std::string>());
            m_scores.push_back(e[1].get<double>());
            m_ids[m_pieces.back()] = static_cast<TokenId>(i);
            m_maxLen = std::max(m_maxLen, m_pieces.back().size());
            m_minScore = std::min(m_minScore, m_scores.back());
        }
        if (j.contains("unk_id") && j["unk_id"].is_number_integer()) {
            const auto unk = j["unk_id"].get<long long>();
            if (unk < 0 || static_cast<size_t>(unk) >= m_pieces.size())
                throw Error(context, "Unigram unk_id " + std::to_string(unk) + " is outside the vocabulary.");
            m_unkId = static_cast<TokenId>(unk);
        }
        m_byteFallback = boolOr(j, "byte_fallback", false);
        m_context = context;
    }

    void tokenize(const std::string& s, std::vector<TokenId>& ids) const override {
        if (s.empty()) return;
        constexpr double kUnkPenalty = 10.0;
        const double unkScore = m_minScore - kUnkPenalty;
        struct Node {
            TokenId id = -1;
            double score = 0.0;
            long startsAt = -1;
        };
        const size_t size = s.size();
        std::vector<Node> best(size + 1);
        size_t startsAt = 0;
        std::string key;
        while (startsAt < size) {
            const double here = best[startsAt].score;
            bool hasSingleNode = false;
            const size_t mblen =
                std::min<size_t>(unicode::sequenceLength(static_cast<unsigned char>(s[startsAt])), size - startsAt);
            const size_t maxLen = std::min(m_maxLen, size - startsAt);
            for (size_t len = 1; len <= maxLen; ++len) {
                key.assign(s, startsAt, len);
                auto it = m_ids.find(key);
                if (it == m_ids.end()) continue;
                Node& target = best[startsAt + len];
                const double candidate = m_scores[static_cast<size_t>(it->second)] + here;
                if (target.startsAt < 0 || candidate > target.score) {
                    target.score = candidate;
                    target.startsAt = static_cast<long>(startsAt);
                    target.id = it->second;
                }
                if (len == mblen) hasSingleNode = true;
            }
            if (!hasSingleNode) {
                if (m_unkId < 0)
                    throw Error(m_context, "The Unigram model has no unk_id but the text has an unknown character.");
                Node& target = best[startsAt + mblen];
                const double candidate = unkScore + here;
                if (target.startsAt < 0 || candidate > target.score) {
                    target.score = candidate;
                    target.startsAt = static_cast<long>(startsAt);
                    target.id = m_unkId;
                }
            }
            startsAt += mblen;
        }
        // Backtrack; consecutive unknown pieces fuse into one (HF Unigram fuse_unk is always on).
        std::vector<std::string> pieces;
        std::string unkRun;
        size_t endsAt = size;
        while (endsAt > 0) {
            const Node& node = best[endsAt];
            const size_t start = static_cast<size_t>(node.startsAt);
            if (m_unkId >= 0 && node.id == m_unkId) {
                unkRun.insert(0, s, start, endsAt - start);
            } else {
                if (!unkRun.empty()) {
                    pieces.push_back(unkRun);
                    unkRun.clear();
                }
                pieces.push_back(s.substr(start, endsAt - start));
            }
            endsAt = start;
        }
        if (!unkRun.empty()) pieces.push_back(unkRun);
        for (auto it = pieces.rbegin(); it != pieces.rend(); ++it) {
            auto id = m_ids.find(*it);
            if (id != m_ids.end()) {
                ids.push_back(id->second);
                continue;
            }
            if (m_byteFallback) {
                std::vector<TokenId> bytes;
                for (char c : *it) {
                    char code[8];
                    std::snprintf(code, sizeof code, "<0x%02X>", static_cast<unsigned>(static_cast<uint8_t>(c)));
                    auto b = m_ids.find(code);
                    if (b == m_ids.end()) break;
                    bytes.push_back(b->second);
                }
                if (bytes.size() == it->size()) {
                    ids.insert(ids.end(), bytes.begin(), bytes.end());
                    continue;
                }
            }
            if (m_unkId < 0)
                throw Error(m_context, "The Unigram model has no unk_id but the text has an unknown piece.");
            ids.push_back(m_unkId);
        }
    }

    std::optional<TokenId> tokenToId(std::string_view token) const override {
        auto it = m_ids.find(std::string(token));
        if (it == m_ids.end()) return std::nullopt;
        return it->second;
    }
    std::optional<std::string> idToToken(TokenId id) const override {
        if (id < 0 || static_cast<size_t>(id) >= m_pieces.size()) return std::nullopt;
        return m_pieces[static_cast<size_t>(id)];
    }
    size_t vocabSize() const override { return m_pieces.size(); }

private:
    std::vector<std::string> m_pieces;
    std::vector<double> m_scores;
    std::unordered_map<std::string, TokenId> m_ids;
    size_t m_maxLen = 0;
    double m_minScore = 0.0;
    TokenId m_unkId = -1;
    bool m_byteFallback = false;
    std::string m_context;
};

class BpeModelAdapter final : public Model {
public:
    explicit BpeModelAdapter(BpeModel model) : m_model(std::move(model)) {}
    void tokenize(const std::string& piece, std::vector<TokenId>& ids) const override { m_model.tokenize(piece, ids); }
    std::optional<TokenId> tokenToId(std::string_view token) const override { return m_model.tokenToId(token); }
    std::optional<std::string> idToToken(TokenId id) const override { return m_model.idToToken(id); }
    size_t vocabSize() const override { return m_model.vocabSize(); }

private:
    BpeModel m_model;
};

std::unique_ptr<Model> makeBpe(const json& j, const std::string& context) {
    auto vocab = readVocabObject(j, context, "BPE model");
    const json& m = required(j, "merges", context, "BPE model");
    if (!m.is_array()) throw Error(context, "BPE model field \"merges\" must be a list.");
    std::vector<std::pair<std::string, std::string>> merges;
    merges.reserve(m.size());
    for (size_t i = 0; i < m.size(); ++i) {
        const json& e = m[i];
        if (e.is_string()) {
            const std::string s = e.get<std::string>();
            const size_t sp = s.find(' ');
            if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos)
                throw Error(context, "BPE merge " + std::to_string(i) + " (\"" + s +
                                         "\") is not two tokens separated by a space.");
            merges.emplace_back(s.substr(0, sp), s.substr(sp + 1));
        } else if (e.is_array() && e.size() == 2 && e[0].is_string() && e[1].is_string()) {
            merges.emplace_back(e[0].get<std::string>(), e[1].get<std::string>());
        } else {
            throw Error(context, "BPE merge " + std::to_string(i) + " is neither \"a b\" nor [\"a\", \"b\"].");
        }
    }
    BpeModel::Options o;
    o.continuingSubwordPrefix = stringOr(j, "continuing_subword_prefix", "");
    o.endOfWordSuffix = stringOr(j, "end_of_word_suffix", "");
    if (j.contains("unk_token") && j["unk_token"].is_string()) o.unkToken = j["unk_token"].get<std::string>();
    o.fuseUnk = boolOr(j, "fuse_unk", false);
    o.byteFallback = boolOr(j, "byte_fallback", false);
    o.ignoreMerges = boolOr(j, "ignore_merges", false);
    // dropout is a training-time regularizer; inference uses none.
    return std::make_unique<BpeModelAdapter>(BpeModel(std::move(vocab), merges, std::move(o), context));
}

}  // namespace

std::unique_ptr<Model> makeModel(const json& j, const std::string& context) {
    if (!j.is_object()) throw Error(context, "The tokenizer has no \"model\" object.");
    std::string type = typeOf(j);
    if (type.empty()) {
        // Old files omit the type; recognise the model by its fields, as HF does.
        if (j.contains("merges"))
            type = "BPE";
        else if (j.contains("max_input_chars_per_word") || j.contains("continuing_subword_prefix"))
            type = "WordPiece";
        else if (j.contains("vocab") && j["vocab"].is_array())
            type = "Unigram";
    }
    if (type == "WordPiece") return std::make_unique<WordPieceModel>(j, context);
    if (type == "Unigram") return std::make_unique<UnigramModel>(j, context);
    if (type == "BPE") return makeBpe(j, context);
    throw Error(context, "Unsupported tokenizer model type \"" + type + "\" (supported: WordPiece, Unigram, BPE).");
}

/// Wraps an existing BPE model (used by Tokenizer::fromByteLevelBpeFiles).
std::unique_ptr<Model> wrapBpeModel(BpeModel model) {
    return std::make_unique<BpeModelAdapter>(std::move(model));
}

}  // namespace benchtop::text
