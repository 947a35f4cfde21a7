#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/methyl/beta_matrix.h"
#include "core/methyl/clock_library.h"

namespace benchtop::methyl {

/// What fills a clock's missing values (a CpG absent from the file, or a missing cell of a present CpG).
enum class Imputation {
    /// Missing cells of a present CpG -> mean of that CpG over the cohort; absent CpGs -> the clock's
    /// reference value where its source provides one (Horvath goldstandard2, DunedinPACE gold means),
    /// else left out. Default.
    Auto,
    PresentOnly,  ///< every missing value contributes 0 (methylclock predAge, biolearn NaN rows)
    CohortMean,   ///< missing cells -> cohort mean of the CpG; absent CpGs left out
    Reference,    ///< missing cells and absent CpGs -> reference value, else left out (pyaging)
    None,         ///< any missing CpG makes the clock empty for that sample
};
std::string toString(Imputation imputation);
/// Parses "auto|present_only|cohort_mean|reference|none"; throws benchtop::Error otherwise.
Imputation parseImputation(const std::string& text);

/// ZhangEN's per-sample standardisation.
enum class ZhangScaling {
    AllProbes,    ///< over every probe of the input (Zhang's pred.R, methylclock) - default
    ClockProbes,  ///< over the clock's CpGs only (pyaging)
};

struct PredictOptions {
    double minCoverage = 0.8;  ///< fraction of a clock's CpGs that must be measured, else the value is empty
    Imputation imputation = Imputation::Auto;
    ZhangScaling zhang = ZhangScaling::AllProbes;
    std::string device = "cpu";  ///< torch device for the batched product ("cpu", "cuda:0", "mps")
    /// Samples [sampleFirst, sampleEnd) get values (a part of a split job); cohort-level statistics (a CpG's mean
    /// for imputation, DunedinPACE's imputation) still use every sample, so each value equals a whole run's.
    std::size_t sampleFirst = 0;
    std::size_t sampleEnd = static_cast<std::size_t>(-1);
};

/// One clock over all samples.
struct ClockResult {
    std::string clockId;
    int required = 0;                  ///< CpGs of the clock
    std::vector<double> values;        ///< per sample; NaN = empty (see reasons)
    std::vector<int> present;          ///< measured CpGs per sample
    std::vector<int> imputed;          ///< values filled by the imputation policy per sample
    std::vector<std::string> reasons;  ///< why a value is empty ("120 of 353 CpGs present (34 % < 80 %)")
    std::string method;                ///< how missing values were handled, for the report
};

struct Predictions {
    std::vector<std::string> samples;
    std::vector<ClockResult> clocks;
    std::string device;  ///< where the product ran (and why, when it fell back)
    const ClockResult* find(const std::string& id) const;
};

/// Runs every clock of `library` on `matrix` (the samples of options.sampleFirst..sampleEnd): values accumulated
/// in double, the linear part batched as one matrix product over samples on `options.device`.
Predictions predictClocks(const BetaMatrix& matrix, const ClockLibrary& library, const PredictOptions& options = {});

/// preprocessCore::normalize.quantiles.use.target for one column (in place). `sortedTarget` is the sorted
/// target without NAs. NaN stays NaN.
void normalizeQuantilesToTarget(std::vector<double>& column, const std::vector<double>& sortedTarget);

/// Horvath's anti-transform (adult age 20).
double antiTrafo(double x);

}  // namespace benchtop::methyl
