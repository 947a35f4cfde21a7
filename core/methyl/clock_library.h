#pragma once

#include <functional>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/methyl/beta_matrix.h"

namespace benchtop::methyl {

/// How a clock turns betas into its value.
enum class ClockKind {
    Linear,       ///< transform(intercept + sum w*beta)
    DunedinPace,  ///< quantile normalisation to the gold-standard means, then linear
    ZhangEn,      ///< per-sample standardised betas, then linear
    EpiToc2,      ///< 2 * mean((beta - beta0) / (delta * (1 - beta0)))
    MiAge,        ///< bounded 1-D least squares for the number of cell divisions
    TorchScript,  ///< an output of a TorchScript predictor bundle (predictor_bundle.h); not run by the clock engine
    Cpgpt,        ///< an output of a CpGPT model's condition head (cpgpt_predictor.h); not run by the clock engine
};

enum class Transform {
    Identity,
    AntiTrafo,  ///< Horvath: x < 0 ? 21 e^x - 1 : 21 x + 20
    Sigmoid,    ///< 1 / (1 + e^-x)
};

/// Where values for missing CpGs come from when the source provides them.
enum class Reference {
    None,
    Goldstandard2,     ///< Horvath 2013 Additional file 22 (clocks/reference/Horvath2013_goldstandard2.csv)
    DunedinGoldMeans,  ///< DunedinPACE gold-standard means (clocks/biolearn/DunedinPACE_Gold_Means.csv)
};

std::string toString(ClockKind kind);
std::string toString(Transform transform);
std::string toString(Reference reference);

/// Static facts about a clock: semantics from clock_definitions.cpp, the rest from the built-in model catalog.
struct ClockDefinition {
    std::string id;
    std::string file;  ///< relative to the clocks folder
    ClockKind kind = ClockKind::Linear;
    double intercept = 0.0;  ///< full precision; replaces a rounded 'intercept' row of the file
    Transform transform = Transform::Identity;
    Reference reference = Reference::None;
    std::string output;  ///< "DNAm age, years"
    std::string tissue;
    std::string usageFlag;  ///< empty when none is stated
    std::string citation;
};

/// Every clock Benchtop ships, in display order.
const std::vector<ClockDefinition>& clockDefinitions();
/// The definition with this id (case-insensitive), or nullptr.
const ClockDefinition* findClockDefinition(const std::string& id);

/// A clock with its coefficients loaded.
struct Clock {
    ClockDefinition def;
    std::vector<std::string> cpgs;
    std::vector<double> weights;  ///< Linear/Zhang/DunedinPACE weights; EpiTOC2 delta; MiAge b
    std::vector<double> extraA;   ///< EpiTOC2 beta0; MiAge c
    std::vector<double> extraB;   ///< MiAge d
};

/// Coefficient tables of the selected clocks plus the reference tables they need, read from a folder
/// laid out like ../shared/clocks (biolearn/*.csv, reference/*.csv).
class ClockLibrary {
public:
    /// Maps a table's relative path ("biolearn/Horvath1.csv") to a readable file. Returns "" for an optional
    /// reference table that is not available (imputation from it is then skipped); throws when a clock table
    /// cannot be had, saying how to get it.
    using TableLocator = std::function<std::string(const std::string& relativeFile)>;

    /// Loads the clocks `ids` ("all" or empty = every clock). Throws benchtop::Error for unknown ids or
    /// unreadable tables.
    static ClockLibrary load(const std::string& folder, const std::vector<std::string>& ids = {});
    /// Same, with tables found by `locate` (e.g. the model store); `description` names the source in messages.
    static ClockLibrary load(TableLocator locate, const std::vector<std::string>& ids, const std::string& description);
    /// Parses "all" or a comma list ("Horvath2013, PhenoAge2018"; case-insensitive) into clock ids.
    static std::vector<std::string> parseClockList(const std::string& text);

    /// Loads one clock from `folder` with a possibly modified definition (tests, custom intercepts).
    static Clock loadClock(const std::string& folder, const ClockDefinition& def);
    void add(Clock clock);

    const std::vector<Clock>& clocks() const { return m_clocks; }
    const Clock* find(const std::string& id) const;
    const std::string& folder() const { return m_folder; }

    /// Reference values (loaded when a selected clock uses them).
    const std::unordered_map<std::string, double>& goldstandard2() const { return m_goldstandard2; }
    const std::vector<std::string>& dunedinGoldProbes() const { return m_goldProbes; }
    const std::vector<double>& dunedinGoldMeans() const { return m_goldMeans; }
    /// Reference value for `cpg` of `clock`, or NaN.
    double referenceValue(const Clock& clock, const std::string& cpg) const;

    /// Every CpG the selected clocks read (incl. DunedinPACE's 20,000 background probes): what a reader keeps.
    std::shared_ptr<const ProbeIndex> requiredProbes() const;
    /// True when a selected clock needs per-sample moments over all probes (ZhangEN).
    bool needsSampleMoments() const;

private:
    void loadReferences();
    static Clock loadClockFile(const std::string& path, const ClockDefinition& def);
    std::string m_folder;
    TableLocator m_locate;
    std::vector<Clock> m_clocks;
    std::unordered_map<std::string, double> m_goldstandard2;
    std::vector<std::string> m_goldProbes;
    std::vector<double> m_goldMeans;
    std::unordered_map<std::string, double> m_goldMap;
};

}  // namespace benchtop::methyl
