// NVIDIA telemetry through NVML, loaded at run time so that Benchtop starts on machines
// without an NVIDIA driver and needs no CUDA toolkit to build.
#include "platform/gpu/gpu_backends.h"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#else
#include <dlfcn.h>
#endif

namespace benchtop::platform::detail {

namespace {

// The few NVML declarations we need (ABI of nvml.h, stable since the _v2 entry points).
using NvmlReturn = int;  // nvmlReturn_t; 0 is NVML_SUCCESS
constexpr NvmlReturn kNvmlSuccess = 0;
constexpr int kNvmlTemperatureGpu = 0;  // NVML_TEMPERATURE_GPU
struct NvmlDeviceSt;
using NvmlDevice = NvmlDeviceSt*;
struct NvmlUtilization {
    unsigned int gpu;
    unsigned int memory;
};
struct NvmlMemory {
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
};

using InitFn = NvmlReturn (*)();
using ShutdownFn = NvmlReturn (*)();
using GetCountFn = NvmlReturn (*)(unsigned int*);
using GetHandleFn = NvmlReturn (*)(unsigned int, NvmlDevice*);
using GetNameFn = NvmlReturn (*)(NvmlDevice, char*, unsigned int);
using GetUtilizationFn = NvmlReturn (*)(NvmlDevice, NvmlUtilization*);
using GetMemoryFn = NvmlReturn (*)(NvmlDevice, NvmlMemory*);
using GetTemperatureFn = NvmlReturn (*)(NvmlDevice, int, unsigned int*);
using GetPowerFn = NvmlReturn (*)(NvmlDevice, unsigned int*);
using GetDriverVersionFn = NvmlReturn (*)(char*, unsigned int);
using ErrorStringFn = const char* (*)(NvmlReturn);

/// A shared library opened with dlopen / LoadLibrary, closed on destruction.
class SharedLibrary {
public:
    SharedLibrary() = default;
    SharedLibrary(const SharedLibrary&) = delete;
    SharedLibrary& operator=(const SharedLibrary&) = delete;
    ~SharedLibrary() {
#ifdef _WIN32
        if (m_handle) FreeLibrary(static_cast<HMODULE>(m_handle));
#else
        if (m_handle) dlclose(m_handle);
#endif
    }

    /// Returns false and sets `error` when the library cannot be loaded.
    bool open(const std::string& path, std::string& error) {
#ifdef _WIN32
        m_handle = LoadLibraryA(path.c_str());
        if (!m_handle) error = "error " + std::to_string(GetLastError());
#else
        m_handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!m_handle) {
            const char* e = dlerror();
            error = e ? e : "unknown error";
        }
#endif
        return m_handle != nullptr;
    }

    template <typename Fn>
    bool resolve(const char* name, Fn& fn) const {
#ifdef _WIN32
        fn = reinterpret_cast<Fn>(reinterpret_cast<void*>(GetProcAddress(static_cast<HMODULE>(m_handle), name)));
#else
        fn = reinterpret_cast<Fn>(dlsym(m_handle, name));
#endif
        return fn != nullptr;
    }

private:
    void* m_handle = nullptr;
};

std::vector<std::string> candidateLibraries() {
    if (const char* overridePath = std::getenv("BENCHTOP_NVML_LIBRARY"); overridePath && *overridePath)
        return {overridePath};
#ifdef _WIN32
    // Current drivers put nvml.dll in System32; older ones only in NVSMI.
    std::vector<std::string> paths{"nvml.dll"};
    if (const char* programFiles = std::getenv("ProgramW6432"))
        paths.push_back(std::string(programFiles) + "\\NVIDIA Corporation\\NVSMI\\nvml.dll");
    return paths;
#else
    return {"libnvidia-ml.so.1"};
#endif
}

class NvmlGpuMonitor final : public GpuMonitor {
public:
    std::string backend() const override { return "nvml"; }
    bool available() const override { return true; }
    std::string status() const override { return m_status; }

    std::vector<GpuSample> sample() override {
        std::vector<GpuSample> samples;
        samples.reserve(m_devices.size());
        for (const Device& d : m_devices) {
            GpuSample s;
            s.index = static_cast<int>(d.index);
            s.name = d.name;
            // Each reading may be unsupported on a given GPU (MIG, consumer boards); keep the default then.
            NvmlUtilization util{};
            if (m_getUtilization(d.handle, &util) == kNvmlSuccess) s.utilizationPercent = static_cast<double>(util.gpu);
            NvmlMemory memory{};
            if (m_getMemory(d.handle, &memory) == kNvmlSuccess) {
                s.memoryUsedBytes = memory.used;
                s.memoryTotalBytes = memory.total;
            }
            unsigned int celsius = 0;
            if (m_getTemperature(d.handle, kNvmlTemperatureGpu, &celsius) == kNvmlSuccess)
                s.temperatureC = static_cast<double>(celsius);
            unsigned int milliwatts = 0;
            if (m_getPower(d.handle, &milliwatts) == kNvmlSuccess) s.powerWatts = milliwatts / 1000.0;
            samples.push_back(std::move(s));
        }
        return samples;
    }

    ~NvmlGpuMonitor() override {
        if (m_initialised) m_shutdown();
    }

    /// Loads and initialises NVML; false with `whyNot` set when it cannot be used.
    bool start(std::string& whyNot) {
        std::string path, error;
        bool loaded = false;
        for (const std::string& candidate : candidateLibraries()) {
            path = candidate;
            if ((loaded = m_library.open(candidate, error))) break;
        }
        if (!loaded) {
            whyNot = loadFailure(path, error);
            return false;
        }

        const bool resolved = m_library.resolve("nvmlInit_v2", m_init) &&
                              m_library.resolve("nvmlShutdown", m_shutdown) &&
                              m_library.resolve("nvmlDeviceGetCount_v2", m_getCount) &&
                              m_library.resolve("nvmlDeviceGetHandleByIndex_v2", m_getHandle) &&
                              m_library.resolve("nvmlDeviceGetName", m_getName) &&
                              m_library.resolve("nvmlDeviceGetUtilizationRates", m_getUtilization) &&
                              m_library.resolve("nvmlDeviceGetMemoryInfo", m_getMemory) &&
                              m_library.resolve("nvmlDeviceGetTemperature", m_getTemperature) &&
                              m_library.resolve("nvmlDeviceGetPowerUsage", m_getPower) &&
                              m_library.resolve("nvmlSystemGetDriverVersion", m_getDriverVersion) &&
                              m_library.resolve("nvmlErrorString", m_errorString);
        if (!resolved) {
            whyNot = "NVIDIA driver too old: " + path + " lacks the NVML functions Benchtop needs";
            return false;
        }

        const NvmlReturn rc = m_init();
        if (rc != kNvmlSuccess) {
            whyNot = std::string("NVIDIA driver present but NVML failed to start: ") + errorText(rc);
            return false;
        }
        m_initialised = true;

        char version[96] = {};
        const std::string driver =
            m_getDriverVersion(version, sizeof(version)) == kNvmlSuccess ? std::string(version) : "unknown";
        unsigned int count = 0;
        if (m_getCount(&count) != kNvmlSuccess) count = 0;
        for (unsigned int i = 0; i < count; ++i) {
            Device d;
            d.index = i;
            // A GPU we may not query (permissions, fallen off the bus) is left out rather than failing all.
            if (m_getHandle(i, &d.handle) != kNvmlSuccess) continue;
            char name[96] = {};
            d.name = m_getName(d.handle, name, sizeof(name)) == kNvmlSuccess ? std::string(name) : "NVIDIA GPU";
            m_devices.push_back(std::move(d));
        }
        if (m_devices.empty()) {
            whyNot = "NVIDIA driver " + driver + " reports no usable GPU";
            return false;
        }
        m_status = "NVML, driver " + driver + ": " + std::to_string(m_devices.size()) +
                   (m_devices.size() == 1 ? " GPU (" : " GPUs (") + m_devices.front().name + ")";
        return true;
    }

private:
    struct Device {
        unsigned int index = 0;
        NvmlDevice handle = nullptr;
        std::string name;
    };

    /// Why the library did not load: missing is the common case and not an error.
    static std::string loadFailure(const std::string& path, const std::string& error) {
        std::error_code ec;
        const bool isFile = path.find_first_of("/\\") != std::string::npos && std::filesystem::exists(path, ec);
        return isFile ? "NVIDIA driver library " + path + " could not be loaded: " + error
                      : "no NVIDIA driver (" + path + " not found)";
    }

    std::string errorText(NvmlReturn rc) const {
        const char* text = m_errorString ? m_errorString(rc) : nullptr;
        return text ? text : "error " + std::to_string(rc);
    }

    SharedLibrary m_library;
    bool m_initialised = false;
    std::vector<Device> m_devices;
    std::string m_status;
    InitFn m_init = nullptr;
    ShutdownFn m_shutdown = nullptr;
    GetCountFn m_getCount = nullptr;
    GetHandleFn m_getHandle = nullptr;
    GetNameFn m_getName = nullptr;
    GetUtilizationFn m_getUtilization = nullptr;
    GetMemoryFn m_getMemory = nullptr;
    GetTemperatureFn m_getTemperature = nullptr;
    GetPowerFn m_getPower = nullptr;
    GetDriverVersionFn m_getDriverVersion = nullptr;
    ErrorStringFn m_errorString = nullptr;
};

}  // namespace

std::unique_ptr<GpuMonitor> createNvmlGpuMonitor(std::string& whyNot) {
    auto monitor = std::make_unique<NvmlGpuMonitor>();
    if (!monitor->start(whyNot)) return nullptr;
    return monitor;
}

}  // namespace benchtop::platform::detail
