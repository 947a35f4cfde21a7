#include "app/cli/bench_embed.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/device/device.h"
#include "core/engine/batcher.h"
#include "core/text/embedding_task.h"
#include "core/text/text_encoder.h"
#include "core/text/tokenizer.h"

namespace benchtop::cli {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

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
    std::size_t maxLength = 0;
    std::int64_t batchTokens = 0;
    std::size_t maxBatch = 0;
};

/// One measured configuration: a precision and a batch plan.
struct Config {
    std::string precision;
    std::string order;  // "arrival" or "sorted"
    const text::TextEncoder* encoder = nullptr;
    const std::vector<engine::PlannedBatch>* plan = nullptr;
    std::vector<double> seconds;
    std::vector<float> embeddings;  // input order, from the last run
};

/// Runs every batch of `plan` and returns the embeddings in input order.
std::vector<float> embedAll(const text::TextEncoder& encoder, const std::vector<text::Encoding>& encodings,
                            const std::vector<engine::PlannedBatch>& plan) {
    const std::size_t dim = encoder.dimension();
    std::vector<float> out(encodings.size() * dim);
    std::vector<text::Encoding> rows;
    for (const auto& batch : plan) {
        rows.clear();
        for (std::size_t i : batch.indices) rows.push_back(encodings[i]);
        const auto pooled = encoder.embed(encoder.tokenizer().pad(rows));
        for (std::size_t r = 0; r < batch.indices.size(); ++r)
            std::copy_n(pooled.begin() + static_cast<long>(r * dim), dim,
                        out.begin() + static_cast<long>(batch.indices[r] * dim));
    }
    return out;
}

double minCosine(const std::vector<float>& a, const std::vector<float>& b, std::size_t dim) {
    double worst = 1.0;
    for (std::size_t r = 0; r * dim < a.size(); ++r) {
        double dot = 0, na = 0, nb = 0;
        for (std::size_t c = 0; c < dim; ++c) {
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

    std::vector<text::SourceText> texts = text::readTexts(o.input, o.column, o.field);
    if (o.limit > 0 && texts.size() > o.limit) texts.resize(o.limit);
    if (texts.empty()) throw Error(o.input, "holds no texts to embed.");

    // Tokenize once, as the task does (strip, truncate to the model's maximum length), outside the timings.
    const text::Tokenizer tokenizer = text::Tokenizer::fromFolder(modelDir);
    text::EncodeOptions encodeOptions;
    encodeOptions.maxLength = o.maxLength > 0 ? o.maxLength : tokenizer.maxLength();
    const auto tokenizeStart = Clock::now();
    std::vector<text::Encoding> encodings;
    std::vector<std::int64_t> lengths;
    encodings.reserve(texts.size());
    for (const auto& t : texts) {
        encodings.push_back(tokenizer.encode(text::stripPython(t.text), encodeOptions));
        lengths.push_back(static_cast<std::int64_t>(encodings.back().ids.size()));
    }
    const double tokenizeS = secondsSince(tokenizeStart);
    std::int64_t tokens = 0;
    for (auto l : lengths) tokens += l;

    engine::BatchLimits sortedLimits = text::embeddingBatchLimits();
    if (o.batchTokens > 0) sortedLimits.unitBudget = o.batchTokens;
    if (o.maxBatch > 0) sortedLimits.maxItems = o.maxBatch;
    engine::BatchLimits arrivalLimits = sortedLimits;
    arrivalLimits.sortWindow = 0;
    const auto arrivalPlan = engine::planBatches(lengths, arrivalLimits);
    const auto sortedPlan = engine::planBatches(lengths, sortedLimits);

    std::printf("bench embed: %zu texts (%lld tokens, %.1f per text, longest %lld) from %s\n", texts.size(),
                static_cast<long long>(tokens), double(tokens) / double(texts.size()),
                static_cast<long long>(*std::max_element(lengths.begin(), lengths.end())), o.input.c_str());
    std::printf("model %s; device %s (%s), %d threads; tokenized in %.2f s (%.0f texts/s)\n", modelDir.c_str(),
                choice.device.id.c_str(), choice.device.name.c_str(), choice.threads, tokenizeS,
                tokenizeS > 0 ? double(texts.size()) / tokenizeS : 0.0);
    std::printf(
        "batches: budget %lld padded tokens, at most %zu texts; sorted by length within windows of %zu; "
        "%d timed run(s) per configuration, interleaved\n\n",
        static_cast<long long>(sortedLimits.unitBudget), sortedLimits.maxItems, sortedLimits.sortWindow, o.runs);

    // Load every precision first, then interleave the timed runs so that drift (other processes, turbo)
    // spreads over all configurations instead of favouring one.
    std::vector<std::unique_ptr<text::TextEncoder>> encoders;
    std::vector<Config> configs;
    for (const std::string& name : splitList(o.precisions)) {
        const std::string precision = device::toString(device::parsePrecision(name));
        std::string reason;
        if (!device::supportsPrecision(choice.device, device::parsePrecision(name), &reason))
            throw Error("--precisions", precision + " cannot run on " + choice.device.id + ": " + reason);
        const auto loadStart = Clock::now();
        encoders.push_back(text::TextEncoder::load(modelDir, choice.device.id, precision));
        std::printf("loaded %s in %.2f s\n", precision.c_str(), secondsSince(loadStart));
        // Warm-up: the first batches pay for allocation and kernel selection.
        embedAll(*encoders.back(), encodings, {sortedPlan.front(), arrivalPlan.front()});
        configs.push_back({precision, "arrival", encoders.back().get(), &arrivalPlan, {}, {}});
        configs.push_back({precision, "sorted", encoders.back().get(), &sortedPlan, {}, {}});
    }
    if (configs.empty()) throw Error("--precisions", "names no precision.");
    std::printf("\n");
    for (int run = 0; run < o.runs; ++run) {
        for (Config& c : configs) {
            const auto start = Clock::now();
            c.embeddings = embedAll(*c.encoder, encodings, *c.plan);
            c.seconds.push_back(secondsSince(start));
            std::printf("run %d  %-5s %-8s %8.2f s\n", run + 1, c.precision.c_str(), c.order.c_str(), c.seconds.back());
        }
    }

    const Config& base = configs.front();
    const double baseS = median(base.seconds);
    std::printf("\n%-9s %-8s %8s %9s %10s %10s %11s %9s\n", "precision", "order", "batches", "padding", "seconds",
                "texts/s", "tokens/s", "speedup");
    for (const Config& c : configs) {
        const double s = median(c.seconds);
        std::printf("%-9s %-8s %8zu %8.1f%% %10.2f %10.1f %11.0f %8.2fx\n", c.precision.c_str(), c.order.c_str(),
                    c.plan->size(), 100.0 * engine::paddingEfficiency(*c.plan), s, double(texts.size()) / s,
                    double(tokens) / s, baseS / s);
    }
    std::printf("(speedup = time of %s %s / time of the row; padding = real tokens / padded tokens)\n",
                base.precision.c_str(), base.order.c_str());

    const std::size_t dim = base.encoder->dimension();
    std::printf("\nagreement with %s %s embeddings (min cosine over the texts):\n", base.precision.c_str(),
                base.order.c_str());
    for (std::size_t i = 1; i < configs.size(); ++i)
        std::printf("  %-5s %-8s %.6f\n", configs[i].precision.c_str(), configs[i].order.c_str(),
                    minCosine(configs[i].embeddings, base.embeddings, dim));
    return kExitOk;
}

}  // namespace

void addBenchEmbedCommand(CLI::App& bench) {
    auto options = std::make_shared<BenchOptions>();
    CLI::App* cmd = bench.add_subcommand(
        "embed", "Text-embedding throughput: texts/s, tokens/s, padding for fp32/bf16 x arrival/length-sorted batches");
    cmd->add_option("--model", options->model, "Text-embedding model folder or id")->required();
    cmd->add_option("--input", options->input, "Texts: .txt (a text per line), .csv/.tsv or .jsonl")->required();
    cmd->add_option("--column", options->column, "CSV/TSV column holding the texts");
    cmd->add_option("--field", options->field, "JSONL field holding the texts");
    cmd->add_option("--limit", options->limit, "Use only the first N texts");
    cmd->add_option("--max-length", options->maxLength, "Truncate texts to N tokens (default: the model's)");
    cmd->add_option("--batch-tokens", options->batchTokens, "Padded-token budget per batch (default: the task's)");
    cmd->add_option("--max-batch", options->maxBatch, "Most texts per batch (default: the task's)");
    cmd->add_option("--runs", options->runs, "Timed runs per configuration (median reported)");
    cmd->add_option("--precisions", options->precisions, "Comma list of precisions to compare (default fp32,bf16)");
    cmd->add_option("--device", options->device, "cpu, cuda, cuda:N or mps (default cpu)");
    cmd->add_option("--threads", options->threads, "Intra-op threads (0 = physical cores)");
    cmd->callback([options] {
        try {
            const int rc = runBench(*options);
            if (rc != kExitOk) throw static_cast<ExitCode>(rc);
        } catch (const Error& e) {
            std::fprintf(stderr, "error: %s\n", e.what());
            throw kExitJobFailed;
        }
    });
}

}  // namespace benchtop::cli
