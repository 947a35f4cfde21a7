#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace benchtop::ui {

/// One reading of the machine, taken off the GUI thread.
struct TelemetrySample {
    double timeSeconds = 0.0;          ///< monotonic seconds since the sampler started
    double cpuPercent = 0.0;           ///< whole machine, 0..100
    std::uint64_t processRssBytes = 0;
    bool gpuAvailable = false;
    double gpuUtilizationPercent = 0.0;  ///< mean over GPUs, 0..100
    std::uint64_t gpuMemoryUsedBytes = 0;   ///< summed over GPUs
    std::uint64_t gpuMemoryTotalBytes = 0;  ///< summed over GPUs
};

/// Samples CPU usage, process RSS and GPU telemetry (platform::GpuMonitor) on its own thread at a fixed
/// interval and emits `sampled` (delivered queued to receivers on the GUI thread). GPU libraries such as
/// NVML are loaded on the sampling thread so a slow driver never blocks the window.
class TelemetrySampler : public QObject {
    Q_OBJECT
public:
    explicit TelemetrySampler(QObject* parent = nullptr);
    ~TelemetrySampler() override;  ///< stops and joins the thread

    /// Starts sampling every `intervalMs` (restarts when running).
    void start(int intervalMs = 250);
    void stop();
    bool isRunning() const { return m_thread.joinable(); }
    int intervalMs() const { return m_intervalMs; }

Q_SIGNALS:
    void sampled(const benchtop::ui::TelemetrySample& sample);
    /// The GPU monitor's state once known ("NVML ...: 1 GPU", "no NVIDIA driver ...").
    void gpuStatus(const QString& backend, const QString& status, bool available);

private:
    void loop();

    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    int m_intervalMs = 250;
};

}  // namespace benchtop::ui

Q_DECLARE_METATYPE(benchtop::ui::TelemetrySample)
