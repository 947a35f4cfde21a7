#include "core/audio/whisper_model.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/audio/log_mel_torch.h"
#include "core/audio/whisper_model_torch.h"
#include "core/common/error.h"
#include "core/tensor/safetensors_torch.h"

namespace benchtop::audio {
namespace fs = std::filesystem;

namespace {

int requireInt(const nlohmann::json& config, const std::string& key, const std::string& path) {
    const auto it = config.find(key);
    if (it == config.end() || !it->is_number_integer() || it->get<long long>() <= 0)
        throw Error(path, "config.json has no positive integer '" + key + "'; this is not a Whisper config.");
    return it->get<int>();
}

int optionalInt(const nlohmann::json& config, const std::string& key, int fallback) {
    const auto it = config.find(key);
    return it != config.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

torch::ScalarType scalarTypeFor(device::Precision precision) {
    switch (precision) {
        case device::Precision::Fp16:
            return torch::kHalf;
        case device::Precision::Bf16:
            return torch::kBFloat16;
        case device::Precision::Auto:
        case device::Precision::Fp32:
            return torch::kFloat32;
    }
    return torch::kFloat32;
}

// The weight files of an HF folder: model.safetensors, sharded safetensors (index.json), or the
// pytorch_model.bin state dict as a fallback.
std::map<std::string, torch::Tensor> loadFolderTensors(const std::string& folder, torch::Device device,
                                                       torch::ScalarType dtype) {
    const fs::path dir = fs::u8path(folder);
    if (fs::exists(dir / "model.safetensors"))
        return tensor::loadWeightsFile((dir / "model.safetensors").u8string(), device, dtype);
    if (fs::exists(dir / "model.safetensors.index.json")) {
        const std::string indexPath = (dir / "model.safetensors.index.json").u8string();
        std::ifstream in(fs::u8path(indexPath));
        nlohmann::json index;
        try {
            in >> index;
        } catch (const std::exception& e) {
            throw Error(indexPath, std::string("The shard index is not valid JSON: ") + e.what());
        }
        std::set<std::string> shards;
        const nlohmann::json weightMap = index.value("weight_map", nlohmann::json::object());
        for (const auto& item : weightMap.items()) shards.insert(item.value().get<std::string>());
        std::map<std::string, torch::Tensor> all;
        for (const std::string& shard : shards) {
            auto part = tensor::loadWeightsFile((dir / fs::u8path(shard)).u8string(), device, dtype);
            all.insert(part.begin(), part.end());
        }
        return all;
    }
    if (fs::exists(dir / "pytorch_model.bin"))
        return tensor::loadWeightsFile((dir / "pytorch_model.bin").u8string(), device, dtype);
    throw Error(folder,
                "The folder has no model.safetensors (or pytorch_model.bin); it is not a Whisper model "
                "folder.");
}

class TensorTable {
public:
    TensorTable(std::map<std::string, torch::Tensor> tensors, std::string folder)
        : m_tensors(std::move(tensors)), m_folder(std::move(folder)) {
        // WhisperForConditionalGeneration stores "model.encoder...", a bare WhisperModel "encoder...".
        m_prefix = m_tensors.count("model.encoder.conv1.weight") ? "model." : "";
    }

    torch::Tensor get(const std::string& name, const std::vector<std::int64_t>& shape) const {
        const auto it = m_tensors.find(m_prefix + name);
        if (it == m_tensors.end())
            throw Error(m_folder, "The weights have no tensor '" + m_prefix + name +
                                      "'; the checkpoint is incomplete or not a Whisper model.");
        tensor::checkShape(m_folder, m_prefix + name, it->second, shape);
        return it->second;
    }

    WhisperLinear linear(const std::string& name, std::int64_t out, std::int64_t in, bool bias = true) const {
        WhisperLinear l;
        l.weight = get(name + ".weight", {out, in});
        if (bias) l.bias = get(name + ".bias", {out});
        return l;
    }

    WhisperLayerNorm layerNorm(const std::string& name, std::int64_t d) const {
        return {get(name + ".weight", {d}), get(name + ".bias", {d})};
    }

    WhisperAttention attention(const std::string& name, std::int64_t d, int heads) const {
        WhisperAttention a;
        a.query = linear(name + ".q_proj", d, d);
        a.key = linear(name + ".k_proj", d, d, false);  // Whisper's key projection has no bias
        a.value = linear(name + ".v_proj", d, d);
        a.out = linear(name + ".out_proj", d, d);
        a.heads = heads;
        return a;
    }

private:
    std::map<std::string, torch::Tensor> m_tensors;
    std::string m_folder;
    std::string m_prefix;
};

torch::Tensor splitHeads(const torch::Tensor& x, int heads) {
    // [B, n, d] -> [B, heads, n, d_head]
    return x.view({x.size(0), x.size(1), heads, -1}).permute({0, 2, 1, 3});
}

// openai's MultiHeadAttention.qkv_attention without scaled_dot_product_attention: q and k each scaled by
// d_head^-0.25, softmax in float32. `queryOffset` >= 0 applies the causal mask for queries starting at that
// absolute position.
// `blocked` (bool, broadcastable to [B, heads, nq, nk]), when defined, masks key columns instead: ragged batches.
torch::Tensor attend(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, int heads,
                     std::int64_t queryOffset, torch::Tensor* scoresOut, const torch::Tensor& blocked = {}) {
    const std::int64_t dHead = q.size(2) / heads;
    const double scale = std::pow(static_cast<double>(dHead), -0.25);
    const torch::Tensor qh = splitHeads(q, heads) * scale;
    const torch::Tensor kh = k.view({k.size(0), k.size(1), heads, -1}).permute({0, 2, 3, 1}) * scale;
    const torch::Tensor vh = splitHeads(v, heads);
    torch::Tensor qk = torch::matmul(qh, kh);
    const std::int64_t nq = q.size(1), nk = k.size(1);
    if (queryOffset >= 0 && nq > 1) {
        const auto opts = torch::TensorOptions().dtype(qk.scalar_type()).device(qk.device());
        const torch::Tensor rows = torch::arange(nq, opts.dtype(torch::kLong)).unsqueeze(1) + queryOffset;
        const torch::Tensor cols = torch::arange(nk, opts.dtype(torch::kLong)).unsqueeze(0);
        qk = qk.masked_fill(cols > rows, -std::numeric_limits<float>::infinity());
    }
    if (blocked.defined()) qk = qk.masked_fill(blocked, -std::numeric_limits<float>::infinity());
    qk = qk.to(torch::kFloat32);
    const torch::Tensor w = torch::softmax(qk, -1).to(q.scalar_type());
    if (scoresOut) *scoresOut = qk;  // openai's hooks see the scaled float32 scores before the softmax
    return torch::matmul(w, vh).permute({0, 2, 1, 3}).flatten(2);
}

torch::Tensor mlp(const WhisperLinear& fc1, const WhisperLinear& fc2, const torch::Tensor& x) {
    return fc2(torch::gelu(fc1(x)));
}

}  // namespace

torch::Tensor WhisperLinear::operator()(const torch::Tensor& x) const {
    return torch::linear(x, weight, bias.defined() ? bias : torch::Tensor());
}

torch::Tensor WhisperLayerNorm::operator()(const torch::Tensor& x) const {
    // openai's LayerNorm runs in float32 whatever the model dtype.
    return torch::layer_norm(x.to(torch::kFloat32), {x.size(-1)}, weight.to(torch::kFloat32), bias.to(torch::kFloat32),
                             1e-5)
        .to(x.scalar_type());
}

WhisperConfig WhisperConfig::fromFile(const std::string& configPath) {
    std::ifstream in(fs::u8path(configPath));
    if (!in) throw Error(configPath, "Cannot open the model's config.json.");
    nlohmann::json json;
    try {
        in >> json;
    } catch (const std::exception& e) {
        throw Error(configPath, std::string("config.json is not valid JSON: ") + e.what());
    }
    if (json.value("model_type", std::string("whisper")) != "whisper")
        throw Error(configPath,
                    "config.json describes a '" + json.value("model_type", std::string()) + "' model, not Whisper.");
    WhisperConfig c;
    c.nMels = requireInt(json, "num_mel_bins", configPath);
    c.dModel = requireInt(json, "d_model", configPath);
    c.encoderLayers = requireInt(json, "encoder_layers", configPath);
    c.decoderLayers = requireInt(json, "decoder_layers", configPath);
    c.encoderHeads = requireInt(json, "encoder_attention_heads", configPath);
    c.decoderHeads = requireInt(json, "decoder_attention_heads", configPath);
    c.encoderFfn = optionalInt(json, "encoder_ffn_dim", 4 * c.dModel);
    c.decoderFfn = optionalInt(json, "decoder_ffn_dim", 4 * c.dModel);
    c.vocabSize = requireInt(json, "vocab_size", configPath);
    c.maxSourcePositions = optionalInt(json, "max_source_positions", 1500);
    c.maxTargetPositions = optionalInt(json, "max_target_positions", 448);
    c.scaleEmbedding = json.value("scale_embedding", false);
    if (c.dModel % c.encoderHeads != 0 || c.dModel % c.decoderHeads != 0)
        throw Error(configPath, "d_model is not a multiple of the number of attention heads.");
    if (c.nMels != 80 && c.nMels != 128)
        throw Error(configPath, "num_mel_bins is " + std::to_string(c.nMels) + "; Whisper uses 80 or 128.");
    const std::string activation = json.value("activation_function", std::string("gelu"));
    if (activation != "gelu")
        throw Error(configPath, "activation_function '" + activation + "' is not supported (Whisper uses gelu).");
    return c;
}

WhisperModel::Weights loadWhisperWeights(const std::string& folder, torch::Device device, torch::ScalarType dtype) {
    WhisperModel::Weights w;
    w.config = WhisperConfig::fromFile((fs::u8path(folder) / "config.json").u8string());
    w.device = device;
    w.dtype = dtype;
    const WhisperConfig& c = w.config;
    const std::int64_t d = c.dModel;
    const TensorTable t(loadFolderTensors(folder, device, dtype), folder);

    w.conv1Weight = t.get("encoder.conv1.weight", {d, c.nMels, 3});
    w.conv1Bias = t.get("encoder.conv1.bias", {d});
    w.conv2Weight = t.get("encoder.conv2.weight", {d, d, 3});
    w.conv2Bias = t.get("encoder.conv2.bias", {d});
    w.encoderPositions = t.get("encoder.embed_positions.weight", {c.maxSourcePositions, d});
    for (int i = 0; i < c.encoderLayers; ++i) {
        const std::string p = "encoder.layers." + std::to_string(i);
        WhisperEncoderLayer l;
        l.attnLn = t.layerNorm(p + ".self_attn_layer_norm", d);
        l.attn = t.attention(p + ".self_attn", d, c.encoderHeads);
        l.mlpLn = t.layerNorm(p + ".final_layer_norm", d);
        l.fc1 = t.linear(p + ".fc1", c.encoderFfn, d);
        l.fc2 = t.linear(p + ".fc2", d, c.encoderFfn);
        w.encoderLayers.push_back(std::move(l));
    }
    w.encoderLn = t.layerNorm("encoder.layer_norm", d);

    w.tokenEmbedding = t.get("decoder.embed_tokens.weight", {c.vocabSize, d});
    w.decoderPositions = t.get("decoder.embed_positions.weight", {c.maxTargetPositions, d});
    for (int i = 0; i < c.decoderLayers; ++i) {
        const std::string p = "decoder.layers." + std::to_string(i);
        WhisperDecoderLayer l;
        l.attnLn = t.layerNorm(p + ".self_attn_layer_norm", d);
        l.selfAttn = t.attention(p + ".self_attn", d, c.decoderHeads);
        l.crossLn = t.layerNorm(p + ".encoder_attn_layer_norm", d);
        l.crossAttn = t.attention(p + ".encoder_attn", d, c.decoderHeads);
        l.mlpLn = t.layerNorm(p + ".final_layer_norm", d);
        l.fc1 = t.linear(p + ".fc1", c.decoderFfn, d);
        l.fc2 = t.linear(p + ".fc2", d, c.decoderFfn);
        w.decoderLayers.push_back(std::move(l));
    }
    w.decoderLn = t.layerNorm("decoder.layer_norm", d);
    return w;
}

torch::Tensor whisperEncode(const WhisperModel::Weights& w, const torch::Tensor& mel) {
    const WhisperConfig& c = w.config;
    const std::int64_t frames = 2 * static_cast<std::int64_t>(c.maxSourcePositions);
    if (mel.dim() != 3 || mel.size(1) != c.nMels || mel.size(2) != frames)
        throw Error("whisper encoder", "The mel input must be [batch, " + std::to_string(c.nMels) + ", " +
                                           std::to_string(frames) + "], got " + tensor::formatShape(mel.sizes().vec()) +
                                           ".");
    torch::Tensor x = mel.to(w.device, w.dtype);
    x = torch::gelu(torch::conv1d(x, w.conv1Weight, w.conv1Bias, 1, 1));
    x = torch::gelu(torch::conv1d(x, w.conv2Weight, w.conv2Bias, 2, 1));
    x = x.permute({0, 2, 1});
    x = x + w.encoderPositions;
    for (const WhisperEncoderLayer& l : w.encoderLayers) {
        const torch::Tensor h = l.attnLn(x);
        x = x + l.attn.out(attend(l.attn.query(h), l.attn.key(h), l.attn.value(h), l.attn.heads, -1, nullptr));
        x = x + mlp(l.fc1, l.fc2, l.mlpLn(x));
    }
    return w.encoderLn(x);
}

void WhisperKvCache::select(const torch::Tensor& indices) {
    for (auto* list : {&selfKeys, &selfValues, &crossKeys, &crossValues})
        for (torch::Tensor& t : *list)
            if (t.defined()) t = t.index_select(0, indices.to(t.device()));
    for (torch::Tensor* t : {&rowPositions, &validKeys})
        if (t->defined()) *t = t->index_select(0, indices.to(t->device()));
}

WhisperKvCache whisperStartCache(const WhisperModel::Weights& w, const torch::Tensor& encoderOut) {
    WhisperKvCache cache;
    const torch::Tensor xa = encoderOut.to(w.device, w.dtype);
    for (const WhisperDecoderLayer& l : w.decoderLayers) {
        cache.crossKeys.push_back(l.crossAttn.key(xa));
        cache.crossValues.push_back(l.crossAttn.value(xa));
        cache.selfKeys.emplace_back();
        cache.selfValues.emplace_back();
    }
    return cache;
}

torch::Tensor whisperDecode(const WhisperModel::Weights& w, const torch::Tensor& tokens,
                            const torch::Tensor& encoderOut, WhisperKvCache* cache,
                            std::vector<torch::Tensor>* crossAttention) {
    const std::int64_t offset = cache ? cache->length : 0;
    const std::int64_t n = tokens.size(1);
    if (offset + n > w.config.maxTargetPositions)
        throw Error("whisper decoder", "The token sequence (" + std::to_string(offset + n) +
                                           ") exceeds the decoder context of " +
                                           std::to_string(w.config.maxTargetPositions) + " tokens.");
    const torch::Tensor ids = tokens.to(w.device, torch::kLong);
    torch::Tensor x = torch::embedding(w.tokenEmbedding, ids) + w.decoderPositions.slice(0, offset, offset + n);
    torch::Tensor xa;
    if (!cache) xa = encoderOut.to(w.device, w.dtype);
    if (crossAttention) crossAttention->clear();

    for (std::size_t i = 0; i < w.decoderLayers.size(); ++i) {
        const WhisperDecoderLayer& l = w.decoderLayers[i];
        torch::Tensor h = l.attnLn(x);
        torch::Tensor k = l.selfAttn.key(h);
        torch::Tensor v = l.selfAttn.value(h);
        if (cache) {
            if (cache->selfKeys[i].defined()) {
                k = torch::cat({cache->selfKeys[i], k}, 1);
                v = torch::cat({cache->selfValues[i], v}, 1);
            }
            cache->selfKeys[i] = k;
            cache->selfValues[i] = v;
        }
        x = x + l.selfAttn.out(attend(l.selfAttn.query(h), k, v, l.selfAttn.heads, offset, nullptr));

        h = l.crossLn(x);
        const torch::Tensor ck = cache ? cache->crossKeys[i] : l.crossAttn.key(xa);
        const torch::Tensor cv = cache ? cache->crossValues[i] : l.crossAttn.value(xa);
        torch::Tensor weights;
        x = x + l.crossAttn.out(
                    attend(l.crossAttn.query(h), ck, cv, l.crossAttn.heads, -1, crossAttention ? &weights : nullptr));
        if (crossAttention) crossAttention->push_back(weights);

        x = x + mlp(l.fc1, l.fc2, l.mlpLn(x));
    }
    if (cache) cache->length += n;
    x = w.decoderLn(x);
    return torch::matmul(x, w.tokenEmbedding.t()).to(torch::kFloat32);
}

torch::Tensor whisperDecodeRagged(const WhisperModel::Weights& w, const torch::Tensor& tokens,
                                  const torch::Tensor& counts, WhisperKvCache& cache) {
    const std::int64_t batch = tokens.size(0);
    const std::int64_t n = tokens.size(1);
    const torch::Tensor rowCounts = counts.to(w.device, torch::kLong);
    if (!cache.rowPositions.defined()) {
        if (cache.length != 0) throw Error("whisper decoder", "A ragged batch must start from an empty cache.");
        cache.rowPositions = torch::zeros({batch}, torch::TensorOptions().dtype(torch::kLong).device(w.device));
        cache.validKeys = torch::zeros({batch, 0}, torch::TensorOptions().dtype(torch::kBool).device(w.device));
    }
    if (cache.rowPositions.size(0) != batch || rowCounts.size(0) != batch)
        throw Error("whisper decoder", "The ragged step needs one token row and one count per cached sequence.");
    const std::int64_t longest = (cache.rowPositions + rowCounts).max().item<std::int64_t>();
    if (longest > w.config.maxTargetPositions)
        throw Error("whisper decoder", "The token sequence (" + std::to_string(longest) +
                                           ") exceeds the decoder context of " +
                                           std::to_string(w.config.maxTargetPositions) + " tokens.");

    // Each sequence continues at its own position; padding columns borrow a valid position (they are masked).
    const torch::Tensor columns = torch::arange(n, rowCounts.options()).unsqueeze(0);  // [1, n]
    const torch::Tensor newValid = columns < rowCounts.unsqueeze(1);                   // [B, n]
    const torch::Tensor positions =
        (cache.rowPositions.unsqueeze(1) + columns).clamp_max(w.config.maxTargetPositions - 1);
    const torch::Tensor ids = tokens.to(w.device, torch::kLong);
    torch::Tensor x = torch::embedding(w.tokenEmbedding, ids) + torch::embedding(w.decoderPositions, positions);

    // A query sees the valid cached columns and the valid new columns up to itself (causal within the step).
    const std::int64_t old = cache.length;
    const torch::Tensor valid = torch::cat({cache.validKeys, newValid}, 1);  // [B, old + n]
    const torch::Tensor keyColumns = torch::arange(old + n, rowCounts.options()).unsqueeze(0);
    const torch::Tensor causal = keyColumns.unsqueeze(0) > (columns + old).unsqueeze(2);     // [1, n, old + n]
    const torch::Tensor blocked = (causal | valid.logical_not().unsqueeze(1)).unsqueeze(1);  // [B, 1, n, old + n]

    for (std::size_t i = 0; i < w.decoderLayers.size(); ++i) {
        const WhisperDecoderLayer& l = w.decoderLayers[i];
        torch::Tensor h = l.attnLn(x);
        torch::Tensor k = l.selfAttn.key(h);
        torch::Tensor v = l.selfAttn.value(h);
        if (cache.selfKeys[i].defined()) {
            k = torch::cat({cache.selfKeys[i], k}, 1);
            v = torch::cat({cache.selfValues[i], v}, 1);
        }
        cache.selfKeys[i] = k;
        cache.selfValues[i] = v;
        x = x + l.selfAttn.out(attend(l.selfAttn.query(h), k, v, l.selfAttn.heads, -1, nullptr, blocked));
        h = l.crossLn(x);
        x = x + l.crossAttn.out(attend(l.crossAttn.query(h), cache.crossKeys[i], cache.crossValues[i],
                                       l.crossAttn.heads, -1, nullptr));
        x = x + mlp(l.fc1, l.fc2, l.mlpLn(x));
    }
    cache.length += n;
    cache.validKeys = valid;
    cache.rowPositions = cache.rowPositions + rowCounts;
    return w.decoderLn(x);
}

torch::Tensor whisperLogits(const WhisperModel::Weights& w, const torch::Tensor& hidden) {
    return torch::matmul(hidden, w.tokenEmbedding.t()).to(torch::kFloat32);
}

// ---- torch-free facade ----

namespace {

std::vector<float> toVector(const torch::Tensor& t) {
    const torch::Tensor c = t.to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

torch::Tensor encoderOutTensor(const WhisperModel::Weights& w, const std::vector<float>& encoderOut) {
    const std::int64_t positions = w.config.maxSourcePositions;
    const std::int64_t d = w.config.dModel;
    if (static_cast<std::int64_t>(encoderOut.size()) != positions * d)
        throw Error("whisper decoder", "The encoder output has " + std::to_string(encoderOut.size()) +
                                           " values; expected " + std::to_string(positions) + " x " +
                                           std::to_string(d) + ".");
    return torch::from_blob(const_cast<float*>(encoderOut.data()), {1, positions, d}, torch::kFloat32)
        .to(w.device, w.dtype);
}

torch::Tensor tokenTensor(const std::vector<std::int64_t>& tokens, std::int64_t vocab) {
    for (const std::int64_t id : tokens)
        if (id < 0 || id >= vocab)
            throw Error("whisper decoder", "Token id " + std::to_string(id) + " is outside the vocabulary of " +
                                               std::to_string(vocab) + ".");
    return torch::tensor(tokens, torch::kLong).unsqueeze(0);
}

}  // namespace

struct WhisperModel::Session::State {
    const WhisperModel::Weights* weights = nullptr;
    WhisperKvCache cache;
    std::int64_t batch = 1;
    bool ragged = false;  // one encoder output per sequence, decoded with whisperDecodeRagged()
};

WhisperModel::WhisperModel(const std::string& folder, const std::string& device, device::Precision precision)
    : m_folder(folder) {
    torch::Device torchDevice = torch::kCPU;
    try {
        torchDevice = torch::Device(device);
    } catch (const std::exception&) {
        throw Error(folder, "Unknown device '" + device + "'; use cpu, cuda, cuda:N or mps.");
    }
    m_weights = std::make_unique<Weights>(loadWhisperWeights(folder, torchDevice, scalarTypeFor(precision)));
}

WhisperModel::~WhisperModel() = default;

const WhisperConfig& WhisperModel::config() const {
    return m_weights->config;
}
const std::string& WhisperModel::folder() const {
    return m_folder;
}
const WhisperModel::Weights& WhisperModel::weights() const {
    return *m_weights;
}

std::vector<float> WhisperModel::encode(const MelSpectrogram& window) const {
    torch::NoGradGuard noGrad;
    return toVector(whisperEncode(*m_weights, melToTensor(window)));
}

std::vector<std::vector<float>> WhisperModel::encode(const std::vector<MelSpectrogram>& windows) const {
    torch::NoGradGuard noGrad;
    std::vector<std::vector<float>> out;
    if (windows.empty()) return out;
    std::vector<torch::Tensor> mels;
    mels.reserve(windows.size());
    for (const MelSpectrogram& window : windows) mels.push_back(melToTensor(window));
    const torch::Tensor features = whisperEncode(*m_weights, torch::cat(mels, 0)).to(torch::kCPU, torch::kFloat32);
    for (std::int64_t i = 0; i < features.size(0); ++i) out.push_back(toVector(features[i]));
    return out;
}

std::vector<float> WhisperModel::logits(const std::vector<float>& encoderOut,
                                        const std::vector<std::int64_t>& tokens) const {
    torch::NoGradGuard noGrad;
    return toVector(whisperDecode(*m_weights, tokenTensor(tokens, m_weights->config.vocabSize),
                                  encoderOutTensor(*m_weights, encoderOut)));
}

WhisperModel::Session WhisperModel::startSession(const std::vector<float>& encoderOut, int batch) const {
    torch::NoGradGuard noGrad;
    auto state = std::make_unique<Session::State>();
    state->weights = m_weights.get();
    state->batch = std::max(1, batch);
    torch::Tensor features = encoderOutTensor(*m_weights, encoderOut);
    if (state->batch > 1) features = features.expand({state->batch, features.size(1), features.size(2)}).contiguous();
    state->cache = whisperStartCache(*m_weights, features);
    return Session(std::move(state));
}

WhisperModel::Session WhisperModel::startSession(const std::vector<const std::vector<float>*>& encoderOuts) const {
    torch::NoGradGuard noGrad;
    if (encoderOuts.empty()) throw Error("whisper decoder", "A batched session needs at least one encoder output.");
    std::vector<torch::Tensor> features;
    features.reserve(encoderOuts.size());
    for (const std::vector<float>* encoderOut : encoderOuts)
        features.push_back(encoderOutTensor(*m_weights, *encoderOut));
    auto state = std::make_unique<Session::State>();
    state->weights = m_weights.get();
    state->batch = static_cast<std::int64_t>(encoderOuts.size());
    state->ragged = true;
    state->cache = whisperStartCache(*m_weights, torch::cat(features, 0));
    return Session(std::move(state));
}

WhisperModel::Session::Session(std::unique_ptr<State> state) : m(std::move(state)) {}
WhisperModel::Session::~Session() = default;
WhisperModel::Session::Session(Session&&) noexcept = default;
WhisperModel::Session& WhisperModel::Session::operator=(Session&&) noexcept = default;

std::vector<float> WhisperModel::Session::step(const std::vector<std::int64_t>& tokens) {
    torch::NoGradGuard noGrad;
    return toVector(
        whisperDecode(*m->weights, tokenTensor(tokens, m->weights->config.vocabSize), torch::Tensor(), &m->cache));
}

std::vector<float> WhisperModel::Session::stepLast(const std::vector<std::int64_t>& tokens, std::int64_t extraRow) {
    torch::NoGradGuard noGrad;
    const std::int64_t batch = m->batch;
    if (tokens.empty() || static_cast<std::int64_t>(tokens.size()) % batch != 0)
        throw Error("whisper decoder", "The batch step needs the same number of new tokens for every sequence.");
    const torch::Tensor ids =
        tokenTensor(tokens, m->weights->config.vocabSize).view({batch, static_cast<std::int64_t>(tokens.size()) / batch});
    const torch::Tensor logits = whisperDecode(*m->weights, ids, torch::Tensor(), &m->cache);
    torch::Tensor rows = logits.select(1, logits.size(1) - 1);
    if (extraRow >= 0 && extraRow < logits.size(1)) rows = torch::cat({rows, logits[0][extraRow].unsqueeze(0)}, 0);
    return toVector(rows);
}

std::vector<float> WhisperModel::Session::stepRows(const std::vector<std::vector<std::int64_t>>& tokens,
                                                   const std::vector<std::int64_t>& extraRows) {
    torch::NoGradGuard noGrad;
    const std::int64_t batch = m->batch;
    if (!m->ragged) throw Error("whisper decoder", "stepRows() needs a session started over several encoder outputs.");
    if (static_cast<std::int64_t>(tokens.size()) != batch || (!extraRows.empty() && extraRows.size() != tokens.size()))
        throw Error("whisper decoder", "The ragged step needs one token list (and one extra row) per sequence.");
    std::size_t longest = 0;
    for (const auto& row : tokens) {
        if (row.empty()) throw Error("whisper decoder", "Every sequence of a ragged step needs at least one token.");
        longest = std::max(longest, row.size());
    }
    const std::int64_t vocab = m->weights->config.vocabSize;
    // Padding repeats the row's last token: any valid id works, the column is masked out.
    std::vector<std::int64_t> flat;
    std::vector<std::int64_t> counts;
    flat.reserve(tokens.size() * longest);
    for (const auto& row : tokens) {
        for (const std::int64_t id : row)
            if (id < 0 || id >= vocab)
                throw Error("whisper decoder", "Token id " + std::to_string(id) + " is outside the vocabulary of " +
                                                   std::to_string(vocab) + ".");
        flat.insert(flat.end(), row.begin(), row.end());
        flat.insert(flat.end(), longest - row.size(), row.back());
        counts.push_back(static_cast<std::int64_t>(row.size()));
    }
    const auto n = static_cast<std::int64_t>(longest);
    const torch::Tensor ids = torch::tensor(flat, torch::kLong).view({batch, n});
    const torch::Tensor hidden = whisperDecodeRagged(*m->weights, ids, torch::tensor(counts, torch::kLong), m->cache);
    // Only the rows asked for go through the vocabulary projection.
    std::vector<std::int64_t> picks;
    for (std::int64_t b = 0; b < batch; ++b) picks.push_back(b * n + counts[static_cast<std::size_t>(b)] - 1);
    for (std::int64_t b = 0; b < static_cast<std::int64_t>(extraRows.size()); ++b) {
        const std::int64_t row = extraRows[static_cast<std::size_t>(b)];
        if (row >= 0 && row < counts[static_cast<std::size_t>(b)]) picks.push_back(b * n + row);
    }
    const torch::Tensor index = torch::tensor(picks, torch::kLong).to(m->weights->device);
    return toVector(whisperLogits(*m->weights, hidden.flatten(0, 1).index_select(0, index)));
}

void WhisperModel::Session::keep(const std::vector<std::int64_t>& rows) {
    torch::NoGradGuard noGrad;
    for (const std::int64_t row : rows)
        if (row < 0 || row >= m->batch)
            throw Error("whisper decoder", "keep() names a sequence the session does not have.");
    m->cache.select(torch::tensor(rows, torch::kLong).to(m->weights->device));
    m->batch = static_cast<std::int64_t>(rows.size());
}

void WhisperModel::Session::reorder(const std::vector<std::int64_t>& rows) {
    torch::NoGradGuard noGrad;
    if (static_cast<std::int64_t>(rows.size()) != m->batch)
        throw Error("whisper decoder", "A reorder must name one source row per sequence.");
    bool identity = true;
    for (std::size_t i = 0; i < rows.size(); ++i) identity = identity && rows[i] == static_cast<std::int64_t>(i);
    if (identity) return;
    // One window's sequences share the same cross-attention keys/values: only the self-attention cache moves.
    const torch::Tensor index = torch::tensor(rows, torch::kLong).to(m->weights->device);
    for (auto* list : {&m->cache.selfKeys, &m->cache.selfValues})
        for (torch::Tensor& t : *list)
            if (t.defined()) t = t.index_select(0, index);
}

std::int64_t WhisperModel::Session::batch() const {
    return m->batch;
}

std::int64_t WhisperModel::Session::length() const {
    return m->cache.length;
}

}  // namespace benchtop::audio
