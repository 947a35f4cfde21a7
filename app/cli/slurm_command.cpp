// `benchtop-cli slurm submit|status|resubmit|cancel`: a run split into a Slurm job array (one `run --shard I/N` per
// array task) and a merge job that waits for it (--dependency=afterok), on the real scheduler (core/cluster).
#include "app/cli/slurm_command.h"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/cli/commands.h"
#include "app/cli/workload_flags.h"
#include "core/cluster/slurm.h"
#include "core/engine/task.h"

namespace benchtop::cli {
namespace {

struct SubmitOptions {
    cluster::SlurmRequest request;
    bool dryRun = false;
    // Values of the flags the task kinds declare (option key -> value), as for run.
    std::shared_ptr<OptionValues> flags = std::make_shared<OptionValues>();
};

int runSubmit(const SubmitOptions& o, const engine::TaskRegistry& registry) {
    cluster::SlurmRequest request = o.request;
    for (const auto& [key, value] : *o.flags) request.sets.push_back(key + "=" + value);
    cluster::Submission s = cluster::prepareSubmission(request, registry);
    if (o.dryRun) {
        std::printf("# %s/array.sbatch\n%s\n# %s/merge.sbatch (submitted with --dependency=afterok:<array job>)\n%s",
                    s.dir.c_str(), s.arrayScript.c_str(), s.dir.c_str(), s.mergeScript.c_str());
        return kExitOk;
    }
    cluster::submit(s);
    std::printf("array job %s (%d tasks), merge job %s (after the array succeeds)\n", s.arrayJob.c_str(), s.shards,
                s.mergeJob.c_str());
    std::printf("folder %s\nresults %s/merged\n", s.dir.c_str(), s.dir.c_str());
    std::printf("follow with: benchtop-cli slurm status %s\n", cluster::shellQuote(s.dir).c_str());
    return kExitOk;
}

int runStatus(const std::string& dir) {
    const cluster::Submission s = cluster::readSubmission(dir);
    const cluster::SubmissionStatus status = cluster::querySubmission(s);
    for (const auto& part : status.parts)
        std::printf("part %d/%d  %-12s %s%s\n", part.index, s.shards, part.jobId.c_str(), part.state.c_str(),
                    part.state == "MISSING" ? " (cancelled before it started, or forgotten by Slurm)" : "");
    std::printf("merge      %-12s %s\n", s.mergeJob.c_str(), status.mergeState.c_str());
    if (status.merged) std::printf("results %s/merged\n", s.dir.c_str());
    if (const int failed = status.failedCount(); failed > 0)
        std::printf("%d part(s) failed: benchtop-cli slurm resubmit %s\n", failed, cluster::shellQuote(s.dir).c_str());
    return kExitOk;
}

int runResubmit(const std::string& dir) {
    cluster::Submission s = cluster::readSubmission(dir);
    const std::vector<int> failed = cluster::resubmitFailed(s);
    if (failed.empty()) {
        std::printf("no failed parts to resubmit\n");
        return kExitOk;
    }
    std::string indices;
    for (int i : failed) indices += (indices.empty() ? "" : ",") + std::to_string(i);
    std::printf("resubmitted part(s) %s as job %s; merge job %s\n", indices.c_str(),
                s.resubmittedAs.at(failed.front()).c_str(), s.mergeJob.c_str());
    return kExitOk;
}

int runCancel(const std::string& dir) {
    const cluster::Submission s = cluster::readSubmission(dir);
    cluster::cancelSubmission(s);
    std::printf("cancelled array job %s and merge job %s\n", s.arrayJob.c_str(), s.mergeJob.c_str());
    return kExitOk;
}

}  // namespace

void addSlurmCommand(CLI::App& app, const engine::TaskRegistry& registry) {
    auto* slurm = app.add_subcommand("slurm", "Run jobs across a Slurm cluster: an array of parts and a merge");
    slurm->require_subcommand(1);

    auto o = std::make_shared<SubmitOptions>();
    auto& r = o->request;
    auto* submit = slurm->add_subcommand(
        "submit", "Write and submit a job array (one `run --shard I/N` per task) and a merge job after it");
    submit->add_option("inputs", r.inputs, "Input files or folders")->required();
    submit->add_option("--shards", r.shards, "Parts (array tasks)")->capture_default_str();
    submit->add_option("--partition", r.partition, "Slurm partition");
    submit->add_option("--gpus-per-task", r.gpusPerTask, "GPUs per array task (--gres=gpu:G)");
    submit->add_option("--cpus-per-task", r.cpusPerTask, "CPUs per array task");
    submit->add_option("--time", r.time, "Time limit per task (Slurm format, e.g. 2:00:00)");
    submit->add_option("--mem", r.mem, "Memory per task (e.g. 16G)");
    submit->add_option("-o,--output", r.outputDir, "Folder for the submission (scripts, logs, parts, merged)")
        ->capture_default_str();
    submit->add_flag("--dry-run", o->dryRun, "Write and print the scripts without submitting");
    submit->add_option("--task", r.task, "As for run");
    submit->add_option("--model", r.model, "As for run");
    submit->add_option("--device", r.device, "As for run");
    submit->add_option("--precision", r.precision, "As for run");
    submit->add_option("--set", r.sets, "Task option key=value, as for run (repeatable)");
    addWorkloadFlags(*submit, registry, o->flags);
    setCommandAction(*submit, [o, &registry] { return runSubmit(*o, registry); });

    auto statusDir = std::make_shared<std::string>();
    auto* status = slurm->add_subcommand("status", "States of a submission's parts and merge (squeue, sacct)");
    status->add_option("dir", *statusDir, "The submission folder")->required();
    setCommandAction(*status, [statusDir] { return runStatus(*statusDir); });

    auto resubmitDir = std::make_shared<std::string>();
    auto* resubmit = slurm->add_subcommand("resubmit", "Submit a submission's failed parts again, and a new merge");
    resubmit->add_option("dir", *resubmitDir, "The submission folder")->required();
    setCommandAction(*resubmit, [resubmitDir] { return runResubmit(*resubmitDir); });

    auto cancelDir = std::make_shared<std::string>();
    auto* cancel = slurm->add_subcommand("cancel", "Cancel a submission's parts and merge (scancel)");
    cancel->add_option("dir", *cancelDir, "The submission folder")->required();
    setCommandAction(*cancel, [cancelDir] { return runCancel(*cancelDir); });
}

}  // namespace benchtop::cli
