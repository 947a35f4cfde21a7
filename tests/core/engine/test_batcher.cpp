#include <numeric>

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
