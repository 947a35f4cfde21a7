#include "core/serve/embedding_batcher.h"

#include <algorithm>
#include <chrono>
#include <exception>

#include "core/engine/engine.h"
#include "core/serve/serve_metrics.h"
#include "core/text/text_encoder.h"

namespace benchtop::serve {
namespace {

std::int64_t tokensOf(const EmbeddingRequest& request) {
    std::int64_t n = 0;
    for (const auto& e : request.encodings) n += static_cast<std::int64_t>(e.ids.size());
    return n;
}

}  // namespace

EmbeddingBatcher::EmbeddingBatcher(engine::Engine& engine, std::shared_ptr<text::TextEncoder> encoder,
                                   std::string deviceId, EmbeddingBatcherOptions options, ServeMetrics* metrics)
    : m_engine(engine),
      m_encoder(std::move(encoder)),
      m_deviceId(std::move(deviceId)),
      m_options(options),
      m_metrics(metrics),
      m_thread([this] { loop(); }) {}

EmbeddingBatcher::~EmbeddingBatcher() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

void EmbeddingBatcher::submit(std::shared_ptr<EmbeddingRequest> request) {
    request->remaining = request->encodings.size();
    request->arrived = std::chrono::steady_clock::now();
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_queuedTokens += tokensOf(*request);
        m_queue.push_back(std::move(request));
    }
    m_cv.notify_all();
}

std::size_t EmbeddingBatcher::queued() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_queue.size();
}

void EmbeddingBatcher::loop() {
    using Clock = std::chrono::steady_clock;
    // One round takes at most a few batches' worth of tokens, so a burst does not hold later requests back
    // behind one huge sort.
    const std::int64_t roundTokens = std::max<std::int64_t>(1, m_options.limits.unitBudget) * 4;
    for (;;) {
        std::vector<std::shared_ptr<EmbeddingRequest>> taken;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_cv.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) return;  // stopping with nothing left
            if (m_options.crossRequest) {
                // Wait for company: until the oldest request has waited maxWait, or a batch's worth is queued.
                const auto deadline =
                    m_queue.front()->arrived +
                    std::chrono::microseconds(static_cast<std::int64_t>(m_options.maxWaitMs * 1000.0));
                while (!m_stopping && m_queuedTokens < m_options.limits.unitBudget && Clock::now() < deadline)
                    m_cv.wait_until(lock, deadline);
                std::int64_t tokens = 0;
                while (!m_queue.empty() && (taken.empty() || tokens < roundTokens)) {
                    tokens += tokensOf(*m_queue.front());
                    taken.push_back(std::move(m_queue.front()));
                    m_queue.pop_front();
                }
                m_queuedTokens -= tokens;
            } else {
                m_queuedTokens -= tokensOf(*m_queue.front());
                taken.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        runRound(std::move(taken));
    }
}

void EmbeddingBatcher::runRound(std::vector<std::shared_ptr<EmbeddingRequest>> requests) {
    struct Row {
        EmbeddingRequest* request;
        std::size_t index;
    };
    std::vector<Row> rows;
    std::vector<std::int64_t> lengths;
    const std::size_t dim = m_encoder->dimension();
    for (auto& request : requests) {
        if (request->cancelled()) {
            request->finish("cancelled: the client closed the connection");
            continue;
        }
        request->dense.assign(request->encodings.size() * dim, 0.0f);
        if (request->wantSparse) request->sparse.assign(request->encodings.size(), {});
        if (request->wantColbert) request->colbert.assign(request->encodings.size(), {});
        for (std::size_t i = 0; i < request->encodings.size(); ++i) {
            rows.push_back({request.get(), i});
            lengths.push_back(static_cast<std::int64_t>(request->encodings[i].ids.size()));
        }
    }
    if (rows.empty()) return;
    // Every text of the round sorted by length and cut into the batches that cost least: padding against the
    // fixed cost of a device call.
    const std::vector<engine::PlannedBatch> batches =
        engine::planBatchesLeastCost(lengths, m_options.limits, m_options.batchOverheadTokens);
    for (const engine::PlannedBatch& batch : batches) {
        bool anyLive = false;
        for (std::size_t i : batch.indices) anyLive = anyLive || !rows[i].request->cancelled();
        if (!anyLive) continue;
        std::vector<text::Encoding> encodings;
        encodings.reserve(batch.indices.size());
        for (std::size_t i : batch.indices) encodings.push_back(rows[i].request->encodings[rows[i].index]);
        text::EncoderOutputs out;
        std::int64_t padded = 0;
        const auto start = std::chrono::steady_clock::now();
        try {
            m_engine
                .runOnDevice(
                    m_deviceId,
                    [&] {
                        const text::EncodedBatch input = m_encoder->tokenizer().pad(encodings);
                        padded = static_cast<std::int64_t>(input.rows * input.columns);
                        out = m_encoder->encode(input);
                    },
                    m_options.threads)
                .get();
        } catch (const std::exception& e) {
            for (std::size_t i : batch.indices) rows[i].request->finish(e.what());
            continue;
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (m_metrics) m_metrics->embeddingBatch(batch.indices.size(), batch.realUnits, padded, seconds);
        for (std::size_t r = 0; r < batch.indices.size(); ++r) {
            const Row& row = rows[batch.indices[r]];
            EmbeddingRequest& request = *row.request;
            if (!out.dense.empty())
                std::copy(out.dense.begin() + static_cast<std::ptrdiff_t>(r * dim),
                          out.dense.begin() + static_cast<std::ptrdiff_t>((r + 1) * dim),
                          request.dense.begin() + static_cast<std::ptrdiff_t>(row.index * dim));
            if (request.wantSparse && r < out.sparse.size()) request.sparse[row.index] = std::move(out.sparse[r]);
            if (request.wantColbert && r < out.colbert.size()) request.colbert[row.index] = std::move(out.colbert[r]);
            if (--request.remaining == 0) request.finish();
        }
    }
    // Requests cancelled part-way through (their other rows skipped) still need an answer.
    for (auto& request : requests)
        if (!request->finished() && request->cancelled())
            request->finish("cancelled: the client closed the connection");
}

}  // namespace benchtop::serve
