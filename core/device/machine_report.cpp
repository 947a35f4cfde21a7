#include "core/device/machine_report.h"

#include <cstdlib>

#include <cstdio>
#include <exception>
#include <sstream>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/utsname.h>
#endif

#include "platform/cpu/cpu_info.h"
#include "platform/gpu/gpu_monitor.h"

namespace benchtop::device {
namespace {

CpuSummary readCpuSummary() {
    const platform::CpuInfo& cpu = platform::cpuInfo();
    CpuSummary summary;
    summary.model = cpu.modelName;
    summary.arch = cpu.arch;
    summary.physicalCores = cpu.physicalCores;
    summary.logicalCores = cpu.logicalCores;
    summary.features = platform::featureNames(cpu.features);
    summary.hasFastBf16 = cpu.features.amxBf16 || cpu.features.avx512bf16;
    return summary;
}

GpuMonitorSummary summarize(const platform::GpuMonitor& monitor) {
    return {monitor.backend(), monitor.status(), monitor.available()};
}

std::unique_ptr<platform::GpuMonitor> createMonitor() {
    try {
        return platform::createGpuMonitor();
    } catch (const std::exception& e) {
        return platform::createNullGpuMonitor(e.what());
    }
}

std::string gib(std::uint64_t bytes) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return buffer;
}

std::string mib(std::uint64_t bytes) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.0f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buffer;
}

}  // namespace

const CpuSummary& cpuSummary() {
    static const CpuSummary summary = readCpuSummary();
    return summary;
}

MemorySummary memorySummary() {
    const platform::MemoryInfo memory = platform::memoryInfo();
    return {memory.totalBytes, memory.availableBytes};
}

std::string osDescription() {
#if defined(__APPLE__)
    std::string name = "macOS";
#elif defined(_WIN32)
    std::string name = "Windows";
#elif defined(__linux__)
    std::string name = "Linux";
#else
    std::string name = "Unknown OS";
#endif
#if defined(__unix__) || defined(__APPLE__)
    // The kernel release says which Linux (or Darwin) it is; the marketing name would need more probing.
    struct utsname uts {};
    if (uname(&uts) == 0 && uts.release[0] != '\0') name += std::string(" ") + uts.release;
#endif
    return name;
}

GpuMonitorSummary gpuMonitorSummary() {
    return summarize(*createMonitor());
}

std::uint64_t processRssBytes() {
    return platform::processRssBytes();
}
std::uint64_t processPeakRssBytes() {
    return platform::processPeakRssBytes();
}
bool resetProcessPeakRss() {
    return platform::resetProcessPeakRss();
}

MachineReport machineReport() {
    MachineReport report;
    report.cpu = cpuSummary();
    report.memory = memorySummary();
    report.os = osDescription();
    report.gpu = gpuMonitorSummary();
    report.processRssBytes = processRssBytes();
    return report;
}

std::string formatMachineReport(const MachineReport& report) {
    std::ostringstream out;
    out << "CPU: " << (report.cpu.model.empty() ? std::string("unknown") : report.cpu.model) << " ("
        << report.cpu.physicalCores << " cores / " << report.cpu.logicalCores << " threads, " << report.cpu.arch
        << ")\n";
    out << "Features:";
    if (report.cpu.features.empty()) out << " none detected";
    for (const std::string& feature : report.cpu.features) out << ' ' << feature;
    out << "\nMemory: " << gib(report.memory.totalBytes) << " (" << gib(report.memory.availableBytes)
        << " available)\n";
    out << "OS: " << report.os << "\n";
    out << "GPU telemetry: " << report.gpu.status << " [" << report.gpu.backend << "]\n";
    out << "Process memory (RSS): " << mib(report.processRssBytes) << "\n";
    return out.str();
}

void setUpProcess(char** argv) {
    // The re-execution for OMP_WAIT_POLICY must come first: nothing else should run twice.
    platform::useOpenMpPassiveWaiting(argv);
    platform::tuneMemoryAllocator();
#if defined(__APPLE__)
    // On MPS an operator libtorch has no Metal kernel for runs on the CPU instead of failing the job (PyTorch's
    // PYTORCH_ENABLE_MPS_FALLBACK=1); a value the user set is kept. Written for macOS, untested on Apple hardware.
    ::setenv("PYTORCH_ENABLE_MPS_FALLBACK", "1", 0);
#endif
}

struct MachineSampler::Impl {
    std::unique_ptr<platform::GpuMonitor> gpu = createMonitor();
    platform::CpuUsageSampler cpu;
};

MachineSampler::MachineSampler() : m_impl(std::make_unique<Impl>()) {
    m_gpu = summarize(*m_impl->gpu);
}

MachineSampler::~MachineSampler() = default;

MachineSample MachineSampler::sample() {
    MachineSample sample;
    sample.cpuPercent = m_impl->cpu.sample();
    sample.processRssBytes = platform::processRssBytes();
    if (!m_impl->gpu->available()) return sample;
    const std::vector<platform::GpuSample> readings = m_impl->gpu->sample();
    if (readings.empty()) return sample;
    sample.gpuAvailable = true;
    double utilisation = 0.0;
    for (const platform::GpuSample& reading : readings) {
        utilisation += reading.utilizationPercent;
        sample.gpuMemoryUsedBytes += reading.memoryUsedBytes;
        sample.gpuMemoryTotalBytes += reading.memoryTotalBytes;
    }
    sample.gpuUtilizationPercent = utilisation / double(readings.size());
    return sample;
}

}  // namespace benchtop::device
