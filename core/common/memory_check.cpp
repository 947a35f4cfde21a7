#include "core/common/memory_check.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "core/common/error.h"
#include "platform/cpu/cpu_info.h"

namespace benchtop {

std::uint64_t availableMemoryBytes() {
    std::uint64_t available = platform::memoryInfo().availableBytes;
    if (const char* limit = std::getenv("BENCHTOP_MEMORY_LIMIT"); limit && *limit) {
        char* end = nullptr;
        const unsigned long long cap = std::strtoull(limit, &end, 10);
        if (end && *end == '\0' && cap > 0 && (available == 0 || cap < available)) available = cap;
    }
    return available;
}

std::string humanBytes(std::uint64_t bytes) {
    char text[32];
    if (bytes >= 1000000000ull)
        std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / 1e9);
    else if (bytes >= 1000000ull)
        std::snprintf(text, sizeof text, "%.0f MB", static_cast<double>(bytes) / 1e6);
    else
        std::snprintf(text, sizeof text, "%.0f kB", static_cast<double>(bytes) / 1e3);
    return text;
}

void requireMemoryFor(const std::string& path, std::uint64_t neededBytes, const std::string& what) {
    const std::uint64_t available = availableMemoryBytes();
    if (available == 0 || neededBytes <= available) return;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    throw Error(path, (ec ? std::string("reading it") : "is " + humanBytes(size) + "; reading it") + " as " + what +
                          " needs about " + humanBytes(neededBytes) + " of memory but only " + humanBytes(available) +
                          " is available. Close other programs, use a machine with more memory, or split the file.");
}

}  // namespace benchtop
