// History: File › Open Results… shows an earlier results folder without running anything, File › Open Recent,
// the job list kept across restarts and the notification when a long job finishes.
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QMenu>
#include <QTest>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <filesystem>

#include "core/engine/engine.h"
#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/job_list_model.h"
#include "ui/job_list_view.h"
#include "ui/main_window.h"
#include "ui/results_pane.h"
#include "ui/settings.h"
#include "ui/settings_dialog.h"
#include "ui/views/file_list_view.h"

using benchtop::engine::Engine;
using benchtop::engine::JobId;
using benchtop::engine::JobState;
using benchtop::engine::TaskRegistry;
using benchtop::test::TempDir;
using benchtop::test::uiApp;
using benchtop::test::waitUntil;
using benchtop::ui::JobListModel;
using benchtop::ui::MainWindow;
using benchtop::ui::Settings;

namespace {

TaskRegistry sleepRegistry(int msPerItem = 5) {
    TaskRegistry registry;
    registry.add(benchtop::test::sleepTaskKind(msPerItem));
    return registry;
}

QString path(const TempDir& dir, const std::string& name) {
    return QString::fromStdString(dir.file(name));
}

/// Runs `file` in a window of its own until it is done; returns its result folder.
QString runToCompletion(const QString& file) {
    Engine engine{sleepRegistry()};
    MainWindow window(engine);
    const QList<JobId> ids = window.addPaths({file});
    REQUIRE(ids.size() == 1);
    REQUIRE(waitUntil([&]() { return window.jobModel()->job(ids[0])->state == JobState::Done; }));
    return QString::fromStdString(window.jobModel()->job(ids[0])->resultDir);
}

}  // namespace

TEST_CASE("Open Results shows an earlier results folder in its view without running anything", "[ui][history]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    benchtop::test::writeTextFile(dir.file("cohort.sleep"), "3\n");
    const QString results = runToCompletion(path(dir, "cohort.sleep"));
    REQUIRE(results == path(dir, "benchtop-results/cohort"));

    Engine engine{sleepRegistry()};
    MainWindow window(engine);
    QString error;
    const JobId id = window.openResultsFolder(results, &error);
    INFO(error.toStdString());
    REQUIRE(id != 0);
    CHECK(MainWindow::isHistoryRow(id));
    CHECK_FALSE(engine.snapshot(1).has_value());  // nothing was submitted to the engine
    const benchtop::engine::JobSnapshot* row = window.jobModel()->job(id);
    REQUIRE(row);
    CHECK(row->state == JobState::Done);
    CHECK(row->task == "sleep");
    CHECK(row->taskName == "Sleepy test task");
    CHECK(row->spec.inputs == std::vector<std::string>{dir.file("cohort.sleep")});
    CHECK(row->resultFiles == std::vector<std::string>{dir.file("benchtop-results/cohort/cohort.result.txt")});
    CHECK(window.jobModel()->index(0, JobListModel::FileColumn).data().toString() == "cohort.sleep");
    // Its view shows it, as for a job of this session.
    CHECK(window.resultsPane()->shownJob() == id);
    auto* view = qobject_cast<benchtop::ui::FileListResultView*>(window.resultsPane()->currentView());
    REQUIRE(view);
    CHECK(window.resultsFolder(id) == results);

    // The same folder again: the row is selected, not added twice.
    CHECK(window.openResultsFolder(results + "/") == id);
    CHECK(window.jobModel()->rowCount() == 1);

    // A folder that is not a job's results folder says so and adds nothing.
    CHECK(window.openResultsFolder(QString::fromStdString(dir.path()), &error) == 0);
    CHECK_THAT(error.toStdString(), Catch::Matchers::ContainsSubstring("is not a Benchtop results folder"));
    CHECK_THAT(error.toStdString(), Catch::Matchers::ContainsSubstring(".benchtop-job.json"));
    CHECK(window.openResultsFolder(path(dir, "missing"), &error) == 0);
    CHECK_THAT(error.toStdString(), Catch::Matchers::ContainsSubstring("does not exist"));
    CHECK(window.jobModel()->rowCount() == 1);
}

TEST_CASE("Open Recent lists what was run and opened, newest first, and opens it again", "[ui][history]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    benchtop::test::writeTextFile(dir.file("first.sleep"), "1\n");
    const QString results = runToCompletion(path(dir, "first.sleep"));

    Engine engine{sleepRegistry()};
    MainWindow window(engine);
    REQUIRE(window.openResultsFolder(results) != 0);
    const QList<QVariantMap> recent = Settings().recentEntries();
    REQUIRE(recent.size() == 2);
    CHECK(recent[0].value("kind").toString() == "results");
    CHECK(recent[0].value("paths").toStringList() == QStringList{results});
    CHECK(recent[1].value("kind").toString() == "inputs");
    CHECK(recent[1].value("paths").toStringList() == QStringList{path(dir, "first.sleep")});

    Q_EMIT window.recentMenu()->aboutToShow();
    QStringList texts;
    for (QAction* action : window.recentMenu()->actions())
        if (!action->isSeparator()) texts << action->text();
    CHECK(texts == QStringList{"Results: first", "first.sleep", "&Clear Menu"});

    // The inputs entry runs the file again in this window.
    window.recentMenu()->actions().at(1)->trigger();
    REQUIRE(window.jobModel()->rowCount() == 2);
    REQUIRE(waitUntil([&]() { return window.jobModel()->jobAt(1).state == JobState::Done; }));
    CHECK(std::filesystem::exists(dir.file("benchtop-results/first-2/first.result.txt")));

    // Clear Menu empties it.
    Q_EMIT window.recentMenu()->aboutToShow();
    window.recentMenu()->actions().last()->trigger();
    CHECK(Settings().recentEntries().isEmpty());
    Q_EMIT window.recentMenu()->aboutToShow();
    REQUIRE(window.recentMenu()->actions().size() == 1);
    CHECK_FALSE(window.recentMenu()->actions().front()->isEnabled());
}

TEST_CASE("with Keep the job list on, finished jobs come back after a restart", "[ui][history]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    benchtop::test::writeTextFile(dir.file("kept.sleep"), "2\n");
    benchtop::test::writeTextFile(dir.file("broken.sleep"), "not a number\n");
    {
        Settings settings;
        benchtop::ui::SettingsDialog dialog(settings, {}, nullptr);
        CHECK_FALSE(dialog.keepJobListCheck()->isChecked());
        dialog.keepJobListCheck()->setChecked(true);
        REQUIRE(dialog.apply());
    }
    {
        Engine engine{sleepRegistry()};
        MainWindow window(engine);
        REQUIRE(window.addPaths({path(dir, "kept.sleep"), path(dir, "broken.sleep")}).size() == 2);
        REQUIRE(
            waitUntil([&]() { return window.jobModel()->rowCount() == 2 && window.jobModel()->activeCount() == 0; }));
        REQUIRE(window.jobModel()->jobAt(1).state == JobState::Failed);
        REQUIRE(window.close());
    }
    Engine engine{sleepRegistry()};
    MainWindow window(engine);
    JobListModel& model = *window.jobModel();
    REQUIRE(model.rowCount() == 2);
    CHECK(model.jobAt(0).state == JobState::Done);
    CHECK(model.jobAt(0).summary == "2 items slept");
    CHECK(model.jobAt(0).resultDir == dir.file("benchtop-results/kept"));
    CHECK(model.jobAt(1).state == JobState::Failed);
    CHECK_THAT(model.jobAt(1).error, Catch::Matchers::ContainsSubstring("The first line must be a number of items."));
    CHECK(MainWindow::isHistoryRow(model.jobAt(0).id));

    // Results deleted since are not shown again; with the setting off nothing is kept.
    std::filesystem::remove_all(dir.file("benchtop-results/kept"));
    REQUIRE(window.close());
    {
        Engine again{sleepRegistry()};
        MainWindow restarted(again);
        CHECK(restarted.jobModel()->rowCount() == 1);
        Settings().setKeepJobList(false);
        REQUIRE(restarted.close());
    }
    Engine last{sleepRegistry()};
    MainWindow fresh(last);
    CHECK(fresh.jobModel()->rowCount() == 0);
}

TEST_CASE("a job that ran longer than the threshold is notified when it finishes; a short one is not",
          "[ui][history][notify]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    benchtop::test::writeTextFile(dir.file("long.sleep"), "12\n");
    benchtop::test::writeTextFile(dir.file("quick.sleep"), "1\n");
    benchtop::test::writeTextFile(dir.file("bad.sleep"), "x\n");
    Engine engine{sleepRegistry(50)};
    MainWindow window(engine);
    QStringList titles, messages;
    QList<bool> failures;
    window.setNotifier([&](const QString& title, const QString& message, bool failed) {
        titles << title;
        messages << message;
        failures << failed;
    });
    window.setNotifyAfterSeconds(0.4);  // the long job sleeps 12 x 50 ms
    REQUIRE(window.addPaths({path(dir, "long.sleep")}).size() == 1);
    REQUIRE(waitUntil([&]() { return window.jobModel()->activeCount() == 0; }));
    REQUIRE(window.addPaths({path(dir, "quick.sleep")}).size() == 1);
    REQUIRE(waitUntil([&]() { return window.jobModel()->activeCount() == 0; }));
    REQUIRE(titles == QStringList{"long.sleep is done"});
    CHECK_THAT(messages[0].toStdString(), Catch::Matchers::StartsWith("12 items slept (in "));
    CHECK(failures == QList<bool>{false});

    // A failure is notified too, when it took long enough; the setting turns notifications off.
    window.setNotifyAfterSeconds(0.0);
    REQUIRE(window.addPaths({path(dir, "bad.sleep")}).size() == 1);
    // It fails at once: wait for its notification, not for the job list (its row may not be there yet).
    REQUIRE(waitUntil([&]() { return titles.size() == 2; }));
    CHECK(titles[1] == "bad.sleep failed");
    CHECK(failures[1]);
    window.settings().setNotifyWhenDone(false);
    const int rows = window.jobModel()->rowCount();
    REQUIRE(window.addPaths({path(dir, "quick.sleep")}).size() == 1);
    REQUIRE(waitUntil(
        [&]() { return window.jobModel()->rowCount() == rows + 1 && window.jobModel()->activeCount() == 0; }));
    CHECK(titles.size() == 2);
}
