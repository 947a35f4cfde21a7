#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <future>
#include <optional>
#include <vector>

#include "core/engine/task.h"

namespace benchtop::engine {

class DeviceExecutor;
class ThreadPool;

/// The engine's windowed pipeline for one job (internal to core/engine): items are read in input order and
/// prepared on the CPU pool as they arrive; every full window is planned into batches (BatchLimits) and queued
/// on the device executor while the next window is read and prepared. Window k-1 must finish before window
/// k+1 is queued, which bounds memory and keeps the device busy.
class WindowedPipeline {
public:
    struct Hooks {
        /// The work of every item read so far (the progress total until the task says better).
        std::function<void(double emittedWork)> itemsRead;
        /// A batch finished on the device: its stats and the progress work of its items.
        std::function<void(const BatchStats& stats, double work)> batchDone;
    };

    /// `splitOnOutOfMemory`: a batch that runs out of device memory is run again in halves (down to single
    /// items) before the error reaches the engine, which then moves the job to the CPU. For GPUs, not the CPU.
    /// `freeDeviceBytes`: the device's free memory when known (GPUs): the task's budget is fitted to it
    /// (adaptBudgetToMemory) and the job's log says so.
    WindowedPipeline(Task& task, TaskContext& ctx, DeviceExecutor& executor, ThreadPool& cpu, int threads, Hooks hooks,
                     bool splitOnOutOfMemory = false, std::optional<std::uint64_t> freeDeviceBytes = std::nullopt);
    /// Stops queued work and waits for what runs (never leaves work referencing this object).
    ~WindowedPipeline();
    WindowedPipeline(const WindowedPipeline&) = delete;
    WindowedPipeline& operator=(const WindowedPipeline&) = delete;

    /// Reads, prepares and runs every item; returns them in input order. The first error (or CancelledError)
    /// is rethrown after the queued work was drained.
    std::vector<Item> run();

private:
    void flushWindow(std::size_t end);
    /// Runs `batch`; out of device memory (with splitting on) runs each half instead.
    void runBatch(const std::vector<Item*>& batch);
    void drain();

    Task& m_task;
    TaskContext& m_ctx;
    DeviceExecutor& m_executor;
    ThreadPool& m_cpu;
    int m_threads;
    Hooks m_hooks;
    BatchLimits m_limits;
    std::deque<Item> m_items;  // a deque: pointers to items stay valid while more are read
    std::size_t m_windowStart = 0;
    std::vector<std::future<void>> m_prepared;
    std::vector<std::future<void>> m_previousBatches;
    std::vector<std::future<void>> m_currentBatches;
    std::atomic<bool> m_aborted{false};
    bool m_splitOnOutOfMemory = false;
    bool m_reportedSplit = false;  // touched on the device thread only
};

}  // namespace benchtop::engine
