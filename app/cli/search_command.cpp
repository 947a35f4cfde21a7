#include "app/cli/search_command.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/text/embedding_index.h"

namespace benchtop::cli {
namespace {

struct SearchOptions {
    std::string outDir;
    std::string query;
    int k = 10;
    std::string model;
    std::string device = "cpu";
};

int runSearch(const SearchOptions& o) {
    const auto index = text::EmbeddingIndex::open(o.outDir);
    index->encoder(o.model, o.device);  // loads the recorded model (or --model) and checks its dimension
    const auto hits = index->search(o.query, static_cast<size_t>(std::max(0, o.k)));
    std::printf("%-6s %-8s %s\n", "rank", "cosine", "text");
    for (size_t i = 0; i < hits.size(); ++i) {
        std::string t = hits[i].text;
        std::replace(t.begin(), t.end(), '\n', ' ');
        if (t.size() > 100) t = t.substr(0, 97) + "...";
        std::printf("%-6zu %-8.4f [%zu] %s\n", i + 1, hits[i].score, hits[i].row, t.c_str());
    }
    return kExitOk;
}

}  // namespace

void addSearchCommand(CLI::App& app) {
    auto options = std::make_shared<SearchOptions>();
    CLI::App* cmd = app.add_subcommand("search", "Top-k most similar texts of an embeddings output folder");
    cmd->add_option("out_dir", options->outDir, "Output folder of a text-embedding job")->required();
    cmd->add_option("query", options->query, "Query text")->required();
    cmd->add_option("-k", options->k, "How many results (default 10)");
    cmd->add_option("--model", options->model, "Model folder or id (default: the one recorded in the output)");
    cmd->add_option("--device", options->device, "cpu, cuda, cuda:N or mps (default cpu)");
    setCommandAction(*cmd, [options] { return runSearch(*options); });
}

}  // namespace benchtop::cli
