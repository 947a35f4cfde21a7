#include "ui/telemetry_sampler.h"

#include <chrono>
#include <exception>

#include "platform/cpu/cpu_info.h"
#include "platform/gpu/gpu_monitor.h"

namespace benchtop::ui {

TelemetrySampler::TelemetrySampler(QObject* parent) : QObject(parent) {
    qRegisterMetaType<TelemetrySample>("benchtop::ui::TelemetrySample");
}

TelemetrySampler::~TelemetrySampler() { stop(); }

void TelemetrySampler::start(int intervalMs) {
    stop();
    m_intervalMs = intervalMs < 50 ? 50 : intervalMs;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = false;
    }
    m_thread = std::thread([this]() { loop(); });
}

void TelemetrySampler::stop() {
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void TelemetrySampler::loop() {
    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();

    std::unique_ptr<platform::GpuMonitor> gpu;
    try {
        gpu = platform::createGpuMonitor();
    } catch (const std::exception& e) {
        gpu = platform::createNullGpuMonitor(e.what());
    }
    // Signals emitted from this std::thread reach GUI-thread receivers as queued calls.
    Q_EMIT gpuStatus(QString::fromStdString(gpu->backend()), QString::fromStdString(gpu->status()), gpu->available());

    platform::CpuUsageSampler cpu;
    auto next = Clock::now();
    for (;;) {
        next += std::chrono::milliseconds(m_intervalMs);
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            if (m_wake.wait_until(lock, next, [this]() { return m_stop; }))
                return;
        }
        // After a long stall (suspend, debugger) restart the schedule instead of bursting.
        if (Clock::now() - next > std::chrono::milliseconds(m_intervalMs * 4))
            next = Clock::now();

        TelemetrySample sample;
        sample.timeSeconds = std::chrono::duration<double>(Clock::now() - started).count();
        sample.cpuPercent = cpu.sample();
        sample.processRssBytes = platform::processRssBytes();
        if (gpu->available()) {
            const std::vector<platform::GpuSample> readings = gpu->sample();
            if (!readings.empty()) {
                sample.gpuAvailable = true;
                double utilisation = 0.0;
                for (const platform::GpuSample& reading : readings) {
                    utilisation += reading.utilizationPercent;
                    sample.gpuMemoryUsedBytes += reading.memoryUsedBytes;
                    sample.gpuMemoryTotalBytes += reading.memoryTotalBytes;
                }
                sample.gpuUtilizationPercent = utilisation / double(readings.size());
            }
        }
        Q_EMIT sampled(sample);
    }
}

}  // namespace benchtop::ui
