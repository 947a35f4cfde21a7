#pragma once

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/device/device.h"
#include "core/engine/job.h"
#include "core/engine/task.h"

namespace benchtop::engine {

/// Receives engine events on engine threads; implementations must be thread-safe and quick.
class EngineObserver {
public:
    virtual ~EngineObserver() = default;
    /// State changes always; progress at most ~10 times a second per job.
    virtual void onJobChanged(const JobSnapshot& job) = 0;
    virtual void onBatch(JobId id, const BatchStats& batch) {}
    virtual void onLog(JobId id, const std::string& message) {}
};

struct EngineOptions {
    int maxConcurrentJobs = 2;
    int cpuPoolThreads = 0;  ///< 0 = logical cores
    /// Finished jobs kept for snapshot() (the oldest are forgotten beyond this; observers saw their final
    /// state). 0 = keep every job. A long-running window or server stays bounded in memory.
    std::size_t keepFinishedJobs = 1000;
    /// Defaults for jobs that leave device/precision/threads empty (settings, environment).
    device::DeviceRequest defaults;
    /// Resolves a job's device request; empty = device::resolve. Tests inject a GPU here.
    std::function<device::DeviceChoice(const device::DeviceRequest&)> resolveDevice;
    /// Free memory of a device for batch budgets; empty = device::deviceMemory. Tests inject a GPU's here.
    std::function<std::optional<device::DeviceMemory>(const std::string& deviceId)> deviceMemory;
};

/// Whether an error message reports that a device ran out of memory ("CUDA out of memory. Tried to allocate
/// ...", "MPS backend out of memory"): the engine then runs the job again on the CPU.
bool isOutOfMemoryMessage(const std::string& message);

/// Queues jobs, runs their tasks on one executor thread per device plus a CPU pool, reports events.
class Engine {
public:
    explicit Engine(TaskRegistry registry, EngineOptions options = {});
    ~Engine();  ///< cancels running jobs and joins every thread
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    /// Queues a job. An unrecognised file or an impossible device request gives a job that fails at
    /// once with the reason (submit itself never throws on bad input).
    JobId submit(JobSpec spec);
    /// Requests cancellation; honoured within one batch. False for unknown or finished jobs.
    bool cancel(JobId id);
    void cancelAll();

    std::optional<JobSnapshot> snapshot(JobId id) const;
    std::vector<JobSnapshot> snapshots() const;

    /// Waits until the job finished; false on timeout (timeoutSeconds < 0 waits forever).
    bool wait(JobId id, double timeoutSeconds = -1.0);
    void waitAll();

    void addObserver(EngineObserver* observer);
    void removeObserver(EngineObserver* observer);

    const TaskRegistry& registry() const;
    /// Models kept loaded between jobs (tasks borrow them through TaskContext::models()).
    ModelCache& models();
    /// Runs `fn` on the thread of device `deviceId` ("cpu", "cuda:0"), in turn with the jobs' batches there,
    /// without autograd, with `threads` intra-op threads (0 = physical cores). Used for work outside jobs that
    /// needs a job's model on its device, e.g. embedding a search query.
    std::future<void> runOnDevice(const std::string& deviceId, std::function<void()> fn, int threads = 0);
    void setDefaults(const device::DeviceRequest& defaults);

    struct Impl;  ///< implementation detail (engine.cpp)

private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace benchtop::engine
