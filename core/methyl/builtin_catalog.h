#pragma once

#include <string_view>

namespace benchtop::methyl {

/// The text of resources/catalog/catalog.json as it was when Benchtop was built: the one source of the clocks'
/// intercepts, outputs, usage flags and citations (clock_definitions.cpp), independent of the catalog found at
/// run time.
std::string_view builtinCatalogJson();

}  // namespace benchtop::methyl
