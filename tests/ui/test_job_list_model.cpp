#include <catch2/catch_test_macros.hpp>

#include "tests/ui/ui_test_support.h"
#include "ui/job_list_model.h"

using benchtop::engine::JobSnapshot;
using benchtop::engine::JobState;
using benchtop::ui::JobListModel;

namespace {
JobSnapshot job(benchtop::engine::JobId id, JobState state, double done, double total) {
    JobSnapshot j;
    j.id = id;
    j.spec.inputs = {"/data/GSE40279_beta.csv.gz"};
    j.task = "methylation";
    j.taskName = "Epigenetic clocks";
    j.state = state;
    j.progress.done = done;
    j.progress.total = total;
    j.progress.unit = "samples";
    j.progress.etaSeconds = 83;
    j.deviceLabel = "cpu · bf16";
    j.deviceReason = "auto: bf16 because the CPU has AMX-BF16";
    return j;
}
}  // namespace

TEST_CASE("the job model shows one row per job with readable columns", "[ui][job_list_model]") {
    JobListModel model;
    model.upsert(job(7, JobState::Running, 25, 100));
    REQUIRE(model.rowCount() == 1);
    CHECK(model.rowOf(7) == 0);
    CHECK(model.index(0, JobListModel::FileColumn).data().toString() == "GSE40279_beta.csv.gz");
    CHECK(model.index(0, JobListModel::FileColumn).data(Qt::ToolTipRole).toString() == "/data/GSE40279_beta.csv.gz");
    CHECK(model.index(0, JobListModel::TaskColumn).data().toString() == "Epigenetic clocks");
    CHECK(model.index(0, JobListModel::ModelColumn).data().toString() == "default");
    CHECK(model.index(0, JobListModel::DeviceColumn).data().toString() == "cpu · bf16");
    CHECK(model.index(0, JobListModel::DeviceColumn).data(Qt::ToolTipRole).toString() ==
          "cpu · bf16\nauto: bf16 because the CPU has AMX-BF16");
    CHECK(model.index(0, JobListModel::ProgressColumn).data(JobListModel::FractionRole).toDouble() == 0.25);
    CHECK(model.index(0, JobListModel::ProgressColumn).data().toString() == "25%");
    CHECK(model.index(0, JobListModel::EtaColumn).data().toString() == "1 m 23 s");
    CHECK(model.index(0, JobListModel::StateColumn).data().toString() == "Running");
    CHECK(model.index(0, JobListModel::ActionColumn).data().toString() == "Cancel");
    CHECK(model.activeCount() == 1);

    // A long device label is shortened to device · precision in the cell; the tooltip keeps it whole.
    JobSnapshot threaded = job(7, JobState::Running, 25, 100);
    threaded.deviceLabel = "CPU · bf16 · 16 threads";
    threaded.spec.model = "/models/bge-small-en-v1.5";
    model.upsert(threaded);
    CHECK(model.index(0, JobListModel::DeviceColumn).data().toString() == "CPU · bf16");
    CHECK(model.index(0, JobListModel::DeviceColumn)
              .data(Qt::ToolTipRole)
              .toString()
              .startsWith("CPU · bf16 · 16 threads\n"));
    CHECK(model.index(0, JobListModel::ModelColumn).data(Qt::ToolTipRole).toString() == "/models/bge-small-en-v1.5");
}

TEST_CASE("the job model ignores stale snapshots and shows full errors in tooltips", "[ui][job_list_model]") {
    JobListModel model;
    model.upsert(job(1, JobState::Running, 50, 100));
    model.upsert(job(1, JobState::Running, 40, 100));  // older progress event arriving late
    CHECK(model.jobAt(0).progress.done == 50);

    JobSnapshot failed = job(1, JobState::Failed, 50, 100);
    failed.error = "GSE40279_beta.csv.gz: row 12 has 3 values but the header has 4 columns.\nFix the file and retry.";
    model.upsert(failed);
    model.upsert(job(1, JobState::Running, 60, 100));  // a progress event after the failure
    REQUIRE(model.rowCount() == 1);
    CHECK(model.jobAt(0).state == JobState::Failed);
    CHECK(model.index(0, JobListModel::ErrorColumn).data().toString() ==
          "GSE40279_beta.csv.gz: row 12 has 3 values but the header has 4 columns. …");
    CHECK(model.index(0, JobListModel::ErrorColumn).data(Qt::ToolTipRole).toString().toStdString() == failed.error);
    CHECK(model.index(0, JobListModel::ActionColumn).data().toString().isEmpty());

    JobSnapshot done = job(2, JobState::Done, 100, 100);
    done.resultFiles = {"/data/benchtop-results/GSE40279_beta.clocks.csv"};
    done.summary = "656 samples x 12 clocks";
    done.progress.elapsedSeconds = 3725;
    model.upsert(done);
    REQUIRE(model.rowCount() == 2);
    CHECK(model.index(1, JobListModel::ActionColumn).data().toString() == "Open results");
    CHECK(model.index(1, JobListModel::ErrorColumn).data().toString() == "656 samples x 12 clocks");
    CHECK(model.index(1, JobListModel::EtaColumn).data().toString() == "took 1 h 02 m");
    CHECK(model.activeCount() == 0);

    model.clearFinished();
    CHECK(model.rowCount() == 0);
    CHECK(model.rowOf(2) == -1);
}

TEST_CASE("durations are formatted for people", "[ui][job_list_model]") {
    CHECK(JobListModel::formatDuration(-1).isEmpty());
    CHECK(JobListModel::formatDuration(0) == "0 s");
    CHECK(JobListModel::formatDuration(59.4) == "59 s");
    CHECK(JobListModel::formatDuration(61) == "1 m 01 s");
    CHECK(JobListModel::formatDuration(7260) == "2 h 01 m");
}

TEST_CASE("a row with texts of its own shows them, may go back to running and is cleared when finished",
          "[ui][job_list_model]") {
    JobListModel model;
    model.upsert(job(1, JobState::Running, 25, 100));
    JobSnapshot row = job(1000, JobState::Failed, 2, 4);
    row.progress.unit = "parts";
    JobListModel::RowTexts texts;
    texts.file = "Cluster: beta — 2/3 parts done, part 1 failed";
    texts.device = "Slurm";
    texts.progress = "2/3";
    texts.result = "Part 1 failed (FAILED)";
    texts.canResubmit = true;
    model.upsertRow(row, texts);
    REQUIRE(model.rowCount() == 2);
    REQUIRE(model.rowTexts(1000));
    CHECK(model.rowTexts(1) == nullptr);
    CHECK(model.index(1, JobListModel::FileColumn).data().toString() == texts.file);
    // No tooltip of its own: the snapshot's (the inputs).
    CHECK(model.index(1, JobListModel::FileColumn).data(Qt::ToolTipRole).toString() == "/data/GSE40279_beta.csv.gz");
    CHECK(model.index(1, JobListModel::DeviceColumn).data().toString() == "Slurm");
    CHECK(model.index(1, JobListModel::ProgressColumn).data().toString() == "2/3");
    CHECK(model.index(1, JobListModel::StateColumn).data().toString() == "Failed");
    CHECK(model.index(1, JobListModel::ErrorColumn).data().toString() == "Part 1 failed (FAILED)");
    CHECK(model.index(1, 0).data(JobListModel::CanResubmitRole).toBool());
    CHECK(model.index(1, 0).data(JobListModel::ActionRole).toString() == "resubmit");
    CHECK(model.index(1, JobListModel::ActionColumn).data().toString() == "Resubmit failed");
    CHECK_FALSE(model.index(0, 0).data(JobListModel::CanResubmitRole).toBool());

    // Resubmitted: running again (an engine job's row never goes back; this one does).
    row.state = JobState::Running;
    texts.state = "Merging";
    texts.canResubmit = false;
    model.upsertRow(row, texts);
    CHECK(model.index(1, JobListModel::StateColumn).data().toString() == "Merging");
    CHECK(model.index(1, 0).data(JobListModel::ActionRole).toString() == "cancel");

    row.state = JobState::Done;
    model.upsertRow(row, texts);
    model.clearFinished();
    CHECK(model.rowCount() == 1);
    CHECK(model.rowTexts(1000) == nullptr);
}
