#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace benchtop::engine {

/// Limits for one batch. cost(batch) = size x longest item; a single item longer than the budget
/// still forms a batch of one.
struct BatchLimits {
    std::int64_t unitBudget = 8192;  ///< max padded units (tokens, frames, samples) per batch
    std::size_t maxItems = 64;       ///< max items per batch
    std::size_t sortWindow = 1024;   ///< items sorted by length within windows of this many (0 = no sorting)
    /// Device memory one padded unit of a batch needs at its peak (activations, attention scores); 0 = unknown.
    /// On a GPU the engine then fits unitBudget to the free memory (adaptBudgetToMemory).
    std::uint64_t bytesPerUnit = 0;
};

/// `limits` with unitBudget fitted to `freeBytes` of device memory: at most 60% of it for one batch (the model
/// and the next batch's inputs need the rest), and at most 4x the declared budget (bigger batches stop paying
/// off). Unchanged when bytesPerUnit is 0. Never below one unit.
BatchLimits adaptBudgetToMemory(const BatchLimits& limits, std::uint64_t freeBytes);

/// A planned batch: indices into the lengths given to planBatches().
struct PlannedBatch {
    std::vector<std::size_t> indices;
    std::int64_t realUnits = 0;
    std::int64_t paddedUnits = 0;
};

/// Token/sample-budget batching like text-embeddings-inference: within each window of `sortWindow`
/// consecutive items, sort by length (stable, longest first), then fill batches until adding an item
/// would exceed the unit budget or the item limit. Callers keep results in input order by index.
std::vector<PlannedBatch> planBatches(const std::vector<std::int64_t>& lengths, const BatchLimits& limits);

/// Batches of the items sorted by length (longest first) cut where the total cost is least: each batch costs its
/// padded units (size x longest) plus `overheadUnits` (the fixed cost of one device call, in units: a few tokens on
/// a CPU, thousands on a GPU), within the unit budget and item limit. For the handful of texts of concurrent
/// requests, whose lengths vary widely, one batch would be mostly padding and one batch per text pays the
/// overhead every time; this finds the split in between (dynamic programming, O(items x maxItems)).
std::vector<PlannedBatch> planBatchesLeastCost(const std::vector<std::int64_t>& lengths, const BatchLimits& limits,
                                               std::int64_t overheadUnits);

/// Real units / padded units over the batches (1.0 for no batches).
double paddingEfficiency(const std::vector<PlannedBatch>& batches);

}  // namespace benchtop::engine
