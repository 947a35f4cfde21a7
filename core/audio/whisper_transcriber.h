#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/audio/log_mel.h"
#include "core/audio/whisper_decoding.h"
#include "core/audio/whisper_model.h"

namespace benchtop::text {
class Tokenizer;
}

namespace benchtop::audio {

/// openai's `transcribe()` options.
struct TranscribeOptions {
    std::string language;  ///< "" = detect from the first window
    std::string task = "transcribe";
    /// Temperatures tried in order for each window (openai's temperature fallback): the next one is used when
    /// the result is too repetitive (compression ratio) or too unlikely (avg logprob), unless the window is
    /// judged silent. openai's default is {0, 0.2, 0.4, 0.6, 0.8, 1.0}; {0} = greedy / beam search only.
    std::vector<double> temperatures{0.0};
    int beamSize = 0;       ///< > 0: beam search at temperature 0 (openai's BeamSearchDecoder)
    double patience = 1.0;  ///< beam search patience
    int bestOf = 0;         ///< > 1: candidates sampled at temperature > 0 (ranked by sum logprob / length)
    /// Seed of the sampling RNG (std::mt19937_64, reseeded per window and temperature): sampled results are
    /// reproducible here but not bit-comparable with openai's torch sampling.
    std::uint64_t seed = 0;
    double compressionRatioThreshold = 2.4;  ///< NaN = off
    double logprobThreshold = -1.0;          ///< NaN = off
    double noSpeechThreshold = 0.6;          ///< NaN = off
    bool conditionOnPreviousText = true;
    std::vector<std::int64_t> initialPromptTokens;  ///< tokenizer.encode(" " + prompt.strip())
    /// Word timings from cross-attention + DTW (openai's word_timestamps=True); also moves the next
    /// window's start to the last word's end, as openai does.
    bool wordTimestamps = false;
    std::string prependPunctuations = "\"'\u201c\u00bf([{-";
    std::string appendPunctuations = "\"'.\u3002,\uff0c!\uff01?\uff1f:\uff1a\u201d)]}\u3001";
};

/// One word of a segment (word_timestamps).
struct TranscriptWord {
    std::string word;
    double start = 0;  ///< seconds, rounded to 0.01 as openai does
    double end = 0;
    double probability = 0;
};

/// One segment, as in openai's result["segments"].
struct TranscriptSegment {
    int id = 0;
    std::int64_t seek = 0;  ///< mel frame of the window it came from
    double start = 0;       ///< seconds (time_offset + position * 0.02, computed as openai does)
    double end = 0;
    std::string text;
    std::vector<std::int64_t> tokens;  ///< including timestamp tokens
    double temperature = 0;
    double avgLogprob = 0;
    double compressionRatio = 0;
    double noSpeechProb = 0;
    std::vector<TranscriptWord> words;  ///< only with TranscribeOptions::wordTimestamps
};

struct Transcript {
    std::string text;
    std::string language;
    std::vector<TranscriptSegment> segments;
    int decoderSteps = 0;             ///< decoder calls over all windows
    bool wordTimestamps = false;      ///< segments carry `words` (possibly empty, as openai writes them)
    double duration = 0;              ///< seconds of audio transcribed
    double languageProbability = -1;  ///< of the detected language; < 0 when the language was given
};

/// Progress: frames done of the total content frames.
using TranscribeProgress = std::function<void(std::int64_t framesDone, std::int64_t framesTotal)>;

/// openai's `transcribe()` over a finished LogMelStream that was fed the whole audio and finished with
/// kChunkSamples of padding (exactly as openai pads). Seeks window by window, splits segments at
/// consecutive timestamps, skips windows judged silent (no_speech_prob and avg_logprob thresholds).
/// Frames before the current window are discarded from `mel` as it goes.
Transcript transcribe(const WhisperModel& model, const WhisperTokens& tokens, const text::Tokenizer& tokenizer,
                      LogMelStream& mel, const TranscribeOptions& options, const TranscribeProgress& progress = {});

/// Progress of transcribeMany(): frames done of the total content frames of file `file`.
using TranscribeManyProgress = std::function<void(std::size_t file, std::int64_t framesDone, std::int64_t framesTotal)>;

/// transcribe() for several files at once, batching across files: each round takes the current 30 s window of
/// up to `batchSize` unfinished files, encodes them in one forward and decodes them together (decodeWindows():
/// one ragged batched decoder call per token step, per-file prompts, timestamp rules and no-speech checks).
/// Windows that need temperature fallback are decoded again at the next temperature, batched among themselves;
/// beam search and best_of windows are decoded one by one. Each file keeps its own seek, so files of different
/// lengths simply leave the batch when done. Results equal transcribe() file by file (the same tokens; log
/// probabilities within float rounding). `mels` as for transcribe(); results are in the order of `mels`.
std::vector<Transcript> transcribeMany(const WhisperModel& model, const WhisperTokens& tokens,
                                       const text::Tokenizer& tokenizer, const std::vector<LogMelStream*>& mels,
                                       const TranscribeOptions& options, const TranscribeManyProgress& progress = {},
                                       int batchSize = 8);

/// Decodes `audioPath` (streaming), computes the padded log-mel and transcribes it.
Transcript transcribeFile(const WhisperModel& model, const WhisperTokens& tokens, const text::Tokenizer& tokenizer,
                          const std::string& audioPath, const TranscribeOptions& options,
                          const TranscribeProgress& progress = {});

}  // namespace benchtop::audio
