#include "core/text/precompiled_charsmap.h"

#include "core/common/error.h"
#include "core/text/unicode.h"

#include <cstring>

namespace benchtop::text {

namespace {

// darts-clone unit layout.
bool hasLeaf(uint32_t unit) {
    return ((unit >> 8) & 1) == 1;
}
uint32_t value(uint32_t unit) {
    return unit & ((1u << 31) - 1);
}
uint32_t label(uint32_t unit) {
    return unit & ((1u << 31) | 0xFF);
}
uint32_t offset(uint32_t unit) {
    return (unit >> 10) << ((unit & (1u << 9)) >> 6);
}

}  // namespace

std::string PrecompiledCharsmap::decodeBase64(std::string_view text, const std::string& context) {
    auto val = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+' || c == '-') return 62;
        if (c == '/' || c == '_') return 63;
        return -1;
    };
    std::string out;
    out.reserve(text.size() * 3 / 4);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        if (c == '=') break;
        if (c == '\n' || c == '\r' || c == ' ') continue;
        const int v = val(c);
        if (v < 0) throw Error(context, "The precompiled_charsmap is not valid base64.");
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

PrecompiledCharsmap::PrecompiledCharsmap(std::string_view blob, const std::string& context) {
    if (blob.empty()) return;  // an empty map normalizes nothing
    if (blob.size() < 4) throw Error(context, "The precompiled_charsmap is truncated (no trie size).");
    const auto* b = reinterpret_cast<const unsigned char*>(blob.data());
    const uint32_t trieSize = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<uint32_t>(b[3]) << 24);
    if (trieSize % 4 != 0 || 4 + static_cast<size_t>(trieSize) > blob.size())
        throw Error(context, "The precompiled_charsmap is malformed (trie size " + std::to_string(trieSize) +
                                 " does not fit the " + std::to_string(blob.size()) + "-byte blob).");
    m_trie.resize(trieSize / 4);
    for (size_t i = 0; i < m_trie.size(); ++i) {
        const unsigned char* p = b + 4 + 4 * i;
        m_trie[i] = p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<uint32_t>(p[3]) << 24);
    }
    m_normalized.assign(blob.substr(4 + trieSize));
}

std::optional<std::string_view> PrecompiledCharsmap::transform(std::string_view chunk) const {
    if (m_trie.empty()) return std::nullopt;
    size_t nodePos = 0;
    uint32_t unit = m_trie[nodePos];
    nodePos ^= offset(unit);
    for (char ch : chunk) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == 0) break;
        nodePos ^= c;
        if (nodePos >= m_trie.size()) return std::nullopt;
        unit = m_trie[nodePos];
        if (label(unit) != c) return std::nullopt;
        nodePos ^= offset(unit);
        if (nodePos >= m_trie.size()) return std::nullopt;
        if (hasLeaf(unit)) {
            // spm_precompiled takes the first (shortest) match; see the class comment.
            const size_t index = value(m_trie[nodePos]);
            if (index >= m_normalized.size()) return std::nullopt;
            const char* start = m_normalized.data() + index;
            const size_t len = strnlen(start, m_normalized.size() - index);
            return std::string_view(start, len);
        }
    }
    return std::nullopt;
}

std::string PrecompiledCharsmap::normalize(std::string_view text) const {
    if (m_trie.empty()) return std::string(text);
    std::string out;
    out.reserve(text.size());
    for (std::string_view g : unicode::graphemes(text)) {
        if (g.size() < 6) {
            if (auto norm = transform(g)) {
                out.append(*norm);
                continue;
            }
        }
        size_t i = 0;
        while (i < g.size()) {
            const size_t len =
                std::min<size_t>(unicode::sequenceLength(static_cast<unsigned char>(g[i])), g.size() - i);
            const std::string_view part = g.substr(i, len);
            if (auto norm = transform(part))
                out.append(*norm);
            else
                out.append(part);
            i += len;
        }
    }
    return out;
}

}  // namespace benchtop::text
