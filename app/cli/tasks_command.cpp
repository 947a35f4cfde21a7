// `benchtop-cli tasks`: the workloads this build runs, as they declare themselves (files, options, units).
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/workload_flags.h"
#include "core/engine/task.h"

namespace benchtop::cli {
namespace {

nlohmann::json describe(const engine::TaskKind& kind) {
    using nlohmann::json;
    json options = json::array();
    for (const engine::OptionSpec& o : kind.options) {
        json option = {{"key", o.key},
                       {"type", engine::toString(o.type)},
                       {"label", o.displayLabel()},
                       {"help", o.help},
                       {"default", o.defaultValue},
                       {"flag", cliFlag(o)},
                       {"repeatable", o.repeatable},
                       {"per_run", o.perRun}};
        if (!o.choices.empty()) option["choices"] = o.choices;
        if (o.minimum != 0.0 || o.maximum != 0.0) option["range"] = {o.minimum, o.maximum};
        options.push_back(std::move(option));
    }
    json aliases = json::array();
    for (const auto& alias : kind.aliases) aliases.push_back({{"name", alias.name}, {"options", alias.options}});
    return {{"id", kind.id},
            {"name", kind.name},
            {"files",
             {{"description", kind.fileDescription}, {"extensions", kind.extensions}, {"mime_types", kind.mimeTypes}}},
            {"work_unit", kind.workUnit.name},
            {"media_seconds", kind.workUnit.mediaSeconds},
            {"chooses_model", kind.choosesModel},
            {"aliases", aliases},
            {"options", options}};
}

void printText(const engine::TaskRegistry& registry) {
    for (const engine::TaskKind& kind : registry.kinds()) {
        std::cout << kind.name << " (--task " << kind.id;
        for (const auto& alias : kind.aliases) std::cout << " | " << alias.name;
        std::cout << ")\n  files:    " << kind.fileDescription << "\n  progress: " << kind.workUnit.name << "\n";
        if (kind.choosesModel) std::cout << "  model:    --model (catalog id, Hugging Face repo id or folder)\n";
        for (const engine::OptionSpec& o : kind.options) {
            const std::string flag = o.hasFlag() ? cliFlag(o) : "--set " + o.key + "=...";
            std::cout << "  " << flag;
            if (flag.size() < 30) std::cout << std::string(30 - flag.size(), ' ');
            std::cout << " " << o.help;
            if (!o.defaultValue.empty()) std::cout << " [default " << o.defaultValue << "]";
            std::cout << "\n";
        }
        std::cout << "\n";
    }
}

}  // namespace

void addTasksCommand(CLI::App& app, const engine::TaskRegistry& registry) {
    auto json = std::make_shared<bool>(false);
    auto* cmd =
        app.add_subcommand("tasks", "List the workloads: the files each accepts, its options and progress unit");
    cmd->add_flag("--json", *json, "Machine-readable output");
    cmd->callback([json, registry] {
        if (*json) {
            nlohmann::json all = nlohmann::json::array();
            for (const engine::TaskKind& kind : registry.kinds()) all.push_back(describe(kind));
            std::cout << all.dump(2) << std::endl;
        } else {
            printText(registry);
        }
    });
}

}  // namespace benchtop::cli
