#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

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

/// What a part's result says about itself (read by a task's merge), for checking a set of parts before merging.
struct PartHeader {
    std::string dir;  ///< the part's result folder
    int index = 0;
    int count = 1;
    /// Fields that must agree between the parts of one job (name -> value as text): inputs, model, options...
    std::map<std::string, std::string> job;
    /// The part holds the contiguous items [first, end) of the job's `total` (texts, samples); false for parts
    /// that take scattered items (whole files balanced by duration), whose task checks coverage itself.
    bool ranged = true;
    std::size_t first = 0;
    std::size_t end = 0;
    std::size_t total = 0;
};

/// Checks that the parts are of one job (same `job` fields and part count), each part given once and none
/// missing, and for ranged parts that they cover [0, total) in order; returns them ordered by index. Throws
/// benchtop::Error naming the folders (`items`: what the ranges count, "texts").
std::vector<const PartHeader*> checkParts(const std::vector<PartHeader>& parts, const std::string& items);

/// Creates `outDir` for a merge; refuses one that already holds files (nothing is overwritten).
void createMergeFolder(const std::string& outDir);

}  // namespace benchtop::engine
