#pragma once

#include <string>
#include <vector>

namespace benchtop::hub {

/// How a model's folder is laid out and which loader reads it.
enum class ModelFamily { Unknown, Clock, TorchScript, Whisper, Bert, XlmRoberta, Cpgpt };

std::string toString(ModelFamily family);
/// Parses "clock" | "torchscript" | "whisper" | "bert" | "xlm-roberta"; Unknown otherwise.
ModelFamily parseFamily(const std::string& text);
/// The id of the task (engine::TaskKind::id) whose jobs run models of `family`: "methylation", "speech",
/// "text"; "" for Unknown. The hub knows model layouts, not workloads: only this mapping names task ids.
std::string taskOf(ModelFamily family);

/// Family from a Hugging Face config.json `model_type` ("whisper", "bert", "xlm-roberta"); Unknown for others.
ModelFamily familyFromModelType(const std::string& modelType);

/// Guesses the family of a local folder: config.json's model_type, else CSV tables (clock), else a .pt/.ts
/// TorchScript file. Unknown when nothing fits.
ModelFamily detectFamily(const std::string& folder);

/// Of the files a hub repository lists (`siblings`), the ones Benchtop needs for `family`: config, tokenizer
/// and sentence-transformers module files, BGE-M3 heads, Whisper's processor files, and exactly one weight
/// format (model.safetensors or its shards, else pytorch_model.bin). ONNX, TF, Flax, OpenVINO and docs are skipped.
std::vector<std::string> selectFilesForFamily(ModelFamily family, const std::vector<std::string>& siblings);

/// The outcome of checking a model folder.
struct Validation {
    bool ok = false;
    ModelFamily family = ModelFamily::Unknown;
    /// Why the folder is not usable (empty when ok): a sentence naming the missing or broken file.
    std::string problem;
    /// Files that were checked and found present.
    std::vector<std::string> files;
};

/// Checks that `folder` holds what `family` needs (Unknown: detect it first): config.json, weights whose
/// safetensors header parses, tokenizer files; for clocks at least one CSV table (`clockFile` when given).
Validation validateModelFolder(const std::string& folder, ModelFamily family = ModelFamily::Unknown,
                               const std::string& clockFile = {});

}  // namespace benchtop::hub
