#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/methyl/beta_matrix.h"

namespace benchtop::methyl {

/// One row of a sample sheet.
struct SampleSheetRow {
    std::size_t line = 0;           ///< 1-based line in the sheet
    std::vector<std::string> keys;  ///< names the row may match: sample name, GSM id, Sentrix_ID_Position
    std::optional<double> age;
    Sex sex = Sex::Unknown;
};

/// A sample sheet: plain CSV/TSV (Sample_Name/ID, Age, Sex/Gender) or an Illumina sheet with a [Data] section.
struct SampleSheet {
    std::string path;
    std::vector<SampleSheetRow> rows;
};

/// Reads a sample sheet; throws benchtop::Error("file:line", ...) when no name or id column exists.
SampleSheet readSampleSheet(const std::string& path);
SampleSheet parseSampleSheet(const std::string& text, const std::string& name);

/// Whether the file looks like a sample sheet rather than a beta matrix: a plain CSV/TSV whose header has
/// a sample name/id column and an age column, or an Illumina sheet whose [Data] table has a sample name/id
/// column; never a file with probe ids in its header or first column, nor a gzip file. Reads only the
/// first 64 KiB; false when the file cannot be read.
bool looksLikeSampleSheet(const std::string& path);
/// Same on the first bytes of a file (whole lines).
bool looksLikeSampleSheetText(const std::string& head);

/// Outcome of joining a sheet to the matrix's samples.
struct SheetMatch {
    std::size_t matched = 0;
    std::vector<std::string> unmatchedRows;      ///< "line 7: 'GSM1' is not a sample of the matrix"
    std::vector<std::string> samplesWithoutRow;  ///< matrix samples the sheet does not mention
};

/// Sets age/sex of `samples` from the sheet, matching by sample name, GSM id or title (never by position).
SheetMatch applySampleSheet(const SampleSheet& sheet, std::vector<SampleInfo>& samples);

}  // namespace benchtop::methyl
