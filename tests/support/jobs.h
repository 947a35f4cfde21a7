#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/engine/engine.h"

namespace benchtop::test {

/// Runs `spec` on a fresh engine with `registry` and returns the job's final snapshot (fails the test when the
/// job does not finish within `timeoutSeconds`).
engine::JobSnapshot runJob(engine::TaskRegistry registry, const engine::JobSpec& spec, double timeoutSeconds = 600.0);

/// Parses a JSON file (fails the test, naming the file, when it is missing or malformed).
nlohmann::json readJson(const std::string& path);

}  // namespace benchtop::test
