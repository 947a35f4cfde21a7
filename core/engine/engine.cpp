#include "core/engine/engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/engine/input_plan.h"
#include "core/engine/latency_stats.h"
#include "core/engine/output_publisher.h"
#include "core/engine/pipeline.h"
#include "core/engine/shard.h"
#include "core/engine/thread_pool.h"
#include "platform/cpu/cpu_info.h"

namespace fs = std::filesystem;

namespace benchtop::engine {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

/// Everything the engine tracks about one job. The snapshot is guarded by `mutex`.
struct JobRecord {
    std::mutex mutex;
    JobSnapshot snap;
    std::atomic<bool> cancelRequested{false};
    OutputPublisher outputs;  ///< the job's .part files and their publication
    device::DeviceChoice choice;
    Clock::time_point runStart = Clock::now();
    Clock::time_point lastNotify{};
    LatencyStats batchLatency;
    std::int64_t realUnits = 0;
    std::int64_t paddedUnits = 0;
    double expectedTotal = 0.0;
    /// Set when the job runs again on the CPU after its GPU ran out of memory: the first line of that error.
    std::string outOfMemory;
};

struct Engine::Impl {
    TaskRegistry registry;
    EngineOptions options;
    // Declared before the executors: destroyed after their threads are joined.
    ModelCache models;

    mutable std::mutex mutex;
    std::condition_variable changed;  // any job state change; wakes drivers and waiters
    std::map<JobId, std::shared_ptr<JobRecord>> jobs;
    std::deque<JobId> pending;
    JobId nextId = 1;
    bool stopping = false;
    std::vector<std::thread> drivers;

    std::mutex executorsMutex;
    std::map<std::string, std::unique_ptr<DeviceExecutor>> executors;
    std::unique_ptr<ThreadPool> cpuPool;

    std::mutex observersMutex;
    std::vector<EngineObserver*> observers;

    void notify(JobRecord& record, bool force);
    void driverLoop();
    void runJob(const std::shared_ptr<JobRecord>& record);
    /// After a GPU ran out of memory: forget the first attempt's progress so the job starts over on the CPU.
    void resetForCpuRetry(JobRecord& record, const std::string& error);
    void setState(JobRecord& record, JobState state, const std::string& error = {});
    DeviceExecutor& executorFor(const std::string& deviceId);
    void updateMetrics(JobRecord& record);
    /// Forgets the oldest finished jobs beyond EngineOptions::keepFinishedJobs.
    void pruneHistory();
};

namespace {

/// The TaskContext handed to a job's task.
class JobContext final : public TaskContext {
public:
    JobContext(Engine::Impl& engine, std::shared_ptr<JobRecord> record)
        : m_engine(engine), m_record(std::move(record)) {}

    JobId jobId() const override { return m_record->snap.id; }
    const JobSpec& spec() const override { return m_spec(); }
    const device::DeviceChoice& device() const override { return m_record->choice; }
    bool cancelled() const override { return m_record->cancelRequested.load(); }

    void setExpectedTotal(double total) override {
        {
            std::lock_guard<std::mutex> lock(m_record->mutex);
            m_record->expectedTotal = total;
            // A task may correct its estimate either way (a file shorter than its header said); never below
            // what is done.
            m_record->snap.progress.total = std::max(total, m_record->snap.progress.done);
        }
        m_engine.notify(*m_record, false);
    }

    void addProgress(double units) override {
        {
            std::lock_guard<std::mutex> lock(m_record->mutex);
            m_record->snap.progress.done += units;
            m_engine.updateMetrics(*m_record);
        }
        m_engine.notify(*m_record, false);
    }

    std::string outputPath(const std::string& fileName) override { return m_record->outputs.partPath(fileName); }

    void setSummary(const std::string& summary) override {
        {
            std::lock_guard<std::mutex> lock(m_record->mutex);
            m_record->snap.summary = summary;
        }
        m_engine.notify(*m_record, true);
    }

    void log(const std::string& message) override {
        std::lock_guard<std::mutex> lock(m_engine.observersMutex);
        for (auto* o : m_engine.observers) o->onLog(m_record->snap.id, message);
    }

    ModelCache* models() override { return &m_engine.models; }

private:
    const JobSpec& m_spec() const { return m_record->snap.spec; }
    Engine::Impl& m_engine;
    std::shared_ptr<JobRecord> m_record;
};

}  // namespace

namespace {

/// Creates "<outputDir>/<stem>", or "<stem>-2", "<stem>-3", ... when that name is taken (an earlier run, a
/// job of the same name in this batch or in another process): create_directory either makes the folder or
/// reports that it exists, atomically, so no two jobs ever share one and finished results stay untouched.
std::string reserveResultFolder(const JobSpec& spec) {
    const fs::path root = spec.outputDir.empty() ? fs::current_path() : fs::path(spec.outputDir);
    std::error_code ec;
    fs::create_directories(root, ec);
    if (ec || !fs::is_directory(root)) {
        throw Error(root.string(), "cannot create the output folder: " +
                                       (ec ? ec.message() : std::string("a file of that name is in the way")));
    }
    // A part of a split job gets a folder of its own kind ("corpus.shard-1-of-4"): `merge` reads those.
    const std::string stem = resultStem(spec.inputs) + shardOf(spec).folderSuffix();
    for (int n = 1; n <= 10000; ++n) {
        const fs::path dir = root / (n == 1 ? stem : stem + "-" + std::to_string(n));
        if (fs::create_directory(dir, ec)) return dir.string();
        if (ec && !fs::exists(dir)) throw Error(dir.string(), "cannot create the job's result folder: " + ec.message());
    }
    throw Error((root / stem).string(),
                "10000 result folders of this name exist already; clean up or choose another output folder");
}

}  // namespace

void Engine::Impl::updateMetrics(JobRecord& r) {
    auto& p = r.snap.progress;
    auto& m = r.snap.metrics;
    const double elapsed = secondsSince(r.runStart);
    p.elapsedSeconds = elapsed;
    p.ratePerSecond = elapsed > 0 ? p.done / elapsed : 0.0;
    p.etaSeconds = (p.total > 0 && p.ratePerSecond > 0) ? std::max(0.0, (p.total - p.done) / p.ratePerSecond) : -1.0;
    m.wallSeconds = elapsed;
    m.workUnits = p.done;
    m.workUnit = p.unit;
    m.itemsPerSecond = elapsed > 0 ? static_cast<double>(m.items) / elapsed : 0.0;
    m.unitsPerSecond = p.ratePerSecond;
    m.batches = r.batchLatency.count();
    m.batchLatencyP50Ms = r.batchLatency.p50Ms();
    m.batchLatencyP95Ms = r.batchLatency.p95Ms();
    m.batchLatencyP99Ms = r.batchLatency.p99Ms();
    m.batchLatencyMaxMs = r.batchLatency.maxMs();
    m.paddingEfficiency =
        r.paddedUnits > 0 ? static_cast<double>(r.realUnits) / static_cast<double>(r.paddedUnits) : 1.0;
    m.peakRssBytes = platform::processPeakRssBytes();
}

void Engine::Impl::notify(JobRecord& record, bool force) {
    JobSnapshot copy;
    {
        std::lock_guard<std::mutex> lock(record.mutex);
        const auto now = Clock::now();
        if (!force && now - record.lastNotify < std::chrono::milliseconds(100)) return;
        record.lastNotify = now;
        copy = record.snap;
    }
    std::lock_guard<std::mutex> lock(observersMutex);
    for (auto* o : observers) o->onJobChanged(copy);
}

void Engine::Impl::setState(JobRecord& record, JobState state, const std::string& error) {
    {
        std::lock_guard<std::mutex> lock(record.mutex);
        record.snap.state = state;
        if (!error.empty()) record.snap.error = error;
        if (state == JobState::Running) record.runStart = Clock::now();
        if (isFinished(state)) {
            updateMetrics(record);
            record.snap.progress.etaSeconds = state == JobState::Done ? 0.0 : -1.0;
        }
    }
    notify(record, true);
    if (isFinished(state)) pruneHistory();
    // Waiters check finished states under the engine mutex.
    { std::lock_guard<std::mutex> lock(mutex); }
    changed.notify_all();
}

DeviceExecutor& Engine::Impl::executorFor(const std::string& deviceId) {
    std::lock_guard<std::mutex> lock(executorsMutex);
    auto& slot = executors[deviceId];
    if (!slot) slot = std::make_unique<DeviceExecutor>(deviceId);
    return *slot;
}

void Engine::Impl::driverLoop() {
    for (;;) {
        std::shared_ptr<JobRecord> record;
        {
            std::unique_lock<std::mutex> lock(mutex);
            changed.wait(lock, [this] { return stopping || !pending.empty(); });
            if (stopping) return;
            const JobId id = pending.front();
            pending.pop_front();
            record = jobs.at(id);
        }
        runJob(record);
    }
}

namespace {

/// One attempt at running a job, as a sequence of steps on its own state: choose the task and the device,
/// reserve the result folder, create and load the task, run the windowed pipeline, finish and publish.
/// Whatever happens, abandon() leaves no queued work, no loaded model and no .part file behind.
class JobRun {
public:
    JobRun(Engine::Impl& engine, std::shared_ptr<JobRecord> record)
        : m_engine(engine), m_record(std::move(record)), m_ctx(engine, m_record), m_spec(m_record->snap.spec) {}
    ~JobRun() { abandon(); }

    /// Runs every step; throws on failure or cancellation (the caller sets the final state).
    void execute() {
        checkInputs();
        const TaskKind& kind = chooseTask();
        if (shardOf(m_spec).split() && !kind.shardable())
            throw Error("--shard", kind.name + " jobs cannot be split into parts; run them whole.");
        chooseDevice();
        reserveResultFolder(kind);
        m_task = kind.create(m_spec);
        if (!m_task) throw Error(kind.id, "the task could not be created");
        {
            std::lock_guard<std::mutex> lock(m_record->mutex);
            m_record->snap.progress.unit = kind.workUnit.name;
            m_record->snap.progress.mediaSeconds = kind.workUnit.mediaSeconds;
        }
        m_executor = &m_engine.executorFor(m_record->choice.device.id);
        m_ctx.throwIfCancelled();
        m_executor->call([&] { m_task->load(m_ctx); }, threads());
        m_loaded = true;
        m_engine.setState(*m_record, JobState::Running);

        std::vector<Item> items = runPipeline();
        m_task->finish(m_ctx, items);
        m_ctx.throwIfCancelled();
        unload();
        publish();
    }

    /// Cleans up after a failure or cancellation: unloads the task and removes the job's .part files (and its
    /// folder when nothing else is in it). Safe to call more than once.
    void abandon() {
        if (m_abandoned) return;
        m_abandoned = true;
        if (m_published) return;
        if (m_loaded) {
            try {
                unload();
            } catch (...) {
            }
        }
        m_record->outputs.discard();
        const std::string dir = m_record->outputs.folder();
        std::error_code ec;
        if (!dir.empty()) fs::remove(fs::path(dir) / kJobMarkerName, ec);
        if (!dir.empty() && fs::is_empty(dir, ec) && !ec) fs::remove(dir, ec);
    }

    TaskContext& context() { return m_ctx; }

private:
    int threads() const { return m_record->choice.threads; }

    void checkInputs() const {
        if (m_spec.inputs.empty()) throw Error("job", "no input files were given");
        for (const auto& input : m_spec.inputs) {
            std::error_code ec;
            if (!fs::exists(input, ec)) throw Error(input, "file not found");
        }
    }

    /// The spec's task, else the one that recognises the first input.
    const TaskKind& chooseTask() {
        const TaskRegistry& registry = m_engine.registry;
        const TaskKind* kind = nullptr;
        if (!m_spec.task.empty() && m_spec.task != "auto") {
            kind = registry.find(m_spec.task);
            if (!kind) {
                std::string known;
                for (const auto& k : registry.kinds()) known += (known.empty() ? "" : ", ") + k.id;
                throw Error(m_spec.task,
                            "unknown task (known tasks: " + (known.empty() ? std::string("none") : known) + ")");
            }
        } else {
            const FileProbe probe = probeFile(m_spec.inputs.front());
            kind = registry.recognise(probe);
            if (!kind) {
                std::string known;
                for (const auto& k : registry.kinds()) known += (known.empty() ? "" : ", ") + k.name;
                throw Error(m_spec.inputs.front(),
                            "no task handles this file (unrecognised file type '" +
                                (probe.extension.empty() ? std::string("no extension") : probe.extension) + "'; " +
                                (known.empty() ? std::string("no workloads are installed in this build")
                                               : "available: " + known) +
                                ")");
            }
        }
        {
            std::lock_guard<std::mutex> lock(m_record->mutex);
            m_record->snap.task = kind->id;
            m_record->snap.taskName = kind->name;
        }
        return *kind;
    }

    /// Device and precision: the job's spec over the engine's defaults (settings / environment); the CPU after
    /// the GPU ran out of memory.
    void chooseDevice() {
        device::DeviceRequest request;
        {
            std::lock_guard<std::mutex> lock(m_engine.mutex);
            request = m_engine.options.defaults;
        }
        if (!m_spec.device.empty()) request.device = m_spec.device;
        if (!m_spec.precision.empty()) request.precision = m_spec.precision;
        if (m_spec.threads > 0) request.threads = m_spec.threads;
        if (!m_record->outOfMemory.empty()) {
            device::DeviceRequest cpu = request;
            cpu.device = "cpu";
            cpu.precision = "auto";
            m_record->choice = device::resolve(cpu);
            m_record->choice.fellBack = true;
            m_record->choice.deviceReason = "fell back to CPU: out of GPU memory (" + m_record->outOfMemory + ")";
        } else {
            m_record->choice =
                m_engine.options.resolveDevice ? m_engine.options.resolveDevice(request) : device::resolve(request);
        }
        {
            std::lock_guard<std::mutex> lock(m_record->mutex);
            m_record->snap.deviceLabel = m_record->choice.label();
            m_record->snap.deviceReason = m_record->choice.deviceReason + "; " + m_record->choice.precisionReason;
            m_record->snap.deviceFellBack = m_record->choice.fellBack;
        }
        m_engine.notify(*m_record, true);
    }

    void reserveResultFolder(const TaskKind& kind) {
        const std::string dir = benchtop::engine::reserveResultFolder(m_spec);
        m_record->outputs.setFolder(dir);
        writeJobMarker(dir, kind.id, m_spec.inputs);
        {
            std::lock_guard<std::mutex> lock(m_record->mutex);
            m_record->snap.resultDir = dir;
        }
        m_engine.notify(*m_record, true);
    }

    std::vector<Item> runPipeline() {
        JobRecord& record = *m_record;
        Engine::Impl& engine = m_engine;
        WindowedPipeline::Hooks hooks;
        hooks.itemsRead = [&record](double emittedWork) {
            std::lock_guard<std::mutex> lock(record.mutex);
            record.snap.progress.total = std::max(record.expectedTotal, emittedWork);
        };
        hooks.batchDone = [&record, &engine](const BatchStats& stats, double work) {
            {
                std::lock_guard<std::mutex> lock(record.mutex);
                record.batchLatency.add(stats.seconds * 1000.0);
                record.realUnits += stats.realUnits;
                record.paddedUnits += stats.paddedUnits;
                record.snap.metrics.items += stats.items;
                record.snap.progress.done += work;
                engine.updateMetrics(record);
            }
            {
                std::lock_guard<std::mutex> lock(engine.observersMutex);
                for (auto* o : engine.observers) o->onBatch(record.snap.id, stats);
            }
            engine.notify(record, false);
        };
        const bool gpu = m_record->choice.device.kind != device::DeviceKind::Cpu;
        std::optional<std::uint64_t> freeBytes;
        if (gpu) {
            const std::string& id = m_record->choice.device.id;
            const auto memory =
                m_engine.options.deviceMemory ? m_engine.options.deviceMemory(id) : device::deviceMemory(id);
            if (memory) freeBytes = memory->freeBytes;
        }
        WindowedPipeline pipeline(*m_task, m_ctx, *m_executor, *m_engine.cpuPool, threads(), std::move(hooks), gpu,
                                  freeBytes);
        return pipeline.run();
    }

    void unload() {
        m_loaded = false;
        m_executor->call([&] { m_task->unload(m_ctx); }, threads());
    }

    /// Every .part becomes its final name only now that the whole job succeeded.
    void publish() {
        std::vector<std::string> results = m_record->outputs.publish();
        m_published = true;
        std::lock_guard<std::mutex> lock(m_record->mutex);
        m_record->snap.resultFiles = std::move(results);
        m_record->snap.progress.done = std::max(m_record->snap.progress.done, m_record->snap.progress.total);
    }

    Engine::Impl& m_engine;
    std::shared_ptr<JobRecord> m_record;
    JobContext m_ctx;
    const JobSpec m_spec;
    std::unique_ptr<Task> m_task;
    DeviceExecutor* m_executor = nullptr;
    bool m_loaded = false;
    bool m_published = false;
    bool m_abandoned = false;
};

}  // namespace

void Engine::Impl::runJob(const std::shared_ptr<JobRecord>& record) {
    if (record->cancelRequested) {
        setState(*record, JobState::Cancelled);
        return;
    }
    setState(*record, JobState::Preparing);
    std::string outOfMemory;
    {
        JobRun run(*this, record);
        try {
            run.execute();
            setState(*record, JobState::Done);
            return;
        } catch (const CancelledError&) {
            run.abandon();
            setState(*record, JobState::Cancelled);
            return;
        } catch (const std::exception& e) {
            run.abandon();
            if (record->cancelRequested) {
                setState(*record, JobState::Cancelled);
            } else if (record->outOfMemory.empty() && record->choice.device.kind != device::DeviceKind::Cpu &&
                       device::isOutOfMemory(e)) {
                outOfMemory = e.what();
            } else {
                setState(*record, JobState::Failed, e.what());
            }
        } catch (...) {
            run.abandon();
            setState(*record, JobState::Failed, "unknown error");
        }
    }
    if (!outOfMemory.empty()) {
        // Out of GPU memory at load or run: free the GPU models no job holds and run the job again on the CPU
        // (after this attempt's task and items are gone).
        models.clear(record->choice.device.id);  // the CPU's cached models stay
        resetForCpuRetry(*record, outOfMemory);
        JobContext(*this, record).log("fell back to CPU: out of GPU memory (" + record->outOfMemory + ")");
        runJob(record);
    }
}

void Engine::Impl::pruneHistory() {
    const std::size_t keep = options.keepFinishedJobs;
    if (keep == 0) return;
    std::lock_guard<std::mutex> lock(mutex);
    std::vector<JobId> finished;
    for (const auto& [id, record] : jobs) {
        std::lock_guard<std::mutex> recordLock(record->mutex);
        if (isFinished(record->snap.state)) finished.push_back(id);
    }
    // Ids grow with submission: the oldest finished jobs go first.
    for (std::size_t i = 0; i + keep < finished.size(); ++i) jobs.erase(finished[i]);
}

void Engine::Impl::resetForCpuRetry(JobRecord& record, const std::string& error) {
    std::string first = error.substr(0, error.find('\n'));
    if (first.size() > 200) first = first.substr(0, 200) + "...";
    std::lock_guard<std::mutex> lock(record.mutex);
    record.outOfMemory = first.empty() ? std::string("out of memory") : first;
    record.outputs.reset();
    record.batchLatency = LatencyStats();
    record.realUnits = 0;
    record.paddedUnits = 0;
    record.expectedTotal = 0.0;
    record.snap.progress.done = 0.0;
    record.snap.progress.total = 0.0;
    record.snap.resultDir.clear();
    record.snap.resultFiles.clear();
    record.snap.metrics = {};
    record.runStart = Clock::now();
}

bool isOutOfMemoryMessage(const std::string& message) {
    return toLowerAscii(message).find("out of memory") != std::string::npos;
}

Engine::Engine(TaskRegistry registry, EngineOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->registry = std::move(registry);
    m_impl->options = options;
    m_impl->cpuPool = std::make_unique<ThreadPool>(options.cpuPoolThreads, "cpu");
    const int drivers = std::max(1, options.maxConcurrentJobs);
    for (int i = 0; i < drivers; ++i) m_impl->drivers.emplace_back([impl = m_impl.get()] { impl->driverLoop(); });
}

Engine::~Engine() {
    cancelAll();
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->changed.notify_all();
    for (auto& t : m_impl->drivers)
        if (t.joinable()) t.join();
    // Jobs still queued never ran: report them cancelled.
    for (const auto id : m_impl->pending) m_impl->setState(*m_impl->jobs.at(id), JobState::Cancelled);
    m_impl->executors.clear();
    m_impl->cpuPool.reset();
}

JobId Engine::submit(JobSpec spec) {
    // A task alias ("transcribe") names its kind and sets the alias's options.
    if (!spec.task.empty() && spec.task != "auto")
        if (const TaskKind* kind = m_impl->registry.resolve(spec.task, spec.options)) spec.task = kind->id;
    auto record = std::make_shared<JobRecord>();
    JobId id = 0;
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        id = m_impl->nextId++;
        record->snap.id = id;
        record->snap.spec = std::move(spec);
        record->snap.task = record->snap.spec.task;
        m_impl->jobs[id] = record;
        m_impl->pending.push_back(id);
    }
    m_impl->notify(*record, true);
    m_impl->changed.notify_all();
    return id;
}

bool Engine::cancel(JobId id) {
    std::shared_ptr<JobRecord> record;
    bool wasPending = false;
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        const auto it = m_impl->jobs.find(id);
        if (it == m_impl->jobs.end()) return false;
        record = it->second;
        {
            std::lock_guard<std::mutex> recordLock(record->mutex);
            if (isFinished(record->snap.state)) return false;
        }
        record->cancelRequested = true;
        const auto p = std::find(m_impl->pending.begin(), m_impl->pending.end(), id);
        if (p != m_impl->pending.end()) {
            m_impl->pending.erase(p);
            wasPending = true;
        }
    }
    if (wasPending) m_impl->setState(*record, JobState::Cancelled);
    return true;
}

void Engine::cancelAll() {
    std::vector<JobId> ids;
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        for (const auto& [id, record] : m_impl->jobs) ids.push_back(id);
    }
    for (const auto id : ids) cancel(id);
}

std::optional<JobSnapshot> Engine::snapshot(JobId id) const {
    std::shared_ptr<JobRecord> record;
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        const auto it = m_impl->jobs.find(id);
        if (it == m_impl->jobs.end()) return std::nullopt;
        record = it->second;
    }
    std::lock_guard<std::mutex> lock(record->mutex);
    return record->snap;
}

std::vector<JobSnapshot> Engine::snapshots() const {
    std::vector<std::shared_ptr<JobRecord>> records;
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        for (const auto& [id, record] : m_impl->jobs) records.push_back(record);
    }
    std::vector<JobSnapshot> out;
    for (const auto& r : records) {
        std::lock_guard<std::mutex> lock(r->mutex);
        out.push_back(r->snap);
    }
    return out;
}

bool Engine::wait(JobId id, double timeoutSeconds) {
    std::shared_ptr<JobRecord> record;
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        const auto it = m_impl->jobs.find(id);
        if (it == m_impl->jobs.end()) return true;
        record = it->second;
    }
    const auto finished = [&] {
        std::lock_guard<std::mutex> lock(record->mutex);
        return isFinished(record->snap.state);
    };
    std::unique_lock<std::mutex> lock(m_impl->mutex);
    if (timeoutSeconds < 0) {
        m_impl->changed.wait(lock, finished);
        return true;
    }
    return m_impl->changed.wait_for(lock, std::chrono::duration<double>(timeoutSeconds), finished);
}

void Engine::waitAll() {
    std::vector<JobId> ids;
    {
        std::lock_guard<std::mutex> lock(m_impl->mutex);
        for (const auto& [id, record] : m_impl->jobs) ids.push_back(id);
    }
    for (const auto id : ids) wait(id);
}

void Engine::addObserver(EngineObserver* observer) {
    std::lock_guard<std::mutex> lock(m_impl->observersMutex);
    m_impl->observers.push_back(observer);
}

void Engine::removeObserver(EngineObserver* observer) {
    std::lock_guard<std::mutex> lock(m_impl->observersMutex);
    m_impl->observers.erase(std::remove(m_impl->observers.begin(), m_impl->observers.end(), observer),
                            m_impl->observers.end());
}

const TaskRegistry& Engine::registry() const {
    return m_impl->registry;
}
ModelCache& Engine::models() {
    return m_impl->models;
}

std::future<void> Engine::runOnDevice(const std::string& deviceId, std::function<void()> fn, int threads) {
    const int t = threads > 0 ? threads : std::max(1, platform::cpuInfo().physicalCores);
    return m_impl->executorFor(deviceId.empty() ? std::string("cpu") : deviceId).post(std::move(fn), t);
}

void Engine::setDefaults(const device::DeviceRequest& defaults) {
    std::lock_guard<std::mutex> lock(m_impl->mutex);
    m_impl->options.defaults = defaults;
}

}  // namespace benchtop::engine
