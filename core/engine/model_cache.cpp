#include "core/engine/model_cache.h"

#include <algorithm>
#include <filesystem>

#include "core/device/device.h"
#include "platform/cpu/cpu_info.h"

namespace fs = std::filesystem;

namespace benchtop::engine {

struct ModelCache::Entry {
    std::string device;
    std::string key;
    std::type_index type;
    std::shared_ptr<void> model;
    std::uint64_t bytes = 0;
    std::uint64_t lastUse = 0;
    /// True while only the cache holds the model (no job borrows it).
    bool idle() const { return model.use_count() == 1; }
};

namespace {

std::uint64_t defaultBudget(const std::string& device) {
    if (device.empty() || device == "cpu") return platform::memoryInfo().totalBytes / 2;
    static const std::vector<device::DeviceInfo> devices = [] {
        try {
            return device::discoverDevices();
        } catch (...) {
            return std::vector<device::DeviceInfo>{};
        }
    }();
    for (const auto& info : devices)
        if (info.id == device && info.memoryBytes > 0) return info.memoryBytes / 2;
    return std::uint64_t(4) << 30;  // a GPU that does not say: 4 GiB
}

}  // namespace

ModelCache::ModelCache(std::function<std::uint64_t(const std::string&)> budget)
    : m_budget(budget ? std::move(budget) : defaultBudget) {}

ModelCache::~ModelCache() = default;

std::shared_ptr<void> ModelCache::acquireErased(const std::string& device, const std::string& key, std::type_index type,
                                                const std::function<std::shared_ptr<void>()>& load,
                                                std::uint64_t bytes) {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (auto& entry : m_entries) {
            if (entry->device == device && entry->key == key && entry->type == type) {
                entry->lastUse = ++m_clock;
                ++m_stats.hits;
                return entry->model;
            }
        }
        // Make room before loading, so the new model's memory is free when it arrives.
        makeRoom(device, bytes, nullptr);
    }
    // Loads run outside the lock (seconds); jobs of one device load on its one executor thread, in turn.
    std::shared_ptr<void> model = load();
    std::lock_guard<std::mutex> lock(m_mutex);
    for (auto& entry : m_entries) {  // another device thread loaded the same model meanwhile
        if (entry->device == device && entry->key == key && entry->type == type) {
            entry->lastUse = ++m_clock;
            ++m_stats.hits;
            return entry->model;
        }
    }
    auto entry = std::make_unique<Entry>(Entry{device, key, type, model, bytes, ++m_clock});
    ++m_stats.loads;
    auto counted =
        std::find_if(m_loadsByKey.begin(), m_loadsByKey.end(), [&](const auto& p) { return p.first == key; });
    if (counted == m_loadsByKey.end())
        m_loadsByKey.emplace_back(key, 1);
    else
        ++counted->second;
    const Entry* added = entry.get();
    m_entries.push_back(std::move(entry));
    makeRoom(device, 0, added);
    return model;
}

void ModelCache::makeRoom(const std::string& device, std::uint64_t incoming, const Entry* keep) {
    const std::uint64_t budget = m_budget(device);
    auto used = [&]() {
        std::uint64_t sum = incoming;
        for (const auto& e : m_entries)
            if (e->device == device) sum += e->bytes;
        return sum;
    };
    while (used() > budget) {
        auto victim = m_entries.end();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            const Entry& e = **it;
            if (e.device != device || &e == keep || !e.idle()) continue;
            if (victim == m_entries.end() || e.lastUse < (*victim)->lastUse) victim = it;
        }
        if (victim == m_entries.end()) return;  // every model is in use: over budget until a job ends
        m_entries.erase(victim);
        ++m_stats.evictions;
    }
}

ModelCache::Stats ModelCache::stats() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    Stats s = m_stats;
    s.entries = m_entries.size();
    s.bytes = 0;
    for (const auto& e : m_entries) s.bytes += e->bytes;
    return s;
}

std::size_t ModelCache::loadsOf(const std::string& key) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    for (const auto& [k, n] : m_loadsByKey)
        if (k == key) return n;
    return 0;
}

std::vector<std::string> ModelCache::keys() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<const Entry*> sorted;
    for (const auto& e : m_entries) sorted.push_back(e.get());
    std::sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) { return a->lastUse > b->lastUse; });
    std::vector<std::string> out;
    for (const Entry* e : sorted) out.push_back(e->key);
    return out;
}

void ModelCache::clear(const std::string& device) {
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto before = m_entries.size();
    m_entries.erase(std::remove_if(m_entries.begin(), m_entries.end(),
                                   [&](const auto& e) { return e->idle() && (device.empty() || e->device == device); }),
                    m_entries.end());
    m_stats.evictions += before - m_entries.size();
}

std::string ModelCache::folderKey(const std::string& kind, const std::string& folder, const std::string& variant) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path path = fs::absolute(fs::u8path(folder), ec);
    const fs::path canonical = fs::weakly_canonical(path, ec);
    if (!ec) path = canonical;
    return kind + ":" + path.lexically_normal().u8string() + "|" + variant;
}

std::uint64_t ModelCache::estimateFolderBytes(const std::string& folder, const std::string& precision) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (fs::directory_iterator it(fs::u8path(folder), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string ext = it->path().extension().string();
        if (ext != ".safetensors" && ext != ".bin" && ext != ".pt" && ext != ".pth") continue;
        std::error_code sizeError;
        const auto size = it->file_size(sizeError);
        if (!sizeError) total += size;
    }
    return precision == "fp16" || precision == "bf16" ? total / 2 : total;
}

}  // namespace benchtop::engine
