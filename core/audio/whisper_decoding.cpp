#include "core/audio/whisper_decoding.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
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

// log_softmax's normaliser of one row (max-shifted, sum in double): log_softmax(x)[i] = float(x[i] - logSumExp(x)),
// what F.log_softmax(x.float()) gives up to rounding. One pass; no row of log-probabilities is built.
double logSumExp(const std::vector<float>& logits) {
    const float maxValue = *std::max_element(logits.begin(), logits.end());
    if (maxValue == kNegInf) return kNegInf;
    double sum = 0;
    for (const float v : logits) sum += std::exp(static_cast<double>(v) - maxValue);
    return std::log(sum) + maxValue;
}

float logProbability(const std::vector<float>& logits, std::size_t index, double logSum) {
    return static_cast<float>(logits[index] - logSum);
}

std::vector<float> logSoftmax(const std::vector<float>& logits) {
    const double logSum = logSumExp(logits);
    std::vector<float> out(logits.size());
    for (std::size_t i = 0; i < logits.size(); ++i) out[i] = logProbability(logits, i, logSum);
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
    // When the timestamps together are more probable than any single text token, sample a timestamp. The
    // log-probabilities are float(logit - logSum); rounding is monotonic, so the maxima are taken on the logits.
    const double logSum = logSumExp(logits);
    float maxTimestamp = kNegInf;
    for (std::size_t i = begin; i < vocab; ++i) maxTimestamp = std::max(maxTimestamp, logits[i]);
    if (maxTimestamp != kNegInf) maxTimestamp = static_cast<float>(maxTimestamp - logSum);
    double timestampLogprob = -std::numeric_limits<double>::infinity();
    if (maxTimestamp != kNegInf) {
        double sum = 0;
        for (std::size_t i = begin; i < vocab; ++i)
            sum += std::exp(static_cast<double>(logProbability(logits, i, logSum)) - maxTimestamp);
        timestampLogprob = maxTimestamp + std::log(sum);
    }
    float maxText = *std::max_element(logits.begin(), logits.begin() + static_cast<std::ptrdiff_t>(begin));
    if (maxText != kNegInf) maxText = static_cast<float>(maxText - logSum);
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

namespace {

// The initial tokens of DecodingTask: [<|startofprev|> prompt...] <|startoftranscript|> <|lang|> <|task|>
// [<|notimestamps|>]. Resolves the language (detecting it when empty) into result.language.
std::vector<std::int64_t> initialTokens(const WhisperModel& model, const WhisperTokens& t,
                                        const std::vector<float>& encoderOut, const WhisperDecodingOptions& options,
                                        WhisperDecodingResult& result, std::size_t& sotIndex) {
    const int nCtx = model.config().maxTargetPositions;
    result.language = options.language;
    if (t.multilingual && result.language.empty()) result.language = detectLanguage(model, t, encoderOut).code;
    std::vector<std::int64_t> tokens;
    if (!options.prompt.empty()) {
        tokens.push_back(t.sotPrev);
        const std::size_t keep = std::min(options.prompt.size(), static_cast<std::size_t>(nCtx / 2 - 1));
        tokens.insert(tokens.end(), options.prompt.end() - static_cast<std::ptrdiff_t>(keep), options.prompt.end());
    }
    sotIndex = tokens.size();
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
    result.initialTokens = tokens;
    return tokens;
}

int maxInitialIndexOf(const WhisperDecodingOptions& options) {
    return options.maxInitialTimestamp < 0 ? -1 : static_cast<int>(std::lround(options.maxInitialTimestamp / 0.02));
}

// openai's logit filters in their order: SuppressBlank, SuppressTokens, ApplyTimestampRules.
void applyLogitFilters(std::vector<float>& logits, const std::vector<std::int64_t>& tokens, std::size_t sampleBegin,
                       const WhisperTokens& t, const WhisperDecodingOptions& options, int maxInitialIndex) {
    const std::size_t vocab = logits.size();
    if (options.suppressBlank && tokens.size() == sampleBegin)
        for (const std::int64_t id : t.beginSuppressTokens) logits[static_cast<std::size_t>(id)] = kNegInf;
    if (options.suppressTokens)
        for (const std::int64_t id : t.suppressTokens)
            if (id >= 0 && static_cast<std::size_t>(id) < vocab) logits[static_cast<std::size_t>(id)] = kNegInf;
    if (!options.withoutTimestamps) applyTimestampRules(logits, tokens, sampleBegin, t, maxInitialIndex);
}

double noSpeechProbability(const std::vector<float>& sotRow, const WhisperTokens& t) {
    return std::exp(
        static_cast<double>(logProbability(sotRow, static_cast<std::size_t>(t.noSpeech), logSumExp(sotRow))));
}

void finishResult(WhisperDecodingResult& result, const WhisperTokens& t, const text::Tokenizer* tokenizer,
                  double sumLogprob) {
    result.avgLogprob = sumLogprob / static_cast<double>(result.tokens.size() + 1);
    if (tokenizer) {
        std::vector<text::TokenId> textIds;
        for (const std::int64_t id : result.tokens)
            if (id < t.timestampBegin) textIds.push_back(static_cast<text::TokenId>(id));
        result.text = stripPythonWhitespace(tokenizer->decode(textIds, false));
        result.compressionRatio = compressionRatio(result.text);
    }
}

// Categorical(logits=logits / temperature).sample() with our own RNG (not torch's stream).
std::int64_t sampleToken(const std::vector<float>& logits, double temperature, std::mt19937_64& rng) {
    const float maxValue = *std::max_element(logits.begin(), logits.end());
    std::vector<double> weights(logits.size());
    double sum = 0;
    for (std::size_t i = 0; i < logits.size(); ++i) {
        weights[i] = logits[i] == kNegInf ? 0.0 : std::exp((static_cast<double>(logits[i]) - maxValue) / temperature);
        sum += weights[i];
    }
    const double u = std::uniform_real_distribution<double>(0.0, sum)(rng);
    double acc = 0;
    std::int64_t last = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] <= 0) continue;
        acc += weights[i];
        last = static_cast<std::int64_t>(i);
        if (u < acc) return last;
    }
    return last;
}

// openai's BeamSearchDecoder (+ MaximumLikelihoodRanker with length_penalty None) for one audio.
WhisperDecodingResult decodeBeamSearch(const WhisperModel& model, const WhisperTokens& t,
                                       const text::Tokenizer* tokenizer, const std::vector<float>& encoderOut,
                                       const WhisperDecodingOptions& options) {
    const WhisperConfig& config = model.config();
    const int nCtx = config.maxTargetPositions;
    const int sampleLen = options.sampleLen > 0 ? options.sampleLen : nCtx / 2;
    const std::size_t vocab = static_cast<std::size_t>(config.vocabSize);
    const int beam = options.beamSize;
    const auto maxCandidates =
        static_cast<std::size_t>(std::max(1.0, std::nearbyint(beam * (options.patience > 0 ? options.patience : 1.0))));

    WhisperDecodingResult result;
    std::size_t sotIndex = 0;
    const std::vector<std::int64_t> initial = initialTokens(model, t, encoderOut, options, result, sotIndex);
    const std::size_t sampleBegin = initial.size();
    const int maxInitialIndex = maxInitialIndexOf(options);

    std::vector<std::vector<std::int64_t>> sequences(static_cast<std::size_t>(beam), initial);
    std::vector<float> sumLogprobs(static_cast<std::size_t>(beam), 0.0f);  // a float32 tensor in openai
    std::vector<std::pair<std::vector<std::int64_t>, double>> finished;    // insertion-ordered, as a dict

    WhisperModel::Session session = model.startSession(encoderOut, beam);
    for (int step = 0; step < sampleLen; ++step) {
        std::vector<std::int64_t> feed;
        if (step == 0) {
            for (const auto& s : sequences) feed.insert(feed.end(), s.begin(), s.end());
        } else {
            for (const auto& s : sequences) feed.push_back(s.back());
        }
        const std::vector<float> rows =
            session.stepLast(feed, step == 0 && t.noSpeech >= 0 ? static_cast<std::int64_t>(sotIndex) : -1);
        ++result.steps;
        if (step == 0 && t.noSpeech >= 0)
            result.noSpeechProb = noSpeechProbability(
                std::vector<float>(rows.begin() + static_cast<std::ptrdiff_t>(beam * vocab), rows.end()), t);

        // STEP 1: candidates = every beam's top beam+1 tokens with the cumulative log-probability.
        struct Candidate {
            std::vector<std::int64_t> sequence;
            double score;
            std::int64_t source;
        };
        std::vector<Candidate> candidates;
        for (int j = 0; j < beam; ++j) {
            std::vector<float> logits(rows.begin() + static_cast<std::ptrdiff_t>(j * vocab),
                                      rows.begin() + static_cast<std::ptrdiff_t>((j + 1) * vocab));
            applyLogitFilters(logits, sequences[static_cast<std::size_t>(j)], sampleBegin, t, options, maxInitialIndex);
            const std::vector<float> logprobs = logSoftmax(logits);
            std::vector<std::int64_t> order(vocab);
            for (std::size_t k = 0; k < vocab; ++k) order[k] = static_cast<std::int64_t>(k);
            std::partial_sort(order.begin(), order.begin() + beam + 1, order.end(),
                              [&](std::int64_t a, std::int64_t b) {
                                  return logprobs[a] > logprobs[b] || (logprobs[a] == logprobs[b] && a < b);
                              });
            for (int k = 0; k <= beam; ++k) {
                const std::int64_t token = order[static_cast<std::size_t>(k)];
                const float score =
                    sumLogprobs[static_cast<std::size_t>(j)] + logprobs[static_cast<std::size_t>(token)];
                std::vector<std::int64_t> sequence = sequences[static_cast<std::size_t>(j)];
                sequence.push_back(token);
                // A Python dict keyed by the sequence: identical beams (the first step) collapse, the later
                // source wins, the first insertion keeps its place.
                auto same = std::find_if(candidates.begin(), candidates.end(),
                                         [&](const Candidate& c) { return c.sequence == sequence; });
                if (same != candidates.end()) {
                    same->score = score;
                    same->source = j;
                } else {
                    candidates.push_back({std::move(sequence), score, j});
                }
            }
        }
        // STEP 2: keep the best beam_size unfinished sequences; finished ones become candidates.
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
        std::vector<std::vector<std::int64_t>> nextSequences;
        std::vector<float> nextSums;
        std::vector<std::int64_t> sources;
        std::vector<std::pair<std::vector<std::int64_t>, double>> newlyFinished;
        for (Candidate& c : candidates) {
            if (c.sequence.back() == t.eot) {
                newlyFinished.emplace_back(std::move(c.sequence), c.score);
            } else {
                nextSums.push_back(static_cast<float>(c.score));
                sources.push_back(c.source);
                nextSequences.push_back(std::move(c.sequence));
                if (static_cast<int>(nextSequences.size()) == beam) break;
            }
        }
        if (static_cast<int>(nextSequences.size()) != beam)
            throw Error("whisper", "Beam search ran out of candidates; use a smaller beam size.");
        session.reorder(sources);
        sequences = std::move(nextSequences);
        sumLogprobs = std::move(nextSums);
        for (auto& f : newlyFinished) {  // already sorted by score
            if (finished.size() >= maxCandidates) break;
            finished.push_back(std::move(f));
        }
        if (finished.size() >= maxCandidates || static_cast<int>(sequences.front().size()) > nCtx) break;
    }

    // finalize: not enough finished candidates -> the best unfinished ones, ended with <|endoftext|>.
    if (finished.size() < static_cast<std::size_t>(beam)) {
        std::vector<std::size_t> order(sequences.size());
        for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return sumLogprobs[a] < sumLogprobs[b]; });
        for (auto it = order.rbegin(); it != order.rend(); ++it) {
            std::vector<std::int64_t> sequence = sequences[*it];
            sequence.push_back(t.eot);
            auto same =
                std::find_if(finished.begin(), finished.end(), [&](const auto& f) { return f.first == sequence; });
            if (same != finished.end())
                same->second = sumLogprobs[*it];
            else
                finished.emplace_back(std::move(sequence), sumLogprobs[*it]);
            if (finished.size() >= static_cast<std::size_t>(beam)) break;
        }
    }

    // MaximumLikelihoodRanker, length_penalty None: sum logprob / length, first maximum.
    std::size_t best = 0;
    double bestScore = -std::numeric_limits<double>::infinity();
    std::vector<std::vector<std::int64_t>> texts;
    for (std::size_t k = 0; k < finished.size(); ++k) {
        const auto& sequence = finished[k].first;
        auto begin = sequence.begin() + static_cast<std::ptrdiff_t>(sampleBegin);
        auto eot = std::find(begin, sequence.end(), t.eot);
        texts.emplace_back(begin, eot);
        const double length = static_cast<double>(texts.back().size());
        const double score = length > 0 ? finished[k].second / length : finished[k].second;
        if (k == 0 || score > bestScore) {
            bestScore = score;
            best = k;
        }
    }
    result.tokens = texts[best];
    result.temperature = 0.0;
    finishResult(result, t, tokenizer, finished[best].second);
    return result;
}

}  // namespace

namespace {

// One sequence of greedy / sampled decoding: its tokens, filters and running log-probability. decodeGreedy()
// and decodeWindows() drive the same stepper, so a batched row decides exactly as a single decode does.
class GreedySequence {
public:
    GreedySequence(const WhisperModel& model, const WhisperTokens& t, const std::vector<float>& encoderOut,
                   const WhisperDecodingOptions& options)
        : m_t(t), m_options(options), m_rng(options.seed) {
        m_nCtx = model.config().maxTargetPositions;
        m_sampleLen = options.sampleLen > 0 ? options.sampleLen : m_nCtx / 2;
        m_tokens = initialTokens(model, t, encoderOut, options, m_result, m_sotIndex);
        m_sampleBegin = m_tokens.size();
        m_maxInitialIndex = maxInitialIndexOf(options);
        m_result.temperature = options.temperature;
    }

    /// What the next decoder call feeds: the initial tokens, then the last sampled one.
    std::vector<std::int64_t> feed() const {
        return m_steps == 0 ? m_tokens : std::vector<std::int64_t>{m_tokens.back()};
    }
    /// Position of <|startoftranscript|> among the first feed (its logits give the no-speech probability).
    std::size_t sotIndex() const { return m_sotIndex; }
    bool done() const { return m_done; }

    /// Takes the logits of the last fed token (and, at the first step, the <|startoftranscript|> row);
    /// chooses the next token.
    void advance(std::vector<float> logits, const std::vector<float>* sotRow) {
        ++m_result.steps;
        if (m_steps++ == 0 && sotRow && m_t.noSpeech >= 0) m_result.noSpeechProb = noSpeechProbability(*sotRow, m_t);
        applyLogitFilters(logits, m_tokens, m_sampleBegin, m_t, m_options, m_maxInitialIndex);
        // Greedy: the first maximum (torch.argmax); sampling: softmax(logits / T). Log-probability in float32.
        const auto best = std::max_element(logits.begin(), logits.end());
        const auto argmax = static_cast<std::int64_t>(best - logits.begin());
        float second = kNegInf;
        for (std::size_t k = 0; k < logits.size(); ++k)
            if (static_cast<std::int64_t>(k) != argmax) second = std::max(second, logits[k]);
        m_result.margins.push_back(static_cast<double>(*best) - second);
        const std::int64_t next =
            m_options.temperature > 0 ? sampleToken(logits, m_options.temperature, m_rng) : argmax;
        m_sumLogprob += logProbability(logits, static_cast<std::size_t>(next), logSumExp(logits));
        m_tokens.push_back(next);
        if (next == m_t.eot || static_cast<int>(m_tokens.size()) > m_nCtx || m_steps >= m_sampleLen) m_done = true;
    }

    WhisperDecodingResult finish(const text::Tokenizer* tokenizer) {
        m_result.tokens.assign(m_tokens.begin() + static_cast<std::ptrdiff_t>(m_sampleBegin), m_tokens.end());
        if (const auto eot = std::find(m_result.tokens.begin(), m_result.tokens.end(), m_t.eot);
            eot != m_result.tokens.end())
            m_result.tokens.erase(eot, m_result.tokens.end());
        finishResult(m_result, m_t, tokenizer, static_cast<double>(m_sumLogprob));
        return std::move(m_result);
    }

private:
    const WhisperTokens& m_t;
    WhisperDecodingOptions m_options;
    WhisperDecodingResult m_result;
    std::vector<std::int64_t> m_tokens;
    std::size_t m_sotIndex = 0;
    std::size_t m_sampleBegin = 0;
    int m_nCtx = 448;
    int m_sampleLen = 224;
    int m_maxInitialIndex = -1;
    int m_steps = 0;
    bool m_done = false;
    float m_sumLogprob = 0;  // openai accumulates in a float32 tensor
    std::mt19937_64 m_rng;
};

// The windows decodeWindow() sends to decodeGreedy(): greedy, or sampling with a single candidate.
bool isGreedy(const WhisperDecodingOptions& options) {
    return options.temperature <= 0 ? options.beamSize <= 0 : options.bestOf <= 1;
}

}  // namespace

WhisperDecodingResult decodeGreedy(const WhisperModel& model, const WhisperTokens& t, const text::Tokenizer* tokenizer,
                                   const std::vector<float>& encoderOut, const WhisperDecodingOptions& options) {
    GreedySequence sequence(model, t, encoderOut, options);
    const std::size_t vocab = static_cast<std::size_t>(model.config().vocabSize);
    WhisperModel::Session session = model.startSession(encoderOut);
    for (bool first = true; !sequence.done(); first = false) {
        const std::vector<float> rows = session.step(sequence.feed());
        std::vector<float> sotRow;
        if (first) {
            const auto at = rows.begin() + static_cast<std::ptrdiff_t>(sequence.sotIndex() * vocab);
            sotRow.assign(at, at + static_cast<std::ptrdiff_t>(vocab));
        }
        sequence.advance(std::vector<float>(rows.end() - static_cast<std::ptrdiff_t>(vocab), rows.end()),
                         sotRow.empty() ? nullptr : &sotRow);
    }
    return sequence.finish(tokenizer);
}

std::vector<WhisperDecodingResult> decodeWindows(const WhisperModel& model, const WhisperTokens& t,
                                                 const text::Tokenizer* tokenizer,
                                                 const std::vector<const std::vector<float>*>& encoderOuts,
                                                 const std::vector<WhisperDecodingOptions>& options) {
    if (encoderOuts.size() != options.size())
        throw Error("whisper", "decodeWindows() needs one set of decoding options per window.");
    std::vector<WhisperDecodingResult> results(encoderOuts.size());
    std::vector<std::size_t> greedy;
    for (std::size_t i = 0; i < encoderOuts.size(); ++i) {
        if (isGreedy(options[i]))
            greedy.push_back(i);
        else
            results[i] = decodeWindow(model, t, tokenizer, *encoderOuts[i], options[i]);
    }
    if (greedy.size() == 1)
        results[greedy.front()] =
            decodeGreedy(model, t, tokenizer, *encoderOuts[greedy.front()], options[greedy.front()]);
    if (greedy.size() <= 1) return results;

    const std::size_t vocab = static_cast<std::size_t>(model.config().vocabSize);
    std::vector<GreedySequence> sequences;
    std::vector<const std::vector<float>*> features;
    sequences.reserve(greedy.size());
    for (const std::size_t i : greedy) {
        sequences.emplace_back(model, t, *encoderOuts[i], options[i]);
        features.push_back(encoderOuts[i]);
    }
    WhisperModel::Session session = model.startSession(features);
    std::vector<std::size_t> active(sequences.size());  // sequences still decoding, in session row order
    for (std::size_t k = 0; k < active.size(); ++k) active[k] = k;
    bool first = true;
    while (!active.empty()) {
        std::vector<std::vector<std::int64_t>> feed;
        std::vector<std::int64_t> extra;
        for (const std::size_t k : active) {
            feed.push_back(sequences[k].feed());
            extra.push_back(first && t.noSpeech >= 0 ? static_cast<std::int64_t>(sequences[k].sotIndex()) : -1);
        }
        const std::vector<float> rows = session.stepRows(feed, extra);
        const auto row = [&](std::size_t index) {
            const auto at = rows.begin() + static_cast<std::ptrdiff_t>(index * vocab);
            return std::vector<float>(at, at + static_cast<std::ptrdiff_t>(vocab));
        };
        std::vector<std::int64_t> keep;
        std::size_t extraIndex = active.size();  // the no-speech rows follow the last-token rows
        for (std::size_t r = 0; r < active.size(); ++r) {
            const std::vector<float> sotRow = extra[r] >= 0 ? row(extraIndex++) : std::vector<float>();
            GreedySequence& sequence = sequences[active[r]];
            sequence.advance(row(r), sotRow.empty() ? nullptr : &sotRow);
            if (!sequence.done()) keep.push_back(static_cast<std::int64_t>(r));
        }
        if (keep.size() != active.size()) {
            std::vector<std::size_t> still;
            for (const std::int64_t r : keep) still.push_back(active[static_cast<std::size_t>(r)]);
            active = std::move(still);
            if (!active.empty()) session.keep(keep);
        }
        first = false;
    }
    for (std::size_t k = 0; k < greedy.size(); ++k) results[greedy[k]] = sequences[k].finish(tokenizer);
    return results;
}

WhisperDecodingResult decodeWindow(const WhisperModel& model, const WhisperTokens& t, const text::Tokenizer* tokenizer,
                                   const std::vector<float>& encoderOut, const WhisperDecodingOptions& options) {
    if (options.temperature <= 0 && options.beamSize > 0)
        return decodeBeamSearch(model, t, tokenizer, encoderOut, options);
    if (options.temperature <= 0 || options.bestOf <= 1) return decodeGreedy(model, t, tokenizer, encoderOut, options);
    // best_of samples (openai samples them as one batch; independent runs have the same distribution).
    WhisperDecodingResult best;
    double bestScore = 0;
    int steps = 0;
    for (int k = 0; k < options.bestOf; ++k) {
        WhisperDecodingOptions one = options;
        one.seed = options.seed + static_cast<std::uint64_t>(k) * 0x9e3779b97f4a7c15ULL;
        WhisperDecodingResult r = decodeGreedy(model, t, tokenizer, encoderOut, one);
        steps += r.steps;
        const double sum = r.avgLogprob * static_cast<double>(r.tokens.size() + 1);
        const double score = r.tokens.empty() ? sum : sum / static_cast<double>(r.tokens.size());
        if (k == 0 || score > bestScore) {
            bestScore = score;
            best = std::move(r);
        }
    }
    best.steps = steps;
    return best;
}

}  // namespace benchtop::audio
