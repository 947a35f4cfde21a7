#include "core/audio/whisper_decoding.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "core/common/error.h"
#include "core/text/tokenizer.h"

namespace benchtop::audio {
namespace {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();

std::int64_t requireId(const nlohmann::json& json, const std::string& key, const std::string& path) {
    const auto it = json.find(key);
    if (it == json.end() || !it->is_number_integer())
        throw Error(path, "generation_config.json has no '" + key + "'; it is not a Whisper generation config.");
    return it->get<std::int64_t>();
}

// log_softmax of one row in float32 semantics (max-shifted, sum in double) - what F.log_softmax(x.float()) gives
// up to rounding.
std::vector<float> logSoftmax(const std::vector<float>& logits) {
    const float maxValue = *std::max_element(logits.begin(), logits.end());
    double sum = 0;
    for (const float v : logits) sum += std::exp(static_cast<double>(v) - maxValue);
    const double logSum = std::log(sum) + maxValue;
    std::vector<float> out(logits.size());
    for (std::size_t i = 0; i < logits.size(); ++i) out[i] = static_cast<float>(logits[i] - logSum);
    return out;
}

// openai's ApplyTimestampRules.apply for one sequence.
void applyTimestampRules(std::vector<float>& logits, const std::vector<std::int64_t>& tokens, std::size_t sampleBegin,
                         const WhisperTokens& t, int maxInitialTimestampIndex) {
    const auto begin = static_cast<std::size_t>(t.timestampBegin);
    const std::size_t vocab = logits.size();
    if (t.noTimestamps >= 0) logits[static_cast<std::size_t>(t.noTimestamps)] = kNegInf;

    // Timestamps come in pairs, except directly before <|endoftext|>.
    const std::vector<std::int64_t> sampled(tokens.begin() + static_cast<std::ptrdiff_t>(sampleBegin), tokens.end());
    const bool lastWasTimestamp = !sampled.empty() && sampled.back() >= t.timestampBegin;
    const bool penultimateWasTimestamp = sampled.size() < 2 || sampled[sampled.size() - 2] >= t.timestampBegin;
    if (lastWasTimestamp) {
        if (penultimateWasTimestamp)
            std::fill(logits.begin() + static_cast<std::ptrdiff_t>(begin), logits.end(), kNegInf);
        else
            std::fill(logits.begin(), logits.begin() + t.eot, kNegInf);
    }
    // Timestamps never decrease, and a segment has non-zero length.
    std::int64_t lastTimestamp = -1;
    for (const std::int64_t token : sampled)
        if (token >= t.timestampBegin) lastTimestamp = token;
    if (lastTimestamp >= 0) {
        const std::int64_t end = lastWasTimestamp && !penultimateWasTimestamp ? lastTimestamp : lastTimestamp + 1;
        for (std::int64_t i = t.timestampBegin; i < std::min<std::int64_t>(end, static_cast<std::int64_t>(vocab)); ++i)
            logits[static_cast<std::size_t>(i)] = kNegInf;
    }
    if (tokens.size() == sampleBegin) {
        // The first sampled token is a timestamp, no later than max_initial_timestamp.
        std::fill(logits.begin(), logits.begin() + static_cast<std::ptrdiff_t>(begin), kNegInf);
        if (maxInitialTimestampIndex >= 0) {
            const std::size_t lastAllowed = begin + static_cast<std::size_t>(maxInitialTimestampIndex);
            if (lastAllowed + 1 < vocab)
                std::fill(logits.begin() + static_cast<std::ptrdiff_t>(lastAllowed + 1), logits.end(), kNegInf);
        }
    }
    // When the timestamps together are more probable than any single text token, sample a timestamp.
    const std::vector<float> logprobs = logSoftmax(logits);
    float maxTimestamp = kNegInf;
    for (std::size_t i = begin; i < vocab; ++i) maxTimestamp = std::max(maxTimestamp, logprobs[i]);
    double timestampLogprob = -std::numeric_limits<double>::infinity();
    if (maxTimestamp != kNegInf) {
        double sum = 0;
        for (std::size_t i = begin; i < vocab; ++i) sum += std::exp(static_cast<double>(logprobs[i]) - maxTimestamp);
        timestampLogprob = maxTimestamp + std::log(sum);
    }
    const float maxText = *std::max_element(logprobs.begin(), logprobs.begin() + static_cast<std::ptrdiff_t>(begin));
    if (timestampLogprob > maxText)
        std::fill(logits.begin(), logits.begin() + static_cast<std::ptrdiff_t>(begin), kNegInf);
}

bool isPythonSpace(char32_t c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

}  // namespace

// Python's str.strip() on UTF-8 (the whitespace set of str.isspace()).
std::string stripPythonWhitespace(const std::string& s) {
    auto decodeAt = [&](std::size_t i, std::size_t& len) -> char32_t {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            len = 1;
            return c;
        }
        if ((c >> 5) == 6 && i + 1 < s.size()) {
            len = 2;
            return (c & 0x1f) << 6 | (s[i + 1] & 0x3f);
        }
        if ((c >> 4) == 14 && i + 2 < s.size()) {
            len = 3;
            return (c & 0x0f) << 12 | (s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f);
        }
        len = 1;
        return 0xfffd;
    };
    std::size_t start = 0;
    while (start < s.size()) {
        std::size_t len = 1;
        if (!isPythonSpace(decodeAt(start, len))) break;
        start += len;
    }
    std::size_t end = s.size();
    while (end > start) {
        std::size_t charStart = end - 1;
        while (charStart > start && (static_cast<unsigned char>(s[charStart]) & 0xc0) == 0x80) --charStart;
        std::size_t len = 1;
        if (!isPythonSpace(decodeAt(charStart, len)) || charStart + len != end) break;
        end = charStart;
    }
    return s.substr(start, end - start);
}

WhisperTokens WhisperTokens::fromFolder(const std::string& folder) {
    namespace fs = std::filesystem;
    const std::string path = (fs::u8path(folder) / "generation_config.json").u8string();
    std::ifstream in(fs::u8path(path));
    if (!in)
        throw Error(path, "The Whisper model folder has no generation_config.json (it holds the special token ids).");
    nlohmann::json json;
    try {
        in >> json;
    } catch (const std::exception& e) {
        throw Error(path, std::string("generation_config.json is not valid JSON: ") + e.what());
    }
    WhisperTokens t;
    t.eot = requireId(json, "eos_token_id", path);
    t.sot = requireId(json, "decoder_start_token_id", path);
    t.noTimestamps = requireId(json, "no_timestamps_token_id", path);
    t.timestampBegin = t.noTimestamps + 1;
    // The fixed layout after the languages: translate, transcribe, sot_lm, sot_prev, no_speech, no_timestamps.
    t.noSpeech = t.noTimestamps - 1;
    t.sotPrev = json.contains("prev_sot_token_id") ? requireId(json, "prev_sot_token_id", path) : t.noTimestamps - 2;
    t.sotLm = t.sotPrev - 1;
    t.transcribe = t.sotLm - 1;
    t.translate = t.transcribe - 1;
    if (const auto tasks = json.find("task_to_id"); tasks != json.end() && tasks->is_object()) {
        t.transcribe = tasks->value("transcribe", t.transcribe);
        t.translate = tasks->value("translate", t.translate);
    }
    t.multilingual = json.value("is_multilingual", true);
    if (const auto langs = json.find("lang_to_id"); langs != json.end() && langs->is_object()) {
        for (const auto& item : langs->items()) {
            std::string code = item.key();
            if (code.size() > 4 && code.compare(0, 2, "<|") == 0 && code.compare(code.size() - 2, 2, "|>") == 0)
                code = code.substr(2, code.size() - 4);
            t.languages.emplace_back(code, item.value().get<std::int64_t>());
        }
        std::sort(t.languages.begin(), t.languages.end(),
                  [](const auto& a, const auto& b) { return a.second < b.second; });
    }
    if (t.multilingual && t.languages.empty())
        throw Error(path, "generation_config.json of a multilingual model has no lang_to_id.");

    std::set<std::int64_t> suppress;
    for (const auto& id : json.value("suppress_tokens", nlohmann::json::array()))
        suppress.insert(id.get<std::int64_t>());
    // DecodingTask._get_suppress_tokens always adds these (HF files do not always list them).
    for (const std::int64_t id : {t.transcribe, t.translate, t.sot, t.sotPrev, t.sotLm, t.noSpeech})
        suppress.insert(id);
    t.suppressTokens.assign(suppress.begin(), suppress.end());
    for (const auto& id : json.value("begin_suppress_tokens", nlohmann::json::array({220, 50257})))
        t.beginSuppressTokens.push_back(id.get<std::int64_t>());
    t.maxInitialTimestampIndex = json.value("max_initial_timestamp_index", 50);
    for (const auto& pair : json.value("alignment_heads", nlohmann::json::array()))
        if (pair.is_array() && pair.size() == 2) t.alignmentHeads.emplace_back(pair[0].get<int>(), pair[1].get<int>());
    // openai keeps them in a sparse tensor and reads them back in (layer, head) order.
    std::sort(t.alignmentHeads.begin(), t.alignmentHeads.end());
    return t;
}

std::int64_t WhisperTokens::languageToken(const std::string& code) const {
    for (const auto& [name, id] : languages)
        if (name == code) return id;
    throw Error("whisper", "Unknown language code '" + code + "'; use a Whisper language code such as en, zh, de.");
}

std::string WhisperTokens::languageCode(std::int64_t token) const {
    for (const auto& [name, id] : languages)
        if (id == token) return name;
    return {};
}

LanguageDetection detectLanguage(const WhisperModel& model, const WhisperTokens& tokens,
                                 const std::vector<float>& encoderOut) {
    if (tokens.languages.empty())
        throw Error(model.folder(), "This model has no language tokens, so it cannot detect the language.");
    const std::vector<float> logits = model.logits(encoderOut, {tokens.sot});
    // Softmax over the language tokens only (openai sets every other logit to -inf).
    float maxLogit = kNegInf;
    for (const auto& [code, id] : tokens.languages) maxLogit = std::max(maxLogit, logits[static_cast<std::size_t>(id)]);
    double sum = 0;
    for (const auto& [code, id] : tokens.languages)
        sum += std::exp(static_cast<double>(logits[static_cast<std::size_t>(id)]) - maxLogit);
    LanguageDetection result;
    for (const auto& [code, id] : tokens.languages) {
        const double p = std::exp(static_cast<double>(logits[static_cast<std::size_t>(id)]) - maxLogit) / sum;
        result.probabilities.push_back({code, p});
        if (logits[static_cast<std::size_t>(id)] == maxLogit && result.token < 0) {
            result.token = id;
            result.code = code;
        }
    }
    std::stable_sort(result.probabilities.begin(), result.probabilities.end(),
                     [](const auto& a, const auto& b) { return a.probability > b.probability; });
    return result;
}

double compressionRatio(const std::string& text) {
    if (text.empty()) return 0;
    uLongf size = compressBound(static_cast<uLong>(text.size()));
    std::vector<Bytef> buffer(size);
    if (compress2(buffer.data(), &size, reinterpret_cast<const Bytef*>(text.data()), static_cast<uLong>(text.size()),
                  Z_DEFAULT_COMPRESSION) != Z_OK)
        return 0;
    return static_cast<double>(text.size()) / static_cast<double>(size);
}

WhisperDecodingResult decodeGreedy(const WhisperModel& model, const WhisperTokens& t, const text::Tokenizer* tokenizer,
                                   const std::vector<float>& encoderOut, const WhisperDecodingOptions& options) {
    const WhisperConfig& config = model.config();
    const int nCtx = config.maxTargetPositions;
    const int sampleLen = options.sampleLen > 0 ? options.sampleLen : nCtx / 2;
    const std::size_t vocab = static_cast<std::size_t>(config.vocabSize);

    WhisperDecodingResult result;
    result.language = options.language;
    if (t.multilingual && result.language.empty()) result.language = detectLanguage(model, t, encoderOut).code;

    // Initial tokens: [<|startofprev|> prompt...] <|startoftranscript|> <|lang|> <|task|> [<|notimestamps|>]
    std::vector<std::int64_t> tokens;
    if (!options.prompt.empty()) {
        tokens.push_back(t.sotPrev);
        const std::size_t keep = std::min(options.prompt.size(), static_cast<std::size_t>(nCtx / 2 - 1));
        tokens.insert(tokens.end(), options.prompt.end() - static_cast<std::ptrdiff_t>(keep), options.prompt.end());
    }
    const std::size_t sotIndex = tokens.size();
    tokens.push_back(t.sot);
    if (t.multilingual) {
        tokens.push_back(t.languageToken(result.language));
        if (options.task == "transcribe")
            tokens.push_back(t.transcribe);
        else if (options.task == "translate")
            tokens.push_back(t.translate);
        else
            throw Error("whisper", "Unknown task '" + options.task + "'; use transcribe or translate.");
    }
    if (options.withoutTimestamps) tokens.push_back(t.noTimestamps);
    const std::size_t sampleBegin = tokens.size();
    result.initialTokens = tokens;

    const int maxInitialIndex =
        options.maxInitialTimestamp < 0 ? -1 : static_cast<int>(std::lround(options.maxInitialTimestamp / 0.02));

    WhisperModel::Session session = model.startSession(encoderOut);
    float sumLogprob = 0;  // openai accumulates in a float32 tensor
    for (int i = 0; i < sampleLen; ++i) {
        const std::vector<float> rows = session.step(i == 0 ? tokens : std::vector<std::int64_t>{tokens.back()});
        ++result.steps;
        if (i == 0 && t.noSpeech >= 0) {
            const std::vector<float> sotRow(rows.begin() + static_cast<std::ptrdiff_t>(sotIndex * vocab),
                                            rows.begin() + static_cast<std::ptrdiff_t>((sotIndex + 1) * vocab));
            result.noSpeechProb =
                std::exp(static_cast<double>(logSoftmax(sotRow)[static_cast<std::size_t>(t.noSpeech)]));
        }
        std::vector<float> logits(rows.end() - static_cast<std::ptrdiff_t>(vocab), rows.end());

        if (options.suppressBlank && tokens.size() == sampleBegin)
            for (const std::int64_t id : t.beginSuppressTokens) logits[static_cast<std::size_t>(id)] = kNegInf;
        if (options.suppressTokens)
            for (const std::int64_t id : t.suppressTokens)
                if (id >= 0 && static_cast<std::size_t>(id) < vocab) logits[static_cast<std::size_t>(id)] = kNegInf;
        if (!options.withoutTimestamps) applyTimestampRules(logits, tokens, sampleBegin, t, maxInitialIndex);

        // Greedy: the first maximum (torch.argmax), its float32 log-probability.
        const auto best = std::max_element(logits.begin(), logits.end());
        const auto next = static_cast<std::int64_t>(best - logits.begin());
        float second = kNegInf;
        for (std::size_t k = 0; k < vocab; ++k)
            if (static_cast<std::int64_t>(k) != next) second = std::max(second, logits[k]);
        result.margins.push_back(static_cast<double>(*best) - second);
        sumLogprob += logSoftmax(logits)[static_cast<std::size_t>(next)];
        tokens.push_back(next);
        if (next == t.eot || static_cast<int>(tokens.size()) > nCtx) break;
    }

    result.tokens.assign(tokens.begin() + static_cast<std::ptrdiff_t>(sampleBegin), tokens.end());
    if (const auto eot = std::find(result.tokens.begin(), result.tokens.end(), t.eot); eot != result.tokens.end())
        result.tokens.erase(eot, result.tokens.end());
    result.avgLogprob = static_cast<double>(sumLogprob) / static_cast<double>(result.tokens.size() + 1);

    if (tokenizer) {
        std::vector<text::TokenId> textIds;
        for (const std::int64_t id : result.tokens)
            if (id < t.timestampBegin) textIds.push_back(static_cast<text::TokenId>(id));
        result.text = stripPythonWhitespace(tokenizer->decode(textIds, false));
        result.compressionRatio = compressionRatio(result.text);
    }
    return result;
}

}  // namespace benchtop::audio
