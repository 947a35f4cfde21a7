#pragma once

// Internal: the backend factories that createGpuMonitor() tries in order. Each returns nullptr and
// fills `whyNot` with a user-readable reason when its backend cannot be used on this machine.
#include "platform/gpu/gpu_monitor.h"

#include <memory>
#include <string>

namespace benchtop::platform::detail {

#ifndef __APPLE__
/// NVML loaded at run time; the library path may be overridden by env BENCHTOP_NVML_LIBRARY.
std::unique_ptr<GpuMonitor> createNvmlGpuMonitor(std::string& whyNot);
#endif

#ifdef __APPLE__
/// Apple GPU statistics from the IORegistry (IOAccelerator "PerformanceStatistics").
std::unique_ptr<GpuMonitor> createAppleGpuMonitor(std::string& whyNot);
#endif

}  // namespace benchtop::platform::detail
