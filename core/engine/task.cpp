#include "core/engine/task.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

#include <zlib.h>

#include "core/common/error.h"
#include "core/common/strings.h"

namespace fs = std::filesystem;

namespace benchtop::engine {
namespace {

constexpr std::size_t kProbeBytes = 64 * 1024;

}  // namespace

void TaskContext::throwIfCancelled() const {
    if (cancelled()) throw CancelledError();
}

FileProbe probeFile(const std::string& path) {
    FileProbe probe;
    probe.path = path;
    const fs::path p(path);
    probe.fileName = p.filename().string();
    std::error_code ec;
    probe.exists = fs::exists(p, ec);
    probe.isDirectory = probe.exists && fs::is_directory(p, ec);

    std::string ext = toLowerAscii(p.extension().string());
    if (ext == ".gz" || ext == ".bz2" || ext == ".xz") {
        const std::string inner = toLowerAscii(p.stem().extension().string());
        if (!inner.empty()) ext = inner + ext;
    }
    probe.extension = ext;
    if (!probe.exists || probe.isDirectory) return probe;

    if (ext.size() >= 3 && ext.compare(ext.size() - 3, 3, ".gz") == 0) {
        if (gzFile gz = gzopen(path.c_str(), "rb")) {
            probe.head.resize(kProbeBytes);
            const int n = gzread(gz, probe.head.data(), static_cast<unsigned>(kProbeBytes));
            probe.head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
            gzclose(gz);
        }
        return probe;
    }
    std::ifstream in(path, std::ios::binary);
    probe.head.resize(kProbeBytes);
    in.read(probe.head.data(), static_cast<std::streamsize>(kProbeBytes));
    probe.head.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
    return probe;
}

void TaskRegistry::add(TaskKind kind) {
    const auto it = std::find_if(m_kinds.begin(), m_kinds.end(), [&](const TaskKind& k) { return k.id == kind.id; });
    if (it != m_kinds.end()) *it = std::move(kind);
    else m_kinds.push_back(std::move(kind));
}

const TaskKind* TaskRegistry::find(const std::string& id) const {
    for (const auto& k : m_kinds)
        if (k.id == id) return &k;
    return nullptr;
}

const TaskKind* TaskRegistry::recognise(const FileProbe& probe) const {
    const TaskKind* best = nullptr;
    int bestScore = 0;
    for (const auto& k : m_kinds) {
        if (!k.recognise) continue;
        const int score = k.recognise(probe);
        if (score > bestScore) {
            best = &k;
            bestScore = score;
        }
    }
    return best;
}

TaskRegistry TaskRegistry::withBuiltinTasks() {
    TaskRegistry registry;
    registerBuiltinTasks(registry);
    return registry;
}

}  // namespace benchtop::engine
