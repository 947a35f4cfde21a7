#include "core/audio/speech_parts.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/engine/input_plan.h"
#include "core/engine/output_publisher.h"
#include "core/engine/shard.h"

#ifndef BENCHTOP_VERSION
#define BENCHTOP_VERSION "dev"
#endif

namespace fs = std::filesystem;
using nlohmann::json;

namespace benchtop::audio {

std::vector<int> assignFilesToParts(const std::vector<double>& durations, int parts) {
    std::vector<std::size_t> order(durations.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return durations[a] > durations[b]; });
    std::vector<double> load(static_cast<std::size_t>(std::max(parts, 1)), 0.0);
    std::vector<int> part(durations.size(), 0);
    for (std::size_t file : order) {
        const auto least = std::min_element(load.begin(), load.end()) - load.begin();  // first of equals
        part[file] = static_cast<int>(least);
        load[static_cast<std::size_t>(least)] += std::max(durations[file], 0.0);
    }
    return part;
}

std::vector<std::string> transcriptStems(const std::vector<std::string>& inputs) {
    std::set<std::string> used;
    std::vector<std::string> stems;
    for (const auto& path : inputs) {
        // Two inputs with the same name (a/talk.wav, b/talk.wav) must not overwrite each other.
        const std::string stem = fs::u8path(path).stem().u8string();
        std::string unique = stem;
        for (int n = 2; !used.insert(unique).second; ++n) unique = stem + "-" + std::to_string(n);
        stems.push_back(unique);
    }
    return stems;
}

void writeSpeechPart(const std::string& path, const SpeechPart& part) {
    json doc;
    doc["benchtop_version"] = BENCHTOP_VERSION;
    doc["task"] = "speech";
    doc["inputs"] = part.inputs;
    doc["model"] = part.model;
    json options = json::object();
    for (const auto& [key, value] : part.options) options[key] = value;
    doc["options"] = options;
    doc["formats"] = part.formats;
    doc["device"] = part.device;
    doc["precision"] = part.precision;
    doc["shard"] = {{"index", part.index}, {"count", part.count}, {"total", part.inputs.size()}};
    json files = json::array();
    for (const auto& [input, seconds] : part.files) files.push_back({{"input", input}, {"seconds", seconds}});
    doc["files"] = files;
    std::ofstream out(path, std::ios::binary);
    out << doc.dump(2) << '\n';
    if (!out) throw Error(path, "could not be written (disk full?).");
}

bool isSpeechPart(const std::string& dir) {
    std::error_code ec;
    return fs::is_regular_file(fs::u8path(dir) / kSpeechPartFile, ec);
}

std::vector<std::string> mergeSpeechParts(const std::vector<std::string>& partDirs, const std::string& outDir) {
    if (partDirs.empty()) throw Error("merge", "no part folders given.");
    std::vector<json> docs;
    std::vector<engine::PartHeader> headers;
    for (const auto& dir : partDirs) {
        const fs::path path = fs::u8path(dir) / kSpeechPartFile;
        std::ifstream in(path, std::ios::binary);
        if (!in)
            throw Error(dir, std::string("is not the result folder of a part of a speech job (it has no ") +
                                 kSpeechPartFile + ").");
        docs.push_back(json::parse(in, nullptr, false));
        const json& doc = docs.back();
        engine::PartHeader h;
        h.dir = dir;
        h.ranged = false;
        try {
            h.index = doc.at("shard").at("index").get<int>();
            h.count = doc.at("shard").at("count").get<int>();
            h.total = doc.at("shard").at("total").get<std::size_t>();
            doc.at("files");
        } catch (const json::exception& e) {
            throw Error(path.u8string(), std::string("is damaged: ") + e.what());
        }
        for (const char* key : {"inputs", "model", "options", "formats"}) h.job[key] = doc.value(key, json()).dump();
        headers.push_back(std::move(h));
    }
    const std::vector<const engine::PartHeader*> ordered = engine::checkParts(headers, "files");
    const json& reference = docs[static_cast<std::size_t>(ordered.front() - headers.data())];
    const auto inputs = reference.value("inputs", std::vector<std::string>());
    const auto formats = reference.value("formats", std::vector<std::string>());
    const std::vector<std::string> stems = transcriptStems(inputs);

    // Every file transcribed by exactly one part.
    std::vector<const engine::PartHeader*> owner(inputs.size(), nullptr);
    for (const engine::PartHeader* h : ordered) {
        const json& doc = docs[static_cast<std::size_t>(h - headers.data())];
        for (const json& f : doc.at("files")) {
            const auto input = f.value("input", inputs.size());
            if (input >= inputs.size()) throw Error(h->dir, "names a file the job does not have.");
            if (owner[input])
                throw Error(h->dir, "transcribed " + inputs[input] + ", which " + owner[input]->dir +
                                        " transcribed too: they are not parts of one split.");
            owner[input] = h;
        }
    }
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (!owner[i]) throw Error(inputs[i], "was transcribed by none of the parts given.");

    engine::createMergeFolder(outDir);
    engine::OutputPublisher publisher(outDir);
    std::vector<std::string> files;
    try {
        for (std::size_t i = 0; i < inputs.size(); ++i)
            for (const auto& format : formats) {
                const std::string name = stems[i] + "." + format;
                const fs::path from = fs::u8path(owner[i]->dir) / fs::u8path(name);
                std::error_code ec;
                if (!fs::is_regular_file(from, ec))
                    throw Error(owner[i]->dir, "lacks " + name + ", the " + format + " transcript of " + inputs[i] +
                                                   " (the part did not finish?).");
                fs::copy_file(from, fs::u8path(publisher.partPath(name)), fs::copy_options::overwrite_existing, ec);
                if (ec) throw Error((fs::u8path(outDir) / name).u8string(), "could not be written: " + ec.message());
            }
        files = publisher.publish();
    } catch (...) {
        publisher.discard();
        throw;
    }
    engine::writeJobMarker(outDir, "speech", inputs);
    return files;
}

}  // namespace benchtop::audio
