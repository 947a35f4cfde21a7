#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/engine/task.h"

namespace CLI {
class App;
}

namespace benchtop::cli {

/// Task option values the flags of a command line set (option key -> value).
using OptionValues = std::map<std::string, std::string>;

/// Adds one flag per declared option of every task kind in `registry` (TaskKind::options), grouped per task in
/// `--help`: a switch takes no value, a repeatable option joins its occurrences with commas, numbers are
/// checked while parsing. Values land in `*values` under the option's key.
void addWorkloadFlags(CLI::App& command, const engine::TaskRegistry& registry,
                      const std::shared_ptr<OptionValues>& values);

/// The command-line flag of `option`: "--beam-size", "--no-temperature-fallback" for a switch that is on by
/// default, "" when the option has no flag (set it with --set key=value).
std::string cliFlag(const engine::OptionSpec& option);

/// Help for `--task`: "auto (recognise from the file), methylation, speech, text; transcribe or translate for speech".
std::string taskFlagHelp(const engine::TaskRegistry& registry);

}  // namespace benchtop::cli
