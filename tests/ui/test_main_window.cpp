// Drives the real main window offscreen: drop files, watch jobs move through the engine to the model.
#include <QAction>
#include <QApplication>
#include <QDropEvent>
#include <QFileInfo>
#include <QFileOpenEvent>
#include <QLineSeries>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QTest>
#include <QUrl>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <filesystem>

#include "core/workloads/builtin_workloads.h"
#include "core/engine/engine.h"
#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/about_dialog.h"
#include "ui/charts_dock.h"
#include "ui/device_badge.h"
#include "ui/drop_zone.h"
#include "ui/engine_bridge.h"
#include "ui/file_open_filter.h"
#include "ui/job_list_model.h"
#include "ui/job_list_view.h"
#include "ui/main_window.h"
#include "ui/results_pane.h"
#include "ui/views/file_list_view.h"

using benchtop::engine::Engine;
using benchtop::engine::EngineOptions;
using benchtop::engine::JobSnapshot;
using benchtop::engine::JobState;
using benchtop::engine::TaskRegistry;
using benchtop::test::dropFiles;
using benchtop::test::TempDir;
using benchtop::test::uiApp;
using benchtop::test::waitUntil;
using benchtop::ui::JobListModel;
using benchtop::ui::MainWindow;

namespace {

bool allFinished(const JobListModel& model) {
    for (int row = 0; row < model.rowCount(); ++row)
        if (!benchtop::engine::isFinished(model.jobAt(row).state)) return false;
    return model.rowCount() > 0;
}

QString path(const TempDir& dir, const char* name) {
    return QString::fromStdString(dir.file(name));
}

}  // namespace

TEST_CASE("dropping two files with no workload registered gives two failed jobs that say why", "[ui][main_window]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    benchtop::test::writeTextFile(dir.file("ages.csv"), "id,age\nA,40\n");
    benchtop::test::writeTextFile(dir.file("notes.txt"), "hello\n");

    Engine engine{TaskRegistry{}};
    MainWindow window(engine);
    dropFiles(window.dropZone(), {path(dir, "ages.csv"), path(dir, "notes.txt")});

    JobListModel& model = *window.jobModel();
    REQUIRE(model.rowCount() == 2);
    CHECK(model.index(0, JobListModel::FileColumn).data().toString() == "ages.csv");
    CHECK(model.index(1, JobListModel::FileColumn).data().toString() == "notes.txt");
    REQUIRE(waitUntil([&]() { return allFinished(model); }));

    for (int row = 0; row < 2; ++row) {
        const JobSnapshot& job = model.jobAt(row);
        CHECK(job.state == JobState::Failed);
        CHECK(model.index(row, JobListModel::StateColumn).data().toString() == "Failed");
        const QString error = QString::fromStdString(job.error);
        INFO(error.toStdString());
        CHECK(error.contains(QFileInfo(QString::fromStdString(job.spec.inputs.front())).fileName()));
        CHECK(error.contains("no task", Qt::CaseInsensitive));
        CHECK(model.index(row, JobListModel::ErrorColumn).data(Qt::ToolTipRole).toString() == error);
        // Outputs go to a "benchtop-results" folder next to the input by default.
        CHECK(job.spec.outputDir == dir.file("benchtop-results"));
    }
}

TEST_CASE("a folder dropped on the window becomes one job per supported file", "[ui][main_window]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    std::filesystem::create_directories(dir.file("batch/sub"));
    benchtop::test::writeTextFile(dir.file("batch/a.sleep"), "1\n");
    benchtop::test::writeTextFile(dir.file("batch/sub/b.sleep"), "1\n");
    benchtop::test::writeTextFile(dir.file("batch/readme.md"), "not a job\n");

    TaskRegistry registry;
    registry.add(benchtop::test::sleepTaskKind(1));
    Engine engine{registry};
    MainWindow window(engine);
    dropFiles(&window, {path(dir, "batch")});

    JobListModel& model = *window.jobModel();
    REQUIRE(model.rowCount() == 2);
    CHECK(model.index(0, JobListModel::FileColumn).data().toString() == "a.sleep");
    CHECK(model.index(1, JobListModel::FileColumn).data().toString() == "b.sleep");
    REQUIRE(waitUntil([&]() { return allFinished(model); }));
    CHECK(model.jobAt(0).state == JobState::Done);
    CHECK(model.jobAt(1).state == JobState::Done);
}

TEST_CASE("progress and results of a running job reach the model through the bridge", "[ui][main_window]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    benchtop::test::writeTextFile(dir.file("one.sleep"), "12\n");
    benchtop::test::writeTextFile(dir.file("two.sleep"), "3\n");

    TaskRegistry registry;
    registry.add(benchtop::test::sleepTaskKind(40));
    Engine engine{registry};
    MainWindow window(engine);

    // Record what the bridge delivers, on the GUI thread.
    bool sawPartialProgress = false;
    int events = 0;
    QObject::connect(window.bridge(), &benchtop::ui::EngineBridge::jobChanged, &window, [&](const JobSnapshot& job) {
        CHECK(QThread::currentThread() == qApp->thread());
        ++events;
        if (job.state == JobState::Running && job.progress.done > 0 && job.progress.done < job.progress.total)
            sawPartialProgress = true;
    });

    dropFiles(window.dropZone(), {path(dir, "one.sleep"), path(dir, "two.sleep")});
    JobListModel& model = *window.jobModel();
    REQUIRE(model.rowCount() == 2);
    REQUIRE(waitUntil([&]() { return allFinished(model); }, 20000));

    CHECK(events > 4);
    CHECK(sawPartialProgress);
    for (int row = 0; row < 2; ++row) {
        const JobSnapshot& job = model.jobAt(row);
        INFO(job.error);
        CHECK(job.state == JobState::Done);
        CHECK(job.task == "sleep");
        CHECK(model.index(row, JobListModel::TaskColumn).data().toString() == "Sleepy test task");
        CHECK(model.index(row, JobListModel::ProgressColumn).data(JobListModel::FractionRole).toDouble() == 1.0);
        CHECK(model.index(row, JobListModel::ActionColumn).data().toString() == "Open results");
        REQUIRE(job.resultFiles.size() == 1);
        CHECK(QFileInfo::exists(QString::fromStdString(job.resultFiles.front())));
    }
    CHECK(model.jobAt(0).progress.done == 12.0);
    CHECK(model.jobAt(0).summary == "12 items slept");
    CHECK(model.jobAt(0).resultFiles.front() == dir.file("benchtop-results/one/one.result.txt"));

    // Selecting the job shows its result files in the results pane.
    window.jobView()->selectRow(0);
    auto* view = qobject_cast<benchtop::ui::FileListResultView*>(window.resultsPane()->currentView());
    REQUIRE(view != nullptr);
    CHECK(view->fileCount() == 1);
}

TEST_CASE("the per-row cancel button cancels a running job", "[ui][main_window]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    benchtop::test::writeTextFile(dir.file("long.sleep"), "400\n");

    TaskRegistry registry;
    registry.add(benchtop::test::sleepTaskKind(25));
    Engine engine{registry};
    MainWindow window(engine);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));

    const QList<benchtop::engine::JobId> ids = window.addPaths({path(dir, "long.sleep")});
    REQUIRE(ids.size() == 1);
    JobListModel& model = *window.jobModel();
    REQUIRE(waitUntil([&]() { return model.jobAt(0).state == JobState::Running && model.jobAt(0).progress.done > 0; }));
    CHECK(model.index(0, JobListModel::ActionColumn).data().toString() == "Cancel");

    // Click the button painted in the action column.
    benchtop::ui::JobListView* view = window.jobView();
    const QRect cell = view->visualRect(model.index(0, JobListModel::ActionColumn));
    REQUIRE(cell.isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, cell.center());

    REQUIRE(waitUntil([&]() { return benchtop::engine::isFinished(model.jobAt(0).state); }));
    CHECK(model.jobAt(0).state == JobState::Cancelled);
    CHECK(model.jobAt(0).progress.done < 400.0);
    CHECK(model.jobAt(0).resultFiles.empty());
    CHECK(!std::filesystem::exists(dir.file("benchtop-results/long/long.result.txt")));
    CHECK(!std::filesystem::exists(dir.file("benchtop-results/long/long.result.txt.part")));
    CHECK(!std::filesystem::exists(dir.file("benchtop-results/long")));
}

TEST_CASE("closing the window with running jobs asks first; quitting cancels them and leaves no partial files",
          "[ui][main_window][safety]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    benchtop::test::writeTextFile(dir.file("long.sleep"), "400\n");
    benchtop::test::writeTextFile(dir.file("later.sleep"), "5\n");

    TaskRegistry registry;
    registry.add(benchtop::test::sleepTaskKind(25));
    EngineOptions options;
    options.maxConcurrentJobs = 1;
    Engine engine{registry, options};
    MainWindow window(engine);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    REQUIRE(window.addPaths({path(dir, "long.sleep"), path(dir, "later.sleep")}).size() == 2);
    JobListModel& model = *window.jobModel();
    REQUIRE(waitUntil([&]() { return model.jobAt(0).state == JobState::Running && model.jobAt(0).progress.done > 0; }));

    // "Keep running": the window stays, the jobs go on.
    int asked = 0;
    window.setQuitConfirmation([&](int unfinished) {
        ++asked;
        CHECK(unfinished == 2);
        return false;
    });
    CHECK_FALSE(window.close());
    CHECK(asked == 1);
    CHECK(window.isVisible());
    CHECK(engine.snapshot(model.jobAt(0).id)->state == JobState::Running);

    // "Cancel jobs and quit": both end cancelled before the window is gone, nothing half-written is left.
    window.setQuitConfirmation([](int) { return true; });
    CHECK(window.close());
    CHECK(engine.snapshot(model.jobAt(0).id)->state == JobState::Cancelled);
    CHECK(engine.snapshot(model.jobAt(1).id)->state == JobState::Cancelled);
    CHECK_FALSE(std::filesystem::exists(dir.file("benchtop-results/long")));
    CHECK_FALSE(std::filesystem::exists(dir.file("benchtop-results/later")));
}

TEST_CASE("the main window feeds telemetry samples to the charts dock", "[ui][main_window]") {
    uiApp();
    benchtop::test::resetSettings();
    Engine engine{TaskRegistry{}};
    MainWindow window(engine);
    REQUIRE(window.sampler()->isRunning());
    const int before = window.chartsDock()->sampleCount();
    REQUIRE(waitUntil([&]() { return window.chartsDock()->sampleCount() >= before + 2; }, 5000));
    // Process RAM of this test process is certainly above zero.
    const auto* ram = window.chartsDock()->series(benchtop::ui::ChartsDock::Metric::ProcessRam);
    REQUIRE(ram->count() >= 2);
    CHECK(ram->at(ram->count() - 1).y() > 0.0);
}

TEST_CASE("the window shows the device the settings resolve to", "[ui][main_window]") {
    uiApp();
    benchtop::test::resetSettings();
    Engine engine{TaskRegistry{}};
    MainWindow window(engine);
    const QString label = window.deviceBadge()->label();
    INFO(label.toStdString());
    // With automatic settings on this machine the label names a device and a dtype ("CPU · fp32").
    CHECK(label.contains(QStringLiteral(" · ")));
    CHECK(window.size() == QSize(1200, 800));
    CHECK(window.windowTitle() == "Benchtop");
}

TEST_CASE("QEvent::FileOpen reaches the file-open filter; events arriving together are one list", "[ui][main_window]") {
    uiApp();
    benchtop::ui::FileOpenFilter filter;
    qApp->installEventFilter(&filter);
    QSignalSpy spy(&filter, &benchtop::ui::FileOpenFilter::filesOpened);
    // Finder opens a matrix and its sample sheet as two events, one after the other.
    QFileOpenEvent matrix(QStringLiteral("/tmp/matrix.csv"));
    QApplication::sendEvent(qApp, &matrix);
    QFileOpenEvent sheet(QStringLiteral("/tmp/sample_sheet.csv"));
    QApplication::sendEvent(qApp, &sheet);
    CHECK(spy.count() == 0);  // still gathering
    REQUIRE(spy.wait(5000));
    qApp->removeEventFilter(&filter);
    REQUIRE(spy.count() == 1);
    CHECK(spy.at(0).at(0).toStringList() == QStringList{"/tmp/matrix.csv", "/tmp/sample_sheet.csv"});
}

TEST_CASE("the device badge shows a fallback prominently", "[ui][main_window]") {
    uiApp();
    benchtop::ui::DeviceBadge badge;
    badge.setChoice("cpu · bf16", "auto: bf16 because the CPU has AMX-BF16", false);
    CHECK(badge.label() == "CPU · bf16");
    CHECK_FALSE(badge.isWarningShown());
    badge.setChoice("cpu · fp32", "fell back to CPU: out of GPU memory", true);
    CHECK(badge.label() == "CPU · fp32");
    REQUIRE(badge.isWarningShown());
    CHECK(badge.warning().contains("fell back to CPU: out of GPU memory"));
}

TEST_CASE("the About box carries the bundled clock tables' BSD-3 notice and usage flags", "[ui][about]") {
    uiApp();
    const std::string about = benchtop::ui::aboutText().toStdString();
    using Catch::Matchers::ContainsSubstring;
    // The count and folder come from the model store's lookup of the bundled tables (source tree in a build).
    CHECK_THAT(about,
               ContainsSubstring("49 clock coefficient tables ship with Benchtop (" BENCHTOP_TEST_BUNDLED_CLOCKS ")"));
    CHECK_THAT(about, ContainsSubstring("redistributed by biolearn") && ContainsSubstring("BSD-3-Clause") &&
                          ContainsSubstring("Usage: PhenoAge, Skin&amp;Blood and DNAmTL need the owner's licence for "
                                            "commercial use; DunedinPACE is for research use only."));
    // The notice itself, as THIRD_PARTY_NOTICES.md has it (the HTML escapes quotes).
    const std::string notices = benchtop::test::readFile(BENCHTOP_TEST_SOURCE_DIR "/THIRD_PARTY_NOTICES.md");
    for (const std::string line : {"Copyright (c) 2023 - 2023 The biolearn developers.",
                                   "Neither the name of the biolearn developers nor the names of",
                                   "IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE"}) {
        INFO(line);
        CHECK_THAT(notices, ContainsSubstring(line));
    }
    CHECK_THAT(about, ContainsSubstring("Copyright (c) 2023 - 2023 The biolearn developers. All rights reserved.") &&
                          ContainsSubstring("Neither the name of the biolearn developers nor the names of its") &&
                          ContainsSubstring("IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR "
                                            "PURPOSE ARE DISCLAIMED"));
}

TEST_CASE("Benchtop's licence and the third-party notices are compiled in and shown", "[ui][about]") {
    uiApp();
    using Catch::Matchers::ContainsSubstring;
    const std::string about = benchtop::ui::aboutText().toStdString();
    CHECK_THAT(about, ContainsSubstring("GPL-3.0-or-later") && ContainsSubstring("Qt Charts GPL-3.0") &&
                          ContainsSubstring("libtorch (BSD-3-Clause)") &&
                          ContainsSubstring("FFmpeg (LGPL-2.1-or-later)"));
    // The Licences dialog shows the texts of the source tree, byte for byte.
    const QString licence = benchtop::ui::bundledLicenceText(QStringLiteral("LICENSE"));
    CHECK(licence.contains(QStringLiteral("SPDX-License-Identifier: GPL-3.0-or-later")));
    CHECK(licence.toStdString() == benchtop::test::readFile(BENCHTOP_TEST_SOURCE_DIR "/LICENSE"));
    const QString notices = benchtop::ui::bundledLicenceText(QStringLiteral("THIRD_PARTY_NOTICES.md"));
    CHECK(notices.toStdString() == benchtop::test::readFile(BENCHTOP_TEST_SOURCE_DIR "/THIRD_PARTY_NOTICES.md"));
    CHECK(benchtop::ui::bundledLicenceText(QStringLiteral("missing")).isEmpty());
    // The Licences dialog: two tabs with the full texts (inspected while it is open, then closed).
    int tabs = 0;
    QString licenceShown, noticesShown;
    QTimer::singleShot(0, [&]() {
        QWidget* dialog = QApplication::activeModalWidget();
        if (!dialog) return;
        if (auto* tabWidget = dialog->findChild<QTabWidget*>()) tabs = tabWidget->count();
        if (auto* text = dialog->findChild<QPlainTextEdit*>()) licenceShown = text->toPlainText();
        if (auto* browser = dialog->findChild<QTextBrowser*>()) noticesShown = browser->toPlainText();
        dialog->close();
    });
    benchtop::ui::showLicencesDialog(nullptr);
    CHECK(tabs == 2);
    CHECK(licenceShown.contains(QStringLiteral("either version 3 of the License")));
    CHECK(noticesShown.contains(QStringLiteral("Linked components")));
    CHECK(noticesShown.contains(QStringLiteral("Qt Charts")));
    // Help › Licences and Notices.
    benchtop::engine::Engine engine(benchtop::workloads::builtinTasks());
    benchtop::ui::MainWindow window(engine);
    bool found = false;
    for (QAction* action : window.findChildren<QAction*>())
        found = found || action->text() == QStringLiteral("&Licences and Notices");
    CHECK(found);
}
