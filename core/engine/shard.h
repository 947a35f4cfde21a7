#pragma once

#include <cstddef>
#include <string>
#include <utility>

namespace benchtop::engine {

struct JobSpec;

/// One part of a job split N ways (`--shard I/N`, a Slurm array task): the part processes a contiguous,
/// deterministic range of the job's work and writes a partial result that `benchtop-cli merge` combines into
/// exactly what one run writes. JobSpec::options["shard"] carries it as "I/N".
struct Shard {
    int index = 0;  ///< 0-based
    int count = 1;  ///< 1 = not split

    bool split() const { return count > 1; }
    /// Items [first, end) of `total` for this part: sizes differ by at most one, in order.
    std::pair<std::size_t, std::size_t> range(std::size_t total) const;
    /// "1/4"
    std::string toString() const;
    /// ".shard-1-of-4": the suffix of the part's result folder ("" when not split).
    std::string folderSuffix() const;
};

/// Parses "I/N" (0 <= I < N, 1 <= N <= 100000); throws benchtop::Error naming `--shard` otherwise.
Shard parseShard(const std::string& text);
/// The job's shard (option "shard"), or an unsplit one.
Shard shardOf(const JobSpec& spec);

}  // namespace benchtop::engine
