#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/device/device.h"
#include "core/device/machine_report.h"

using namespace benchtop::device;
using Catch::Matchers::ContainsSubstring;

TEST_CASE("the machine report holds this machine's real CPU, memory, OS and GPU monitor facts") {
    const MachineReport report = machineReport();
    INFO(formatMachineReport(report));
    CHECK_FALSE(report.cpu.model.empty());
    CHECK_FALSE(report.cpu.arch.empty());
    CHECK(report.cpu.physicalCores >= 1);
    CHECK(report.cpu.logicalCores >= report.cpu.physicalCores);
    CHECK(report.memory.totalBytes > 0);
    CHECK(report.memory.availableBytes > 0);
    CHECK(report.memory.availableBytes <= report.memory.totalBytes);
    CHECK_FALSE(report.os.empty());
    CHECK((report.gpu.backend == "nvml" || report.gpu.backend == "apple" || report.gpu.backend == "none"));
    CHECK_FALSE(report.gpu.status.empty());
    CHECK(report.processRssBytes > 0);
#if defined(__x86_64__)
    CHECK(report.cpu.arch == "x86_64");
    // Every x86-64 CPU Benchtop runs on has SSE4.2.
    CHECK(std::find(report.cpu.features.begin(), report.cpu.features.end(), "sse4_2") != report.cpu.features.end());
#endif
#if defined(__linux__)
    CHECK_THAT(report.os, ContainsSubstring("Linux "));
#endif

    // The report and the device list agree about the CPU.
    const std::vector<DeviceInfo> devices = discoverDevices();
    REQUIRE_FALSE(devices.empty());
    CHECK(devices.front().name == report.cpu.model);
    CHECK(devices.front().features == report.cpu.features);
    CHECK(devices.front().memoryBytes == report.memory.totalBytes);
}

TEST_CASE("the machine report's text names the CPU, its cores, the memory and the OS") {
    const MachineReport report = machineReport();
    const std::string text = formatMachineReport(report);
    INFO(text);
    CHECK_THAT(text, ContainsSubstring("CPU: " + report.cpu.model + " (" + std::to_string(report.cpu.physicalCores) +
                                       " cores / " + std::to_string(report.cpu.logicalCores) + " threads"));
    for (const std::string& feature : report.cpu.features) CHECK_THAT(text, ContainsSubstring(" " + feature));
    CHECK_THAT(text, ContainsSubstring("Memory: "));
    CHECK_THAT(text, ContainsSubstring(" GiB ("));
    CHECK_THAT(text, ContainsSubstring("OS: " + report.os + "\n"));
    CHECK_THAT(text, ContainsSubstring("GPU telemetry: " + report.gpu.status));
    CHECK_THAT(text, ContainsSubstring("Process memory (RSS): "));

    // A report with known numbers formats them exactly.
    MachineReport fixed;
    fixed.cpu.model = "Test CPU 9000";
    fixed.cpu.arch = "x86_64";
    fixed.cpu.physicalCores = 8;
    fixed.cpu.logicalCores = 16;
    fixed.cpu.features = {"avx2", "fma"};
    fixed.memory.totalBytes = std::uint64_t(32) << 30;
    fixed.memory.availableBytes = std::uint64_t(12) << 29;
    fixed.os = "Linux 6.1.0";
    fixed.gpu = {"none", "no NVIDIA driver", false};
    fixed.processRssBytes = std::uint64_t(300) << 20;
    CHECK(formatMachineReport(fixed) ==
          "CPU: Test CPU 9000 (8 cores / 16 threads, x86_64)\n"
          "Features: avx2 fma\n"
          "Memory: 32.0 GiB (6.0 GiB available)\n"
          "OS: Linux 6.1.0\n"
          "GPU telemetry: no NVIDIA driver [none]\n"
          "Process memory (RSS): 300 MiB\n");
}

TEST_CASE("the machine sampler reads CPU load within 0..100 and this process's RSS") {
    MachineSampler sampler;
    CHECK_FALSE(sampler.gpu().backend.empty());
    CHECK_FALSE(sampler.gpu().status.empty());
    for (int i = 0; i < 3; ++i) {
        volatile double sink = 0;
        for (int j = 0; j < 2000000; ++j) sink = sink + j;
        const MachineSample sample = sampler.sample();
        CHECK(sample.cpuPercent >= 0.0);
        CHECK(sample.cpuPercent <= 100.0);
        CHECK(sample.processRssBytes > 0);
        CHECK(sample.processRssBytes > (std::uint64_t(1) << 20));  // a process with libtorch loaded
        CHECK(sample.processRssBytes <= processPeakRssBytes());
        if (sample.gpuAvailable) {
            CHECK(sample.gpuUtilizationPercent >= 0.0);
            CHECK(sample.gpuUtilizationPercent <= 100.0);
            CHECK(sample.gpuMemoryTotalBytes > 0);
            CHECK(sample.gpuMemoryUsedBytes <= sample.gpuMemoryTotalBytes);
        } else {
            CHECK(sample.gpuMemoryTotalBytes == 0);
        }
    }
}
