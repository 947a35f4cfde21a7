#include "app/cli/merge_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/engine/task.h"

namespace fs = std::filesystem;

namespace benchtop::cli {
namespace {

struct MergeOptions {
    std::string outDir;
    std::vector<std::string> parts;
};

/// The task whose part `dir` is, or nullptr.
const engine::TaskKind* partKind(const std::string& dir, const engine::TaskRegistry& registry) {
    for (const auto& kind : registry.kinds())
        if (kind.shardable() && kind.sharding.isPart && kind.sharding.isPart(dir)) return &kind;
    return nullptr;
}

int runMerge(const MergeOptions& o, const engine::TaskRegistry& registry) {
    const engine::TaskKind* kind = nullptr;
    for (const auto& part : o.parts) {
        std::error_code ec;
        if (!fs::is_directory(fs::u8path(part), ec)) throw Error(part, "is not a result folder.");
        const engine::TaskKind* k = partKind(part, registry);
        if (!k) {
            if (fs::exists(fs::u8path(part) / ".benchtop-job.json", ec))
                throw Error(part,
                            "is the result of a whole run, not of a part (run --shard I/N): there is nothing "
                            "to merge.");
            throw Error(part, "is not the result folder of a part of a Benchtop job (run --shard I/N writes those).");
        }
        if (kind && k != kind)
            throw Error(part, "is a part of a " + k->name + " job, " + o.parts.front() + " of a " + kind->name +
                                  " job: merge the parts of one job.");
        kind = k;
    }
    if (!kind) throw Error("merge", "no part folders given.");
    const std::vector<std::string> files = kind->sharding.merge(o.parts, o.outDir);
    std::fprintf(stderr, "merged %zu parts (%s)\n", o.parts.size(), kind->name.c_str());
    for (const auto& file : files) std::printf("%s\n", file.c_str());
    return kExitOk;
}

}  // namespace

void addMergeCommand(CLI::App& app, const engine::TaskRegistry& registry) {
    auto o = std::make_shared<MergeOptions>();
    auto* cmd = app.add_subcommand(
        "merge", "Combine the result folders of the parts of a split job (run --shard I/N) into one run's files");
    cmd->add_option("out", o->outDir, "New folder for the merged result")->required();
    cmd->add_option("parts", o->parts, "The parts' result folders (<name>.shard-I-of-N), each once")->required();
    setCommandAction(*cmd, [o, &registry] { return runMerge(*o, registry); });
}

}  // namespace benchtop::cli
