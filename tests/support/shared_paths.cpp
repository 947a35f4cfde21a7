#include "tests/support/shared_paths.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch_test_macros.hpp>

namespace fs = std::filesystem;

namespace benchtop::test {

std::string sharedPath(const std::string& relative) {
    const fs::path path = fs::path(BENCHTOP_SHARED_DIR) / relative;
    if (!fs::exists(path)) {
        FAIL("missing fixture: " << path.string()
                                 << " (set -DBENCHTOP_SHARED_DIR to the shared/ folder beside the checkout)");
    }
    return fs::absolute(path).lexically_normal().string();
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) FAIL("cannot read " << path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

TempDir::TempDir() {
    static std::atomic<int> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    const fs::path path =
        fs::temp_directory_path() / ("benchtop-test-" + std::to_string(stamp) + "-" + std::to_string(counter++));
    fs::create_directories(path);
    m_path = path.string();
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace benchtop::test
