#include "core/text/tokenizer.h"

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/text/bpe.h"
#include "core/text/json_fields.h"
#include "core/text/tokenizer_components.h"
#include "core/text/unicode.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unordered_map>

namespace benchtop::text {

std::unique_ptr<Model> wrapBpeModel(BpeModel model);  // models.cpp

namespace {

using json = nlohmann::json;
using namespace json_fields;
namespace fs = std::filesystem;

json parseJsonFile(const std::string& path) {
    const std::string text = readWholeFile(path);
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        throw Error(path, std::string("The file is not valid JSON (") + e.what() + ").");
    }
}

struct AddedToken {
    std::string content;
    std::string display;  // what decode() shows: HF shows normalized tokens in their normalized form
    TokenId id = 0;
    bool singleWord = false, lstrip = false, rstrip = false, normalized = true, special = false;
};

// Leftmost-longest multi-pattern matcher over UTF-8 bytes (what HF builds with aho-corasick).
class TokenTrie {
public:
    void add(const std::string& pattern, size_t index) {
        if (pattern.empty()) return;
        int node = 0;
        for (unsigned char c : pattern) {
            auto it = m_nodes[node].next.find(c);
            if (it == m_nodes[node].next.end()) {
                m_nodes.push_back({});
                it = m_nodes[node].next.emplace(c, static_cast<int>(m_nodes.size() - 1)).first;
            }
            node = it->second;
        }
        m_nodes[node].index = static_cast<long>(index);
    }
    bool empty() const { return m_nodes[0].next.empty(); }
    // The longest pattern starting at `pos`: (pattern index, length) or index -1.
    std::pair<long, size_t> longestAt(std::string_view s, size_t pos) const {
        int node = 0;
        std::pair<long, size_t> best{-1, 0};
        for (size_t i = pos; i < s.size(); ++i) {
            auto it = m_nodes[node].next.find(static_cast<unsigned char>(s[i]));
            if (it == m_nodes[node].next.end()) break;
            node = it->second;
            if (m_nodes[node].index >= 0) best = {m_nodes[node].index, i + 1 - pos};
        }
        return best;
    }

private:
    struct Node {
        std::map<unsigned char, int> next;
        long index = -1;
    };
    std::vector<Node> m_nodes{Node{}};
};

// A piece of the input: either an added token already matched, or text still to be tokenized.
struct Segment {
    std::optional<TokenId> token;
    bool special = false;
    std::string text;  // UTF-8 (for text segments)
    bool atStart = false;
};

bool endsWithWordChar(std::string_view s) {
    const std::u32string u = unicode::decode(s);
    return !u.empty() && unicode::isWordChar(u.back());
}
bool startsWithWordChar(std::string_view s) {
    if (s.empty()) return false;
    const size_t len = std::min<size_t>(unicode::sequenceLength(static_cast<unsigned char>(s[0])), s.size());
    const std::u32string u = unicode::decode(s.substr(0, len));
    return !u.empty() && unicode::isWordChar(u[0]);
}

}  // namespace

struct Tokenizer::Impl {
    std::string source;
    std::unique_ptr<Normalizer> normalizer;
    std::unique_ptr<PreTokenizer> preTokenizer;
    std::unique_ptr<Model> model;
    std::unique_ptr<PostProcessor> postProcessor;
    std::unique_ptr<Decoder> decoder;
    std::vector<AddedToken> added;
    std::unordered_map<TokenId, size_t> addedById;
    std::unordered_map<std::string, size_t> addedByContent;
    TokenTrie rawTrie, normalizedTrie;
    std::vector<size_t> rawIndex, normalizedIndex;  // trie pattern index -> added token index
    TokenId padId = 0, padTypeId = 0;
    MaxLengthSource maxLength;

    void buildAddedTries() {
        rawTrie = TokenTrie();
        normalizedTrie = TokenTrie();
        rawIndex.clear();
        normalizedIndex.clear();
        for (size_t i = 0; i < added.size(); ++i) {
            AddedToken& t = added[i];
            t.display = t.content;
            if (t.normalized) {
                std::string pattern = t.content;
                if (normalizer) pattern = unicode::encode(normalizer->normalize(unicode::decode(pattern)));
                t.display = pattern;
                normalizedTrie.add(pattern, normalizedIndex.size());
                normalizedIndex.push_back(i);
            } else {
                rawTrie.add(t.content, rawIndex.size());
                rawIndex.push_back(i);
            }
        }
    }

    // HF AddedVocabulary::find_matches: leftmost-longest matches with single_word / lstrip / rstrip.
    void splitAdded(const std::string& s, bool atStart, const TokenTrie& trie, const std::vector<size_t>& index,
                    std::vector<Segment>& out) const {
        if (trie.empty() || s.empty()) {
            if (!s.empty()) out.push_back({std::nullopt, false, s, atStart});
            return;
        }
        size_t startOffset = 0, pos = 0;
        while (pos < s.size()) {
            const auto [pattern, len] = trie.longestAt(s, pos);
            if (pattern < 0) {
                ++pos;
                continue;
            }
            size_t start = pos, stop = pos + len;
            pos = stop;  // non-overlapping: the search goes on after this match even if it is discarded
            const AddedToken& t = added[index[static_cast<size_t>(pattern)]];
            if (t.singleWord) {
                const bool startSpace = start == 0 || !endsWithWordChar(std::string_view(s).substr(0, start));
                const bool stopSpace = stop == s.size() || !startsWithWordChar(std::string_view(s).substr(stop));
                if (!startSpace || !stopSpace) continue;
            }
            if (t.lstrip) {
                const std::u32string before = unicode::decode(std::string_view(s).substr(0, start));
                size_t k = before.size();
                while (k > 0 && unicode::isWhitespace(before[k - 1])) --k;
                const size_t newStart = unicode::encode(std::u32string_view(before).substr(0, k)).size();
                start = std::max(newStart, startOffset);
            }
            if (t.rstrip) {
                const std::u32string after = unicode::decode(std::string_view(s).substr(stop));
                size_t k = 0;
                while (k < after.size() && unicode::isWhitespace(after[k])) ++k;
                stop += unicode::encode(std::u32string_view(after).substr(0, k)).size();
                pos = std::max(pos, stop);
            }
            if (startOffset < start)
                out.push_back(
                    {std::nullopt, false, s.substr(startOffset, start - startOffset), atStart && startOffset == 0});
            out.push_back({t.id, t.special, {}, false});
            startOffset = stop;
        }
        if (startOffset < s.size())
            out.push_back({std::nullopt, false, s.substr(startOffset), atStart && startOffset == 0});
    }

    TokenSequence tokenize(std::string_view input, bool matchAdded) const {
        const std::string text = unicode::lossy(input);
        std::vector<Segment> raw;
        if (matchAdded)
            splitAdded(text, true, rawTrie, rawIndex, raw);
        else if (!text.empty())
            raw.push_back({std::nullopt, false, text, true});
        std::vector<Segment> segments;
        for (Segment& seg : raw) {
            if (seg.token) {
                segments.push_back(std::move(seg));
                continue;
            }
            std::string normalized =
                normalizer ? unicode::encode(normalizer->normalize(unicode::decode(seg.text))) : std::move(seg.text);
            if (matchAdded)
                splitAdded(normalized, seg.atStart, normalizedTrie, normalizedIndex, segments);
            else if (!normalized.empty())
                segments.push_back({std::nullopt, false, std::move(normalized), seg.atStart});
        }
        TokenSequence out;
        std::vector<Piece> pieces;
        for (const Segment& seg : segments) {
            if (seg.token) {
                out.ids.push_back(*seg.token);
                out.special.push_back(seg.special ? 1 : 0);
                continue;
            }
            pieces.clear();
            pieces.push_back({unicode::decode(seg.text), seg.atStart});
            if (preTokenizer) preTokenizer->apply(pieces);
            const size_t before = out.ids.size();
            for (const Piece& p : pieces)
                if (!p.text.empty()) model->tokenize(unicode::encode(p.text), out.ids);
            out.special.insert(out.special.end(), out.ids.size() - before, 0);
        }
        out.typeIds.assign(out.ids.size(), 0);
        return out;
    }

    Encoding finish(TokenSequence a, std::optional<TokenSequence> b, const EncodeOptions& options) const {
        const bool pair = b.has_value();
        const size_t added = options.addSpecialTokens && postProcessor ? postProcessor->addedTokens(pair) : 0;
        const size_t fullLength = a.ids.size() + (pair ? b->ids.size() : 0) + added;
        bool truncated = false;
        if (options.maxLength > 0 && fullLength > options.maxLength) {
            truncated = true;
            const size_t budget = options.maxLength > added ? options.maxLength - added : 0;
            auto cut = [](TokenSequence& s, size_t n) {
                s.ids.resize(n);
                s.typeIds.resize(n);
                s.special.resize(n);
            };
            if (!pair) {
                cut(a, std::min(a.ids.size(), budget));
            } else {
                // LongestFirst: remove one token at a time from the longer sequence (the second on ties).
                size_t n1 = a.ids.size(), n2 = b->ids.size();
                while (n1 + n2 > budget) {
                    if (n1 > n2)
                        --n1;
                    else
                        --n2;
                }
                cut(a, n1);
                cut(*b, n2);
            }
        }
        TokenSequence merged;
        if (options.addSpecialTokens && postProcessor) {
            merged = postProcessor->process(a, pair ? &*b : nullptr);
        } else {
            merged = std::move(a);
            if (pair) {
                merged.ids.insert(merged.ids.end(), b->ids.begin(), b->ids.end());
                merged.typeIds.insert(merged.typeIds.end(), b->ids.size(), 1);
                merged.special.insert(merged.special.end(), b->special.begin(), b->special.end());
            }
        }
        Encoding e;
        e.ids = std::move(merged.ids);
        e.typeIds = std::move(merged.typeIds);
        e.specialTokensMask = std::move(merged.special);
        e.attentionMask.assign(e.ids.size(), 1);
        e.truncated = truncated;
        e.untruncatedLength = fullLength;
        return e;
    }

    std::optional<std::string> idToToken(TokenId id) const {
        auto it = addedById.find(id);
        if (it != addedById.end())
            return added[it->second].display.empty() ? added[it->second].content : added[it->second].display;
        return model->idToToken(id);
    }
};

Tokenizer::Tokenizer(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}

Tokenizer Tokenizer::fromFile(const std::string& path) {
    return fromJson(readWholeFile(path), path);
}

Tokenizer Tokenizer::fromJson(const std::string& text, const std::string& context) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(context, std::string("The tokenizer is not valid JSON (") + e.what() + ").");
    }
    if (!j.is_object()) throw Error(context, "The tokenizer must be a JSON object.");
    auto impl = std::make_shared<Impl>();
    impl->source = context;
    try {
        if (!j.contains("model")) throw Error(context, "The tokenizer has no \"model\".");
        impl->model = makeModel(j["model"], context);
        impl->normalizer = makeNormalizer(j.value("normalizer", json()), context);
        impl->preTokenizer = makePreTokenizer(j.value("pre_tokenizer", json()), context);
        impl->postProcessor = makePostProcessor(j.value("post_processor", json()), context);
        impl->decoder = makeDecoder(j.value("decoder", json()), context);
        if (j.contains("added_tokens") && j["added_tokens"].is_array()) {
            std::vector<std::pair<long long, AddedToken>> tokens;
            for (const json& t : j["added_tokens"]) {
                AddedToken a;
                a.content = requiredString(t, "content", context, "An added token");
                a.singleWord = boolOr(t, "single_word", false);
                a.lstrip = boolOr(t, "lstrip", false);
                a.rstrip = boolOr(t, "rstrip", false);
                a.special = boolOr(t, "special", false);
                a.normalized = boolOr(t, "normalized", !a.special);
                const long long declared =
                    t.contains("id") && t["id"].is_number_integer() ? t["id"].get<long long>() : -1;
                tokens.emplace_back(declared, a);
            }
            // HF re-assigns ids on load: in order of the declared ids, a token in the model vocabulary
            // takes its id there, any other takes the next id after the vocabulary and earlier additions.
            std::stable_sort(tokens.begin(), tokens.end(),
                             [](const auto& x, const auto& y) { return x.first < y.first; });
            const auto vocab = static_cast<TokenId>(impl->model->vocabSize());
            std::optional<TokenId> maxAdded;
            for (auto& [declared, a] : tokens) {
                auto known = impl->addedByContent.find(a.content);
                if (known != impl->addedByContent.end()) {
                    a.id = impl->added[known->second].id;
                } else if (auto id = impl->model->tokenToId(a.content)) {
                    a.id = *id;
                } else {
                    a.id = !maxAdded ? vocab : (*maxAdded >= vocab ? *maxAdded + 1 : vocab);
                }
                maxAdded = maxAdded ? std::max(*maxAdded, a.id) : a.id;
                if (known != impl->addedByContent.end()) {
                    impl->added[known->second] = a;  // a repeated token updates its flags
                    continue;
                }
                impl->addedById[a.id] = impl->added.size();
                impl->addedByContent[a.content] = impl->added.size();
                impl->added.push_back(a);
            }
        }
    } catch (const json::exception& e) {
        throw Error(context, std::string("The tokenizer has a field of the wrong type (") + e.what() + ").");
    }
    impl->buildAddedTries();
    const json padding = j.value("padding", json());
    if (padding.is_object()) {
        impl->padId = padding.value("pad_id", 0);
        impl->padTypeId = padding.value("pad_type_id", 0);
    } else {
        for (const char* name : {"<pad>", "[PAD]", "<|endoftext|>"}) {
            auto it = impl->addedByContent.find(name);
            if (it != impl->addedByContent.end()) {
                impl->padId = impl->added[it->second].id;
                break;
            }
        }
    }
    return Tokenizer(std::move(impl));
}

Tokenizer Tokenizer::fromByteLevelBpeFiles(const std::string& vocabJson, const std::string& mergesTxt,
                                           const std::string& addedTokensJson) {
    auto impl = std::make_shared<Impl>();
    impl->source = vocabJson;
    impl->model = wrapBpeModel(BpeModel::fromFiles(vocabJson, mergesTxt));
    impl->preTokenizer = makePreTokenizer(json{{"type", "ByteLevel"}, {"add_prefix_space", false}}, vocabJson);
    impl->decoder = makeDecoder(json{{"type", "ByteLevel"}}, vocabJson);
    if (!addedTokensJson.empty()) {
        const json a = parseJsonFile(addedTokensJson);
        if (!a.is_object()) throw Error(addedTokensJson, "added_tokens.json must be an object {content: id}.");
        std::vector<AddedToken> tokens;
        for (auto it = a.begin(); it != a.end(); ++it) {
            if (!it.value().is_number_integer())
                throw Error(addedTokensJson, "The id of \"" + it.key() + "\" is not an integer.");
            AddedToken t;
            t.content = it.key();
            t.id = it.value().get<TokenId>();
            t.special = true;
            t.normalized = false;
            tokens.push_back(t);
        }
        std::sort(tokens.begin(), tokens.end(), [](const AddedToken& x, const AddedToken& y) { return x.id < y.id; });
        for (const AddedToken& t : tokens) {
            impl->addedById[t.id] = impl->added.size();
            impl->addedByContent[t.content] = impl->added.size();
            impl->added.push_back(t);
        }
        impl->buildAddedTries();
    }
    auto eot = impl->addedByContent.find("<|endoftext|>");
    if (eot != impl->addedByContent.end()) impl->padId = impl->added[eot->second].id;
    return Tokenizer(std::move(impl));
}

namespace {

std::optional<size_t> positiveInt(const json& j, const char* name) {
    if (!j.is_object() || !j.contains(name) || !j[name].is_number()) return std::nullopt;
    const double v = j[name].get<double>();
    // transformers writes 1e30 (VERY_LARGE_INTEGER) when the length is unset.
    if (v <= 0 || v > 1e7) return std::nullopt;
    return static_cast<size_t>(v);
}

}  // namespace

Tokenizer Tokenizer::fromFolder(const std::string& dir) {
    const fs::path root(dir);
    Tokenizer tok = [&]() {
        if (fs::exists(root / "tokenizer.json")) return fromFile((root / "tokenizer.json").string());
        if (fs::exists(root / "vocab.json") && fs::exists(root / "merges.txt")) {
            const fs::path added = root / "added_tokens.json";
            return fromByteLevelBpeFiles((root / "vocab.json").string(), (root / "merges.txt").string(),
                                         fs::exists(added) ? added.string() : std::string());
        }
        throw Error(dir,
                    "The model folder has no tokenizer.json (nor vocab.json + merges.txt); "
                    "re-download the model or save it with a recent transformers version.");
    }();
    MaxLengthSource& ml = tok.m_impl->maxLength;
    auto readIf = [&](const char* file) -> json {
        const fs::path p = root / file;
        return fs::exists(p) ? parseJsonFile(p.string()) : json();
    };
    const json st = readIf("sentence_bert_config.json");
    const json tc = readIf("tokenizer_config.json");
    const json cfg = readIf("config.json");
    if (auto v = positiveInt(st, "max_seq_length")) {
        ml = {*v, "max_seq_length in sentence_bert_config.json"};
    } else if (auto v2 = positiveInt(tc, "model_max_length")) {
        ml = {*v2, "model_max_length in tokenizer_config.json"};
    } else if (auto v3 = positiveInt(cfg, "max_position_embeddings")) {
        const std::string type = stringOr(cfg, "model_type", "");
        // RoBERTa-family position ids start after the padding index, so two positions are unusable.
        const bool offset = type == "roberta" || type == "xlm-roberta" || type == "camembert" || type == "longformer";
        ml = {offset && *v3 > 2 ? *v3 - 2 : *v3,
              std::string("max_position_embeddings in config.json") + (offset ? " minus 2" : "")};
    }
    return tok;
}

Encoding Tokenizer::encode(std::string_view text, const EncodeOptions& options) const {
    return m_impl->finish(m_impl->tokenize(text, options.matchAddedTokens), std::nullopt, options);
}

Encoding Tokenizer::encodePair(std::string_view first, std::string_view second, const EncodeOptions& options) const {
    return m_impl->finish(m_impl->tokenize(first, options.matchAddedTokens),
                          m_impl->tokenize(second, options.matchAddedTokens), options);
}

EncodedBatch Tokenizer::encodeBatch(const std::vector<std::string>& texts, const EncodeOptions& options,
                                    size_t padToMultipleOf) const {
    std::vector<Encoding> encodings;
    encodings.reserve(texts.size());
    for (const std::string& t : texts) encodings.push_back(encode(t, options));
    return pad(encodings, padToMultipleOf);
}

EncodedBatch Tokenizer::pad(const std::vector<Encoding>& encodings, size_t padToMultipleOf) const {
    EncodedBatch b;
    b.rows = encodings.size();
    for (const Encoding& e : encodings) b.columns = std::max(b.columns, e.ids.size());
    if (padToMultipleOf > 1 && b.columns % padToMultipleOf) b.columns += padToMultipleOf - b.columns % padToMultipleOf;
    b.inputIds.assign(b.rows * b.columns, m_impl->padId);
    b.typeIds.assign(b.rows * b.columns, m_impl->padTypeId);
    b.attentionMask.assign(b.rows * b.columns, 0);
    for (size_t r = 0; r < b.rows; ++r) {
        const Encoding& e = encodings[r];
        for (size_t c = 0; c < e.ids.size(); ++c) {
            b.inputIds[r * b.columns + c] = e.ids[c];
            b.typeIds[r * b.columns + c] = c < e.typeIds.size() ? e.typeIds[c] : 0;
            b.attentionMask[r * b.columns + c] = 1;
        }
        b.lengths.push_back(e.ids.size());
        b.truncated.push_back(e.truncated ? 1 : 0);
    }
    return b;
}

std::string Tokenizer::decode(const std::vector<TokenId>& ids, bool skipSpecialTokens) const {
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (TokenId id : ids) {
        if (skipSpecialTokens && isSpecial(id)) continue;
        if (auto t = m_impl->idToToken(id)) tokens.push_back(std::move(*t));
    }
    if (!m_impl->decoder) {
        std::string out;
        for (size_t i = 0; i < tokens.size(); ++i) {
            if (i) out += ' ';
            out += tokens[i];
        }
        return out;
    }
    std::string out;
    for (const std::string& piece : m_impl->decoder->decodeChain(std::move(tokens))) out += piece;
    return out;
}

std::optional<TokenId> Tokenizer::tokenToId(std::string_view token) const {
    auto it = m_impl->addedByContent.find(std::string(token));
    if (it != m_impl->addedByContent.end()) return m_impl->added[it->second].id;
    return m_impl->model->tokenToId(token);
}

std::optional<std::string> Tokenizer::idToToken(TokenId id) const {
    return m_impl->idToToken(id);
}

bool Tokenizer::isSpecial(TokenId id) const {
    auto it = m_impl->addedById.find(id);
    return it != m_impl->addedById.end() && m_impl->added[it->second].special;
}

size_t Tokenizer::vocabSize() const {
    size_t n = m_impl->model->vocabSize();
    for (const AddedToken& t : m_impl->added)
        if (!m_impl->model->idToToken(t.id)) ++n;
    return n;
}

size_t Tokenizer::specialTokensAdded(bool pair) const {
    return m_impl->postProcessor ? m_impl->postProcessor->addedTokens(pair) : 0;
}

TokenId Tokenizer::padId() const {
    return m_impl->padId;
}
TokenId Tokenizer::padTypeId() const {
    return m_impl->padTypeId;
}
size_t Tokenizer::maxLength() const {
    return m_impl->maxLength.value;
}
const MaxLengthSource& Tokenizer::maxLengthSource() const {
    return m_impl->maxLength;
}
const std::string& Tokenizer::source() const {
    return m_impl->source;
}

std::string stripPython(std::string_view text) {
    return unicode::pythonStrip(text);
}

}  // namespace benchtop::text
