#include "core/serve/speech_batcher.h"

#include <chrono>
#include <cmath>
#include <exception>
#include <sstream>

#include "core/audio/whisper_model.h"
#include "core/common/error.h"
#include "core/engine/engine.h"
#include "core/serve/serve_metrics.h"
#include "core/text/tokenizer.h"

namespace benchtop::serve {

std::string batchKey(const audio::TranscribeOptions& o) {
    std::ostringstream key;
    key.precision(17);
    key << o.language << '|' << o.task << '|' << o.beamSize << '|' << o.patience << '|' << o.bestOf << '|' << o.seed
        << '|' << o.compressionRatioThreshold << '|' << o.logprobThreshold << '|' << o.noSpeechThreshold << '|'
        << o.conditionOnPreviousText << '|' << o.wordTimestamps << '|';
    for (double t : o.temperatures) key << t << ',';
    key << '|';
    for (auto id : o.initialPromptTokens) key << id << ',';
    return key.str();
}

SpeechBatcher::SpeechBatcher(engine::Engine& engine, LoadedWhisper whisper, std::string deviceId, int batchFiles,
                             double maxWaitMs, bool crossRequest, int threads, ServeMetrics* metrics)
    : m_engine(engine),
      m_whisper(std::move(whisper)),
      m_deviceId(std::move(deviceId)),
      m_batchFiles(std::max(1, batchFiles)),
      m_maxWaitMs(maxWaitMs),
      m_crossRequest(crossRequest),
      m_threads(threads),
      m_metrics(metrics),
      m_thread([this] { loop(); }) {}

SpeechBatcher::~SpeechBatcher() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

void SpeechBatcher::submit(std::shared_ptr<TranscriptionRequest> request) {
    request->arrived = std::chrono::steady_clock::now();
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_queue.push_back(std::move(request));
    }
    m_cv.notify_all();
}

void SpeechBatcher::loop() {
    for (;;) {
        std::vector<std::shared_ptr<TranscriptionRequest>> batch;
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_cv.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) return;
            if (m_crossRequest) {
                const auto deadline = m_queue.front()->arrived +
                                      std::chrono::microseconds(static_cast<std::int64_t>(m_maxWaitMs * 1000.0));
                while (!m_stopping && m_queue.size() < static_cast<std::size_t>(m_batchFiles) &&
                       std::chrono::steady_clock::now() < deadline)
                    m_cv.wait_until(lock, deadline);
            }
            // The oldest request and the ones that can share its batch (same options), oldest first.
            const std::string key = batchKey(m_queue.front()->options);
            const std::size_t limit = m_crossRequest ? static_cast<std::size_t>(m_batchFiles) : 1;
            for (auto it = m_queue.begin(); it != m_queue.end() && batch.size() < limit;) {
                if (batchKey((*it)->options) == key) {
                    batch.push_back(std::move(*it));
                    it = m_queue.erase(it);
                } else {
                    ++it;
                }
            }
        }
        std::vector<std::shared_ptr<TranscriptionRequest>> live;
        for (auto& request : batch) {
            if (request->cancelled())
                request->finish("cancelled: the client closed the connection");
            else
                live.push_back(std::move(request));
        }
        if (!live.empty()) run(live);
    }
}

void SpeechBatcher::run(const std::vector<std::shared_ptr<TranscriptionRequest>>& batch) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<audio::Transcript> transcripts;
    try {
        m_engine
            .runOnDevice(
                m_deviceId,
                [&] {
                    // A batch whose every client has gone stops at the next window.
                    const auto allGone = [&] {
                        for (const auto& r : batch)
                            if (!r->cancelled()) return false;
                        return true;
                    };
                    const LoadedWhisper& w = m_whisper;
                    if (batch.size() == 1) {
                        transcripts.push_back(audio::transcribe(*w.model, w.tokens, *w.tokenizer, *batch[0]->mel,
                                                                batch[0]->options, [&](std::int64_t, std::int64_t) {
                                                                    if (allGone()) throw CancelledError();
                                                                }));
                    } else {
                        std::vector<audio::LogMelStream*> mels;
                        for (const auto& r : batch) mels.push_back(r->mel.get());
                        transcripts = audio::transcribeMany(
                            *w.model, w.tokens, *w.tokenizer, mels, batch[0]->options,
                            [&](std::size_t, std::int64_t, std::int64_t) {
                                if (allGone()) throw CancelledError();
                            },
                            m_batchFiles);
                    }
                },
                m_threads)
            .get();
    } catch (const CancelledError&) {
        for (const auto& r : batch) r->finish("cancelled: the client closed the connection");
        return;
    } catch (const std::exception& e) {
        for (const auto& r : batch) r->finish(e.what());
        return;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double audioSeconds = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        audioSeconds += batch[i]->audioSeconds;
        batch[i]->transcript = std::move(transcripts[i]);
        batch[i]->mel.reset();
    }
    if (m_metrics) m_metrics->transcriptionBatch(batch.size(), audioSeconds, seconds);
    for (const auto& r : batch) r->finish();
}

}  // namespace benchtop::serve
