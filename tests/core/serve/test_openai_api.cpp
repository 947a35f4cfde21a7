// The request parsing and response shapes of the OpenAI-compatible endpoints, and the Prometheus rendering.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/serve/embedding_batcher.h"
#include "core/serve/openai_api.h"
#include "core/serve/serve_metrics.h"

using namespace benchtop;
using Catch::Matchers::ContainsSubstring;

namespace {
int statusOf(const std::string& body, std::size_t maxInputs = 2048) {
    try {
        serve::parseEmbeddingsCall(body, maxInputs);
    } catch (const serve::HttpError& e) {
        return e.status();
    }
    return 200;
}
}  // namespace

TEST_CASE("base64 follows RFC 4648", "[serve]") {
    CHECK(serve::base64Encode("", 0).empty());
    CHECK(serve::base64Encode("f", 1) == "Zg==");
    CHECK(serve::base64Encode("fo", 2) == "Zm8=");
    CHECK(serve::base64Encode("foo", 3) == "Zm9v");
    CHECK(serve::base64Encode("foob", 4) == "Zm9vYg==");
    CHECK(serve::base64Encode("foobar", 6) == "Zm9vYmFy");
    const float one = 1.0f;  // 00 00 80 3f little-endian
    CHECK(serve::base64Encode(&one, 4) == "AACAPw==");
}

TEST_CASE("embedding requests are parsed as the OpenAI API takes them", "[serve]") {
    auto call = serve::parseEmbeddingsCall(R"({"input":"one","model":"m"})", 2048);
    CHECK(call.texts == std::vector<std::string>{"one"});
    CHECK(call.model == "m");
    CHECK_FALSE(call.base64);
    CHECK(call.dense);
    call = serve::parseEmbeddingsCall(
        R"({"input":["a","b"],"encoding_format":"base64","return_sparse":true,"return_dense":false,"user":"x"})", 2048);
    CHECK(call.texts.size() == 2);
    CHECK(call.base64);
    CHECK(call.sparse);
    CHECK_FALSE(call.dense);
    CHECK(statusOf("[1,2]") == 400);
    CHECK(statusOf(R"({"input":null})") == 400);
    CHECK(statusOf(R"({"input":5})") == 400);
    CHECK(statusOf(R"({"input":"a","model":3})") == 400);
    CHECK(statusOf(R"({"input":"a","return_sparse":"yes"})") == 400);
    CHECK(statusOf(R"({"input":"a","return_dense":false})") == 400);
    CHECK(statusOf(R"({"input":["a","b","c"]})", 2) == 400);
    CHECK(statusOf(R"({"input":["a","b"]})", 2) == 200);
}

TEST_CASE("embedding responses carry data, model and usage", "[serve]") {
    serve::EmbeddingsCall call;
    call.texts = {"x", "y"};
    serve::EmbeddingRequest result;
    result.dense = {1.0f, 0.5f, -2.0f, 0.0f};
    const auto body = nlohmann::json::parse(serve::embeddingsResponse(call, result, 2, 0, "tiny", 7));
    CHECK(body["object"] == "list");
    CHECK(body["model"] == "tiny");
    CHECK(body["usage"]["prompt_tokens"] == 7);
    CHECK(body["data"][1]["embedding"] == nlohmann::json{-2.0, 0.0});
    CHECK(body["data"][1]["index"] == 1);
    call.base64 = true;
    const auto b64 = nlohmann::json::parse(serve::embeddingsResponse(call, result, 2, 0, "tiny", 7));
    CHECK(b64["data"][0]["embedding"] == serve::base64Encode(result.dense.data(), 8));
}

TEST_CASE("transcription formats are OpenAI's", "[serve]") {
    audio::Transcript t;
    t.text = " Hello world.";
    t.language = "en";
    t.duration = 2.5;
    audio::TranscriptSegment s;
    s.text = " Hello world.";
    s.start = 0;
    s.end = 2.5;
    s.tokens = {50365, 2425, 1002, 13, 50490};
    s.words = {{" Hello", 0.0, 1.0, 0.9}, {" world.", 1.0, 2.5, 0.8}};
    t.segments = {s};
    std::string type;
    CHECK(serve::transcriptionResponse(t, serve::TranscriptFormat::Json, "transcribe", true, false, &type) ==
          R"({"text":" Hello world."})");
    CHECK(type == "application/json");
    CHECK(serve::transcriptionResponse(t, serve::TranscriptFormat::Text, "transcribe", true, false, &type) ==
          " Hello world.\n");
    CHECK(serve::transcriptionResponse(t, serve::TranscriptFormat::Srt, "transcribe", true, false, &type) ==
          "1\n00:00:00,000 --> 00:00:02,500\nHello world.\n\n");
    const auto verbose = nlohmann::json::parse(
        serve::transcriptionResponse(t, serve::TranscriptFormat::VerboseJson, "translate", false, true, &type));
    CHECK(verbose["task"] == "translate");
    CHECK(verbose["duration"] == 2.5);
    CHECK_FALSE(verbose.contains("segments"));  // only words were asked for
    CHECK(verbose["words"][1]["word"] == " world.");
    CHECK(verbose["words"][1]["end"] == 2.5);
    CHECK(serve::parseTranscriptFormat("") == serve::TranscriptFormat::Json);
    CHECK_THROWS_AS(serve::parseTranscriptFormat("mp3"), serve::HttpError);
}

TEST_CASE("metrics render in the Prometheus text format", "[serve]") {
    serve::Histogram h({1, 5});
    h.observe(0.5);
    h.observe(3);
    h.observe(9);
    std::string out;
    h.render(out, "x", "a=\"b\"");
    CHECK(out ==
          "x_bucket{a=\"b\",le=\"1\"} 1\nx_bucket{a=\"b\",le=\"5\"} 2\nx_bucket{a=\"b\",le=\"+Inf\"} 3\n"
          "x_sum{a=\"b\"} 12.5\nx_count{a=\"b\"} 3\n");
    serve::ServeMetrics m;
    m.requestFinished("/v1/embeddings", 200, 0.01);
    m.requestFinished("/v1/embeddings", 429, 0.001);
    m.embeddingBatch(4, 30, 40, 0.5);
    const std::string text = m.prometheus({});
    CHECK_THAT(text, ContainsSubstring("benchtop_requests_total{endpoint=\"/v1/embeddings\",code=\"429\"} 1\n"));
    CHECK_THAT(text, ContainsSubstring("benchtop_requests_rejected_busy_total 1\n"));
    CHECK_THAT(text, ContainsSubstring("benchtop_embedding_padding_efficiency 0.75\n"));
    CHECK_THAT(text, ContainsSubstring("benchtop_embedding_tokens_per_second 60\n"));
    CHECK_THAT(text, ContainsSubstring("# TYPE benchtop_request_duration_seconds histogram\n"));
    CHECK(m.counters().paddingEfficiency() == 0.75);
}
