#include "core/device/matmul_rate.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

#include "core/common/error.h"

namespace benchtop::device {

MatmulRate measureMatmulRate(const std::string& deviceId, Precision precision, int size, double seconds) {
    torch::NoGradGuard noGrad;
    const torch::ScalarType dtype = precision == Precision::Bf16   ? torch::kBFloat16
                                    : precision == Precision::Fp16 ? torch::kHalf
                                                                   : torch::kFloat32;
    torch::Device device = torch::kCPU;
    try {
        device = torch::Device(deviceId);
    } catch (const std::exception&) {
        throw Error("matmul rate", "Unknown device '" + deviceId + "'.");
    }
    const auto options = torch::TensorOptions().dtype(dtype).device(device);
    const torch::Tensor a = torch::randn({size, size}, options);
    const torch::Tensor b = torch::randn({size, size}, options);
    torch::Tensor c = torch::empty({size, size}, options);
    auto sync = [&] {
        // Reading one element waits for queued GPU work; a no-op cost on the CPU.
        (void)c[0][0].item<float>();
    };
    torch::mm_out(c, a, b);
    sync();
    using Clock = std::chrono::steady_clock;
    double best = 1e30, total = 0.0;
    for (int repeat = 0; repeat < 100 && (repeat < 3 || total < seconds); ++repeat) {
        const auto start = Clock::now();
        torch::mm_out(c, a, b);
        sync();
        const double s = std::chrono::duration<double>(Clock::now() - start).count();
        best = std::min(best, s);
        total += s;
    }
    MatmulRate rate;
    rate.device = deviceId;
    rate.precision = precision;
    rate.size = size;
    rate.gflops = 2.0 * double(size) * double(size) * double(size) / best / 1e9;
    return rate;
}

MemoryRate measureMemoryReadRate(const std::string& deviceId, double megabytes, double seconds) {
    torch::NoGradGuard noGrad;
    torch::Device device = torch::kCPU;
    try {
        device = torch::Device(deviceId);
    } catch (const std::exception&) {
        throw Error("memory rate", "Unknown device '" + deviceId + "'.");
    }
    const auto count = static_cast<std::int64_t>(megabytes * 1e6 / sizeof(float));
    const torch::Tensor buffer = torch::ones({count}, torch::TensorOptions().dtype(torch::kFloat32).device(device));
    torch::Tensor sum = buffer.sum();
    (void)sum.item<float>();
    using Clock = std::chrono::steady_clock;
    double best = 1e30, total = 0.0;
    for (int repeat = 0; repeat < 50 && (repeat < 3 || total < seconds); ++repeat) {
        const auto start = Clock::now();
        sum = buffer.sum();
        (void)sum.item<float>();  // waits for queued GPU work
        const double s = std::chrono::duration<double>(Clock::now() - start).count();
        best = std::min(best, s);
        total += s;
    }
    MemoryRate rate;
    rate.device = deviceId;
    rate.megabytes = double(count) * sizeof(float) / 1e6;
    rate.gbPerSecond = double(count) * sizeof(float) / best / 1e9;
    return rate;
}

}  // namespace benchtop::device
