#include "app/cli/search_command.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/tensor/npy_reader.h"
#include "core/text/embedding_task.h"
#include "core/text/text_encoder.h"

namespace benchtop::cli {
namespace {

namespace fs = std::filesystem;

struct SearchOptions {
    std::string outDir;
    std::string query;
    int k = 10;
    std::string model;
    std::string device = "cpu";
};

int runSearch(const SearchOptions& o) {
    const fs::path dir(o.outDir);
    const fs::path infoPath = dir / "embedding_info.json";
    nlohmann::json info;
    {
        std::ifstream in(infoPath);
        if (!in) throw Error(infoPath.string(), "not found; run a text-embedding job into this folder first.");
        try {
            info = nlohmann::json::parse(in);
        } catch (const std::exception& e) {
            throw Error(infoPath.string(), std::string("is not valid JSON: ") + e.what());
        }
    }
    std::string model = o.model;
    if (model.empty()) model = info.value("model", std::string());
    if (model.empty()) throw Error(infoPath.string(), "names no model; pass --model.");
    const auto array = tensor::readNpy((dir / "embeddings.npy").string());
    if (array.shape.size() != 2) throw Error((dir / "embeddings.npy").string(), "is not a 2-D array.");
    const auto values = array.toFloats();
    const size_t rows = static_cast<size_t>(array.shape[0]);
    const size_t dim = static_cast<size_t>(array.shape[1]);

    std::vector<std::string> texts;
    {
        std::ifstream in(dir / "texts.jsonl");
        for (std::string line; std::getline(in, line);) {
            if (line.empty()) continue;
            auto j = nlohmann::json::parse(line, nullptr, false);
            texts.push_back(j.is_object() ? j.value("text", j.value("source", std::string())) : std::string());
        }
    }

    auto encoder = text::TextEncoder::load(text::resolveTextModel(model), o.device, "fp32");
    if (encoder->dimension() != dim)
        throw Error(model, "gives " + std::to_string(encoder->dimension()) + "-dim embeddings but the output has " +
                               std::to_string(dim) + "; pass the --model the output was made with.");
    const auto q = encoder->embedTexts({o.query});
    double qn = 0;
    for (float v : q) qn += double(v) * v;
    qn = std::sqrt(qn);
    std::vector<double> scores(rows, 0.0);
    for (size_t r = 0; r < rows; ++r) {
        double dot = 0, rn = 0;
        for (size_t i = 0; i < dim; ++i) {
            dot += double(q[i]) * values[r * dim + i];
            rn += double(values[r * dim + i]) * values[r * dim + i];
        }
        scores[r] = (qn > 0 && rn > 0) ? dot / (qn * std::sqrt(rn)) : 0.0;
    }
    std::vector<size_t> order(rows);
    std::iota(order.begin(), order.end(), 0);
    const size_t k = std::min<size_t>(rows, static_cast<size_t>(std::max(0, o.k)));
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](size_t a, size_t b) { return scores[a] > scores[b] || (scores[a] == scores[b] && a < b); });
    std::printf("%-6s %-8s %s\n", "rank", "cosine", "text");
    for (size_t i = 0; i < k; ++i) {
        const size_t r = order[i];
        std::string t = r < texts.size() ? texts[r] : std::string();
        std::replace(t.begin(), t.end(), '\n', ' ');
        if (t.size() > 100) t = t.substr(0, 97) + "...";
        std::printf("%-6zu %-8.4f [%zu] %s\n", i + 1, scores[r], r, t.c_str());
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
    cmd->callback([options] {
        try {
            const int rc = runSearch(*options);
            if (rc != kExitOk) throw static_cast<ExitCode>(rc);
        } catch (const Error& e) {
            std::fprintf(stderr, "error: %s\n", e.what());
            throw kExitJobFailed;
        }
    });
}

}  // namespace benchtop::cli
