#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/methyl/beta_matrix.h"

namespace benchtop::methyl {

/// A clock as a predictions file describes it (predictions_writer.h).
struct PredictionsClock {
    std::string id;      ///< "Horvath2013"
    int cpgs = 0;        ///< CpGs of the clock (0 when the file does not say: CSV)
    std::string output;  ///< what it predicts ("DNAm age, years", ...)
    std::string tissue;
    std::string missingValues;  ///< how missing CpGs were handled
    std::string citation;
    std::string usageFlag;
    bool hasRegression = false;  ///< an OLS fit of prediction on age exists (residuals were computed)
    double regressionIntercept = kMissing;
    double regressionSlope = kMissing;
    std::string regressionNote;  ///< why there is no fit
    /// Predicts an age in years (the clocks that get age acceleration).
    bool isAgeClock() const { return output.find("age, years") != std::string::npos; }
};

/// One clock for one sample. NaN = unknown or not computable.
struct PredictionsCell {
    double value = kMissing;
    int present = 0;                      ///< measured CpGs (JSON only)
    int required = 0;                     ///< CpGs of the clock (JSON only)
    double coverage = kMissing;           ///< present / required
    int imputed = 0;                      ///< values filled by the imputation policy
    std::string reason;                   ///< why the value is empty (JSON only)
    double accelerationDiff = kMissing;   ///< prediction - age
    double accelerationResid = kMissing;  ///< residual of prediction ~ age over the cohort
};

struct PredictionsSample {
    std::string name;
    std::string title;
    std::optional<double> age;
    Sex sex = Sex::Unknown;
    std::vector<PredictionsCell> cells;  ///< per clock, in the order of PredictionsTable::clocks
};

/// The contents of a methylation job's predictions.json or predictions.csv: the inverse of
/// writePredictionsJson() / writePredictionsCsv(). The CSV holds less (no reasons, CpG counts or regression
/// coefficients); its clock descriptions come from the built-in clock definitions.
struct PredictionsTable {
    std::vector<PredictionsClock> clocks;
    std::vector<PredictionsSample> samples;
    std::vector<std::string> notes;  ///< reader and sample-sheet notes (JSON only)
    std::string device;              ///< JSON only
    std::string format;              ///< "json" or "csv"
};

/// Reads predictions.json or predictions.csv (told apart by content: JSON starts with '{'). Throws
/// benchtop::Error naming the file (and line, sample or clock) when it cannot be read or is malformed.
PredictionsTable readPredictions(const std::string& path);
/// The same on text in memory; `name` is used in messages.
PredictionsTable parsePredictionsJson(std::string_view text, const std::string& name);
PredictionsTable parsePredictionsCsv(std::string_view text, const std::string& name);

}  // namespace benchtop::methyl
