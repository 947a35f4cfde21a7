#pragma once
// The delimited-text beta-matrix reader (CSV, TSV, any single-character delimiter; CpGs or samples as rows).
// Internal to core/methyl: readBetaMatrix() (beta_matrix.h) sniffs the format and calls it; the GEO
// series-matrix reader uses readCpgRows() for its table.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/methyl/beta_matrix.h"

namespace benchtop::methyl {

class LineReader;

/// Reads a delimited table from `reader` (positioned at the start of the text, after a byte-order mark):
/// header, delimiter and orientation detection, then the rows. Throws benchtop::Error("name:line", problem).
BetaMatrix readDelimitedMatrix(LineReader& reader, const std::string& name, const ReadOptions& options,
                               LoadReport report);

/// The CpGs-as-rows body after `header` (line `headerNo`): the rest of `body`, parsed block by block, each block
/// split across ReadOptions::threads. `overrideNames` replaces the sample names (GEO accessions) when given.
/// Views in `header` are only used before the first block after the current one is read.
BetaMatrix readCpgRows(LineReader& body, std::size_t headerNo, const std::string& name,
                       const std::vector<std::string_view>& header, char delim, const ReadOptions& options,
                       LoadReport report, const std::vector<std::string>* overrideNames);

}  // namespace benchtop::methyl
