#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace benchtop::device {

enum class DeviceKind { Cpu, Cuda, Mps };
enum class Precision { Auto, Fp32, Fp16, Bf16 };

/// One compute device Benchtop knows about, usable or not.
struct DeviceInfo {
    DeviceKind kind = DeviceKind::Cpu;
    int index = 0;     ///< CUDA ordinal; 0 otherwise
    std::string id;    ///< "cpu", "cuda:0", "mps"
    std::string name;  ///< marketing name or CPU model
    bool usable = false;
    std::string reason;                 ///< why usable / not usable, a sentence
    std::uint64_t memoryBytes = 0;      ///< device memory (CPU: system RAM)
    std::string computeCapability;      ///< CUDA "9.0", empty otherwise
    std::vector<std::string> features;  ///< CPU flags ("avx2", "amx_bf16", ...)
};

/// All devices: the CPU always, each CUDA device, MPS; unusable ones carry the reason.
std::vector<DeviceInfo> discoverDevices();

/// What the user asked for; empty strings mean "auto". Environment overrides are applied by
/// requestFromEnvironment().
struct DeviceRequest {
    std::string device;     ///< "auto", "cpu", "cuda", "cuda:1", "mps"
    std::string precision;  ///< "auto", "fp32", "fp16", "bf16"
    int threads = 0;        ///< intra-op threads; 0 = physical cores
};

/// Applies BENCHTOP_DEVICE / BENCHTOP_PRECISION / BENCHTOP_THREADS on top of `base` where they are set
/// (they override settings files; command-line flags override them by being applied afterwards).
DeviceRequest requestFromEnvironment(DeviceRequest base = {});

/// The outcome of resolving a request: every decision says why.
struct DeviceChoice {
    DeviceInfo device;
    Precision precision = Precision::Fp32;
    int threads = 1;
    std::string deviceReason;     ///< e.g. "auto: CUDA unavailable (libtorch built without CUDA); using CPU"
    std::string precisionReason;  ///< e.g. "auto: bf16 because the CPU has AMX-BF16"
    std::string threadsReason;
    bool fellBack = false;  ///< the preferred device could not be used
    /// "cpu · bf16"
    std::string label() const;
};

/// Resolves a request against the discovered devices. Throws benchtop::Error when a forced choice is
/// impossible ("fp16 is not supported on CPU by libtorch 1.13 ...", "CUDA requested but ...").
DeviceChoice resolve(const DeviceRequest& request);
DeviceChoice resolve(const DeviceRequest& request, const std::vector<DeviceInfo>& devices);

/// The precision auto picks for a device, with its reason.
Precision autoPrecision(const DeviceInfo& device, std::string* reason = nullptr);

/// Whether `precision` can run on `device`; when not, `reason` says why.
bool supportsPrecision(const DeviceInfo& device, Precision precision, std::string* reason = nullptr);

std::string toString(Precision precision);
std::string toString(DeviceKind kind);
/// Parses "auto|fp32|fp16|bf16" (also "float32", "half", "bfloat16"); throws benchtop::Error otherwise.
Precision parsePrecision(const std::string& text);

/// libtorch version string ("1.13.1") and build facts ("CPU", "CUDA 12.1", "MPS").
std::string torchVersion();

/// Whether `error` reports that a device ran out of memory: libtorch's own c10::OutOfMemoryError (CUDA's
/// caching allocator throws it since libtorch 1.13), else by message ("CUDA out of memory", "MPS backend out of
/// memory") for errors a task re-threw with its file name in front.
bool isOutOfMemory(const std::exception& error);

/// Free and total memory of a GPU, for batch budgets.
struct DeviceMemory {
    std::uint64_t freeBytes = 0;
    std::uint64_t totalBytes = 0;
};
/// The memory of `deviceId` ("cuda:0") now (cudaMemGetInfo); nullopt for the CPU, MPS and where libtorch has no
/// CUDA. Memory libtorch's allocator caches counts as used.
std::optional<DeviceMemory> deviceMemory(const std::string& deviceId);

/// Returns the memory libtorch's caching allocator holds but no tensor uses on `deviceId` ("cuda:0") to the
/// driver, after an out-of-memory error. Does nothing for the CPU or where libtorch has no such allocator.
void releaseCachedMemory(const std::string& deviceId);
std::string torchBuild();

/// Sets libtorch's intra-op thread count for the calling thread (OpenMP's setting is per thread).
void applyThreads(int threads);

}  // namespace benchtop::device
