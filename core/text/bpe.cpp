#include "core/text/bpe.h"

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/text/unicode.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <queue>
#include <sstream>

namespace benchtop::text {

namespace {

struct ByteTables {
    std::array<char32_t, 256> toChar{};
    std::unordered_map<char32_t, uint8_t> toByte;
    ByteTables() {
        int n = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            toChar[b] = printable ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
            toByte[toChar[b]] = static_cast<uint8_t>(b);
        }
    }
};

const ByteTables& tables() {
    static const ByteTables t;
    return t;
}

}  // namespace

char32_t byteLevelChar(uint8_t b) {
    return tables().toChar[b];
}

std::string byteLevelEncode(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) unicode::append(out, tables().toChar[static_cast<uint8_t>(c)]);
    return out;
}

std::string byteLevelDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : unicode::decode(text)) {
        auto it = tables().toByte.find(c);
        if (it == tables().toByte.end()) return std::string(text);  // not byte-level text: keep as is
        out.push_back(static_cast<char>(it->second));
    }
    return out;
}

BpeModel::BpeModel(std::unordered_map<std::string, int32_t> vocab,
                   const std::vector<std::pair<std::string, std::string>>& merges, Options options,
                   const std::string& context)
    : m_vocab(std::move(vocab)), m_options(std::move(options)) {
    for (const auto& [token, id] : m_vocab) m_vocabR[id] = token;
    const size_t prefixLen = m_options.continuingSubwordPrefix.size();
    m_merges.reserve(merges.size());
    for (size_t rank = 0; rank < merges.size(); ++rank) {
        const auto& [a, b] = merges[rank];
        auto ia = m_vocab.find(a);
        auto ib = m_vocab.find(b);
        if (ia == m_vocab.end() || ib == m_vocab.end())
            throw Error(context, "BPE merge " + std::to_string(rank) + " (\"" + a + " " + b +
                                     "\") uses a token that is not in the vocabulary.");
        const std::string merged =
            a +
            (prefixLen && b.compare(0, prefixLen, m_options.continuingSubwordPrefix) == 0 ? b.substr(prefixLen) : b);
        auto im = m_vocab.find(merged);
        if (im == m_vocab.end())
            throw Error(context, "BPE merge " + std::to_string(rank) + " (\"" + a + " " + b + "\") makes \"" + merged +
                                     "\", which is not in the vocabulary.");
        m_merges.emplace(pairKey(ia->second, ib->second), std::make_pair(static_cast<int32_t>(rank), im->second));
    }
}

BpeModel BpeModel::fromFiles(const std::string& vocabJsonPath, const std::string& mergesTxtPath, Options options) {
    nlohmann::json vocabJson;
    try {
        vocabJson = nlohmann::json::parse(readWholeFile(vocabJsonPath));
    } catch (const nlohmann::json::exception& e) {
        throw Error(vocabJsonPath, std::string("The file is not valid JSON (") + e.what() + ").");
    }
    if (!vocabJson.is_object()) throw Error(vocabJsonPath, "The vocabulary must be a JSON object {token: id}.");
    std::unordered_map<std::string, int32_t> vocab;
    for (auto it = vocabJson.begin(); it != vocabJson.end(); ++it) {
        if (!it.value().is_number_integer())
            throw Error(vocabJsonPath, "The id of token \"" + it.key() + "\" is not an integer.");
        vocab[it.key()] = it.value().get<int32_t>();
    }
    std::vector<std::pair<std::string, std::string>> merges;
    std::istringstream lines(readWholeFile(mergesTxtPath));
    std::string line;
    size_t lineNo = 0;
    while (std::getline(lines, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.rfind("#version", 0) == 0 || line.empty()) continue;
        const size_t sp = line.find(' ');
        if (sp == std::string::npos || line.find(' ', sp + 1) != std::string::npos)
            throw Error(mergesTxtPath + ":" + std::to_string(lineNo),
                        "A merge line must be two tokens separated by one space.");
        merges.emplace_back(line.substr(0, sp), line.substr(sp + 1));
    }
    return BpeModel(std::move(vocab), merges, std::move(options), mergesTxtPath);
}

BpeModel BpeModel::fromFiles(const std::string& vocabJsonPath, const std::string& mergesTxtPath) {
    return fromFiles(vocabJsonPath, mergesTxtPath, Options());
}

std::optional<int32_t> BpeModel::tokenToId(std::string_view token) const {
    auto it = m_vocab.find(std::string(token));
    if (it == m_vocab.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> BpeModel::idToToken(int32_t id) const {
    auto it = m_vocabR.find(id);
    if (it == m_vocabR.end()) return std::nullopt;
    return it->second;
}

void BpeModel::tokenize(std::string_view word, std::vector<int32_t>& ids) const {
    if (word.empty()) return;
    if (m_options.ignoreMerges) {
        if (auto id = tokenToId(word)) {
            ids.push_back(*id);
            return;
        }
    }
    struct Symbol {
        int32_t id;
        int prev, next;
        size_t len;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    auto add = [&](int32_t id, size_t len) {
        const int idx = static_cast<int>(symbols.size());
        symbols.push_back({id, idx - 1, -1, len});
        if (idx > 0) symbols[idx - 1].next = idx;
    };

    bool hasUnk = false;  // a pending (possibly fused) unknown symbol
    int32_t pendingUnkId = 0;
    size_t pendingUnkLen = 0;
    std::optional<int32_t> unkId;
    if (m_options.unkToken) unkId = tokenToId(*m_options.unkToken);
    size_t i = 0;
    std::string s;
    while (i < word.size()) {
        const size_t len =
            std::min<size_t>(unicode::sequenceLength(static_cast<unsigned char>(word[i])), word.size() - i);
        const bool isFirst = i == 0, isLast = i + len >= word.size();
        s.assign(word.substr(i, len));
        if (!isFirst && !m_options.continuingSubwordPrefix.empty()) s = m_options.continuingSubwordPrefix + s;
        if (isLast && !m_options.endOfWordSuffix.empty()) s += m_options.endOfWordSuffix;
        i += len;
        auto it = m_vocab.find(s);
        if (it != m_vocab.end()) {
            if (hasUnk) {
                add(pendingUnkId, pendingUnkLen);
                hasUnk = false;
            }
            add(it->second, len);
            continue;
        }
        if (m_options.byteFallback) {
            std::vector<int32_t> byteIds;
            for (char c : s) {
                char code[8];
                std::snprintf(code, sizeof code, "<0x%02X>", static_cast<unsigned>(static_cast<uint8_t>(c)));
                auto b = m_vocab.find(code);
                if (b == m_vocab.end()) break;
                byteIds.push_back(b->second);
            }
            if (byteIds.size() == s.size()) {
                for (int32_t b : byteIds) add(b, 1);
                continue;
            }
        }
        if (m_options.unkToken) {
            if (!unkId) throw Error("BPE", "The unk token \"" + *m_options.unkToken + "\" is not in the vocabulary.");
            if (hasUnk && m_options.fuseUnk) {
                pendingUnkLen += len;
            } else {
                if (hasUnk) add(pendingUnkId, pendingUnkLen);
                hasUnk = true;
                pendingUnkId = *unkId;
                pendingUnkLen = len;
            }
        }
        // Without an unk token, HF drops the unknown symbol silently.
    }
    if (hasUnk) add(pendingUnkId, pendingUnkLen);

    struct Merge {
        int32_t rank;
        int pos;
        int32_t newId;
        bool operator<(const Merge& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
    };
    std::priority_queue<Merge> queue;
    auto consider = [&](int pos) {
        const int next = symbols[pos].next;
        if (next < 0) return;
        auto m = m_merges.find(pairKey(symbols[pos].id, symbols[next].id));
        if (m != m_merges.end()) queue.push({m->second.first, pos, m->second.second});
    };
    for (int k = 0; k + 1 < static_cast<int>(symbols.size()); ++k) consider(k);
    while (!queue.empty()) {
        const Merge top = queue.top();
        queue.pop();
        Symbol& left = symbols[top.pos];
        if (left.len == 0 || left.next < 0) continue;
        Symbol& right = symbols[left.next];
        auto m = m_merges.find(pairKey(left.id, right.id));
        if (m == m_merges.end() || m->second.second != top.newId) continue;
        left.id = top.newId;
        left.len += right.len;
        right.len = 0;
        left.next = right.next;
        if (left.next >= 0) symbols[left.next].prev = top.pos;
        if (left.prev >= 0) consider(left.prev);
        consider(top.pos);
    }
    for (const Symbol& sym : symbols)
        if (sym.len > 0) ids.push_back(sym.id);
}

}  // namespace benchtop::text
