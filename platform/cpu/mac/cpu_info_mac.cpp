// macOS: sysctl hw.* and Mach host / task statistics.
#include "platform/cpu/cpu_info.h"
#include "platform/cpu/cpu_info_os.h"

#include <mach/mach.h>
#include <sys/sysctl.h>
#include <sys/types.h>

#include <string>

namespace benchtop::platform {

namespace {

std::string sysctlString(const char* name) {
    size_t size = 0;
    if (sysctlbyname(name, nullptr, &size, nullptr, 0) != 0 || size == 0) return {};
    std::string value(size, '\0');
    if (sysctlbyname(name, value.data(), &size, nullptr, 0) != 0) return {};
    value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
    return value;
}

template <typename T>
T sysctlNumber(const char* name) {
    T value = 0;
    size_t size = sizeof(value);
    return sysctlbyname(name, &value, &size, nullptr, 0) == 0 ? value : T(0);
}

bool taskBasicInfo(mach_task_basic_info_data_t& info) {
    mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
    return task_info(mach_task_self(), MACH_TASK_BASIC_INFO, reinterpret_cast<task_info_t>(&info), &count) ==
           KERN_SUCCESS;
}

}  // namespace

namespace detail {

OsCpuFacts readOsCpuFacts() {
    OsCpuFacts facts;
    facts.modelName = sysctlString("machdep.cpu.brand_string");  // "Apple M2 Pro" on Apple Silicon
    facts.physicalCores = sysctlNumber<int>("hw.physicalcpu");
    facts.logicalCores = sysctlNumber<int>("hw.logicalcpu");
    return facts;
}

bool readCpuTimes(CpuTimes& times) {
    host_cpu_load_info_data_t load;
    mach_msg_type_number_t count = HOST_CPU_LOAD_INFO_COUNT;
    mach_port_t host = mach_host_self();
    const kern_return_t rc = host_statistics(host, HOST_CPU_LOAD_INFO, reinterpret_cast<host_info_t>(&load), &count);
    mach_port_deallocate(mach_task_self(), host);
    if (rc != KERN_SUCCESS) return false;
    const std::uint64_t user = load.cpu_ticks[CPU_STATE_USER];
    const std::uint64_t system = load.cpu_ticks[CPU_STATE_SYSTEM];
    const std::uint64_t nice = load.cpu_ticks[CPU_STATE_NICE];
    const std::uint64_t idle = load.cpu_ticks[CPU_STATE_IDLE];
    times.busy = user + system + nice;
    times.total = times.busy + idle;
    return true;
}

}  // namespace detail

MemoryInfo memoryInfo() {
    MemoryInfo m;
    m.totalBytes = sysctlNumber<std::uint64_t>("hw.memsize");
    vm_statistics64_data_t vm;
    mach_msg_type_number_t count = HOST_VM_INFO64_COUNT;
    mach_port_t host = mach_host_self();
    if (host_statistics64(host, HOST_VM_INFO64, reinterpret_cast<host_info64_t>(&vm), &count) == KERN_SUCCESS) {
        vm_size_t pageSize = 0;
        host_page_size(host, &pageSize);
        // Free, inactive and speculative pages can be handed to a new allocation without swapping.
        m.availableBytes = (static_cast<std::uint64_t>(vm.free_count) + vm.inactive_count + vm.speculative_count) *
                           static_cast<std::uint64_t>(pageSize);
    }
    mach_port_deallocate(mach_task_self(), host);
    return m;
}

std::uint64_t processRssBytes() {
    mach_task_basic_info_data_t info;
    return taskBasicInfo(info) ? info.resident_size : 0;
}

std::uint64_t processPeakRssBytes() {
    mach_task_basic_info_data_t info;
    return taskBasicInfo(info) ? info.resident_size_max : 0;
}

bool resetProcessPeakRss() {
    return false;  // macOS keeps resident_size_max for the process lifetime
}

void tuneMemoryAllocator() {}

void useOpenMpPassiveWaiting(char**) {}

}  // namespace benchtop::platform
