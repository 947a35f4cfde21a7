#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace benchtop::engine {

using JobId = std::uint64_t;

enum class JobState { Queued, Preparing, Running, Done, Failed, Cancelled };

/// "queued", "preparing", ...
std::string toString(JobState state);
bool isFinished(JobState state);

/// What the user asked for. Empty task = recognise from the first input file.
struct JobSpec {
    std::vector<std::string> inputs;             ///< files (folders are expanded by the caller)
    std::string task;                            ///< "methylation", "text", "speech", or "" for auto
    std::string model;                           ///< catalog id, repo id or folder path; task-specific
    std::map<std::string, std::string> options;  ///< task options ("clocks" -> "all", "language" -> "zh", ...)
    std::string outputDir;                       ///< results root: each job writes into its own folder below it
    std::string device;                          ///< "auto", "cpu", "cuda:0", "mps"
    std::string precision;                       ///< "auto", "fp32", "fp16", "bf16"
    int threads = 0;                             ///< 0 = physical cores

    /// Option value or `fallback` when absent.
    std::string option(const std::string& key, const std::string& fallback = {}) const;
};

/// Progress in the task's own unit (texts, tokens, samples, audio seconds).
struct Progress {
    double done = 0.0;
    double total = 0.0;  ///< 0 while unknown
    std::string unit = "items";
    bool mediaSeconds = false;  ///< the unit is seconds of audio/video: 1 / rate is a real-time factor
    double ratePerSecond = 0.0;
    double etaSeconds = -1.0;  ///< < 0 while unknown
    double elapsedSeconds = 0.0;
    /// 0..1, or -1 when the total is unknown.
    double fraction() const { return total > 0 ? (done < total ? done / total : 1.0) : -1.0; }
};

/// One batch as the device ran it.
struct BatchStats {
    std::int64_t items = 0;
    std::int64_t realUnits = 0;    ///< tokens / samples actually present
    std::int64_t paddedUnits = 0;  ///< batch size x longest item
    double seconds = 0.0;
};

/// Throughput and latency of a job, updated as batches complete.
struct JobMetrics {
    std::int64_t items = 0;
    double workUnits = 0.0;
    std::string workUnit = "items";
    double itemsPerSecond = 0.0;
    double unitsPerSecond = 0.0;
    std::int64_t batches = 0;
    double batchLatencyP50Ms = 0.0;
    double batchLatencyP95Ms = 0.0;
    double batchLatencyP99Ms = 0.0;  ///< streaming estimates (P²), constant memory however many batches
    double batchLatencyMaxMs = 0.0;
    double paddingEfficiency = 1.0;  ///< real / padded units over all batches
    std::uint64_t peakRssBytes = 0;
    double wallSeconds = 0.0;
};

/// Everything an observer or the UI needs to show a job.
struct JobSnapshot {
    JobId id = 0;
    JobSpec spec;
    std::string task;      ///< resolved task id
    std::string taskName;  ///< human name ("Epigenetic clocks")
    JobState state = JobState::Queued;
    Progress progress;
    JobMetrics metrics;
    std::string deviceLabel;   ///< "cpu · bf16"
    std::string deviceReason;  ///< why that device and precision
    bool deviceFellBack = false;
    std::string error;  ///< set when failed
    /// The job's own result folder, "<spec.outputDir>/<input stem>" with "-2", "-3", ... when that exists (an
    /// earlier run, another job of the same name): reserved when the job starts, so two jobs never share one
    /// and a finished result is never overwritten. Empty while queued; removed again when the job fails or is
    /// cancelled and left nothing.
    std::string resultDir;
    std::vector<std::string> resultFiles;
    std::string summary;  ///< short human result line set by the task ("16 samples x 12 clocks")
};

}  // namespace benchtop::engine
