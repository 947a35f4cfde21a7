#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/wait.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "platform/cpu/cpu_info.h"
#include "tests/support/shared_paths.h"

using Catch::Matchers::ContainsSubstring;

namespace {

struct Result {
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Runs benchtop-cli with `args` (shell-quoted by the caller) and an optional environment prefix.
Result runCli(const std::string& args, const std::string& env = "") {
    benchtop::test::TempDir dir;
    const std::string errFile = dir.file("stderr.txt");
    const std::string command = env + " '" + std::string(BENCHTOP_CLI) + "' " + args + " 2>'" + errFile + "'";
    Result result;
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe);
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.out.append(buffer.data(), n);
    const int status = pclose(pipe);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.err = benchtop::test::readFile(errFile);
    return result;
}

}  // namespace

TEST_CASE("version, help and unknown commands") {
    const auto version = runCli("--version");
    CHECK(version.exitCode == 0);
    CHECK_THAT(version.out, ContainsSubstring("benchtop-cli 0.1.0") && ContainsSubstring("libtorch"));
    const auto help = runCli("--help");
    CHECK(help.exitCode == 0);
    CHECK_THAT(help.out, ContainsSubstring("devices") && ContainsSubstring("run"));
    const auto bad = runCli("frobnicate");
    CHECK(bad.exitCode == 2);
}

TEST_CASE("devices --json lists the CPU with its features and the chosen precision") {
    const auto r = runCli("devices --json", "env -u BENCHTOP_DEVICE -u BENCHTOP_PRECISION -u BENCHTOP_THREADS");
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto json = nlohmann::json::parse(r.out);
    const auto& cpu = benchtop::platform::cpuInfo();
    CHECK(json["cpu"]["model"] == cpu.modelName);
    CHECK(json["cpu"]["physical_cores"] == cpu.physicalCores);
    CHECK(json["cpu"]["features"] == benchtop::platform::featureNames(cpu.features));
    CHECK(json["devices"][0]["id"] == "cpu");
    CHECK(json["devices"][0]["usable"] == true);
    if (json["selected"]["device"] == "cpu") {
        const bool bf16 = cpu.features.amxBf16 || cpu.features.avx512bf16;
        CHECK(json["selected"]["precision"] == (bf16 ? "bf16" : "fp32"));
        CHECK_THAT(json["selected"]["precision_reason"].get<std::string>(),
                   ContainsSubstring(bf16 ? "bf16 because the CPU has" : "fp32 because"));
    }
    CHECK(json["selected"]["threads"] == cpu.physicalCores);
    CHECK_FALSE(json["gpu_telemetry"]["status"].get<std::string>().empty());
}

TEST_CASE("BENCHTOP_PRECISION=fp16 on the CPU is a clear error") {
    const auto r = runCli("devices --device cpu", "BENCHTOP_PRECISION=fp16");
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, ContainsSubstring("fp16 is not supported on CPU"));
    CHECK_THAT(r.out, ContainsSubstring("cpu"));  // the device list is still shown
}

TEST_CASE("run reports files no task handles and exits non-zero") {
    benchtop::test::TempDir dir;
    {
        std::ofstream(dir.file("mystery.xyz")) << "not a known format";
    }
    const auto r = runCli("run '" + dir.file("mystery.xyz") + "' -o '" + dir.file("out") + "'");
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err, ContainsSubstring("mystery.xyz") && ContainsSubstring("no task handles this file"));
    CHECK(r.out.empty());

    const auto json = runCli("run --json '" + dir.file("missing.csv") + "'");
    CHECK(json.exitCode == 1);
    const auto summary = nlohmann::json::parse(json.out);
    REQUIRE(summary.size() == 1);
    CHECK(summary[0]["state"] == "failed");
    CHECK_THAT(summary[0]["error"].get<std::string>(), ContainsSubstring("file not found"));
}
