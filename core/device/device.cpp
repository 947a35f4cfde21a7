#include "core/device/device.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <sstream>

#include <torch/cuda.h>
#include <torch/version.h>
#include <c10/util/Exception.h>
#include <ATen/Context.h>
#include <ATen/Parallel.h>

#if defined(BENCHTOP_TORCH_CUDA)
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#endif

#include "core/common/error.h"
#include "core/common/strings.h"
#include "platform/cpu/cpu_info.h"
#include "platform/gpu/gpu_monitor.h"

namespace benchtop::device {
namespace {

bool cpuHasFastBf16(const DeviceInfo& cpu, std::string* which) {
    const auto has = [&](const char* f) {
        return std::find(cpu.features.begin(), cpu.features.end(), f) != cpu.features.end();
    };
    if (has("amx_bf16")) {
        if (which) *which = "AMX-BF16";
        return true;
    }
    if (has("avx512_bf16")) {
        if (which) *which = "AVX512-BF16";
        return true;
    }
    return false;
}

constexpr int kTorchMajor = TORCH_VERSION_MAJOR;
constexpr int kTorchMinor = TORCH_VERSION_MINOR;

DeviceInfo cpuDevice() {
    const auto& cpu = platform::cpuInfo();
    DeviceInfo info;
    info.kind = DeviceKind::Cpu;
    info.id = "cpu";
    info.name = cpu.modelName.empty() ? std::string("CPU") : cpu.modelName;
    info.usable = true;
    std::ostringstream reason;
    reason << cpu.physicalCores << " cores / " << cpu.logicalCores << " threads";
    info.reason = reason.str();
    info.memoryBytes = platform::memoryInfo().totalBytes;
    info.features = platform::featureNames(cpu.features);
    return info;
}

bool torchBuiltWithCuda() {
#if defined(BENCHTOP_TORCH_CUDA)
    return true;
#else
    return false;
#endif
}

std::vector<DeviceInfo> cudaDevices() {
    std::vector<DeviceInfo> devices;
    if (!torchBuiltWithCuda()) {
        DeviceInfo info;
        info.kind = DeviceKind::Cuda;
        info.id = "cuda";
        info.name = "CUDA";
        info.reason = "CUDA unavailable: libtorch built without CUDA";
        auto monitor = platform::createGpuMonitor();
        if (monitor->backend() == "nvml") {
            const auto gpus = monitor->sample();
            if (!gpus.empty()) {
                info.name = gpus.front().name;
                info.memoryBytes = gpus.front().memoryTotalBytes;
                info.reason = "CUDA unavailable: an NVIDIA GPU (" + gpus.front().name +
                              ") is present but this libtorch was built without CUDA";
            }
        }
        devices.push_back(info);
        return devices;
    }
    if (!torch::cuda::is_available()) {
        DeviceInfo info;
        info.kind = DeviceKind::Cuda;
        info.id = "cuda";
        info.name = "CUDA";
        info.reason = "CUDA unavailable: no CUDA device or driver found";
        devices.push_back(info);
        return devices;
    }
    const auto count = static_cast<int>(torch::cuda::device_count());
    for (int i = 0; i < count; ++i) {
        DeviceInfo info;
        info.kind = DeviceKind::Cuda;
        info.index = i;
        info.id = "cuda:" + std::to_string(i);
        info.usable = true;
#if defined(BENCHTOP_TORCH_CUDA)
        const auto* props = at::cuda::getDeviceProperties(i);
        info.name = props->name;
        info.memoryBytes = props->totalGlobalMem;
        info.computeCapability = std::to_string(props->major) + "." + std::to_string(props->minor);
#endif
        info.reason = "CUDA device " + std::to_string(i);
        devices.push_back(info);
    }
    return devices;
}

DeviceInfo mpsDevice() {
    DeviceInfo info;
    info.kind = DeviceKind::Mps;
    info.id = "mps";
    info.name = "Apple GPU (MPS)";
    if (at::hasMPS()) {
        info.usable = true;
        info.reason = "Metal Performance Shaders available";
        info.memoryBytes = platform::memoryInfo().totalBytes;  // unified memory
    } else {
        info.reason = "MPS unavailable: libtorch built without MPS or macOS/GPU too old";
    }
    return info;
}

const DeviceInfo* findDevice(const std::vector<DeviceInfo>& devices, DeviceKind kind, int index) {
    for (const auto& d : devices)
        if (d.kind == kind && (kind != DeviceKind::Cuda || !d.usable || d.index == index)) return &d;
    return nullptr;
}

}  // namespace

std::string DeviceChoice::label() const {
    std::string kind = device.kind == DeviceKind::Cpu ? "CPU" : device.kind == DeviceKind::Cuda ? device.id : "MPS";
    if (device.kind == DeviceKind::Cuda) std::transform(kind.begin(), kind.end(), kind.begin(), ::toupper);
    return kind + " \u00b7 " + toString(precision);
}

std::vector<DeviceInfo> discoverDevices() {
    std::vector<DeviceInfo> devices;
    devices.push_back(cpuDevice());
    for (auto& d : cudaDevices()) devices.push_back(std::move(d));
#if defined(__APPLE__)
    devices.push_back(mpsDevice());
#else
    (void)&mpsDevice;
#endif
    return devices;
}

DeviceRequest requestFromEnvironment(DeviceRequest base) {
    if (const char* v = std::getenv("BENCHTOP_DEVICE"); v && *v) base.device = v;
    if (const char* v = std::getenv("BENCHTOP_PRECISION"); v && *v) base.precision = v;
    if (const char* v = std::getenv("BENCHTOP_THREADS"); v && *v) {
        char* end = nullptr;
        const long n = std::strtol(v, &end, 10);
        if (end == v || *end != '\0' || n < 0 || n > 4096)
            throw Error("BENCHTOP_THREADS", std::string("'") + v + "' is not a thread count (use a number, 0 = auto)");
        base.threads = static_cast<int>(n);
    }
    return base;
}

std::string toString(Precision precision) {
    switch (precision) {
        case Precision::Auto:
            return "auto";
        case Precision::Fp32:
            return "fp32";
        case Precision::Fp16:
            return "fp16";
        case Precision::Bf16:
            return "bf16";
    }
    return "?";
}

std::string toString(DeviceKind kind) {
    switch (kind) {
        case DeviceKind::Cpu:
            return "cpu";
        case DeviceKind::Cuda:
            return "cuda";
        case DeviceKind::Mps:
            return "mps";
    }
    return "?";
}

Precision parsePrecision(const std::string& text) {
    const auto t = toLowerAscii(trimWhitespace(text));
    if (t.empty() || t == "auto") return Precision::Auto;
    if (t == "fp32" || t == "float32" || t == "float" || t == "f32") return Precision::Fp32;
    if (t == "fp16" || t == "float16" || t == "half" || t == "f16") return Precision::Fp16;
    if (t == "bf16" || t == "bfloat16") return Precision::Bf16;
    throw Error("precision", "'" + text + "' is not a precision; use auto, fp32, fp16 or bf16");
}

Precision autoPrecision(const DeviceInfo& device, std::string* reason) {
    switch (device.kind) {
        case DeviceKind::Cuda:
            if (reason) *reason = "auto: fp16 on CUDA (TF32 for fp32 work)";
            return Precision::Fp16;
        case DeviceKind::Mps:
            if (reason) *reason = "auto: fp32 on MPS (fp16 on request)";
            return Precision::Fp32;
        case DeviceKind::Cpu: {
            std::string which;
            if (cpuHasFastBf16(device, &which)) {
                if (reason)
                    *reason =
                        "auto: bf16 because the CPU has " + which + " (bf16 matrix products run far faster than fp32)";
                return Precision::Bf16;
            }
            if (reason) *reason = "auto: fp32 because the CPU has no AMX or AVX512-BF16";
            return Precision::Fp32;
        }
    }
    return Precision::Fp32;
}

bool supportsPrecision(const DeviceInfo& device, Precision precision, std::string* reason) {
    if (precision == Precision::Auto || precision == Precision::Fp32) return true;
    switch (device.kind) {
        case DeviceKind::Cpu:
            if (precision == Precision::Fp16) {
                if (kTorchMajor < 2 || (kTorchMajor == 2 && kTorchMinor < 1)) {
                    if (reason)
                        *reason = "fp16 is not supported on CPU: libtorch " + torchVersion() +
                                  " has no fp16 matrix multiply on CPU; use bf16 or fp32";
                    return false;
                }
                return true;
            }
            return true;  // bf16 works everywhere on CPU; without AMX/AVX512-BF16 it is emulated (slow)
        case DeviceKind::Cuda:
            if (precision == Precision::Bf16 && !device.computeCapability.empty() &&
                std::stod(device.computeCapability) < 8.0) {
                if (reason)
                    *reason = "bf16 needs a CUDA GPU of compute capability 8.0 or newer; " + device.name + " is " +
                              device.computeCapability;
                return false;
            }
            return true;
        case DeviceKind::Mps:
            if (precision == Precision::Bf16 && (kTorchMajor < 2 || (kTorchMajor == 2 && kTorchMinor < 3))) {
                if (reason)
                    *reason = "bf16 is not supported on MPS by libtorch " + torchVersion() + "; use fp16 or fp32";
                return false;
            }
            return true;
    }
    return false;
}

DeviceChoice resolve(const DeviceRequest& request) {
    return resolve(request, discoverDevices());
}

DeviceChoice resolve(const DeviceRequest& request, const std::vector<DeviceInfo>& devices) {
    DeviceChoice choice;
    const std::string want = toLowerAscii(trimWhitespace(request.device));
    const DeviceInfo* cpu = findDevice(devices, DeviceKind::Cpu, 0);
    if (!cpu) throw Error("device", "no CPU device was discovered");

    if (want.empty() || want == "auto") {
        const DeviceInfo* pick = nullptr;
        std::string unavailable;
        for (const auto& d : devices) {
            if (d.kind == DeviceKind::Cuda) {
                if (d.usable && !pick)
                    pick = &d;
                else if (!d.usable && unavailable.empty())
                    unavailable = d.reason;
            }
        }
        if (!pick) {
            for (const auto& d : devices)
                if (d.kind == DeviceKind::Mps) {
                    if (d.usable)
                        pick = &d;
                    else if (unavailable.empty())
                        unavailable = d.reason;
                }
        }
        if (pick) {
            choice.device = *pick;
            choice.deviceReason = "auto: " + pick->id + " (" + pick->name + ") is the fastest usable device";
        } else {
            choice.device = *cpu;
            choice.deviceReason =
                "auto: " + (unavailable.empty() ? std::string("no GPU found") : unavailable) + "; using CPU";
            // A GPU that exists but cannot be used is a fallback the user should see.
            for (const auto& d : devices)
                if (d.kind != DeviceKind::Cpu && !d.usable && d.memoryBytes > 0) choice.fellBack = true;
        }
    } else if (want == "cpu") {
        choice.device = *cpu;
        choice.deviceReason = "requested: CPU";
    } else if (want.rfind("cuda", 0) == 0 || want == "gpu") {
        int index = 0;
        if (want.size() > 5 && want[4] == ':') {
            try {
                index = std::stoi(want.substr(5));
            } catch (...) {
                throw Error("device", "'" + request.device + "' is not a device; use auto, cpu, cuda, cuda:N or mps");
            }
        }
        const DeviceInfo* found = nullptr;
        for (const auto& d : devices)
            if (d.kind == DeviceKind::Cuda && d.usable && d.index == index) found = &d;
        if (!found) {
            std::string why = "CUDA device " + std::to_string(index) + " does not exist";
            for (const auto& d : devices)
                if (d.kind == DeviceKind::Cuda && !d.usable) why = d.reason;
            throw Error("device", "'" + request.device + "' requested but " + why);
        }
        choice.device = *found;
        choice.deviceReason = "requested: " + found->id + " (" + found->name + ")";
    } else if (want == "mps") {
        const DeviceInfo* found = nullptr;
        for (const auto& d : devices)
            if (d.kind == DeviceKind::Mps) found = &d;
        if (!found || !found->usable)
            throw Error("device", std::string("MPS requested but ") +
                                      (found ? found->reason : std::string("MPS exists only on Apple Silicon macOS")));
        choice.device = *found;
        choice.deviceReason = "requested: MPS";
    } else {
        throw Error("device", "'" + request.device + "' is not a device; use auto, cpu, cuda, cuda:N or mps");
    }

    const Precision wanted = parsePrecision(request.precision);
    if (wanted == Precision::Auto) {
        choice.precision = autoPrecision(choice.device, &choice.precisionReason);
    } else {
        std::string why;
        if (!supportsPrecision(choice.device, wanted, &why))
            throw Error("precision", toString(wanted) + " requested on " + choice.device.id + ": " + why);
        choice.precision = wanted;
        choice.precisionReason = "requested: " + toString(wanted);
        std::string which;
        if (choice.device.kind == DeviceKind::Cpu && wanted == Precision::Bf16 &&
            !cpuHasFastBf16(choice.device, &which))
            choice.precisionReason += " (this CPU has no AMX or AVX512-BF16: bf16 is emulated and slower than fp32)";
    }

    const auto& cpuFacts = platform::cpuInfo();
    if (request.threads > 0) {
        choice.threads = request.threads;
        choice.threadsReason = "requested: " + std::to_string(request.threads) + " threads";
    } else {
        choice.threads = std::max(1, cpuFacts.physicalCores);
        choice.threadsReason = "auto: one thread per physical core (" + std::to_string(choice.threads) + ")";
    }
    return choice;
}

std::string torchVersion() {
    return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
           std::to_string(TORCH_VERSION_PATCH);
}

std::string torchBuild() {
    std::string build = "CPU";
    if (torchBuiltWithCuda()) build += " + CUDA";
    if (at::hasMPS()) build += " + MPS";
    return build;
}

void applyThreads(int threads) {
    platform::tuneMemoryAllocator();
    if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
}

bool isOutOfMemory(const std::exception& error) {
    if (dynamic_cast<const c10::OutOfMemoryError*>(&error)) return true;
    std::string message = error.what();
    std::transform(message.begin(), message.end(), message.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return message.find("out of memory") != std::string::npos;
}

void releaseCachedMemory(const std::string& deviceId) {
#if defined(BENCHTOP_TORCH_CUDA)
    if (deviceId.rfind("cuda", 0) == 0 && torch::cuda::is_available()) c10::cuda::CUDACachingAllocator::emptyCache();
#else
    (void)deviceId;
#endif
}

std::optional<DeviceMemory> deviceMemory(const std::string& deviceId) {
#if defined(BENCHTOP_TORCH_CUDA)
    if (deviceId.rfind("cuda", 0) != 0 || !torch::cuda::is_available()) return std::nullopt;
    const auto colon = deviceId.find(':');
    const int index = colon == std::string::npos ? 0 : std::atoi(deviceId.c_str() + colon + 1);
    int previous = 0;
    if (cudaGetDevice(&previous) != cudaSuccess) return std::nullopt;
    cudaSetDevice(index);
    std::size_t freeBytes = 0, totalBytes = 0;
    const bool ok = cudaMemGetInfo(&freeBytes, &totalBytes) == cudaSuccess;
    cudaSetDevice(previous);
    if (!ok) return std::nullopt;
    return DeviceMemory{freeBytes, totalBytes};
#else
    (void)deviceId;
    return std::nullopt;
#endif
}

}  // namespace benchtop::device
