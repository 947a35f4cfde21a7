#include "core/workloads/builtin_workloads.h"
#include "app/cli/bench_embed.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/device/device.h"
#include "core/device/machine_report.h"
#include "core/device/matmul_rate.h"
#include "core/engine/engine.h"
#include "core/tensor/npy_reader.h"
#include "core/text/bert_config.h"
#include "core/text/embedding_task.h"
#include "core/text/tokenizer.h"

namespace benchtop::cli {
namespace {

namespace fs = std::filesystem;

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

/// Tokens/s of the implementation before the packed attention (commit c959160), measured on the same
/// corpus and model size on a 2-core AVX512-BF16 machine (issue #10): the recorded baseline of the ratio.
constexpr double kBaselineBf16TokensPerS = 607.0;

struct BenchOptions {
    std::string model;
    std::string input;
    std::string column;
    std::string field;
    std::string device = "cpu";
    std::string precisions = "fp32,bf16";
    int runs = 1;
    int threads = 0;
    std::size_t limit = 0;
    bool keep = false;
};

struct Row {
    std::string precision;
    std::vector<double> seconds;
    engine::JobMetrics metrics;
    std::uint64_t peakRss = 0;
    std::vector<float> embeddings;
    std::int64_t dim = 0;
    double gemmGflops = 0;
};

double minCosine(const std::vector<float>& a, const std::vector<float>& b, std::int64_t dim) {
    double worst = 1.0;
    for (std::size_t r = 0; r * dim < a.size() && r * dim < b.size(); ++r) {
        double dot = 0, na = 0, nb = 0;
        for (std::int64_t c = 0; c < dim; ++c) {
            const double x = a[r * dim + c], y = b[r * dim + c];
            dot += x * y, na += x * x, nb += y * y;
        }
        if (na > 0 && nb > 0) worst = std::min(worst, dot / std::sqrt(na * nb));
    }
    return worst;
}

int runBench(const BenchOptions& o) {
    if (o.runs < 1) throw Error("--runs", "must be at least 1");
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // lines appear as measured, also when piped
    const device::DeviceChoice choice = device::resolve(device::requestFromEnvironment({o.device, "fp32", o.threads}));
    device::applyThreads(choice.threads);
    const std::string modelDir = text::resolveTextModel(o.model);
    const text::BertConfig config = text::BertConfig::fromFile((fs::path(modelDir) / "config.json").string());

    std::vector<text::SourceText> texts = text::readTexts(o.input, o.column, o.field);
    if (o.limit > 0 && texts.size() > o.limit) texts.resize(o.limit);
    if (texts.empty()) throw Error(o.input, "holds no texts to embed.");

    // The job reads a file: the (limited) texts go to a JSON-lines copy in a scratch folder.
    const fs::path scratch =
        fs::temp_directory_path() /
        ("benchtop-bench-embed-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(scratch);
    const std::string corpus = (scratch / "texts.jsonl").string();
    {
        std::ofstream out(corpus, std::ios::binary);
        for (const auto& t : texts) out << nlohmann::json{{"text", t.text}}.dump() << "\n";
        if (!out) throw Error(corpus, "cannot write the benchmark's copy of the texts.");
    }

    // Token counts as the task sees them (stripped, truncated to the model's maximum), for the FLOP count.
    const text::Tokenizer tokenizer = text::Tokenizer::fromFolder(modelDir);
    text::EncodeOptions encodeOptions;
    encodeOptions.maxLength = tokenizer.maxLength();
    std::vector<std::int64_t> lengths;
    std::int64_t tokens = 0;
    for (const auto& t : texts) {
        lengths.push_back(
            static_cast<std::int64_t>(tokenizer.encode(text::stripPython(t.text), encodeOptions).ids.size()));
        tokens += lengths.back();
    }
    const double flops = bertForwardFlops(config, lengths);

    std::printf("bench embed: %zu texts, %lld tokens (mean %.1f, longest %lld) from %s\n", texts.size(),
                static_cast<long long>(tokens), double(tokens) / double(texts.size()),
                static_cast<long long>(*std::max_element(lengths.begin(), lengths.end())), o.input.c_str());
    std::printf("model %s: %d layers, hidden %d, %.1f GFLOP per pass over the corpus\n", modelDir.c_str(),
                static_cast<int>(config.numLayers), static_cast<int>(config.hiddenSize), flops / 1e9);
    std::printf(
        "device %s (%s), %d threads; every run is a text job through the engine (read, tokenize, batch, "
        "encode, write), as `benchtop-cli run` does\n\n",
        choice.device.id.c_str(), choice.device.name.c_str(), choice.threads);

    std::vector<Row> rows;
    for (const std::string& name : splitList(o.precisions)) {
        const device::Precision precision = device::parsePrecision(name);
        std::string reason;
        if (!device::supportsPrecision(choice.device, precision, &reason))
            throw Error("--precisions", name + " cannot run on " + choice.device.id + ": " + reason);
        Row row;
        row.precision = device::toString(precision);
        row.gemmGflops = device::measureMatmulRate(choice.device.id, precision).gflops;
        std::printf("%s matrix multiply (2048^3) on this machine: %.0f GFLOP/s\n", row.precision.c_str(),
                    row.gemmGflops);
        rows.push_back(row);
    }
    if (rows.empty()) throw Error("--precisions", "names no precision.");
    std::printf("\n");

    // Runs are interleaved across precisions so that drift (other processes, clocks) spreads over all.
    for (int run = 0; run < o.runs; ++run) {
        for (Row& row : rows) {
            engine::EngineOptions engineOptions;
            engineOptions.defaults = {choice.device.id, row.precision, choice.threads};
            engine::Engine engine(workloads::builtinTasks(), engineOptions);
            engine::JobSpec spec;
            spec.inputs = {corpus};
            spec.task = "text";
            spec.model = modelDir;
            spec.options["field"] = "text";
            spec.outputDir = (scratch / (row.precision + "-" + std::to_string(run))).string();
            spec.device = choice.device.id;
            spec.precision = row.precision;
            spec.threads = choice.threads;
            device::resetProcessPeakRss();
            const auto id = engine.submit(spec);
            engine.wait(id);
            const auto snap = engine.snapshot(id);
            if (!snap || snap->state != engine::JobState::Done)
                throw Error(o.input, "the " + row.precision + " job failed: " + (snap ? snap->error : "unknown job"));
            row.metrics = snap->metrics;
            row.seconds.push_back(snap->metrics.wallSeconds);
            row.peakRss = std::max(row.peakRss, device::processPeakRssBytes());
            const tensor::NpyArray npy = tensor::readNpy((fs::path(snap->resultDir) / "embeddings.npy").string());
            row.dim = npy.shape.size() == 2 ? npy.shape[1] : 0;
            row.embeddings = npy.toFloats();
            std::printf("run %d  %-5s %8.2f s  %8.0f tokens/s\n", run + 1, row.precision.c_str(), row.seconds.back(),
                        double(tokens) / row.seconds.back());
        }
    }

    std::printf("\n%-9s %9s %9s %10s %8s %9s %9s %10s %10s\n", "precision", "seconds", "texts/s", "tokens/s", "padding",
                "peak RSS", "GFLOP/s", "of GEMM", "vs c959160");
    for (const Row& row : rows) {
        const double s = median(row.seconds);
        const double rate = flops / s / 1e9;
        char vsBaseline[32] = "-";
        if (row.precision == "bf16")
            std::snprintf(vsBaseline, sizeof vsBaseline, "%.1fx", double(tokens) / s / kBaselineBf16TokensPerS);
        std::printf("%-9s %9.2f %9.1f %10.0f %7.1f%% %7.0f MB %9.0f %9.1f%% %10s\n", row.precision.c_str(), s,
                    double(texts.size()) / s, double(tokens) / s, 100.0 * row.metrics.paddingEfficiency,
                    double(row.peakRss) / 1e6, rate, 100.0 * rate / row.gemmGflops, vsBaseline);
    }
    std::printf(
        "(seconds: median job wall time of %d run(s); GFLOP/s: the model's matrix work per second; of GEMM: "
        "that over the machine's measured 2048^3 matrix-multiply rate in the same precision; vs c959160: "
        "tokens/s over the %.0f tokens/s recorded for the previous implementation in bf16 on this corpus)\n",
        o.runs, kBaselineBf16TokensPerS);
    if (rows.size() > 1) {
        std::printf("\nagreement with %s (min cosine over the texts):\n", rows.front().precision.c_str());
        for (std::size_t i = 1; i < rows.size(); ++i)
            std::printf("  %-5s %.6f\n", rows[i].precision.c_str(),
                        minCosine(rows[i].embeddings, rows.front().embeddings, rows.front().dim));
    }
    if (!o.keep) {
        std::error_code ec;
        fs::remove_all(scratch, ec);
    } else {
        std::printf("\noutputs kept in %s\n", scratch.string().c_str());
    }
    return kExitOk;
}

}  // namespace

void addBenchEmbedCommand(CLI::App& bench) {
    auto options = std::make_shared<BenchOptions>();
    CLI::App* cmd = bench.add_subcommand(
        "embed",
        "Text-embedding throughput of the text job: tokens/s, peak memory, fraction of the machine's GEMM rate");
    cmd->add_option("--model", options->model, "Text-embedding model folder or id")->required();
    cmd->add_option("--input", options->input, "Texts: .txt (a text per line), .csv/.tsv or .jsonl")->required();
    cmd->add_option("--column", options->column, "CSV/TSV column holding the texts");
    cmd->add_option("--field", options->field, "JSONL field holding the texts");
    cmd->add_option("--limit", options->limit, "Use only the first N texts");
    cmd->add_option("--runs", options->runs, "Timed runs per precision (median reported)");
    cmd->add_option("--precisions", options->precisions, "Comma list of precisions to compare (default fp32,bf16)");
    cmd->add_option("--device", options->device, "cpu, cuda, cuda:N or mps (default cpu)");
    cmd->add_option("--threads", options->threads, "Intra-op threads (0 = physical cores)");
    cmd->add_flag("--keep", options->keep, "Keep the jobs' output folders");
    setCommandAction(*cmd, [options] { return runBench(*options); });
}

double bertForwardFlops(const text::BertConfig& c, const std::vector<std::int64_t>& lengths) {
    const double h = double(c.hiddenSize), inter = double(c.intermediateSize), layers = double(c.numLayers);
    double tokens = 0, squares = 0;
    for (const auto l : lengths) tokens += double(l), squares += double(l) * double(l);
    return layers * (2.0 * tokens * (4.0 * h * h + 2.0 * h * inter) + 4.0 * squares * h);
}

}  // namespace benchtop::cli
