#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/audio/log_mel.h"
#include "core/audio/whisper_decoding.h"
#include "core/audio/whisper_model.h"

namespace benchtop::text {
class Tokenizer;
}

namespace benchtop::audio {

/// One word of openai's `timing.find_alignment` (times in seconds from the window start).
struct WordTiming {
    std::string word;
    std::vector<std::int64_t> tokens;
    double start = 0;
    double end = 0;
    double probability = 0;
};

/// openai's `dtw_cpu` on a [rows x cols] row-major cost matrix with float64 costs (ties go to the left
/// move, NaNs take the same branches as numba). Returns (text indices, time indices) of the path.
std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>> dtwPath(const std::vector<double>& cost,
                                                                        std::int64_t rows, std::int64_t cols);

/// openai's `Tokenizer.split_to_word_tokens`: code-point groups for zh/ja/th/lo/my/yue, else words that
/// start with a space (punctuation and specials stand alone).
void splitToWordTokens(const text::Tokenizer& tokenizer, const std::string& language,
                       const std::vector<std::int64_t>& tokens, std::int64_t eot, std::vector<std::string>& words,
                       std::vector<std::vector<std::int64_t>>& wordTokens);

/// openai's `find_alignment`: teacher-forces `textTokens` after `sotSequence` + <|notimestamps|>, takes the
/// alignment heads' cross-attention over the first numFrames / 2 positions, standardises, median-filters
/// (width 7) and aligns words to 20 ms steps with DTW.
std::vector<WordTiming> findAlignment(const WhisperModel& model, const WhisperTokens& tokens,
                                      const text::Tokenizer& tokenizer, const std::string& language,
                                      const std::vector<std::int64_t>& sotSequence,
                                      const std::vector<std::int64_t>& textTokens, const MelSpectrogram& window,
                                      std::int64_t numFrames, int medianFilterWidth = 7);

/// openai's `merge_punctuations` (Python substring semantics included).
void mergePunctuations(std::vector<WordTiming>& alignment, const std::string& prepended, const std::string& appended);

}  // namespace benchtop::audio
