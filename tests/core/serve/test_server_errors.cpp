// Bad requests, authentication, back-pressure, clients that hang up, and shutdown.
#include <chrono>
#include <fstream>
#include <future>
#include <thread>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "tests/core/serve/serve_test_support.h"

using namespace benchtop;
using benchtop::test::sharedPath;
using benchtop::test::TempDir;
using benchtop::test::TestServer;
using Catch::Matchers::ContainsSubstring;

namespace {

/// Status and OpenAI error message of a response (fails the test when it has no JSON error body).
struct ErrorAnswer {
    int status = 0;
    std::string message;
    std::string type;
    nlohmann::json param;
    nlohmann::json code;
};

ErrorAnswer errorOf(const httplib::Result& res) {
    REQUIRE(res);
    INFO(res->body);
    const auto body = nlohmann::json::parse(res->body);
    REQUIRE(body.contains("error"));
    CHECK(res->get_header_value("Content-Type") == "application/json");
    return {res->status, body["error"]["message"].get<std::string>(), body["error"]["type"].get<std::string>(),
            body["error"]["param"], body["error"]["code"]};
}

httplib::Result postEmbeddings(httplib::Client& client, const std::string& body,
                               const std::string& type = "application/json") {
    return client.Post("/v1/embeddings", body, type.c_str());
}

}  // namespace

TEST_CASE("malformed embedding requests get 400/404/415 with OpenAI's error body", "[serve][errors]") {
    serve::ServeOptions options = test::textServer();
    options.maxInputs = 3;
    TestServer server(options);
    auto client = server.client();

    auto e = errorOf(postEmbeddings(client, R"({"input":"hi"})", "text/plain"));
    CHECK(e.status == 415);
    CHECK_THAT(e.message, ContainsSubstring("application/json"));

    e = errorOf(postEmbeddings(client, R"({"input": "hi")"));
    CHECK(e.status == 400);
    CHECK(e.type == "invalid_request_error");
    CHECK_THAT(e.message, ContainsSubstring("not valid JSON"));

    e = errorOf(postEmbeddings(client, R"({"model":"tiny-bert-mean"})"));
    CHECK(e.status == 400);
    CHECK(e.param == "input");

    CHECK(errorOf(postEmbeddings(client, R"({"input":[]})")).status == 400);
    e = errorOf(postEmbeddings(client, R"({"input":[[101, 2023]]})"));
    CHECK(e.status == 400);
    CHECK_THAT(e.message, ContainsSubstring("token id arrays"));
    e = errorOf(postEmbeddings(client, R"({"input":["a",""]})"));
    CHECK(e.status == 400);
    CHECK_THAT(e.message, ContainsSubstring("input[1]"));
    e = errorOf(postEmbeddings(client, R"({"input":["a","b","c","d"]})"));
    CHECK(e.status == 400);
    CHECK_THAT(e.message, ContainsSubstring("at most 3"));
    e = errorOf(postEmbeddings(client, R"({"input":"a","encoding_format":"int8"})"));
    CHECK(e.status == 400);
    CHECK(e.param == "encoding_format");
    e = errorOf(postEmbeddings(client, R"({"input":"a","dimensions":8})"));
    CHECK(e.status == 400);

    e = errorOf(postEmbeddings(client, R"({"input":"a","model":"text-embedding-3-small"})"));
    CHECK(e.status == 404);
    CHECK(e.code == "model_not_found");
    CHECK_THAT(e.message, ContainsSubstring("tiny-bert-mean"));  // says which models are served

    e = errorOf(postEmbeddings(client, R"({"input":"a","return_sparse":true})"));
    CHECK(e.status == 400);
    CHECK_THAT(e.message, ContainsSubstring("sparse_linear.pt"));

    e = errorOf(client.Get("/v1/nothing"));
    CHECK(e.status == 404);
    CHECK_THAT(e.message, ContainsSubstring("/v1/nothing"));

    // No Whisper model served: transcriptions say how to serve one.
    e = errorOf(client.Post("/v1/audio/transcriptions",
                            httplib::MultipartFormDataItems{{"file", "RIFF", "a.wav", "audio/wav"}}));
    CHECK(e.status == 404);
    CHECK_THAT(e.message, ContainsSubstring("--model speech="));

    // The server still answers after all of this.
    auto ok = postEmbeddings(client, R"({"input":"still here"})");
    REQUIRE(ok);
    CHECK(ok->status == 200);
}

TEST_CASE("bad audio and bad matrices get the readers' errors, naming the uploaded file", "[serve][errors]") {
    serve::ServeOptions options;
    options.models.push_back({"speech", sharedPath("models/tiny-whisper-v3")});
    options.clocksDir = sharedPath("clocks");
    TestServer server(options);
    auto client = server.client();

    auto e = errorOf(client.Post("/v1/audio/transcriptions", "{}", "application/json"));
    CHECK(e.status == 415);
    CHECK_THAT(e.message, ContainsSubstring("multipart/form-data"));
    e = errorOf(
        client.Post("/v1/audio/transcriptions", httplib::MultipartFormDataItems{{"model", "whisper-1", "", ""}}));
    CHECK(e.status == 400);
    CHECK(e.param == "file");
    e = errorOf(client.Post("/v1/audio/transcriptions",
                            httplib::MultipartFormDataItems{{"file", "this is not audio at all", "notes.mp3", ""}}));
    CHECK(e.status == 415);
    CHECK_THAT(e.message, ContainsSubstring("notes.mp3"));
    CHECK_THAT(e.message, !ContainsSubstring("benchtop-serve-"));  // not the server's temporary path
    const std::string audio = test::readFile(sharedPath("fixtures/whisper/audio/jfk.flac"));
    e = errorOf(client.Post(
        "/v1/audio/transcriptions",
        httplib::MultipartFormDataItems{{"file", audio, "jfk.flac", ""}, {"response_format", "docx", "", ""}}));
    CHECK(e.status == 400);
    CHECK(e.param == "response_format");
    e = errorOf(client.Post("/v1/audio/transcriptions", httplib::MultipartFormDataItems{{"file", audio, "jfk.flac", ""},
                                                                                        {"language", "xx", "", ""}}));
    CHECK(e.status == 400);
    CHECK_THAT(e.message, ContainsSubstring("xx"));
    e = errorOf(client.Post("/v1/audio/transcriptions", httplib::MultipartFormDataItems{{"file", audio, "jfk.flac", ""},
                                                                                        {"temperature", "7", "", ""}}));
    CHECK(e.status == 400);
    CHECK(e.param == "temperature");
    e = errorOf(
        client.Post("/v1/audio/transcriptions",
                    httplib::MultipartFormDataItems{{"file", audio, "jfk.flac", ""}, {"beam_size", "many", "", ""}}));
    CHECK(e.status == 400);
    CHECK_THAT(e.message, ContainsSubstring("beam-size"));

    // Methylation: the same reader errors as the CLI (see shared/fixtures/methylation/F_malformed).
    const std::string malformed = sharedPath("fixtures/methylation/F_malformed");
    e = errorOf(client.Post("/v1/methylation/predict",
                            httplib::MultipartFormDataItems{
                                {"file", test::readFile(malformed + "/F02_non_numeric_value.csv"), "F02.csv", ""}}));
    CHECK(e.status == 400);
    CHECK_THAT(e.message, ContainsSubstring("F02.csv"));
    CHECK_THAT(e.message, ContainsSubstring("abc"));
    CHECK_THAT(e.message, !ContainsSubstring("benchtop-serve-"));
    e = errorOf(client.Post("/v1/methylation/predict",
                            httplib::MultipartFormDataItems{
                                {"file", test::readFile(malformed + "/F03_beta_out_of_range.csv"), "F03.csv", ""}}));
    CHECK(e.status == 400);
    CHECK_THAT(e.message, ContainsSubstring("F03.csv"));
    e = errorOf(client.Post("/v1/methylation/predict", "ID_REF,S1\ncg1,0.5\n", "text/csv"));
    CHECK(e.status == 415);
    e = errorOf(
        client.Post("/v1/methylation/predict", R"({"betas": {"S1": {"cg00000029": "high"}}})", "application/json"));
    CHECK(e.status == 400);
    CHECK_THAT(e.message, ContainsSubstring("cg00000029"));
    e = errorOf(client.Post("/v1/methylation/predict", R"({"clocks": "all"})", "application/json"));
    CHECK(e.status == 400);
    CHECK(e.param == "betas");
    e = errorOf(client.Post(
        "/v1/methylation/predict",
        httplib::MultipartFormDataItems{{"file", "ID_REF,S1\ncg1,0.5\n", "m.csv", ""}, {"format", "xlsx", "", ""}}));
    CHECK(e.status == 400);
    CHECK(e.param == "format");
}

TEST_CASE("bodies over the limit get 413 with a JSON error", "[serve][errors]") {
    serve::ServeOptions options = test::textServer();
    options.maxBodyBytes = 1000;
    TestServer server(options);
    auto client = server.client();
    const std::string big = nlohmann::json{{"input", std::string(2000, 'a')}}.dump();
    const auto e = errorOf(postEmbeddings(client, big));
    CHECK(e.status == 413);
    CHECK_THAT(e.message, ContainsSubstring("1000 bytes"));
    auto ok = postEmbeddings(client, R"({"input":"small"})");
    REQUIRE(ok);
    CHECK(ok->status == 200);
}

TEST_CASE("an API key is required when one is set; other addresses need one", "[serve][auth]") {
    serve::ServeOptions options = test::textServer();
    options.apiKey = "s3cret-key";
    TestServer server(options);
    auto anonymous = server.client();
    auto e = errorOf(postEmbeddings(anonymous, R"({"input":"a"})"));
    CHECK(e.status == 401);
    CHECK(e.code == "invalid_api_key");
    auto wrong = server.client("s3cret-kez");
    CHECK(errorOf(postEmbeddings(wrong, R"({"input":"a"})")).status == 401);
    CHECK(errorOf(wrong.Get("/metrics")).status == 401);
    auto right = server.client("s3cret-key");
    auto ok = postEmbeddings(right, R"({"input":"a"})");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    auto health = anonymous.Get("/health");  // for load balancers and probes
    REQUIRE(health);
    CHECK(health->status == 200);

    // Listening beyond this machine without a key is refused before anything is loaded.
    engine::Engine engine(workloads::builtinTasks());
    serve::ServeOptions open = test::textServer();
    open.host = "0.0.0.0";
    open.port = 0;
    serve::Server exposed(engine, open);
    CHECK_THAT(test::errorOf([&] { exposed.start(); }), ContainsSubstring("--api-key-file"));
    CHECK_FALSE(exposed.running());
    CHECK(serve::isLoopbackHost("127.0.0.1"));
    CHECK(serve::isLoopbackHost("::1"));
    CHECK_FALSE(serve::isLoopbackHost("0.0.0.0"));
    CHECK_FALSE(serve::isLoopbackHost("192.168.1.4"));

    TempDir dir;
    {
        std::ofstream(dir.file("key")) << "  abc123 \nsecond line\n";
        std::ofstream(dir.file("empty")) << "\n";
    }
    CHECK(serve::readApiKeyFile(dir.file("key")) == "abc123");
    CHECK_THAT(test::errorOf([&] { serve::readApiKeyFile(dir.file("empty")); }), ContainsSubstring("empty"));
    CHECK_THAT(test::errorOf([&] { serve::readApiKeyFile(dir.file("missing")); }), ContainsSubstring("missing"));
}

TEST_CASE("a full queue answers 429 with Retry-After", "[serve][backpressure]") {
    serve::ServeOptions options = test::textServer();
    options.maxQueue = 1;
    options.batchWaitMs = 1500;  // the first request waits this long for company, holding the only place
    TestServer server(options);
    auto first = std::async(std::launch::async, [&] {
        auto client = server.client();
        return postEmbeddings(client, R"({"input":"first"})");
    });
    for (int i = 0; i < 200 && server.server->queueDepth() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(server.server->queueDepth() == 1);
    auto client = server.client();
    const auto busy = postEmbeddings(client, R"({"input":"second"})");
    const auto e = errorOf(busy);
    CHECK(e.status == 429);
    CHECK(e.code == "queue_full");
    CHECK(busy->get_header_value("Retry-After") == "1");
    auto health = client.Get("/health");  // still answered while the queue is full
    REQUIRE(health);
    CHECK(nlohmann::json::parse(health->body)["queue"]["depth"] == 1);
    const auto answered = first.get();
    REQUIRE(answered);
    CHECK(answered->status == 200);
    // Its place is given back as the answer is written out.
    for (int i = 0; i < 200 && server.server->queueDepth() > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(server.server->queueDepth() == 0);
    CHECK(server.server->counters().rejectedBusy == 1);
}

TEST_CASE("a client that hangs up cancels its work", "[serve][disconnect]") {
    serve::ServeOptions options = test::textServer();
    options.batchWaitMs = 1500;
    options.streamAfterMs = 50;  // watch the connection from 50 ms on
    TestServer server(options);
    {
        httplib::Client impatient("127.0.0.1", server.server->port());
        impatient.set_read_timeout(0, 300000);  // gives up after 0.3 s, long before the batch runs
        const auto res = postEmbeddings(impatient, R"({"input":["never", "embedded"]})");
        CHECK_FALSE(res);
    }
    // The hang-up is noticed (and counted as 499)...
    const std::string hungUp = "benchtop_requests_total{endpoint=\"/v1/embeddings\",code=\"499\"} 1\n";
    for (int i = 0; i < 1000 && server.server->metricsText().find(hungUp) == std::string::npos; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK_THAT(server.server->metricsText(), ContainsSubstring(hungUp));
    // ...and when the batch round comes (1.5 s after the request was queued) the request is dropped: nothing is
    // embedded, and its place in the queue is free.
    std::this_thread::sleep_for(std::chrono::milliseconds(2000));
    CHECK(server.server->queueDepth() == 0);
    CHECK(server.server->counters().texts == 0);
    CHECK(server.server->counters().embeddingBatches == 0);
    auto client = server.client();
    auto ok = postEmbeddings(client, R"({"input":"patient"})");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    CHECK(server.server->counters().texts == 1);
}

TEST_CASE("shutdown finishes requests in flight and refuses new ones", "[serve][shutdown]") {
    serve::ServeOptions options = test::textServer();
    options.batchWaitMs = 800;
    TestServer server(options);
    const int port = server.server->port();
    auto inFlight = std::async(std::launch::async, [&] {
        auto client = server.client();
        return postEmbeddings(client, R"({"input":["in flight"]})");
    });
    for (int i = 0; i < 200 && server.server->queueDepth() == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    REQUIRE(server.server->queueDepth() == 1);
    auto stopping = std::async(std::launch::async, [&] { server.server->stop(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    {  // while draining: new requests are refused
        httplib::Client late("127.0.0.1", port);
        late.set_connection_timeout(1, 0);
        const auto refused = late.Post("/v1/embeddings", R"({"input":"late"})", "application/json");
        if (refused) {
            const auto e = errorOf(refused);
            CHECK(e.status == 503);
            CHECK(e.code == "shutting_down");
        }
        CHECK(server.server->queueDepth() == 1);  // the request in flight is still being answered
    }
    const auto answered = inFlight.get();
    REQUIRE(answered);
    CHECK(answered->status == 200);
    CHECK(nlohmann::json::parse(answered->body)["data"].size() == 1);
    stopping.get();
    CHECK_FALSE(server.server->running());
    httplib::Client after("127.0.0.1", port);
    after.set_connection_timeout(1, 0);
    CHECK_FALSE(after.Get("/health"));
    server.server->stop();  // twice is fine
}
