#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace benchtop::platform {

/// Instruction-set extensions that matter for inference speed and precision choice.
struct CpuFeatures {
    bool sse42 = false;
    bool avx = false;
    bool avx2 = false;
    bool fma = false;
    bool f16c = false;
    bool avx512f = false;
    bool avx512bw = false;
    bool avx512vnni = false;
    bool avx512bf16 = false;
    bool avx512fp16 = false;
    bool amxTile = false;
    bool amxBf16 = false;
    bool amxInt8 = false;
    bool neon = false;  ///< Arm NEON / ASIMD
};

/// Static facts about the processor, read once.
struct CpuInfo {
    std::string modelName;  ///< e.g. "Intel(R) Xeon(R) Platinum 8480+"
    std::string arch;       ///< "x86_64", "arm64", ...
    int physicalCores = 1;
    int logicalCores = 1;
    CpuFeatures features;
};

/// Returns the processor facts (cached after the first call; thread-safe).
const CpuInfo& cpuInfo();

/// Names of the features that are present, lower-case ("avx2", "avx512_bf16", "amx_bf16", ...).
std::vector<std::string> featureNames(const CpuFeatures& features);

/// System memory in bytes.
struct MemoryInfo {
    std::uint64_t totalBytes = 0;
    std::uint64_t availableBytes = 0;
};
MemoryInfo memoryInfo();

/// Resident set size of this process in bytes (0 when unknown).
std::uint64_t processRssBytes();
/// Peak resident set size of this process in bytes (0 when unknown).
std::uint64_t processPeakRssBytes();
/// Starts a new peak-RSS measurement (Linux: /proc/self/clear_refs); false where the OS cannot.
bool resetProcessPeakRss();
/// Keeps freed tensor memory in the process for reuse (glibc: no mmap/munmap per large tensor, whose page
/// faults cost more than inference kernels on small machines). Call first thing in main(), before threads
/// start. Idempotent; a no-op elsewhere.
void tuneMemoryAllocator();
/// OpenMP threads that sleep when idle instead of spinning (OMP_WAIT_POLICY=passive): an idle or waiting
/// intra-op thread then leaves its core to the job's other threads (tokenizing, reading, the window) - a
/// spinning pool made jobs several times slower under contention, at ~0.5 ms per decoder token of wake-ups.
/// libgomp reads the policy once when it is loaded, before main(), so on Linux this re-executes the program
/// with the variable set (once; an OMP_WAIT_POLICY the user set is kept). Call first thing in main();
/// returns only when nothing needs changing or the re-execution failed. A no-op elsewhere.
void useOpenMpPassiveWaiting(char** argv);

/// Whole-machine CPU utilisation between successive calls of sample().
class CpuUsageSampler {
public:
    CpuUsageSampler();
    /// Percent busy (0..100, all cores together) since the previous call or construction.
    double sample();

private:
    std::uint64_t m_lastBusy = 0;
    std::uint64_t m_lastTotal = 0;
};

}  // namespace benchtop::platform
