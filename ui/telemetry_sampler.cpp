#include "ui/telemetry_sampler.h"

#include <chrono>

#include "core/device/machine_report.h"

namespace benchtop::ui {

TelemetrySampler::TelemetrySampler(QObject* parent) : QObject(parent) {
    qRegisterMetaType<TelemetrySample>("benchtop::ui::TelemetrySample");
}

TelemetrySampler::~TelemetrySampler() = default;  // m_job's destructor cancels the loop

void TelemetrySampler::start(int intervalMs) {
    stop();
    m_intervalMs = intervalMs < 50 ? 50 : intervalMs;
    const int interval = m_intervalMs;
    // Posts run on the GUI thread while m_job (so this sampler) exists; a restart drops the old loop's posts.
    m_job.start([this, interval](const JobControl& control) {
        using Clock = std::chrono::steady_clock;
        const auto started = Clock::now();
        device::MachineSampler machine;  // loads the GPU library here, off the GUI thread
        const device::GpuMonitorSummary gpu = machine.gpu();
        control.post([this, control, gpu]() {
            if (!control.isCancelled())
                Q_EMIT gpuStatus(QString::fromStdString(gpu.backend), QString::fromStdString(gpu.status),
                                 gpu.available);
        });

        const auto step = std::chrono::milliseconds(interval);
        auto next = Clock::now();
        for (;;) {
            next += step;
            const auto now = Clock::now();
            if (next > now && control.waitForCancel(std::chrono::duration_cast<std::chrono::milliseconds>(next - now)))
                return;
            if (control.isCancelled()) return;
            // After a long stall (suspend, debugger) restart the schedule instead of bursting.
            if (Clock::now() - next > step * 4) next = Clock::now();

            const device::MachineSample reading = machine.sample();
            TelemetrySample sample;
            sample.timeSeconds = std::chrono::duration<double>(Clock::now() - started).count();
            sample.cpuPercent = reading.cpuPercent;
            sample.processRssBytes = reading.processRssBytes;
            sample.gpuAvailable = reading.gpuAvailable;
            sample.gpuUtilizationPercent = reading.gpuUtilizationPercent;
            sample.gpuMemoryUsedBytes = reading.gpuMemoryUsedBytes;
            sample.gpuMemoryTotalBytes = reading.gpuMemoryTotalBytes;
            control.post([this, control, sample]() {
                if (!control.isCancelled()) Q_EMIT sampled(sample);  // nothing after stop()
            });
        }
    });
}

void TelemetrySampler::stop() {
    m_job.cancel();
}

}  // namespace benchtop::ui
