#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/device/device.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/clock_engine.h"
#include "core/methyl/cpgpt/cpgpt_config.h"

namespace benchtop::methyl::cpgpt {

/// How a condition-head value becomes the reported number (declared per model in the catalog).
enum class OutputTransform {
    Identity,  ///< the head's value as it is (z-scores, years for age models)
    Sigmoid,   ///< logit -> probability (cancer)
    Affine,    ///< value * scale + offset (clock proxies on their published scale)
};

/// One output column: which vocab output it reads and how it is reported.
struct OutputSpec {
    std::string name;  ///< an entry of vocab.json "output"
    std::string unit;  ///< "years" makes it an age: the writers add age acceleration as for the clocks
    OutputTransform transform = OutputTransform::Identity;
    double scale = 1.0;
    double offset = 0.0;
};

/// What load() reads from a model folder.
struct LoadOptions {
    std::string device = "cpu";  ///< torch device ("cpu", "cuda:0", "mps")
    /// fp32 (default; also for Auto), fp16 or bf16 for the matrix products; norms, softmax and the residual
    /// stream stay float32 in every precision.
    device::Precision precision = device::Precision::Fp32;
    /// The imported locus table; empty = "<folder>/locus_embeddings.safetensors".
    std::string locusFile;
};

/// How predict() runs.
struct RunOptions {
    /// At most this many measured CpGs per sample enter the transformer; 0 = all. When a sample has more, an
    /// evenly spaced subset of its measured CpGs in vocab order is kept (every (n / maxLength)-th one):
    /// deterministic, spread over the whole vocab (upstream draws a random subset instead).
    std::size_t maxLength = 0;
    double minCoverage = 0.0;  ///< fraction of the vocab that must be measured, else the sample's values are NaN
    std::int64_t attentionBudgetBytes = 256ll << 20;  ///< scores + probabilities held at once per attention block
    /// The output columns; empty = every vocab output, untransformed.
    std::vector<OutputSpec> outputs;
};

/// The result of predict() for every sample of the matrix.
struct CpgptPredictions {
    std::vector<std::string> samples;
    std::vector<ClockResult> outputs;  ///< one per output column; `present` = CpGs the network read per sample
    std::vector<std::vector<float>> embeddings;  ///< the sample embedding (CLS output) per sample
    std::vector<int> measured;                   ///< vocab CpGs measured per sample (before maxLength)
    std::vector<int> used;                       ///< CpGs the network read per sample
    int vocabSize = 0;
    std::int64_t attentionBlocks = 0;
    std::int64_t peakScoreBytes = 0;  ///< largest attention score block held (the budget's measure)
    std::vector<std::string> notes;   ///< sentences for the report (binarize_input, unplaced CpGs...)
    std::string device;
    std::string precision;
};

/// Values of one stage of the network for one sample, for comparing with the reference stage by stage.
struct StageValues {
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

/// A CpGPT model from the files its model zoo ships: `config.yaml` + `model.ckpt` (or `model.safetensors`) +
/// `vocab.json`, plus the locus table that the import step extracts from the dependencies. The per-CpG parts
/// (sequence and locus embeddings, condition queries) are computed once at load. Move-only; const methods may be
/// called from one thread at a time (the device's executor thread).
class CpgptModel {
public:
    /// Loads a model folder. Throws benchtop::Error naming the file and the problem (missing file, malformed
    /// YAML/JSON, hostile or corrupt checkpoint, missing or misshapen tensors, a locus table for other CpGs).
    static CpgptModel load(const std::string& folder, const LoadOptions& options = {});

    CpgptModel(CpgptModel&&) noexcept;
    CpgptModel& operator=(CpgptModel&&) noexcept;
    ~CpgptModel();

    const std::string& folder() const;
    const CpgptConfig& config() const;
    const CpgptVocab& vocab() const;
    /// "model.ckpt" or "model.safetensors": the weights file that was read.
    const std::string& weightsFile() const;
    /// Vocab CpGs that the locus table places on the genome (the others can never be measured).
    std::size_t locatedCpgs() const;

    /// Runs every sample of `matrix`: CpGs mapped by id to the vocab (others ignored), missing ones (NA cells,
    /// absent rows, CpGs without a locus) left out of attention, never imputed.
    CpgptPredictions predict(const BetaMatrix& matrix, const RunOptions& options = {}) const;

    /// The raw condition-head values [K] and the sample embedding [d] for betas in vocab order (NaN = missing).
    /// With `masked`, missing CpGs stay in the sequence as masked keys (upstream's padded batches); otherwise
    /// they are dropped.
    void encode(const std::vector<double>& betas, std::vector<float>& conditions, std::vector<float>& embedding,
                bool masked = false, std::int64_t attentionBudgetBytes = 256ll << 20) const;

    /// The intermediate values of upstream's stages for betas in vocab order (NaN = missing): over the vocab,
    /// "sequence_embeddings", "abs_position_encoding", "locus_embeddings", "meth_embeddings"; for the sample,
    /// "transformer_input" and "layer<i>_output" with missing CpGs masked; "condition_queries".
    std::map<std::string, StageValues> stages(const std::vector<double>& betas) const;

    /// Predicted M-values and uncertainties (softplus) over every vocab CpG for a sample embedding.
    void queryMethylation(const std::vector<float>& embedding, std::vector<float>& mValues,
                          std::vector<float>& uncertainty) const;

private:
    struct Impl;
    explicit CpgptModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// Parses "identity|sigmoid|affine" (catalog spelling); throws benchtop::Error otherwise.
OutputTransform parseOutputTransform(const std::string& text);
/// Applies `spec`'s transform to a raw head value.
double applyTransform(const OutputSpec& spec, double raw);

}  // namespace benchtop::methyl::cpgpt
