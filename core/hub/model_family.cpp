#include "core/hub/model_family.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/tensor/safetensors_file.h"

namespace fs = std::filesystem;

namespace benchtop::hub {
namespace {

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.rfind(prefix, 0) == 0;
}

// Files every transformer family needs besides weights.
const std::vector<std::string> kCommonFiles = {"config.json", "tokenizer.json", "tokenizer_config.json",
                                               "special_tokens_map.json"};
const std::vector<std::string> kEncoderFiles = {"vocab.txt",
                                                "sentencepiece.bpe.model",
                                                "modules.json",
                                                "sentence_bert_config.json",
                                                "config_sentence_transformers.json",
                                                "1_Pooling/config.json",
                                                "colbert_linear.pt",
                                                "sparse_linear.pt"};
const std::vector<std::string> kWhisperFiles = {
    "generation_config.json", "preprocessor_config.json", "vocab.json", "merges.txt",
    "added_tokens.json",      "normalizer.json"};

bool isFile(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);  // follows symlinks, so HF cache snapshots count
}

std::string readModelType(const fs::path& config) {
    std::ifstream in(config, std::ios::binary);
    if (!in) return {};
    try {
        const auto json = nlohmann::json::parse(in);
        if (json.contains("model_type") && json["model_type"].is_string()) return json["model_type"].get<std::string>();
    } catch (const std::exception&) {
    }
    return {};
}

}  // namespace

std::string toString(ModelFamily family) {
    switch (family) {
        case ModelFamily::Clock:
            return "clock";
        case ModelFamily::TorchScript:
            return "torchscript";
        case ModelFamily::Whisper:
            return "whisper";
        case ModelFamily::Bert:
            return "bert";
        case ModelFamily::XlmRoberta:
            return "xlm-roberta";
        case ModelFamily::Cpgpt:
            return "cpgpt";
        default:
            return "unknown";
    }
}

ModelFamily parseFamily(const std::string& text) {
    const auto t = toLowerAscii(text);
    if (t == "clock") return ModelFamily::Clock;
    if (t == "torchscript") return ModelFamily::TorchScript;
    if (t == "whisper") return ModelFamily::Whisper;
    if (t == "bert") return ModelFamily::Bert;
    if (t == "xlm-roberta" || t == "xlm_roberta") return ModelFamily::XlmRoberta;
    if (t == "cpgpt") return ModelFamily::Cpgpt;
    return ModelFamily::Unknown;
}

std::string taskOf(ModelFamily family) {
    switch (family) {
        case ModelFamily::Clock:
        case ModelFamily::TorchScript:
        case ModelFamily::Cpgpt:
            return "methylation";
        case ModelFamily::Whisper:
            return "speech";
        case ModelFamily::Bert:
        case ModelFamily::XlmRoberta:
            return "text";
        default:
            return "";
    }
}

ModelFamily familyFromModelType(const std::string& modelType) {
    const auto t = toLowerAscii(modelType);
    if (t == "whisper") return ModelFamily::Whisper;
    if (t == "bert") return ModelFamily::Bert;
    if (t == "xlm-roberta" || t == "xlm_roberta") return ModelFamily::XlmRoberta;
    return ModelFamily::Unknown;
}

namespace {

/// A CpGPT model: flat (config.yaml, vocab.json) or as CpGPT's download lays it out (config/*.yaml, weights/*.ckpt).
bool isCpgptLayout(const fs::path& dir) {
    if (isFile(dir / "config.yaml") && isFile(dir / "vocab.json")) return true;
    std::error_code ec;
    if (!fs::is_directory(dir / "config", ec) || !fs::is_directory(dir / "weights", ec)) return false;
    for (fs::directory_iterator it(dir / "weights", ec), end; !ec && it != end; it.increment(ec))
        if (endsWith(toLowerAscii(it->path().filename().string()), ".ckpt")) return true;
    return false;
}

}  // namespace

ModelFamily detectFamily(const std::string& folder) {
    const fs::path dir(folder);
    if (isCpgptLayout(dir)) return ModelFamily::Cpgpt;
    if (isFile(dir / "config.json")) return familyFromModelType(readModelType(dir / "config.json"));
    // A predictor bundle (docs/methylation-bundles.md) may carry CSV files of its own (expected outputs),
    // so its manifest decides before any clock-table guess.
    if (isFile(dir / "manifest.json") && isFile(dir / "model.pt")) return ModelFamily::TorchScript;
    std::error_code ec;
    bool hasTorchScript = false;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = toLowerAscii(it->path().filename().string());
        if (endsWith(name, ".csv") || endsWith(name, ".csv.gz") || endsWith(name, ".tsv")) return ModelFamily::Clock;
        if (endsWith(name, ".pt") || endsWith(name, ".ts") || endsWith(name, ".torchscript")) hasTorchScript = true;
    }
    return hasTorchScript ? ModelFamily::TorchScript : ModelFamily::Unknown;
}

std::vector<std::string> selectFilesForFamily(ModelFamily family, const std::vector<std::string>& siblings) {
    const std::set<std::string> present(siblings.begin(), siblings.end());
    std::vector<std::string> wanted;
    auto want = [&](const std::string& name) {
        if (present.count(name) && std::find(wanted.begin(), wanted.end(), name) == wanted.end())
            wanted.push_back(name);
    };
    if (family == ModelFamily::Clock || family == ModelFamily::TorchScript) {
        for (const auto& s : siblings) {
            const auto l = toLowerAscii(s);
            if (endsWith(l, ".csv") || endsWith(l, ".csv.gz") || endsWith(l, ".pt") || endsWith(l, ".json")) want(s);
        }
        return wanted;
    }
    for (const auto& f : kCommonFiles) want(f);
    const auto& extra = family == ModelFamily::Whisper ? kWhisperFiles : kEncoderFiles;
    if (family != ModelFamily::Unknown) {
        for (const auto& f : extra) want(f);
    } else {
        for (const auto& f : kWhisperFiles) want(f);
        for (const auto& f : kEncoderFiles) want(f);
    }
    // One weight format: safetensors (single or sharded) beats the pickled pytorch_model.bin.
    if (present.count("model.safetensors")) {
        want("model.safetensors");
    } else if (present.count("model.safetensors.index.json")) {
        want("model.safetensors.index.json");
        for (const auto& s : siblings) {
            if (s.find('/') == std::string::npos && startsWith(s, "model-") && endsWith(s, ".safetensors")) want(s);
        }
    } else if (present.count("pytorch_model.bin")) {
        want("pytorch_model.bin");
    } else if (present.count("pytorch_model.bin.index.json")) {
        want("pytorch_model.bin.index.json");
        for (const auto& s : siblings) {
            if (s.find('/') == std::string::npos && startsWith(s, "pytorch_model-") && endsWith(s, ".bin")) want(s);
        }
    }
    return wanted;
}

Validation validateModelFolder(const std::string& folder, ModelFamily family, const std::string& clockFile) {
    Validation result;
    const fs::path dir(folder);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        result.problem = folder + " is not a folder.";
        return result;
    }
    if (family == ModelFamily::Unknown) family = detectFamily(folder);
    result.family = family;
    auto missing = [&](const std::string& what) {
        result.problem = folder + ": " + what;
        return result;
    };
    auto have = [&](const std::string& name) {
        if (!isFile(dir / name)) return false;
        result.files.push_back(name);
        return true;
    };

    switch (family) {
        case ModelFamily::Unknown: {
            if (isFile(dir / "config.json")) {
                const auto type = readModelType(dir / "config.json");
                return missing("config.json has model_type '" + type +
                               "', which Benchtop does not run (supported: whisper, bert, xlm-roberta).");
            }
            return missing(
                "no config.json, clock table (.csv) or TorchScript file (.pt) found; this is not a model folder.");
        }
        case ModelFamily::Clock: {
            if (!clockFile.empty()) {
                if (!have(clockFile)) return missing("the clock table " + clockFile + " is missing.");
            } else {
                bool any = false;
                for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
                    const auto name = toLowerAscii(it->path().filename().string());
                    if (endsWith(name, ".csv") || endsWith(name, ".csv.gz") || endsWith(name, ".tsv")) {
                        result.files.push_back(it->path().filename().string());
                        any = true;
                    }
                }
                if (!any) return missing("no clock table (.csv) found.");
            }
            result.ok = true;
            return result;
        }
        case ModelFamily::Cpgpt: {
            // Flat, ready to run (after `models import-cpgpt`), or CpGPT's download layout (to be imported).
            if (isFile(dir / "config.yaml")) {
                if (!have("config.yaml") || !have("vocab.json"))
                    return missing("a CpGPT model needs config.yaml and vocab.json.");
                if (!have("model.safetensors") && !have("model.ckpt"))
                    return missing("a CpGPT model needs model.ckpt or model.safetensors.");
                have("locus_embeddings.safetensors");
            } else {
                for (const char* sub : {"config", "weights", "vocab"})
                    for (fs::directory_iterator it(dir / sub, ec), end; !ec && it != end; it.increment(ec))
                        result.files.push_back(std::string(sub) + "/" + it->path().filename().string());
                if (result.files.empty()) return missing("no CpGPT config, weights or vocabulary found.");
            }
            result.ok = true;
            return result;
        }
        case ModelFamily::TorchScript: {
            if (isFile(dir / "manifest.json")) {
                // A predictor bundle: the three files its loader needs.
                for (const char* name : {"manifest.json", "cpgs.txt", "model.pt"}) {
                    if (!isFile(dir / name))
                        return missing(std::string(name) + " is missing from the predictor bundle.");
                    result.files.push_back(name);
                }
                result.ok = true;
                return result;
            }
            for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
                const auto name = toLowerAscii(it->path().filename().string());
                if (endsWith(name, ".pt") || endsWith(name, ".ts") || endsWith(name, ".torchscript")) {
                    result.files.push_back(it->path().filename().string());
                }
            }
            if (result.files.empty()) return missing("no TorchScript file (.pt) found.");
            result.ok = true;
            return result;
        }
        default:
            break;
    }

    if (!have("config.json")) return missing("config.json is missing.");
    const auto modelType = readModelType(dir / "config.json");
    if (familyFromModelType(modelType) != family) {
        return missing("config.json has model_type '" + modelType + "' but a " + toString(family) +
                       " model was expected.");
    }
    if (have("model.safetensors")) {
        try {
            tensor::SafetensorsFile weights((dir / "model.safetensors").string());
            if (weights.names().empty()) return missing("model.safetensors holds no tensors.");
        } catch (const Error& e) {
            return missing(std::string("model.safetensors is not readable (") + e.what() + ").");
        }
    } else if (!have("model.safetensors.index.json") && !have("pytorch_model.bin")) {
        return missing("no weights found (model.safetensors or pytorch_model.bin).");
    }
    if (family == ModelFamily::Whisper) {
        if (!have("tokenizer.json") && !(have("vocab.json") && have("merges.txt"))) {
            return missing("the tokenizer is missing (tokenizer.json, or vocab.json + merges.txt).");
        }
        have("preprocessor_config.json");
        have("generation_config.json");
    } else {
        if (!have("tokenizer.json")) return missing("tokenizer.json is missing.");
        have("modules.json");
        have("1_Pooling/config.json");
        have("colbert_linear.pt");
        have("sparse_linear.pt");
    }
    result.ok = true;
    return result;
}

}  // namespace benchtop::hub
