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
#include "core/engine/shard.h"
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

bool isEmbeddingPart(const std::string& dir) {
    std::error_code ec;
    const fs::path infoPath = fs::u8path(dir) / "embedding_info.json";
    if (!fs::is_regular_file(infoPath, ec)) return false;
    std::ifstream in(infoPath, std::ios::binary);
    const auto info = nlohmann::json::parse(in, nullptr, false);
    return info.is_object() && info.contains("shard");
}

MergedEmbeddings mergeEmbeddingParts(const std::vector<std::string>& partDirs, const std::string& outDir) {
    if (partDirs.empty()) throw Error("merge", "no part folders given.");
    std::vector<Part> parts;
    for (const auto& dir : partDirs) parts.push_back(readPart(dir));
    // One job (the same inputs, model and options, split the same way), every part once, covering every text.
    std::vector<engine::PartHeader> headers;
    for (const Part& p : parts) {
        engine::PartHeader h;
        h.dir = p.dir;
        h.index = p.index;
        h.count = p.info["shard"].value("count", 0);
        h.total = p.info["shard"].value("total", std::size_t(0));
        h.first = p.first;
        h.end = p.end;
        for (const auto& key : kSameJob) h.job[key] = p.info.value(key, nlohmann::json()).dump();
        h.job["options"] = optionsWithoutShard(p.info).dump();
        headers.push_back(std::move(h));
    }
    std::vector<const Part*> ordered;
    for (const engine::PartHeader* h : engine::checkParts(headers, "texts"))
        ordered.push_back(&parts[static_cast<std::size_t>(h - headers.data())]);
    const Part& reference = *ordered.front();
    const std::size_t total = headers.front().total;

    // Never over an earlier result.
    engine::createMergeFolder(outDir);
    const fs::path out = fs::u8path(outDir);
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
