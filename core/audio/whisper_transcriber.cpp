#include "core/audio/whisper_transcriber.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "core/audio/audio_reader.h"
#include "core/audio/whisper_alignment.h"
#include "core/common/error.h"
#include "core/text/tokenizer.h"

namespace benchtop::audio {
namespace {

constexpr int kInputStride = 2;  // mel frames per encoder position
// openai: input_stride * HOP_LENGTH / SAMPLE_RATE, a Python float.
constexpr double kTimePrecision = static_cast<double>(kInputStride * kHopLength) / kSampleRate;

std::string decodeText(const text::Tokenizer& tokenizer, const std::vector<std::int64_t>& ids, std::int64_t below) {
    std::vector<text::TokenId> kept;
    for (const std::int64_t id : ids)
        if (id < below) kept.push_back(static_cast<text::TokenId>(id));
    return tokenizer.decode(kept, false);
}

bool enabled(double threshold) {
    return !std::isnan(threshold);
}

// Python's round(x, 2) (correctly rounded through the decimal representation).
double round2(double x) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.2f", x);
    return std::strtod(buffer, nullptr);
}

bool pythonContains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// utils.get_end: the end of the last word, else of the last segment.
std::optional<double> getEnd(const std::vector<TranscriptSegment>& segments) {
    for (auto s = segments.rbegin(); s != segments.rend(); ++s)
        if (!s->words.empty()) return s->words.back().end;
    if (segments.empty()) return std::nullopt;
    return segments.back().end;
}

// timing.add_word_timestamps for the segments of one window.
void addWordTimestamps(std::vector<TranscriptSegment>& segments, const WhisperModel& model, const WhisperTokens& t,
                       const text::Tokenizer& tokenizer, const std::string& language,
                       const std::vector<std::int64_t>& sotSequence, const MelSpectrogram& window,
                       std::int64_t numFrames, const TranscribeOptions& options, double lastSpeechTimestamp) {
    if (segments.empty()) return;
    std::vector<std::vector<std::int64_t>> textTokensPerSegment;
    std::vector<std::int64_t> textTokens;
    for (const TranscriptSegment& s : segments) {
        std::vector<std::int64_t> kept;
        for (const std::int64_t id : s.tokens)
            if (id < t.eot) kept.push_back(id);
        textTokens.insert(textTokens.end(), kept.begin(), kept.end());
        textTokensPerSegment.push_back(std::move(kept));
    }
    std::vector<WordTiming> alignment =
        findAlignment(model, t, tokenizer, language, sotSequence, textTokens, window, numFrames);

    std::vector<double> durations;
    for (const WordTiming& w : alignment)
        if (w.end - w.start != 0) durations.push_back(w.end - w.start);
    double medianDuration = 0;
    if (!durations.empty()) {
        std::sort(durations.begin(), durations.end());
        const std::size_t n = durations.size();
        medianDuration = n % 2 ? durations[n / 2] : (durations[n / 2 - 1] + durations[n / 2]) / 2;
    }
    medianDuration = std::min(0.7, medianDuration);
    const double maxDuration = medianDuration * 2;

    // Words at sentence boundaries are at most twice the median word duration.
    if (!durations.empty()) {
        static const std::string kSentenceEnd =
            "."
            "\u3002"
            "!"
            "\uff01"
            "?"
            "\uff1f";
        for (std::size_t i = 1; i < alignment.size(); ++i) {
            if (alignment[i].end - alignment[i].start > maxDuration) {
                if (pythonContains(kSentenceEnd, alignment[i].word))
                    alignment[i].end = alignment[i].start + maxDuration;
                else if (pythonContains(kSentenceEnd, alignment[i - 1].word))
                    alignment[i].start = alignment[i].end - maxDuration;
            }
        }
    }
    mergePunctuations(alignment, options.prependPunctuations, options.appendPunctuations);

    const double timeOffset = static_cast<double>(segments.front().seek * kHopLength) / kSampleRate;
    std::size_t wordIndex = 0;
    for (std::size_t k = 0; k < segments.size(); ++k) {
        TranscriptSegment& segment = segments[k];
        const std::vector<std::int64_t>& segmentText = textTokensPerSegment[k];
        std::size_t savedTokens = 0;
        std::vector<TranscriptWord> words;
        while (wordIndex < alignment.size() && savedTokens < segmentText.size()) {
            const WordTiming& timing = alignment[wordIndex];
            if (!timing.word.empty())
                words.push_back({timing.word, round2(timeOffset + timing.start), round2(timeOffset + timing.end),
                                 timing.probability});
            savedTokens += timing.tokens.size();
            ++wordIndex;
        }
        if (!words.empty()) {
            // The first and second word after a pause are at most twice the median word duration.
            if (words[0].end - lastSpeechTimestamp > medianDuration * 4 &&
                (words[0].end - words[0].start > maxDuration ||
                 (words.size() > 1 && words[1].end - words[0].start > maxDuration * 2))) {
                if (words.size() > 1 && words[1].end - words[1].start > maxDuration) {
                    const double boundary = std::max(words[1].end / 2, words[1].end - maxDuration);
                    words[0].end = words[1].start = boundary;
                }
                words[0].start = std::max(0.0, words[0].end - maxDuration);
            }
            // Prefer the segment's own start/end when the first/last word is too long.
            if (segment.start < words[0].end && segment.start - 0.5 > words[0].start)
                words[0].start = std::max(0.0, std::min(words[0].end - medianDuration, segment.start));
            else
                segment.start = words[0].start;
            if (segment.end > words.back().start && segment.end + 0.5 < words.back().end)
                words.back().end = std::max(words.back().start + medianDuration, segment.end);
            else
                segment.end = words.back().end;
            lastSpeechTimestamp = segment.end;
        }
        segment.words = std::move(words);
    }
}

// The decoding options of temperature number `k` of the fallback list for the window at `seek`.
WhisperDecodingOptions decodingFor(WhisperDecodingOptions decoding, const TranscribeOptions& options, std::size_t k,
                                   std::int64_t seek) {
    const double temperature = options.temperatures[k];
    decoding.temperature = temperature;
    // Beam search at temperature 0 only; best_of at temperatures above 0 only (as openai pops them).
    decoding.beamSize = temperature > 0 ? 0 : options.beamSize;
    decoding.patience = options.patience;
    decoding.bestOf = temperature > 0 ? options.bestOf : 0;
    // Reproducible sampling per window and temperature.
    decoding.seed = options.seed ^ (static_cast<std::uint64_t>(seek) * 0x9e3779b97f4a7c15ULL + k);
    return decoding;
}

// decode_with_fallback's test: too repetitive (compression ratio) or too unlikely (avg logprob), unless silent.
bool needsFallback(const WhisperDecodingResult& result, const TranscribeOptions& options) {
    bool fallback = false;
    if (enabled(options.compressionRatioThreshold) && result.compressionRatio > options.compressionRatioThreshold)
        fallback = true;  // too repetitive
    if (enabled(options.logprobThreshold) && result.avgLogprob < options.logprobThreshold)
        fallback = true;  // average log probability too low
    if (enabled(options.noSpeechThreshold) && result.noSpeechProb > options.noSpeechThreshold &&
        enabled(options.logprobThreshold) && result.avgLogprob < options.logprobThreshold)
        fallback = false;  // silence
    return fallback;
}

// transcribe()'s decode_with_fallback: the next temperature when the text is too repetitive or too unlikely,
// unless the window looks silent. Like openai, the last result is returned when every temperature fails.
WhisperDecodingResult decodeWithFallback(const WhisperModel& model, const WhisperTokens& tokens,
                                         const text::Tokenizer& tokenizer, const std::vector<float>& features,
                                         const WhisperDecodingOptions& decoding, const TranscribeOptions& options,
                                         std::int64_t seek) {
    WhisperDecodingResult result;
    int steps = 0;
    for (std::size_t k = 0; k < options.temperatures.size(); ++k) {
        result = decodeWindow(model, tokens, &tokenizer, features, decodingFor(decoding, options, k, seek));
        steps += result.steps;
        if (!needsFallback(result, options)) break;
    }
    result.steps = steps;
    return result;
}

// decodeWithFallback() for the current windows of several files: each temperature decodes the windows that
// still need it together (decodeWindows()), so most windows finish in the first batched greedy pass and only
// the few that fall back are decoded again.
std::vector<WhisperDecodingResult> decodeWithFallbackMany(const WhisperModel& model, const WhisperTokens& tokens,
                                                          const text::Tokenizer& tokenizer,
                                                          const std::vector<const std::vector<float>*>& features,
                                                          const std::vector<WhisperDecodingOptions>& decoding,
                                                          const TranscribeOptions& options,
                                                          const std::vector<std::int64_t>& seeks) {
    std::vector<WhisperDecodingResult> results(features.size());
    std::vector<int> steps(features.size(), 0);
    std::vector<std::size_t> pending(features.size());
    for (std::size_t i = 0; i < pending.size(); ++i) pending[i] = i;
    for (std::size_t k = 0; k < options.temperatures.size() && !pending.empty(); ++k) {
        std::vector<const std::vector<float>*> windows;
        std::vector<WhisperDecodingOptions> perWindow;
        for (const std::size_t i : pending) {
            windows.push_back(features[i]);
            perWindow.push_back(decodingFor(decoding[i], options, k, seeks[i]));
        }
        std::vector<WhisperDecodingResult> decoded = decodeWindows(model, tokens, &tokenizer, windows, perWindow);
        std::vector<std::size_t> again;
        for (std::size_t j = 0; j < pending.size(); ++j) {
            const std::size_t i = pending[j];
            results[i] = std::move(decoded[j]);
            steps[i] += results[i].steps;
            if (needsFallback(results[i], options)) again.push_back(i);
        }
        pending = std::move(again);
    }
    for (std::size_t i = 0; i < results.size(); ++i) results[i].steps = steps[i];
    return results;
}

// transcribe()'s loop over one file as a sequence of windows: window() gives the mel the encoder needs,
// decoding() the options for it, accept() the decoded result (segments, word timings, the next seek).
// transcribe() runs one of these; transcribeMany() runs several side by side and batches their windows.
class FileTranscriber {
public:
    FileTranscriber(const WhisperModel& model, const WhisperTokens& tokens, const text::Tokenizer& tokenizer,
                    LogMelStream& mel, const TranscribeOptions& options, TranscribeProgress progress)
        : m_model(model),
          m_tokens(tokens),
          m_tokenizer(tokenizer),
          m_mel(mel),
          m_options(options),
          m_progress(std::move(progress)) {
        if (!mel.finished())
            throw Error("whisper",
                        "The log-mel spectrogram must be finished (with 30 s of padding) before transcribing.");
        if (mel.nMels() != model.config().nMels)
            throw Error(model.folder(), "The model expects " + std::to_string(model.config().nMels) +
                                            " mel bins but the spectrogram has " + std::to_string(mel.nMels()) + ".");
        if (options.temperatures.empty()) throw Error("whisper", "No decoding temperature was given.");
        m_contentFrames = mel.contentFrames();
        m_transcript.language = options.language;
        m_transcript.wordTimestamps = options.wordTimestamps;
        m_transcript.duration = static_cast<double>(mel.samplesPushed()) / kSampleRate;
        if (m_transcript.language.empty() && !tokens.multilingual) m_transcript.language = "en";
        m_allTokens = options.initialPromptTokens;
    }

    /// The language must be detected first (on languageWindow()) when none was given.
    bool needsLanguage() const { return m_transcript.language.empty(); }
    /// openai detects on pad_or_trim(mel, N_FRAMES): the first 3000 frames, padding included.
    MelSpectrogram languageWindow() const { return m_mel.window(0, kChunkFrames, false); }
    void setLanguage(const LanguageDetection& detection) {
        m_transcript.language = detection.code;
        if (!detection.probabilities.empty())
            m_transcript.languageProbability = detection.probabilities.front().probability;
    }

    bool done() const { return m_seek >= m_contentFrames; }
    std::int64_t seek() const { return m_seek; }

    /// The mel window at the current seek (kept for word timings).
    const MelSpectrogram& window() {
        m_window = m_mel.window(m_seek);
        return m_window;
    }

    /// Options for decoding the current window: language, task and the previous text as prompt.
    WhisperDecodingOptions decoding() {
        if (m_sotSequence.empty()) {
            m_sotSequence.push_back(m_tokens.sot);
            if (m_tokens.multilingual) {
                m_sotSequence.push_back(m_tokens.languageToken(m_transcript.language));
                m_sotSequence.push_back(m_options.task == "translate" ? m_tokens.translate : m_tokens.transcribe);
            }
        }
        WhisperDecodingOptions decoding;
        decoding.task = m_options.task;
        decoding.language = m_transcript.language;
        decoding.prompt.assign(m_allTokens.begin() + static_cast<std::ptrdiff_t>(m_promptResetSince),
                               m_allTokens.end());
        return decoding;
    }

    /// Takes the decoded current window: skips silence, splits segments at timestamp pairs, adds word timings
    /// and moves the seek on.
    void accept(const WhisperDecodingResult& result) {
        const TranscribeOptions& options = m_options;
        const WhisperTokens& tokens = m_tokens;
        std::int64_t& seek = m_seek;
        const double timeOffset = static_cast<double>(seek * kHopLength) / kSampleRate;
        const std::int64_t segmentSize = std::min<std::int64_t>(kChunkFrames, m_contentFrames - seek);
        const double segmentDuration = static_cast<double>(segmentSize * kHopLength) / kSampleRate;
        m_transcript.decoderSteps += result.steps;
        const std::vector<std::int64_t>& out = result.tokens;

        if (enabled(options.noSpeechThreshold)) {
            bool skip = result.noSpeechProb > options.noSpeechThreshold;
            if (enabled(options.logprobThreshold) && result.avgLogprob > options.logprobThreshold)
                skip = false;  // confident text despite the no-speech probability
            if (skip) {
                seek += segmentSize;
                m_mel.discardBefore(seek);
                reportProgress();
                return;
            }
        }

        const std::int64_t previousSeek = seek;
        std::vector<TranscriptSegment> current;
        auto newSegment = [&](double start, double end, std::vector<std::int64_t> segmentTokens) {
            TranscriptSegment s;
            s.seek = previousSeek;
            s.start = start;
            s.end = end;
            s.text = decodeText(m_tokenizer, segmentTokens, tokens.eot);
            s.tokens = std::move(segmentTokens);
            s.temperature = result.temperature;
            s.avgLogprob = result.avgLogprob;
            s.compressionRatio = result.compressionRatio;
            s.noSpeechProb = result.noSpeechProb;
            current.push_back(std::move(s));
        };

        const std::size_t n = out.size();
        auto isTimestamp = [&](std::size_t i) { return out[i] >= tokens.timestampBegin; };
        const bool singleTimestampEnding = n >= 2 && !isTimestamp(n - 2) && isTimestamp(n - 1);
        std::vector<std::size_t> slices;  // positions after each pair of consecutive timestamps
        for (std::size_t i = 0; i + 1 < n; ++i)
            if (isTimestamp(i) && isTimestamp(i + 1)) slices.push_back(i + 1);

        if (!slices.empty()) {
            if (singleTimestampEnding) slices.push_back(n);
            std::size_t lastSlice = 0;
            for (const std::size_t currentSlice : slices) {
                std::vector<std::int64_t> sliced(out.begin() + static_cast<std::ptrdiff_t>(lastSlice),
                                                 out.begin() + static_cast<std::ptrdiff_t>(currentSlice));
                const std::int64_t startPos = sliced.front() - tokens.timestampBegin;
                const std::int64_t endPos = sliced.back() - tokens.timestampBegin;
                newSegment(timeOffset + static_cast<double>(startPos) * kTimePrecision,
                           timeOffset + static_cast<double>(endPos) * kTimePrecision, std::move(sliced));
                lastSlice = currentSlice;
            }
            if (singleTimestampEnding) {
                // A single timestamp at the end: no speech after it.
                seek += segmentSize;
            } else {
                // Ignore the unfinished segment and continue from the last timestamp.
                seek += (out[lastSlice - 1] - tokens.timestampBegin) * kInputStride;
            }
        } else {
            double duration = segmentDuration;
            std::int64_t lastTimestamp = -1;
            for (std::size_t i = 0; i < n; ++i)
                if (isTimestamp(i)) lastTimestamp = out[i];
            if (lastTimestamp >= 0 && lastTimestamp != tokens.timestampBegin)
                duration = static_cast<double>(lastTimestamp - tokens.timestampBegin) * kTimePrecision;
            newSegment(timeOffset, timeOffset + duration, out);
            seek += segmentSize;
        }

        if (options.wordTimestamps) {
            addWordTimestamps(current, m_model, tokens, m_tokenizer, m_transcript.language, m_sotSequence, m_window,
                              segmentSize, options, m_lastSpeechTimestamp);
            if (!singleTimestampEnding) {
                const std::optional<double> lastWordEnd = getEnd(current);
                if (lastWordEnd && *lastWordEnd > timeOffset)
                    seek = static_cast<std::int64_t>(std::nearbyint(*lastWordEnd * 100.0));  // Python round()
            }
            if (const std::optional<double> end = getEnd(current)) m_lastSpeechTimestamp = *end;
        }

        for (TranscriptSegment& s : current) {
            // Instantaneous or empty segments are kept, blanked (as openai does).
            if (s.start == s.end || stripPythonWhitespace(s.text).empty()) {
                s.text.clear();
                s.tokens.clear();
                s.words.clear();
            }
            s.id = static_cast<int>(m_transcript.segments.size());
            m_allTokens.insert(m_allTokens.end(), s.tokens.begin(), s.tokens.end());
            m_transcript.segments.push_back(std::move(s));
        }
        if (!options.conditionOnPreviousText || result.temperature > 0.5) m_promptResetSince = m_allTokens.size();

        // openai would loop forever on a window whose only pair of timestamps is <|0.00|><|0.00|>.
        if (seek <= previousSeek) seek = previousSeek + segmentSize;
        m_mel.discardBefore(seek);
        reportProgress();
    }

    Transcript finish() {
        const std::vector<std::int64_t> spoken(
            m_allTokens.begin() + static_cast<std::ptrdiff_t>(m_options.initialPromptTokens.size()), m_allTokens.end());
        m_transcript.text = decodeText(m_tokenizer, spoken, m_tokens.timestampBegin);
        return std::move(m_transcript);
    }

private:
    void reportProgress() {
        if (m_progress) m_progress(std::min(m_contentFrames, m_seek), m_contentFrames);
    }

    const WhisperModel& m_model;
    const WhisperTokens& m_tokens;
    const text::Tokenizer& m_tokenizer;
    LogMelStream& m_mel;
    const TranscribeOptions& m_options;
    TranscribeProgress m_progress;
    Transcript m_transcript;
    std::int64_t m_contentFrames = 0;
    std::int64_t m_seek = 0;
    MelSpectrogram m_window;
    std::vector<std::int64_t> m_sotSequence;
    std::vector<std::int64_t> m_allTokens;
    std::size_t m_promptResetSince = 0;
    double m_lastSpeechTimestamp = 0.0;
};

}  // namespace

Transcript transcribe(const WhisperModel& model, const WhisperTokens& tokens, const text::Tokenizer& tokenizer,
                      LogMelStream& mel, const TranscribeOptions& options, const TranscribeProgress& progress) {
    FileTranscriber file(model, tokens, tokenizer, mel, options, progress);
    if (file.needsLanguage()) file.setLanguage(detectLanguage(model, tokens, model.encode(file.languageWindow())));
    while (!file.done()) {
        const std::vector<float> features = model.encode(file.window());
        file.accept(decodeWithFallback(model, tokens, tokenizer, features, file.decoding(), options, file.seek()));
    }
    return file.finish();
}

std::vector<Transcript> transcribeMany(const WhisperModel& model, const WhisperTokens& tokens,
                                       const text::Tokenizer& tokenizer, const std::vector<LogMelStream*>& mels,
                                       const TranscribeOptions& options, const TranscribeManyProgress& progress,
                                       int batchSize) {
    if (batchSize < 1) throw Error("whisper", "The batch size must be at least 1.");
    std::vector<FileTranscriber> files;
    files.reserve(mels.size());
    for (std::size_t i = 0; i < mels.size(); ++i) {
        TranscribeProgress perFile;
        if (progress) perFile = [&progress, i](std::int64_t done, std::int64_t total) { progress(i, done, total); };
        files.emplace_back(model, tokens, tokenizer, *mels[i], options, std::move(perFile));
    }

    // Language detection: the first windows of every file that needs it in one encoder forward.
    std::vector<std::size_t> detect;
    for (std::size_t i = 0; i < files.size(); ++i)
        if (files[i].needsLanguage()) detect.push_back(i);
    for (std::size_t begin = 0; begin < detect.size(); begin += static_cast<std::size_t>(batchSize)) {
        const std::size_t end = std::min(detect.size(), begin + static_cast<std::size_t>(batchSize));
        std::vector<MelSpectrogram> windows;
        for (std::size_t k = begin; k < end; ++k) windows.push_back(files[detect[k]].languageWindow());
        const std::vector<std::vector<float>> features = model.encode(windows);
        for (std::size_t k = begin; k < end; ++k)
            files[detect[k]].setLanguage(detectLanguage(model, tokens, features[k - begin]));
    }

    // Every round takes the current window of up to batchSize unfinished files: one encoder forward, one
    // batched decode (with per-window fallback), then each file moves on by its own seek.
    for (;;) {
        std::vector<std::size_t> round;
        for (std::size_t i = 0; i < files.size() && round.size() < static_cast<std::size_t>(batchSize); ++i)
            if (!files[i].done()) round.push_back(i);
        if (round.empty()) break;
        std::vector<MelSpectrogram> windows;
        std::vector<WhisperDecodingOptions> decoding;
        std::vector<std::int64_t> seeks;
        for (const std::size_t i : round) {
            windows.push_back(files[i].window());
            decoding.push_back(files[i].decoding());
            seeks.push_back(files[i].seek());
        }
        const std::vector<std::vector<float>> features = model.encode(windows);
        std::vector<const std::vector<float>*> featurePointers;
        for (const auto& f : features) featurePointers.push_back(&f);
        const std::vector<WhisperDecodingResult> results =
            decodeWithFallbackMany(model, tokens, tokenizer, featurePointers, decoding, options, seeks);
        for (std::size_t k = 0; k < round.size(); ++k) files[round[k]].accept(results[k]);
    }

    std::vector<Transcript> transcripts;
    transcripts.reserve(files.size());
    for (FileTranscriber& file : files) transcripts.push_back(file.finish());
    return transcripts;
}

Transcript transcribeFile(const WhisperModel& model, const WhisperTokens& tokens, const text::Tokenizer& tokenizer,
                          const std::string& audioPath, const TranscribeOptions& options,
                          const TranscribeProgress& progress) {
    AudioReader reader(audioPath);
    LogMelStream mel(model.config().nMels);
    std::vector<float> chunk;
    constexpr std::size_t kChunk = 10 * kSampleRate;
    for (;;) {
        chunk.clear();
        if (reader.read(chunk, kChunk) == 0) break;
        mel.push(chunk);
    }
    mel.finish(kChunkSamples);
    return transcribe(model, tokens, tokenizer, mel, options, progress);
}

}  // namespace benchtop::audio
