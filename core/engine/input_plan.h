#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/engine/task.h"

namespace benchtop::engine {

/// Name of the folder Benchtop writes results into by default (beside the input) - never read as input.
inline constexpr const char* kResultsFolderName = "benchtop-results";
/// Hidden file in every job's result folder (what made it); a folder holding one is never read as input,
/// wherever the results were written (a configured output folder, -o).
inline constexpr const char* kJobMarkerName = ".benchtop-job.json";

/// What the window and the CLI do with dropped / named paths - one planner for both, so that the same
/// folder gives the same jobs everywhere.
struct InputPlan {
    std::vector<PlannedJob> jobs;
    std::vector<AttachedCompanion> attached;
    /// Companion files that belong to no single job (e.g. a sample sheet without a matrix in its folder
    /// when the drop holds several sheets).
    std::vector<AttachedCompanion> unassigned;
    /// Benchtop's own outputs met inside folders and left out (result folders, unfinished .part files).
    int skippedOutputs = 0;
};

struct PlanOptions {
    /// Forced task id ("" or "auto" = recognise each file).
    std::string task;
    /// One job takes every file (the task can batch across files).
    bool batchFiles = false;
    /// A split run (`--shard I/N`): tasks whose parts take whole files (TaskKind::Sharding::unit "files") plan
    /// all their files as one job.
    bool split = false;
};

/// Marks a result folder as Benchtop's own (the planner never reads such a folder as input) and records what
/// made it (kJobMarkerName: the task id and the inputs).
void writeJobMarker(const std::string& dir, const std::string& task, const std::vector<std::string>& inputs);

/// True for what Benchtop itself wrote: a folder named kResultsFolderName (or anything inside one) and
/// unfinished result files ("*.part").
bool isBenchtopOutput(const std::string& path);

/// Plans jobs for files and folders:
///  - a named file is always planned (a missing or unknown one becomes a job that fails with the reason);
///  - folders are walked recursively in sorted order, skipping hidden entries and Benchtop's own outputs,
///    keeping files with an extension some task handles;
///  - duplicates (the same file named twice or reached through two paths) are planned once;
///  - companion files (a task's TaskKind::companionOption, e.g. a sample sheet) become an option of that
///    task's jobs instead of jobs of their own: a companion goes to the jobs of its own folder, and when the
///    paths hold a single companion it goes to every job of its task.
InputPlan planInputs(const std::vector<std::string>& paths, const TaskRegistry& registry,
                     const PlanOptions& options = {});

/// "cohort" for ".../cohort.csv", "GSE40279_series_matrix" for "...series_matrix.txt.gz": the name a job's
/// result folder starts from.
std::string resultStem(const std::vector<std::string>& inputs);

}  // namespace benchtop::engine
