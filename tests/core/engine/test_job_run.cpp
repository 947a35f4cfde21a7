// The engine's job run as objects: streaming latency quantiles, the output publisher, typed item payloads and
// the bounded job history.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/engine/engine.h"
#include "core/engine/latency_stats.h"
#include "core/engine/output_publisher.h"
#include "tests/core/engine/test_tasks.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using namespace benchtop;
using namespace benchtop::engine;
using Catch::Matchers::ContainsSubstring;

namespace {

double exactQuantile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const double rank = p * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(rank);
    const auto hi = std::min(values.size() - 1, lo + 1);
    return values[lo] + (values[hi] - values[lo]) * (rank - static_cast<double>(lo));
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("streaming latency quantiles follow the exact ones in constant memory", "[engine][metrics]") {
    SECTION("exact for up to five values") {
        LatencyStats stats;
        for (double v : {40.0, 10.0, 30.0, 20.0}) stats.add(v);
        CHECK(stats.count() == 4);
        CHECK(stats.p50Ms() == Catch::Approx(25.0));
        CHECK(stats.maxMs() == 40.0);
        CHECK(stats.meanMs() == Catch::Approx(25.0));
    }
    SECTION("skewed latencies (a log-normal with a slow tail)") {
        std::mt19937 rng(7);
        std::lognormal_distribution<double> latency(3.0, 0.5);
        std::vector<double> all;
        LatencyStats stats;
        for (int i = 0; i < 20000; ++i) {
            const double v = latency(rng);
            all.push_back(v);
            stats.add(v);
        }
        CHECK(stats.p50Ms() == Catch::Approx(exactQuantile(all, 0.50)).epsilon(0.03));
        CHECK(stats.p95Ms() == Catch::Approx(exactQuantile(all, 0.95)).epsilon(0.03));
        CHECK(stats.p99Ms() == Catch::Approx(exactQuantile(all, 0.99)).epsilon(0.05));
        CHECK(stats.maxMs() == *std::max_element(all.begin(), all.end()));
    }
    SECTION("sorted input, the worst case for marker placement") {
        StreamingQuantile median(0.5);
        for (int i = 1; i <= 1001; ++i) median.add(i);
        CHECK(median.value() == Catch::Approx(501.0).epsilon(0.02));
    }
}

TEST_CASE("the output publisher shows results only when everything succeeded", "[engine][outputs]") {
    test::TempDir dir;
    OutputPublisher publisher(dir.path());
    const std::string a = publisher.partPath("a.csv");
    const std::string b = publisher.partPath("b.json");
    CHECK(a == (fs::path(dir.path()) / "a.csv.part").string());
    CHECK(publisher.partPath("a.csv") == a);  // asked twice, one file
    std::ofstream(a) << "1,2\n";
    std::ofstream(b) << "{}\n";
    publisher.partPath("never-written.txt");
    const auto results = publisher.publish();
    CHECK(results == std::vector<std::string>{dir.file("a.csv"), dir.file("b.json")});
    CHECK(readAll(dir.file("a.csv")) == "1,2\n");
    CHECK_FALSE(fs::exists(a));

    OutputPublisher failed(dir.path());
    std::ofstream(failed.partPath("c.csv")) << "half";
    failed.discard();
    CHECK_FALSE(fs::exists(dir.file("c.csv.part")));
    CHECK_FALSE(fs::exists(dir.file("c.csv")));

    OutputPublisher noFolder;
    CHECK_THROWS_WITH(noFolder.partPath("x"), ContainsSubstring("no result folder"));
}

TEST_CASE("a file written atomically is whole or untouched", "[engine][outputs]") {
    test::TempDir dir;
    const std::string path = dir.file("export.csv");
    writeFileAtomically(path, [](std::ostream& out) { out << "first\n"; });
    CHECK(readAll(path) == "first\n");
    // A writer that fails half-way leaves the earlier version and no .part.
    CHECK_THROWS_WITH(writeFileAtomically(path,
                                          [](std::ostream& out) {
                                              out << "partial";
                                              throw std::runtime_error("disk full");
                                          }),
                      "disk full");
    CHECK(readAll(path) == "first\n");
    CHECK_FALSE(fs::exists(path + ".part"));
    CHECK_THROWS_WITH(writeFileAtomically(dir.file("missing/folder/x.csv"), [](std::ostream&) {}),
                      ContainsSubstring("x.csv") && ContainsSubstring("cannot be written"));
}

TEST_CASE("item payloads are typed: reading one as another type is an error, not a crash", "[engine]") {
    Item item;
    CHECK(item.data.empty());
    item.data = std::make_shared<std::string>("hello");
    CHECK(item.data.holds<std::string>());
    CHECK(item.as<std::string>() == "hello");
    CHECK_FALSE(item.data.holds<int>());
    CHECK_THROWS_WITH(item.as<int>(), ContainsSubstring("payload was read as"));
    Item empty;
    CHECK_THROWS_AS(empty.as<std::string>(), Error);
}

TEST_CASE("finished jobs beyond the history limit are forgotten; observers saw them finish", "[engine]") {
    test::TempDir dir;
    auto log = std::make_shared<test::LineTaskLog>();
    EngineOptions options;
    options.keepFinishedJobs = 3;
    options.maxConcurrentJobs = 1;
    Engine engine(test::lineTaskRegistry(log), options);

    struct Finished : EngineObserver {
        std::mutex mutex;
        std::vector<JobId> ids;
        void onJobChanged(const JobSnapshot& job) override {
            std::lock_guard<std::mutex> lock(mutex);
            if (job.state == JobState::Done) ids.push_back(job.id);
        }
    } finished;
    engine.addObserver(&finished);

    std::vector<JobId> ids;
    for (int i = 0; i < 8; ++i) {
        const std::string input = dir.file("in" + std::to_string(i) + ".lines");
        std::ofstream(input) << "a\nbb\n";
        JobSpec spec;
        spec.inputs = {input};
        spec.outputDir = dir.file("out");
        spec.device = "cpu";
        spec.threads = 1;
        ids.push_back(engine.submit(spec));
    }
    engine.waitAll();
    for (const JobId id : ids) CHECK(engine.wait(id, 1.0));  // a forgotten job counts as finished
    engine.removeObserver(&finished);
    CHECK(finished.ids.size() == 8);
    CHECK(engine.snapshots().size() == 3);
    CHECK_FALSE(engine.snapshot(ids.front()).has_value());
    REQUIRE(engine.snapshot(ids.back()).has_value());
    const JobSnapshot last = *engine.snapshot(ids.back());
    CHECK(last.state == JobState::Done);
    CHECK(last.metrics.batches >= 1);
    CHECK(last.metrics.batchLatencyMaxMs >= last.metrics.batchLatencyP50Ms);
}

TEST_CASE("comma lists are split once, for option checks and the tasks alike", "[engine]") {
    CHECK(splitCommaList(" txt, srt ,,vtt\t") == std::vector<std::string>{"txt", "srt", "vtt"});
    CHECK(splitCommaList("").empty());
    CHECK(splitCommaList(",").empty());
    OptionSpec formats("formats", OptionType::List, "Formats", "", "", {"txt", "srt"});
    CHECK(checkOptionValue(formats, "txt, SRT").empty());
    CHECK(checkOptionValue(formats, "txt,,docx") == "'docx' is not one of txt, srt");
}
