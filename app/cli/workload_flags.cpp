#include "app/cli/workload_flags.h"

#include <algorithm>
#include <vector>

#include <CLI/CLI.hpp>

namespace benchtop::cli {
namespace {

/// One flag and every (task, option) that declares it; tasks may share a flag name.
struct Flag {
    std::string name;
    std::vector<std::pair<const engine::TaskKind*, const engine::OptionSpec*>> uses;
};

std::string helpOf(const Flag& flag) {
    std::string help;
    for (const auto& [kind, option] : flag.uses) {
        if (!help.empty()) help += "; ";
        help += kind->id + ": " + option->help;
        if (!option->defaultValue.empty() && option->type != engine::OptionType::Switch)
            help += " (default " + option->defaultValue + ")";
    }
    return help;
}

}  // namespace

void addWorkloadFlags(CLI::App& command, const engine::TaskRegistry& registry,
                      const std::shared_ptr<OptionValues>& values) {
    std::vector<Flag> flags;
    for (const engine::TaskKind& kind : registry.kinds())
        for (const engine::OptionSpec& option : kind.options) {
            if (!option.hasFlag()) continue;
            auto it =
                std::find_if(flags.begin(), flags.end(), [&](const Flag& f) { return f.name == option.flagName(); });
            if (it == flags.end()) it = flags.insert(flags.end(), Flag{option.flagName(), {}});
            it->uses.emplace_back(&kind, &option);
        }

    for (const Flag& flag : flags) {
        const engine::OptionSpec& first = *flag.uses.front().second;
        std::vector<std::string> keys;
        for (const auto& use : flag.uses) keys.push_back(use.second->key);
        const std::string group = flag.uses.size() == 1 ? flag.uses.front().first->name + " options" : "Task options";
        const std::string name = "--" + flag.name;
        CLI::Option* added = nullptr;
        if (first.type == engine::OptionType::Switch && first.defaultValue == "true") {
            // On by default: the flag turns it off.
            added = command.add_flag_callback(
                cliFlag(first),
                [values, keys] {
                    for (const auto& key : keys) (*values)[key] = "false";
                },
                helpOf(flag) + " (on by default; this turns it off)");
        } else if (first.type == engine::OptionType::Switch) {
            added = command.add_flag_callback(
                name,
                [values, keys] {
                    for (const auto& key : keys) (*values)[key] = "true";
                },
                helpOf(flag));
        } else if (first.repeatable) {
            added = command.add_option_function<std::vector<std::string>>(
                name,
                [values, keys](const std::vector<std::string>& all) {
                    std::string joined;
                    for (const auto& v : all) joined += (joined.empty() ? "" : ",") + v;
                    for (const auto& key : keys) (*values)[key] = joined;
                },
                helpOf(flag));
            // Each occurrence takes one value, so that input files after it stay positional.
            added->allow_extra_args(false);
        } else {
            added = command.add_option_function<std::string>(
                name,
                [values, keys](const std::string& v) {
                    for (const auto& key : keys) (*values)[key] = v;
                },
                helpOf(flag));
            if (first.type == engine::OptionType::Integer || first.type == engine::OptionType::Number) {
                const engine::OptionSpec spec = first;
                added->check(
                    CLI::Validator([spec](std::string& value) { return engine::checkOptionValue(spec, value); },
                                   engine::toString(spec.type)));
            }
        }
        added->group(group);
    }
}

std::string cliFlag(const engine::OptionSpec& option) {
    if (!option.hasFlag()) return {};
    const bool offSwitch = option.type == engine::OptionType::Switch && option.defaultValue == "true";
    return (offSwitch ? "--no-" : "--") + option.flagName();
}

std::string taskFlagHelp(const engine::TaskRegistry& registry) {
    std::string help = "Task: auto (recognise from the file)";
    std::string aliases;
    for (const engine::TaskKind& kind : registry.kinds()) {
        help += ", " + kind.id;
        std::string names;
        for (const auto& alias : kind.aliases) names += (names.empty() ? "" : " or ") + alias.name;
        if (!names.empty()) aliases += (aliases.empty() ? "" : "; ") + names + " for " + kind.id;
    }
    return aliases.empty() ? help : help + "; " + aliases;
}

}  // namespace benchtop::cli
