// `benchtop-cli serve` as a process: it prints where it listens, answers, and shuts down gracefully on SIGTERM;
// `benchtop-cli bench serve` runs both batching modes.
#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>
#include <thread>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#ifndef _WIN32
#include <csignal>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "tests/cli/cli_runner.h"

using benchtop::test::runCli;
using benchtop::test::sharedPath;
using Catch::Matchers::ContainsSubstring;

#ifndef _WIN32
TEST_CASE("serve listens, answers, and finishes cleanly on SIGTERM", "[cli][serve]") {
    int out[2];
    REQUIRE(pipe(out) == 0);
    const std::string model = "text=" + sharedPath("models/tiny-bert-mean");
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(out[1], STDERR_FILENO);
        close(out[0]);
        execl(BENCHTOP_CLI, BENCHTOP_CLI, "serve", "--port", "0", "--device", "cpu", "--precision", "fp32", "--model",
              model.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    // Read its output until it says where it listens (bounded: 120 s).
    std::string printed;
    int port = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    const std::regex listening("Benchtop server on http://127\\.0\\.0\\.1:([0-9]+)");
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    while (port == 0 && std::chrono::steady_clock::now() < deadline) {
        char buffer[4096];
        const ssize_t n = read(out[0], buffer, sizeof buffer);
        if (n > 0) printed.append(buffer, static_cast<std::size_t>(n));
        if (n == 0) break;  // it exited
        std::smatch m;
        if (std::regex_search(printed, m, listening)) port = std::stoi(m[1]);
        if (n < 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    INFO(printed);
    REQUIRE(port > 0);
    CHECK_THAT(printed, ContainsSubstring("model tiny-bert-mean (text): POST /v1/embeddings"));
    {
        httplib::Client client("127.0.0.1", port);
        const auto res = client.Post("/v1/embeddings", R"({"input":["one","two"]})", "application/json");
        REQUIRE(res);
        CHECK(res->status == 200);
        CHECK(nlohmann::json::parse(res->body)["data"].size() == 2);
    }
    REQUIRE(kill(pid, SIGTERM) == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    for (;;) {
        char buffer[4096];
        const ssize_t n = read(out[0], buffer, sizeof buffer);
        if (n <= 0) break;
        printed.append(buffer, static_cast<std::size_t>(n));
    }
    close(out[0]);
    INFO(printed);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_THAT(printed, ContainsSubstring("Shutting down"));
    CHECK_THAT(printed, ContainsSubstring("Stopped after 1 requests (2 texts"));
}
#endif

TEST_CASE("serve refuses to listen beyond loopback without an API key", "[cli][serve]") {
    const auto r = runCli("serve --host 0.0.0.0 --port 0 --model text=" + sharedPath("models/tiny-bert-mean"));
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err, ContainsSubstring("--api-key-file"));
    const auto bad = runCli("serve --model audio=x");
    CHECK(bad.exitCode == 1);
    CHECK_THAT(bad.err, ContainsSubstring("text or speech"));
}

TEST_CASE("bench serve measures batching across requests on and off in one run", "[cli][serve][bench]") {
    const auto r = runCli("bench serve --model " + sharedPath("models/tiny-bert-mean") + " --input " +
                          sharedPath("fixtures/text/inputs.txt") + " --clients 4 --device cpu --precision fp32");
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, ContainsSubstring("batched across requests"));
    CHECK_THAT(r.out, ContainsSubstring("each request alone"));
    CHECK_THAT(r.out, ContainsSubstring("requests/s"));
    CHECK_THAT(r.out, ContainsSubstring("p95 ms"));
    CHECK_THAT(r.out, ContainsSubstring("of GEMM"));
}
