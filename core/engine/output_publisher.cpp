#include "core/engine/output_publisher.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/common/error.h"

namespace fs = std::filesystem;

namespace benchtop::engine {
namespace {

constexpr const char* kPartSuffix = ".part";

std::string finalPathOf(const std::string& part) {
    return part.substr(0, part.size() - std::string(kPartSuffix).size());
}

}  // namespace

OutputPublisher::OutputPublisher(std::string folder) : m_folder(std::move(folder)) {}

void OutputPublisher::setFolder(std::string folder) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_folder = std::move(folder);
}

std::string OutputPublisher::folder() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_folder;
}

std::string OutputPublisher::partPath(const std::string& fileName) {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_folder.empty()) throw Error(fileName, "the job has no result folder yet");
    const std::string part = (fs::path(m_folder) / (fileName + kPartSuffix)).string();
    if (std::find(m_parts.begin(), m_parts.end(), part) == m_parts.end()) m_parts.push_back(part);
    return part;
}

std::vector<std::string> OutputPublisher::publish() {
    std::vector<std::string> parts;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        parts = m_parts;
    }
    std::vector<std::string> results;
    for (const auto& part : parts) {
        std::error_code ec;
        if (!fs::exists(part, ec)) continue;
        const std::string finalPath = finalPathOf(part);
        fs::rename(part, finalPath, ec);
        if (ec) throw Error(finalPath, "cannot move the finished result into place: " + ec.message());
        results.push_back(finalPath);
    }
    return results;
}

void OutputPublisher::discard() {
    std::vector<std::string> parts;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        parts = m_parts;
    }
    for (const auto& part : parts) {
        std::error_code ec;
        fs::remove(part, ec);
    }
}

void OutputPublisher::reset() {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_parts.clear();
    m_folder.clear();
}

void writeFileAtomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
    const std::string part = path + kPartSuffix;
    try {
        {
            std::ofstream out(part, std::ios::binary | std::ios::trunc);
            if (!out)
                throw Error(path, "cannot be written (" + fs::path(path).parent_path().string() + " not writable?)");
            write(out);
            out.flush();
            if (!out) throw Error(path, "writing failed (disk full?)");
        }
        std::error_code ec;
        fs::rename(part, path, ec);
        if (ec) throw Error(path, "cannot move the finished file into place: " + ec.message());
    } catch (...) {
        std::error_code ec;
        fs::remove(part, ec);
        throw;
    }
}

}  // namespace benchtop::engine
