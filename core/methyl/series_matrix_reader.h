#pragma once
// The GEO series-matrix reader: sample metadata from the '!Sample_*' header, then the tab-separated table
// between !series_matrix_table_begin and !series_matrix_table_end. Internal to core/methyl (readBetaMatrix()
// in beta_matrix.h sniffs the format and calls it).

#include <string>

#include "core/methyl/beta_matrix.h"

namespace benchtop::methyl {

class LineReader;

/// Reads a series matrix from `reader` (positioned at the start of the text). Sample names are the GSM
/// accessions; ages, sex and titles come from the characteristics. A table without its end marker is a
/// truncated download and says so, even when a row of it is also malformed.
BetaMatrix readSeriesMatrix(LineReader& reader, const std::string& name, const ReadOptions& options, LoadReport report);

}  // namespace benchtop::methyl
