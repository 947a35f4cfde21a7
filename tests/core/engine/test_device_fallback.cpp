// Out of GPU memory at load or run: the engine runs the job again on the CPU and says
// "fell back to CPU: out of GPU memory". The GPU is injected through EngineOptions::resolveDevice.
#include <filesystem>
#include <fstream>
#include <mutex>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/common/error.h"
#include "core/engine/engine.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using namespace benchtop;
using namespace benchtop::engine;
using Catch::Matchers::ContainsSubstring;

namespace {

/// Fails on any non-CPU device where option "fail_at" says (load or run) with option "error"; writes
/// device.txt naming the device it finished on.
class GpuHungryTask : public Task {
public:
    explicit GpuHungryTask(JobSpec spec) : m_spec(std::move(spec)) {}
    void load(TaskContext& ctx) override { maybeFail(ctx, "load"); }
    BatchLimits batchLimits() const override {
        BatchLimits limits;
        const std::string bytes = m_spec.option("bytes_per_unit");
        if (!bytes.empty()) limits.bytesPerUnit = std::stoull(bytes);
        return limits;
    }
    void read(TaskContext&, const std::function<void(Item&&)>& emit) override {
        for (int i = 0; i < 3; ++i) {
            Item item;
            item.id = "item " + std::to_string(i);
            item.length = 10;
            emit(std::move(item));
        }
    }
    void run(TaskContext& ctx, const std::vector<Item*>& batch) override {
        maybeFail(ctx, "run");
        // "max_batch": a GPU that holds at most that many items per batch.
        const std::string max = m_spec.option("max_batch");
        if (ctx.device().device.id != "cpu" && !max.empty() && batch.size() > std::stoul(max))
            throw Error(ctx.device().device.id, m_spec.option("error"));
        m_batchSizes += (m_batchSizes.empty() ? "" : ",") + std::to_string(batch.size());
    }
    void finish(TaskContext& ctx, std::vector<Item>& items) override {
        std::ofstream(ctx.outputPath("device.txt")) << ctx.device().device.id << " " << items.size() << "\n";
        std::ofstream(ctx.outputPath("batches.txt")) << m_batchSizes << "\n";
    }

private:
    void maybeFail(TaskContext& ctx, const std::string& where) {
        if (ctx.device().device.id != "cpu" && m_spec.option("fail_at") == where)
            throw Error(ctx.device().device.id, m_spec.option("error"));
    }
    JobSpec m_spec;
    std::string m_batchSizes;  // of the batches that ran, in order (device thread only)
};

TaskKind gpuHungryKind() {
    TaskKind kind;
    kind.id = "hungry";
    kind.name = "GPU-hungry test task";
    kind.extensions = {".hungry"};
    kind.recognise = [](const FileProbe& probe) { return probe.extension == ".hungry" ? 100 : 0; };
    kind.create = [](const JobSpec& spec) -> std::unique_ptr<Task> { return std::make_unique<GpuHungryTask>(spec); };
    return kind;
}

/// An engine whose "cuda" requests get a (pretend) usable GPU.
EngineOptions withFakeGpu() {
    EngineOptions options;
    options.resolveDevice = [](const device::DeviceRequest& request) {
        if (request.device != "cuda") return device::resolve(request);
        device::DeviceChoice choice;
        choice.device.kind = device::DeviceKind::Cuda;
        choice.device.id = "cuda:0";
        choice.device.name = "Test GPU";
        choice.device.usable = true;
        choice.precision = device::Precision::Fp16;
        choice.deviceReason = "forced: cuda";
        return choice;
    };
    return options;
}

struct LogCollector : EngineObserver {
    std::mutex mutex;
    std::vector<std::string> lines;
    void onJobChanged(const JobSnapshot&) override {}
    void onLog(JobId, const std::string& message) override {
        std::lock_guard<std::mutex> lock(mutex);
        lines.push_back(message);
    }
};

JobSnapshot runHungry(const test::TempDir& dir, const std::string& failAt, const std::string& error,
                      LogCollector* logs = nullptr, const std::string& maxBatch = "",
                      const std::string& bytesPerUnit = "") {
    TaskRegistry registry;
    registry.add(gpuHungryKind());
    EngineOptions options = withFakeGpu();
    options.deviceMemory = [](const std::string& id) -> std::optional<device::DeviceMemory> {
        if (id == "cpu") return std::nullopt;
        return device::DeviceMemory{50000, 1000000};  // a GPU with 50 kB free
    };
    Engine engine(registry, options);
    if (logs) engine.addObserver(logs);
    const std::string input = dir.file("sample.hungry");
    std::ofstream(input) << "x\n";
    JobSpec spec;
    spec.inputs = {input};
    spec.outputDir = dir.file("out");
    spec.device = "cuda";
    spec.options = {{"fail_at", failAt}, {"error", error}, {"max_batch", maxBatch}, {"bytes_per_unit", bytesPerUnit}};
    const JobId id = engine.submit(spec);
    REQUIRE(engine.wait(id, 60.0));
    const JobSnapshot job = *engine.snapshot(id);
    if (logs) engine.removeObserver(logs);
    return job;
}

const std::string kCudaOom =
    "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total capacity; 6.10 GiB already allocated)";

}  // namespace

TEST_CASE("a GPU that runs out of memory while loading: the job runs again on the CPU and says so",
          "[engine][fallback]") {
    test::TempDir dir;
    LogCollector logs;
    const JobSnapshot job = runHungry(dir, "load", kCudaOom, &logs);
    INFO(job.error);
    REQUIRE(job.state == JobState::Done);
    CHECK(job.deviceFellBack);
    CHECK_THAT(job.deviceReason, ContainsSubstring("fell back to CPU: out of GPU memory") &&
                                     ContainsSubstring("Tried to allocate 2.00 GiB"));
    CHECK_THAT(job.deviceLabel, ContainsSubstring("CPU"));
    // One result folder, named after the input as on a first attempt, with the CPU's result.
    CHECK(fs::path(job.resultDir).filename() == "sample");
    CHECK(test::readFile((fs::path(job.resultDir) / "device.txt").string()) == "cpu 3\n");
    CHECK(job.progress.done == job.progress.total);
    bool logged = false;
    for (const auto& line : logs.lines) logged = logged || line.find("fell back to CPU: out of GPU memory") == 0;
    CHECK(logged);
}

TEST_CASE("a GPU that runs out of memory in a batch: the job starts over on the CPU, nothing doubled",
          "[engine][fallback]") {
    test::TempDir dir;
    const JobSnapshot job = runHungry(dir, "run", "MPS backend out of memory (MPS allocated: 17.00 GB)");
    INFO(job.error);
    REQUIRE(job.state == JobState::Done);
    CHECK(job.deviceFellBack);
    CHECK(test::readFile((fs::path(job.resultDir) / "device.txt").string()) == "cpu 3\n");
    CHECK(job.progress.done == 3.0);
    CHECK(!fs::exists(dir.file("out/sample-2")));
}

TEST_CASE("a batch too large for the GPU runs in smaller batches there before any CPU fallback", "[engine][fallback]") {
    test::TempDir dir;
    LogCollector logs;
    const JobSnapshot job = runHungry(dir, "none", kCudaOom, &logs, "1");
    INFO(job.error);
    REQUIRE(job.state == JobState::Done);
    CHECK_FALSE(job.deviceFellBack);
    CHECK(test::readFile((fs::path(job.resultDir) / "device.txt").string()) == "cuda:0 3\n");
    // 3 items did not fit, nor 1 + 2; the halves of the halves did, in input order.
    CHECK(test::readFile((fs::path(job.resultDir) / "batches.txt").string()) == "1,1,1\n");
    CHECK(job.progress.done == 3.0);
    bool logged = false;
    for (const auto& line : logs.lines)
        logged = logged || line == "out of GPU memory at a batch of 3 items: running smaller batches";
    CHECK(logged);
}

TEST_CASE("on a GPU the batch budget fits the free memory the task's batches need", "[engine][fallback]") {
    test::TempDir dir;
    LogCollector logs;
    // 2000 bytes per unit, 50 kB free: 60% fits 15 units, so one 10-unit item per batch (declared: 8192 units).
    const JobSnapshot job = runHungry(dir, "none", kCudaOom, &logs, "", "2000");
    INFO(job.error);
    REQUIRE(job.state == JobState::Done);
    CHECK(test::readFile((fs::path(job.resultDir) / "batches.txt").string()) == "1,1,1\n");
    bool logged = false;
    for (const auto& line : logs.lines)
        logged = logged || line == "batch budget 15 units (declared 8192) for 0 MiB free on cuda:0";
    CHECK(logged);

    BatchLimits limits;
    limits.unitBudget = 1000;
    CHECK(adaptBudgetToMemory(limits, 1 << 30).unitBudget == 1000);  // no cost declared: unchanged
    limits.bytesPerUnit = 100;
    CHECK(adaptBudgetToMemory(limits, 100000).unitBudget == 600);       // 60% of free memory
    CHECK(adaptBudgetToMemory(limits, 1ull << 40).unitBudget == 4000);  // at most 4x the declared budget
    CHECK(adaptBudgetToMemory(limits, 10).unitBudget == 1);             // never below one unit
}

TEST_CASE("other GPU errors fail the job without a CPU retry", "[engine][fallback]") {
    test::TempDir dir;
    const JobSnapshot job = runHungry(dir, "load", "CUDA error: an illegal memory access was encountered");
    CHECK(job.state == JobState::Failed);
    CHECK_FALSE(job.deviceFellBack);
    CHECK_THAT(job.error, ContainsSubstring("illegal memory access"));
    CHECK(!fs::exists(dir.file("out/sample")));
}

TEST_CASE("out-of-memory messages are recognised", "[engine][fallback]") {
    CHECK(isOutOfMemoryMessage(kCudaOom));
    CHECK(isOutOfMemoryMessage("MPS backend out of memory (MPS allocated: 17.00 GB)"));
    CHECK(isOutOfMemoryMessage("cuda:0: CUDA error: out of memory"));
    CHECK_FALSE(isOutOfMemoryMessage("CUDA error: device-side assert triggered"));
    CHECK_FALSE(isOutOfMemoryMessage("sample.csv: file not found"));
    // The engine's check: libtorch's typed error, else the message of an error a task re-threw.
    CHECK(device::isOutOfMemory(std::runtime_error("talk.wav: " + std::string(kCudaOom))));
    CHECK_FALSE(device::isOutOfMemory(std::runtime_error("talk.wav: not an audio file")));
}
