#include "core/methyl/cpgpt_predictor.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/hub/model_store.h"
#include "core/methyl/cpgpt/cpgpt_config.h"
#include "core/methyl/cpgpt/locus_embeddings.h"

namespace fs = std::filesystem;

namespace benchtop::methyl {
namespace {

constexpr const char* kOutputsFile = "outputs.json";

std::string transformName(cpgpt::OutputTransform t) {
    switch (t) {
        case cpgpt::OutputTransform::Sigmoid:
            return "sigmoid";
        case cpgpt::OutputTransform::Affine:
            return "affine";
        case cpgpt::OutputTransform::Identity:
            break;
    }
    return "identity";
}

/// The first of `candidates` (relative to `dir`) that exists, or "".
fs::path firstExisting(const fs::path& dir, const std::vector<std::string>& candidates) {
    std::error_code ec;
    for (const auto& c : candidates)
        if (fs::is_regular_file(dir / fs::u8path(c), ec)) return dir / fs::u8path(c);
    return {};
}

}  // namespace

bool isCpgptFolder(const std::string& path) {
    std::error_code ec;
    const fs::path dir = fs::u8path(path);
    return fs::is_directory(dir, ec) && fs::is_regular_file(dir / "config.yaml", ec) &&
           fs::is_regular_file(dir / "vocab.json", ec) &&
           (fs::is_regular_file(dir / "model.ckpt", ec) || fs::is_regular_file(dir / "model.safetensors", ec));
}

std::string findCpgptFolder(const std::string& ref) {
    if (ref.empty()) return {};
    if (isCpgptFolder(ref)) return ref;
    std::error_code ec;
    if (fs::exists(fs::u8path(ref), ec)) return {};
    hub::Catalog catalog;
    try {
        catalog = hub::Catalog::loadDefault();
    } catch (const Error&) {
    }
    const hub::ModelStore store(catalog);
    if (const auto local = store.find(ref); local && isCpgptFolder(local->path)) return local->path;
    const fs::path imported = fs::u8path(store.storeDir()) / fs::u8path(ref);
    if (isCpgptFolder(imported.u8string())) return imported.u8string();
    return {};
}

std::vector<cpgpt::OutputSpec> readCpgptOutputs(const std::string& folder, const cpgpt::CpgptVocab& vocab) {
    std::vector<cpgpt::OutputSpec> outputs;
    const fs::path path = fs::u8path(folder) / kOutputsFile;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        for (const auto& name : vocab.output) outputs.push_back({name});
        return outputs;
    }
    std::ifstream in(path, std::ios::binary);
    const auto doc = nlohmann::json::parse(in, nullptr, false);
    if (!doc.is_array()) throw Error(path.u8string(), "is not a JSON list of outputs.");
    for (const auto& o : doc) {
        cpgpt::OutputSpec spec;
        try {
            spec.name = o.at("name").get<std::string>();
            spec.unit = o.value("unit", std::string());
            spec.transform = cpgpt::parseOutputTransform(o.value("transform", std::string("identity")));
            spec.scale = o.value("scale", 1.0);
            spec.offset = o.value("offset", 0.0);
        } catch (const nlohmann::json::exception& e) {
            throw Error(path.u8string(), std::string("has a malformed output: ") + e.what());
        }
        if (std::find(vocab.output.begin(), vocab.output.end(), spec.name) == vocab.output.end())
            throw Error(path.u8string(), "declares the output '" + spec.name + "', which vocab.json does not have.");
        outputs.push_back(std::move(spec));
    }
    return outputs;
}

std::vector<Clock> cpgptOutputClocks(const std::string& folder, const std::vector<cpgpt::OutputSpec>& outputs) {
    std::vector<Clock> clocks;
    for (const auto& o : outputs) {
        Clock c;
        c.def.id = o.name;
        c.def.file = folder;
        c.def.kind = ClockKind::Cpgpt;
        c.def.transform = o.transform == cpgpt::OutputTransform::Sigmoid ? Transform::Sigmoid : Transform::Identity;
        // "age, years" is what the writers look for to report age acceleration.
        c.def.output = toLowerAscii(o.unit) == "years" ? "predicted age, years" : o.unit;
        c.def.citation = "CpGPT (de Lima Camillo et al., bioRxiv 2024, doi:10.1101/2024.10.24.619766), model " +
                         folder + "; output '" + o.name + "' (" + transformName(o.transform) + ")";
        clocks.push_back(std::move(c));
    }
    return clocks;
}

CpgptOutputDeclaration parseCpgptOutputDeclaration(const std::string& defaultJson, const std::string& namedJson,
                                                   const std::string& context) {
    CpgptOutputDeclaration d;
    const auto spec = [&](const nlohmann::json& o) {
        if (!o.is_object()) throw Error(context, "an output declaration is not a JSON object.");
        cpgpt::OutputSpec s;
        s.name = o.value("name", std::string());
        s.unit = o.value("unit", std::string());
        s.transform = cpgpt::parseOutputTransform(o.value("transform", std::string("identity")));
        s.scale = o.value("scale", 1.0);
        s.offset = o.value("offset", 0.0);
        return s;
    };
    try {
        if (!defaultJson.empty()) {
            d.fallback = spec(nlohmann::json::parse(defaultJson));
            d.given = true;
        }
        if (!namedJson.empty()) {
            const auto list = nlohmann::json::parse(namedJson);
            if (!list.is_array()) throw Error(context, "the declared outputs are not a JSON list.");
            for (const auto& o : list) d.named.push_back(spec(o));
            d.given = true;
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(context, std::string("the declared outputs are not valid JSON: ") + e.what());
    }
    return d;
}

CpgptImport importCpgptModel(const std::string& source, const std::string& name, const std::string& dependencies,
                             const std::string& target, const CpgptOutputDeclaration& declared) {
    const fs::path src = fs::u8path(source);
    std::error_code ec;
    if (!fs::is_directory(src, ec)) throw Error(source, "is not a folder.");
    // Flat, or CpGPT's own download layout.
    const fs::path config = firstExisting(src, {"config.yaml", "config/" + name + ".yaml"});
    const fs::path vocabFile = firstExisting(src, {"vocab.json", "vocab/" + name + ".json"});
    const fs::path weights = firstExisting(src, {"model.safetensors", "model.ckpt", "weights/" + name + ".ckpt"});
    if (config.empty() || vocabFile.empty() || weights.empty())
        throw Error(source, "holds no CpGPT model" + (name.empty() ? std::string() : " '" + name + "'") +
                                ": expected config.yaml, vocab.json and model.ckpt (or config/" +
                                (name.empty() ? "<name>" : name) +
                                ".yaml, vocab/…json and weights/…ckpt as "
                                "CpGPT's download lays them out).");
    const cpgpt::CpgptConfig cfg = cpgpt::readConfig(config.u8string());
    const cpgpt::CpgptVocab vocab = cpgpt::readVocab(vocabFile.u8string());
    std::vector<cpgpt::OutputSpec> outputs;
    if (declared.given) {
        for (const auto& o : declared.named)
            if (std::find(vocab.output.begin(), vocab.output.end(), o.name) == vocab.output.end())
                throw Error(vocabFile.u8string(), "has no output '" + o.name + "' (the catalog declares it).");
        for (const auto& out : vocab.output) {
            const auto it = std::find_if(declared.named.begin(), declared.named.end(),
                                         [&](const cpgpt::OutputSpec& o) { return o.name == out; });
            cpgpt::OutputSpec spec = it != declared.named.end() ? *it : declared.fallback;
            spec.name = out;
            outputs.push_back(std::move(spec));
        }
    }

    const fs::path out = fs::u8path(target);
    if (fs::exists(out, ec) && !fs::is_empty(out, ec))
        throw Error(target, "already holds files; import into a new folder (nothing was overwritten).");
    // Everything goes into a sibling ".part" folder, renamed only when complete.
    const fs::path staging = out.parent_path() / (out.filename().u8string() + ".part");
    fs::remove_all(staging, ec);
    fs::create_directories(staging, ec);
    if (ec) throw Error(staging.u8string(), "cannot be created: " + ec.message());
    CpgptImport result;
    try {
        const auto copy = [&](const fs::path& from, const std::string& to) {
            fs::copy_file(from, staging / to, ec);
            if (ec) throw Error(from.u8string(), "could not be copied: " + ec.message());
        };
        copy(config, "config.yaml");
        copy(vocabFile, "vocab.json");
        copy(weights, weights.extension() == ".safetensors" ? "model.safetensors" : "model.ckpt");
        const cpgpt::LocusTable table = cpgpt::importLocusEmbeddings(
            dependencies, vocab.input, cfg.dnaLlm.empty() ? "nucleotide-transformer-v2-500m-multi-species" : cfg.dnaLlm,
            cfg.dnaContextLen > 0 ? cfg.dnaContextLen : 2001, cfg.dDnaEmbedding, "homo_sapiens", &result.locus);
        cpgpt::writeLocusTable((staging / "locus_embeddings.safetensors").u8string(), table);
        if (!outputs.empty()) {
            nlohmann::json doc = nlohmann::json::array();
            for (const auto& o : outputs)
                doc.push_back({{"name", o.name},
                               {"unit", o.unit},
                               {"transform", transformName(o.transform)},
                               {"scale", o.scale},
                               {"offset", o.offset}});
            std::ofstream f(staging / kOutputsFile, std::ios::binary);
            f << doc.dump(2) << '\n';
            if (!f) throw Error((staging / kOutputsFile).u8string(), "could not be written.");
        }
        fs::remove(out, ec);  // an empty folder given as the target
        fs::rename(staging, out, ec);
        if (ec) throw Error(target, "could not be created: " + ec.message());
    } catch (...) {
        fs::remove_all(staging, ec);
        throw;
    }
    result.folder = out.u8string();
    result.outputs = outputs.empty() ? readCpgptOutputs(result.folder, vocab) : outputs;
    return result;
}

}  // namespace benchtop::methyl
