#include <QCoreApplication>
#include <QTest>
#include <QThread>

#include <catch2/catch_test_macros.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "tests/ui/ui_test_support.h"
#include "ui/background_job.h"

using benchtop::test::uiApp;
using benchtop::test::waitUntil;
using benchtop::ui::BackgroundJob;
using benchtop::ui::JobControl;

namespace {

/// What a test's work reports about itself; shared so it outlives a destroyed job.
struct Probe {
    std::atomic<int> steps{0};
    std::atomic<bool> sawCancel{false};
    std::atomic<bool> returned{false};
    std::atomic<bool> released{false};
    std::atomic<bool> releasedBeforeReturn{false};
};

/// Sleeps in 5 ms steps until cancelled (or `maxSteps` pass), the way real work polls the flag.
void sleepUntilCancelled(const JobControl& control, Probe& probe, int maxSteps = 2000) {
    while (probe.steps < maxSteps) {
        if (control.isCancelled()) {
            probe.sawCancel = true;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ++probe.steps;
    }
}

}  // namespace

TEST_CASE("a background job runs off the GUI thread and delivers its result and finished() on it", "[ui][job]") {
    uiApp();
    BackgroundJob job;
    QThread* workThread = nullptr;
    QThread* resultThread = nullptr;
    QThread* finishedThread = nullptr;
    int result = 0;
    QString error = QStringLiteral("not finished");
    QObject::connect(&job, &BackgroundJob::finished, [&](const QString& message) {
        finishedThread = QThread::currentThread();
        error = message;
        CHECK(result == 42);  // after what the work posted
    });
    REQUIRE(job.start([&](const JobControl& control) {
        workThread = QThread::currentThread();
        const int answer = 6 * 7;
        control.post([&, answer]() {
            resultThread = QThread::currentThread();
            result = answer;
        });
    }));
    REQUIRE(waitUntil([&]() { return finishedThread != nullptr; }, 5000));
    QThread* gui = QCoreApplication::instance()->thread();
    CHECK(workThread != nullptr);
    CHECK(workThread != gui);
    CHECK(resultThread == gui);
    CHECK(finishedThread == gui);
    CHECK(result == 42);
    CHECK(error.isEmpty());
    CHECK_FALSE(job.isRunning());
}

TEST_CASE("an exception escaping the work arrives as finished()'s error", "[ui][job]") {
    uiApp();
    BackgroundJob job;
    QString error;
    bool finished = false;
    QObject::connect(&job, &BackgroundJob::finished, [&](const QString& message) {
        error = message;
        finished = true;
    });
    job.start([](const JobControl&) { throw std::runtime_error("model.safetensors: truncated"); });
    REQUIRE(waitUntil([&]() { return finished; }, 5000));
    CHECK(error == QStringLiteral("model.safetensors: truncated"));
}

TEST_CASE("cancel() reaches the work's flag, calls the interrupt and finished() follows", "[ui][job]") {
    uiApp();
    BackgroundJob job;
    auto probe = std::make_shared<Probe>();
    int interrupts = 0;
    bool finished = false;
    QObject::connect(&job, &BackgroundJob::finished, [&](const QString&) { finished = true; });
    REQUIRE(job.start([probe](const JobControl& control) { sleepUntilCancelled(control, *probe); },
                      [&]() { ++interrupts; }));
    CHECK(job.isRunning());
    // A second start while the first run goes on is refused.
    CHECK_FALSE(job.start([](const JobControl&) {}));
    REQUIRE(waitUntil([&]() { return probe->steps >= 3; }, 5000));

    job.cancel();
    job.cancel();  // idempotent
    CHECK(job.isCancelled());
    CHECK(interrupts == 1);
    REQUIRE(waitUntil([&]() { return finished; }, 5000));
    CHECK(probe->sawCancel);
    CHECK(probe->steps < 2000);  // it stopped on the flag, not at the end of its loop
    CHECK_FALSE(job.isRunning());
    CHECK(job.waitForDone(0));
}

TEST_CASE("waitForCancel sleeps until the job is cancelled", "[ui][job]") {
    uiApp();
    BackgroundJob job;
    std::atomic<int> result{-1};
    job.start([&](const JobControl& control) {
        // A minute unless cancelled: the test would time out if the wake-up were lost.
        result = control.waitForCancel(std::chrono::minutes(1)) ? 1 : 0;
    });
    QTest::qWait(20);
    job.cancel();
    REQUIRE(job.waitForDone(10000));
    CHECK(result == 1);

    BackgroundJob other;
    other.start(
        [&](const JobControl& control) { result = control.waitForCancel(std::chrono::milliseconds(10)) ? 1 : 0; });
    REQUIRE(other.waitForDone(10000));
    CHECK(result == 0);
}

TEST_CASE("destroying a job while its work runs returns at once and drops what the work posts later", "[ui][job]") {
    uiApp();
    auto probe = std::make_shared<Probe>();
    auto delivered = std::make_shared<std::atomic<bool>>(false);
    auto job = std::make_unique<BackgroundJob>();
    bool finished = false;
    QObject::connect(job.get(), &BackgroundJob::finished, [&](const QString&) { finished = true; });
    job->start([probe, delivered](const JobControl& control) {
        sleepUntilCancelled(control, *probe);
        // Keep running after the cancel until the test says the destructor has returned: a destructor that
        // waited for the work would only return when this loop gives up after 10 s.
        for (int i = 0; i < 2000 && !probe->released; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        probe->releasedBeforeReturn = probe->released.load();
        control.post([delivered]() { *delivered = true; });
        probe->returned = true;
    });
    REQUIRE(waitUntil([&]() { return probe->steps >= 3; }, 5000));

    job.reset();
    probe->released = true;  // the destructor returned while the work still ran (checked below)

    // The work winds down on the pool; what it posts afterwards never arrives.
    REQUIRE(waitUntil([&]() { return probe->returned.load(); }, 10000));
    CHECK(probe->sawCancel);
    CHECK(probe->releasedBeforeReturn);
    QTest::qWait(50);
    CHECK_FALSE(*delivered);
    CHECK_FALSE(finished);
}

TEST_CASE("restarting after cancel abandons the old run: only the new run's posts arrive", "[ui][job]") {
    uiApp();
    BackgroundJob job;
    auto probe = std::make_shared<Probe>();
    std::atomic<int> lastRun{0};
    int delivered = 0;
    job.start([probe](const JobControl& control) {
        sleepUntilCancelled(control, *probe);
        for (int i = 0; i < 2000 && !probe->released; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        control.post([]() { FAIL("a post of the abandoned run arrived"); });
        probe->returned = true;
    });
    REQUIRE(waitUntil([&]() { return probe->steps >= 1; }, 5000));
    job.cancel();
    REQUIRE(job.start([&](const JobControl& control) {
        lastRun = 2;
        control.post([&]() { ++delivered; });
    }));
    REQUIRE(waitUntil([&]() { return delivered == 1; }, 5000));
    probe->released = true;
    REQUIRE(waitUntil([&]() { return probe->returned.load(); }, 10000));
    QTest::qWait(50);
    CHECK(delivered == 1);
    CHECK(lastRun == 2);
    CHECK(BackgroundJob::waitForAll(10000));
}
