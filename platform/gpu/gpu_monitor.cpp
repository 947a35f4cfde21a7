#include "platform/gpu/gpu_monitor.h"

#include "platform/gpu/gpu_backends.h"

#include <exception>

namespace benchtop::platform {

std::unique_ptr<GpuMonitor> createGpuMonitor() {
    std::string reason;
    try {
#ifdef __APPLE__
        if (auto apple = detail::createAppleGpuMonitor(reason)) return apple;
#else
        if (auto nvml = detail::createNvmlGpuMonitor(reason)) return nvml;
#endif
    } catch (const std::exception& e) {
        // Telemetry is optional: a failing backend must never take the application down.
        reason = std::string("GPU monitor failed: ") + e.what();
    }
    return createNullGpuMonitor(reason.empty() ? "no GPU monitor for this platform" : reason);
}

}  // namespace benchtop::platform
