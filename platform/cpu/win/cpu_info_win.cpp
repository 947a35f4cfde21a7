// Windows: Win32 system information, PSAPI process counters and the registry.
#include "platform/cpu/cpu_info.h"
#include "platform/cpu/cpu_info_os.h"

#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
// psapi.h needs windows.h first.
#include <psapi.h>

#include <string>
#include <thread>
#include <vector>

namespace benchtop::platform {

namespace {

std::uint64_t fileTimeTicks(const FILETIME& t) {
    return (static_cast<std::uint64_t>(t.dwHighDateTime) << 32) | t.dwLowDateTime;
}

int countPhysicalCores() {
    DWORD size = 0;
    GetLogicalProcessorInformationEx(RelationProcessorCore, nullptr, &size);
    if (GetLastError() != ERROR_INSUFFICIENT_BUFFER || size == 0) return 0;
    std::vector<char> buffer(size);
    auto* first = reinterpret_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(buffer.data());
    if (!GetLogicalProcessorInformationEx(RelationProcessorCore, first, &size)) return 0;
    // Entries have variable size; each RelationProcessorCore entry is one physical core.
    int cores = 0;
    for (DWORD offset = 0; offset < size;) {
        auto* entry = reinterpret_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(buffer.data() + offset);
        if (entry->Relationship == RelationProcessorCore) ++cores;
        offset += entry->Size;
    }
    return cores;
}

std::string registryProcessorName() {
    char value[256] = {};
    DWORD size = sizeof(value);
    if (RegGetValueA(HKEY_LOCAL_MACHINE, "HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0", "ProcessorNameString",
                     RRF_RT_REG_SZ, nullptr, value, &size) != ERROR_SUCCESS)
        return {};
    std::string name(value);
    const auto first = name.find_first_not_of(' ');
    const auto last = name.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : name.substr(first, last - first + 1);
}

bool processCounters(PROCESS_MEMORY_COUNTERS& pmc) {
    return GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc)) != 0;
}

}  // namespace

namespace detail {

OsCpuFacts readOsCpuFacts() {
    OsCpuFacts facts;
    facts.modelName = registryProcessorName();  // also names Arm64 CPUs, where CPUID does not exist
    facts.physicalCores = countPhysicalCores();
    facts.logicalCores = static_cast<int>(std::thread::hardware_concurrency());
    return facts;
}

bool readCpuTimes(CpuTimes& times) {
    FILETIME idle, kernel, user;
    if (!GetSystemTimes(&idle, &kernel, &user)) return false;
    // Kernel time includes idle time.
    times.total = fileTimeTicks(kernel) + fileTimeTicks(user);
    times.busy = times.total - fileTimeTicks(idle);
    return true;
}

}  // namespace detail

MemoryInfo memoryInfo() {
    MemoryInfo m;
    MEMORYSTATUSEX status;
    status.dwLength = sizeof(status);
    if (GlobalMemoryStatusEx(&status)) {
        m.totalBytes = status.ullTotalPhys;
        m.availableBytes = status.ullAvailPhys;
    }
    return m;
}

std::uint64_t processRssBytes() {
    PROCESS_MEMORY_COUNTERS pmc{};
    return processCounters(pmc) ? pmc.WorkingSetSize : 0;
}

std::uint64_t processPeakRssBytes() {
    PROCESS_MEMORY_COUNTERS pmc{};
    return processCounters(pmc) ? pmc.PeakWorkingSetSize : 0;
}

bool resetProcessPeakRss() {
    return false;  // PeakWorkingSetSize cannot be reset for the own process
}

void tuneMemoryAllocator() {}

void useOpenMpPassiveWaiting(char**) {}

}  // namespace benchtop::platform
