#pragma once

#include <cstdint>
#include <string>

namespace benchtop {

/// Memory a job may count on: the machine's available memory, or BENCHTOP_MEMORY_LIMIT (bytes; a cap
/// for shared machines, and how tests make a small file "too large") when that is set and smaller.
std::uint64_t availableMemoryBytes();

/// Fails early - before reading - when processing `path` needs about `neededBytes` of memory and less
/// is available: a clear error naming the file, the sizes and what to do, never an out-of-memory kill.
/// `what` says how the file is read ("a beta matrix", "texts"). No-op when the available memory is unknown.
void requireMemoryFor(const std::string& path, std::uint64_t neededBytes, const std::string& what);

/// "3.2 GB", "850 MB", "12 kB".
std::string humanBytes(std::uint64_t bytes);

}  // namespace benchtop
