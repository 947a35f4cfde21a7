#include "app/cli/serve_command.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include <CLI/CLI.hpp>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/engine/engine.h"
#include "core/serve/server.h"
#include "core/workloads/builtin_workloads.h"

namespace benchtop::cli {
namespace {

std::atomic<int> g_stopSignal{0};
extern "C" void onStopSignal(int signal) {
    g_stopSignal.store(signal);
}

struct ServeFlags {
    serve::ServeOptions options;
    std::vector<std::string> models;
    std::string apiKeyFile;
    double maxRequestMb = 64;
    bool noCrossBatching = false;
};

int runServe(ServeFlags& f) {
    serve::ServeOptions& o = f.options;
    for (const auto& m : f.models) o.models.push_back(serve::parseModelSpec(m));
    if (!f.apiKeyFile.empty()) o.apiKey = serve::readApiKeyFile(f.apiKeyFile);
    if (!(f.maxRequestMb > 0)) throw Error("--max-request-mb", "must be above 0.");
    o.maxBodyBytes = static_cast<std::size_t>(f.maxRequestMb * 1024 * 1024);
    o.crossRequestBatching = !f.noCrossBatching;

    engine::EngineOptions engineOptions;
    engineOptions.defaults = device::requestFromEnvironment(o.device);
    engine::Engine engine(workloads::builtinTasks(), engineOptions);
    serve::Server server(engine, o);
    std::printf("Loading models...\n");
    std::fflush(stdout);
    server.start();
    const device::DeviceChoice& choice = server.deviceChoice();
    std::printf("Benchtop server on %s (%s)\n", server.url().c_str(), choice.label().c_str());
    std::printf("  device: %s\n  precision: %s\n", choice.deviceReason.c_str(), choice.precisionReason.c_str());
    for (const auto& [id, kind] : server.modelIds())
        std::printf("  model %s (%s): %s\n", id.c_str(), kind.c_str(),
                    kind == "text" ? "POST /v1/embeddings" : "POST /v1/audio/transcriptions");
    std::printf("  clocks: POST /v1/methylation/predict; GET /health, /v1/models, /metrics\n");
    std::printf("  %s; queue %zu requests; batching across requests %s\n",
                o.apiKey.empty() ? "no API key (loopback only)" : "API key required", o.maxQueue,
                o.crossRequestBatching ? "on" : "off");
    std::printf("Stop with Ctrl+C or SIGTERM (requests in flight are finished first).\n");
    std::fflush(stdout);

    g_stopSignal = 0;
    auto previousInt = std::signal(SIGINT, onStopSignal);
    auto previousTerm = std::signal(SIGTERM, onStopSignal);
    while (g_stopSignal.load() == 0 && server.running()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::printf("Shutting down: refusing new requests, finishing %zu in flight...\n", server.queueDepth());
    std::fflush(stdout);
    server.stop();
    std::signal(SIGINT, previousInt);
    std::signal(SIGTERM, previousTerm);
    const serve::ServeCounters c = server.counters();
    std::printf("Stopped after %llu requests (%llu texts, %.1f s of audio, %llu methylation samples).\n",
                static_cast<unsigned long long>(c.requests), static_cast<unsigned long long>(c.texts), c.audioSeconds,
                static_cast<unsigned long long>(c.methylationSamples));
    return kExitOk;
}

}  // namespace

void addServeCommand(CLI::App& app) {
    auto flags = std::make_shared<ServeFlags>();
    serve::ServeOptions& o = flags->options;
    auto* cmd = app.add_subcommand(
        "serve", "Serve models over HTTP: OpenAI-compatible embeddings and transcriptions, methylation clocks");
    cmd->add_option("--host", o.host, "Address to listen on (loopback by default; others need --api-key-file)")
        ->capture_default_str();
    cmd->add_option("--port", o.port, "TCP port (0 = any free port)")
        ->capture_default_str()
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--model", flags->models,
                    "A model to keep loaded, KIND=MODEL: text=FOLDER|ID (embeddings), speech=FOLDER|ID (Whisper); "
                    "repeatable")
        ->type_name("KIND=MODEL");
    cmd->add_option("--api-key-file", flags->apiKeyFile,
                    "File whose first line is the API key clients send as 'Authorization: Bearer KEY'")
        ->check(CLI::ExistingFile);
    cmd->add_option("--device", o.device.device, "auto, cpu, cuda, cuda:N, mps");
    cmd->add_option("--precision", o.device.precision, "auto, fp32, fp16, bf16");
    cmd->add_option("--threads", o.device.threads, "Intra-op threads (0 = physical cores)");
    cmd->add_option("--max-queue", o.maxQueue, "Requests admitted at once; more are answered 429 with Retry-After")
        ->capture_default_str()
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--max-request-mb", flags->maxRequestMb, "Largest request body in MiB (more: 413)")
        ->capture_default_str();
    cmd->add_option("--max-inputs", o.maxInputs, "Texts per embeddings request")->capture_default_str();
    cmd->add_option("--batch-wait-ms", o.batchWaitMs, "How long a request waits for others to share its device batch")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1000.0));
    cmd->add_flag("--no-cross-batching", flags->noCrossBatching,
                  "Batch every request on its own (for comparison; on by default)");
    cmd->add_option("--speech-batch-files", o.speechBatchFiles, "Transcriptions decoded together")
        ->capture_default_str()
        ->check(CLI::Range(1, 64));
    cmd->add_option("--clocks-dir", o.clocksDir, "Clock coefficient tables for /v1/methylation/predict")
        ->check(CLI::ExistingDirectory);
    setCommandAction(*cmd, [flags] { return runServe(*flags); });
}

}  // namespace benchtop::cli
