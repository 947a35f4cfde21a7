// Apple GPU telemetry from the IORegistry: every IOAccelerator (AGXAccelerator on Apple Silicon)
// publishes a "PerformanceStatistics" dictionary that Activity Monitor also reads; no root needed.
#include "platform/gpu/gpu_backends.h"

#include <CoreFoundation/CoreFoundation.h>
#include <IOKit/IOKitLib.h>
#include <sys/sysctl.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace benchtop::platform::detail {

namespace {

bool dictNumber(CFDictionaryRef dict, const char* key, std::int64_t& out) {
    CFStringRef cfKey = CFStringCreateWithCString(kCFAllocatorDefault, key, kCFStringEncodingUTF8);
    const void* value = cfKey ? CFDictionaryGetValue(dict, cfKey) : nullptr;
    if (cfKey) CFRelease(cfKey);
    if (!value || CFGetTypeID(value) != CFNumberGetTypeID()) return false;
    return CFNumberGetValue(static_cast<CFNumberRef>(value), kCFNumberSInt64Type, &out);
}

std::string dictString(CFDictionaryRef dict, CFStringRef key) {
    const void* value = CFDictionaryGetValue(dict, key);
    if (!value || CFGetTypeID(value) != CFStringGetTypeID()) return {};
    char buffer[256] = {};
    return CFStringGetCString(static_cast<CFStringRef>(value), buffer, sizeof(buffer), kCFStringEncodingUTF8)
               ? std::string(buffer)
               : std::string();
}

std::uint64_t physicalMemory() {
    std::uint64_t bytes = 0;
    size_t size = sizeof(bytes);
    return sysctlbyname("hw.memsize", &bytes, &size, nullptr, 0) == 0 ? bytes : 0;
}

/// Reads every IOAccelerator; one sample each, in registry order.
std::vector<GpuSample> readAccelerators() {
    std::vector<GpuSample> samples;
    io_iterator_t iterator = 0;
    // MACH_PORT_NULL selects the default main port on every macOS version (kIOMainPortDefault is 12+).
    if (IOServiceGetMatchingServices(MACH_PORT_NULL, IOServiceMatching("IOAccelerator"), &iterator) != KERN_SUCCESS)
        return samples;
    const std::uint64_t unifiedMemory = physicalMemory();
    for (io_object_t service = IOIteratorNext(iterator); service; service = IOIteratorNext(iterator)) {
        CFMutableDictionaryRef props = nullptr;
        if (IORegistryEntryCreateCFProperties(service, &props, kCFAllocatorDefault, 0) == KERN_SUCCESS && props) {
            GpuSample s;
            s.index = static_cast<int>(samples.size());
            s.name = dictString(props, CFSTR("model"));
            if (s.name.empty()) s.name = "Apple GPU";
            s.memoryTotalBytes = unifiedMemory;  // Apple Silicon GPUs share the system memory
            const void* stats = CFDictionaryGetValue(props, CFSTR("PerformanceStatistics"));
            if (stats && CFGetTypeID(stats) == CFDictionaryGetTypeID()) {
                auto dict = static_cast<CFDictionaryRef>(stats);
                std::int64_t value = 0;
                if (dictNumber(dict, "Device Utilization %", value)) s.utilizationPercent = static_cast<double>(value);
                if (dictNumber(dict, "In use system memory", value) || dictNumber(dict, "Alloc system memory", value))
                    s.memoryUsedBytes = static_cast<std::uint64_t>(value);
            }
            samples.push_back(std::move(s));
            CFRelease(props);
        }
        IOObjectRelease(service);
    }
    IOObjectRelease(iterator);
    return samples;
}

class AppleGpuMonitor final : public GpuMonitor {
public:
    explicit AppleGpuMonitor(std::string status) : m_status(std::move(status)) {}
    std::string backend() const override { return "apple"; }
    bool available() const override { return true; }
    std::string status() const override { return m_status; }
    std::vector<GpuSample> sample() override { return readAccelerators(); }

private:
    std::string m_status;
};

}  // namespace

std::unique_ptr<GpuMonitor> createAppleGpuMonitor(std::string& whyNot) {
    const std::vector<GpuSample> first = readAccelerators();
    if (first.empty()) {
        whyNot = "no Apple GPU statistics (no IOAccelerator in the IORegistry)";
        return nullptr;
    }
    return std::make_unique<AppleGpuMonitor>("IORegistry: " + std::to_string(first.size()) +
                                             (first.size() == 1 ? " GPU (" : " GPUs (") + first.front().name + ")");
}

}  // namespace benchtop::platform::detail
