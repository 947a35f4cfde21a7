#include "core/text/bert_config.h"

#include "core/common/json_file.h"

#include "core/common/error.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace benchtop::text {

namespace {

using json = nlohmann::json;

json readJson(const std::string& path) {
    return json_file::read(path);
}

int64_t requiredInt(const json& j, const char* name, const std::string& path) {
    return json_file::positiveInt(j, name, path);
}

}  // namespace

bool BertConfig::offsetPositions() const {
    return modelType == "roberta" || modelType == "xlm-roberta" || modelType == "camembert" ||
           modelType == "longformer";
}

BertConfig BertConfig::fromFile(const std::string& path) {
    const json j = readJson(path);
    BertConfig c;
    c.modelType = j.value("model_type", std::string("bert"));
    c.vocabSize = requiredInt(j, "vocab_size", path);
    c.hiddenSize = requiredInt(j, "hidden_size", path);
    c.numLayers = requiredInt(j, "num_hidden_layers", path);
    c.numHeads = requiredInt(j, "num_attention_heads", path);
    c.intermediateSize = requiredInt(j, "intermediate_size", path);
    c.maxPositionEmbeddings = requiredInt(j, "max_position_embeddings", path);
    c.typeVocabSize = j.contains("type_vocab_size") && j["type_vocab_size"].is_number_integer()
                          ? j["type_vocab_size"].get<int64_t>()
                          : 2;
    c.padTokenId =
        j.contains("pad_token_id") && j["pad_token_id"].is_number_integer() ? j["pad_token_id"].get<int64_t>() : 0;
    c.layerNormEps =
        j.contains("layer_norm_eps") && j["layer_norm_eps"].is_number() ? j["layer_norm_eps"].get<double>() : 1e-12;
    c.hiddenAct = j.value("hidden_act", std::string("gelu"));
    if (c.hiddenSize % c.numHeads != 0)
        throw Error(path, "hidden_size " + std::to_string(c.hiddenSize) + " is not a multiple of num_attention_heads " +
                              std::to_string(c.numHeads) + ".");
    const std::string pos = j.value("position_embedding_type", std::string("absolute"));
    if (pos != "absolute")
        throw Error(path, "position_embedding_type \"" + pos + "\" is not supported (only \"absolute\").");
    if (c.hiddenAct != "gelu" && c.hiddenAct != "gelu_new" && c.hiddenAct != "gelu_pytorch_tanh" &&
        c.hiddenAct != "relu")
        throw Error(path, "hidden_act \"" + c.hiddenAct + "\" is not supported (gelu, gelu_new, relu).");
    return c;
}

PoolingConfig PoolingConfig::fromFolder(const std::string& dir) {
    namespace fs = std::filesystem;
    PoolingConfig p;
    const fs::path modules = fs::path(dir) / "modules.json";
    if (!fs::exists(modules)) return p;
    const json list = readJson(modules.string());
    if (!list.is_array()) throw Error(modules.string(), "modules.json must be a list of modules.");
    for (const json& m : list) {
        const std::string type = m.value("type", std::string());
        const std::string sub = m.value("path", std::string());
        if (type.find("Pooling") != std::string::npos) {
            const fs::path cfg = fs::path(dir) / sub / "config.json";
            const json c = readJson(cfg.string());
            p.cls = c.value("pooling_mode_cls_token", false);
            p.mean = c.value("pooling_mode_mean_tokens", false);
            p.max = c.value("pooling_mode_max_tokens", false);
            p.meanSqrtLen = c.value("pooling_mode_mean_sqrt_len_tokens", false);
            if (c.contains("pooling_mode") && c["pooling_mode"].is_string()) {
                const std::string mode = c["pooling_mode"].get<std::string>();
                p.cls = mode == "cls";
                p.mean = mode == "mean";
                p.max = mode == "max";
            }
            if (!p.cls && !p.mean && !p.max && !p.meanSqrtLen)
                throw Error(cfg.string(), "The pooling module enables no pooling mode.");
        } else if (type.find("Normalize") != std::string::npos) {
            p.normalize = true;
        }
    }
    return p;
}

}  // namespace benchtop::text
