#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace benchtop::engine {
class TaskRegistry;
}

namespace benchtop::cli {

/// Exit codes shared by every command.
enum ExitCode : int { kExitOk = 0, kExitJobFailed = 1, kExitUsage = 2, kExitCancelled = 130 };

/// Makes `run` the command's action: its exit code ends the program (ExitCode thrown to main()). With
/// `jobErrors`, a benchtop::Error escaping `run` is printed as "error: ..." and exits with kExitJobFailed (a bad
/// model or input); otherwise it reaches main(), which reports a usage error.
void setCommandAction(CLI::App& command, std::function<int()> run, bool jobErrors = true);

/// Adds `devices` to the app; the returned callback runs when it was chosen.
void addDevicesCommand(CLI::App& app);
/// Adds `tasks`: the task kinds in `registry` as they declare themselves.
void addTasksCommand(CLI::App& app, const engine::TaskRegistry& registry);
/// Adds `run`, with the flags of the task kinds in `registry`.
void addRunCommand(CLI::App& app, const engine::TaskRegistry& registry);

}  // namespace benchtop::cli
