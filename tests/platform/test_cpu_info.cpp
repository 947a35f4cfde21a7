#include "platform/cpu/cpu_info.h"

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>

using namespace benchtop::platform;

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

#ifdef __linux__
/// The value after "key:" on the first matching line of a /proc file, trimmed.
std::string procField(const char* path, const std::string& key) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string k = line.substr(0, colon);
        k.erase(k.find_last_not_of(" \t") + 1);
        if (k != key) continue;
        const auto start = line.find_first_not_of(" \t", colon + 1);
        return start == std::string::npos ? std::string() : line.substr(start);
    }
    return {};
}
#endif

}  // namespace

TEST_CASE("cpu info counts the cores std::thread sees") {
    const CpuInfo& info = cpuInfo();
    INFO(info.modelName << " (" << info.arch << "), " << info.physicalCores << " cores / " << info.logicalCores
                        << " threads");
    CHECK(info.logicalCores == static_cast<int>(std::thread::hardware_concurrency()));
    CHECK(info.physicalCores >= 1);
    CHECK(info.physicalCores <= info.logicalCores);
    CHECK_FALSE(info.modelName.empty());
    CHECK(&cpuInfo() == &info);  // cached
#if defined(__x86_64__) || defined(_M_X64)
    CHECK(info.arch == "x86_64");
#elif defined(__aarch64__) || defined(_M_ARM64)
    CHECK(info.arch == "arm64");
    CHECK(info.features.neon);
#endif
}

TEST_CASE("featureNames lists exactly the features that are set") {
    CpuFeatures f;
    CHECK(featureNames(f).empty());
    f.avx2 = true;
    f.avx512bf16 = true;
    f.amxBf16 = true;
    f.neon = true;
    CHECK(featureNames(f) == std::vector<std::string>{"avx2", "avx512_bf16", "amx_bf16", "neon"});
}

#ifdef __linux__
TEST_CASE("cpu info agrees with /proc/cpuinfo and /sys on Linux") {
    const CpuInfo& info = cpuInfo();
    const std::string procModel = procField("/proc/cpuinfo", "model name");
    if (!procModel.empty()) CHECK(info.modelName == procModel);

    // Physical cores counted independently: distinct hyper-thread sibling sets in /sys.
    std::set<std::string> siblingSets;
    for (int cpu = 0; cpu < info.logicalCores; ++cpu) {
        std::ifstream in("/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/thread_siblings_list");
        std::string list;
        if (in >> list) siblingSets.insert(list);
    }
    if (!siblingSets.empty()) CHECK(info.physicalCores == static_cast<int>(siblingSets.size()));
}

#if defined(__x86_64__)
TEST_CASE("CPUID features agree with the kernel's /proc/cpuinfo flags") {
    std::set<std::string> flags;
    std::istringstream words(procField("/proc/cpuinfo", "flags"));
    for (std::string w; words >> w;) flags.insert(w);
    REQUIRE(flags.count("sse2") == 1);  // every x86_64 kernel lists it: the flags line was read

    const std::vector<std::string> ours = featureNames(cpuInfo().features);
    std::string joined;
    for (const auto& n : ours) joined += n + " ";
    INFO("CPUID + XGETBV: " << joined);
    // featureNames uses the kernel's flag names, so every x86 feature can be compared one to one.
    for (const char* name : {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni",
                             "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8"}) {
        INFO("feature " << name);
        CHECK(contains(ours, name) == (flags.count(name) == 1));
    }
    CHECK_FALSE(contains(ours, "neon"));
}
#endif

TEST_CASE("total memory is /proc/meminfo MemTotal") {
    const std::uint64_t memTotalKb = std::stoull(procField("/proc/meminfo", "MemTotal"));
    const MemoryInfo m = memoryInfo();
    CHECK(m.totalBytes == memTotalKb * 1024);
}
#endif

TEST_CASE("available memory is positive and below the total") {
    const MemoryInfo m = memoryInfo();
    CHECK(m.totalBytes > 0);
    CHECK(m.availableBytes > 0);
    CHECK(m.availableBytes <= m.totalBytes);
}

TEST_CASE("resident set size grows by a touched 200 MB allocation") {
    constexpr std::uint64_t kMiB = 1024 * 1024;
    constexpr std::size_t kSize = 200 * kMiB;
    const std::uint64_t before = processRssBytes();
    REQUIRE(before > 0);
    {
        std::unique_ptr<char[]> block(new char[kSize]);
        std::memset(block.get(), 1, kSize);  // touch every page so it becomes resident
        const std::uint64_t during = processRssBytes();
        // Read the block back so the stores cannot be optimised away.
        volatile char sink = block[kSize - 1];
        (void)sink;
        INFO("RSS before " << before / kMiB << " MiB, during " << during / kMiB << " MiB");
        CHECK(during >= before + 190 * kMiB);
        CHECK(during <= before + 260 * kMiB);
        CHECK(processPeakRssBytes() >= during);
    }
    CHECK(processPeakRssBytes() >= before + 190 * kMiB);
    CHECK(processPeakRssBytes() >= processRssBytes());
}

TEST_CASE("cpu usage sampler reads 0..100 and sees a spinning thread") {
    CpuUsageSampler sampler;
    const double idleish = sampler.sample();
    CHECK(idleish >= 0.0);
    CHECK(idleish <= 100.0);

    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> spins{0};
    std::thread spinner([&] {
        while (!stop.load(std::memory_order_relaxed)) spins.fetch_add(1, std::memory_order_relaxed);
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const double busy = sampler.sample();
    stop = true;
    spinner.join();
    INFO("usage while spinning: " << busy << " %");
    CHECK(busy > 0.0);
    CHECK(busy <= 100.0);
}
