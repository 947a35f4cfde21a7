#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/methyl/probe_index.h"

namespace benchtop::methyl {

/// Sex as given by a sample sheet or GEO characteristics.
enum class Sex { Unknown, Female, Male };
std::string toString(Sex sex);
/// Parses "M", "male", "F", "Female", "0"/"1" is not accepted (ambiguous); unknown text gives Sex::Unknown.
Sex parseSex(std::string_view text);

/// Per-sample facts that travel with the matrix.
struct SampleInfo {
    std::string name;           ///< column header (GSM id for series matrices)
    std::string title;          ///< GEO !Sample_title when present
    std::optional<double> age;  ///< chronological age in years
    Sex sex = Sex::Unknown;
};

/// How values that are not betas are handled.
enum class MValueMode {
    Reject,  ///< values outside [-0.1, 1.1] are an error (default)
    Auto,  ///< M-values are detected (values spread well outside [0, 1]) and converted; stray values are still an error
    Always,  ///< the user declared M-values: every value is converted with beta = 2^M / (2^M + 1)
};

/// Sums over every probe of each sample (after filling a probe's missing cells with its mean over
/// the samples; all-missing probes skipped): what Zhang's per-sample standardisation needs.
struct SampleMoments {
    std::vector<double> count;
    std::vector<double> mean;
    std::vector<double> sd;  ///< n - 1 in the denominator, as R's scale()
};

/// What the reader did, for the user.
struct LoadReport {
    std::string format;  ///< "csv", "tsv", "series-matrix", "delimited (';')"
    bool gzip = false;
    bool cpgsAsRows = true;
    std::size_t rowsRead = 0;            ///< data rows (CpG lines, or sample lines when transposed)
    std::size_t probesInFile = 0;        ///< distinct probe ids after suffix stripping
    std::size_t suffixedIds = 0;         ///< ids that carried an EPIC v2 suffix
    std::size_t replicatesAveraged = 0;  ///< rows merged into another row with the same id
    std::size_t missingCells = 0;        ///< NA / NaN / empty cells in the file
    bool mvaluesConverted = false;
    std::size_t outOfUnitRange = 0;  ///< beta cells slightly outside [0, 1] kept as they are
    std::vector<std::string> notes;  ///< human sentences ("232 EPIC v2 replicate probes averaged")
};

/// A beta matrix, CpGs x samples, row-major, double; NaN = missing. Only the CpGs the reader was
/// asked to keep are stored (see ReadOptions::keep), which keeps a 450k x 100 cohort small.
struct BetaMatrix {
    std::vector<std::string> cpgs;
    std::vector<SampleInfo> samples;
    std::vector<double> values;            ///< cpgs.size() x samples.size()
    ProbeIndex index;                      ///< cpg id -> row
    std::optional<SampleMoments> moments;  ///< over every probe of the file (set when requested)
    LoadReport report;

    std::size_t rows() const { return cpgs.size(); }
    std::size_t cols() const { return samples.size(); }
    double at(std::size_t row, std::size_t sample) const { return values[row * samples.size() + sample]; }
    /// Row of `cpg` or -1.
    int row(std::string_view cpg) const { return index.find(cpg); }
    /// Recomputes `moments` from the stored rows (valid when every probe of the file was kept).
    void computeMomentsFromRows();
};

/// Options of readBetaMatrix().
struct ReadOptions {
    char delimiter = 0;  ///< 0 = detect (tab, comma, semicolon, space, '|')
    MValueMode mvalues = MValueMode::Reject;
    /// Probe ids to store; nullptr keeps every probe. Other rows are still parsed and validated.
    std::shared_ptr<const ProbeIndex> keep;
    bool computeMoments = false;  ///< fill BetaMatrix::moments over every probe (Zhang EN)
    bool checkRange = true;       ///< false accepts any finite number (clock engine tests)
    int threads = 2;              ///< parser threads for large files
};

/// Reads a beta matrix: CSV/TSV/any single-character delimiter, optionally gzip; CpGs as rows or
/// samples as rows (detected from where the probe ids are); GEO series matrix with sample metadata.
/// Plain files are memory-mapped; gzip files are inflated and parsed block by block, never held whole.
/// Throws benchtop::Error("file:line", problem) on malformed input.
BetaMatrix readBetaMatrix(const std::string& path, const ReadOptions& options = {});

/// Same on text already in memory (`name` is used in messages).
BetaMatrix parseBetaMatrix(std::string_view text, const std::string& name, const ReadOptions& options = {});

/// Reads a whole file, inflating gzip (detected by magic bytes); throws on corrupt/truncated streams.
/// (readBetaMatrix() does not use it for gzip: it parses the stream as it inflates.)
std::string readTextFile(const std::string& path, bool* wasGzip = nullptr);

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

}  // namespace benchtop::methyl
