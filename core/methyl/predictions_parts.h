#pragma once

#include <string>
#include <vector>

#include "core/methyl/beta_matrix.h"
#include "core/methyl/clock_engine.h"

namespace benchtop::methyl {

/// What a part of a split clock job (`run --shard I/N`) writes: its samples' predictions and everything a merge
/// needs to check that the parts belong together. The part read the whole matrix (cohort means for imputation
/// and DunedinPACE need every sample), so each of its values equals a whole run's; age acceleration, which
/// regresses over the cohort, is computed by the merge.
struct PredictionsPart {
    std::vector<std::string> inputs;
    std::string model;
    std::vector<std::pair<std::string, std::string>> options;  ///< the job's options without "shard"
    int index = 0;
    int count = 1;
    std::size_t first = 0;  ///< samples [first, end) of `total`
    std::size_t end = 0;
    std::size_t total = 0;
    std::vector<SampleInfo> samples;  ///< the part's samples
    Predictions predictions;          ///< for the part's samples
    std::vector<std::string> notes;   ///< what a whole run writes as notes (reader, sample sheet, tables)
    double minCoverage = 0.8;
    /// Descriptions of outputs that are not Benchtop's own clocks (predictor bundles, CpGPT models), for the merge's
    /// writers.
    std::vector<ClockDefinition> definitions;
};

/// The file a part writes into its result folder.
inline constexpr const char* kPredictionsPartFile = "predictions.shard.json";

/// Writes `part` as JSON to `path` (doubles round-trip exactly; NaN as null).
void writePredictionsPart(const std::string& path, const PredictionsPart& part);

/// Whether `dir` is the result folder of a part of a split clock job.
bool isPredictionsPart(const std::string& dir);

/// Combines the parts' folders into `outDir` with exactly the files one run writes (predictions.csv,
/// predictions.json byte for byte, age acceleration over the whole cohort, and the job marker). Refuses parts of
/// different jobs (inputs, model, options, clocks, part count), repeated or missing parts, and an `outDir` that
/// holds files, naming the folders. Returns the files written.
std::vector<std::string> mergePredictionParts(const std::vector<std::string>& partDirs, const std::string& outDir);

/// A file whose every clock value is empty is not the matrix the user meant (probe ids missing, every value NA):
/// throws an Error naming `file` with the best coverage found. No-op when some value was computed.
void requireSomeClockValue(const Predictions& predictions, const std::string& file, double minCoverage);

}  // namespace benchtop::methyl
