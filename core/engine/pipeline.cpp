#include "core/engine/pipeline.h"

#include <chrono>
#include <exception>

#include "core/device/device.h"
#include "core/engine/batcher.h"
#include "core/engine/thread_pool.h"

namespace benchtop::engine {
namespace {

using Clock = std::chrono::steady_clock;

void waitAll(std::vector<std::future<void>>& futures) {
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
}

}  // namespace

WindowedPipeline::WindowedPipeline(Task& task, TaskContext& ctx, DeviceExecutor& executor, ThreadPool& cpu, int threads,
                                   Hooks hooks, bool splitOnOutOfMemory, std::optional<std::uint64_t> freeDeviceBytes)
    : m_task(task),
      m_ctx(ctx),
      m_executor(executor),
      m_cpu(cpu),
      m_threads(threads),
      m_hooks(std::move(hooks)),
      m_limits(task.batchLimits()),
      m_splitOnOutOfMemory(splitOnOutOfMemory) {
    if (freeDeviceBytes && m_limits.bytesPerUnit > 0) {
        const std::int64_t declared = m_limits.unitBudget;
        m_limits = adaptBudgetToMemory(m_limits, *freeDeviceBytes);
        if (m_limits.unitBudget != declared)
            m_ctx.log("batch budget " + std::to_string(m_limits.unitBudget) + " units (declared " +
                      std::to_string(declared) + ") for " + std::to_string(*freeDeviceBytes >> 20) + " MiB free on " +
                      m_ctx.device().device.id);
    }
}

void WindowedPipeline::runBatch(const std::vector<Item*>& batch) {
    try {
        m_task.run(m_ctx, batch);
        return;
    } catch (const std::exception& e) {
        if (!m_splitOnOutOfMemory || batch.size() < 2 || !device::isOutOfMemory(e)) throw;
    }
    // Out of device memory: give the allocator's cached blocks back and run the batch in two halves.
    device::releaseCachedMemory(m_ctx.device().device.id);
    if (!m_reportedSplit) {
        m_reportedSplit = true;
        m_ctx.log("out of GPU memory at a batch of " + std::to_string(batch.size()) +
                  " items: running smaller batches");
    }
    const auto middle = batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2);
    runBatch(std::vector<Item*>(batch.begin(), middle));
    m_ctx.throwIfCancelled();
    runBatch(std::vector<Item*>(middle, batch.end()));
}

WindowedPipeline::~WindowedPipeline() {
    drain();
}

void WindowedPipeline::drain() {
    m_aborted = true;
    for (auto* list : {&m_prepared, &m_previousBatches, &m_currentBatches}) {
        for (auto& f : *list) {
            try {
                if (f.valid()) f.get();
            } catch (...) {
            }
        }
        list->clear();
    }
}

void WindowedPipeline::flushWindow(std::size_t end) {
    if (end <= m_windowStart) return;
    waitAll(m_prepared);
    std::vector<std::int64_t> lengths;
    lengths.reserve(end - m_windowStart);
    for (std::size_t i = m_windowStart; i < end; ++i) lengths.push_back(m_items[i].length);
    BatchLimits windowLimits = m_limits;
    windowLimits.sortWindow = m_limits.sortWindow == 0 ? 0 : lengths.size();
    const auto plan = planBatches(lengths, windowLimits);
    waitAll(m_previousBatches);
    m_previousBatches = std::move(m_currentBatches);
    m_currentBatches.clear();
    for (const auto& planned : plan) {
        std::vector<Item*> batch;
        double work = 0.0;
        for (const auto idx : planned.indices) {
            batch.push_back(&m_items[m_windowStart + idx]);
            work += m_items[m_windowStart + idx].work;
        }
        const auto real = planned.realUnits;
        const auto padded = planned.paddedUnits;
        m_currentBatches.push_back(m_executor.post(
            [this, batch = std::move(batch), work, real, padded] {
                if (m_aborted) return;
                m_ctx.throwIfCancelled();
                const auto start = Clock::now();
                runBatch(batch);
                BatchStats stats;
                stats.items = static_cast<std::int64_t>(batch.size());
                stats.realUnits = real;
                stats.paddedUnits = padded;
                stats.seconds = std::chrono::duration<double>(Clock::now() - start).count();
                if (m_hooks.batchDone) m_hooks.batchDone(stats, work);
            },
            m_threads));
    }
    m_windowStart = end;
}

std::vector<Item> WindowedPipeline::run() {
    const std::size_t window = m_limits.sortWindow == 0 ? std::size_t(4096) : m_limits.sortWindow;
    double emittedWork = 0.0;
    try {
        m_task.read(m_ctx, [&](Item&& item) {
            m_ctx.throwIfCancelled();
            item.index = m_items.size();
            emittedWork += item.work;
            m_items.push_back(std::move(item));
            Item* stored = &m_items.back();
            m_prepared.push_back(m_cpu.submit([this, stored] {
                if (!m_aborted) m_task.prepare(m_ctx, *stored);
            }));
            if (m_hooks.itemsRead) m_hooks.itemsRead(emittedWork);
            if (m_items.size() - m_windowStart >= window) flushWindow(m_items.size());
        });
        flushWindow(m_items.size());
        if (m_hooks.itemsRead) m_hooks.itemsRead(emittedWork);
        waitAll(m_previousBatches);
        waitAll(m_currentBatches);
    } catch (...) {
        drain();
        throw;
    }
    m_ctx.throwIfCancelled();
    std::vector<Item> ordered;
    ordered.reserve(m_items.size());
    for (auto& item : m_items) ordered.push_back(std::move(item));
    m_items.clear();
    return ordered;
}

}  // namespace benchtop::engine
