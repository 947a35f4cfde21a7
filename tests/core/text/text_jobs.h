#pragma once

#include <map>
#include <string>

#include "core/text/embedding_task.h"
#include "tests/support/jobs.h"
#include "tests/support/shared_paths.h"

namespace benchtop::test {

/// Embeds fixtures/text/inputs.txt with `model` on the CPU and returns the finished job.
inline engine::JobSnapshot runTextJob(const std::string& model, const std::string& outDir, const std::string& precision,
                                      std::map<std::string, std::string> options = {}) {
    engine::TaskRegistry registry;
    registry.add(text::embeddingTaskKind());
    engine::JobSpec spec;
    spec.inputs = {sharedPath("fixtures/text/inputs.txt")};
    spec.task = "text";
    spec.model = model;
    spec.outputDir = outDir;
    spec.device = "cpu";
    spec.precision = precision;
    spec.threads = 2;
    spec.options = std::move(options);
    return runJob(std::move(registry), spec);
}

}  // namespace benchtop::test
