#include "tests/fuzz/fuzz_support.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace benchtop::fuzz {

std::string scratchFile(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
    const std::string path =
        (std::filesystem::temp_directory_path() / ("benchtop-fuzz-" + std::to_string(::getpid()) + suffix)).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    return path;
}

}  // namespace benchtop::fuzz
