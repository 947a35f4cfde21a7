// Probe ids: recognition, EPIC v2 suffixes and the id -> row index every reader and clock uses.
#include "core/methyl/probe_index.h"

#include <algorithm>

#include "core/methyl/text_fields.h"

namespace benchtop::methyl {

bool isProbeId(std::string_view t) {
    t = text::unquote(t);
    if (t.size() >= 10 && t[0] == 'c' && t[1] == 'g') {
        for (int i = 2; i < 10; ++i)
            if (t[i] < '0' || t[i] > '9') return false;
        return t.size() == 10 || t[10] == '_';
    }
    if (t.size() > 3 && t[0] == 'c' && t[1] == 'h' && t[2] == '.') return true;
    if (t.size() > 2 && t[0] == 'r' && t[1] == 's' && t[2] >= '0' && t[2] <= '9') return true;
    return false;
}

std::string_view stripProbeSuffix(std::string_view id) {
    const auto u = id.find('_');
    return u == std::string_view::npos ? id : id.substr(0, u);
}

ProbeIndex::ProbeIndex(std::vector<std::string> ids) {
    rehash(std::max<std::size_t>(16, ids.size() * 2));
    for (auto& id : ids) add(id);
}

void ProbeIndex::rehash(std::size_t buckets) {
    std::size_t n = 16;
    while (n < buckets) n <<= 1;
    m_table.assign(n, -1);
    for (std::size_t i = 0; i < m_ids.size(); ++i) {
        std::size_t h = hashProbeId(m_ids[i]) & (n - 1);
        while (m_table[h] >= 0) h = (h + 1) & (n - 1);
        m_table[h] = static_cast<std::int32_t>(i);
    }
}

int ProbeIndex::find(std::string_view id) const {
    if (m_table.empty()) return -1;
    const std::size_t mask = m_table.size() - 1;
    std::size_t h = hashProbeId(id) & mask;
    while (true) {
        const std::int32_t v = m_table[h];
        if (v < 0) return -1;
        if (m_ids[static_cast<std::size_t>(v)] == id) return v;
        h = (h + 1) & mask;
    }
}

int ProbeIndex::add(std::string_view id) {
    const int existing = find(id);
    if (existing >= 0) return existing;
    if ((m_ids.size() + 1) * 2 > m_table.size()) rehash(std::max<std::size_t>(16, m_table.size() * 2));
    m_ids.emplace_back(id);
    const std::size_t mask = m_table.size() - 1;
    std::size_t h = hashProbeId(id) & mask;
    while (m_table[h] >= 0) h = (h + 1) & mask;
    m_table[h] = static_cast<std::int32_t>(m_ids.size() - 1);
    return static_cast<int>(m_ids.size() - 1);
}

}  // namespace benchtop::methyl
