#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include <cstdint>

#include "ui/background_job.h"

namespace benchtop::ui {

/// One reading of the machine, taken off the GUI thread.
struct TelemetrySample {
    double timeSeconds = 0.0;  ///< monotonic seconds since the sampler started
    double cpuPercent = 0.0;   ///< whole machine, 0..100
    std::uint64_t processRssBytes = 0;
    bool gpuAvailable = false;
    double gpuUtilizationPercent = 0.0;     ///< mean over GPUs, 0..100
    std::uint64_t gpuMemoryUsedBytes = 0;   ///< summed over GPUs
    std::uint64_t gpuMemoryTotalBytes = 0;  ///< summed over GPUs
};

/// Samples CPU usage, process RSS and GPU telemetry (core's device::MachineSampler) as a BackgroundJob at a
/// fixed interval and emits `sampled` on the GUI thread. GPU libraries such as NVML are loaded by the job, so a
/// slow driver never blocks the window.
class TelemetrySampler : public QObject {
    Q_OBJECT
public:
    explicit TelemetrySampler(QObject* parent = nullptr);
    ~TelemetrySampler() override;  ///< stops without waiting: nothing is emitted afterwards

    /// Starts sampling every `intervalMs` (restarts when running).
    void start(int intervalMs = 250);
    /// Stops at once: the sampling loop winds down on its own and nothing it reads is emitted any more.
    void stop();
    bool isRunning() const { return m_job.isRunning() && !m_job.isCancelled(); }
    int intervalMs() const { return m_intervalMs; }

Q_SIGNALS:
    void sampled(const benchtop::ui::TelemetrySample& sample);
    /// The GPU monitor's state once known ("NVML ...: 1 GPU", "no NVIDIA driver ...").
    void gpuStatus(const QString& backend, const QString& status, bool available);

private:
    int m_intervalMs = 250;
    BackgroundJob m_job;
};

}  // namespace benchtop::ui

Q_DECLARE_METATYPE(benchtop::ui::TelemetrySample)
