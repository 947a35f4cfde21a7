#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/audio/whisper_transcriber.h"

namespace benchtop::serve {

struct EmbeddingRequest;

/// A request the server answers with an error status and OpenAI's error body.
class HttpError : public std::runtime_error {
public:
    HttpError(int status, const std::string& message, std::string code = {}, std::string param = {});
    int status() const { return m_status; }
    /// OpenAI's error type for the status ("invalid_request_error", "rate_limit_error", "server_error", ...).
    std::string type() const;
    const std::string& code() const { return m_code; }
    const std::string& param() const { return m_param; }

private:
    int m_status;
    std::string m_code;
    std::string m_param;
};

/// {"error": {"message", "type", "param", "code"}} as the OpenAI API answers errors.
std::string errorBody(const HttpError& error);

/// Standard base64 with padding.
std::string base64Encode(const void* data, std::size_t size);

/// A parsed /v1/embeddings body (OpenAI shape) with Benchtop's BGE-M3 extension fields.
struct EmbeddingsCall {
    std::vector<std::string> texts;  ///< `input`: one string or a list of strings
    std::string model;
    bool base64 = false;   ///< encoding_format "base64" (little-endian float32), else "float"
    bool dense = true;     ///< return_dense (extension; default true)
    bool sparse = false;   ///< return_sparse: BGE-M3 lexical weights {"token id": weight}
    bool colbert = false;  ///< return_colbert_vecs: BGE-M3 multi-vectors, one per token after CLS
};
/// Parses a request body; throws HttpError 400 naming the field when it is not what OpenAI accepts (token-id
/// arrays are refused: this server takes text), or when there are more than `maxInputs` texts.
EmbeddingsCall parseEmbeddingsCall(const std::string& body, std::size_t maxInputs);

/// The response body: {"object": "list", "data": [{"object": "embedding", "index", "embedding"(, "sparse",
/// "colbert")}], "model", "usage": {"prompt_tokens", "total_tokens"}}.
std::string embeddingsResponse(const EmbeddingsCall& call, const EmbeddingRequest& result, std::size_t dimension,
                               std::size_t colbertDimension, const std::string& modelId, std::int64_t promptTokens);

/// The transcription response formats of the OpenAI API.
enum class TranscriptFormat { Json, Text, Srt, Vtt, VerboseJson };
/// Parses response_format ("json" when empty); throws HttpError 400 otherwise.
TranscriptFormat parseTranscriptFormat(const std::string& text);
/// The body of a transcription in `format`; `contentType` receives its MIME type. verbose_json carries `task`,
/// `language`, `duration`, `text`, `segments` (unless only word granularity was asked) and `words` (word
/// granularity).
std::string transcriptionResponse(const audio::Transcript& transcript, TranscriptFormat format, const std::string& task,
                                  bool segments, bool words, std::string* contentType);

}  // namespace benchtop::serve
