#include "core/methyl/cpgpt/cpgpt_config.h"

#include <unordered_set>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "core/common/error.h"
#include "core/common/strings.h"

namespace benchtop::methyl::cpgpt {

namespace {

class Keys {
public:
    Keys(const YAML::Node& root, std::string path) : m_root(root), m_path(std::move(path)) {}

    YAML::Node node(const std::string& dotted, bool required) const {
        const YAML::Node n = lookup(m_root, dotted, 0);
        if (!n && required) throw Error(m_path, "key '" + dotted + "' is missing; is this a CpGPT config.yaml?");
        return n;
    }
    int integer(const std::string& key, int minimum) const {
        const YAML::Node n = node(key, true);
        int v = 0;
        try {
            v = n.as<int>();
        } catch (const YAML::Exception&) {
            throw Error(m_path, "key '" + key + "' must be an integer, found '" + scalar(n) + "'.");
        }
        if (v < minimum)
            throw Error(m_path, "key '" + key + "' must be at least " + std::to_string(minimum) + ", found " +
                                    std::to_string(v) + ".");
        return v;
    }
    bool boolean(const std::string& key, bool required, bool fallback = false) const {
        const YAML::Node n = node(key, required);
        if (!n) return fallback;
        try {
            return n.as<bool>();
        } catch (const YAML::Exception&) {
            throw Error(m_path, "key '" + key + "' must be true or false, found '" + scalar(n) + "'.");
        }
    }
    std::string text(const std::string& key, bool required) const {
        const YAML::Node n = node(key, required);
        if (!n) return {};
        if (!n.IsScalar()) throw Error(m_path, "key '" + key + "' must be a string.");
        return n.as<std::string>();
    }
    void expect(const std::string& key, const std::string& wanted, const std::string& why) const {
        const std::string found = text(key, true);
        if (found != wanted)
            throw Error(m_path,
                        "key '" + key + "' is '" + found + "', but Benchtop runs only " + wanted + " (" + why + ").");
    }

private:
    // Recursion on const nodes: yaml-cpp's Node assignment would rebind the parsed tree.
    static YAML::Node lookup(const YAML::Node& n, const std::string& dotted, std::size_t start) {
        const std::size_t dot = dotted.find('.', start);
        const std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!n.IsMap() || !n[part]) return YAML::Node(YAML::NodeType::Undefined);
        const YAML::Node child = n[part];
        return dot == std::string::npos ? child : lookup(child, dotted, dot + 1);
    }
    static std::string scalar(const YAML::Node& n) { return n.IsScalar() ? n.Scalar() : "(not a scalar)"; }
    YAML::Node m_root;
    std::string m_path;
};

}  // namespace

CpgptConfig readConfig(const std::string& path) {
    YAML::Node root;
    try {
        root = YAML::Load(readWholeFile(path));
    } catch (const YAML::Exception& e) {
        throw Error(path, std::string("is not valid YAML: ") + e.what());
    }
    const Keys k(root, path);
    CpgptConfig c;
    c.path = path;
    const std::string net = "model.net.";
    c.dEmbedding = k.integer(net + "d_embedding", 2);
    c.dHidden = k.integer(net + "d_hidden", 1);
    c.dDnaEmbedding = k.integer(net + "d_dna_embedding", 1);
    c.heads = k.integer(net + "n_attention_heads", 1);
    c.layers = k.integer(net + "n_layers", 1);
    c.mlpBlocks = k.integer(net + "n_mlp_blocks", 0);
    c.conditionDecoder = k.boolean(net + "use_condition_decoder", true);
    c.conditionSize = c.conditionDecoder ? k.integer(net + "condition_size", 1) : 0;
    c.mlpBlockBias = k.boolean(net + "mlp_block_bias", true);
    c.mlpPreNorm = k.boolean(net + "mlp_block_pre_norm", true);
    c.mlpPostNorm = k.boolean(net + "mlp_block_post_norm", true);
    c.transformerBias = k.boolean(net + "transformer_block_bias", true);
    c.usePowerNorm = k.boolean(net + "use_power_norm", true);
    c.binarizeInput = k.boolean("model.training.binarize_input", false);
    c.dnaLlm = k.text("data.dna_llm", false);
    if (k.node("data.dna_context_len", false)) c.dnaContextLen = k.integer("data.dna_context_len", 1);

    k.expect(net + "architecture", "transformer", "the released CpGPT models are transformers");
    k.expect(net + "activation", "swiglu", "as every released model");
    k.expect(net + "positional_encoding", "rotary", "as every released model");
    k.expect(net + "sample_embedding_method", "cls", "as every released model");
    k.expect(net + "mlp_block_norm_type", "rmsnorm", "as every released model");
    k.expect(net + "transformer_block_norm_type", "rmsnorm", "as every released model");
    if (!k.boolean(net + "transformer_block_norm_first", true))
        throw Error(path,
                    "key '" + net + "transformer_block_norm_first' is false; Benchtop runs pre-norm blocks only.");
    if (k.boolean(net + "fft", false))
        throw Error(path, "key '" + net + "fft' is true; Benchtop runs attention blocks only.");
    if (c.dEmbedding % c.heads != 0 || (c.dEmbedding / c.heads) % 2 != 0)
        throw Error(path, "d_embedding " + std::to_string(c.dEmbedding) + " is not an even multiple of " +
                              std::to_string(c.heads) + " heads (the rotary needs an even head size).");
    if (c.dEmbedding % 2 != 0)
        throw Error(path, "d_embedding must be even for the absolute position encoding, found " +
                              std::to_string(c.dEmbedding) + ".");
    return c;
}

CpgptVocab readVocab(const std::string& path) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(readWholeFile(path));
    } catch (const nlohmann::json::exception& e) {
        throw Error(path, std::string("is not valid JSON: ") + e.what());
    }
    if (!j.is_object() || !j.contains("input") || !j["input"].is_array())
        throw Error(path, "has no \"input\" list of CpG ids; is this a CpGPT vocab/<model>.json?");
    CpgptVocab v;
    std::unordered_set<std::string> seen;
    for (const auto& id : j["input"]) {
        if (!id.is_string()) throw Error(path, "\"input\" holds a value that is not a CpG id string.");
        if (!seen.insert(id.get<std::string>()).second)
            throw Error(path, "\"input\" lists CpG '" + id.get<std::string>() + "' twice.");
        v.input.push_back(id.get<std::string>());
    }
    if (v.input.empty()) throw Error(path, "\"input\" is empty.");
    if (j.contains("output")) {
        if (!j["output"].is_array()) throw Error(path, "\"output\" is not a list of names.");
        for (const auto& name : j["output"]) {
            if (!name.is_string()) throw Error(path, "\"output\" holds a value that is not a name.");
            v.output.push_back(name.get<std::string>());
        }
    }
    return v;
}

}  // namespace benchtop::methyl::cpgpt
