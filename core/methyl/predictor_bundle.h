#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/device/device.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/clock_engine.h"
#include "core/methyl/clock_library.h"

namespace benchtop::methyl {

/// What the network expects as input values (the matrix always holds betas; M = log2(beta / (1 - beta))).
enum class BundleInputKind { Beta, MValue };

/// Where values for the bundle's missing CpGs come from (before any beta -> M conversion).
enum class BundleImputation {
    Reference,   ///< every missing value -> the manifest's value for that CpG
    CohortMean,  ///< missing cell -> mean of the CpG over the cohort; CpG measured in no sample -> manifest value
    SampleMean,  ///< missing value -> mean of the sample's measured bundle CpGs
};

std::string toString(BundleInputKind kind);
std::string toString(BundleImputation imputation);

/// One output column of a bundle.
struct BundleOutput {
    std::string name;  ///< column name in predictions.csv/json; unique, must not be a clock id
    std::string unit;  ///< "years" makes it an age (age acceleration is reported)
    Transform transform = Transform::Identity;
    std::string description;
};

/// manifest.json of a predictor bundle (docs/methylation-bundles.md lists every key).
struct BundleManifest {
    int formatVersion = 1;
    std::string name;
    std::string description;
    std::string modelFile = "model.pt";
    std::string cpgsFile = "cpgs.txt";
    BundleInputKind inputKind = BundleInputKind::Beta;
    BundleImputation imputation = BundleImputation::Reference;
    /// Beta value per CpG of cpgs.txt (a single number in the manifest applies to all); empty when not given.
    std::vector<double> imputationValues;
    std::vector<BundleOutput> outputs;
    bool reducedPrecision = false;  ///< true allows the job's fp16/bf16; otherwise the network runs in fp32
    int batchSize = 64;             ///< samples per forward pass
};

/// Parses and validates manifest JSON. Throws benchtop::Error("<origin>", "key 'input.kind': ...") for
/// malformed JSON, missing keys, wrong types, unknown keys or values, or a task other than methylation.
/// The imputation value count is checked against cpgs.txt by PredictorBundle::load().
BundleManifest parseBundleManifest(const std::string& jsonText, const std::string& origin);

/// True for a folder with a manifest.json or a .zip file (what PredictorBundle::load() accepts).
bool looksLikeBundle(const std::string& path);

/// The bundle a reference names: a folder with manifest.json or a .zip as they are, else a model-store id
/// (catalog family "torchscript", or an imported folder). Throws benchtop::Error saying how to get it.
std::string resolveBundlePath(const std::string& ref);

/// How PredictorBundle::predict() runs.
struct BundleRunOptions {
    std::string device = "cpu";  ///< torch device of the loaded module
    /// The job's precision; used only when the manifest sets reduced_precision (else fp32).
    device::Precision precision = device::Precision::Fp32;
    double minCoverage = 0.8;  ///< fraction of the bundle's CpGs that must be measured in a sample
    int batchSize = 0;         ///< samples per forward pass; 0 = the manifest's batch_size
};

/// A TorchScript predictor bundle: manifest.json + cpgs.txt + model.pt, in a folder or a .zip. The module
/// is loaded onto one device and checked with a dry run on zeros (input width = CpG count, output width =
/// outputs). Move-only.
class PredictorBundle {
public:
    /// Loads and validates a bundle folder or .zip (members may sit in one top-level folder of the zip).
    /// Errors name the member file and the problem: missing member, malformed manifest, cpgs.txt that is
    /// not one probe id per line, a model.pt that torch cannot load, a width that does not match cpgs.txt.
    static PredictorBundle load(const std::string& path, const std::string& device = "cpu");

    PredictorBundle(PredictorBundle&&) noexcept;
    PredictorBundle& operator=(PredictorBundle&&) noexcept;
    ~PredictorBundle();

    const std::string& path() const;
    const BundleManifest& manifest() const;
    /// Input CpG ids in the network's column order.
    const std::vector<std::string>& cpgs() const;
    /// The device the module lives on.
    const std::string& device() const;

    /// Runs the network over every sample of `matrix` in batches: CpGs mapped to the bundle's order, missing
    /// values imputed as the manifest says, beta -> M when required, output transform applied. Returns one
    /// ClockResult per output (value NaN with a reason when a sample's coverage is below minCoverage).
    /// `precisionNote`, when given, says which precision ran and why. Call from one thread at a time (the
    /// device's executor thread): a reduced-precision copy of the module is cached on first use.
    std::vector<ClockResult> predict(const BetaMatrix& matrix, const BundleRunOptions& options,
                                     std::string* precisionNote = nullptr) const;

    /// Clock entries describing the outputs for the prediction writers (kind TorchScript, no coefficients).
    std::vector<Clock> outputClocks() const;

private:
    struct Impl;
    explicit PredictorBundle(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace benchtop::methyl
