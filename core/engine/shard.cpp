#include "core/engine/shard.h"

#include <cctype>

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

}  // namespace benchtop::engine
