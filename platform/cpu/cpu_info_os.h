#pragma once

// Internal: the OS-specific half of cpu_info, implemented once per OS in linux/, mac/ or win/.
#include <cstdint>
#include <string>

namespace benchtop::platform::detail {

/// What the operating system says about the processor; empty / 0 where it does not know.
struct OsCpuFacts {
    std::string modelName;
    int physicalCores = 0;
    int logicalCores = 0;
};

OsCpuFacts readOsCpuFacts();

/// Cumulative CPU time of the whole machine in any unit, for utilisation deltas.
struct CpuTimes {
    std::uint64_t busy = 0;
    std::uint64_t total = 0;
};
/// Returns false when the counters cannot be read.
bool readCpuTimes(CpuTimes& times);

}  // namespace benchtop::platform::detail
