#include "core/serve/openai_api.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "core/audio/transcript_writer.h"
#include "core/serve/embedding_batcher.h"

namespace benchtop::serve {

HttpError::HttpError(int status, const std::string& message, std::string code, std::string param)
    : std::runtime_error(message), m_status(status), m_code(std::move(code)), m_param(std::move(param)) {}

std::string HttpError::type() const {
    switch (m_status) {
        case 401:
            return "authentication_error";
        case 404:
        case 400:
        case 413:
        case 415:
            return "invalid_request_error";
        case 429:
            return "rate_limit_error";
        case 503:
            return "service_unavailable";
        default:
            return m_status >= 500 ? "server_error" : "invalid_request_error";
    }
}

std::string errorBody(const HttpError& error) {
    nlohmann::json body;
    body["error"] = {{"message", error.what()},
                     {"type", error.type()},
                     {"param", error.param().empty() ? nlohmann::json() : nlohmann::json(error.param())},
                     {"code", error.code().empty() ? nlohmann::json() : nlohmann::json(error.code())}};
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string base64Encode(const void* data, std::size_t size) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto* bytes = static_cast<const unsigned char*>(data);
    std::string out;
    out.reserve((size + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < size; i += 3) {
        const std::uint32_t v = (std::uint32_t(bytes[i]) << 16) | (std::uint32_t(bytes[i + 1]) << 8) | bytes[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (i < size) {
        std::uint32_t v = std::uint32_t(bytes[i]) << 16;
        if (i + 1 < size) v |= std::uint32_t(bytes[i + 1]) << 8;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += i + 1 < size ? kAlphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

namespace {

bool boolField(const nlohmann::json& body, const char* key, bool fallback) {
    const auto it = body.find(key);
    if (it == body.end() || it->is_null()) return fallback;
    if (!it->is_boolean()) throw HttpError(400, std::string("'") + key + "' must be true or false.", {}, key);
    return it->get<bool>();
}

}  // namespace

EmbeddingsCall parseEmbeddingsCall(const std::string& text, std::size_t maxInputs) {
    nlohmann::json body;
    try {
        body = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw HttpError(400, std::string("The request body is not valid JSON: ") + e.what());
    }
    if (!body.is_object()) throw HttpError(400, "The request body must be a JSON object.");
    EmbeddingsCall call;
    const auto input = body.find("input");
    if (input == body.end() || input->is_null())
        throw HttpError(400, "'input' is required: a string or a list of strings.", {}, "input");
    if (input->is_string()) {
        call.texts.push_back(input->get<std::string>());
    } else if (input->is_array()) {
        if (input->empty()) throw HttpError(400, "'input' is an empty list: give at least one text.", {}, "input");
        for (std::size_t i = 0; i < input->size(); ++i) {
            const auto& item = (*input)[i];
            if (!item.is_string())
                throw HttpError(400,
                                "'input[" + std::to_string(i) +
                                    "]' is not a string: this server embeds text (token "
                                    "id arrays are not accepted).",
                                {}, "input");
            call.texts.push_back(item.get<std::string>());
        }
    } else {
        throw HttpError(400, "'input' must be a string or a list of strings.", {}, "input");
    }
    if (call.texts.size() > maxInputs)
        throw HttpError(400,
                        "'input' has " + std::to_string(call.texts.size()) + " texts; at most " +
                            std::to_string(maxInputs) + " are accepted in one request.",
                        {}, "input");
    for (std::size_t i = 0; i < call.texts.size(); ++i)
        if (call.texts[i].empty())
            throw HttpError(400, "'input[" + std::to_string(i) + "]' is an empty string.", {}, "input");
    if (const auto model = body.find("model"); model != body.end() && !model->is_null()) {
        if (!model->is_string()) throw HttpError(400, "'model' must be a string.", {}, "model");
        call.model = model->get<std::string>();
    }
    if (const auto format = body.find("encoding_format"); format != body.end() && !format->is_null()) {
        const std::string f = format->is_string() ? format->get<std::string>() : std::string("?");
        if (f == "base64")
            call.base64 = true;
        else if (f != "float")
            throw HttpError(400, "'encoding_format' must be \"float\" or \"base64\".", {}, "encoding_format");
    }
    if (const auto dims = body.find("dimensions"); dims != body.end() && !dims->is_null())
        throw HttpError(400, "'dimensions' is not supported: the model's embeddings have a fixed size.", {},
                        "dimensions");
    call.dense = boolField(body, "return_dense", true);
    call.sparse = boolField(body, "return_sparse", false);
    call.colbert = boolField(body, "return_colbert_vecs", false);
    if (!call.dense && !call.sparse && !call.colbert)
        throw HttpError(400, "Nothing to return: return_dense, return_sparse and return_colbert_vecs are all false.");
    return call;
}

std::string embeddingsResponse(const EmbeddingsCall& call, const EmbeddingRequest& result, std::size_t dimension,
                               std::size_t colbertDimension, const std::string& modelId, std::int64_t promptTokens) {
    using Json = nlohmann::ordered_json;
    Json data = Json::array();
    for (std::size_t i = 0; i < call.texts.size(); ++i) {
        Json item = {{"object", "embedding"}, {"index", i}};
        if (call.dense) {
            const float* row = result.dense.data() + i * dimension;
            if (call.base64)
                item["embedding"] = base64Encode(row, dimension * sizeof(float));
            else
                item["embedding"] = std::vector<float>(row, row + dimension);
        }
        if (call.sparse) {
            // FlagEmbedding's lexical_weights: token ids as strings, in order of first occurrence.
            Json weights = Json::object();
            for (const auto& [id, w] : result.sparse[i]) weights[std::to_string(id)] = w;
            item["sparse"] = std::move(weights);
        }
        if (call.colbert) {
            const std::vector<float>& v = result.colbert[i];
            if (call.base64) {
                item["colbert"] = base64Encode(v.data(), v.size() * sizeof(float));
                item["colbert_shape"] = {colbertDimension ? v.size() / colbertDimension : 0, colbertDimension};
            } else {
                Json rows = Json::array();
                for (std::size_t r = 0; colbertDimension && r < v.size() / colbertDimension; ++r)
                    rows.push_back(
                        std::vector<float>(v.begin() + static_cast<std::ptrdiff_t>(r * colbertDimension),
                                           v.begin() + static_cast<std::ptrdiff_t>((r + 1) * colbertDimension)));
                item["colbert"] = std::move(rows);
            }
        }
        data.push_back(std::move(item));
    }
    Json body = {{"object", "list"},
                 {"data", std::move(data)},
                 {"model", modelId},
                 {"usage", {{"prompt_tokens", promptTokens}, {"total_tokens", promptTokens}}}};
    return body.dump();
}

TranscriptFormat parseTranscriptFormat(const std::string& text) {
    if (text.empty() || text == "json") return TranscriptFormat::Json;
    if (text == "text") return TranscriptFormat::Text;
    if (text == "srt") return TranscriptFormat::Srt;
    if (text == "vtt") return TranscriptFormat::Vtt;
    if (text == "verbose_json") return TranscriptFormat::VerboseJson;
    throw HttpError(400, "'response_format' must be json, text, srt, vtt or verbose_json (not '" + text + "').", {},
                    "response_format");
}

std::string transcriptionResponse(const audio::Transcript& transcript, TranscriptFormat format, const std::string& task,
                                  bool segments, bool words, std::string* contentType) {
    *contentType = "text/plain; charset=utf-8";
    switch (format) {
        case TranscriptFormat::Text:
            return transcript.text + "\n";
        case TranscriptFormat::Srt:
            return audio::toSrt(transcript);
        case TranscriptFormat::Vtt:
            *contentType = "text/vtt; charset=utf-8";
            return audio::toVtt(transcript);
        case TranscriptFormat::Json:
            *contentType = "application/json";
            return nlohmann::json({{"text", transcript.text}})
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        case TranscriptFormat::VerboseJson:
            break;
    }
    *contentType = "application/json";
    nlohmann::ordered_json body = {{"task", task},
                                   {"language", transcript.language},
                                   {"duration", transcript.duration},
                                   {"text", transcript.text}};
    if (segments) {
        // openai's segment fields, as the CLI writes them in <stem>.json; OpenAI's API lists words apart.
        nlohmann::ordered_json list = nlohmann::ordered_json::parse(audio::toJson(transcript))["segments"];
        for (auto& segment : list) segment.erase("words");
        body["segments"] = std::move(list);
    }
    if (words) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& s : transcript.segments)
            for (const auto& w : s.words)
                list.push_back({{"word", w.word}, {"start", w.start}, {"end", w.end}, {"probability", w.probability}});
        body["words"] = std::move(list);
    }
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace benchtop::serve
