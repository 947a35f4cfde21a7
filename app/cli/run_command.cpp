#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/progress_printer.h"
#include "core/common/error.h"
#include "core/engine/engine.h"
#include "core/engine/input_plan.h"

namespace fs = std::filesystem;

namespace benchtop::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onSigint(int) { g_interrupted = true; }

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
    std::vector<std::string> sets;  // key=value task options
    // Workload flags, passed to the task as options of the same name.
    std::map<std::string, std::string> flags;
};

/// Workload options exposed as first-class flags: flag name = task option key.
struct FlagSpec {
    const char* name;
    const char* help;
    bool isSwitch;
};
const FlagSpec kWorkloadFlags[] = {
    {"clocks", "methylation: all or a comma list of clock ids (e.g. horvath2013,phenoage2018)", false},
    {"sample-sheet", "methylation: sample sheet CSV with sample name/id, age, sex", false},
    {"min-coverage", "methylation: minimum fraction of a clock's CpGs present (default 0.8)", false},
    {"mvalues", "methylation: the matrix holds M-values; convert them to beta values", true},
    {"imputation", "methylation: missing CpGs: reference (default), cohort-mean, none", false},
    {"column", "text: the CSV/TSV column that holds the texts", false},
    {"field", "text: the JSONL field that holds the texts", false},
    {"outputs", "text: dense,sparse,colbert", false},
    {"max-length", "text: truncate texts to N tokens", false},
    {"language", "speech: language code or auto", false},
    {"word-timestamps", "speech: word-level timestamps", true},
    {"beam-size", "speech: beam search width (default greedy)", false},
    {"formats", "speech: txt,srt,vtt,json,tsv", false},
};

/// Files of a folder (sorted, hidden files skipped); a file stays itself.
std::string joinedPaths(const std::vector<std::string>& paths) {
    std::string out;
    for (const auto& p : paths) out += (out.empty() ? "" : ", ") + p;
    return out;
}

int runJobs(const RunOptions& options) {
    using nlohmann::json;
    std::map<std::string, std::string> taskOptions;
    for (const auto& kv : options.sets) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) throw Error("--set", "'" + kv + "' is not key=value");
        taskOptions[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [key, value] : options.flags) taskOptions[key] = value;
    std::string taskId = options.task;
    // Whisper's own task words select the speech workload.
    if (taskId == "transcribe" || taskId == "translate") {
        taskOptions["whisper-task"] = taskId;
        taskId = "speech";
    }

    engine::EngineOptions engineOptions;
    engineOptions.defaults = device::requestFromEnvironment();
    engine::Engine engine(engine::TaskRegistry::withBuiltinTasks(), engineOptions);
    ProgressPrinter printer(options.quiet || options.json);
    engine.addObserver(&printer);

    // One job per input file: each gets its own progress, failure and results. With --batch-files one job
    // takes them all, so the task can batch across files (speech: windows of several files per forward).
    // The same planner as the window's: folders walked the same way, Benchtop's own outputs skipped, sample
    // sheets attached to the matrices of their folder.
    engine::PlanOptions planOptions;
    planOptions.task = taskId;
    planOptions.batchFiles = options.batchFiles;
    const engine::InputPlan plan = engine::planInputs(options.inputs, engine.registry(), planOptions);
    const bool chatty = !options.quiet;  // notes go to stderr, also with --json
    if (plan.jobs.empty()) throw Error(joinedPaths(options.inputs), "no file any task handles was found there");
    for (const auto& attached : plan.attached)
        if (chatty && !options.flags.count(attached.option))
            std::fprintf(stderr, "%s: %s for %s\n", attached.file.c_str(), attached.option.c_str(),
                         joinedPaths(attached.inputs).c_str());
    for (const auto& sheet : plan.unassigned)
        std::fprintf(stderr, "%s: looks like a sample sheet but belongs to no single matrix; name it with --sample-sheet\n",
                     sheet.c_str());
    if (chatty && plan.skippedOutputs > 0)
        std::fprintf(stderr, "skipped %d of Benchtop's own result folders/files\n", plan.skippedOutputs);
    std::vector<engine::JobId> ids;
    for (const auto& job : plan.jobs) {
        const std::string& file = job.inputs.front();
        engine::JobSpec spec;
        spec.inputs = job.inputs;
        spec.task = taskId;
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
    printer.finish();

    int failed = 0;
    int cancelled = 0;
    json summary = json::array();
    for (const auto id : ids) {
        const auto job = *engine.snapshot(id);
        if (job.state == engine::JobState::Failed) ++failed;
        if (job.state == engine::JobState::Cancelled) ++cancelled;
        if (options.json) {
            summary.push_back({{"id", job.id},
                               {"input", job.spec.inputs.front()},
                               {"task", job.task},
                               {"state", engine::toString(job.state)},
                               {"error", job.error},
                               {"device", job.deviceLabel},
                               {"device_reason", job.deviceReason},
                               {"result_dir", job.resultDir},
                               {"results", job.resultFiles},
                               {"summary", job.summary},
                               {"progress", {{"done", job.progress.done}, {"total", job.progress.total}, {"unit", job.progress.unit}}},
                               {"metrics",
                                {{"items", job.metrics.items},
                                 {"items_per_second", job.metrics.itemsPerSecond},
                                 {"units_per_second", job.metrics.unitsPerSecond},
                                 {"work_unit", job.metrics.workUnit},
                                 {"batches", job.metrics.batches},
                                 {"batch_latency_p50_ms", job.metrics.batchLatencyP50Ms},
                                 {"batch_latency_p95_ms", job.metrics.batchLatencyP95Ms},
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

void addRunCommand(CLI::App& app) {
    auto options = std::make_shared<RunOptions>();
    auto* cmd = app.add_subcommand("run", "Run the task that handles each input file (one job per file)");
    cmd->add_option("inputs", options->inputs, "Input files or folders")->required();
    cmd->add_option("--task", options->task,
                    "Task: auto (recognise from the file), methylation, text, speech; transcribe or translate for speech");
    cmd->add_option("--model", options->model, "Model: catalog id, Hugging Face repo id or folder path");
    cmd->add_option("--device", options->device, "auto, cpu, cuda, cuda:N, mps (default: BENCHTOP_DEVICE or auto)");
    cmd->add_option("--precision", options->precision, "auto, fp32, fp16, bf16 (default: BENCHTOP_PRECISION or auto)");
    cmd->add_option("--threads", options->threads, "Intra-op threads (0 = physical cores)");
    cmd->add_option("-o,--output", options->outputDir, "Output folder (default: benchtop-results beside each input)");
    cmd->add_option("--set", options->sets, "Task option key=value (repeatable)");
    for (const auto& flag : kWorkloadFlags) {
        const std::string key = flag.name;
        if (flag.isSwitch) {
            cmd->add_flag_callback("--" + key, [options, key] { options->flags[key] = "true"; }, flag.help);
        } else {
            cmd->add_option_function<std::string>(
                "--" + key, [options, key](const std::string& value) { options->flags[key] = value; }, flag.help);
        }
    }
    // Repeatable; each occurrence takes one value so that input files after it stay positional.
    cmd->add_option_function<std::vector<std::string>>(
           "--predictor",
           [options](const std::vector<std::string>& refs) {
               std::string joined;
               for (const auto& ref : refs) joined += (joined.empty() ? "" : ",") + ref;
               options->flags["predictors"] = joined;
           },
           "methylation: TorchScript predictor bundle (folder, .zip or model-store id); repeatable")
        ->allow_extra_args(false);
    cmd->add_flag("--batch-files", options->batchFiles,
                  "One job for all inputs instead of one per file; speech then transcribes up to batch-files "
                  "(--set batch-files=N, default 8) files together, sharing encoder and decoder forwards");
    cmd->add_flag("--json", options->json, "Print a JSON summary of the jobs on stdout");
    cmd->add_flag("-q,--quiet", options->quiet, "No progress output");
    cmd->callback([options] {
        const int code = runJobs(*options);
        if (code != kExitOk) throw ExitCode(code);
    });
}

}  // namespace benchtop::cli
