#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace benchtop::device {

/// The processor, read once (cached after the first call; thread-safe).
struct CpuSummary {
    std::string model;  ///< e.g. "Intel(R) Xeon(R) Platinum 8480+"; "CPU" when the OS does not say
    std::string arch;   ///< "x86_64", "arm64", ...
    int physicalCores = 1;
    int logicalCores = 1;
    std::vector<std::string> features;  ///< present ISA extensions, lower-case ("avx2", "amx_bf16", ...)
    bool hasFastBf16 = false;           ///< AMX-BF16 or AVX512-BF16
};
const CpuSummary& cpuSummary();

/// System memory now.
struct MemorySummary {
    std::uint64_t totalBytes = 0;
    std::uint64_t availableBytes = 0;
};
MemorySummary memorySummary();

/// The operating system, e.g. "Linux 6.1.0-18-amd64" or "macOS"; never empty.
std::string osDescription();

/// Whether GPU telemetry works here and through what.
struct GpuMonitorSummary {
    std::string backend;  ///< "nvml", "apple" or "none"
    std::string status;   ///< e.g. "NVML 12.535.104: 1 GPU" or "no NVIDIA driver (libnvidia-ml.so.1 not found)"
    bool available = false;
};
/// Probes the GPU monitor. Loads the driver library (NVML) the first time: slow, so not on a GUI thread.
GpuMonitorSummary gpuMonitorSummary();

/// Resident set size of this process in bytes (0 when unknown).
std::uint64_t processRssBytes();
/// Peak resident set size of this process in bytes (0 when unknown).
std::uint64_t processPeakRssBytes();
/// Starts a new peak-RSS measurement; false where the OS cannot.
bool resetProcessPeakRss();

/// Everything Benchtop knows about the machine it runs on, for About boxes, `devices` and bug reports.
struct MachineReport {
    CpuSummary cpu;
    MemorySummary memory;
    std::string os;
    GpuMonitorSummary gpu;
    std::uint64_t processRssBytes = 0;
};
/// Collects the report (probes the GPU monitor: see gpuMonitorSummary()).
MachineReport machineReport();
/// The report as plain text, one fact per line ("CPU: <model> (8 cores / 16 threads)", "Memory: ...").
std::string formatMachineReport(const MachineReport& report);

/// Process set-up for the programs' main(): OpenMP threads that sleep when idle (OMP_WAIT_POLICY=passive; on
/// Linux this re-executes the program once with the variable set, keeping one the user set) and an allocator
/// that keeps freed tensor memory for reuse. Call first thing in main(), before any thread starts.
void setUpProcess(char** argv);  // on macOS also PYTORCH_ENABLE_MPS_FALLBACK=1 unless set

/// One reading of the machine's load.
struct MachineSample {
    double cpuPercent = 0.0;  ///< whole machine, 0..100, since the previous sample
    std::uint64_t processRssBytes = 0;
    bool gpuAvailable = false;              ///< the GPU readings below are real
    double gpuUtilizationPercent = 0.0;     ///< mean over GPUs, 0..100
    std::uint64_t gpuMemoryUsedBytes = 0;   ///< summed over GPUs
    std::uint64_t gpuMemoryTotalBytes = 0;  ///< summed over GPUs
};

/// Takes successive load readings (CPU %, process RSS, GPU utilisation and memory). Construction probes the GPU
/// monitor (slow the first time: build it on the thread that samples). Not thread-safe; never throws from sample().
class MachineSampler {
public:
    MachineSampler();
    ~MachineSampler();
    MachineSampler(const MachineSampler&) = delete;
    MachineSampler& operator=(const MachineSampler&) = delete;

    /// The GPU monitor this sampler reads.
    const GpuMonitorSummary& gpu() const { return m_gpu; }
    /// Load since the previous call (or construction).
    MachineSample sample();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    GpuMonitorSummary m_gpu;
};

}  // namespace benchtop::device
