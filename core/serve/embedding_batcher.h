#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/engine/batcher.h"
#include "core/serve/pending_request.h"
#include "core/text/bge_m3.h"
#include "core/text/tokenizer.h"

namespace benchtop::engine {
class Engine;
}
namespace benchtop::text {
class TextEncoder;
}

namespace benchtop::serve {

class ServeMetrics;

/// One /v1/embeddings request: its texts tokenized, and what the batcher computed for them.
struct EmbeddingRequest : PendingRequest {
    std::vector<text::Encoding> encodings;
    bool wantSparse = false;
    bool wantColbert = false;
    // Results, complete when finished() without error():
    std::vector<float> dense;                  ///< [texts, dimension] row-major
    std::vector<text::LexicalWeights> sparse;  ///< per text (wantSparse)
    std::vector<std::vector<float>> colbert;   ///< per text [tokens - 1, colbert dim] (wantColbert)
    std::size_t remaining = 0;                 ///< rows not computed yet (batcher thread only)
};

struct EmbeddingBatcherOptions {
    engine::BatchLimits limits;  ///< token budget and rows per device batch
    double maxWaitMs = 5.0;      ///< how long the first queued request waits for others to join its batch
    bool crossRequest = true;    ///< false: every request is batched on its own (for comparison)
    int threads = 0;             ///< intra-op threads on the device (0 = physical cores)
    /// The fixed cost of one device batch in tokens, for cutting a round into batches of similar lengths
    /// (engine::planBatchesLeastCost): small on a CPU, large on a GPU.
    std::int64_t batchOverheadTokens = 128;
};

/// Dynamic batching across requests, as text-embeddings-inference does it: requests queue up; the batcher takes
/// what arrived within `maxWaitMs` of the oldest (or as soon as a token budget is full), sorts all their texts by
/// length, cuts token-budget batches, runs them on the model's device through the engine (in turn with jobs
/// there) and hands each request its rows back. The model stays loaded for the batcher's life.
class EmbeddingBatcher {
public:
    EmbeddingBatcher(engine::Engine& engine, std::shared_ptr<text::TextEncoder> encoder, std::string deviceId,
                     EmbeddingBatcherOptions options, ServeMetrics* metrics);
    ~EmbeddingBatcher();  ///< finishes what was queued, then stops
    EmbeddingBatcher(const EmbeddingBatcher&) = delete;
    EmbeddingBatcher& operator=(const EmbeddingBatcher&) = delete;

    /// Queues a request (its encodings set); it is finished by the batcher thread.
    void submit(std::shared_ptr<EmbeddingRequest> request);
    const text::TextEncoder& encoder() const { return *m_encoder; }
    /// Requests queued and not yet taken into a batch round.
    std::size_t queued() const;

private:
    void loop();
    void runRound(std::vector<std::shared_ptr<EmbeddingRequest>> requests);

    engine::Engine& m_engine;
    std::shared_ptr<text::TextEncoder> m_encoder;
    std::string m_deviceId;
    EmbeddingBatcherOptions m_options;
    ServeMetrics* m_metrics;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::shared_ptr<EmbeddingRequest>> m_queue;
    std::int64_t m_queuedTokens = 0;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace benchtop::serve
