#include "platform/gpu/gpu_monitor.h"

#include <catch2/catch_test_macros.hpp>

#include <cstdlib>
#include <string>

#include "tests/support/scoped_env.h"

using namespace benchtop::platform;

using benchtop::test::ScopedEnv;

TEST_CASE("null monitor reports its reason and no readings") {
    auto monitor = createNullGpuMonitor("no GPU here");
    CHECK(monitor->backend() == "none");
    CHECK_FALSE(monitor->available());
    CHECK(monitor->status() == "no GPU here");
    CHECK(monitor->sample().empty());
}

#ifndef __APPLE__
TEST_CASE("a missing NVML library gives the null monitor with the path as reason") {
    ScopedEnv env("BENCHTOP_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1");
    std::unique_ptr<GpuMonitor> monitor;
    REQUIRE_NOTHROW(monitor = createGpuMonitor());
    REQUIRE(monitor);
    CHECK(monitor->backend() == "none");
    CHECK_FALSE(monitor->available());
    CHECK(monitor->sample().empty());
    CHECK(monitor->status() == "no NVIDIA driver (/nonexistent/libnvidia-ml.so.1 not found)");
}
#endif

#ifdef __linux__
TEST_CASE("a file that is not a library gives the null monitor with the loader's reason") {
    // The file exists but is no shared library: the reason must say so rather than "not found".
    ScopedEnv env("BENCHTOP_NVML_LIBRARY", "/proc/self/status");
    std::unique_ptr<GpuMonitor> monitor;
    REQUIRE_NOTHROW(monitor = createGpuMonitor());
    CHECK(monitor->backend() == "none");
    CHECK(monitor->status().rfind("NVIDIA driver library /proc/self/status could not be loaded: ", 0) == 0);
}
#endif

TEST_CASE("the machine's GPU monitor never throws and is consistent") {
    std::unique_ptr<GpuMonitor> monitor;
    REQUIRE_NOTHROW(monitor = createGpuMonitor());
    REQUIRE(monitor);
    INFO("backend " << monitor->backend() << ": " << monitor->status());
    CHECK_FALSE(monitor->status().empty());
    std::vector<GpuSample> samples;
    REQUIRE_NOTHROW(samples = monitor->sample());
    if (monitor->backend() == "none") {
        CHECK_FALSE(monitor->available());
        CHECK(samples.empty());
    } else {
        CHECK((monitor->backend() == "nvml" || monitor->backend() == "apple"));
        CHECK(monitor->available());
        REQUIRE_FALSE(samples.empty());
        for (const GpuSample& s : samples) {
            CHECK_FALSE(s.name.empty());
            CHECK(s.utilizationPercent >= 0.0);
            CHECK(s.utilizationPercent <= 100.0);
            CHECK(s.memoryTotalBytes > 0);
            CHECK(s.memoryUsedBytes <= s.memoryTotalBytes);
        }
    }
}
