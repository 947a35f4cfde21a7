#include "core/audio/whisper_alignment.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/audio/log_mel_torch.h"
#include "core/audio/whisper_model_torch.h"
#include "core/common/error.h"
#include "core/text/tokenizer.h"

namespace benchtop::audio {
namespace {

constexpr double kTokensPerSecond = 50.0;  // encoder positions per second

// UTF-8 -> code points (the decoder's output is valid UTF-8; anything else counts as one U+FFFD).
std::u32string toCodePoints(const std::string& s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
            out.push_back(0xfffd);
            ++i;
            continue;
        }
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
        for (int k = 1; k < len; ++k) cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3f);
        out.push_back(cp);
        i += static_cast<std::size_t>(len);
    }
    return out;
}

std::string decodeAll(const text::Tokenizer& tokenizer, const std::vector<std::int64_t>& ids) {
    std::vector<text::TokenId> v(ids.begin(), ids.end());
    return tokenizer.decode(v, false);
}

// tokenizer.split_tokens_on_unicode: cut wherever the decoded prefix has no partial character.
void splitOnUnicode(const text::Tokenizer& tokenizer, const std::vector<std::int64_t>& tokens,
                    std::vector<std::string>& words, std::vector<std::vector<std::int64_t>>& wordTokens) {
    const std::u32string full = toCodePoints(decodeAll(tokenizer, tokens));
    std::vector<std::int64_t> current;
    std::size_t unicodeOffset = 0;
    for (const std::int64_t token : tokens) {
        current.push_back(token);
        const std::string decoded = decodeAll(tokenizer, current);
        const std::u32string cps = toCodePoints(decoded);
        const std::size_t replacement = cps.find(U'\ufffd');
        if (replacement == std::u32string::npos ||
            (unicodeOffset + replacement < full.size() && full[unicodeOffset + replacement] == U'\ufffd')) {
            words.push_back(decoded);
            wordTokens.push_back(current);
            current.clear();
            unicodeOffset += cps.size();
        }
    }
}

bool pythonContains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;  // `needle in haystack`; "" is in everything
}

}  // namespace

std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>> dtwPath(const std::vector<double>& x, std::int64_t rows,
                                                                        std::int64_t cols) {
    const std::int64_t n = rows, m = cols;
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> cost(static_cast<std::size_t>((n + 1) * (m + 1)), inf);
    std::vector<int> trace(static_cast<std::size_t>((n + 1) * (m + 1)), -1);
    auto at = [&](std::int64_t i, std::int64_t j) { return static_cast<std::size_t>(i * (m + 1) + j); };
    cost[0] = 0;
    for (std::int64_t j = 1; j <= m; ++j) {
        for (std::int64_t i = 1; i <= n; ++i) {
            const double c0 = cost[at(i - 1, j - 1)];
            const double c1 = cost[at(i - 1, j)];
            const double c2 = cost[at(i, j - 1)];
            double c;
            int t;
            if (c0 < c1 && c0 < c2) {
                c = c0;
                t = 0;
            } else if (c1 < c0 && c1 < c2) {
                c = c1;
                t = 1;
            } else {
                c = c2;
                t = 2;
            }
            cost[at(i, j)] = x[static_cast<std::size_t>((i - 1) * m + (j - 1))] + c;
            trace[at(i, j)] = t;
        }
    }
    for (std::int64_t j = 0; j <= m; ++j) trace[at(0, j)] = 2;
    for (std::int64_t i = 0; i <= n; ++i) trace[at(i, 0)] = 1;
    std::vector<std::int64_t> textIndices, timeIndices;
    std::int64_t i = n, j = m;
    while (i > 0 || j > 0) {
        textIndices.push_back(i - 1);
        timeIndices.push_back(j - 1);
        const int t = trace[at(i, j)];
        if (t == 0) {
            --i;
            --j;
        } else if (t == 1) {
            --i;
        } else if (t == 2) {
            --j;
        } else {
            throw Error("whisper alignment", "Unexpected DTW trace value.");
        }
    }
    std::reverse(textIndices.begin(), textIndices.end());
    std::reverse(timeIndices.begin(), timeIndices.end());
    return {textIndices, timeIndices};
}

void splitToWordTokens(const text::Tokenizer& tokenizer, const std::string& language,
                       const std::vector<std::int64_t>& tokens, std::int64_t eot, std::vector<std::string>& words,
                       std::vector<std::vector<std::int64_t>>& wordTokens) {
    words.clear();
    wordTokens.clear();
    static const std::vector<std::string> kNoSpaces = {"zh", "ja", "th", "lo", "my", "yue"};
    if (std::find(kNoSpaces.begin(), kNoSpaces.end(), language) != kNoSpaces.end()) {
        splitOnUnicode(tokenizer, tokens, words, wordTokens);
        return;
    }
    std::vector<std::string> subwords;
    std::vector<std::vector<std::int64_t>> subwordTokens;
    splitOnUnicode(tokenizer, tokens, subwords, subwordTokens);
    static const std::string kPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";  // string.punctuation
    for (std::size_t k = 0; k < subwords.size(); ++k) {
        const bool special = subwordTokens[k].front() >= eot;
        const bool withSpace = !subwords[k].empty() && subwords[k][0] == ' ';
        const bool punctuation = pythonContains(kPunctuation, stripPythonWhitespace(subwords[k]));
        if (special || withSpace || punctuation || words.empty()) {
            words.push_back(subwords[k]);
            wordTokens.push_back(subwordTokens[k]);
        } else {
            words.back() += subwords[k];
            wordTokens.back().insert(wordTokens.back().end(), subwordTokens[k].begin(), subwordTokens[k].end());
        }
    }
}

std::vector<WordTiming> findAlignment(const WhisperModel& model, const WhisperTokens& tokens,
                                      const text::Tokenizer& tokenizer, const std::string& language,
                                      const std::vector<std::int64_t>& sotSequence,
                                      const std::vector<std::int64_t>& textTokens, const MelSpectrogram& window,
                                      std::int64_t numFrames, int medianFilterWidth) {
    if (textTokens.empty()) return {};
    torch::NoGradGuard noGrad;
    const WhisperModel::Weights& w = model.weights();

    std::vector<std::int64_t> all = sotSequence;
    all.push_back(tokens.noTimestamps);
    all.insert(all.end(), textTokens.begin(), textTokens.end());
    all.push_back(tokens.eot);
    const auto sotLength = static_cast<std::int64_t>(sotSequence.size());

    const torch::Tensor features = whisperEncode(w, melToTensor(window));
    std::vector<torch::Tensor> scores;
    const torch::Tensor logits =
        whisperDecode(w, torch::tensor(all, torch::kLong).unsqueeze(0), features, nullptr, &scores)[0];
    const torch::Tensor probs = logits.slice(0, sotLength).slice(1, 0, tokens.eot).softmax(-1).to(torch::kCPU);
    std::vector<double> textTokenProbs(textTokens.size());
    for (std::size_t i = 0; i < textTokens.size(); ++i)
        textTokenProbs[i] = probs[static_cast<std::int64_t>(i)][textTokens[i]].item<float>();

    std::vector<std::pair<int, int>> heads = tokens.alignmentHeads;
    if (heads.empty()) {
        // openai's default: every head of the upper half of the decoder layers.
        const int layers = model.config().decoderLayers;
        for (int l = layers / 2; l < layers; ++l)
            for (int h = 0; h < model.config().decoderHeads; ++h) heads.emplace_back(l, h);
    }
    std::vector<torch::Tensor> picked;
    for (const auto& [layer, head] : heads) {
        if (layer < 0 || layer >= static_cast<int>(scores.size()) || head < 0 || head >= model.config().decoderHeads)
            throw Error(model.folder(), "alignment_heads names a head the model does not have.");
        picked.push_back(scores[static_cast<std::size_t>(layer)][0][head]);
    }
    torch::Tensor weights = torch::stack(picked).slice(-1, 0, numFrames / 2).softmax(-1);
    const auto [stdev, mean] = torch::std_mean(weights, {-2}, /*unbiased=*/false, /*keepdim=*/true);
    weights = (weights - mean) / stdev;
    // timing.median_filter: reflect-pad the time axis, median of each window (no-op on very short input).
    const int pad = medianFilterWidth / 2;
    if (weights.size(-1) > pad) {
        const torch::Tensor padded = torch::reflection_pad1d(weights, {pad, pad});
        weights = std::get<0>(padded.unfold(-1, medianFilterWidth, 1).sort(-1)).select(-1, pad);
    }
    const torch::Tensor matrix =
        weights.mean(0).slice(0, sotLength, weights.size(1) - 1).neg().to(torch::kCPU, torch::kDouble).contiguous();
    const std::int64_t rows = matrix.size(0), cols = matrix.size(1);
    const std::vector<double> cost(matrix.data_ptr<double>(), matrix.data_ptr<double>() + matrix.numel());
    const auto [textIndices, timeIndices] = dtwPath(cost, rows, cols);

    std::vector<std::string> words;
    std::vector<std::vector<std::int64_t>> wordTokens;
    std::vector<std::int64_t> withEot = textTokens;
    withEot.push_back(tokens.eot);
    splitToWordTokens(tokenizer, language, withEot, tokens.eot, words, wordTokens);
    if (wordTokens.size() <= 1) return {};

    std::vector<std::size_t> boundaries{0};
    for (std::size_t k = 0; k + 1 < wordTokens.size(); ++k)
        boundaries.push_back(boundaries.back() + wordTokens[k].size());
    std::vector<double> jumpTimes;
    for (std::size_t k = 0; k < textIndices.size(); ++k)
        if (k == 0 || textIndices[k] != textIndices[k - 1])
            jumpTimes.push_back(static_cast<double>(timeIndices[k]) / kTokensPerSecond);

    std::vector<WordTiming> result;
    for (std::size_t k = 0; k + 1 < boundaries.size(); ++k) {
        WordTiming timing;
        timing.word = words[k];
        timing.tokens = wordTokens[k];
        timing.start = jumpTimes.at(boundaries[k]);
        timing.end = jumpTimes.at(boundaries[k + 1]);
        double sum = 0;
        for (std::size_t i = boundaries[k]; i < boundaries[k + 1]; ++i) sum += textTokenProbs.at(i);
        timing.probability = sum / static_cast<double>(boundaries[k + 1] - boundaries[k]);
        result.push_back(std::move(timing));
    }
    return result;
}

void mergePunctuations(std::vector<WordTiming>& alignment, const std::string& prepended, const std::string& appended) {
    if (alignment.size() < 2) return;
    // Prepended punctuation joins the following word.
    std::int64_t i = static_cast<std::int64_t>(alignment.size()) - 2;
    std::int64_t j = static_cast<std::int64_t>(alignment.size()) - 1;
    while (i >= 0) {
        WordTiming& previous = alignment[static_cast<std::size_t>(i)];
        WordTiming& following = alignment[static_cast<std::size_t>(j)];
        if (!previous.word.empty() && previous.word[0] == ' ' &&
            pythonContains(prepended, stripPythonWhitespace(previous.word))) {
            following.word = previous.word + following.word;
            following.tokens.insert(following.tokens.begin(), previous.tokens.begin(), previous.tokens.end());
            previous.word.clear();
            previous.tokens.clear();
        } else {
            j = i;
        }
        --i;
    }
    // Appended punctuation joins the previous word.
    std::size_t p = 0;
    for (std::size_t f = 1; f < alignment.size(); ++f) {
        WordTiming& previous = alignment[p];
        WordTiming& following = alignment[f];
        if ((previous.word.empty() || previous.word.back() != ' ') && pythonContains(appended, following.word)) {
            previous.word += following.word;
            previous.tokens.insert(previous.tokens.end(), following.tokens.begin(), following.tokens.end());
            following.word.clear();
            following.tokens.clear();
        } else {
            p = f;
        }
    }
}

}  // namespace benchtop::audio
