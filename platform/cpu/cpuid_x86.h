#pragma once

// Internal: CPUID-based feature detection. On non-x86 builds both functions return empty results.
#include "platform/cpu/cpu_info.h"

#include <string>

namespace benchtop::platform::detail {

/// x86 instruction-set extensions that the CPU has AND the OS has enabled (XCR0 via XGETBV).
CpuFeatures detectX86Features();

/// The CPUID brand string (leaves 0x80000002..4), trimmed; empty when unavailable.
std::string x86BrandString();

}  // namespace benchtop::platform::detail
