// File › Run on Cluster… in the real main window, offscreen, on a real single-node Slurm (tools/slurm): the dialog
// prepares and previews the scripts, the submission runs as a job array of benchtop-cli parts and a merge, and its
// row in the job table follows the parts to the merged result; failed parts are resubmitted, a submission is
// cancelled, and sbatch's refusals reach a message box. Without sbatch on PATH the action is disabled and says why.
#include <QAction>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/engine/engine.h"
#include "core/tensor/npy_reader.h"
#include "core/workloads/builtin_workloads.h"
#include "tests/support/scoped_env.h"
#include "tests/support/shared_paths.h"
#include "tests/support/local_slurm.h"
#include "tests/ui/ui_test_support.h"
#include "ui/cluster_controller.h"
#include "ui/charts_dock.h"
#include "ui/cluster_dialog.h"
#include "ui/job_list_model.h"
#include "ui/job_list_view.h"
#include "ui/main_window.h"
#include "ui/results_pane.h"
#include "ui/settings.h"

namespace fs = std::filesystem;
using benchtop::engine::Engine;
using benchtop::engine::JobId;
using benchtop::engine::JobSnapshot;
using benchtop::engine::JobState;
using benchtop::engine::TaskRegistry;
using benchtop::test::LocalSlurm;
using benchtop::test::ScopedEnv;
using benchtop::test::sharedPath;
using benchtop::test::TempDir;
using benchtop::test::uiApp;
using benchtop::test::waitUntil;
using benchtop::ui::ClusterController;
using benchtop::ui::ClusterDialog;
using benchtop::ui::JobListModel;
using benchtop::ui::MainWindow;
using benchtop::ui::Settings;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr int kRunTimeoutMs = 180000;

/// Settings for text jobs with the tiny BERT on the CPU in fp32 (what every part then runs).
void useTinyText(Settings& settings) {
    settings.setDevice(QStringLiteral("cpu"));
    settings.setPrecision(QStringLiteral("fp32"));
    settings.setModelFor(QStringLiteral("text"), QString::fromStdString(sharedPath("models/tiny-bert-mean")));
    settings.sync();
}

QString corpus() {
    return QString::fromStdString(sharedPath("fixtures/text/inputs.txt"));
}

/// An executable shell script.
void writeScript(const fs::path& path, const std::string& body) {
    benchtop::test::writeTextFile(path.string(), "#!/bin/sh\n" + body);
    fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
}

/// The dialog's fields for `parts` parts into `folder`, run by `cli` on the nodes.
void fillDialog(ClusterDialog& dialog, int parts, const fs::path& folder, const std::string& cli) {
    dialog.partsSpin()->setValue(parts);
    dialog.outputFolderEdit()->setText(QString::fromStdString(folder.string()));
    dialog.cliPathEdit()->setText(QString::fromStdString(cli));
}

/// The text of the window's cluster error box, closing it; empty when none is shown.
QString takeClusterError(QWidget& window) {
    auto* box = window.findChild<QMessageBox*>(QStringLiteral("clusterError"));
    if (!box) return QString();
    const QString text = box->text() + QLatin1Char('\n') + box->informativeText();
    box->close();
    box->deleteLater();
    return text;
}

QString fileText(const JobListModel& model, JobId id) {
    return model.index(model.rowOf(id), JobListModel::FileColumn).data().toString();
}

QString stateText(const JobListModel& model, JobId id) {
    return model.index(model.rowOf(id), JobListModel::StateColumn).data().toString();
}

/// Submits the open dialog and returns the new row's id.
JobId submitDialog(MainWindow& window, ClusterDialog* dialog) {
    const int rows = window.jobModel()->rowCount();
    dialog->accept();
    INFO("error: " << takeClusterError(window).toStdString());
    REQUIRE(window.jobModel()->rowCount() == rows + 1);
    const JobId id = window.jobModel()->jobAt(rows).id;
    REQUIRE(ClusterController::isClusterRow(id));
    return id;
}

/// Waits until the row of `id` is finished; records every File-column text and progress fraction on the way.
void waitFinished(MainWindow& window, JobId id, QStringList* texts = nullptr,
                  std::vector<double>* fractions = nullptr) {
    const JobListModel& model = *window.jobModel();
    const bool finished = waitUntil(
        [&]() {
            const QString text = fileText(model, id);
            if (texts && (texts->isEmpty() || texts->back() != text)) texts->append(text);
            const double fraction =
                model.index(model.rowOf(id), JobListModel::ProgressColumn).data(JobListModel::FractionRole).toDouble();
            if (fractions && (fractions->empty() || fractions->back() != fraction)) fractions->push_back(fraction);
            return benchtop::engine::isFinished(model.job(id)->state) && !window.clusterController()->isBusy(id);
        },
        kRunTimeoutMs);
    INFO("row: "
         << fileText(model, id).toStdString() << " | "
         << model.index(model.rowOf(id), JobListModel::ErrorColumn).data(Qt::ToolTipRole).toString().toStdString());
    REQUIRE(finished);
}

}  // namespace

TEST_CASE("Run on Cluster… is disabled, saying why, while sbatch is not on PATH", "[ui][cluster]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir empty;
    ScopedEnv path("PATH", empty.path());
    Engine engine(benchtop::workloads::builtinTasks());
    MainWindow window(engine);
    QAction* action = window.runOnClusterAction();
    REQUIRE(action);
    CHECK_FALSE(action->isEnabled());
    CHECK_THAT(action->toolTip().toStdString(), ContainsSubstring("sbatch was not found on PATH"));
    CHECK_THAT(action->toolTip().toStdString(), ContainsSubstring("benchtop-cli slurm submit"));
    CHECK(action->statusTip() == action->toolTip());

    // sbatch comes onto PATH (a module loaded): the action is offered from then on.
    writeScript(fs::path(empty.path()) / "sbatch", "exit 1\n");
    window.updateClusterAction();
    CHECK(action->isEnabled());
    CHECK_THAT(action->toolTip().toStdString(), ContainsSubstring("Slurm job array"));
}

namespace {

benchtop::cluster::SubmissionStatus statusOf(const std::vector<std::string>& parts, const std::string& merge,
                                             bool merged = false) {
    benchtop::cluster::SubmissionStatus status;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        benchtop::cluster::PartState part;
        part.index = int(i);
        part.jobId = "12_" + std::to_string(i);
        part.state = parts[i];
        status.parts.push_back(part);
    }
    status.mergeState = merge;
    status.merged = merged;
    return status;
}

}  // namespace

TEST_CASE("a submission's row says how far its parts and merge are", "[ui][cluster]") {
    benchtop::cluster::Submission s;
    s.dir = "/scratch/benchtop-slurm/slurm-20250101-120000";
    s.shards = 4;
    s.stems = {"inputs"};
    s.arrayJob = "12";
    s.mergeJob = "13";
    ClusterController::Origin origin;
    origin.inputs = {"/data/inputs.txt"};
    origin.task = "text";
    origin.taskName = "Text embeddings";
    ClusterController::Phase polled;
    polled.polled = true;
    const JobId id = ClusterController::kFirstRowId;
    JobListModel::RowTexts t;
    auto describe = [&](const benchtop::cluster::SubmissionStatus& status, const ClusterController::Phase& phase) {
        return ClusterController::describe(id, s, status, origin, phase, &t);
    };

    JobSnapshot row = describe(statusOf({"PENDING", "PENDING", "PENDING", "PENDING"}, "PENDING"), polled);
    CHECK(row.state == JobState::Queued);
    CHECK(t.file == "Cluster: inputs — 0/4 parts done, 4 queued");
    CHECK(row.progress.fraction() == 0.0);

    row = describe(statusOf({"COMPLETED", "COMPLETED", "RUNNING", "PENDING"}, "PENDING"), polled);
    CHECK(row.state == JobState::Running);
    CHECK(t.file == "Cluster: inputs — 2/4 parts done, 1 running");
    CHECK(t.progress == "2/4");
    CHECK(row.progress.fraction() == 2.0 / 5.0);  // the merge is the fifth step
    CHECK(t.result == "array job 12 (4 parts), merge job 13");
    CHECK(t.deviceTip.contains("array job 12"));

    // A failed part beside running ones: still running, and no resubmission before the others end.
    row = describe(statusOf({"COMPLETED", "FAILED", "RUNNING", "PENDING"}, "PENDING"), polled);
    CHECK(row.state == JobState::Running);
    CHECK(t.file == "Cluster: inputs — 1/4 parts done, 1 running, part 1 failed");

    row = describe(statusOf({"COMPLETED", "FAILED", "COMPLETED", "OUT_OF_MEMORY"}, "PENDING"), polled);
    CHECK(row.state == JobState::Failed);
    CHECK(t.file == "Cluster: inputs — 2/4 parts done, parts 1, 3 failed");
    CHECK(t.result.startsWith("Parts 1, 3 failed (FAILED, OUT_OF_MEMORY)"));
    CHECK(row.error == t.result.toStdString());

    row = describe(statusOf({"COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED"}, "RUNNING"), polled);
    CHECK(row.state == JobState::Running);
    CHECK(t.state == "Merging");
    CHECK(t.file == "Cluster: inputs — 4/4 parts done, merging");

    row = describe(statusOf({"COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED"}, "FAILED"), polled);
    CHECK(row.state == JobState::Failed);
    CHECK(t.file == "Cluster: inputs — 4/4 parts done, merge failed");
    CHECK(t.result == "The merge job 13 ended FAILED: see logs/merge.out");

    row = describe(statusOf({"COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED"}, "COMPLETED", true), polled);
    CHECK(row.state == JobState::Done);
    CHECK(row.progress.fraction() == 1.0);
    CHECK(t.file == "Cluster: inputs — 4/4 parts done, merged");
    CHECK(t.result == "Merged into /scratch/benchtop-slurm/slurm-20250101-120000/merged/inputs");

    ClusterController::Phase cancelled = polled;
    cancelled.cancelled = true;
    row = describe(statusOf({"COMPLETED", "CANCELLED", "CANCELLED", "MISSING"}, "CANCELLED"), cancelled);
    CHECK(row.state == JobState::Cancelled);
    CHECK(t.file == "Cluster: inputs — 1/4 parts done, cancelled");

    ClusterController::Phase refused;
    refused.error = "sbatch: error: invalid partition specified: gpu";
    row = describe({}, refused);
    CHECK(row.state == JobState::Failed);
    CHECK(t.file == "Cluster: inputs — not submitted");
    CHECK(row.error == "sbatch: error: invalid partition specified: gpu");
    CHECK(row.id == id);
    CHECK(row.task == "text");
    CHECK(row.spec.inputs == origin.inputs);
}

TEST_CASE("the Run on Cluster dialog previews the scripts with the settings' task options and remembers its values",
          "[ui][cluster]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    TaskRegistry registry = benchtop::workloads::builtinTasks();
    registry.add(benchtop::test::sleepTaskKind(1));
    Engine engine(std::move(registry));
    MainWindow window(engine);
    useTinyText(window.settings());
    window.settings().setOptionsFor(QStringLiteral("text"), {{QStringLiteral("max-length"), QStringLiteral("64")}});

    ClusterDialog* dialog = window.runOnCluster({corpus()});
    REQUIRE(dialog);
    CHECK(dialog->objectName() == "clusterDialog");
    CHECK(dialog->inputList()->count() == 1);
    CHECK(dialog->partsSpin()->value() == 4);  // the default
    fillDialog(*dialog, 3, fs::path(dir.path()) / "subs", "/opt/benchtop/bin/benchtop-cli");
    dialog->partitionEdit()->setText("debug");
    dialog->timeEdit()->setText("0:30:00");
    dialog->memoryEdit()->setText("2G");
    dialog->cpusSpin()->setValue(2);
    dialog->gpusSpin()->setValue(1);
    CHECK_THAT(dialog->summaryLabel()->text().toStdString(), ContainsSubstring("tiny-bert-mean"));
    CHECK_THAT(dialog->summaryLabel()->text().toStdString(), ContainsSubstring("max-length=64"));

    dialog->showScriptsButton()->click();
    const std::string array = dialog->arrayScriptView()->toPlainText().toStdString();
    INFO(array);
    CHECK_THAT(array, ContainsSubstring("#SBATCH --array=0-2\n"));
    CHECK_THAT(array, ContainsSubstring("#SBATCH --partition=debug\n"));
    CHECK_THAT(array, ContainsSubstring("#SBATCH --time=0:30:00\n"));
    CHECK_THAT(array, ContainsSubstring("#SBATCH --mem=2G\n"));
    CHECK_THAT(array, ContainsSubstring("#SBATCH --cpus-per-task=2\n"));
    CHECK_THAT(array, ContainsSubstring("#SBATCH --gres=gpu:1\n"));
    CHECK_THAT(array, ContainsSubstring("'/opt/benchtop/bin/benchtop-cli' run '" + corpus().toStdString() + "'"));
    CHECK_THAT(array, ContainsSubstring("--task 'text' --model '" + sharedPath("models/tiny-bert-mean") + "'"));
    CHECK_THAT(array, ContainsSubstring("--device 'cpu' --precision 'fp32' --set 'max-length=64'"));
    CHECK_THAT(array, ContainsSubstring("--shard \"$SLURM_ARRAY_TASK_ID/3\""));
    CHECK_THAT(dialog->mergeScriptView()->toPlainText().toStdString(), ContainsSubstring(" merge "));
    // The preview wrote one submission folder; closing without submitting removes it again.
    const fs::path subs = fs::path(dir.path()) / "subs";
    auto folders = [&subs]() {
        int n = 0;
        for (const auto& entry : fs::directory_iterator(subs)) n += entry.is_directory() ? 1 : 0;
        return n;
    };
    CHECK(folders() == 1);
    // A changed value makes the preview stale: the folder is replaced when the scripts show again.
    dialog->partsSpin()->setValue(5);
    CHECK(folders() == 0);
    REQUIRE(waitUntil([&]() { return dialog->arrayScriptView()->toPlainText().contains("--array=0-4"); }, 5000));
    CHECK(folders() == 1);
    dialog->reject();
    waitUntil([] { return false; }, 50);  // deleted on close
    CHECK(folders() == 0);
    CHECK(window.jobModel()->rowCount() == 0);

    // What was accepted is offered again; a task that cannot be split is refused, naming the file, and the dialog
    // stays open with nothing submitted.
    const std::string sleepy = dir.file("naps.sleep");
    benchtop::test::writeTextFile(sleepy, "3\n");
    dialog = window.runOnCluster({QString::fromStdString(sleepy)});
    fillDialog(*dialog, 2, subs, "/opt/benchtop/bin/benchtop-cli");
    dialog->partitionEdit()->setText("debug");
    dialog->accept();
    auto* box = dialog->findChild<QMessageBox*>(QStringLiteral("clusterError"));
    REQUIRE(box);
    CHECK_THAT(box->informativeText().toStdString(), ContainsSubstring("naps.sleep"));
    CHECK_THAT(box->informativeText().toStdString(), ContainsSubstring("cannot be split"));
    box->close();
    CHECK(dialog->isVisible());  // still open
    CHECK(window.jobModel()->rowCount() == 0);
    CHECK(folders() == 0);

    // Files of two tasks in one submission are refused too.
    dialog->setInputs({corpus(), QString::fromStdString(sleepy)});
    CHECK_THAT(dialog->summaryLabel()->text().toStdString(), ContainsSubstring("several tasks"));
    dialog->reject();
    waitUntil([] { return false; }, 50);

    const benchtop::ui::ClusterSettings saved = window.settings().cluster();
    CHECK(saved.parts == 2);
    CHECK(saved.partition == "debug");
    CHECK(saved.cliPath == "/opt/benchtop/bin/benchtop-cli");
    ClusterDialog* again = window.runOnCluster({corpus()});
    CHECK(again->partsSpin()->value() == 2);
    CHECK(again->partitionEdit()->text() == "debug");
    CHECK(again->outputFolderEdit()->text() == QString::fromStdString(subs.string()));
    again->reject();
}

TEST_CASE("a text corpus submitted from the window runs as 3 parts on Slurm and its row follows them to the merge",
          "[ui][cluster][slurm]") {
    uiApp();
    benchtop::test::resetSettings();
    LocalSlurm slurm("bt-uislurm");
    slurm.exportConf();
    Engine engine(benchtop::workloads::builtinTasks());
    JobId id = 0;
    std::string folder;
    {
        MainWindow window(engine);
        window.show();
        useTinyText(window.settings());
        window.clusterController()->setPollInterval(250);
        REQUIRE(window.runOnClusterAction()->isEnabled());

        ClusterDialog* dialog = window.runOnCluster({corpus()});
        fillDialog(*dialog, 3, slurm.dir() / "work", BENCHTOP_CLI);
        id = submitDialog(window, dialog);
        const JobListModel& model = *window.jobModel();
        // The row shows at once, while sbatch runs off the GUI thread.
        CHECK_THAT(fileText(model, id).toStdString(), ContainsSubstring("Cluster: inputs — "));
        CHECK(model.index(model.rowOf(id), JobListModel::TaskColumn).data().toString() == "Text embeddings");
        CHECK(model.index(model.rowOf(id), JobListModel::DeviceColumn).data().toString() == "Slurm");

        QStringList texts;
        std::vector<double> fractions;
        waitFinished(window, id, &texts, &fractions);
        INFO(texts.join(QLatin1Char('\n')).toStdString());
        CHECK(model.job(id)->state == JobState::Done);
        CHECK(fileText(model, id) == "Cluster: inputs — 3/3 parts done, merged");
        CHECK(stateText(model, id) == "Done");
        // It went through the parts: some state with parts left to do, and the progress only went forward.
        bool partway = false;
        for (const QString& text : texts)
            partway =
                partway ||
                QRegularExpression(QStringLiteral("^Cluster: inputs — [0-2]/3 parts done, ")).match(text).hasMatch();
        CHECK(partway);
        CHECK(std::is_sorted(fractions.begin(), fractions.end()));
        CHECK(fractions.back() == 1.0);
        CHECK(std::any_of(fractions.begin(), fractions.end(), [](double f) { return f > 0.0 && f < 1.0; }));

        const benchtop::cluster::Submission* submission = window.clusterController()->submission(id);
        REQUIRE(submission);
        folder = submission->dir;
        const fs::path merged = fs::path(folder) / "merged" / "inputs";
        CHECK(fs::exists(merged / "embeddings.npy"));
        const auto embeddings = benchtop::tensor::readNpy((merged / "embeddings.npy").string());
        REQUIRE(embeddings.shape.size() == 2);
        // One row per line of the corpus (its empty line included: fixtures/text/README.md).
        std::ifstream lines(corpus().toStdString());
        std::size_t inputs = 0;
        for (std::string line; std::getline(lines, line);) ++inputs;
        CHECK(inputs == 52);
        CHECK(std::size_t(embeddings.shape[0]) == inputs);

        // Open Results opens the merged folder; the results pane shows it with the task's view.
        CHECK(window.resultsFolder(id) == QString::fromStdString(merged.string()));
        window.jobView()->selectRow(model.rowOf(id));
        CHECK(window.resultsPane()->shownJob() == id);
        CHECK(model.index(model.rowOf(id), 0).data(JobListModel::ActionRole).toString() == "open");
        CHECK_FALSE(window.resubmitFailedAction()->isEnabled());
        CHECK(window.unfinishedJobs() == 0);
    }

    // The submission is remembered: a new window follows it again.
    Settings settings;
    REQUIRE(settings.clusterSubmissions().size() == 1);
    CHECK(settings.clusterSubmissions().front().value("dir").toString() == QString::fromStdString(folder));
    MainWindow restarted(engine);
    REQUIRE(restarted.jobModel()->rowCount() == 1);
    const JobId again = restarted.jobModel()->jobAt(0).id;
    REQUIRE(waitUntil([&]() { return restarted.jobModel()->job(again)->state == JobState::Done; }, 30000));
    CHECK(fileText(*restarted.jobModel(), again) == "Cluster: inputs — 3/3 parts done, merged");
}

TEST_CASE("sbatch's refusal is shown, a failed part is resubmitted and a submission is cancelled from the window",
          "[ui][cluster][slurm]") {
    uiApp();
    benchtop::test::resetSettings();
    LocalSlurm slurm("bt-uislurm");
    slurm.exportConf();
    Engine engine(benchtop::workloads::builtinTasks());
    MainWindow window(engine);
    window.show();
    useTinyText(window.settings());
    window.clusterController()->setPollInterval(250);
    const JobListModel& model = *window.jobModel();

    // A partition the cluster does not have: sbatch refuses, the row fails and a message box says why.
    ClusterDialog* dialog = window.runOnCluster({corpus()});
    fillDialog(*dialog, 2, slurm.dir() / "work", BENCHTOP_CLI);
    dialog->partitionEdit()->setText("nosuchpartition");
    const JobId refused = submitDialog(window, dialog);
    REQUIRE(waitUntil([&]() { return model.job(refused)->state == JobState::Failed; }, 60000));
    const QString error = takeClusterError(window);
    CHECK_THAT(error.toStdString(), ContainsSubstring("sbatch"));
    CHECK_THAT(error.toStdString(), ContainsSubstring("partition"));
    CHECK_THAT(fileText(model, refused).toStdString(), ContainsSubstring("not submitted"));

    // Part 1 fails on its first run (as on a broken node); resubmitted, it succeeds and the merge follows.
    const fs::path flaky = slurm.dir() / "flaky-cli.sh";
    writeScript(flaky, "if [ \"${SLURM_ARRAY_TASK_ID:-}\" = 1 ] && [ ! -e '" + (slurm.dir() / "failed-once").string() +
                           "' ]; then\n  touch '" + (slurm.dir() / "failed-once").string() +
                           "'\n  echo 'simulated node failure' >&2\n  exit 3\nfi\nexec '" BENCHTOP_CLI "' \"$@\"\n");
    dialog = window.runOnCluster({corpus()});
    fillDialog(*dialog, 3, slurm.dir() / "work", flaky.string());
    dialog->partitionEdit()->clear();
    const JobId id = submitDialog(window, dialog);
    waitFinished(window, id);
    CHECK(model.job(id)->state == JobState::Failed);
    CHECK(fileText(model, id) == "Cluster: inputs — 2/3 parts done, part 1 failed");
    CHECK_THAT(model.index(model.rowOf(id), JobListModel::ErrorColumn).data().toString().toStdString(),
               ContainsSubstring("Part 1 failed (FAILED"));
    CHECK(model.index(model.rowOf(id), 0).data(JobListModel::ActionRole).toString() == "resubmit");
    window.jobView()->selectRow(model.rowOf(id));
    REQUIRE(window.resubmitFailedAction()->isEnabled());
    window.resubmitFailedAction()->trigger();
    CHECK_FALSE(window.resubmitFailedAction()->isEnabled());  // once
    waitFinished(window, id);
    INFO("error: " << takeClusterError(window).toStdString());
    CHECK(model.job(id)->state == JobState::Done);
    CHECK(fileText(model, id) == "Cluster: inputs — 3/3 parts done, merged");
    const benchtop::cluster::Submission* submission = window.clusterController()->submission(id);
    CHECK(submission->resubmittedAs.count(1) == 1);
    CHECK(fs::exists(fs::path(submission->dir) / "merged" / "inputs" / "embeddings.npy"));

    // Parts that take their time, cancelled from the row: scancel of the array and the merge.
    const fs::path slow = slurm.dir() / "slow-cli.sh";
    writeScript(slow, "sleep 120\nexec '" BENCHTOP_CLI "' \"$@\"\n");
    dialog = window.runOnCluster({corpus()});
    fillDialog(*dialog, 3, slurm.dir() / "work", slow.string());
    const JobId slowId = submitDialog(window, dialog);
    REQUIRE(waitUntil([&]() { return !window.clusterController()->isBusy(slowId); }, 60000));
    CHECK(model.index(model.rowOf(slowId), 0).data(JobListModel::ActionRole).toString() == "cancel");
    window.cancelJob(slowId);
    waitFinished(window, slowId);
    INFO("error: " << takeClusterError(window).toStdString());
    CHECK(model.job(slowId)->state == JobState::Cancelled);
    CHECK(stateText(model, slowId) == "Cancelled");
    CHECK_THAT(fileText(model, slowId).toStdString(), ContainsSubstring("0/3 parts done, cancelled"));
    CHECK(window.clusterController()->status(slowId).mergeState.rfind("CANCELLED", 0) == 0);

    // Clear Finished forgets them all, in the settings too.
    CHECK(window.settings().clusterSubmissions().size() == 2);  // the refused one was never submitted
    for (QAction* action : window.findChildren<QAction*>())
        if (action->text() == "C&lear Finished") action->trigger();
    CHECK(model.rowCount() == 0);
    CHECK(window.clusterController()->ids().isEmpty());
    CHECK(window.settings().clusterSubmissions().isEmpty());
}

// Not run by default: `test_cluster_submit "[.screenshot]"` with BENCHTOP_SCREENSHOTS=DIR saves the dialog with its
// scripts shown (docs/screenshots/cluster-dialog.png) and the window with a submission under way beside a finished
// local job (cluster-jobs.png).
TEST_CASE("screenshots of Run on Cluster", "[.screenshot]") {
    const char* dir = std::getenv("BENCHTOP_SCREENSHOTS");
    if (!dir) SKIP("BENCHTOP_SCREENSHOTS is not set");
    uiApp();
    benchtop::test::resetSettings();
    LocalSlurm slurm("bt-uislurm");
    slurm.exportConf();
    Engine engine(benchtop::workloads::builtinTasks());
    MainWindow window(engine);
    window.resize(1280, 800);
    window.show();
    useTinyText(window.settings());
    window.clusterController()->setPollInterval(250);

    // A local job of the same corpus first, finished.
    window.addPaths({corpus()});
    REQUIRE(waitUntil([&]() { return window.jobModel()->job(window.jobModel()->jobAt(0).id)->state == JobState::Done; },
                      60000));

    // Parts that end one after another, so the picture catches some done, one running and some queued.
    const fs::path staggered = slurm.dir() / "staggered-cli.sh";
    writeScript(staggered, "sleep $(( ${SLURM_ARRAY_TASK_ID:-0} * 6 ))\nexec '" BENCHTOP_CLI "' \"$@\"\n");
    ClusterDialog* dialog = window.runOnCluster({corpus()});
    fillDialog(*dialog, 4, slurm.dir() / "benchtop-slurm", "");
    dialog->partitionEdit()->setText("gpu");
    dialog->timeEdit()->setText("1:00:00");
    dialog->memoryEdit()->setText("16G");
    dialog->cpusSpin()->setValue(8);
    dialog->gpusSpin()->setValue(1);
    dialog->cliPathEdit()->setText("/opt/benchtop/bin/benchtop-cli");
    dialog->resize(720, 760);
    dialog->showScriptsButton()->click();
    waitUntil([] { return false; }, 300);
    CHECK(dialog->grab().save(QString::fromUtf8(dir) + QStringLiteral("/cluster-dialog.png")));

    // The real submission: into the test's folder, run by the staggered wrapper.
    fillDialog(*dialog, 4, slurm.dir() / "work", staggered.string());
    dialog->partitionEdit()->clear();
    dialog->timeEdit()->clear();
    dialog->memoryEdit()->clear();
    dialog->cpusSpin()->setValue(0);
    dialog->gpusSpin()->setValue(0);
    const JobId id = submitDialog(window, dialog);
    // The local job's results below, the submission's progress in its row; the table gets the window's width.
    window.chartsDock()->hide();
    window.jobView()->selectRow(0);
    REQUIRE(waitUntil([&]() { return window.clusterController()->status(id).completed() >= 2; }, kRunTimeoutMs));
    waitUntil([] { return false; }, 300);
    CHECK(window.grab().save(QString::fromUtf8(dir) + QStringLiteral("/cluster-jobs.png")));
    waitFinished(window, id);
}
