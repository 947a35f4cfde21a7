// Linux: /proc and /sys.
#include "platform/cpu/cpu_info.h"
#include "platform/cpu/cpu_info_os.h"

#include <dirent.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

namespace benchtop::platform {

namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

/// Splits "key\t: value" lines as found in /proc/cpuinfo.
bool splitKeyValue(const std::string& line, std::string& key, std::string& value) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) return false;
    key = trim(line.substr(0, colon));
    value = trim(line.substr(colon + 1));
    return true;
}

/// The value of "<key>: <number> kB" in a /proc file such as meminfo or self/status, in bytes.
std::uint64_t readKbField(const char* path, const std::string& key) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() && line[key.size()] == ':')
            return std::strtoull(line.c_str() + key.size() + 1, nullptr, 10) * 1024ull;
    }
    return 0;
}

int readIntFile(const std::string& path) {
    std::ifstream in(path);
    int v = -1;
    in >> v;
    return in ? v : -1;
}

/// Cores from /sys topology, for kernels / architectures whose /proc/cpuinfo has no core ids.
int physicalCoresFromSys() {
    std::set<std::pair<int, int>> cores;
    DIR* dir = opendir("/sys/devices/system/cpu");
    if (!dir) return 0;
    while (dirent* e = readdir(dir)) {
        const std::string name = e->d_name;
        if (name.size() < 4 || name.compare(0, 3, "cpu") != 0 || !std::isdigit(static_cast<unsigned char>(name[3])))
            continue;
        const std::string base = "/sys/devices/system/cpu/" + name + "/topology/";
        const int package = readIntFile(base + "physical_package_id");
        const int core = readIntFile(base + "core_id");
        if (core >= 0) cores.emplace(package, core);
    }
    closedir(dir);
    return static_cast<int>(cores.size());
}

}  // namespace

namespace detail {

OsCpuFacts readOsCpuFacts() {
    OsCpuFacts facts;
    std::ifstream in("/proc/cpuinfo");
    std::string line, key, value, fallbackName;
    std::set<std::pair<int, int>> cores;
    int physicalId = 0;
    while (std::getline(in, line)) {
        if (!splitKeyValue(line, key, value)) continue;
        if (key == "model name" && facts.modelName.empty())
            facts.modelName = value;
        else if ((key == "Hardware" || key == "Model") && fallbackName.empty())
            fallbackName = value;  // Arm boards name the SoC here instead of "model name".
        else if (key == "physical id")
            physicalId = std::atoi(value.c_str());
        else if (key == "core id")
            cores.emplace(physicalId, std::atoi(value.c_str()));
    }
    if (facts.modelName.empty()) facts.modelName = fallbackName;
    facts.physicalCores = cores.empty() ? physicalCoresFromSys() : static_cast<int>(cores.size());
    // Online processors: the same count std::thread::hardware_concurrency() reports.
    facts.logicalCores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
    return facts;
}

bool readCpuTimes(CpuTimes& times) {
    std::ifstream in("/proc/stat");
    std::string label;
    in >> label;
    if (!in || label != "cpu") return false;
    // user nice system idle iowait irq softirq steal; guest time is already counted in user.
    std::uint64_t v[8] = {};
    for (auto& x : v) in >> x;
    if (!in) return false;
    const std::uint64_t idle = v[3] + v[4];
    std::uint64_t total = 0;
    for (auto x : v) total += x;
    times.total = total;
    times.busy = total - idle;
    return true;
}

}  // namespace detail

MemoryInfo memoryInfo() {
    MemoryInfo m;
    m.totalBytes = readKbField("/proc/meminfo", "MemTotal");
    m.availableBytes = readKbField("/proc/meminfo", "MemAvailable");
    if (m.availableBytes == 0)  // kernels before 3.14 have no MemAvailable
        m.availableBytes = readKbField("/proc/meminfo", "MemFree") + readKbField("/proc/meminfo", "Cached");
    return m;
}

std::uint64_t processRssBytes() {
    return readKbField("/proc/self/status", "VmRSS");
}

std::uint64_t processPeakRssBytes() {
    return readKbField("/proc/self/status", "VmHWM");
}

void useOpenMpPassiveWaiting(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY") || std::getenv("BENCHTOP_OMP_REEXEC") || !argv || !argv[0]) return;
    ::setenv("OMP_WAIT_POLICY", "passive", 1);
    ::setenv("BENCHTOP_OMP_REEXEC", "1", 1);  // never twice, whatever happens
    ::execv("/proc/self/exe", argv);
    // Still here: the exec failed; run on with the default policy.
}

bool resetProcessPeakRss() {
    // Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
    FILE* f = std::fopen("/proc/self/clear_refs", "w");
    if (!f) return false;
    const bool ok = std::fputs("5", f) >= 0;
    return std::fclose(f) == 0 && ok;
}

void tuneMemoryAllocator() {
#if defined(__GLIBC__)
    static const bool done = [] {
        // Tensors up to 256 MiB come from the heap instead of fresh mmaps, and freed memory stays mapped
        // (trimmed only beyond 512 MiB): a transformer forward reallocates the same sizes every layer. One
        // arena: per-thread arenas grow in 64 MiB heaps that are unmapped and faulted in again batch after
        // batch (measured: 5 % of a text job's time in page faults).
        mallopt(M_ARENA_MAX, 1);
        mallopt(M_MMAP_THRESHOLD, 256 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
        return true;
    }();
    (void)done;
#endif
}

}  // namespace benchtop::platform
