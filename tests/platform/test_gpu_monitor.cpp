#include "platform/gpu/gpu_monitor.h"

#include <catch2/catch_test_macros.hpp>

#include <cstdlib>
#include <string>

using namespace benchtop::platform;

namespace {

/// Sets an environment variable for the scope of one test and restores it afterwards.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : m_name(name)
    {
        if (const char* old = std::getenv(name)) {
            m_hadOld = true;
            m_old = old;
        }
        set(value);
    }
    ~ScopedEnv() { m_hadOld ? set(m_old.c_str()) : unset(); }

private:
    void set(const char* value)
    {
#ifdef _WIN32
        _putenv_s(m_name.c_str(), value);
#else
        setenv(m_name.c_str(), value, 1);
#endif
    }
    void unset()
    {
#ifdef _WIN32
        _putenv_s(m_name.c_str(), "");
#else
        unsetenv(m_name.c_str());
#endif
    }
    std::string m_name;
    std::string m_old;
    bool m_hadOld = false;
};

}  // namespace

TEST_CASE("null monitor reports its reason and no readings")
{
    auto monitor = createNullGpuMonitor("no GPU here");
    CHECK(monitor->backend() == "none");
    CHECK_FALSE(monitor->available());
    CHECK(monitor->status() == "no GPU here");
    CHECK(monitor->sample().empty());
}

#ifndef __APPLE__
TEST_CASE("a missing NVML library gives the null monitor with the path as reason")
{
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
TEST_CASE("a file that is not a library gives the null monitor with the loader's reason")
{
    // The file exists but is no shared library: the reason must say so rather than "not found".
    ScopedEnv env("BENCHTOP_NVML_LIBRARY", "/proc/self/status");
    std::unique_ptr<GpuMonitor> monitor;
    REQUIRE_NOTHROW(monitor = createGpuMonitor());
    CHECK(monitor->backend() == "none");
    CHECK(monitor->status().rfind("NVIDIA driver library /proc/self/status could not be loaded: ", 0) == 0);
}
#endif

TEST_CASE("the machine's GPU monitor never throws and is consistent")
{
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
