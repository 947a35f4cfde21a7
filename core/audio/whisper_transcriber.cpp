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

// transcribe()'s decode_with_fallback: the next temperature when the text is too repetitive or too unlikely,
// unless the window looks silent. Like openai, the last result is returned when every temperature fails.
WhisperDecodingResult decodeWithFallback(const WhisperModel& model, const WhisperTokens& tokens,
                                         const text::Tokenizer& tokenizer, const std::vector<float>& features,
                                         WhisperDecodingOptions decoding, const TranscribeOptions& options,
                                         std::int64_t seek) {
    WhisperDecodingResult result;
    int steps = 0;
    for (std::size_t k = 0; k < options.temperatures.size(); ++k) {
        const double temperature = options.temperatures[k];
        decoding.temperature = temperature;
        // Beam search at temperature 0 only; best_of at temperatures above 0 only (as openai pops them).
        decoding.beamSize = temperature > 0 ? 0 : options.beamSize;
        decoding.patience = options.patience;
        decoding.bestOf = temperature > 0 ? options.bestOf : 0;
        // Reproducible sampling per window and temperature.
        decoding.seed = options.seed ^ (static_cast<std::uint64_t>(seek) * 0x9e3779b97f4a7c15ULL + k);
        result = decodeWindow(model, tokens, &tokenizer, features, decoding);
        steps += result.steps;
        bool needsFallback = false;
        if (enabled(options.compressionRatioThreshold) && result.compressionRatio > options.compressionRatioThreshold)
            needsFallback = true;  // too repetitive
        if (enabled(options.logprobThreshold) && result.avgLogprob < options.logprobThreshold)
            needsFallback = true;  // average log probability too low
        if (enabled(options.noSpeechThreshold) && result.noSpeechProb > options.noSpeechThreshold &&
            enabled(options.logprobThreshold) && result.avgLogprob < options.logprobThreshold)
            needsFallback = false;  // silence
        if (!needsFallback) break;
    }
    result.steps = steps;
    return result;
}

}  // namespace

Transcript transcribe(const WhisperModel& model, const WhisperTokens& tokens, const text::Tokenizer& tokenizer,
                      LogMelStream& mel, const TranscribeOptions& options, const TranscribeProgress& progress) {
    if (!mel.finished())
        throw Error("whisper", "The log-mel spectrogram must be finished (with 30 s of padding) before transcribing.");
    if (mel.nMels() != model.config().nMels)
        throw Error(model.folder(), "The model expects " + std::to_string(model.config().nMels) +
                                        " mel bins but the spectrogram has " + std::to_string(mel.nMels()) + ".");
    if (options.temperatures.empty()) throw Error("whisper", "No decoding temperature was given.");

    Transcript transcript;
    const std::int64_t contentFrames = mel.contentFrames();
    transcript.language = options.language;
    transcript.wordTimestamps = options.wordTimestamps;
    if (transcript.language.empty()) {
        if (!tokens.multilingual) {
            transcript.language = "en";
        } else {
            // openai detects on pad_or_trim(mel, N_FRAMES): the first 3000 frames, padding included.
            const std::vector<float> features = model.encode(mel.window(0, kChunkFrames, false));
            transcript.language = detectLanguage(model, tokens, features).code;
        }
    }

    WhisperDecodingOptions decoding;
    decoding.task = options.task;
    decoding.language = transcript.language;

    std::vector<std::int64_t> sotSequence{tokens.sot};
    if (tokens.multilingual) {
        sotSequence.push_back(tokens.languageToken(transcript.language));
        sotSequence.push_back(options.task == "translate" ? tokens.translate : tokens.transcribe);
    }
    double lastSpeechTimestamp = 0.0;

    std::vector<std::int64_t> allTokens = options.initialPromptTokens;
    std::size_t promptResetSince = 0;
    std::int64_t seek = 0;
    while (seek < contentFrames) {
        const double timeOffset = static_cast<double>(seek * kHopLength) / kSampleRate;
        const std::int64_t segmentSize = std::min<std::int64_t>(kChunkFrames, contentFrames - seek);
        const double segmentDuration = static_cast<double>(segmentSize * kHopLength) / kSampleRate;
        const MelSpectrogram window = mel.window(seek);
        const std::vector<float> features = model.encode(window);

        decoding.prompt.assign(allTokens.begin() + static_cast<std::ptrdiff_t>(promptResetSince), allTokens.end());
        WhisperDecodingResult result = decodeWithFallback(model, tokens, tokenizer, features, decoding, options, seek);
        transcript.decoderSteps += result.steps;
        const std::vector<std::int64_t>& out = result.tokens;

        if (enabled(options.noSpeechThreshold)) {
            bool skip = result.noSpeechProb > options.noSpeechThreshold;
            if (enabled(options.logprobThreshold) && result.avgLogprob > options.logprobThreshold)
                skip = false;  // confident text despite the no-speech probability
            if (skip) {
                seek += segmentSize;
                mel.discardBefore(seek);
                continue;
            }
        }

        const std::int64_t previousSeek = seek;
        std::vector<TranscriptSegment> current;
        auto newSegment = [&](double start, double end, std::vector<std::int64_t> segmentTokens) {
            TranscriptSegment s;
            s.seek = previousSeek;
            s.start = start;
            s.end = end;
            s.text = decodeText(tokenizer, segmentTokens, tokens.eot);
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
            addWordTimestamps(current, model, tokens, tokenizer, transcript.language, sotSequence, window, segmentSize,
                              options, lastSpeechTimestamp);
            if (!singleTimestampEnding) {
                const std::optional<double> lastWordEnd = getEnd(current);
                if (lastWordEnd && *lastWordEnd > timeOffset)
                    seek = static_cast<std::int64_t>(std::nearbyint(*lastWordEnd * 100.0));  // Python round()
            }
            if (const std::optional<double> end = getEnd(current)) lastSpeechTimestamp = *end;
        }

        for (TranscriptSegment& s : current) {
            // Instantaneous or empty segments are kept, blanked (as openai does).
            if (s.start == s.end || stripPythonWhitespace(s.text).empty()) {
                s.text.clear();
                s.tokens.clear();
                s.words.clear();
            }
            s.id = static_cast<int>(transcript.segments.size());
            allTokens.insert(allTokens.end(), s.tokens.begin(), s.tokens.end());
            transcript.segments.push_back(std::move(s));
        }
        if (!options.conditionOnPreviousText || result.temperature > 0.5) promptResetSince = allTokens.size();

        // openai would loop forever on a window whose only pair of timestamps is <|0.00|><|0.00|>.
        if (seek <= previousSeek) seek = previousSeek + segmentSize;
        mel.discardBefore(seek);
        if (progress) progress(std::min(contentFrames, seek), contentFrames);
    }

    const std::vector<std::int64_t> spoken(
        allTokens.begin() + static_cast<std::ptrdiff_t>(options.initialPromptTokens.size()), allTokens.end());
    transcript.text = decodeText(tokenizer, spoken, tokens.timestampBegin);
    return transcript;
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
