#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/progress_printer.h"
#include "app/cli/workload_flags.h"
#include "core/common/error.h"
#include "core/engine/engine.h"
#include "core/engine/shard.h"
#include "core/engine/input_plan.h"

namespace fs = std::filesystem;

namespace benchtop::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onSigint(int) {
    g_interrupted = true;
}

struct RunOptions {
    std::vector<std::string> inputs;
    std::string task;
    std::string model;
    std::string device;
    std::string precision;
    int threads = 0;
    std::string outputDir;
    bool json = false;
    bool quiet = false;
    bool batchFiles = false;        // one job for every input (speech batches windows across its files)
    std::string shard;              // "I/N": this process runs part I of each job (merge combines the parts)
    std::vector<std::string> sets;  // key=value task options
    // Values of the flags the task kinds declare (option key -> value).
    std::shared_ptr<OptionValues> flags = std::make_shared<OptionValues>();
};

/// Files of a folder (sorted, hidden files skipped); a file stays itself.
std::string joinedPaths(const std::vector<std::string>& paths) {
    std::string out;
    for (const auto& p : paths) out += (out.empty() ? "" : ", ") + p;
    return out;
}

/// The final snapshot of every job, as observers see it: the engine forgets old finished jobs
/// (EngineOptions::keepFinishedJobs), so a run of thousands of files reports from here.
class FinalStates final : public engine::EngineObserver {
public:
    void onJobChanged(const engine::JobSnapshot& job) override {
        if (!engine::isFinished(job.state)) return;
        std::lock_guard<std::mutex> lock(m_mutex);
        m_final[job.id] = job;
    }
    engine::JobSnapshot get(engine::Engine& engine, engine::JobId id) {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (const auto it = m_final.find(id); it != m_final.end()) return it->second;
        }
        if (auto snapshot = engine.snapshot(id)) return *snapshot;
        throw Error("job " + std::to_string(id), "its final state was not reported");
    }

private:
    std::mutex m_mutex;
    std::map<engine::JobId, engine::JobSnapshot> m_final;
};

/// "sample sheet" for the option `key` of `kind`, and its flag.
std::pair<std::string, std::string> describeOption(const engine::TaskKind* kind, const std::string& key) {
    const engine::OptionSpec* option = kind ? kind->option(key) : nullptr;
    if (!option) return {key, key};
    std::string label = option->displayLabel();
    for (char& c : label) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return {label, option->hasFlag() ? option->flagName() : "set " + key + "=FILE"};
}

int runJobs(const RunOptions& options, const engine::TaskRegistry& registry) {
    using nlohmann::json;
    std::map<std::string, std::string> taskOptions;
    for (const auto& kv : options.sets) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) throw Error("--set", "'" + kv + "' is not key=value");
        taskOptions[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [key, value] : *options.flags) taskOptions[key] = value;
    if (!options.shard.empty()) taskOptions["shard"] = engine::parseShard(options.shard).toString();
    std::string taskId = options.task;
    // A task's alias names it and sets options (Whisper's "transcribe" / "translate" select speech).
    if (!taskId.empty() && taskId != "auto") {
        const engine::TaskKind* kind = registry.resolve(taskId, taskOptions);
        if (!kind) throw Error("--task", "'" + taskId + "' is not a task; " + taskFlagHelp(registry));
        taskId = kind->id;
    }

    engine::EngineOptions engineOptions;
    engineOptions.defaults = device::requestFromEnvironment();
    engine::Engine engine(registry, engineOptions);
    ProgressPrinter printer(options.quiet || options.json);
    engine.addObserver(&printer);
    FinalStates finalStates;
    engine.addObserver(&finalStates);

    // One job per input file: each gets its own progress, failure and results. With --batch-files one job
    // takes them all, so the task can batch across files (speech: windows of several files per forward).
    // The same planner as the window's: folders walked the same way, Benchtop's own outputs skipped, sample
    // sheets attached to the matrices of their folder.
    engine::PlanOptions planOptions;
    planOptions.task = taskId;
    planOptions.batchFiles = options.batchFiles;
    planOptions.split = !options.shard.empty() && engine::parseShard(options.shard).split();
    const engine::InputPlan plan = engine::planInputs(options.inputs, engine.registry(), planOptions);
    const bool chatty = !options.quiet;  // notes go to stderr, also with --json
    if (plan.jobs.empty()) throw Error(joinedPaths(options.inputs), "no file any task handles was found there");
    for (const auto& attached : plan.attached)
        if (chatty && !options.flags->count(attached.option))
            std::fprintf(stderr, "%s: %s for %s\n", attached.file.c_str(), attached.option.c_str(),
                         joinedPaths(attached.inputs).c_str());
    for (const auto& companion : plan.unassigned) {
        const auto [label, flag] = describeOption(companion.kind, companion.option);
        std::fprintf(stderr, "%s: looks like a %s but belongs to no single input; name it with --%s\n",
                     companion.file.c_str(), label.c_str(), flag.c_str());
    }
    if (chatty && plan.skippedOutputs > 0)
        std::fprintf(stderr, "skipped %d of Benchtop's own result folders/files\n", plan.skippedOutputs);
    std::vector<engine::JobId> ids;
    for (const auto& job : plan.jobs) {
        const std::string& file = job.inputs.front();
        engine::JobSpec spec;
        spec.inputs = job.inputs;
        spec.task = job.kind ? job.kind->id : taskId;  // the planner's choice, as in the window
        spec.model = options.model;
        spec.options = taskOptions;
        for (const auto& [key, value] : job.options) spec.options.emplace(key, value);  // explicit flags win
        spec.device = options.device;
        spec.precision = options.precision;
        spec.threads = options.threads;
        spec.outputDir = options.outputDir.empty()
                             ? (fs::path(file).parent_path() / engine::kResultsFolderName).string()
                             : options.outputDir;
        ids.push_back(engine.submit(spec));
    }

    g_interrupted = false;
    auto previous = std::signal(SIGINT, onSigint);
    bool cancelledByUser = false;
    for (const auto id : ids) {
        while (!engine.wait(id, 0.1)) {
            if (g_interrupted && !cancelledByUser) {
                cancelledByUser = true;
                std::fprintf(stderr, "\ncancelling...\n");
                engine.cancelAll();
            }
        }
    }
    std::signal(SIGINT, previous);
    engine.removeObserver(&printer);
    engine.removeObserver(&finalStates);
    printer.finish();

    int failed = 0;
    int cancelled = 0;
    json summary = json::array();
    for (const auto id : ids) {
        const engine::JobSnapshot job = finalStates.get(engine, id);
        if (job.state == engine::JobState::Failed) ++failed;
        if (job.state == engine::JobState::Cancelled) ++cancelled;
        if (options.json) {
            summary.push_back(
                {{"id", job.id},
                 {"input", job.spec.inputs.front()},
                 {"task", job.task},
                 {"state", engine::toString(job.state)},
                 {"error", job.error},
                 {"device", job.deviceLabel},
                 {"device_reason", job.deviceReason},
                 {"result_dir", job.resultDir},
                 {"results", job.resultFiles},
                 {"summary", job.summary},
                 {"progress",
                  {{"done", job.progress.done}, {"total", job.progress.total}, {"unit", job.progress.unit}}},
                 {"metrics",
                  {{"items", job.metrics.items},
                   {"items_per_second", job.metrics.itemsPerSecond},
                   {"units_per_second", job.metrics.unitsPerSecond},
                   {"work_unit", job.metrics.workUnit},
                   {"batches", job.metrics.batches},
                   {"batch_latency_p50_ms", job.metrics.batchLatencyP50Ms},
                   {"batch_latency_p95_ms", job.metrics.batchLatencyP95Ms},
                   {"batch_latency_p99_ms", job.metrics.batchLatencyP99Ms},
                   {"batch_latency_max_ms", job.metrics.batchLatencyMaxMs},
                   {"padding_efficiency", job.metrics.paddingEfficiency},
                   {"peak_rss_bytes", job.metrics.peakRssBytes},
                   {"wall_seconds", job.metrics.wallSeconds}}}});
        } else {
            for (const auto& file : job.resultFiles) std::cout << file << "\n";
            // Failures are reported on stderr by the progress printer; repeat them when it was quiet.
            if (options.quiet && job.state == engine::JobState::Failed)
                std::fprintf(stderr, "failed: %s\n", job.error.c_str());
        }
    }
    if (options.json) std::cout << summary.dump(2) << std::endl;
    if (cancelled > 0 && cancelledByUser) return kExitCancelled;
    return failed > 0 || cancelled > 0 ? kExitJobFailed : kExitOk;
}

}  // namespace

void addRunCommand(CLI::App& app, const engine::TaskRegistry& registry) {
    auto options = std::make_shared<RunOptions>();
    auto* cmd = app.add_subcommand("run", "Run the task that handles each input file (one job per file)");
    cmd->add_option("inputs", options->inputs, "Input files or folders")->required();
    cmd->add_option("--task", options->task, taskFlagHelp(registry));
    cmd->add_option("--model", options->model, "Model: catalog id, Hugging Face repo id or folder path");
    cmd->add_option("--device", options->device, "auto, cpu, cuda, cuda:N, mps (default: BENCHTOP_DEVICE or auto)");
    cmd->add_option("--precision", options->precision, "auto, fp32, fp16, bf16 (default: BENCHTOP_PRECISION or auto)");
    cmd->add_option("--threads", options->threads, "Intra-op threads (0 = physical cores)");
    cmd->add_option("-o,--output", options->outputDir, "Output folder (default: benchtop-results beside each input)");
    cmd->add_option("--set", options->sets, "Task option key=value (repeatable)");
    addWorkloadFlags(*cmd, registry, options->flags);
    cmd->add_flag("--batch-files", options->batchFiles,
                  "One job for all inputs instead of one per file; speech then transcribes up to batch-files "
                  "(--set batch-files=N, default 8) files together, sharing encoder and decoder forwards");
    // What each task splits, from its declaration.
    std::string splits;
    for (const auto& kind : registry.kinds())
        if (kind.shardable())
            splits += (splits.empty() ? "" : "; ") + kind.id +
                      (kind.sharding.unit == "files" ? ": whole files, balanced (all its files one job)"
                                                     : ": a contiguous range of the " + kind.sharding.unit);
    cmd->add_option("--shard", options->shard,
                    "Run part I of N of each job (0-based) into <name>.shard-I-of-N; `benchtop-cli merge` combines "
                    "the parts into one run's files (" +
                        splits + ")")
        ->type_name("I/N");
    cmd->add_flag("--json", options->json, "Print a JSON summary of the jobs on stdout");
    cmd->add_flag("-q,--quiet", options->quiet, "No progress output");
    setCommandAction(
        *cmd, [options, registry] { return runJobs(*options, registry); }, false);
}

}  // namespace benchtop::cli
