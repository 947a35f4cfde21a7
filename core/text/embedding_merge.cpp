#include "core/text/embedding_merge.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/json_file.h"
#include "core/engine/output_publisher.h"
#include "core/tensor/npy_reader.h"
#include "core/tensor/npy_writer.h"
#include "core/tensor/safetensors_file.h"
#include "core/tensor/safetensors_writer.h"

namespace fs = std::filesystem;

namespace benchtop::text {
namespace {

struct Part {
    std::string dir;
    nlohmann::json info;
    int index = 0;
    std::size_t first = 0;
    std::size_t end = 0;
};

/// The fields that must agree for parts to be of one job.
const std::vector<std::string> kSameJob = {"inputs",     "model",     "pooling", "normalize", "dim",
                                           "max_length", "precision", "dtype",   "outputs"};

Part readPart(const std::string& dir) {
    const fs::path infoPath = fs::u8path(dir) / "embedding_info.json";
    std::error_code ec;
    if (!fs::is_regular_file(infoPath, ec))
        throw Error(dir, "is not the result folder of a text job (it has no embedding_info.json).");
    std::ifstream in(infoPath, std::ios::binary);
    Part part;
    part.dir = dir;
    try {
        part.info = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw Error(infoPath.u8string(), std::string("is not valid JSON: ") + e.what());
    }
    const auto shard = part.info.find("shard");
    if (shard == part.info.end() || !shard->is_object())
        throw Error(dir, "is the result of a whole run, not of a part (run --shard I/N): there is nothing to merge.");
    try {
        part.index = shard->at("index").get<int>();
        part.first = shard->at("first").get<std::size_t>();
        part.end = shard->at("end").get<std::size_t>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(infoPath.u8string(), std::string("has a damaged \"shard\" entry: ") + e.what());
    }
    return part;
}

nlohmann::json optionsWithoutShard(const nlohmann::json& info) {
    nlohmann::json options = info.value("options", nlohmann::json::object());
    options.erase("shard");
    return options;
}

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.u8string(), "cannot be read.");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

MergedEmbeddings mergeEmbeddingParts(const std::vector<std::string>& partDirs, const std::string& outDir) {
    if (partDirs.empty()) throw Error("merge", "no part folders given.");
    std::vector<Part> parts;
    for (const auto& dir : partDirs) parts.push_back(readPart(dir));

    // One job: the same inputs, model and options, split the same number of ways.
    const Part& reference = parts.front();
    const int count = reference.info["shard"].value("count", 0);
    const std::size_t total = reference.info["shard"].value("total", std::size_t(0));
    for (const Part& p : parts) {
        for (const auto& key : kSameJob)
            if (p.info.value(key, nlohmann::json()) != reference.info.value(key, nlohmann::json()))
                throw Error(p.dir, "is a part of another job than " + reference.dir + ": its " + key + " differs (" +
                                       p.info.value(key, nlohmann::json()).dump() + " against " +
                                       reference.info.value(key, nlohmann::json()).dump() + ").");
        if (optionsWithoutShard(p.info) != optionsWithoutShard(reference.info))
            throw Error(p.dir, "is a part of another job than " + reference.dir + ": its options differ (" +
                                   optionsWithoutShard(p.info).dump() + " against " +
                                   optionsWithoutShard(reference.info).dump() + ").");
        if (p.info["shard"].value("count", 0) != count || p.info["shard"].value("total", std::size_t(0)) != total)
            throw Error(p.dir, "was split " + std::to_string(p.info["shard"].value("count", 0)) + " ways, " +
                                   reference.dir + " " + std::to_string(count) +
                                   " ways: they are not parts of one run.");
    }
    // Every part exactly once.
    std::map<int, const Part*> byIndex;
    for (const Part& p : parts) {
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
    std::vector<const Part*> ordered;
    for (const auto& [index, part] : byIndex) ordered.push_back(part);
    std::size_t expectedFirst = 0;
    for (const Part* p : ordered) {
        if (p->first != expectedFirst || p->end < p->first)
            throw Error(p->dir, "covers texts " + std::to_string(p->first) + ".." + std::to_string(p->end) +
                                    ", expected to start at " + std::to_string(expectedFirst) + ".");
        expectedFirst = p->end;
    }
    if (expectedFirst != total)
        throw Error("merge",
                    "the parts cover " + std::to_string(expectedFirst) + " of " + std::to_string(total) + " texts.");

    // Never over an earlier result.
    std::error_code ec;
    const fs::path out = fs::u8path(outDir);
    if (fs::exists(out, ec) && !fs::is_empty(out, ec))
        throw Error(outDir, "already holds files; merge into a new folder (nothing was overwritten).");
    fs::create_directories(out, ec);
    if (ec) throw Error(outDir, "cannot create the folder: " + ec.message());

    engine::OutputPublisher publisher(out.u8string());
    MergedEmbeddings merged;
    merged.parts = ordered.size();
    merged.texts = total;
    try {
        const std::string outputs = reference.info.value("outputs", std::string("dense"));
        const bool dense = outputs.find("dense") != std::string::npos;
        const bool sparse = outputs.find("sparse") != std::string::npos;
        const bool colbert = outputs.find("colbert") != std::string::npos;
        if (dense) {
            std::vector<tensor::NpyArray> arrays;
            for (const Part* p : ordered)
                arrays.push_back(tensor::readNpy((fs::u8path(p->dir) / "embeddings.npy").u8string()));
            const tensor::DType dtype = arrays.front().dtype;
            const std::int64_t dim = arrays.front().shape.size() == 2 ? arrays.front().shape[1] : 0;
            for (std::size_t k = 0; k < arrays.size(); ++k)
                if (arrays[k].dtype != dtype || arrays[k].shape.size() != 2 || arrays[k].shape[1] != dim ||
                    arrays[k].shape[0] != static_cast<std::int64_t>(ordered[k]->end - ordered[k]->first))
                    throw Error((fs::u8path(ordered[k]->dir) / "embeddings.npy").u8string(),
                                "does not hold this part's rows (" +
                                    std::to_string(ordered[k]->end - ordered[k]->first) + " x " + std::to_string(dim) +
                                    ").");
            tensor::NpyWriter writer(publisher.partPath("embeddings.npy"), dtype,
                                     {static_cast<std::int64_t>(total), dim}, tensor::NpyWriter::Mode::Direct);
            for (const auto& a : arrays) writer.appendRows(a.data.data(), a.shape[0]);
            writer.close();
        }
        const auto concatenate = [&](const std::string& name) {
            std::ofstream o(publisher.partPath(name), std::ios::binary);
            for (const Part* p : ordered) o << readAll(fs::u8path(p->dir) / name);
            if (!o) throw Error((out / name).u8string(), "could not be written (disk full?).");
        };
        concatenate("texts.jsonl");
        if (sparse) concatenate("sparse.jsonl");
        if (colbert) {
            std::vector<std::uint8_t> vectors;
            std::vector<std::int64_t> offsets{0};
            tensor::DType dtype = tensor::DType::F32;
            std::int64_t width = 0;
            std::map<std::string, std::string> metadata;
            for (const Part* p : ordered) {
                const tensor::SafetensorsFile file((fs::u8path(p->dir) / "colbert.safetensors").u8string());
                const auto& info = file.info("colbert");
                dtype = info.dtype;
                width = info.shape.size() == 2 ? info.shape[1] : 0;
                metadata = file.metadata();
                const tensor::ByteView bytes = file.bytes("colbert");
                vectors.insert(vectors.end(), bytes.data, bytes.data + bytes.size);
                const tensor::ByteView o = file.bytes("offsets");
                std::vector<std::int64_t> local(o.size / 8);
                std::memcpy(local.data(), o.data, local.size() * 8);
                const std::int64_t base = offsets.back();
                for (std::size_t k = 1; k < local.size(); ++k) offsets.push_back(base + local[k]);
            }
            tensor::writeSafetensors(publisher.partPath("colbert.safetensors"),
                                     {{"colbert", dtype, {offsets.back(), width}, {vectors.data(), vectors.size()}},
                                      {"offsets",
                                       tensor::DType::I64,
                                       {static_cast<std::int64_t>(offsets.size())},
                                       {reinterpret_cast<const std::uint8_t*>(offsets.data()), offsets.size() * 8}}},
                                     metadata);
        }
        // The run's description: the parts' sums, as if one run had done them all.
        nlohmann::json info = reference.info;
        info.erase("shard");
        info["options"] = optionsWithoutShard(reference.info);
        info["count"] = total;
        double runSeconds = 0, tokens = 0, padded = 0;
        std::set<std::string> devices;
        for (const Part* p : ordered) {
            runSeconds += p->info.value("run_seconds", 0.0);
            tokens += p->info.value("tokens", 0.0);
            padded += p->info.value("padded_tokens", 0.0);
            devices.insert(p->info.value("device", std::string()));
        }
        info["tokens"] = static_cast<std::int64_t>(tokens);
        info["padded_tokens"] = static_cast<std::int64_t>(padded);
        info["padding_efficiency"] = padded > 0 ? tokens / padded : 1.0;
        info["run_seconds"] = runSeconds;
        info["texts_per_second"] = runSeconds > 0 ? double(total) / runSeconds : 0.0;
        info["tokens_per_second"] = runSeconds > 0 ? tokens / runSeconds : 0.0;
        if (devices.size() > 1) info["device"] = "mixed";
        info["merged_parts"] = ordered.size();
        {
            std::ofstream o(publisher.partPath("embedding_info.json"), std::ios::binary);
            o << info.dump(2) << '\n';
            if (!o) throw Error((out / "embedding_info.json").u8string(), "could not be written (disk full?).");
        }
        merged.files = publisher.publish();
    } catch (...) {
        publisher.discard();
        throw;
    }
    return merged;
}

}  // namespace benchtop::text
