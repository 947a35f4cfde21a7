#include "app/cli/merge_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/text/embedding_merge.h"

namespace fs = std::filesystem;

namespace benchtop::cli {
namespace {

struct MergeOptions {
    std::string outDir;
    std::vector<std::string> parts;
};

int runMerge(const MergeOptions& o) {
    for (const auto& part : o.parts) {
        std::error_code ec;
        if (!fs::is_directory(fs::u8path(part), ec)) throw Error(part, "is not a result folder.");
        if (fs::exists(fs::u8path(part) / "embedding_info.json", ec)) continue;
        if (fs::exists(fs::u8path(part) / "predictions.json", ec) ||
            fs::exists(fs::u8path(part) / ".benchtop-job.json", ec))
            throw Error(part, "is not a part of a split text job: only text jobs can be split and merged so far.");
        throw Error(part, "is not the result folder of a Benchtop job.");
    }
    const text::MergedEmbeddings merged = text::mergeEmbeddingParts(o.parts, o.outDir);
    std::fprintf(stderr, "merged %zu parts: %zu texts\n", merged.parts, merged.texts);
    for (const auto& file : merged.files) std::printf("%s\n", file.c_str());
    return kExitOk;
}

}  // namespace

void addMergeCommand(CLI::App& app) {
    auto o = std::make_shared<MergeOptions>();
    auto* cmd = app.add_subcommand(
        "merge", "Combine the result folders of the parts of a split job (run --shard I/N) into one run's files");
    cmd->add_option("out", o->outDir, "New folder for the merged result")->required();
    cmd->add_option("parts", o->parts, "The parts' result folders (<name>.shard-I-of-N), each once")->required();
    setCommandAction(*cmd, [o] { return runMerge(*o); });
}

}  // namespace benchtop::cli
