#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <mutex>
#include <thread>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/engine/engine.h"
#include "tests/core/engine/test_tasks.h"
#include "core/device/machine_report.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using namespace benchtop;
using namespace benchtop::engine;
using Catch::Matchers::ContainsSubstring;

namespace {

std::string writeLines(const test::TempDir& dir, const std::string& name, int count) {
    const std::string path = dir.file(name);
    std::ofstream out(path);
    for (int i = 0; i < count; ++i)
        out << "line-" << i << std::string(static_cast<std::size_t>((i * 7) % 13), 'x') << "\n";
    return path;
}

JobSpec lineJob(const std::string& input, const std::string& outDir) {
    JobSpec spec;
    spec.inputs = {input};
    spec.outputDir = outDir;
    spec.device = "cpu";
    spec.precision = "fp32";
    spec.threads = 1;
    return spec;
}

/// Records every state an observer sees per job.
class StateRecorder : public EngineObserver {
public:
    void onJobChanged(const JobSnapshot& job) override {
        std::lock_guard<std::mutex> lock(mutex);
        if (states[job.id].empty() || states[job.id].back() != job.state) states[job.id].push_back(job.state);
        if (job.state == JobState::Running && job.progress.etaSeconds >= 0 && job.progress.total > 0) sawEta = true;
    }
    void onBatch(JobId, const BatchStats& stats) override {
        std::lock_guard<std::mutex> lock(mutex);
        ++batches;
    }
    std::mutex mutex;
    std::map<JobId, std::vector<JobState>> states;
    bool sawEta = false;
    int batches = 0;
};

}  // namespace

TEST_CASE("a job runs read -> prepare -> batch -> run -> finish and keeps input order") {
    test::TempDir dir;
    auto log = std::make_shared<test::LineTaskLog>();
    Engine engine(test::lineTaskRegistry(log));
    StateRecorder recorder;
    engine.addObserver(&recorder);
    const auto input = writeLines(dir, "in.lines", 50);
    auto spec = lineJob(input, dir.file("out"));
    spec.options["sleep_ms"] = "2";
    const JobId id = engine.submit(spec);
    REQUIRE(engine.wait(id, 60));
    engine.removeObserver(&recorder);
    const auto job = *engine.snapshot(id);
    INFO(job.error);
    REQUIRE(job.state == JobState::Done);
    CHECK(job.task == "lines");
    CHECK(job.progress.done == 50);
    CHECK(job.progress.total == 50);
    CHECK(job.summary == "50 lines");
    CHECK(job.deviceLabel == "CPU \u00b7 fp32");
    CHECK(log->loads == 1);
    CHECK(log->unloads == 1);

    // Output in input order and upper-cased by prepare().
    REQUIRE(job.resultFiles.size() == 1);
    // The job's own folder, named after its input.
    CHECK(job.resultDir == dir.file("out") + "/in");
    CHECK(job.resultFiles[0] == dir.file("out") + "/in/lines.txt");
    // Marked as Benchtop's own, so a folder holding it is never read as input.
    CHECK_THAT(test::readFile(dir.file("out") + "/in/.benchtop-job.json"), ContainsSubstring("in.lines"));
    std::ifstream in(job.resultFiles[0]);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        CHECK(line == "LINE-" + std::to_string(n) + std::string(static_cast<std::size_t>((n * 7) % 13), 'X'));
        ++n;
    }
    CHECK(n == 50);
    CHECK_FALSE(fs::exists(dir.file("out") + "/in/lines.txt.part"));

    // Batches were sorted by length within windows of 16 and never exceeded the limits.
    std::size_t planned = 0;
    for (const auto& b : log->batches) {
        CHECK(b.size() <= 4);
        planned += b.size();
    }
    CHECK(planned == 50);
    CHECK(job.metrics.batches == static_cast<std::int64_t>(log->batches.size()));
    CHECK(job.metrics.items == 50);
    CHECK(job.metrics.paddingEfficiency > 0.5);
    CHECK(job.metrics.paddingEfficiency <= 1.0);
    CHECK(job.metrics.batchLatencyP95Ms >= job.metrics.batchLatencyP50Ms);
    CHECK(job.metrics.peakRssBytes > 0);

    std::lock_guard<std::mutex> lock(recorder.mutex);
    CHECK(recorder.states[id] ==
          std::vector<JobState>{JobState::Queued, JobState::Preparing, JobState::Running, JobState::Done});
    CHECK(recorder.batches == static_cast<int>(log->batches.size()));
}

TEST_CASE("progress reports an ETA while running") {
    test::TempDir dir;
    auto log = std::make_shared<test::LineTaskLog>();
    Engine engine(test::lineTaskRegistry(log));
    StateRecorder recorder;
    engine.addObserver(&recorder);
    auto spec = lineJob(writeLines(dir, "in.lines", 40), dir.path());
    spec.options["sleep_ms"] = "30";
    spec.options["max_items"] = "2";
    const JobId id = engine.submit(spec);
    REQUIRE(engine.wait(id, 60));
    engine.removeObserver(&recorder);
    CHECK(engine.snapshot(id)->state == JobState::Done);
    CHECK(recorder.sawEta);
    CHECK(engine.snapshot(id)->progress.etaSeconds == 0.0);
}

TEST_CASE("cancellation is honoured within a batch and leaves no output") {
    test::TempDir dir;
    auto log = std::make_shared<test::LineTaskLog>();
    Engine engine(test::lineTaskRegistry(log));
    auto spec = lineJob(writeLines(dir, "in.lines", 200), dir.path());
    spec.options["sleep_ms"] = "50";
    spec.options["max_items"] = "1";
    const JobId id = engine.submit(spec);
    // Wait for the first batch, then cancel.
    for (int i = 0; i < 400; ++i) {
        {
            std::lock_guard<std::mutex> lock(log->mutex);
            if (!log->batches.empty()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(engine.cancel(id));
    REQUIRE(engine.wait(id, 30));
    const auto job = *engine.snapshot(id);
    CHECK(job.state == JobState::Cancelled);
    std::size_t ran = 0;
    {
        std::lock_guard<std::mutex> lock(log->mutex);
        ran = log->batches.size();
    }
    // At most the batch in flight plus one more started after the request.
    CHECK(ran <= 3);
    CHECK(log->unloads == 1);
    // Nothing is left: neither the result nor the job's folder.
    CHECK_FALSE(fs::exists(dir.file("in")));
    CHECK_FALSE(engine.cancel(id));  // already finished
}

TEST_CASE("a failing job fails alone; other jobs finish") {
    test::TempDir dir;
    auto log = std::make_shared<test::LineTaskLog>();
    Engine engine(test::lineTaskRegistry(log));
    auto bad = lineJob(writeLines(dir, "bad.lines", 30), dir.file("bad"));
    bad.options["fail_line"] = "17";
    auto good = lineJob(writeLines(dir, "good.lines", 30), dir.file("good"));
    const JobId badId = engine.submit(bad);
    const JobId goodId = engine.submit(good);
    engine.waitAll();
    const auto badJob = *engine.snapshot(badId);
    CHECK(badJob.state == JobState::Failed);
    CHECK_THAT(badJob.error, ContainsSubstring("line 18") && ContainsSubstring("deliberate failure"));
    CHECK(badJob.resultFiles.empty());
    CHECK(engine.snapshot(goodId)->state == JobState::Done);
    CHECK(fs::exists(dir.file("good") + "/good/lines.txt"));
    CHECK_FALSE(fs::exists(dir.file("bad") + "/bad"));
}

TEST_CASE("a failure after writing removes the .part file") {
    test::TempDir dir;
    auto log = std::make_shared<test::LineTaskLog>();
    Engine engine(test::lineTaskRegistry(log));
    auto spec = lineJob(writeLines(dir, "in.lines", 10), dir.path());
    spec.options["fail_in_finish"] = "1";
    const JobId id = engine.submit(spec);
    REQUIRE(engine.wait(id, 30));
    const auto job = *engine.snapshot(id);
    CHECK(job.state == JobState::Failed);
    CHECK_THAT(job.error, ContainsSubstring("deliberate failure after writing"));
    CHECK_FALSE(fs::exists(dir.file("in/lines.txt.part")));
    CHECK_FALSE(fs::exists(dir.file("in/lines.txt")));
    CHECK_FALSE(fs::exists(dir.file("in")));
}

TEST_CASE("unrecognised files, missing files and impossible devices fail with clear errors") {
    test::TempDir dir;
    auto log = std::make_shared<test::LineTaskLog>();
    Engine engine(test::lineTaskRegistry(log));
    { std::ofstream(dir.file("notes.xyz")) << "hello"; }
    const JobId unknown = engine.submit(lineJob(dir.file("notes.xyz"), dir.path()));
    const JobId missing = engine.submit(lineJob(dir.file("absent.lines"), dir.path()));
    auto fp16 = lineJob(writeLines(dir, "in.lines", 3), dir.path());
    fp16.precision = "fp16";
    const JobId badPrecision = engine.submit(fp16);
    auto badTask = lineJob(dir.file("in.lines"), dir.path());
    badTask.task = "astrology";
    const JobId unknownTask = engine.submit(badTask);
    engine.waitAll();

    const auto u = *engine.snapshot(unknown);
    CHECK(u.state == JobState::Failed);
    CHECK_THAT(u.error, ContainsSubstring("notes.xyz") && ContainsSubstring("no task handles this file") &&
                            ContainsSubstring(".xyz") && ContainsSubstring("Line test task"));
    const auto m = *engine.snapshot(missing);
    CHECK(m.state == JobState::Failed);
    CHECK_THAT(m.error, ContainsSubstring("absent.lines: file not found"));
    const auto p = *engine.snapshot(badPrecision);
    CHECK(p.state == JobState::Failed);
    CHECK_THAT(p.error, ContainsSubstring("fp16"));
    const auto t = *engine.snapshot(unknownTask);
    CHECK(t.state == JobState::Failed);
    CHECK_THAT(t.error, ContainsSubstring("astrology: unknown task (known tasks: lines)"));
    CHECK(log->loads == 0);
}

TEST_CASE("queued jobs can be cancelled before they start; destruction cancels running jobs") {
    test::TempDir dir;
    auto log = std::make_shared<test::LineTaskLog>();
    std::vector<JobId> ids;
    {
        EngineOptions options;
        options.maxConcurrentJobs = 1;
        Engine engine(test::lineTaskRegistry(log), options);
        auto slow = lineJob(writeLines(dir, "slow.lines", 100), dir.file("slow"));
        slow.options["sleep_ms"] = "20";
        slow.options["max_items"] = "1";
        ids.push_back(engine.submit(slow));
        ids.push_back(engine.submit(lineJob(writeLines(dir, "queued.lines", 5), dir.file("queued"))));
        CHECK(engine.cancel(ids[1]));
        CHECK(engine.snapshot(ids[1])->state == JobState::Cancelled);
    }  // engine destroyed while the slow job runs: must not hang or crash
    CHECK_FALSE(fs::exists(dir.file("slow") + "/slow/lines.txt"));
    CHECK_FALSE(fs::exists(dir.file("slow") + "/slow"));
    CHECK_FALSE(fs::exists(dir.file("queued") + "/queued"));
}

TEST_CASE("jobs never share a result folder and never overwrite a finished result") {
    test::TempDir dir;
    auto log = std::make_shared<test::LineTaskLog>();
    EngineOptions options;
    options.maxConcurrentJobs = 3;  // concurrently, into one output folder
    Engine engine(test::lineTaskRegistry(log), options);
    fs::create_directories(dir.file("a"));
    fs::create_directories(dir.file("b"));
    const auto a = writeLines(dir, "a/data.lines", 40);
    const auto b = writeLines(dir, "b/data.lines", 7);  // the same file name in another folder
    const auto c = writeLines(dir, "other.lines", 3);
    std::vector<JobId> ids;
    for (const auto& input : {a, b, c}) {
        auto spec = lineJob(input, dir.file("results"));
        spec.options["sleep_ms"] = "5";
        ids.push_back(engine.submit(spec));
    }
    engine.waitAll();
    std::map<std::string, std::size_t> linesIn;
    std::set<std::string> folders;
    for (const JobId id : ids) {
        const auto job = *engine.snapshot(id);
        INFO(job.error);
        REQUIRE(job.state == JobState::Done);
        folders.insert(job.resultDir);
        REQUIRE(job.resultFiles.size() == 1);
        std::ifstream in(job.resultFiles[0]);
        std::size_t n = 0;
        for (std::string line; std::getline(in, line);) ++n;
        linesIn[job.spec.inputs.front()] = n;
    }
    CHECK(folders.size() == 3);
    CHECK(folders.count(dir.file("results/data")) == 1);
    CHECK(folders.count(dir.file("results/data-2")) == 1);
    CHECK(folders.count(dir.file("results/other")) == 1);
    // Each input's own rows, complete.
    CHECK(linesIn[a] == 40);
    CHECK(linesIn[b] == 7);
    CHECK(linesIn[c] == 3);

    // Running the same input again leaves the first result as it was and writes next to it.
    const std::string before = test::readFile(dir.file("results/other/lines.txt"));
    const JobId again = engine.submit(lineJob(c, dir.file("results")));
    REQUIRE(engine.wait(again, 30));
    const auto rerun = *engine.snapshot(again);
    REQUIRE(rerun.state == JobState::Done);
    CHECK(rerun.resultDir == dir.file("results/other-2"));
    CHECK(test::readFile(dir.file("results/other/lines.txt")) == before);
    CHECK(test::readFile(dir.file("results/other-2/lines.txt")) == before);
}

TEST_CASE("file probes report extension and decompressed head") {
    test::TempDir dir;
    { std::ofstream(dir.file("Cohort.CSV")) << "ID_REF,GSM1\ncg00000029,0.5\n"; }
    const auto probe = probeFile(dir.file("Cohort.CSV"));
    CHECK(probe.exists);
    CHECK(probe.extension == ".csv");
    CHECK(probe.fileName == "Cohort.CSV");
    CHECK(probe.head.rfind("ID_REF,GSM1", 0) == 0);
    const auto missing = probeFile(dir.file("nothing.txt.gz"));
    CHECK_FALSE(missing.exists);
    CHECK(missing.extension == ".txt.gz");
}

namespace {
/// Threads of this process (Linux: /proc/self/task); 0 elsewhere.
std::size_t processThreads() {
    std::error_code ec;
    std::size_t n = 0;
    for (fs::directory_iterator it("/proc/self/task", ec), end; !ec && it != end; it.increment(ec)) ++n;
    return n;
}
}  // namespace

TEST_CASE("50 queued jobs cancelled in the middle leave no threads, no partial files and stable memory") {
    test::TempDir dir;
    auto log = std::make_shared<test::LineTaskLog>();
    std::vector<std::string> inputs;
    for (int i = 0; i < 50; ++i) inputs.push_back(writeLines(dir, "in" + std::to_string(i) + ".lines", 40));
    const std::size_t threadsBefore = processThreads();
    std::uint64_t rssAfterFirst = 0;
    for (int round = 0; round < 3; ++round) {
        INFO("round " << round);
        {
            EngineOptions options;
            options.maxConcurrentJobs = 2;
            Engine engine(test::lineTaskRegistry(log), options);
            std::vector<JobId> ids;
            for (const auto& input : inputs) {
                auto spec = lineJob(input, dir.file("out"));
                spec.options["sleep_ms"] = "2";
                spec.options["max_items"] = "4";
                ids.push_back(engine.submit(spec));
            }
            // Cancel everything once a few jobs are done.
            for (int i = 0; i < 2000; ++i) {
                int done = 0;
                for (const JobId id : ids) done += engine.snapshot(id)->state == JobState::Done ? 1 : 0;
                if (done >= 3) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            engine.cancelAll();
            engine.waitAll();
            int done = 0, cancelled = 0;
            for (const JobId id : ids) {
                const auto job = *engine.snapshot(id);
                REQUIRE(isFinished(job.state));
                if (job.state == JobState::Done) {
                    ++done;
                    CHECK(fs::is_regular_file(job.resultDir + "/lines.txt"));
                } else {
                    CHECK(job.state == JobState::Cancelled);
                    ++cancelled;
                    CHECK((job.resultDir.empty() || !fs::exists(job.resultDir)));
                }
            }
            CHECK(done >= 3);
            CHECK(cancelled > 0);
        }  // the engine and its threads are gone here
        // No unfinished file anywhere; every folder left holds a finished result.
        std::error_code ec;
        for (fs::recursive_directory_iterator it(dir.file("out"), ec), end; !ec && it != end; it.increment(ec)) {
            CHECK(it->path().extension() != ".part");
            if (it->is_directory()) CHECK(fs::exists(it->path() / "lines.txt"));
        }
        if (threadsBefore > 0) CHECK(processThreads() == threadsBefore);
        const std::uint64_t rss = device::processRssBytes();
        if (round == 0)
            rssAfterFirst = rss;
        else if (rss > 0)
            CHECK(rss < rssAfterFirst + (64u << 20));  // no growth from round to round
    }
}
