#include "core/engine/batcher.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace benchtop::engine {

std::vector<PlannedBatch> planBatches(const std::vector<std::int64_t>& lengths, const BatchLimits& limits) {
    std::vector<PlannedBatch> batches;
    const std::size_t n = lengths.size();
    const std::size_t window = limits.sortWindow == 0 ? n : limits.sortWindow;
    const std::size_t maxItems = std::max<std::size_t>(1, limits.maxItems);
    std::vector<std::size_t> order;
    for (std::size_t start = 0; start < n; start += window) {
        const std::size_t end = std::min(n, start + window);
        order.resize(end - start);
        std::iota(order.begin(), order.end(), start);
        if (limits.sortWindow != 0) {
            // Longest first: the expensive batches run early, so the ETA settles quickly.
            std::stable_sort(order.begin(), order.end(),
                             [&](std::size_t a, std::size_t b) { return lengths[a] > lengths[b]; });
        }
        PlannedBatch current;
        std::int64_t longest = 0;
        for (const std::size_t index : order) {
            const std::int64_t len = std::max<std::int64_t>(1, lengths[index]);
            const std::int64_t newLongest = std::max(longest, len);
            const auto newCost = newLongest * static_cast<std::int64_t>(current.indices.size() + 1);
            if (!current.indices.empty() && (newCost > limits.unitBudget || current.indices.size() >= maxItems)) {
                current.paddedUnits = longest * static_cast<std::int64_t>(current.indices.size());
                batches.push_back(std::move(current));
                current = PlannedBatch{};
                longest = 0;
            }
            current.indices.push_back(index);
            current.realUnits += len;
            longest = std::max(longest, len);
        }
        if (!current.indices.empty()) {
            current.paddedUnits = longest * static_cast<std::int64_t>(current.indices.size());
            batches.push_back(std::move(current));
        }
    }
    return batches;
}

std::vector<PlannedBatch> planBatchesLeastCost(const std::vector<std::int64_t>& lengths, const BatchLimits& limits,
                                               std::int64_t overheadUnits) {
    const std::size_t n = lengths.size();
    const std::size_t maxItems = std::max<std::size_t>(1, limits.maxItems);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lengths[a] > lengths[b]; });
    const auto lengthAt = [&](std::size_t k) { return std::max<std::int64_t>(1, lengths[order[k]]); };
    // best[j]: least cost of the first j sorted items; from[j]: where the last batch of that plan starts.
    constexpr std::int64_t kInfinite = std::numeric_limits<std::int64_t>::max() / 4;
    std::vector<std::int64_t> best(n + 1, kInfinite);
    std::vector<std::size_t> from(n + 1, 0);
    best[0] = 0;
    for (std::size_t j = 1; j <= n; ++j) {
        // The batch [i, j): its longest item is the first (sorted), so its padded size is (j - i) x lengthAt(i).
        for (std::size_t size = 1; size <= maxItems && size <= j; ++size) {
            const std::size_t i = j - size;
            const std::int64_t padded = static_cast<std::int64_t>(size) * lengthAt(i);
            if (size > 1 && padded > limits.unitBudget) break;  // longer batches only grow
            const std::int64_t cost = best[i] + padded + overheadUnits;
            if (cost < best[j]) {
                best[j] = cost;
                from[j] = i;
            }
        }
    }
    std::vector<PlannedBatch> batches;
    for (std::size_t j = n; j > 0; j = from[j]) {
        PlannedBatch batch;
        for (std::size_t k = from[j]; k < j; ++k) {
            batch.indices.push_back(order[k]);
            batch.realUnits += lengthAt(k);
        }
        batch.paddedUnits = static_cast<std::int64_t>(j - from[j]) * lengthAt(from[j]);
        batches.push_back(std::move(batch));
    }
    std::reverse(batches.begin(), batches.end());  // longest first, as planBatches()
    return batches;
}

double paddingEfficiency(const std::vector<PlannedBatch>& batches) {
    std::int64_t real = 0;
    std::int64_t padded = 0;
    for (const auto& b : batches) {
        real += b.realUnits;
        padded += b.paddedUnits;
    }
    return padded > 0 ? static_cast<double>(real) / static_cast<double>(padded) : 1.0;
}

BatchLimits adaptBudgetToMemory(const BatchLimits& limits, std::uint64_t freeBytes) {
    if (limits.bytesPerUnit == 0) return limits;
    BatchLimits adapted = limits;
    const double fits = 0.6 * static_cast<double>(freeBytes) / static_cast<double>(limits.bytesPerUnit);
    const double ceiling = 4.0 * static_cast<double>(limits.unitBudget);
    adapted.unitBudget = static_cast<std::int64_t>(std::max(1.0, std::min(fits, ceiling)));
    return adapted;
}

}  // namespace benchtop::engine
