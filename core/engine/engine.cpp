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
#include "core/engine/thread_pool.h"
#include "platform/cpu/cpu_info.h"

namespace fs = std::filesystem;

namespace benchtop::engine {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const double rank = p * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(rank);
    const auto hi = std::min(values.size() - 1, lo + 1);
    return values[lo] + (values[hi] - values[lo]) * (rank - static_cast<double>(lo));
}

}  // namespace

/// Everything the engine tracks about one job. The snapshot is guarded by `mutex`.
struct JobRecord {
    std::mutex mutex;
    JobSnapshot snap;
    std::atomic<bool> cancelRequested{false};
    std::vector<std::string> partFiles;
    device::DeviceChoice choice;
    Clock::time_point runStart = Clock::now();
    Clock::time_point lastNotify{};
    std::vector<double> batchMs;
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
};

namespace {

/// The TaskContext handed to a job's task.
class JobContext final : public TaskContext {
public:
    JobContext(Engine::Impl& engine, std::shared_ptr<JobRecord> record) : m_engine(engine), m_record(std::move(record)) {}

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

    std::string outputPath(const std::string& fileName) override {
        std::lock_guard<std::mutex> lock(m_record->mutex);
        if (m_record->snap.resultDir.empty()) throw Error(fileName, "the job has no result folder yet");
        const std::string part = (fs::path(m_record->snap.resultDir) / (fileName + ".part")).string();
        if (std::find(m_record->partFiles.begin(), m_record->partFiles.end(), part) == m_record->partFiles.end())
            m_record->partFiles.push_back(part);
        return part;
    }

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
    const std::string stem = resultStem(spec.inputs);
    for (int n = 1; n <= 10000; ++n) {
        const fs::path dir = root / (n == 1 ? stem : stem + "-" + std::to_string(n));
        if (fs::create_directory(dir, ec)) return dir.string();
        if (ec && !fs::exists(dir)) throw Error(dir.string(), "cannot create the job's result folder: " + ec.message());
    }
    throw Error((root / stem).string(), "10000 result folders of this name exist already; clean up or choose another output folder");
}

/// Marks a result folder as Benchtop's own (the planner never reads such a folder as input) and records
/// what made it.
void writeJobMarker(const std::string& dir, const JobSpec& spec, const std::string& task) {
    const nlohmann::json marker = {{"task", task}, {"inputs", spec.inputs}};
    std::ofstream(fs::path(dir) / kJobMarkerName, std::ios::binary) << marker.dump(2) << "\n";
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
    m.batches = static_cast<std::int64_t>(r.batchMs.size());
    m.batchLatencyP50Ms = percentile(r.batchMs, 0.50);
    m.batchLatencyP95Ms = percentile(r.batchMs, 0.95);
    m.paddingEfficiency = r.paddedUnits > 0 ? static_cast<double>(r.realUnits) / static_cast<double>(r.paddedUnits) : 1.0;
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

void Engine::Impl::runJob(const std::shared_ptr<JobRecord>& record) {
    if (record->cancelRequested) {
        setState(*record, JobState::Cancelled);
        return;
    }
    setState(*record, JobState::Preparing);
    JobContext ctx(*this, record);
    std::unique_ptr<Task> task;
    DeviceExecutor* executor = nullptr;
    bool loaded = false;
    const JobSpec spec = record->snap.spec;
    // Pipeline state lives outside the try block: queued work references it and must be drained before
    // this function returns, whatever happened.
    std::deque<Item> items;
    std::vector<std::future<void>> prepared;
    std::vector<std::future<void>> previousBatches;
    std::vector<std::future<void>> currentBatches;
    std::atomic<bool> aborted{false};
    std::string resultDir;
    const auto drain = [&] {
        aborted = true;
        for (auto* list : {&prepared, &previousBatches, &currentBatches}) {
            for (auto& f : *list) {
                try {
                    if (f.valid()) f.get();
                } catch (...) {
                }
            }
            list->clear();
        }
    };

    const auto cleanupParts = [&] {
        std::vector<std::string> parts;
        {
            std::lock_guard<std::mutex> lock(record->mutex);
            parts = record->partFiles;
        }
        for (const auto& part : parts) {
            std::error_code ec;
            fs::remove(part, ec);
        }
        // The job's own folder goes too when nothing else is in it.
        std::error_code ec;
        if (!resultDir.empty()) fs::remove(fs::path(resultDir) / kJobMarkerName, ec);
        if (!resultDir.empty() && fs::is_empty(resultDir, ec) && !ec) fs::remove(resultDir, ec);
    };

    try {
        if (spec.inputs.empty()) throw Error("job", "no input files were given");
        for (const auto& input : spec.inputs) {
            std::error_code ec;
            if (!fs::exists(input, ec)) throw Error(input, "file not found");
        }

        // Task: forced by the spec, else recognised from the first input.
        const TaskKind* kind = nullptr;
        if (!spec.task.empty() && spec.task != "auto") {
            kind = registry.find(spec.task);
            if (!kind) {
                std::string known;
                for (const auto& k : registry.kinds()) known += (known.empty() ? "" : ", ") + k.id;
                throw Error(spec.task, "unknown task (known tasks: " + (known.empty() ? std::string("none") : known) + ")");
            }
        } else {
            const FileProbe probe = probeFile(spec.inputs.front());
            kind = registry.recognise(probe);
            if (!kind) {
                std::string known;
                for (const auto& k : registry.kinds()) known += (known.empty() ? "" : ", ") + k.name;
                throw Error(spec.inputs.front(),
                            "no task handles this file (unrecognised file type '" +
                                (probe.extension.empty() ? std::string("no extension") : probe.extension) + "'; " +
                                (known.empty() ? std::string("no workloads are installed in this build")
                                               : "available: " + known) +
                                ")");
            }
        }
        {
            std::lock_guard<std::mutex> lock(record->mutex);
            record->snap.task = kind->id;
            record->snap.taskName = kind->name;
        }

        // Device and precision: job spec over engine defaults (settings / environment).
        device::DeviceRequest request;
        {
            std::lock_guard<std::mutex> lock(mutex);
            request = options.defaults;
        }
        if (!spec.device.empty()) request.device = spec.device;
        if (!spec.precision.empty()) request.precision = spec.precision;
        if (spec.threads > 0) request.threads = spec.threads;
        if (!record->outOfMemory.empty()) {
            // Second attempt after the GPU ran out of memory: the CPU, at the precision auto picks there.
            device::DeviceRequest cpu = request;
            cpu.device = "cpu";
            cpu.precision = "auto";
            record->choice = device::resolve(cpu);
            record->choice.fellBack = true;
            record->choice.deviceReason = "fell back to CPU: out of GPU memory (" + record->outOfMemory + ")";
        } else {
            record->choice = options.resolveDevice ? options.resolveDevice(request) : device::resolve(request);
        }
        {
            std::lock_guard<std::mutex> lock(record->mutex);
            record->snap.deviceLabel = record->choice.label();
            record->snap.deviceReason = record->choice.deviceReason + "; " + record->choice.precisionReason;
            record->snap.deviceFellBack = record->choice.fellBack;
        }
        notify(*record, true);

        resultDir = reserveResultFolder(spec);
        writeJobMarker(resultDir, spec, kind->id);
        {
            std::lock_guard<std::mutex> lock(record->mutex);
            record->snap.resultDir = resultDir;
        }
        notify(*record, true);

        task = kind->create(spec);
        if (!task) throw Error(kind->id, "the task could not be created");
        {
            std::lock_guard<std::mutex> lock(record->mutex);
            record->snap.progress.unit = kind->workUnit.name;
            record->snap.progress.mediaSeconds = kind->workUnit.mediaSeconds;
        }
        executor = &executorFor(record->choice.device.id);
        const int threads = record->choice.threads;
        ctx.throwIfCancelled();
        executor->call([&] { task->load(ctx); }, threads);
        loaded = true;
        setState(*record, JobState::Running);

        // Pipeline: items are prepared on the CPU pool as they are read; each full window is batched and
        // queued on the device while the next window is read and prepared.
        const BatchLimits limits = task->batchLimits();
        const std::size_t window = limits.sortWindow == 0 ? std::size_t(4096) : limits.sortWindow;
        std::size_t windowStart = 0;
        double emittedWork = 0.0;

        const auto waitAll = [](std::vector<std::future<void>>& futures) {
            std::exception_ptr first;
            for (auto& f : futures) {
                try {
                    f.get();
                } catch (...) {
                    if (!first) first = std::current_exception();
                }
            }
            futures.clear();
            if (first) std::rethrow_exception(first);
        };

        const auto flushWindow = [&](std::size_t end) {
            if (end <= windowStart) return;
            waitAll(prepared);
            std::vector<std::int64_t> lengths;
            lengths.reserve(end - windowStart);
            for (std::size_t i = windowStart; i < end; ++i) lengths.push_back(items[i].length);
            BatchLimits windowLimits = limits;
            windowLimits.sortWindow = limits.sortWindow == 0 ? 0 : lengths.size();
            auto plan = planBatches(lengths, windowLimits);
            // Bound memory and keep the device busy: window k-1 must finish before window k+1 is queued.
            waitAll(previousBatches);
            previousBatches = std::move(currentBatches);
            currentBatches.clear();
            for (auto& planned : plan) {
                std::vector<Item*> batch;
                double work = 0.0;
                for (const auto idx : planned.indices) {
                    batch.push_back(&items[windowStart + idx]);
                    work += items[windowStart + idx].work;
                }
                const auto real = planned.realUnits;
                const auto padded = planned.paddedUnits;
                currentBatches.push_back(executor->post(
                    [&, batch = std::move(batch), work, real, padded] {
                        if (aborted) return;
                        ctx.throwIfCancelled();
                        const auto start = Clock::now();
                        task->run(ctx, batch);
                        BatchStats stats;
                        stats.items = static_cast<std::int64_t>(batch.size());
                        stats.realUnits = real;
                        stats.paddedUnits = padded;
                        stats.seconds = secondsSince(start);
                        {
                            std::lock_guard<std::mutex> lock(record->mutex);
                            record->batchMs.push_back(stats.seconds * 1000.0);
                            record->realUnits += real;
                            record->paddedUnits += padded;
                            record->snap.metrics.items += stats.items;
                            record->snap.progress.done += work;
                            updateMetrics(*record);
                        }
                        {
                            std::lock_guard<std::mutex> lock(observersMutex);
                            for (auto* o : observers) o->onBatch(record->snap.id, stats);
                        }
                        notify(*record, false);
                    },
                    threads));
            }
            windowStart = end;
        };

        task->read(ctx, [&](Item&& item) {
            ctx.throwIfCancelled();
            item.index = items.size();
            emittedWork += item.work;
            items.push_back(std::move(item));
            Item* stored = &items.back();
            prepared.push_back(cpuPool->submit([&, stored] {
                if (!aborted) task->prepare(ctx, *stored);
            }));
            {
                std::lock_guard<std::mutex> lock(record->mutex);
                record->snap.progress.total = std::max(record->expectedTotal, emittedWork);
            }
            if (items.size() - windowStart >= window) flushWindow(items.size());
        });
        flushWindow(items.size());
        {
            std::lock_guard<std::mutex> lock(record->mutex);
            record->snap.progress.total = std::max(record->expectedTotal, emittedWork);
        }
        waitAll(previousBatches);
        waitAll(currentBatches);
        ctx.throwIfCancelled();

        std::vector<Item> ordered;
        ordered.reserve(items.size());
        for (auto& item : items) ordered.push_back(std::move(item));
        items.clear();
        task->finish(ctx, ordered);
        ctx.throwIfCancelled();
        executor->call([&] { task->unload(ctx); }, threads);
        loaded = false;

        // Publish: every .part becomes its final name only now that the whole job succeeded.
        std::vector<std::string> parts;
        {
            std::lock_guard<std::mutex> lock(record->mutex);
            parts = record->partFiles;
        }
        std::vector<std::string> results;
        for (const auto& part : parts) {
            std::error_code ec;
            if (!fs::exists(part, ec)) continue;  // a task may open a path and decide not to write it
            const std::string finalPath = part.substr(0, part.size() - 5);
            fs::rename(part, finalPath, ec);
            if (ec) throw Error(finalPath, "cannot move the finished result into place: " + ec.message());
            results.push_back(finalPath);
        }
        {
            std::lock_guard<std::mutex> lock(record->mutex);
            record->snap.resultFiles = results;
            record->snap.progress.done = std::max(record->snap.progress.done, record->snap.progress.total);
        }
        setState(*record, JobState::Done);
        return;
    } catch (const CancelledError&) {
        drain();
        cleanupParts();
        if (loaded && executor) {
            try {
                executor->call([&] { task->unload(ctx); }, record->choice.threads);
            } catch (...) {
            }
        }
        setState(*record, JobState::Cancelled);
        return;
    } catch (const std::exception& e) {
        drain();
        cleanupParts();
        if (loaded && executor) {
            try {
                executor->call([&] { task->unload(ctx); }, record->choice.threads);
            } catch (...) {
            }
        }
        if (record->cancelRequested) {
            setState(*record, JobState::Cancelled);
        } else if (record->outOfMemory.empty() && record->choice.device.kind != device::DeviceKind::Cpu &&
                   isOutOfMemoryMessage(e.what())) {
            // Out of GPU memory at load or run: free the GPU models no job holds and run the job again on the CPU.
            items.clear();
            task.reset();
            models.clear(record->choice.device.id);  // the CPU's cached models stay
            resetForCpuRetry(*record, e.what());
            ctx.log("fell back to CPU: out of GPU memory (" + record->outOfMemory + ")");
            runJob(record);
        } else {
            setState(*record, JobState::Failed, e.what());
        }
        return;
    } catch (...) {
        drain();
        cleanupParts();
        setState(*record, JobState::Failed, "unknown error");
    }
}

void Engine::Impl::resetForCpuRetry(JobRecord& record, const std::string& error) {
    std::string first = error.substr(0, error.find('\n'));
    if (first.size() > 200) first = first.substr(0, 200) + "...";
    std::lock_guard<std::mutex> lock(record.mutex);
    record.outOfMemory = first.empty() ? std::string("out of memory") : first;
    record.partFiles.clear();
    record.batchMs.clear();
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

const TaskRegistry& Engine::registry() const { return m_impl->registry; }
ModelCache& Engine::models() { return m_impl->models; }

std::future<void> Engine::runOnDevice(const std::string& deviceId, std::function<void()> fn, int threads) {
    const int t = threads > 0 ? threads : std::max(1, platform::cpuInfo().physicalCores);
    return m_impl->executorFor(deviceId.empty() ? std::string("cpu") : deviceId).post(std::move(fn), t);
}

void Engine::setDefaults(const device::DeviceRequest& defaults) {
    std::lock_guard<std::mutex> lock(m_impl->mutex);
    m_impl->options.defaults = defaults;
}

}  // namespace benchtop::engine
