#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/audio/log_mel.h"
#include "core/audio/whisper_decoding.h"
#include "core/audio/whisper_transcriber.h"
#include "core/serve/pending_request.h"

namespace benchtop::engine {
class Engine;
}
namespace benchtop::audio {
class WhisperModel;
}
namespace benchtop::text {
class Tokenizer;
}

namespace benchtop::serve {

class ServeMetrics;

/// One /v1/audio/transcriptions request: the decoded audio's log-mel (finished with Whisper's padding), the
/// options, and the transcript when finished.
struct TranscriptionRequest : PendingRequest {
    std::unique_ptr<audio::LogMelStream> mel;
    audio::TranscribeOptions options;
    double audioSeconds = 0;
    audio::Transcript transcript;
};

/// A Whisper model kept loaded with what decoding needs beside the weights.
struct LoadedWhisper {
    std::shared_ptr<audio::WhisperModel> model;
    audio::WhisperTokens tokens;
    std::shared_ptr<text::Tokenizer> tokenizer;
    std::string folder;
};

/// Transcription requests share encoder batches like `--batch-files`: requests with the same decoding options that
/// queue up together (within `maxWaitMs` of the oldest) are transcribed in one transcribeMany() call of up to
/// `batchFiles` files on the model's device, through the engine.
class SpeechBatcher {
public:
    SpeechBatcher(engine::Engine& engine, LoadedWhisper whisper, std::string deviceId, int batchFiles, double maxWaitMs,
                  bool crossRequest, int threads, ServeMetrics* metrics);
    ~SpeechBatcher();  ///< finishes what was queued, then stops
    SpeechBatcher(const SpeechBatcher&) = delete;
    SpeechBatcher& operator=(const SpeechBatcher&) = delete;

    void submit(std::shared_ptr<TranscriptionRequest> request);
    const LoadedWhisper& whisper() const { return m_whisper; }

private:
    void loop();
    void run(const std::vector<std::shared_ptr<TranscriptionRequest>>& batch);

    engine::Engine& m_engine;
    LoadedWhisper m_whisper;
    std::string m_deviceId;
    int m_batchFiles;
    double m_maxWaitMs;
    bool m_crossRequest;
    int m_threads;
    ServeMetrics* m_metrics;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::shared_ptr<TranscriptionRequest>> m_queue;
    bool m_stopping = false;
    std::thread m_thread;
};

/// Requests whose options give the same key can be decoded in one batch.
std::string batchKey(const audio::TranscribeOptions& options);

}  // namespace benchtop::serve
