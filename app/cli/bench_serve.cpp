// `benchtop-cli bench serve`: concurrent loopback clients against the local server, with batching across requests
// on and off in one run.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/cli/bench_embed.h"
#include "app/cli/commands.h"
#include "app/cli/serve_command.h"
#include "core/common/error.h"
#include "core/device/device.h"
#include "core/device/matmul_rate.h"
#include "core/engine/engine.h"
#include "core/serve/server.h"
#include "core/text/bert_config.h"
#include "core/text/embedding_task.h"
#include "core/text/tokenizer.h"
#include "core/workloads/builtin_workloads.h"

namespace fs = std::filesystem;

namespace benchtop::cli {
namespace {

struct BenchServeOptions {
    std::string model;
    std::string input;
    std::string column;
    std::string field;
    std::size_t limit = 0;
    int clients = 16;
    int textsPerRequest = 1;
    std::string device;
    std::string precision;
    int threads = 0;
    double batchWaitMs = 5.0;
};

struct ModeResult {
    std::string name;
    double wallSeconds = 0;
    std::size_t requests = 0;
    std::size_t failures = 0;
    std::vector<double> latencies;  // seconds, sorted
    double paddingEfficiency = 1;
    std::uint64_t batches = 0;
};

double quantile(const std::vector<double>& sorted, double q) {
    if (sorted.empty()) return 0;
    const double position = q * double(sorted.size() - 1);
    const std::size_t below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(sorted.size() - 1, below + 1);
    return sorted[below] + (sorted[above] - sorted[below]) * (position - double(below));
}

ModeResult runMode(engine::Engine& engine, const BenchServeOptions& o, bool cross,
                   const std::vector<std::string>& texts, const std::string& modelId) {
    serve::ServeOptions options;
    options.port = 0;
    options.models.push_back({"text", o.model});
    options.device = {o.device, o.precision, o.threads};
    options.crossRequestBatching = cross;
    options.batchWaitMs = o.batchWaitMs;
    options.maxQueue = static_cast<std::size_t>(o.clients) * 2;
    serve::Server server(engine, options);
    server.start();
    const int port = server.port();

    const auto body = [&](std::size_t from, std::size_t count) {
        nlohmann::json input = nlohmann::json::array();
        for (std::size_t i = from; i < from + count && i < texts.size(); ++i) input.push_back(texts[i]);
        return nlohmann::json{{"model", modelId}, {"input", std::move(input)}}.dump();
    };
    {  // warm-up: the first batches of a fresh model are slower (allocator, kernels)
        httplib::Client client("127.0.0.1", port);
        for (int i = 0; i < 3; ++i) client.Post("/v1/embeddings", body(0, 8), "application/json");
    }
    const serve::ServeCounters before = server.counters();
    ModeResult result;
    result.name = cross ? "batched across requests" : "each request alone";
    std::atomic<std::size_t> next{0};
    std::mutex mutex;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> clients;
    for (int c = 0; c < o.clients; ++c)
        clients.emplace_back([&] {
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(600, 0);
            std::vector<double> mine;
            std::size_t failures = 0;
            for (;;) {
                const std::size_t from = next.fetch_add(static_cast<std::size_t>(o.textsPerRequest));
                if (from >= texts.size()) break;
                const std::string payload = body(from, static_cast<std::size_t>(o.textsPerRequest));
                const auto t0 = std::chrono::steady_clock::now();
                const auto res = client.Post("/v1/embeddings", payload, "application/json");
                const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                if (!res || res->status != 200) ++failures;
                mine.push_back(s);
            }
            std::lock_guard<std::mutex> lock(mutex);
            result.latencies.insert(result.latencies.end(), mine.begin(), mine.end());
            result.failures += failures;
        });
    for (auto& t : clients) t.join();
    result.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const serve::ServeCounters after = server.counters();
    server.stop();
    std::sort(result.latencies.begin(), result.latencies.end());
    result.requests = result.latencies.size();
    const double real = double(after.tokens - before.tokens);
    const double padded = double(after.paddedTokens - before.paddedTokens);
    result.paddingEfficiency = padded > 0 ? real / padded : 1.0;
    result.batches = after.embeddingBatches - before.embeddingBatches;
    return result;
}

int runBenchServe(const BenchServeOptions& o) {
    if (o.clients < 1) throw Error("--clients", "must be at least 1");
    if (o.textsPerRequest < 1) throw Error("--texts-per-request", "must be at least 1");
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const std::string modelDir = text::resolveTextModel(o.model);
    const text::BertConfig config = text::BertConfig::fromFile((fs::path(modelDir) / "config.json").string());
    std::vector<text::SourceText> sources = text::readTexts(o.input, o.column, o.field);
    if (o.limit > 0 && sources.size() > o.limit) sources.resize(o.limit);
    std::vector<std::string> texts;
    std::size_t empty = 0;
    for (auto& s : sources) {
        if (s.text.empty())
            ++empty;  // the API refuses empty strings, as OpenAI's does
        else
            texts.push_back(std::move(s.text));
    }
    if (texts.empty()) throw Error(o.input, "holds no non-empty texts to send.");
    if (empty > 0) std::printf("%zu empty text(s) left out: the API refuses empty input\n", empty);

    const text::Tokenizer tokenizer = text::Tokenizer::fromFolder(modelDir);
    text::EncodeOptions encode;
    encode.maxLength = tokenizer.maxLength();
    std::vector<std::int64_t> lengths;
    double tokens = 0;
    for (const auto& t : texts) {
        lengths.push_back(static_cast<std::int64_t>(tokenizer.encode(text::stripPython(t), encode).ids.size()));
        tokens += double(lengths.back());
    }
    const double flops = bertForwardFlops(config, lengths);

    engine::EngineOptions engineOptions;
    engineOptions.defaults = device::requestFromEnvironment({o.device, o.precision, o.threads});
    engine::Engine engine(workloads::builtinTasks(), engineOptions);
    const device::DeviceChoice choice =
        device::resolve(device::requestFromEnvironment({o.device, o.precision, o.threads}));
    const std::string modelId = serve::modelIdOf(o.model);
    std::printf("model %s: %d layers, hidden %d; %zu texts, %.0f tokens (%.1f GFLOP)\n", modelDir.c_str(),
                static_cast<int>(config.numLayers), static_cast<int>(config.hiddenSize), texts.size(), tokens,
                flops / 1e9);
    std::printf(
        "server on 127.0.0.1 (%s, %d threads); %d concurrent clients, %d text(s) per request, batch wait %.1f ms\n",
        choice.label().c_str(), choice.threads, o.clients, o.textsPerRequest, o.batchWaitMs);
    const double gemm = device::measureMatmulRate(choice.device.id, choice.precision).gflops;
    std::printf("%s matrix multiply (2048^3) on this machine: %.0f GFLOP/s\n\n",
                device::toString(choice.precision).c_str(), gemm);

    std::vector<ModeResult> results;
    results.push_back(runMode(engine, o, true, texts, modelId));
    results.push_back(runMode(engine, o, false, texts, modelId));

    std::printf("%-24s %10s %9s %10s %8s %8s %8s %8s %8s %8s %8s\n", "mode", "requests/s", "texts/s", "tokens/s",
                "p50 ms", "p95 ms", "p99 ms", "padding", "batches", "GFLOP/s", "of GEMM");
    for (const auto& r : results) {
        const double rate = flops / r.wallSeconds / 1e9;
        std::printf("%-24s %10.1f %9.1f %10.0f %8.1f %8.1f %8.1f %7.1f%% %8llu %8.1f %7.1f%%\n", r.name.c_str(),
                    double(r.requests) / r.wallSeconds, double(texts.size()) / r.wallSeconds, tokens / r.wallSeconds,
                    quantile(r.latencies, 0.50) * 1e3, quantile(r.latencies, 0.95) * 1e3,
                    quantile(r.latencies, 0.99) * 1e3, 100.0 * r.paddingEfficiency,
                    static_cast<unsigned long long>(r.batches), rate, gemm > 0 ? 100.0 * rate / gemm : 0.0);
        if (r.failures > 0) std::printf("  (%zu requests failed)\n", r.failures);
    }
    std::printf("\nbatching across requests: %.2fx the requests/s of batching each request alone\n",
                results[1].wallSeconds / results[0].wallSeconds);
    std::printf(
        "reference: the embedding service Benchtop grew from reported 67 requests/s at 98%% padding efficiency on its "
        "own hardware (compare padding here; requests/s depend on the model and machine)\n");
    std::printf(
        "(latency: from sending a request to its whole answer, over every request; GFLOP/s: the model's matrix work "
        "per second of wall time, HTTP and JSON included; of GEMM: that over the measured matrix-multiply rate)\n");
    bool failed = false;
    for (const auto& r : results) failed = failed || r.failures > 0;
    return failed ? kExitJobFailed : kExitOk;
}

}  // namespace

void addBenchServeCommand(CLI::App& bench) {
    auto o = std::make_shared<BenchServeOptions>();
    auto* cmd = bench.add_subcommand(
        "serve",
        "Local server under concurrent clients: requests/s, latency, padding, batching across requests on/off");
    cmd->add_option("--model", o->model, "Text-embedding model folder or id")->required();
    cmd->add_option("--input", o->input, "Texts to send (.txt one per line, .csv/.tsv, .jsonl)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--column", o->column, "CSV/TSV column with the texts");
    cmd->add_option("--field", o->field, "JSON-lines field with the texts");
    cmd->add_option("--limit", o->limit, "Use only the first N texts");
    cmd->add_option("--clients", o->clients, "Concurrent clients")->capture_default_str();
    cmd->add_option("--texts-per-request", o->textsPerRequest, "Texts in each request")->capture_default_str();
    cmd->add_option("--batch-wait-ms", o->batchWaitMs, "Server's batch wait")->capture_default_str();
    cmd->add_option("--device", o->device, "auto, cpu, cuda, cuda:N, mps");
    cmd->add_option("--precision", o->precision, "auto, fp32, fp16, bf16");
    cmd->add_option("--threads", o->threads, "Intra-op threads (0 = physical cores)");
    setCommandAction(*cmd, [o] { return runBenchServe(*o); });
}

}  // namespace benchtop::cli
