#include <QLineSeries>

#include <catch2/catch_test_macros.hpp>

#include "tests/ui/ui_test_support.h"
#include "ui/charts_dock.h"
#include "ui/telemetry_sampler.h"

using benchtop::test::uiApp;
using benchtop::ui::ChartsDock;
using benchtop::ui::TelemetrySample;
using Metric = benchtop::ui::ChartsDock::Metric;

namespace {
TelemetrySample sampleAt(double t, double cpu, bool gpu = false) {
    TelemetrySample s;
    s.timeSeconds = t;
    s.cpuPercent = cpu;
    s.processRssBytes = std::uint64_t(512) * 1024 * 1024;
    s.gpuAvailable = gpu;
    s.gpuUtilizationPercent = gpu ? 80.0 : 0.0;
    s.gpuMemoryUsedBytes = gpu ? std::uint64_t(3) << 30 : 0;
    return s;
}
}  // namespace

TEST_CASE("samples fed to the charts dock become points, newest at x = 0", "[ui][charts]") {
    uiApp();
    ChartsDock dock;
    dock.setThroughput(250.0, "tokens");
    for (int i = 0; i < 5; ++i) dock.addSample(sampleAt(i * 0.25, 10.0 * i));
    CHECK(dock.sampleCount() == 5);
    const QLineSeries* cpu = dock.series(Metric::CpuPercent);
    REQUIRE(cpu->count() == 5);
    CHECK(cpu->at(4).x() == 0.0);
    CHECK(cpu->at(4).y() == 40.0);
    CHECK(cpu->at(0).x() == -1.0);
    CHECK(dock.series(Metric::ProcessRam)->at(0).y() == 0.5);  // GiB
    CHECK(dock.series(Metric::Throughput)->at(4).y() == 250.0);
    // No GPU readings: the GPU series stay empty rather than drawing zeros.
    CHECK(dock.series(Metric::GpuPercent)->count() == 0);
    CHECK(dock.series(Metric::GpuMemory)->count() == 0);
}

TEST_CASE("the charts keep a ring buffer of the last samples", "[ui][charts]") {
    uiApp();
    ChartsDock dock;
    for (int i = 0; i < ChartsDock::kCapacity + 30; ++i) dock.addSample(sampleAt(i * 0.5, i % 100, true));
    CHECK(dock.sampleCount() == ChartsDock::kCapacity);
    CHECK(dock.series(Metric::CpuPercent)->count() == ChartsDock::kCapacity);
    CHECK(dock.series(Metric::GpuPercent)->count() == ChartsDock::kCapacity);
    CHECK(dock.series(Metric::GpuMemory)->at(0).y() == 3.0);
    // The oldest kept sample is number 30: (30 - 149) * 0.5 s before the newest.
    CHECK(dock.series(Metric::CpuPercent)->at(0).x() == -59.5);
    dock.clear();
    CHECK(dock.sampleCount() == 0);
    CHECK(dock.series(Metric::CpuPercent)->count() == 0);
}

TEST_CASE("the telemetry sampler delivers samples off the GUI thread", "[ui][charts]") {
    uiApp();
    ChartsDock dock;
    benchtop::ui::TelemetrySampler sampler;
    QObject::connect(&sampler, &benchtop::ui::TelemetrySampler::sampled, &dock, &ChartsDock::addSample);
    bool statusSeen = false;
    QObject::connect(&sampler, &benchtop::ui::TelemetrySampler::gpuStatus, &dock,
                     [&](const QString& backend, const QString& status, bool) {
                         statusSeen = !backend.isEmpty() && !status.isEmpty();
                     });
    sampler.start(50);
    REQUIRE(benchtop::test::waitUntil([&]() { return dock.sampleCount() >= 4; }, 5000));
    sampler.stop();
    CHECK_FALSE(sampler.isRunning());
    CHECK(statusSeen);
    const QLineSeries* cpu = dock.series(Metric::CpuPercent);
    REQUIRE(cpu->count() >= 4);
    for (int i = 0; i < cpu->count(); ++i) {
        CHECK(cpu->at(i).y() >= 0.0);
        CHECK(cpu->at(i).y() <= 100.0);
    }
    // Times are increasing, so x positions are too.
    CHECK(cpu->at(0).x() < cpu->at(cpu->count() - 1).x());
}

TEST_CASE("the throughput and speech RTF charts show the same rate, also for a job ending between samples",
          "[ui][charts]") {
    uiApp();
    ChartsDock dock;
    dock.setThroughput(17.0, QStringLiteral("audio s"), true);
    dock.addSample(sampleAt(0.0, 5.0));
    REQUIRE(dock.series(Metric::RealTimeFactor)->count() == 1);
    CHECK(dock.series(Metric::Throughput)->at(0).y() == 17.0);
    CHECK(dock.series(Metric::RealTimeFactor)->at(0).y() == 1.0 / 17.0);
    // The job reports its final rate and ends before the next sample: that sample still shows it, in both.
    dock.setThroughput(20.0, QStringLiteral("audio s"), true);
    dock.setThroughput(0.0, QStringLiteral("audio s"), true);
    dock.addSample(sampleAt(0.25, 5.0));
    REQUIRE(dock.series(Metric::RealTimeFactor)->count() == 2);
    CHECK(dock.series(Metric::Throughput)->at(1).y() == 20.0);
    CHECK(dock.series(Metric::RealTimeFactor)->at(1).y() == 1.0 / 20.0);
    // Idle afterwards: throughput 0, no RTF point.
    dock.addSample(sampleAt(0.5, 5.0));
    CHECK(dock.series(Metric::Throughput)->at(2).y() == 0.0);
    CHECK(dock.series(Metric::RealTimeFactor)->count() == 2);
    // A text job's tokens/s is no real-time factor.
    dock.setThroughput(900.0, "tokens");
    dock.addSample(sampleAt(0.75, 5.0));
    CHECK(dock.series(Metric::Throughput)->at(3).y() == 900.0);
    CHECK(dock.series(Metric::RealTimeFactor)->count() == 2);
}
