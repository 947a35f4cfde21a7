#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace benchtop::methyl {

/// True for Illumina probe ids: cg########, ch.*, rs*, with or without an EPIC v2 suffix (_TC21 ...).
bool isProbeId(std::string_view text);

/// The probe id without an EPIC v2 replicate suffix: everything from the first '_' is dropped.
std::string_view stripProbeSuffix(std::string_view id);

/// FNV-1a hash of a probe id (ProbeIndex buckets; the readers count distinct ids with it).
inline std::uint64_t hashProbeId(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

/// Open-addressing map from probe id to a dense index, looked up without allocating (string_view keys).
class ProbeIndex {
public:
    ProbeIndex() = default;
    explicit ProbeIndex(std::vector<std::string> ids);
    /// Adds an id when new; returns its index.
    int add(std::string_view id);
    /// Index of `id` or -1.
    int find(std::string_view id) const;
    std::size_t size() const { return m_ids.size(); }
    const std::vector<std::string>& ids() const { return m_ids; }

private:
    void rehash(std::size_t buckets);
    std::vector<std::string> m_ids;
    std::vector<std::int32_t> m_table;
};

}  // namespace benchtop::methyl
