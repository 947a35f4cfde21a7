#include "core/audio/whisper_model.h"

#include "core/common/json_file.h"

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
#include "core/nn/transformer_ops_torch.h"
#include "core/tensor/safetensors_torch.h"

namespace benchtop::audio {
namespace fs = std::filesystem;

namespace {

int requireInt(const nlohmann::json& config, const std::string& key, const std::string& path) {
    return static_cast<int>(json_file::positiveInt(config, key, path, "; this is not a Whisper config."));
}

int optionalInt(const nlohmann::json& config, const std::string& key, int fallback) {
    return static_cast<int>(json_file::intOr(config, key, fallback));
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
        // LayerNorm runs in float32 whatever the model dtype (as openai's does): keep its parameters so.
        return {get(name + ".weight", {d}).to(torch::kFloat32), get(name + ".bias", {d}).to(torch::kFloat32)};
    }

    WhisperAttention attention(const std::string& name, std::int64_t d, int heads) const {
        WhisperAttention a;
        const WhisperLinear q = linear(name + ".q_proj", d, d);
        const WhisperLinear k = linear(name + ".k_proj", d, d, false);  // Whisper's key projection has no bias
        const WhisperLinear v = linear(name + ".v_proj", d, d);
        const torch::Tensor noBias = torch::zeros_like(q.bias);
        a.qkv.weight = torch::cat({q.weight, k.weight, v.weight});
        a.qkv.bias = torch::cat({q.bias, noBias, v.bias});
        a.kv.weight = a.qkv.weight.narrow(0, d, 2 * d);
        a.kv.bias = a.qkv.bias.narrow(0, d, 2 * d);
        a.query = {a.qkv.weight.narrow(0, 0, d), a.qkv.bias.narrow(0, 0, d)};
        a.key = {a.qkv.weight.narrow(0, d, d), {}};
        a.value = {a.qkv.weight.narrow(0, 2 * d, d), a.qkv.bias.narrow(0, 2 * d, d)};
        a.out = linear(name + ".out_proj", d, d);
        a.heads = heads;
        return a;
    }

private:
    std::map<std::string, torch::Tensor> m_tensors;
    std::string m_folder;
    std::string m_prefix;
};

/// Query-key scale: openai scales q and k by d_head^-0.25 each, i.e. the scores by d_head^-0.5.
double attentionScale(const WhisperAttention& a, std::int64_t d) {
    return 1.0 / std::sqrt(static_cast<double>(d / a.heads));
}

torch::Tensor mlp(const WhisperLinear& fc1, const WhisperLinear& fc2, const torch::Tensor& x) {
    return fc2(torch::gelu(fc1(x)));
}

}  // namespace

torch::Tensor WhisperLinear::operator()(const torch::Tensor& x) const {
    return nn::linear(x, weight, bias);
}

torch::Tensor WhisperLayerNorm::operator()(const torch::Tensor& x) const {
    // openai's LayerNorm runs in float32 whatever the model dtype.
    return torch::layer_norm(x.to(torch::kFloat32), {x.size(-1)}, weight, bias, 1e-5).to(x.scalar_type());
}

WhisperConfig WhisperConfig::fromFile(const std::string& configPath) {
    const nlohmann::json json = json_file::read(configPath);
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
    const std::int64_t batch = mel.size(0), positions = c.maxSourcePositions, d = c.dModel;
    torch::Tensor x = mel.to(w.device, w.dtype);
    x = torch::gelu(torch::conv1d(x, w.conv1Weight, w.conv1Bias, 1, 1));
    x = torch::gelu(torch::conv1d(x, w.conv2Weight, w.conv2Bias, 2, 1));
    // The residual stream is float32 [B x 1500, d]; matrix products run in the model dtype on LayerNorm
    // outputs handed back in that dtype (a fused residual add + LayerNorm per sub-layer).
    torch::Tensor stream = (x.permute({0, 2, 1}).to(torch::kFloat32) + w.encoderPositions.to(torch::kFloat32))
                               .reshape({batch * positions, d})
                               .contiguous();
    std::vector<std::int64_t> offsets;
    for (std::int64_t b = 0; b <= batch; ++b) offsets.push_back(b * positions);
    const auto& layers = w.encoderLayers;
    torch::Tensor h = layers.empty() ? torch::Tensor()
                                     : nn::residualLayerNorm(stream, {}, layers[0].attnLn.weight, layers[0].attnLn.bias,
                                                             1e-5, w.dtype, false);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const WhisperEncoderLayer& l = layers[i];
        const torch::Tensor context =
            nn::packedSelfAttention(l.attn.qkv(h), offsets, l.attn.heads, attentionScale(l.attn, d));
        h = nn::residualLayerNorm(stream, l.attn.out(context), l.mlpLn.weight, l.mlpLn.bias, 1e-5, w.dtype, false);
        const WhisperLayerNorm& next = i + 1 < layers.size() ? layers[i + 1].attnLn : w.encoderLn;
        h = nn::residualLayerNorm(stream, mlp(l.fc1, l.fc2, h), next.weight, next.bias, 1e-5, w.dtype, false);
    }
    if (layers.empty()) h = w.encoderLn(stream.to(w.dtype));
    return h.view({batch, positions, d});
}

namespace {

torch::Tensor resizedRows(const torch::Tensor& t, const torch::Tensor& indices, std::int64_t used) {
    // Only the used columns move; the rest of the capacity stays unwritten.
    torch::Tensor out = torch::empty({indices.size(0), t.size(1), t.size(2), t.size(3)}, t.options());
    if (used > 0) out.narrow(2, 0, used).copy_(t.narrow(2, 0, used).index_select(0, indices));
    return out;
}

}  // namespace

void WhisperKvCache::selectSelf(const torch::Tensor& indices) {
    for (auto* list : {&selfKeys, &selfValues})
        for (torch::Tensor& t : *list) t = resizedRows(t, indices.to(t.device()), length);
}

void WhisperKvCache::select(const torch::Tensor& indices) {
    selectSelf(indices);
    for (auto* list : {&crossKeys, &crossValues})
        for (torch::Tensor& t : *list)
            if (t.defined()) t = t.index_select(0, indices.to(t.device()));
    for (torch::Tensor* t : {&rowPositions, &validKeys})
        if (t->defined()) *t = t->index_select(0, indices.to(t->device()));
}

WhisperKvCache whisperStartCache(const WhisperModel::Weights& w, const torch::Tensor& encoderOut,
                                 std::int64_t capacity) {
    WhisperKvCache cache;
    const torch::Tensor xa = encoderOut.to(w.device, w.dtype);
    const std::int64_t batch = xa.size(0), frames = xa.size(1), d = w.config.dModel;
    if (capacity <= 0) capacity = w.config.maxTargetPositions;
    for (const WhisperDecoderLayer& l : w.decoderLayers) {
        // Keys and values in one product, then head-major [B, heads, frames, dh] once per window, so each
        // token's attention reads them in place.
        const std::int64_t heads = l.crossAttn.heads, dh = d / heads;
        const torch::Tensor kv = l.crossAttn.kv(xa).view({batch, frames, 2, heads, dh});
        cache.crossKeys.push_back(kv.select(2, 0).permute({0, 2, 1, 3}).contiguous());
        cache.crossValues.push_back(kv.select(2, 1).permute({0, 2, 1, 3}).contiguous());
        const std::int64_t selfHeads = l.selfAttn.heads;
        cache.selfKeys.push_back(torch::empty({batch, selfHeads, capacity, d / selfHeads}, xa.options()));
        cache.selfValues.push_back(torch::empty({batch, selfHeads, capacity, d / selfHeads}, xa.options()));
    }
    return cache;
}

namespace {

/// The decoder layers over new tokens x (float32 stream [B x n, d], consumed), their self-attention
/// written into the cache at columns old .. old + n. `causalOffset`/`blocked` mask the self-attention as
/// attention() takes them. Returns the final LayerNorm output [B, n, d] in float32.
torch::Tensor decoderLayers(const WhisperModel::Weights& w, torch::Tensor& x, std::int64_t batch, std::int64_t n,
                            WhisperKvCache& cache, std::int64_t causalOffset, const torch::Tensor& blocked,
                            std::vector<torch::Tensor>* crossAttention) {
    const std::int64_t d = w.config.dModel, old = cache.length;
    const auto& layers = w.decoderLayers;
    if (old + n > cache.selfKeys.front().size(2))
        throw Error("whisper decoder", "The decoder cache holds " + std::to_string(cache.selfKeys.front().size(2)) +
                                           " tokens; " + std::to_string(old + n) + " were asked for.");
    torch::Tensor h =
        nn::residualLayerNorm(x, {}, layers[0].attnLn.weight, layers[0].attnLn.bias, 1e-5, w.dtype, false);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const WhisperDecoderLayer& l = layers[i];
        const std::int64_t selfHeads = l.selfAttn.heads;
        const torch::Tensor qkv = l.selfAttn.qkv(h).view({batch, n, 3, selfHeads, d / selfHeads});
        cache.selfKeys[i].narrow(2, old, n).copy_(qkv.select(2, 1).transpose(1, 2));
        cache.selfValues[i].narrow(2, old, n).copy_(qkv.select(2, 2).transpose(1, 2));
        const double selfScale = attentionScale(l.selfAttn, d);
        const torch::Tensor context =
            nn::attentionHeadMajor(qkv.select(2, 0).reshape({batch, n, d}), cache.selfKeys[i].narrow(2, 0, old + n),
                                   cache.selfValues[i].narrow(2, 0, old + n), selfScale, causalOffset, blocked);
        h = nn::residualLayerNorm(x, l.selfAttn.out(context).view({batch * n, d}), l.crossLn.weight, l.crossLn.bias,
                                  1e-5, w.dtype, false);

        const torch::Tensor q = l.crossAttn.query(h).view({batch, n, d});
        const double crossScale = attentionScale(l.crossAttn, d);
        if (crossAttention) {
            // openai's word-timestamp hooks read the scaled float32 scores before the softmax.
            const std::int64_t heads = l.crossAttn.heads, dh = d / heads;
            const torch::Tensor qh = q.reshape({batch, n, heads, dh}).transpose(1, 2);
            crossAttention->push_back(
                torch::matmul(qh, cache.crossKeys[i].transpose(2, 3)).to(torch::kFloat32).mul(crossScale));
        }
        const torch::Tensor crossContext =
            nn::attentionHeadMajor(q, cache.crossKeys[i], cache.crossValues[i], crossScale);
        h = nn::residualLayerNorm(x, l.crossAttn.out(crossContext).view({batch * n, d}), l.mlpLn.weight, l.mlpLn.bias,
                                  1e-5, w.dtype, false);
        const WhisperLayerNorm& next = i + 1 < layers.size() ? layers[i + 1].attnLn : w.decoderLn;
        h = nn::residualLayerNorm(x, mlp(l.fc1, l.fc2, h), next.weight, next.bias, 1e-5,
                                  i + 1 < layers.size() ? w.dtype : torch::kFloat32, false);
    }
    return h.view({batch, n, d});
}

torch::Tensor embedTokens(const WhisperModel::Weights& w, const torch::Tensor& ids, const torch::Tensor& positions) {
    const std::int64_t d = w.config.dModel;
    return (torch::embedding(w.tokenEmbedding, ids).to(torch::kFloat32) +
            torch::embedding(w.decoderPositions, positions).to(torch::kFloat32))
        .reshape({-1, d})
        .contiguous();
}

}  // namespace

torch::Tensor whisperDecode(const WhisperModel::Weights& w, const torch::Tensor& tokens,
                            const torch::Tensor& encoderOut, WhisperKvCache* cache,
                            std::vector<torch::Tensor>* crossAttention) {
    const std::int64_t offset = cache ? cache->length : 0;
    const std::int64_t batch = tokens.size(0), n = tokens.size(1);
    if (offset + n > w.config.maxTargetPositions)
        throw Error("whisper decoder", "The token sequence (" + std::to_string(offset + n) +
                                           ") exceeds the decoder context of " +
                                           std::to_string(w.config.maxTargetPositions) + " tokens.");
    if (crossAttention) crossAttention->clear();
    WhisperKvCache local;
    if (!cache) {
        local = whisperStartCache(w, encoderOut, n);
        cache = &local;
    }
    const torch::Tensor ids = tokens.to(w.device, torch::kLong);
    const torch::Tensor positions = torch::arange(offset, offset + n, ids.options()).unsqueeze(0).expand({batch, n});
    torch::Tensor x = embedTokens(w, ids, positions);
    const torch::Tensor hidden = decoderLayers(w, x, batch, n, *cache, offset, {}, crossAttention);
    cache->length += n;
    return whisperLogits(w, hidden);
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
    if (longest > w.config.maxTargetPositions || cache.length + n > cache.selfKeys.front().size(2))
        throw Error("whisper decoder", "The token sequence (" + std::to_string(longest) +
                                           ") exceeds the decoder context of " +
                                           std::to_string(w.config.maxTargetPositions) + " tokens.");

    // Each sequence continues at its own position; padding columns borrow a valid position (they are masked).
    const torch::Tensor columns = torch::arange(n, rowCounts.options()).unsqueeze(0);  // [1, n]
    const torch::Tensor newValid = columns < rowCounts.unsqueeze(1);                   // [B, n]
    const torch::Tensor positions =
        (cache.rowPositions.unsqueeze(1) + columns).clamp_max(w.config.maxTargetPositions - 1);
    const torch::Tensor ids = tokens.to(w.device, torch::kLong);
    torch::Tensor x = embedTokens(w, ids, positions);

    // A query sees the valid cached columns and the valid new columns up to itself (causal within the step).
    const std::int64_t old = cache.length;
    const torch::Tensor valid = torch::cat({cache.validKeys, newValid}, 1);  // [B, old + n]
    const torch::Tensor keyColumns = torch::arange(old + n, rowCounts.options()).unsqueeze(0);
    const torch::Tensor causal = keyColumns.unsqueeze(0) > (columns + old).unsqueeze(2);     // [1, n, old + n]
    const torch::Tensor blocked = (causal | valid.logical_not().unsqueeze(1)).unsqueeze(1);  // [B, 1, n, old + n]
    // Without padding anywhere the plain causal rule says the same and takes the fused CPU softmax.
    const bool ragged = !valid.all().item<bool>();
    const torch::Tensor hidden =
        decoderLayers(w, x, batch, n, cache, ragged ? -1 : old, ragged ? blocked : torch::Tensor(), nullptr);
    cache.length += n;
    cache.validKeys = valid;
    cache.rowPositions = cache.rowPositions + rowCounts;
    return hidden;
}

torch::Tensor whisperLogits(const WhisperModel::Weights& w, const torch::Tensor& hidden) {
    // linear() takes the [vocab, d] table as stored; matmul with its transpose was 1.7x slower on CPU.
    return nn::linear(hidden.to(w.dtype), w.tokenEmbedding).to(torch::kFloat32);
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
    // The cross-attention keys/values are computed once and copied to every sequence of the batch.
    state->cache = whisperStartCache(*m_weights, encoderOutTensor(*m_weights, encoderOut));
    if (state->batch > 1) state->cache.select(torch::zeros({state->batch}, torch::TensorOptions().dtype(torch::kLong)));
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
    const torch::Tensor ids = tokenTensor(tokens, m->weights->config.vocabSize)
                                  .view({batch, static_cast<std::int64_t>(tokens.size()) / batch});
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
    m->cache.selectSelf(torch::tensor(rows, torch::kLong).to(m->weights->device));
}

std::int64_t WhisperModel::Session::batch() const {
    return m->batch;
}

std::int64_t WhisperModel::Session::length() const {
    return m->cache.length;
}

}  // namespace benchtop::audio
