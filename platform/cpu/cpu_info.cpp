#include "platform/cpu/cpu_info.h"

#include "platform/cpu/cpu_info_os.h"
#include "platform/cpu/cpuid_x86.h"

#include <algorithm>
#include <thread>

namespace benchtop::platform {

namespace {

const char* compiledArch() {
#if defined(__x86_64__) || defined(_M_X64)
    return "x86_64";
#elif defined(__aarch64__) || defined(_M_ARM64)
    return "arm64";
#elif defined(__i386__) || defined(_M_IX86)
    return "x86";
#elif defined(__arm__) || defined(_M_ARM)
    return "arm";
#else
    return "unknown";
#endif
}

CpuInfo detect() {
    CpuInfo info;
    info.arch = compiledArch();
    info.features = detail::detectX86Features();
#if defined(__aarch64__) || defined(_M_ARM64) || defined(__ARM_NEON)
    // ASIMD is mandatory on AArch64.
    info.features.neon = true;
#endif

    const detail::OsCpuFacts os = detail::readOsCpuFacts();
    info.modelName = os.modelName;
    if (info.modelName.empty()) info.modelName = detail::x86BrandString();
    if (info.modelName.empty()) info.modelName = "unknown " + info.arch + " processor";

    const int hw = static_cast<int>(std::thread::hardware_concurrency());
    info.logicalCores = os.logicalCores > 0 ? os.logicalCores : std::max(1, hw);
    info.physicalCores = os.physicalCores > 0 ? std::min(os.physicalCores, info.logicalCores) : info.logicalCores;
    return info;
}

}  // namespace

const CpuInfo& cpuInfo() {
    static const CpuInfo info = detect();
    return info;
}

std::vector<std::string> featureNames(const CpuFeatures& f) {
    // Names follow the Linux /proc/cpuinfo flags so they can be compared and grepped alike.
    const std::pair<bool, const char*> table[] = {
        {f.sse42, "sse4_2"},
        {f.avx, "avx"},
        {f.avx2, "avx2"},
        {f.fma, "fma"},
        {f.f16c, "f16c"},
        {f.avx512f, "avx512f"},
        {f.avx512bw, "avx512bw"},
        {f.avx512vnni, "avx512_vnni"},
        {f.avx512bf16, "avx512_bf16"},
        {f.avx512fp16, "avx512_fp16"},
        {f.amxTile, "amx_tile"},
        {f.amxBf16, "amx_bf16"},
        {f.amxInt8, "amx_int8"},
        {f.neon, "neon"},
    };
    std::vector<std::string> names;
    for (const auto& [present, name] : table)
        if (present) names.emplace_back(name);
    return names;
}

CpuUsageSampler::CpuUsageSampler() {
    detail::CpuTimes t;
    if (detail::readCpuTimes(t)) {
        m_lastBusy = t.busy;
        m_lastTotal = t.total;
    }
}

double CpuUsageSampler::sample() {
    detail::CpuTimes t;
    if (!detail::readCpuTimes(t)) return 0.0;
    const std::uint64_t dBusy = t.busy >= m_lastBusy ? t.busy - m_lastBusy : 0;
    const std::uint64_t dTotal = t.total >= m_lastTotal ? t.total - m_lastTotal : 0;
    m_lastBusy = t.busy;
    m_lastTotal = t.total;
    if (dTotal == 0) return 0.0;
    return std::clamp(100.0 * static_cast<double>(dBusy) / static_cast<double>(dTotal), 0.0, 100.0);
}

}  // namespace benchtop::platform
