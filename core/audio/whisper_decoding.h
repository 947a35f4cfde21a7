#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/audio/whisper_model.h"

namespace benchtop::text {
class Tokenizer;
}

namespace benchtop::audio {

/// Whisper's special token ids and decoding defaults, read from the HF `generation_config.json` (so
/// v2 and v3 vocabularies, which shift every id after <|endoftext|> by one language, both work).
struct WhisperTokens {
    std::int64_t eot = 50257;
    std::int64_t sot = 50258;
    std::int64_t translate = -1;
    std::int64_t transcribe = -1;
    std::int64_t sotLm = -1;
    std::int64_t sotPrev = -1;
    std::int64_t noSpeech = -1;  ///< <|nospeech|> (v3) / <|nocaptions|> (v2)
    std::int64_t noTimestamps = -1;
    std::int64_t timestampBegin = -1;  ///< <|0.00|>
    /// Language codes ("en", "zh", ...) and their tokens, in token order (openai's LANGUAGES order).
    std::vector<std::pair<std::string, std::int64_t>> languages;
    /// openai's suppress_tokens="-1" set plus the task/sot tokens (DecodingTask._get_suppress_tokens).
    std::vector<std::int64_t> suppressTokens;
    /// Suppressed at the first sampled position only (SuppressBlank: " " and <|endoftext|>).
    std::vector<std::int64_t> beginSuppressTokens;
    int maxInitialTimestampIndex = 50;
    bool multilingual = true;
    /// Cross-attention heads (decoder layer, head) that follow the audio, for word timestamps
    /// (generation_config `alignment_heads`; empty = openai's default, every head of the upper half).
    std::vector<std::pair<int, int>> alignmentHeads;

    /// Reads `generation_config.json` of a model folder; throws benchtop::Error naming the missing field.
    static WhisperTokens fromFolder(const std::string& folder);
    /// The token of a language code; throws benchtop::Error for an unknown code.
    std::int64_t languageToken(const std::string& code) const;
    /// The code of a language token, or "" when `token` is not one.
    std::string languageCode(std::int64_t token) const;
};

/// One language and its probability from detectLanguage().
struct LanguageProbability {
    std::string code;
    double probability = 0;
};

/// openai's `detect_language`: the <|startoftranscript|> logits restricted to language tokens.
struct LanguageDetection {
    std::string code;  ///< most probable language
    std::int64_t token = -1;
    std::vector<LanguageProbability> probabilities;  ///< every language, most probable first
};

LanguageDetection detectLanguage(const WhisperModel& model, const WhisperTokens& tokens,
                                 const std::vector<float>& encoderOut);

/// openai's DecodingOptions (the subset the greedy decoder uses).
struct WhisperDecodingOptions {
    std::string task = "transcribe";  ///< or "translate"
    std::string language;             ///< "" = detect
    int sampleLen = 0;                ///< 0 = n_text_ctx / 2 (224)
    bool suppressBlank = true;
    bool suppressTokens = true;  ///< openai's default "-1" set
    bool withoutTimestamps = false;
    double maxInitialTimestamp = 1.0;  ///< seconds; < 0 = no limit
    std::vector<std::int64_t> prompt;  ///< previous-context tokens (after <|startofprev|>)
    /// 0 = greedy (or beam search when beamSize > 0); > 0 = sampling from softmax(logits / temperature).
    double temperature = 0.0;
    int beamSize = 0;        ///< > 0 and temperature 0: beam search (openai's BeamSearchDecoder)
    double patience = 1.0;   ///< beam search: stop after round(beamSize * patience) finished candidates
    int bestOf = 0;          ///< temperature > 0: independent samples, best by sum logprob / length
    std::uint64_t seed = 0;  ///< sampling RNG seed (std::mt19937_64; not bit-comparable with torch's sampler)
};

/// openai's DecodingResult for one window.
struct WhisperDecodingResult {
    std::string language;
    std::vector<std::int64_t> initialTokens;
    std::vector<std::int64_t> tokens;  ///< sampled tokens, <|endoftext|> excluded
    std::string text;                  ///< text tokens decoded and stripped (needs a tokenizer)
    double avgLogprob = 0;
    double noSpeechProb = 0;
    double compressionRatio = 0;  ///< of `text` (zlib level 6, as openai)
    double temperature = 0;
    int steps = 0;                ///< decoder calls made
    std::vector<double> margins;  ///< per step: top1 - top2 of the filtered logits
};

/// `Whisper.decode(window, DecodingOptions(temperature=0, ...))`: greedy decoding with openai's logit
/// filters (SuppressBlank, SuppressTokens, ApplyTimestampRules) over one window's encoder output, using
/// the KV cache. `tokenizer` may be null (then `text` and `compressionRatio` stay empty/0).
WhisperDecodingResult decodeGreedy(const WhisperModel& model, const WhisperTokens& tokens,
                                   const text::Tokenizer* tokenizer, const std::vector<float>& encoderOut,
                                   const WhisperDecodingOptions& options);

/// openai's `Whisper.decode(window, options)` for one window: greedy (temperature 0), sampling
/// (temperature > 0, best_of candidates) or beam search (temperature 0, beamSize > 0), with the same logit
/// filters, ranking (MaximumLikelihoodRanker, length_penalty None) and result fields as decodeGreedy().
WhisperDecodingResult decodeWindow(const WhisperModel& model, const WhisperTokens& tokens,
                                   const text::Tokenizer* tokenizer, const std::vector<float>& encoderOut,
                                   const WhisperDecodingOptions& options);

/// decodeWindow() for several windows at once (e.g. the current windows of several files), each with its own
/// encoder output and options. Greedy and single-sample windows decode together: one ragged batched decoder
/// call per step (prompts may differ in length), finished sequences leave the batch. Each sequence runs the
/// same logit filters and choices as decodeGreedy(), so results match it up to floating-point summation order.
/// Beam search and best_of windows are decoded one by one.
std::vector<WhisperDecodingResult> decodeWindows(const WhisperModel& model, const WhisperTokens& tokens,
                                                 const text::Tokenizer* tokenizer,
                                                 const std::vector<const std::vector<float>*>& encoderOuts,
                                                 const std::vector<WhisperDecodingOptions>& options);

/// Python's str.strip() for UTF-8 text (openai strips decoded text with it).
std::string stripPythonWhitespace(const std::string& text);

/// openai's `compression_ratio`: bytes of `text` / bytes of zlib.compress(text).
double compressionRatio(const std::string& text);

}  // namespace benchtop::audio
