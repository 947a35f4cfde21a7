// Models stay loaded between jobs: the engine's ModelCache (budget, LRU, borrowed models kept) and the jobs that
// borrow from it — 50 files dropped one job each load their model once.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <catch2/catch_test_macros.hpp>

#include "core/engine/engine.h"
#include "core/engine/model_cache.h"
#include "core/text/embedding_task.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using namespace benchtop;
using namespace benchtop::engine;

namespace {

struct FakeModel {
    explicit FakeModel(int v) : value(v) {}
    int value;
};

std::function<std::shared_ptr<FakeModel>()> loader(int value, int& loads) {
    return [value, &loads]() {
        ++loads;
        return std::make_shared<FakeModel>(value);
    };
}

/// A workload whose load() borrows a model from the engine's cache; counts real loads.
struct CountingModel {
    static std::atomic<int> constructed;
    CountingModel() { ++constructed; }
};
std::atomic<int> CountingModel::constructed{0};

class BorrowingTask : public Task {
public:
    explicit BorrowingTask(JobSpec spec) : m_spec(std::move(spec)) {}
    void load(TaskContext& ctx) override {
        m_model = borrowModel<CountingModel>(
            ctx, "counting:" + m_spec.model, [] { return std::make_shared<CountingModel>(); }, 1000);
    }
    void read(TaskContext&, const std::function<void(Item&&)>& emit) override {
        Item item;
        item.id = m_spec.inputs.front();
        emit(std::move(item));
    }
    void run(TaskContext&, const std::vector<Item*>&) override {
        if (!m_model) throw std::runtime_error("no model");
    }
    void finish(TaskContext& ctx, std::vector<Item>&) override { std::ofstream(ctx.outputPath("done.txt")) << "ok\n"; }
    void unload(TaskContext&) override { m_model.reset(); }

private:
    JobSpec m_spec;
    std::shared_ptr<CountingModel> m_model;
};

TaskKind borrowingKind() {
    TaskKind kind;
    kind.id = "borrowing";
    kind.name = "Borrowing test task";
    kind.extensions = {".borrow"};
    kind.recognise = [](const FileProbe& probe) { return probe.extension == ".borrow" ? 100 : 0; };
    kind.create = [](const JobSpec& spec) -> std::unique_ptr<Task> { return std::make_unique<BorrowingTask>(spec); };
    return kind;
}

}  // namespace

TEST_CASE("the model cache serves a loaded model again and loads each key once", "[engine][models]") {
    ModelCache cache([](const std::string&) { return std::uint64_t(1000); });
    int loads = 0;
    auto a1 = cache.acquire<FakeModel>("cpu", "a", loader(1, loads), 100);
    auto a2 = cache.acquire<FakeModel>("cpu", "a", loader(2, loads), 100);
    CHECK(loads == 1);
    CHECK(a1 == a2);
    CHECK(a2->value == 1);
    // Another device, or another type under the same key, is another model.
    auto onGpu = cache.acquire<FakeModel>("cuda:0", "a", loader(3, loads), 100);
    CHECK(loads == 2);
    CHECK(onGpu->value == 3);
    auto asInt = cache.acquire<int>(
        "cpu", "a", [] { return std::make_shared<int>(7); }, 4);
    CHECK(*asInt == 7);
    const auto stats = cache.stats();
    CHECK(stats.loads == 3);
    CHECK(stats.hits == 1);
    CHECK(stats.entries == 3);
    CHECK(stats.bytes == 204);
    CHECK(cache.loadsOf("a") == 3);
    CHECK(cache.loadsOf("b") == 0);
}

TEST_CASE("the model cache drops the least recently used idle model to stay within its budget", "[engine][models]") {
    ModelCache cache([](const std::string&) { return std::uint64_t(250); });
    int loads = 0;
    cache.acquire<FakeModel>("cpu", "a", loader(1, loads), 100);
    cache.acquire<FakeModel>("cpu", "b", loader(2, loads), 100);
    cache.acquire<FakeModel>("cpu", "a", loader(1, loads), 100);  // a is now the most recent
    cache.acquire<FakeModel>("cpu", "c", loader(3, loads), 100);  // 300 > 250: b goes
    CHECK(cache.keys() == std::vector<std::string>{"c", "a"});
    CHECK(cache.stats().evictions == 1);
    // Budgets are per device: a GPU model does not push CPU models out.
    cache.acquire<FakeModel>("cuda:0", "d", loader(4, loads), 200);
    CHECK(cache.stats().entries == 3);
    CHECK(loads == 4);
}

TEST_CASE("a model a job holds is never dropped; the cache may exceed its budget until the job ends",
          "[engine][models]") {
    ModelCache cache([](const std::string&) { return std::uint64_t(150); });
    int loads = 0;
    auto held = cache.acquire<FakeModel>("cpu", "big", loader(1, loads), 100);
    auto other = cache.acquire<FakeModel>("cpu", "other", loader(2, loads), 100);
    CHECK(cache.stats().entries == 2);  // both borrowed: nothing may go
    CHECK(cache.stats().evictions == 0);
    other.reset();
    cache.acquire<FakeModel>("cpu", "third", loader(3, loads), 100);  // "other" is idle now and goes
    CHECK(cache.keys() == std::vector<std::string>{"third", "big"});
    CHECK(held->value == 1);
    held.reset();
    cache.clear();
    CHECK(cache.stats().entries == 0);
}

TEST_CASE("a model that fails to load is not cached; the next job tries again", "[engine][models]") {
    ModelCache cache([](const std::string&) { return std::uint64_t(1000); });
    CHECK_THROWS_AS(
        cache.acquire<FakeModel>(
            "cpu", "broken", []() -> std::shared_ptr<FakeModel> { throw std::runtime_error("bad file"); }, 10),
        std::runtime_error);
    CHECK(cache.stats().entries == 0);
    int loads = 0;
    CHECK(cache.acquire<FakeModel>("cpu", "broken", loader(5, loads), 10)->value == 5);
    CHECK(loads == 1);
}

TEST_CASE("50 files dropped as 50 jobs load their model once", "[engine][models]") {
    test::TempDir dir;
    TaskRegistry registry;
    registry.add(borrowingKind());
    EngineOptions options;
    options.maxConcurrentJobs = 2;
    Engine engine(registry, options);
    CountingModel::constructed = 0;
    std::vector<JobId> ids;
    for (int i = 0; i < 50; ++i) {
        const std::string input = dir.file("sample-" + std::to_string(i) + ".borrow");
        std::ofstream(input) << i << "\n";
        JobSpec spec;
        spec.inputs = {input};
        spec.model = "toy";
        spec.outputDir = dir.file("out");
        spec.device = "cpu";
        spec.precision = "fp32";
        ids.push_back(engine.submit(spec));
    }
    engine.waitAll();
    for (const JobId id : ids) CHECK(engine.snapshot(id)->state == JobState::Done);
    CHECK(CountingModel::constructed == 1);
    CHECK(engine.models().loadsOf("counting:toy") == 1);
    CHECK(engine.models().stats().hits == 49);
}

TEST_CASE("three text jobs with one model load the encoder once and give the same embeddings", "[engine][models]") {
    test::TempDir dir;
    TaskRegistry registry;
    registry.add(text::embeddingTaskKind());
    Engine engine(std::move(registry));
    std::vector<JobId> ids;
    for (int i = 0; i < 3; ++i) {
        JobSpec spec;
        spec.inputs = {test::sharedPath("fixtures/text/inputs.txt")};
        spec.task = "text";
        spec.model = test::sharedPath("models/tiny-bert-mean");
        spec.outputDir = dir.file("out");
        spec.device = "cpu";
        spec.precision = "fp32";
        spec.threads = 2;
        ids.push_back(engine.submit(spec));
    }
    engine.waitAll();
    std::vector<std::string> embeddings;
    for (const JobId id : ids) {
        const auto job = *engine.snapshot(id);
        REQUIRE(job.state == JobState::Done);
        embeddings.push_back(test::readFile((fs::path(job.resultDir) / "embeddings.npy").string()));
    }
    const auto stats = engine.models().stats();
    CHECK(stats.loads == 1);
    CHECK(stats.hits == 2);
    CHECK(stats.entries == 1);
    CHECK(stats.bytes > 0);
    CHECK(embeddings[0] == embeddings[1]);
    CHECK(embeddings[1] == embeddings[2]);
}

TEST_CASE("one model folder named two ways is one cache key", "[engine][models]") {
    test::TempDir dir;
    fs::create_directories(dir.file("models/whisper"));
    const std::string plain = ModelCache::folderKey("whisper", dir.file("models/whisper"), "fp32");
    CHECK(ModelCache::folderKey("whisper", dir.file("models/./whisper/"), "fp32") == plain);
    CHECK(ModelCache::folderKey("whisper", dir.file("models/other/../whisper"), "fp32") == plain);
    fs::create_directory_symlink(dir.file("models/whisper"), dir.file("link"));
    CHECK(ModelCache::folderKey("whisper", dir.file("link"), "fp32") == plain);
    CHECK(ModelCache::folderKey("whisper", dir.file("models/whisper"), "bf16") != plain);
    CHECK(ModelCache::folderKey("text-encoder", dir.file("models/whisper"), "fp32") != plain);
}
