#pragma once

#include <map>
#include <string>
#include <vector>

namespace benchtop::engine {
class TaskRegistry;
}

/// Scale-out on a Slurm cluster, on the real scheduler through its client programs (sbatch, squeue, sacct,
/// scancel): a run split into a job array of `benchtop-cli run … --shard I/N` tasks and a merge job that waits for
/// it (--dependency=afterok). Used by `benchtop-cli slurm` and the window's File › Run on Cluster….
namespace benchtop::cluster {

/// What to submit.
struct SlurmRequest {
    std::vector<std::string> inputs;  ///< files or folders, planned as `run` plans them
    int shards = 4;                   ///< parts (array tasks)
    std::string partition;
    std::string time;  ///< per task, Slurm format ("2:00:00")
    std::string mem;   ///< per task ("16G")
    int gpusPerTask = 0;
    int cpusPerTask = 0;
    std::string outputDir = "benchtop-slurm";  ///< the submission gets a new folder "slurm-<time>" in here
    /// Passed on to `run` on every array task.
    std::string task;
    std::string model;
    std::string device;
    std::string precision;
    std::vector<std::string> sets;  ///< task options "key=value"
    /// The benchtop-cli the nodes run (a path every node sees); "" = the one beside this program.
    std::string cliPath;
};

/// One submission's folder: array.sbatch, merge.sbatch, logs/, parts/, merged/ and submission.json.
struct Submission {
    std::string dir;
    int shards = 0;
    std::vector<std::string> stems;  ///< result names of the planned jobs (merged/<stem> each)
    std::string arrayJob;            ///< "" until submitted
    std::string mergeJob;
    std::map<int, std::string> resubmittedAs;  ///< part index -> the array job that ran it again (latest)
    std::string arrayScript;                   ///< texts of the scripts (set by prepareSubmission)
    std::string mergeScript;

    /// "<dir>/parts/<stem>.shard-I-of-N"
    std::string partDir(const std::string& stem, int index) const;
    /// "<dir>/merged/<stem>"
    std::string mergedDir(const std::string& stem) const;
    /// "<array>_<index>" of the part's latest run.
    std::string partJobId(int index) const;
};

/// Whether Slurm's clients are here (sbatch on PATH).
bool slurmAvailable();

/// Plans the inputs as `run --shard` will (a task that cannot be split is refused, naming the file), creates the
/// submission folder and writes both scripts and submission.json. Nothing is submitted.
Submission prepareSubmission(const SlurmRequest& request, const engine::TaskRegistry& registry);

/// Submits a prepared submission: the array, then the merge after it; records the job ids in submission.json.
/// When the merge cannot be submitted the array is cancelled again and the error thrown.
void submit(Submission& submission);

/// Cancels every job of the submission (array, re-runs, merge) with scancel; jobs that already ended are fine.
/// Throws naming scancel's complaint otherwise.
void cancelSubmission(const Submission& submission);

/// Reads "<dir>/submission.json"; throws naming the folder when it is not a submission.
Submission readSubmission(const std::string& dir);

/// The state of each part and of the merge, from sacct (where the cluster keeps accounting) then squeue.
struct PartState {
    int index = 0;
    std::string jobId;  ///< "<array>_<index>"
    std::string state;  ///< Slurm's (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED…), MISSING or UNKNOWN
    bool failed() const;
    bool done() const { return state == "COMPLETED"; }
};
struct SubmissionStatus {
    std::vector<PartState> parts;
    std::string mergeState;  ///< Slurm's state of the merge job, or UNKNOWN
    int completed() const;
    int failedCount() const;
    int running() const;
    /// The merged results are there (merge job completed, or every merged folder exists).
    bool merged = false;
    /// Nothing more will happen without the user: merged, or a part or the merge failed.
    bool settled() const;
};
SubmissionStatus querySubmission(const Submission& submission);

/// Submits the failed parts again (alone) and a new merge after them and after every earlier run of the array has
/// ended; returns their indices (empty: nothing failed, nothing submitted).
std::vector<int> resubmitFailed(Submission& submission);

/// '…' with single quotes escaped, for sh.
std::string shellQuote(const std::string& text);

}  // namespace benchtop::cluster
