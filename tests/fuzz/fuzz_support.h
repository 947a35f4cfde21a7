#pragma once

// Shared by the libFuzzer targets (tests/fuzz): the parsers take file paths, so inputs go through a file.

#include <cstddef>
#include <cstdint>
#include <string>

namespace benchtop::fuzz {

/// Writes `data` to a per-process scratch file with the given suffix and returns its path (reused each run).
std::string scratchFile(const std::uint8_t* data, std::size_t size, const std::string& suffix);

}  // namespace benchtop::fuzz
