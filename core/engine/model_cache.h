#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <vector>

namespace benchtop::engine {

/// Models kept loaded between jobs. A folder of 50 recordings dropped as 50 jobs loads Whisper once: each job
/// borrows the model (a shared_ptr) and gives it back when it ends; the cache keeps it for the next job.
/// Keyed by device and by what determines the loaded weights (folder, precision, heads). Each device has a
/// memory budget; when a new model would exceed it, the least recently used models no job holds are dropped.
/// Thread-safe.
class ModelCache {
public:
    struct Stats {
        std::size_t loads = 0;      ///< models loaded (cache misses)
        std::size_t hits = 0;       ///< borrows served from the cache
        std::size_t evictions = 0;  ///< models dropped to stay within a budget (or by clear())
        std::size_t entries = 0;    ///< models held now
        std::uint64_t bytes = 0;    ///< their estimated size
    };

    /// `budget(device id)` = bytes the cache may hold on that device; default: half the machine's memory for
    /// "cpu", half a GPU's memory for a GPU.
    explicit ModelCache(std::function<std::uint64_t(const std::string& device)> budget = {});
    ~ModelCache();
    ModelCache(const ModelCache&) = delete;
    ModelCache& operator=(const ModelCache&) = delete;

    /// The model `key` on `device`: the cached one, else `load()`'s (then cached with `bytes` as its size).
    /// A load that throws caches nothing and rethrows.
    template <class T>
    std::shared_ptr<T> acquire(const std::string& device, const std::string& key,
                               const std::function<std::shared_ptr<T>()>& load, std::uint64_t bytes) {
        auto erased = acquireErased(
            device, key, std::type_index(typeid(T)),
            [&]() -> std::shared_ptr<void> { return std::static_pointer_cast<void>(load()); }, bytes);
        return std::static_pointer_cast<T>(erased);
    }

    Stats stats() const;
    /// How often the model `key` was loaded (on any device).
    std::size_t loadsOf(const std::string& key) const;
    /// Keys of the models held now, most recently used first.
    std::vector<std::string> keys() const;
    /// Drops every model no job holds on `device` (every device when empty), e.g. after that GPU ran out of memory.
    void clear(const std::string& device = {});

    /// The cache key of a model loaded from `folder`: "<kind>:<folder>|<variant>", with the folder made absolute
    /// and canonical (".", "..", symbolic links resolved), so one folder named two ways is one cached model.
    static std::string folderKey(const std::string& kind, const std::string& folder, const std::string& variant);

    /// Estimated bytes of a model folder's weights at `precision` ("fp32", "fp16", "bf16"): the weight files'
    /// sizes (*.safetensors, *.bin, *.pt, *.pth), halved for 16-bit precisions.
    static std::uint64_t estimateFolderBytes(const std::string& folder, const std::string& precision);

private:
    struct Entry;
    std::shared_ptr<void> acquireErased(const std::string& device, const std::string& key, std::type_index type,
                                        const std::function<std::shared_ptr<void>()>& load, std::uint64_t bytes);
    /// Drops unborrowed least-recently-used entries of `device` until `incoming` more bytes fit (lock held).
    void makeRoom(const std::string& device, std::uint64_t incoming, const Entry* keep);

    std::function<std::uint64_t(const std::string&)> m_budget;
    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<Entry>> m_entries;
    std::uint64_t m_clock = 0;
    Stats m_stats;
    std::vector<std::pair<std::string, std::size_t>> m_loadsByKey;
};

}  // namespace benchtop::engine
