#pragma once

#include <string>

#include "core/device/device.h"

namespace benchtop::device {

/// The machine's measured matrix-multiply rate: the yardstick benchmarks report their fraction of.
struct MatmulRate {
    std::string device;  ///< "cpu", "cuda:0", ...
    Precision precision = Precision::Fp32;
    int size = 0;         ///< n of the n x n x n product
    double gflops = 0.0;  ///< best of the timed repeats, 2 n^3 / seconds / 1e9
};

/// Times an n x n by n x n product in `precision` on `device` with the current intra-op threads (a
/// warm-up, then repeats for at least `seconds`, best taken). Throws benchtop::Error when the device
/// cannot run that precision.
MatmulRate measureMatmulRate(const std::string& device, Precision precision, int size = 2048, double seconds = 0.5);

/// The machine's measured memory read rate: what a memory-bound step (a decoder token, which streams every
/// weight once) can reach at best.
struct MemoryRate {
    std::string device;
    double megabytes = 0.0;    ///< size of the buffer read (far larger than the caches)
    double gbPerSecond = 0.0;  ///< best of the timed repeats
};

/// Times a full read (a sum) of a `megabytes` float32 buffer on `device` with the current intra-op threads
/// (a warm-up, then repeats for at least `seconds`, best taken).
MemoryRate measureMemoryReadRate(const std::string& device, double megabytes = 512, double seconds = 0.5);

}  // namespace benchtop::device
