#pragma once

namespace CLI {
class App;
}

namespace benchtop::engine {
class TaskRegistry;
}

namespace benchtop::cli {

/// Adds `merge OUT_DIR PARTS...`: combines the result folders of the parts of a split job (`run --shard I/N`)
/// into the files one run writes.
void addMergeCommand(CLI::App& app, const engine::TaskRegistry& registry);

}  // namespace benchtop::cli
