#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace benchtop::platform {

/// One reading of one GPU.
struct GpuSample {
    int index = 0;
    std::string name;
    double utilizationPercent = 0.0;  ///< 0..100
    std::uint64_t memoryUsedBytes = 0;
    std::uint64_t memoryTotalBytes = 0;
    double temperatureC = -1.0;  ///< < 0 when unknown
    double powerWatts = -1.0;    ///< < 0 when unknown
};

/// GPU telemetry behind one interface: NVML (loaded at run time), Apple IORegistry, or none.
class GpuMonitor {
public:
    virtual ~GpuMonitor() = default;
    /// "nvml", "apple" or "none".
    virtual std::string backend() const = 0;
    /// True when sample() can return readings.
    virtual bool available() const = 0;
    /// Human-readable state, e.g. "NVML 12.535.104: 1 GPU" or "no NVIDIA driver (libnvidia-ml.so.1 not found)".
    virtual std::string status() const = 0;
    /// Current readings, one per GPU; empty when unavailable. Never throws.
    virtual std::vector<GpuSample> sample() = 0;
};

/// The best monitor for this machine: NVML when the driver library loads, Apple on macOS, else the null one.
std::unique_ptr<GpuMonitor> createGpuMonitor();

/// A monitor that never has readings; `reason` is returned by status().
std::unique_ptr<GpuMonitor> createNullGpuMonitor(std::string reason);

}  // namespace benchtop::platform
