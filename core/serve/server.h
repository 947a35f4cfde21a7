#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/device/device.h"
#include "core/serve/serve_metrics.h"

namespace benchtop::engine {
class Engine;
}

namespace benchtop::serve {

/// A model the server keeps loaded: `kind` "text" (embeddings) or "speech" (Whisper); `ref` a folder or a
/// catalog/repo id the model store resolves.
struct ModelSpec {
    std::string kind;
    std::string ref;
};
/// Parses "--model text=DIR" / "speech=openai/whisper-small"; throws benchtop::Error naming the value otherwise.
ModelSpec parseModelSpec(const std::string& value);

struct ServeOptions {
    std::string host = "127.0.0.1";  ///< loopback by default; any other address needs an API key
    int port = 8080;                 ///< 0 = any free port (port() says which)
    std::vector<ModelSpec> models;
    std::string apiKey;                                ///< empty = no authentication (loopback only)
    device::DeviceRequest device;                      ///< where the models run and in which precision
    std::size_t maxQueue = 64;                         ///< requests admitted at once (queued or running); more get 429
    std::size_t maxBodyBytes = std::size_t(64) << 20;  ///< larger request bodies get 413
    std::size_t maxInputs = 2048;                      ///< texts per embeddings request (OpenAI's limit)
    double batchWaitMs = 5.0;                          ///< how long a request waits for others to share its batch
    bool crossRequestBatching = true;
    /// Embedding and transcription requests still running after this long are answered as a stream that starts
    /// when they are done, so that a client that hangs up is noticed (every 25 ms) and its work cancelled.
    double streamAfterMs = 1000.0;
    int speechBatchFiles = 8;  ///< transcriptions decoded together (like --batch-files)
    std::string clocksDir;     ///< methylation: clock tables folder (empty = catalog / bundled tables)
    std::string uploadDir;     ///< where uploads are kept while a request runs (empty = the temp folder)
};

/// The name a served model answers to: a folder's name for a folder, else the reference itself (a catalog or repo id).
std::string modelIdOf(const std::string& ref);

/// Whether `host` is a loopback address ("127.0.0.1", "::1", "localhost", any 127.x.y.z).
bool isLoopbackHost(const std::string& host);

/// Reads an API key file: its first line without surrounding white space. Throws benchtop::Error naming the file
/// when it cannot be read or holds no key.
std::string readApiKeyFile(const std::string& path);

/// The local inference server: OpenAI-compatible /v1/embeddings and /v1/audio/transcriptions, /v1/methylation/predict,
/// /health, /v1/models and /metrics over HTTP (cpp-httplib), on the engine's devices and model cache. Requests
/// for one model are batched together (EmbeddingBatcher, SpeechBatcher); models stay loaded while it runs.
class Server {
public:
    /// `engine` runs the models (its device threads and model cache; methylation requests become its jobs) and
    /// must outlive the server.
    Server(engine::Engine& engine, ServeOptions options);
    ~Server();  ///< stop(), if still running
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Checks the options, resolves the device, loads every model and starts listening on a thread. Throws
    /// benchtop::Error with the reason (a non-loopback address without a key, a port in use, a bad model).
    void start();
    /// Graceful shutdown: refuses new requests (503 on open connections, new connections refused), waits for the
    /// requests in flight to be answered, then stops the batchers. Safe to call twice, from any thread but a
    /// request handler.
    void stop();
    bool running() const;

    int port() const;
    /// "http://127.0.0.1:8080"
    std::string url() const;
    const ServeOptions& options() const;
    /// The device and precision the models run in, with the reasons.
    const device::DeviceChoice& deviceChoice() const;
    /// Served model ids with their kinds ("bge-small" -> "text").
    std::vector<std::pair<std::string, std::string>> modelIds() const;

    /// Requests admitted and not yet answered.
    std::size_t queueDepth() const;
    ServeCounters counters() const;
    /// The /metrics text.
    std::string metricsText() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace benchtop::serve
