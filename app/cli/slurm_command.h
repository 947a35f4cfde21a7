#pragma once

namespace CLI {
class App;
}
namespace benchtop::engine {
class TaskRegistry;
}

namespace benchtop::cli {

/// Adds `slurm submit|status|resubmit`: a run split into a Slurm job array of `run --shard I/N` tasks and a merge
/// job that depends on it (afterok), its state from squeue/sacct, and failed parts resubmitted alone.
void addSlurmCommand(CLI::App& app, const engine::TaskRegistry& registry);

}  // namespace benchtop::cli
