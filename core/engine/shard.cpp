#include "core/engine/shard.h"

#include <cctype>
#include <filesystem>

#include "core/common/error.h"
#include "core/engine/job.h"

namespace benchtop::engine {

std::pair<std::size_t, std::size_t> Shard::range(std::size_t total) const {
    const auto first = static_cast<std::size_t>(static_cast<unsigned long long>(index) * total / count);
    const auto end = static_cast<std::size_t>(static_cast<unsigned long long>(index + 1) * total / count);
    return {first, end};
}

std::string Shard::toString() const {
    return std::to_string(index) + "/" + std::to_string(count);
}

std::string Shard::folderSuffix() const {
    return split() ? ".shard-" + std::to_string(index) + "-of-" + std::to_string(count) : std::string();
}

Shard parseShard(const std::string& text) {
    const auto slash = text.find('/');
    const auto digits = [](const std::string& s) {
        if (s.empty() || s.size() > 6) return false;
        for (char c : s)
            if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        return true;
    };
    if (slash != std::string::npos && digits(text.substr(0, slash)) && digits(text.substr(slash + 1))) {
        Shard shard{std::stoi(text.substr(0, slash)), std::stoi(text.substr(slash + 1))};
        if (shard.count >= 1 && shard.count <= 100000 && shard.index < shard.count) return shard;
    }
    throw Error("--shard " + text,
                "give the part as I/N with 0 <= I < N (e.g. 0/4 ... 3/4; a Slurm array task passes "
                "$SLURM_ARRAY_TASK_ID/N).");
}

Shard shardOf(const JobSpec& spec) {
    const auto it = spec.options.find("shard");
    return it == spec.options.end() || it->second.empty() ? Shard{} : parseShard(it->second);
}

std::vector<const PartHeader*> checkParts(const std::vector<PartHeader>& parts, const std::string& items) {
    if (parts.empty()) throw Error("merge", "no part folders given.");
    // One job: the same inputs, model and options, split the same number of ways.
    const PartHeader& reference = parts.front();
    for (const PartHeader& p : parts) {
        for (const auto& [key, value] : reference.job) {
            const auto it = p.job.find(key);
            const std::string other = it == p.job.end() ? std::string("none") : it->second;
            if (other != value)
                throw Error(p.dir, "is a part of another job than " + reference.dir + ": its " + key + " differs (" +
                                       other + " against " + value + ").");
        }
        for (const auto& [key, value] : p.job)
            if (!reference.job.count(key))
                throw Error(p.dir, "is a part of another job than " + reference.dir + ": it has " + key + " " + value +
                                       ", which " + reference.dir + " has not.");
        if (p.count != reference.count || p.total != reference.total)
            throw Error(p.dir, "was split " + std::to_string(p.count) + " ways, " + reference.dir + " " +
                                   std::to_string(reference.count) + " ways: they are not parts of one run.");
    }
    // Every part exactly once.
    const int count = reference.count;
    std::map<int, const PartHeader*> byIndex;
    for (const PartHeader& p : parts) {
        if (p.index < 0 || p.index >= count)
            throw Error(p.dir, "names part " + std::to_string(p.index) + " of " + std::to_string(count) + ".");
        const auto [it, added] = byIndex.emplace(p.index, &p);
        if (!added)
            throw Error(p.dir, "is part " + std::to_string(p.index) + ", which " + it->second->dir +
                                   " is too: give each part once.");
    }
    std::string missing;
    for (int i = 0; i < count; ++i)
        if (!byIndex.count(i)) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
    if (!missing.empty())
        throw Error("merge", "part(s) " + missing + " of " + std::to_string(count) +
                                 " are missing (a failed array task? run it again with --shard I/" +
                                 std::to_string(count) + ").");
    std::vector<const PartHeader*> ordered;
    for (const auto& [index, part] : byIndex) ordered.push_back(part);
    if (!reference.ranged) return ordered;
    std::size_t expectedFirst = 0;
    for (const PartHeader* p : ordered) {
        if (p->first != expectedFirst || p->end < p->first)
            throw Error(p->dir, "covers " + items + " " + std::to_string(p->first) + ".." + std::to_string(p->end) +
                                    ", expected to start at " + std::to_string(expectedFirst) + ".");
        expectedFirst = p->end;
    }
    if (expectedFirst != reference.total)
        throw Error("merge", "the parts cover " + std::to_string(expectedFirst) + " of " +
                                 std::to_string(reference.total) + " " + items + ".");
    return ordered;
}

void createMergeFolder(const std::string& outDir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path out = fs::u8path(outDir);
    if (fs::exists(out, ec) && !fs::is_empty(out, ec))
        throw Error(outDir, "already holds files; merge into a new folder (nothing was overwritten).");
    fs::create_directories(out, ec);
    if (ec) throw Error(outDir, "cannot create the folder: " + ec.message());
}

}  // namespace benchtop::engine
