// The server's endpoints against the fixtures and against the same work done as CLI jobs.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <catch2/catch_test_macros.hpp>
#include <nlohmann/json.hpp>

#include "core/tensor/npy_reader.h"
#include "tests/core/serve/serve_test_support.h"
#include "tests/support/jobs.h"

namespace fs = std::filesystem;
using namespace benchtop;
using benchtop::test::sharedPath;
using benchtop::test::TempDir;
using benchtop::test::TestServer;

namespace {

/// The text fixtures' inputs without the empty one (the OpenAI API refuses empty strings).
std::vector<std::string> fixtureTexts() {
    const auto all = nlohmann::json::parse(test::readFile(sharedPath("fixtures/text/inputs.json")));
    std::vector<std::string> texts;
    for (const auto& t : all)
        if (!t.get<std::string>().empty()) texts.push_back(t.get<std::string>());
    return texts;
}

/// The texts run as the CLI runs them (a text job); returns the job's result folder.
std::string runTextJob(const std::vector<std::string>& texts, const std::string& model, const std::string& outputs,
                       const TempDir& dir) {
    const std::string input = dir.file("texts.jsonl");
    {
        std::ofstream out(input, std::ios::binary);
        for (const auto& t : texts) out << nlohmann::json{{"text", t}}.dump() << "\n";
    }
    engine::JobSpec spec;
    spec.inputs = {input};
    spec.task = "text";
    spec.model = sharedPath(model);
    spec.device = "cpu";
    spec.precision = "fp32";
    spec.outputDir = dir.file("out");
    if (!outputs.empty()) spec.options["outputs"] = outputs;
    const auto job = test::runJob(workloads::builtinTasks(), spec);
    INFO(job.error);
    REQUIRE(job.state == engine::JobState::Done);
    return job.resultDir;
}

nlohmann::json postJson(httplib::Client& client, const std::string& path, const nlohmann::json& body,
                        int expectedStatus = 200) {
    const auto res = client.Post(path.c_str(), body.dump(), "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == expectedStatus);
    return nlohmann::json::parse(res->body);
}

/// Status and body of a POST, without Catch2 macros: safe on the threads of concurrent clients (Catch2's
/// assertions are for the test's own thread).
std::pair<int, std::string> postFromThread(httplib::Client& client, const std::string& path,
                                           const nlohmann::json& body) {
    const auto res = client.Post(path.c_str(), body.dump(), "application/json");
    return res ? std::make_pair(res->status, res->body) : std::make_pair(-1, std::string("no answer"));
}

/// postFromThread()'s answer, checked on the test's thread.
nlohmann::json answerOf(const std::pair<int, std::string>& answer) {
    INFO(answer.second);
    REQUIRE(answer.first == 200);
    return nlohmann::json::parse(answer.second);
}

std::vector<float> decodeBase64Floats(const std::string& text) {
    std::string bytes;
    int value = 0, bits = -8;
    for (char c : text) {
        const auto p = std::string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/").find(c);
        if (p == std::string::npos) break;
        value = (value << 6) | static_cast<int>(p);
        bits += 6;
        if (bits >= 0) {
            bytes.push_back(static_cast<char>((value >> bits) & 0xFF));
            bits -= 8;
        }
    }
    std::vector<float> out(bytes.size() / 4);
    std::memcpy(out.data(), bytes.data(), out.size() * 4);
    return out;
}

}  // namespace

TEST_CASE("/v1/embeddings equals the CLI's embeddings, with requests batched together", "[serve][text]") {
    const std::vector<std::string> texts = fixtureTexts();
    TempDir dir;
    const std::string result = runTextJob(texts, "models/tiny-bert-mean", {}, dir);
    const std::vector<float> expected = tensor::readNpy(result + "/embeddings.npy").toFloats();
    const std::size_t dim = expected.size() / texts.size();
    REQUIRE(dim * texts.size() == expected.size());
    std::int64_t expectedTokens = 0;
    {
        std::ifstream in(result + "/texts.jsonl");
        for (std::string line; std::getline(in, line);)
            expectedTokens += nlohmann::json::parse(line)["tokens"].get<int>();
    }

    serve::ServeOptions options = test::textServer();
    options.batchWaitMs = 200;  // the concurrent requests below share device batches
    TestServer server(options);
    // Four clients at once, each with a quarter of the texts; one asks for base64.
    const std::size_t parts = 4;
    std::vector<std::future<std::pair<int, std::string>>> answers;
    for (std::size_t p = 0; p < parts; ++p)
        answers.push_back(std::async(std::launch::async, [&, p] {
            nlohmann::json input = nlohmann::json::array();
            for (std::size_t i = p; i < texts.size(); i += parts) input.push_back(texts[i]);
            auto client = server.client();
            nlohmann::json body = {{"model", "tiny-bert-mean"}, {"input", input}};
            if (p == 1) body["encoding_format"] = "base64";
            return postFromThread(client, "/v1/embeddings", body);
        }));
    std::int64_t promptTokens = 0;
    double worst = 0;
    for (std::size_t p = 0; p < parts; ++p) {
        const nlohmann::json answer = answerOf(answers[p].get());
        CHECK(answer["object"] == "list");
        CHECK(answer["model"] == "tiny-bert-mean");
        promptTokens += answer["usage"]["prompt_tokens"].get<std::int64_t>();
        CHECK(answer["usage"]["total_tokens"] == answer["usage"]["prompt_tokens"]);
        std::size_t k = 0;
        for (std::size_t i = p; i < texts.size(); i += parts, ++k) {
            const auto& item = answer["data"][k];
            CHECK(item["index"] == k);
            CHECK(item["object"] == "embedding");
            const std::vector<float> got = p == 1 ? decodeBase64Floats(item["embedding"].get<std::string>())
                                                  : item["embedding"].get<std::vector<float>>();
            REQUIRE(got.size() == dim);
            for (std::size_t d = 0; d < dim; ++d)
                worst = std::max(worst, double(std::abs(got[d] - expected[i * dim + d])));
        }
        CHECK(k == answer["data"].size());
    }
    CHECK(worst <= 1e-6);
    CHECK(promptTokens == expectedTokens);
    const serve::ServeCounters c = server.server->counters();
    CHECK(c.texts == texts.size());
    CHECK(c.tokens == static_cast<std::uint64_t>(expectedTokens));
    // The four requests' texts were planned together: fewer device batches than requests' worth of batches alone,
    // cut by length so that little is padding.
    CHECK(c.embeddingBatches < texts.size());
    CHECK(c.paddingEfficiency() > 0.8);
    CHECK(c.paddingEfficiency() <= 1.0);
}

TEST_CASE("concurrent requests share device batches, unless batching across requests is off", "[serve][text]") {
    for (const bool cross : {true, false}) {
        CAPTURE(cross);
        serve::ServeOptions options = test::textServer();
        options.batchWaitMs = 300;
        options.crossRequestBatching = cross;
        TestServer server(options);
        std::vector<std::future<std::pair<int, std::string>>> done;
        for (int i = 0; i < 4; ++i)  // texts of one length: nothing to gain from splitting them
            done.push_back(std::async(std::launch::async, [&, i] {
                auto client = server.client();
                return postFromThread(client, "/v1/embeddings", {{"input", "text number " + std::to_string(i)}});
            }));
        for (auto& d : done) answerOf(d.get());
        CHECK(server.server->counters().embeddingBatches == (cross ? 1u : 4u));
        CHECK(server.server->counters().paddingEfficiency() == 1.0);
    }
}

TEST_CASE("/v1/embeddings returns BGE-M3 lexical weights and ColBERT vectors as the CLI writes them",
          "[serve][text][bge-m3]") {
    std::vector<std::string> texts = fixtureTexts();
    texts.resize(12);
    TempDir dir;
    const std::string result = runTextJob(texts, "models/tiny-xlmr-m3", "dense,sparse,colbert", dir);
    const std::vector<float> dense = tensor::readNpy(result + "/embeddings.npy").toFloats();
    std::vector<nlohmann::json> sparse;
    std::vector<int> tokens;
    {
        std::ifstream in(result + "/sparse.jsonl");
        for (std::string line; std::getline(in, line);) sparse.push_back(nlohmann::json::parse(line)["weights"]);
        std::ifstream t(result + "/texts.jsonl");
        for (std::string line; std::getline(t, line);)
            tokens.push_back(nlohmann::json::parse(line)["tokens"].get<int>());
    }
    REQUIRE(sparse.size() == texts.size());

    TestServer server(test::textServer("models/tiny-xlmr-m3"));
    auto client = server.client();
    const nlohmann::json answer =
        postJson(client, "/v1/embeddings",
                 {{"input", texts}, {"return_dense", true}, {"return_sparse", true}, {"return_colbert_vecs", true}});
    const std::size_t dim = dense.size() / texts.size();
    double worstDense = 0, worstSparse = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const auto& item = answer["data"][i];
        const auto got = item["embedding"].get<std::vector<float>>();
        REQUIRE(got.size() == dim);
        for (std::size_t d = 0; d < dim; ++d)
            worstDense = std::max(worstDense, double(std::abs(got[d] - dense[i * dim + d])));
        // The same token ids in the same (first-occurrence) order, with the same weights.
        std::vector<std::string> gotIds, wantIds;
        for (const auto& [id, w] : item["sparse"].items()) gotIds.push_back(id);
        for (const auto& [id, w] : sparse[i].items()) {
            wantIds.push_back(id);
            REQUIRE(item["sparse"].contains(id));
            worstSparse = std::max(worstSparse, std::abs(item["sparse"][id].get<double>() - w.get<double>()));
        }
        CHECK(gotIds.size() == wantIds.size());
        // One ColBERT vector per token after CLS.
        CHECK(item["colbert"].size() == static_cast<std::size_t>(tokens[i] - 1));
    }
    CHECK(worstDense <= 1e-6);
    CHECK(worstSparse <= 1e-6);
}

TEST_CASE("/v1/audio/transcriptions equals openai-whisper's goldens, concurrent requests batched", "[serve][speech]") {
    serve::ServeOptions options;
    options.models.push_back({"speech", sharedPath("models/tiny-whisper-v3")});
    options.batchWaitMs = 3000;  // counted from when a request's audio is decoded and queued (slow on a busy machine)
    TestServer server(options);
    struct Case {
        std::string audio, language, golden;
    };
    const std::vector<Case> cases = {{"jfk.flac", "en", "transcribe.jfk.en.words.json"},
                                     {"jfk.flac", "en", "transcribe.jfk.en.words.json"},
                                     {"long45.wav", "zh", "transcribe.long45.zh.words.json"}};
    std::vector<std::future<httplib::Result>> answers;
    for (const Case& c : cases)
        answers.push_back(std::async(
            std::launch::async, [&server, c, audio = test::readFile(sharedPath("fixtures/whisper/audio/" + c.audio))] {
                httplib::MultipartFormDataItems form = {
                    {"file", audio, c.audio, "application/octet-stream"},
                    {"model", "whisper-1", "", ""},
                    {"language", c.language, "", ""},
                    {"response_format", "verbose_json", "", ""},
                    {"timestamp_granularities[]", "word", "", ""},
                    {"timestamp_granularities[]", "segment", "", ""},
                    // The goldens ran openai's transcribe() without conditioning and without temperature fallback.
                    {"condition_on_previous_text", "false", "", ""},
                    {"temperature_fallback", "false", "", ""}};
                return server.client().Post("/v1/audio/transcriptions", form);
            }));
    for (std::size_t n = 0; n < cases.size(); ++n) {
        CAPTURE(cases[n].audio);
        const auto res = answers[n].get();
        REQUIRE(res);
        INFO(res->body);
        REQUIRE(res->status == 200);
        const auto got = nlohmann::json::parse(res->body);
        const auto golden = nlohmann::json::parse(
            test::readFile(sharedPath("fixtures/whisper/expected/tiny-whisper-v3/" + cases[n].golden)));
        CHECK(got["task"] == "transcribe");
        CHECK(got["language"] == cases[n].language);
        CHECK(got["text"] == golden["text"]);
        const auto& segments = got["segments"];
        const auto& expected = golden["segments"];
        REQUIRE(segments.size() == expected.size());
        std::vector<nlohmann::json> words;
        for (std::size_t i = 0; i < expected.size(); ++i) {
            CAPTURE(i);
            CHECK(segments[i]["text"] == expected[i]["text"]);
            CHECK(segments[i]["tokens"] == expected[i]["tokens"]);
            CHECK(std::abs(segments[i]["start"].get<double>() - expected[i]["start"].get<double>()) <= 1e-6);
            CHECK(std::abs(segments[i]["end"].get<double>() - expected[i]["end"].get<double>()) <= 1e-6);
            for (const auto& w : expected[i].value("words", nlohmann::json::array())) words.push_back(w);
        }
        REQUIRE(got["words"].size() == words.size());
        for (std::size_t k = 0; k < words.size(); ++k) {
            CHECK(got["words"][k]["word"] == words[k]["word"]);
            CHECK(std::abs(got["words"][k]["start"].get<double>() - words[k]["start"].get<double>()) <= 0.02);
        }
    }
    const serve::ServeCounters c = server.server->counters();
    CHECK(c.transcriptions == 3);
    // The two jfk requests share options and arrived together: one batch; long45 (zh) decodes in its own.
    CHECK(c.transcriptionBatches == 2);

    // The other response formats, against the CLI's files for the same options.
    TempDir dir;
    engine::JobSpec spec;
    spec.inputs = {sharedPath("fixtures/whisper/audio/jfk.flac")};
    spec.task = "speech";
    spec.model = sharedPath("models/tiny-whisper-v3");
    spec.device = "cpu";
    spec.precision = "fp32";
    spec.outputDir = dir.file("out");
    spec.options = {
        {"language", "en"}, {"condition-on-previous-text", "false"}, {"temperature", "0"}, {"formats", "all"}};
    const auto job = test::runJob(workloads::builtinTasks(), spec);
    INFO(job.error);
    REQUIRE(job.state == engine::JobState::Done);
    const std::string cliText = test::readJson(job.resultDir + "/jfk.json")["text"];
    httplib::MultipartFormDataItems form = {
        {"file", test::readFile(sharedPath("fixtures/whisper/audio/jfk.flac")), "jfk.flac", "audio/flac"},
        {"language", "en", "", ""},
        {"condition_on_previous_text", "false", "", ""},
        {"temperature_fallback", "false", "", ""}};
    auto client = server.client();
    auto json = client.Post("/v1/audio/transcriptions", form);
    REQUIRE(json);
    CHECK(json->get_header_value("Content-Type") == "application/json");
    CHECK(nlohmann::json::parse(json->body) == nlohmann::json{{"text", cliText}});
    form.push_back({"response_format", "text", "", ""});
    auto plain = client.Post("/v1/audio/transcriptions", form);
    REQUIRE(plain);
    CHECK(plain->body == cliText + "\n");
    form.back().content = "srt";
    auto srt = client.Post("/v1/audio/transcriptions", form);
    REQUIRE(srt);
    CHECK(srt->body == test::readFile(job.resultDir + "/jfk.srt"));
    form.back().content = "vtt";
    auto vtt = client.Post("/v1/audio/transcriptions", form);
    REQUIRE(vtt);
    CHECK(vtt->body == test::readFile(job.resultDir + "/jfk.vtt"));
    CHECK(vtt->get_header_value("Content-Type").rfind("text/vtt", 0) == 0);

    // A prompt means what --initial-prompt means to the CLI; /v1/audio/translations is Whisper's translate task.
    spec.options["initial-prompt"] = "Ask not what your country can do.";
    spec.options["whisper-task"] = "translate";
    spec.outputDir = dir.file("out-prompt");
    const auto prompted = test::runJob(workloads::builtinTasks(), spec);
    INFO(prompted.error);
    REQUIRE(prompted.state == engine::JobState::Done);
    form.back().content = "verbose_json";
    form.push_back({"prompt", "Ask not what your country can do.", "", ""});
    auto translated = client.Post("/v1/audio/translations", form);
    REQUIRE(translated);
    REQUIRE(translated->status == 200);
    const auto t = nlohmann::json::parse(translated->body);
    CHECK(t["task"] == "translate");
    const auto cli = test::readJson(prompted.resultDir + "/jfk.json");
    CHECK(t["text"] == cli["text"]);
    REQUIRE(t["segments"].size() == cli["segments"].size());
    for (std::size_t i = 0; i < t["segments"].size(); ++i)
        CHECK(t["segments"][i]["tokens"] == cli["segments"][i]["tokens"]);
}

TEST_CASE("/v1/methylation/predict equals the CLI's predictions, from an upload or JSON betas",
          "[serve][methylation]") {
    const std::string matrix = sharedPath("fixtures/methylation/A_example55/betas.csv");
    const std::string clocks = "Horvath2013,Hannum2013";
    TempDir dir;
    engine::JobSpec spec;
    spec.inputs = {matrix};
    spec.task = "methylation";
    spec.model = sharedPath("clocks");
    spec.options["clocks"] = clocks;
    spec.outputDir = dir.file("out");
    const auto job = test::runJob(workloads::builtinTasks(), spec);
    INFO(job.error);
    REQUIRE(job.state == engine::JobState::Done);
    const nlohmann::json expected = test::readJson(job.resultDir + "/predictions.json");

    serve::ServeOptions options;
    options.clocksDir = sharedPath("clocks");
    TestServer server(options);
    auto client = server.client();
    httplib::MultipartFormDataItems form = {{"file", test::readFile(matrix), "betas.csv", "text/csv"},
                                            {"clocks", clocks, "", ""}};
    auto res = client.Post("/v1/methylation/predict", form);
    REQUIRE(res);
    INFO(res->body.substr(0, 500));
    REQUIRE(res->status == 200);
    const nlohmann::json got = nlohmann::json::parse(res->body);
    REQUIRE(got["samples"].size() == expected["samples"].size());
    for (std::size_t s = 0; s < expected["samples"].size(); ++s)
        CHECK(got["samples"][s]["clocks"] == expected["samples"][s]["clocks"]);
    CHECK(server.server->counters().methylationSamples == expected["samples"].size());

    form.push_back({"format", "csv", "", ""});
    auto csv = client.Post("/v1/methylation/predict", form);
    REQUIRE(csv);
    CHECK(csv->status == 200);
    CHECK(csv->body == test::readFile(job.resultDir + "/predictions.csv"));

    // The first two samples, as a file and as JSON betas: the same predictions.
    std::ifstream in(matrix);
    std::string line, twoColumns;
    nlohmann::json betas = nlohmann::json::object();
    std::vector<std::string> names;
    for (int row = 0; std::getline(in, line); ++row) {
        std::vector<std::string> cells;
        std::stringstream fields(line);
        for (std::string cell; std::getline(fields, cell, ',') && cells.size() < 3;) cells.push_back(cell);
        twoColumns += cells[0] + "," + cells[1] + "," + cells[2] + "\n";
        if (row == 0) {
            names = {cells[1], cells[2]};
            continue;
        }
        for (int k = 0; k < 2; ++k) {
            if (cells[k + 1] == "NA" || cells[k + 1].empty())
                betas[names[k]][cells[0]] = nullptr;
            else
                betas[names[k]][cells[0]] = std::stod(cells[k + 1]);
        }
    }
    auto fromFile = client.Post(
        "/v1/methylation/predict",
        httplib::MultipartFormDataItems{{"file", twoColumns, "two.csv", "text/csv"}, {"clocks", clocks, "", ""}});
    REQUIRE(fromFile);
    REQUIRE(fromFile->status == 200);
    const nlohmann::json fromJson =
        postJson(client, "/v1/methylation/predict", {{"betas", betas}, {"clocks", {"Horvath2013", "Hannum2013"}}});
    const nlohmann::json fileAnswer = nlohmann::json::parse(fromFile->body);
    REQUIRE(fromJson["samples"].size() == 2);
    for (std::size_t s = 0; s < 2; ++s) {
        CHECK(fromJson["samples"][s]["clocks"] == fileAnswer["samples"][s]["clocks"]);
        CHECK(fromJson["samples"][s].value("name", "") == fileAnswer["samples"][s].value("name", ""));
    }
}

TEST_CASE("/health, /v1/models and /metrics describe the server", "[serve]") {
    serve::ServeOptions options = test::textServer();
    options.maxQueue = 7;
    TestServer server(options);
    auto client = server.client();
    postJson(client, "/v1/embeddings", {{"input", {"one", "two"}}});
    auto health = client.Get("/health");
    REQUIRE(health);
    CHECK(health->status == 200);
    const auto h = nlohmann::json::parse(health->body);
    CHECK(h["status"] == "ok");
    CHECK(h["device"]["id"] == "cpu");
    CHECK(h["precision"]["value"] == "fp32");
    CHECK(!h["precision"]["reason"].get<std::string>().empty());
    CHECK(h["models"][0]["id"] == "tiny-bert-mean");
    CHECK(h["queue"]["capacity"] == 7);
    CHECK(h["queue"]["depth"] == 0);
    CHECK(h["uptime_seconds"].get<double>() >= 0);

    auto models = client.Get("/v1/models");
    REQUIRE(models);
    const auto m = nlohmann::json::parse(models->body);
    CHECK(m["object"] == "list");
    CHECK(m["data"][0]["id"] == "tiny-bert-mean");
    CHECK(m["data"][0]["object"] == "model");
    CHECK(m["data"][0]["task"] == "text");

    // The answer can reach the client a moment before the server has counted it.
    std::string text;
    for (int i = 0; i < 100; ++i) {
        const auto metrics = client.Get("/metrics");
        REQUIRE(metrics);
        CHECK(metrics->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
        text = metrics->body;
        if (text.find("benchtop_requests_total{endpoint=\"/v1/embeddings\",code=\"200\"} 1\n") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    INFO(text);
    CHECK(text.find("benchtop_requests_total{endpoint=\"/v1/embeddings\",code=\"200\"} 1\n") != std::string::npos);
    CHECK(text.find("benchtop_embedding_texts_total 2\n") != std::string::npos);
    CHECK(text.find("benchtop_request_duration_seconds_count{endpoint=\"/v1/embeddings\"} 1\n") != std::string::npos);
    CHECK(text.find("benchtop_embedding_batch_rows_bucket{le=\"2\"} 1\n") != std::string::npos);
    CHECK(text.find("benchtop_queue_capacity 7\n") != std::string::npos);
    CHECK(text.find("benchtop_embedding_padding_efficiency ") != std::string::npos);
}
