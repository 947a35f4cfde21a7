// `benchtop-cli slurm submit|status|resubmit`: a run split into a Slurm job array (one `run --shard I/N` per array
// task) and a merge job that waits for it (--dependency=afterok), on the real scheduler through sbatch/squeue/sacct.
#include "app/cli/slurm_command.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/engine/input_plan.h"
#include "core/engine/task.h"

namespace fs = std::filesystem;

namespace benchtop::cli {
namespace {

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Runs a shell command and returns its standard output; throws naming the command when it fails.
std::string capture(const std::string& command) {
#ifdef _WIN32
    (void)command;
    throw Error("slurm", "Slurm clients (sbatch, squeue) are not available on Windows.");
#else
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) throw Error(command, "could not be started.");
    std::string out;
    std::array<char, 4096> buffer{};
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    const int status = pclose(pipe);
    if (status != 0) throw Error(command, "failed: " + out);
    return out;
#endif
}

/// The path of this program, so the scripts run the same benchtop-cli on the nodes.
std::string selfPath() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("benchtop-cli") : self.u8string();
}

struct SubmitOptions {
    std::vector<std::string> inputs;
    int shards = 4;
    std::string partition;
    std::string time;
    std::string mem;
    int gpusPerTask = 0;
    int cpusPerTask = 0;
    std::string outputDir = "benchtop-slurm";
    bool dryRun = false;
    // Passed on to `run` on every array task.
    std::string task;
    std::string model;
    std::string device;
    std::string precision;
    std::vector<std::string> sets;
};

/// One submission's folder: scripts, logs, parts, merged results and submission.json.
struct Submission {
    fs::path dir;
    int shards = 0;
    std::vector<std::string> stems;  ///< result names of the planned jobs (one per input file)
    std::string arrayJob;
    std::string mergeJob;
};

nlohmann::json toJson(const Submission& s) {
    return {{"dir", s.dir.u8string()},
            {"shards", s.shards},
            {"stems", s.stems},
            {"array_job", s.arrayJob},
            {"merge_job", s.mergeJob}};
}

Submission readSubmission(const std::string& dir) {
    const fs::path path = fs::u8path(dir) / "submission.json";
    std::ifstream in(path);
    if (!in) throw Error(dir, "is not a folder written by `benchtop-cli slurm submit` (no submission.json).");
    const auto j = nlohmann::json::parse(in);
    Submission s;
    s.dir = fs::u8path(j.at("dir").get<std::string>());
    s.shards = j.at("shards").get<int>();
    s.stems = j.at("stems").get<std::vector<std::string>>();
    s.arrayJob = j.value("array_job", "");
    s.mergeJob = j.value("merge_job", "");
    return s;
}

void writeSubmission(const Submission& s) {
    std::ofstream out(s.dir / "submission.json");
    out << toJson(s).dump(2) << "\n";
}

std::string header(const SubmitOptions& o, const std::string& name, const fs::path& log) {
    std::string h = "#!/bin/bash\n#SBATCH --job-name=" + name + "\n#SBATCH --output=" + log.u8string() + "\n";
    if (!o.partition.empty()) h += "#SBATCH --partition=" + o.partition + "\n";
    if (!o.time.empty()) h += "#SBATCH --time=" + o.time + "\n";
    if (!o.mem.empty()) h += "#SBATCH --mem=" + o.mem + "\n";
    if (o.cpusPerTask > 0) h += "#SBATCH --cpus-per-task=" + std::to_string(o.cpusPerTask) + "\n";
    return h;
}

/// Writes array.sbatch and merge.sbatch; returns their texts.
std::pair<std::string, std::string> writeScripts(const SubmitOptions& o, const Submission& s) {
    const std::string cli = shellQuote(selfPath());
    std::string run = cli + " run";
    for (const auto& input : o.inputs) run += " " + shellQuote(fs::absolute(fs::u8path(input)).u8string());
    if (!o.task.empty()) run += " --task " + shellQuote(o.task);
    if (!o.model.empty()) run += " --model " + shellQuote(o.model);
    if (!o.device.empty()) run += " --device " + shellQuote(o.device);
    if (!o.precision.empty()) run += " --precision " + shellQuote(o.precision);
    for (const auto& set : o.sets) run += " --set " + shellQuote(set);
    // Threads: the CPUs Slurm gave the task (where cgroups do not confine it, the process would see them all).
    run += " --threads \"${SLURM_CPUS_PER_TASK:-${SLURM_CPUS_ON_NODE:-0}}\"";
    run += " -o " + shellQuote((s.dir / "parts").u8string()) + " --shard \"$SLURM_ARRAY_TASK_ID/" +
           std::to_string(s.shards) + "\" -q";
    std::string array = header(o, "benchtop-parts", s.dir / "logs" / "part-%a.out");
    array += "#SBATCH --array=0-" + std::to_string(s.shards - 1) + "\n";
    if (o.gpusPerTask > 0) array += "#SBATCH --gres=gpu:" + std::to_string(o.gpusPerTask) + "\n";
    array += "set -euo pipefail\n";
    // A resubmitted task starts from a clean part folder.
    for (const auto& stem : s.stems)
        array += "rm -rf " + shellQuote((s.dir / "parts" / stem).u8string()) + "\".shard-$SLURM_ARRAY_TASK_ID-of-" +
                 std::to_string(s.shards) + "\"\n";
    array += "exec " + run + "\n";

    std::string merge = header(o, "benchtop-merge", s.dir / "logs" / "merge.out");
    merge += "set -euo pipefail\n";
    for (const auto& stem : s.stems) {
        merge += cli + " merge " + shellQuote((s.dir / "merged" / stem).u8string());
        for (int i = 0; i < s.shards; ++i)
            merge += " " + shellQuote((s.dir / "parts" /
                                       (stem + ".shard-" + std::to_string(i) + "-of-" + std::to_string(s.shards)))
                                          .u8string());
        merge += "\n";
    }
    std::ofstream(s.dir / "array.sbatch") << array;
    std::ofstream(s.dir / "merge.sbatch") << merge;
    return {array, merge};
}

int runSubmit(const SubmitOptions& o, const engine::TaskRegistry& registry) {
    if (o.shards < 1 || o.shards > 10000) throw Error("--shards", "must be from 1 to 10000.");
    // The jobs `run` will make of these inputs, planned as it plans them: one merged result per job.
    engine::PlanOptions planOptions;
    planOptions.task = o.task;
    const engine::InputPlan plan = engine::planInputs(o.inputs, registry, planOptions);
    if (plan.jobs.empty()) throw Error(o.inputs.front(), "no file any task handles was found there");
    Submission s;
    s.shards = o.shards;
    for (const auto& job : plan.jobs) {
        if (job.kind && !job.kind->shardable)
            throw Error(job.inputs.front(), job.kind->name + " jobs cannot be split into parts yet; run them whole.");
        s.stems.push_back(engine::resultStem(job.inputs));
    }
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    s.dir = fs::absolute(fs::u8path(o.outputDir)) / (std::string("slurm-") + stamp);
    for (int n = 2; fs::exists(s.dir); ++n)
        s.dir = fs::absolute(fs::u8path(o.outputDir)) / (std::string("slurm-") + stamp + "-" + std::to_string(n));
    fs::create_directories(s.dir / "logs");
    const auto [array, merge] = writeScripts(o, s);
    if (o.dryRun) {
        std::printf("# %s\n%s\n# %s (submitted with --dependency=afterok:<array job>)\n%s",
                    (s.dir / "array.sbatch").u8string().c_str(), array.c_str(),
                    (s.dir / "merge.sbatch").u8string().c_str(), merge.c_str());
        writeSubmission(s);
        return kExitOk;
    }
    s.arrayJob = trimWhitespace(capture("sbatch --parsable " + shellQuote((s.dir / "array.sbatch").u8string())));
    s.arrayJob = s.arrayJob.substr(0, s.arrayJob.find(';'));  // "id;cluster" on multi-cluster setups
    s.mergeJob = trimWhitespace(capture("sbatch --parsable --dependency=afterok:" + s.arrayJob + " " +
                                        shellQuote((s.dir / "merge.sbatch").u8string())));
    s.mergeJob = s.mergeJob.substr(0, s.mergeJob.find(';'));
    writeSubmission(s);
    std::printf("array job %s (%d tasks), merge job %s (after the array succeeds)\n", s.arrayJob.c_str(), s.shards,
                s.mergeJob.c_str());
    std::printf("folder %s\nresults %s\n", s.dir.u8string().c_str(), (s.dir / "merged").u8string().c_str());
    std::printf("follow with: benchtop-cli slurm status %s\n", shellQuote(s.dir.u8string()).c_str());
    return kExitOk;
}

/// State of each array task and of the merge job: sacct where the cluster keeps accounting (slurmdbd), then
/// squeue, which knows finished jobs too for MinJobAge (default 5 minutes) and wins for live ones.
std::map<std::string, std::string> jobStates(const Submission& s) {
    std::map<std::string, std::string> states;
    const std::string ids = s.arrayJob + "," + s.mergeJob;
    try {
        std::istringstream acct(capture("sacct -n -P -X -j " + ids + " -o JobID,State"));
        for (std::string line; std::getline(acct, line);) {
            const auto bar = line.find('|');
            if (bar != std::string::npos) states[line.substr(0, bar)] = trimWhitespace(line.substr(bar + 1));
        }
    } catch (const Error&) {
        // No accounting on this cluster: squeue below still knows pending and running tasks.
    }
    try {
        std::istringstream queue(capture("squeue -h -r -t all -j " + ids + " -o '%i|%T'"));
        for (std::string line; std::getline(queue, line);) {
            const auto bar = line.find('|');
            if (bar != std::string::npos) states[line.substr(0, bar)] = trimWhitespace(line.substr(bar + 1));
        }
    } catch (const Error&) {
    }
    return states;
}

/// The state of array task `i`. A task cancelled while it was pending leaves no record of its own (squeue drops
/// it; without accounting sacct never had it): when the array is known but the task is not and its part folders
/// are missing, it is MISSING, and counts as failed.
std::string taskState(const Submission& s, const std::map<std::string, std::string>& states, int i) {
    const auto it = states.find(s.arrayJob + "_" + std::to_string(i));
    if (it != states.end()) return it->second;
    bool arrayKnown = false;
    for (const auto& [id, state] : states) arrayKnown = arrayKnown || id.rfind(s.arrayJob + "_", 0) == 0;
    bool written = !s.stems.empty();
    for (const auto& stem : s.stems)
        written = written && fs::exists(s.dir / "parts" /
                                        (stem + ".shard-" + std::to_string(i) + "-of-" + std::to_string(s.shards)));
    if (written) return "COMPLETED";
    return arrayKnown ? "MISSING" : "UNKNOWN";
}

std::vector<int> failedTasks(const Submission& s, const std::map<std::string, std::string>& states) {
    std::vector<int> failed;
    for (int i = 0; i < s.shards; ++i) {
        const std::string state = taskState(s, states, i);
        if (state.rfind("FAILED", 0) == 0 || state.rfind("CANCELLED", 0) == 0 || state.rfind("TIMEOUT", 0) == 0 ||
            state.rfind("NODE_FAIL", 0) == 0 || state.rfind("OUT_OF_MEMORY", 0) == 0 || state == "MISSING")
            failed.push_back(i);
    }
    return failed;
}

int runStatus(const std::string& dir) {
    const Submission s = readSubmission(dir);
    const auto states = jobStates(s);
    for (int i = 0; i < s.shards; ++i) {
        const std::string id = s.arrayJob + "_" + std::to_string(i);
        const std::string state = taskState(s, states, i);
        std::printf("part %d/%d  %-12s %s%s\n", i, s.shards, id.c_str(), state.c_str(),
                    state == "MISSING" ? " (cancelled before it started, or forgotten by Slurm)" : "");
    }
    const auto merge = states.find(s.mergeJob);
    std::printf("merge      %-12s %s\n", s.mergeJob.c_str(), merge == states.end() ? "UNKNOWN" : merge->second.c_str());
    if (const auto failed = failedTasks(s, states); !failed.empty())
        std::printf("%zu part(s) failed: benchtop-cli slurm resubmit %s\n", failed.size(),
                    shellQuote(s.dir.u8string()).c_str());
    return kExitOk;
}

int runResubmit(const std::string& dir) {
    Submission s = readSubmission(dir);
    const auto states = jobStates(s);
    const auto failed = failedTasks(s, states);
    if (failed.empty()) {
        std::printf("no failed parts to resubmit\n");
        return kExitOk;
    }
    std::string indices;
    for (int i : failed) indices += (indices.empty() ? "" : ",") + std::to_string(i);
    // The failed tasks alone; the merge waits for the rest of the array (which finished) and for them.
    const std::string again = trimWhitespace(
        capture("sbatch --parsable --array=" + indices + " " + shellQuote((s.dir / "array.sbatch").u8string())));
    const std::string againId = again.substr(0, again.find(';'));
    try {
        capture("scancel " + s.mergeJob);  // the old merge waits on a failed array forever (or was cancelled)
    } catch (const Error&) {
    }
    s.mergeJob = trimWhitespace(capture("sbatch --parsable --dependency=afterok:" + againId + " " +
                                        shellQuote((s.dir / "merge.sbatch").u8string())));
    s.mergeJob = s.mergeJob.substr(0, s.mergeJob.find(';'));
    nlohmann::json record = toJson(s);
    record["resubmitted"] = {{"array_job", againId}, {"tasks", failed}};
    std::ofstream(s.dir / "submission.json") << record.dump(2) << "\n";
    std::printf("resubmitted part(s) %s as job %s; merge job %s\n", indices.c_str(), againId.c_str(),
                s.mergeJob.c_str());
    return kExitOk;
}

}  // namespace

void addSlurmCommand(CLI::App& app, const engine::TaskRegistry& registry) {
    auto* slurm = app.add_subcommand("slurm", "Run jobs across a Slurm cluster: an array of parts and a merge");
    slurm->require_subcommand(1);

    auto o = std::make_shared<SubmitOptions>();
    auto* submit = slurm->add_subcommand(
        "submit", "Write and submit a job array (one `run --shard I/N` per task) and a merge job after it");
    submit->add_option("inputs", o->inputs, "Input files or folders")->required();
    submit->add_option("--shards", o->shards, "Parts (array tasks)")->capture_default_str();
    submit->add_option("--partition", o->partition, "Slurm partition");
    submit->add_option("--gpus-per-task", o->gpusPerTask, "GPUs per array task (--gres=gpu:G)");
    submit->add_option("--cpus-per-task", o->cpusPerTask, "CPUs per array task");
    submit->add_option("--time", o->time, "Time limit per task (Slurm format, e.g. 2:00:00)");
    submit->add_option("--mem", o->mem, "Memory per task (e.g. 16G)");
    submit->add_option("-o,--output", o->outputDir, "Folder for the submission (scripts, logs, parts, merged)")
        ->capture_default_str();
    submit->add_flag("--dry-run", o->dryRun, "Write and print the scripts without submitting");
    submit->add_option("--task", o->task, "As for run");
    submit->add_option("--model", o->model, "As for run");
    submit->add_option("--device", o->device, "As for run");
    submit->add_option("--precision", o->precision, "As for run");
    submit->add_option("--set", o->sets, "Task option key=value, as for run (repeatable)");
    setCommandAction(*submit, [o, registry] { return runSubmit(*o, registry); });

    auto statusDir = std::make_shared<std::string>();
    auto* status = slurm->add_subcommand("status", "States of a submission's parts and merge (squeue, sacct)");
    status->add_option("dir", *statusDir, "The submission folder")->required();
    setCommandAction(*status, [statusDir] { return runStatus(*statusDir); });

    auto resubmitDir = std::make_shared<std::string>();
    auto* resubmit = slurm->add_subcommand("resubmit", "Submit a submission's failed parts again, and a new merge");
    resubmit->add_option("dir", *resubmitDir, "The submission folder")->required();
    setCommandAction(*resubmit, [resubmitDir] { return runResubmit(*resubmitDir); });
}

}  // namespace benchtop::cli
