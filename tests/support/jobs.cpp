#include "tests/support/jobs.h"

#include <fstream>

#include <catch2/catch_test_macros.hpp>

namespace benchtop::test {

engine::JobSnapshot runJob(engine::TaskRegistry registry, const engine::JobSpec& spec, double timeoutSeconds) {
    engine::Engine engine(std::move(registry));
    const auto id = engine.submit(spec);
    REQUIRE(engine.wait(id, timeoutSeconds));
    const auto snapshot = engine.snapshot(id);
    REQUIRE(snapshot.has_value());
    return *snapshot;
}

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    INFO(path);
    REQUIRE(in.good());
    try {
        return nlohmann::json::parse(in);
    } catch (const std::exception& e) {
        FAIL(path << ": " << e.what());
    }
    return {};
}

}  // namespace benchtop::test
