#include <algorithm>
#include <limits>
#include <numeric>
#include <random>

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>

#include "core/engine/batcher.h"

using namespace benchtop::engine;

TEST_CASE("batcher fills the unit budget with length-sorted items") {
    // Lengths 1..8 in arrival order; budget 16 units, at most 4 items.
    const std::vector<std::int64_t> lengths = {3, 8, 1, 6, 2, 7, 4, 5};
    BatchLimits limits;
    limits.unitBudget = 16;
    limits.maxItems = 4;
    limits.sortWindow = 8;
    const auto batches = planBatches(lengths, limits);
    // Sorted longest first: 8,7 | 6,5 | 4,3,2,1 -> costs 16, 12, 16.
    REQUIRE(batches.size() == 3);
    CHECK(batches[0].indices == std::vector<std::size_t>{1, 5});
    CHECK(batches[1].indices == std::vector<std::size_t>{3, 7});
    CHECK(batches[2].indices == std::vector<std::size_t>{6, 0, 4, 2});
    CHECK(batches[0].paddedUnits == 16);
    CHECK(batches[2].paddedUnits == 16);
    CHECK(batches[2].realUnits == 10);
    // Real 36 units over 44 padded.
    CHECK(paddingEfficiency(batches) == Catch::Approx(36.0 / 44.0));
}

TEST_CASE("sorting by length improves padding efficiency over arrival order") {
    std::vector<std::int64_t> lengths;
    for (int i = 0; i < 64; ++i) lengths.push_back(i % 2 == 0 ? 4 : 60);
    BatchLimits sorted;
    sorted.unitBudget = 256;
    sorted.maxItems = 8;
    sorted.sortWindow = 64;
    BatchLimits arrival = sorted;
    arrival.sortWindow = 0;
    const double sortedEfficiency = paddingEfficiency(planBatches(lengths, sorted));
    const double arrivalEfficiency = paddingEfficiency(planBatches(lengths, arrival));
    CHECK(sortedEfficiency == Catch::Approx(1.0));
    // Arrival order pairs a 4 with a 60 in every batch: (4+60)/(2*60).
    CHECK(arrivalEfficiency == Catch::Approx(64.0 / 120.0));
}

TEST_CASE("every item is planned exactly once and oversize items form their own batch") {
    const std::vector<std::int64_t> lengths = {500, 3, 3, 3, 1000, 2};
    BatchLimits limits;
    limits.unitBudget = 100;
    limits.maxItems = 16;
    limits.sortWindow = 3;
    const auto batches = planBatches(lengths, limits);
    std::vector<int> seen(lengths.size(), 0);
    for (const auto& b : batches)
        for (auto i : b.indices) ++seen[i];
    CHECK(seen == std::vector<int>(lengths.size(), 1));
    // Windows [500,3,3] and [3,1000,2]: the long items each stand alone.
    REQUIRE(batches.size() == 4);
    CHECK(batches[0].indices == std::vector<std::size_t>{0});
    CHECK(batches[1].indices == std::vector<std::size_t>{1, 2});
    CHECK(batches[2].indices == std::vector<std::size_t>{4});
    CHECK(batches[3].indices == std::vector<std::size_t>{3, 5});
    CHECK(paddingEfficiency({}) == 1.0);
}

TEST_CASE("least-cost batching splits texts of different lengths where padding costs more than a call",
          "[engine][batcher]") {
    BatchLimits limits;
    limits.unitBudget = 100000;
    limits.maxItems = 64;
    const std::vector<std::int64_t> lengths = {100, 10, 500, 98, 9, 11};
    const auto batches = planBatchesLeastCost(lengths, limits, 32);
    REQUIRE(batches.size() == 3);
    CHECK(batches[0].indices == std::vector<std::size_t>{2});
    CHECK(batches[1].indices == std::vector<std::size_t>{0, 3});
    CHECK(batches[2].indices == std::vector<std::size_t>{5, 1, 4});
    CHECK(batches[2].paddedUnits == 33);
    CHECK(batches[2].realUnits == 30);
    // A large per-call cost (a GPU) keeps them together.
    CHECK(planBatchesLeastCost(lengths, limits, 100000).size() == 1);
    // The item limit and the unit budget still hold.
    limits.maxItems = 2;
    for (const auto& b : planBatchesLeastCost(lengths, limits, 100000)) CHECK(b.indices.size() <= 2);
    limits.maxItems = 64;
    limits.unitBudget = 200;
    for (const auto& b : planBatchesLeastCost(lengths, limits, 100000))
        CHECK((b.paddedUnits <= 200 || b.indices.size() == 1));
}

TEST_CASE("least-cost batching finds the cheapest contiguous split", "[engine][batcher]") {
    std::mt19937 random(7);
    BatchLimits limits;
    limits.unitBudget = 1 << 30;
    limits.maxItems = 64;
    for (int trial = 0; trial < 50; ++trial) {
        const std::size_t n = 1 + random() % 8;
        std::vector<std::int64_t> lengths(n);
        for (auto& l : lengths) l = 1 + static_cast<std::int64_t>(random() % 200);
        const std::int64_t overhead = static_cast<std::int64_t>(random() % 100);
        const auto batches = planBatchesLeastCost(lengths, limits, overhead);
        std::int64_t cost = 0;
        std::vector<int> seen(n, 0);
        for (const auto& b : batches) {
            cost += b.paddedUnits + overhead;
            for (auto i : b.indices) ++seen[i];
        }
        CHECK(std::all_of(seen.begin(), seen.end(), [](int s) { return s == 1; }));
        // Every split of the sorted lengths into runs, by brute force.
        std::vector<std::int64_t> sorted = lengths;
        std::sort(sorted.rbegin(), sorted.rend());
        std::int64_t bestCost = std::numeric_limits<std::int64_t>::max();
        for (std::uint32_t cuts = 0; cuts < (1u << (n - 1)); ++cuts) {
            std::int64_t c = 0;
            std::size_t start = 0;
            for (std::size_t k = 1; k <= n; ++k)
                if (k == n || (cuts >> (k - 1)) & 1u) {
                    c += static_cast<std::int64_t>(k - start) * sorted[start] + overhead;
                    start = k;
                }
            bestCost = std::min(bestCost, c);
        }
        CHECK(cost == bestCost);
    }
}
