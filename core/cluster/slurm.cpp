#include "core/cluster/slurm.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/engine/input_plan.h"
#include "core/engine/task.h"

namespace fs = std::filesystem;

namespace benchtop::cluster {
namespace {

/// Runs a shell command; returns its exit status and its output (stdout and stderr) in `out`.
int run(const std::string& command, std::string& out) {
#ifdef _WIN32
    (void)command;
    (void)out;
    throw Error("slurm", "Slurm clients (sbatch, squeue) are not available on Windows.");
#else
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) throw Error(command, "could not be started.");
    out.clear();
    std::array<char, 4096> buffer{};
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
    return pclose(pipe);
#endif
}

/// Runs a shell command and returns its output; throws naming the command when it fails.
std::string capture(const std::string& command) {
    std::string out;
    if (run(command, out) != 0) throw Error(command, "failed: " + out);
    return out;
}

/// The job id sbatch --parsable printed ("id" or "id;cluster").
std::string jobIdOf(const std::string& printed) {
    const std::string id = trimWhitespace(printed);
    return id.substr(0, id.find(';'));
}

/// benchtop-cli beside this program (the window's executable or benchtop-cli itself), else from PATH.
std::string defaultCli() {
#ifdef __linux__
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path beside = self.parent_path() / "benchtop-cli";
        if (fs::exists(beside, ec)) return beside.u8string();
    }
#endif
    return "benchtop-cli";
}

nlohmann::json toJson(const Submission& s) {
    nlohmann::json again = nlohmann::json::object();
    for (const auto& [index, job] : s.resubmittedAs) again[std::to_string(index)] = job;
    return {{"dir", s.dir},
            {"shards", s.shards},
            {"stems", s.stems},
            {"array_job", s.arrayJob},
            {"merge_job", s.mergeJob},
            {"resubmitted_as", again}};
}

void writeSubmissionFile(const Submission& s) {
    const nlohmann::json record = toJson(s);
    const fs::path path = fs::u8path(s.dir) / "submission.json";
    std::ofstream out(path, std::ios::binary);
    out << record.dump(2) << "\n";
    if (!out) throw Error(path.u8string(), "could not be written.");
}

std::string header(const SlurmRequest& o, const std::string& name, const fs::path& log) {
    std::string h = "#!/bin/bash\n#SBATCH --job-name=" + name + "\n#SBATCH --output=" + log.u8string() + "\n";
    if (!o.partition.empty()) h += "#SBATCH --partition=" + o.partition + "\n";
    if (!o.time.empty()) h += "#SBATCH --time=" + o.time + "\n";
    if (!o.mem.empty()) h += "#SBATCH --mem=" + o.mem + "\n";
    if (o.cpusPerTask > 0) h += "#SBATCH --cpus-per-task=" + std::to_string(o.cpusPerTask) + "\n";
    return h;
}

/// "key=value" with a file or folder value made absolute (the nodes run elsewhere than this shell).
std::string absoluteSet(const std::string& set, const engine::TaskRegistry& registry) {
    const auto eq = set.find('=');
    if (eq == std::string::npos || eq + 1 == set.size()) return set;
    const std::string key = set.substr(0, eq);
    for (const auto& kind : registry.kinds())
        if (const engine::OptionSpec* option = kind.option(key))
            if (option->type == engine::OptionType::File || option->type == engine::OptionType::Folder)
                return key + "=" + fs::absolute(fs::u8path(set.substr(eq + 1))).u8string();
    return set;
}

/// Fills the scripts' texts of `s` and writes them.
void writeScripts(const SlurmRequest& o, Submission& s) {
    const fs::path dir = fs::u8path(s.dir);
    const std::string cli = shellQuote(o.cliPath.empty() ? defaultCli() : o.cliPath);
    std::string run = cli + " run";
    for (const auto& input : o.inputs) run += " " + shellQuote(fs::absolute(fs::u8path(input)).u8string());
    if (!o.task.empty()) run += " --task " + shellQuote(o.task);
    if (!o.model.empty()) run += " --model " + shellQuote(o.model);
    if (!o.device.empty()) run += " --device " + shellQuote(o.device);
    if (!o.precision.empty()) run += " --precision " + shellQuote(o.precision);
    for (const auto& set : o.sets) run += " --set " + shellQuote(set);
    // Threads: the CPUs Slurm gave the task (where cgroups do not confine it, the process would see them all).
    run += " --threads \"${SLURM_CPUS_PER_TASK:-${SLURM_CPUS_ON_NODE:-0}}\"";
    run += " -o " + shellQuote((dir / "parts").u8string()) + " --shard \"$SLURM_ARRAY_TASK_ID/" +
           std::to_string(s.shards) + "\" -q";
    std::string array = header(o, "benchtop-parts", dir / "logs" / "part-%a.out");
    array += "#SBATCH --array=0-" + std::to_string(s.shards - 1) + "\n";
    if (o.gpusPerTask > 0) array += "#SBATCH --gres=gpu:" + std::to_string(o.gpusPerTask) + "\n";
    array += "set -euo pipefail\n";
    // A resubmitted task starts from a clean part folder.
    for (const auto& stem : s.stems)
        array += "rm -rf " + shellQuote((dir / "parts" / stem).u8string()) + "\".shard-$SLURM_ARRAY_TASK_ID-of-" +
                 std::to_string(s.shards) + "\"\n";
    array += "exec " + run + "\n";

    std::string merge = header(o, "benchtop-merge", dir / "logs" / "merge.out");
    merge += "set -euo pipefail\n";
    for (const auto& stem : s.stems) {
        merge += cli + " merge " + shellQuote(s.mergedDir(stem));
        for (int i = 0; i < s.shards; ++i) merge += " " + shellQuote(s.partDir(stem, i));
        merge += "\n";
    }
    std::ofstream(dir / "array.sbatch", std::ios::binary) << array;
    std::ofstream(dir / "merge.sbatch", std::ios::binary) << merge;
    s.arrayScript = std::move(array);
    s.mergeScript = std::move(merge);
}

/// State of each array task and of the merge job: sacct where the cluster keeps accounting (slurmdbd), then
/// squeue, which knows finished jobs too for MinJobAge (default 5 minutes) and wins for live ones.
std::map<std::string, std::string> jobStates(const Submission& s) {
    std::map<std::string, std::string> states;
    std::set<std::string> jobs = {s.arrayJob, s.mergeJob};
    for (const auto& [index, job] : s.resubmittedAs) jobs.insert(job);
    std::string ids;
    for (const auto& job : jobs) ids += (ids.empty() ? "" : ",") + job;
    const auto parse = [&](const std::string& text) {
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            const auto bar = line.find('|');
            if (bar != std::string::npos) states[line.substr(0, bar)] = trimWhitespace(line.substr(bar + 1));
        }
    };
    try {
        parse(capture("sacct -n -P -X -j " + ids + " -o JobID,State"));
    } catch (const Error&) {
        // No accounting on this cluster: squeue below still knows pending and running tasks.
    }
    try {
        parse(capture("squeue -h -r -t all -j " + ids + " -o '%i|%T'"));
    } catch (const Error&) {
    }
    return states;
}

/// The state of array task `i`. A task cancelled while it was pending leaves no record of its own (squeue drops
/// it; without accounting sacct never had it): when the array is known but the task is not and its part folders
/// are missing, it is MISSING, and counts as failed.
std::string taskState(const Submission& s, const std::map<std::string, std::string>& states, int i) {
    const std::string id = s.partJobId(i);
    const auto it = states.find(id);
    if (it != states.end()) return it->second;
    const std::string array = id.substr(0, id.rfind('_') + 1);
    bool arrayKnown = false;
    for (const auto& [job, state] : states) arrayKnown = arrayKnown || job.rfind(array, 0) == 0;
    bool written = !s.stems.empty();
    for (const auto& stem : s.stems) written = written && fs::exists(fs::u8path(s.partDir(stem, i)));
    if (written) return "COMPLETED";
    return arrayKnown ? "MISSING" : "UNKNOWN";
}

bool startsWith(const std::string& text, const char* prefix) {
    return text.rfind(prefix, 0) == 0;
}

bool isFailure(const std::string& state) {
    return startsWith(state, "FAILED") || startsWith(state, "CANCELLED") || startsWith(state, "TIMEOUT") ||
           startsWith(state, "NODE_FAIL") || startsWith(state, "OUT_OF_MEMORY") || startsWith(state, "BOOT_FAIL") ||
           startsWith(state, "DEADLINE") || state == "MISSING";
}

}  // namespace

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string Submission::partDir(const std::string& stem, int index) const {
    return (fs::u8path(dir) / "parts" /
            fs::u8path(stem + ".shard-" + std::to_string(index) + "-of-" + std::to_string(shards)))
        .u8string();
}

std::string Submission::partJobId(int index) const {
    const auto it = resubmittedAs.find(index);
    return (it == resubmittedAs.end() ? arrayJob : it->second) + "_" + std::to_string(index);
}

std::string Submission::mergedDir(const std::string& stem) const {
    return (fs::u8path(dir) / "merged" / fs::u8path(stem)).u8string();
}

bool slurmAvailable() {
#ifdef _WIN32
    return false;
#else
    const char* path = std::getenv("PATH");
    if (!path) return false;
    std::istringstream dirs(path);
    for (std::string d; std::getline(dirs, d, ':');) {
        std::error_code ec;
        if (!d.empty() && fs::exists(fs::u8path(d) / "sbatch", ec)) return true;
    }
    return false;
#endif
}

Submission prepareSubmission(const SlurmRequest& o, const engine::TaskRegistry& registry) {
    if (o.shards < 1 || o.shards > 10000) throw Error("--shards", "must be from 1 to 10000.");
    if (o.inputs.empty()) throw Error("slurm", "no input files given.");
    // The jobs `run --shard` will make of these inputs, planned as it plans them: one merged result per job.
    engine::PlanOptions planOptions;
    planOptions.task = o.task;
    planOptions.split = true;
    const engine::InputPlan plan = engine::planInputs(o.inputs, registry, planOptions);
    if (plan.jobs.empty()) throw Error(o.inputs.front(), "no file any task handles was found there.");
    Submission s;
    s.shards = o.shards;
    for (const auto& job : plan.jobs) {
        if (!job.kind) throw Error(job.inputs.front(), "no task handles this file.");
        if (!job.kind->shardable())
            throw Error(job.inputs.front(), job.kind->name + " jobs cannot be split into parts; run them whole.");
        s.stems.push_back(engine::resultStem(job.inputs));
    }
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    const fs::path root = fs::absolute(fs::u8path(o.outputDir));
    std::error_code ec;
    fs::create_directories(root, ec);
    if (ec) throw Error(root.u8string(), "cannot create the folder: " + ec.message());
    // create_directory either makes the folder or reports that it exists: two submissions never share one.
    fs::path dir = root / (std::string("slurm-") + stamp);
    for (int n = 2; !fs::create_directory(dir, ec); ++n) {
        if (ec) throw Error(dir.u8string(), "cannot create the folder: " + ec.message());
        dir = root / (std::string("slurm-") + stamp + "-" + std::to_string(n));
    }
    s.dir = dir.u8string();
    fs::create_directories(dir / "logs");
    SlurmRequest request = o;
    for (auto& set : request.sets) set = absoluteSet(set, registry);
    if (!request.model.empty() && fs::exists(fs::u8path(request.model), ec))
        request.model = fs::absolute(fs::u8path(request.model)).u8string();
    writeScripts(request, s);
    writeSubmissionFile(s);
    return s;
}

void submit(Submission& s) {
    const fs::path dir = fs::u8path(s.dir);
    s.arrayJob = jobIdOf(capture("sbatch --parsable " + shellQuote((dir / "array.sbatch").u8string())));
    try {
        s.mergeJob = jobIdOf(capture("sbatch --parsable --dependency=afterok:" + s.arrayJob + " " +
                                     shellQuote((dir / "merge.sbatch").u8string())));
    } catch (const Error&) {
        // Without its merge the array's work would be lost: take it back.
        std::string ignored;
        run("scancel " + s.arrayJob, ignored);
        s.arrayJob.clear();
        throw;
    }
    writeSubmissionFile(s);
}

void cancelSubmission(const Submission& s) {
    std::set<std::string> jobs;
    for (const std::string& job : {s.arrayJob, s.mergeJob})
        if (!job.empty()) jobs.insert(job);
    for (const auto& [index, job] : s.resubmittedAs) jobs.insert(job);
    if (jobs.empty()) return;
    std::string ids;
    for (const auto& job : jobs) ids += " " + job;
    std::string out;
    run("scancel" + ids, out);
    // Jobs that already ended are no error: cancelling asks only that nothing more runs.
    std::istringstream lines(out);
    std::string problems;
    for (std::string line; std::getline(lines, line);) {
        line = trimWhitespace(line);
        if (line.empty() || line.find("already completing or completed") != std::string::npos ||
            line.find("Invalid job id") != std::string::npos)
            continue;
        problems += (problems.empty() ? "" : " ") + line;
    }
    if (!problems.empty()) throw Error("scancel" + ids, problems);
}

Submission readSubmission(const std::string& dir) {
    const fs::path path = fs::u8path(dir) / "submission.json";
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(dir, "is not a folder written by `benchtop-cli slurm submit` (no submission.json).");
    try {
        const auto j = nlohmann::json::parse(in);
        Submission s;
        s.dir = j.at("dir").get<std::string>();
        s.shards = j.at("shards").get<int>();
        s.stems = j.at("stems").get<std::vector<std::string>>();
        s.arrayJob = j.value("array_job", "");
        s.mergeJob = j.value("merge_job", "");
        for (const auto& [index, job] : j.value("resubmitted_as", nlohmann::json::object()).items())
            s.resubmittedAs[std::stoi(index)] = job.get<std::string>();
        return s;
    } catch (const std::exception& e) {
        throw Error(path.u8string(), std::string("is damaged: ") + e.what());
    }
}

bool PartState::failed() const {
    return isFailure(state);
}

int SubmissionStatus::completed() const {
    int n = 0;
    for (const auto& p : parts) n += p.done() ? 1 : 0;
    return n;
}

int SubmissionStatus::failedCount() const {
    int n = 0;
    for (const auto& p : parts) n += p.failed() ? 1 : 0;
    return n;
}

int SubmissionStatus::running() const {
    int n = 0;
    for (const auto& p : parts) n += p.state == "RUNNING" || p.state == "COMPLETING" ? 1 : 0;
    return n;
}

bool SubmissionStatus::settled() const {
    return merged || failedCount() > 0 || isFailure(mergeState);
}

SubmissionStatus querySubmission(const Submission& s) {
    SubmissionStatus status;
    const auto states = jobStates(s);
    for (int i = 0; i < s.shards; ++i) {
        PartState part;
        part.index = i;
        part.jobId = s.partJobId(i);
        part.state = taskState(s, states, i);
        status.parts.push_back(std::move(part));
    }
    const auto merge = states.find(s.mergeJob);
    status.mergeState = merge == states.end() ? "UNKNOWN" : merge->second;
    bool allMerged = !s.stems.empty();
    for (const auto& stem : s.stems) allMerged = allMerged && fs::exists(fs::u8path(s.mergedDir(stem)));
    status.merged = status.mergeState == "COMPLETED" || (allMerged && status.mergeState != "RUNNING");
    return status;
}

std::vector<int> resubmitFailed(Submission& s) {
    const SubmissionStatus status = querySubmission(s);
    std::vector<int> failed;
    for (const auto& p : status.parts)
        if (p.failed()) failed.push_back(p.index);
    if (failed.empty()) return failed;
    std::string indices;
    for (int i : failed) indices += (indices.empty() ? "" : ",") + std::to_string(i);
    const fs::path dir = fs::u8path(s.dir);
    // The failed tasks alone; the merge waits for the rest of the array (which finished) and for them.
    const std::string again =
        jobIdOf(capture("sbatch --parsable --array=" + indices + " " + shellQuote((dir / "array.sbatch").u8string())));
    std::string ignored;
    run("scancel " + s.mergeJob, ignored);  // the old merge waits on a failed array forever (or was cancelled)
    // The new merge waits for the re-run parts to succeed and for every earlier run to end: parts that were still
    // queued or running when the failed ones were resubmitted finish before the merge reads them.
    std::set<std::string> earlier = {s.arrayJob};
    for (const auto& [index, job] : s.resubmittedAs) earlier.insert(job);
    std::string dependency = "afterok:" + again;
    for (const auto& job : earlier) dependency += ",afterany:" + job;
    s.mergeJob = jobIdOf(
        capture("sbatch --parsable --dependency=" + dependency + " " + shellQuote((dir / "merge.sbatch").u8string())));
    for (int i : failed) s.resubmittedAs[i] = again;
    writeSubmissionFile(s);
    return failed;
}

}  // namespace benchtop::cluster
