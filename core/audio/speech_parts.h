#pragma once

#include <string>
#include <utility>
#include <vector>

namespace benchtop::audio {

/// Splitting a speech job's files into parts (`run --shard I/N`; a Slurm array task each): whole files, balanced
/// by duration. Longest first, each to the part with the least audio so far (ties: the lower part), so the
/// assignment depends only on the durations and their order. Returns each file's part.
std::vector<int> assignFilesToParts(const std::vector<double>& durations, int parts);

/// Result names of a job's files (input order): the file's stem, "-2", "-3"… for a stem seen before, as one run
/// writes them, so every part names its transcripts as the whole run does.
std::vector<std::string> transcriptStems(const std::vector<std::string>& inputs);

/// What a part of a split speech job writes beside its transcripts.
struct SpeechPart {
    std::vector<std::string> inputs;  ///< every input of the job, in order
    std::string model;
    std::vector<std::pair<std::string, std::string>> options;  ///< the job's options without "shard"
    std::vector<std::string> formats;
    std::string device;
    std::string precision;
    int index = 0;
    int count = 1;
    /// The part's files: (index into inputs, duration in seconds).
    std::vector<std::pair<std::size_t, double>> files;
};

inline constexpr const char* kSpeechPartFile = "transcripts.shard.json";

void writeSpeechPart(const std::string& path, const SpeechPart& part);

/// Whether `dir` is the result folder of a part of a split speech job.
bool isSpeechPart(const std::string& dir);

/// Combines the parts' folders into `outDir` with exactly the files one run of the job writes (one transcript set
/// per file, each file's name as the whole run gives it) and the job marker. Refuses parts of different jobs
/// (inputs, model, options, formats, part count), repeated or missing parts, a file transcribed by no part or by
/// two, a transcript missing from its part, and an `outDir` that holds files, naming the folders.
std::vector<std::string> mergeSpeechParts(const std::vector<std::string>& partDirs, const std::string& outDir);

}  // namespace benchtop::audio
