#pragma once

#include <string>
#include <vector>

#include "core/methyl/beta_matrix.h"
#include "core/methyl/clock_engine.h"
#include "core/methyl/clock_library.h"

namespace benchtop::methyl {

/// Age acceleration of one clock over a cohort.
struct AgeAcceleration {
    bool valid = false;
    double intercept = kMissing;  ///< a of prediction = a + b * age (ordinary least squares)
    double slope = kMissing;      ///< b
    std::vector<double> diff;     ///< prediction - age (methylclock ageAcc)
    std::vector<double> resid;    ///< prediction - a - b * age (methylclock ageAcc2, R resid(lm(pred ~ age)))
    std::string reason;           ///< why it is not valid
};

/// OLS of predicted on chronological age over the samples where both are known (NaN = unknown); needs
/// at least 3 such samples with different ages.
AgeAcceleration computeAgeAcceleration(const std::vector<double>& predicted, const std::vector<double>& ages);

/// Whether a clock predicts an age in years (age acceleration is reported for these).
bool isAgeClock(const ClockDefinition& def);

/// Everything the writers put in the files.
struct PredictionOutput {
    std::vector<SampleInfo> samples;
    Predictions predictions;
    std::vector<AgeAcceleration> acceleration;  ///< per clock of predictions (invalid for non-age clocks)
    std::vector<std::string> notes;             ///< reader / sample-sheet notes
};

/// Builds the output (computes age acceleration where ages are known).
PredictionOutput makePredictionOutput(const std::vector<SampleInfo>& samples, Predictions predictions,
                                      const ClockLibrary& library);

/// predictions.csv: one row per sample; per clock value, coverage (present/required), imputed count,
/// and with ages the difference and the residual. Empty cell = not computable (see the JSON reason). With
/// `byteOrderMark` the file starts with a UTF-8 BOM, so Excel reads non-ASCII sample names as UTF-8.
void writePredictionsCsv(const std::string& path, const PredictionOutput& out, const ClockLibrary& library,
                         bool byteOrderMark = false);
/// predictions.json: the same per sample plus reasons, clock metadata, regression coefficients and notes.
void writePredictionsJson(const std::string& path, const PredictionOutput& out, const ClockLibrary& library);

}  // namespace benchtop::methyl
