#include "core/text/bert_model_torch.h"

#include "core/common/error.h"
#include "core/nn/transformer_ops_torch.h"
#include "core/tensor/safetensors_torch.h"

#include <cmath>
#include <filesystem>
#include <map>

namespace benchtop::text {

namespace {

namespace fs = std::filesystem;

/// The tensors of a weights file as stored; get() converts to the compute dtype, getFloat32() to float32.
class WeightSource {
public:
    WeightSource(std::map<std::string, torch::Tensor> weights, std::string path, torch::ScalarType dtype)
        : m_weights(std::move(weights)), m_path(std::move(path)), m_dtype(dtype) {
        for (const char* prefix : {"", "bert.", "roberta.", "model.", "xlm_roberta."}) {
            if (m_weights.count(std::string(prefix) + "embeddings.word_embeddings.weight")) {
                m_prefix = prefix;
                return;
            }
        }
        throw Error(m_path,
                    "The weights have no embeddings.word_embeddings.weight; this is not a BERT-family encoder.");
    }

    torch::Tensor get(const std::string& name, const std::vector<int64_t>& shape) const {
        return find(name, shape).to(m_dtype);
    }
    torch::Tensor getFloat32(const std::string& name, const std::vector<int64_t>& shape) const {
        return find(name, shape).to(torch::kFloat32);
    }

private:
    const torch::Tensor& find(const std::string& name, const std::vector<int64_t>& shape) const {
        auto it = m_weights.find(m_prefix + name);
        if (it == m_weights.end()) throw Error(m_path, "tensor '" + m_prefix + name + "' not found.");
        tensor::checkShape(m_path, m_prefix + name, it->second, shape);
        return it->second;
    }

    std::map<std::string, torch::Tensor> m_weights;
    std::string m_path;
    torch::ScalarType m_dtype;
    std::string m_prefix;
};

torch::Tensor activation(const torch::Tensor& x, const std::string& act) {
    if (act == "relu") return torch::relu(x);
    if (act == "gelu_new" || act == "gelu_pytorch_tanh") return torch::gelu(x, "tanh");
    return torch::gelu(x);
}

}  // namespace

BertModel BertModel::load(const std::string& dir, torch::Device device, torch::ScalarType dtype) {
    BertModel m;
    m.config = BertConfig::fromFile((fs::path(dir) / "config.json").string());
    m.device = device;
    m.dtype = dtype;
    fs::path weightsPath = fs::path(dir) / "model.safetensors";
    if (!fs::exists(weightsPath)) weightsPath = fs::path(dir) / "pytorch_model.bin";
    if (!fs::exists(weightsPath))
        throw Error(dir, "The model folder has neither model.safetensors nor pytorch_model.bin.");
    // Read as stored and convert per tensor, so float32 parameters (LayerNorm) never pass through `dtype`.
    const WeightSource w(tensor::loadWeightsFile(weightsPath.string(), device), weightsPath.string(), dtype);
    const BertConfig& c = m.config;
    const int64_t h = c.hiddenSize, inter = c.intermediateSize;
    m.wordEmbeddings = w.get("embeddings.word_embeddings.weight", {-1, h});
    m.positionEmbeddings = w.get("embeddings.position_embeddings.weight", {-1, h});
    m.tokenTypeEmbeddings = w.get("embeddings.token_type_embeddings.weight", {-1, h});
    // LayerNorm parameters stay in float32 whatever the compute dtype (see forward()).
    m.embLnW = w.getFloat32("embeddings.LayerNorm.weight", {h});
    m.embLnB = w.getFloat32("embeddings.LayerNorm.bias", {h});
    for (int64_t i = 0; i < c.numLayers; ++i) {
        const std::string p = "encoder.layer." + std::to_string(i) + ".";
        BertLayer l;
        l.qkvW = torch::cat({w.get(p + "attention.self.query.weight", {h, h}),
                             w.get(p + "attention.self.key.weight", {h, h}),
                             w.get(p + "attention.self.value.weight", {h, h})});
        l.qkvB = torch::cat({w.get(p + "attention.self.query.bias", {h}), w.get(p + "attention.self.key.bias", {h}),
                             w.get(p + "attention.self.value.bias", {h})});
        l.attnOutW = w.get(p + "attention.output.dense.weight", {h, h});
        l.attnOutB = w.get(p + "attention.output.dense.bias", {h});
        l.attnLnW = w.getFloat32(p + "attention.output.LayerNorm.weight", {h});
        l.attnLnB = w.getFloat32(p + "attention.output.LayerNorm.bias", {h});
        l.interW = w.get(p + "intermediate.dense.weight", {inter, h});
        l.interB = w.get(p + "intermediate.dense.bias", {inter});
        l.outW = w.get(p + "output.dense.weight", {h, inter});
        l.outB = w.get(p + "output.dense.bias", {h});
        l.outLnW = w.getFloat32(p + "output.LayerNorm.weight", {h});
        l.outLnB = w.getFloat32(p + "output.LayerNorm.bias", {h});
        m.layers.push_back(std::move(l));
    }
    return m;
}

torch::Tensor BertModel::forward(const torch::Tensor& inputIds, const torch::Tensor& attentionMask,
                                 const torch::Tensor& tokenTypeIds) const {
    const BertConfig& c = config;
    const int64_t batch = inputIds.size(0), length = inputIds.size(1);
    const auto ids = inputIds.to(device, torch::kLong);
    const auto mask = attentionMask.to(device, torch::kLong);
    if (length > positionEmbeddings.size(0) - (c.offsetPositions() ? c.padTokenId + 1 : 0))
        throw Error("BertModel", "The batch is " + std::to_string(length) + " tokens long but the model has " +
                                     std::to_string(positionEmbeddings.size(0)) + " positions; truncate the texts.");

    torch::Tensor positions;
    if (c.offsetPositions()) {
        // transformers create_position_ids_from_input_ids: padding keeps padding_idx, tokens count from it.
        const auto notPad = ids.ne(c.padTokenId).to(torch::kLong);
        positions = torch::cumsum(notPad, 1) * notPad + c.padTokenId;
    } else {
        positions = torch::arange(length, torch::TensorOptions().dtype(torch::kLong).device(device))
                        .unsqueeze(0)
                        .expand({batch, length});
    }
    const auto types = tokenTypeIds.defined() ? tokenTypeIds.to(device, torch::kLong) : torch::zeros_like(ids);

    std::vector<int64_t> offsets;
    torch::Tensor index;
    const auto packedIds = nn::packRows(ids.unsqueeze(-1), mask, offsets, &index).squeeze(1);
    const auto packedPositions = positions.reshape({-1}).index_select(0, index);
    const auto packedTypes = types.reshape({-1}).index_select(0, index);
    return nn::unpackRows(forwardPacked(packedIds, packedPositions, packedTypes, offsets), index, batch, length);
}

torch::Tensor BertModel::forwardPacked(const torch::Tensor& ids, const torch::Tensor& positions,
                                       const torch::Tensor& types, const std::vector<int64_t>& offsets) const {
    const BertConfig& c = config;
    const int64_t heads = c.numHeads, headDim = c.hiddenSize / c.numHeads;
    // Mixed precision: the matrix products run in `dtype`, while the residual stream, the LayerNorms and
    // the softmax arithmetic stay in float32 (their parameters are kept in float32 by load()). In bf16 this
    // keeps token-level outputs such as BGE-M3's lexical weights within ~1 % instead of accumulating a bf16
    // rounding per residual add.
    const auto f32 = torch::kFloat32;
    auto x = (torch::embedding(wordEmbeddings, ids).to(f32) + torch::embedding(tokenTypeEmbeddings, types).to(f32) +
              torch::embedding(positionEmbeddings, positions).to(f32))
                 .contiguous();
    // Each fused residual + LayerNorm leaves the float32 stream in x and hands back its copy in `dtype`,
    // the input of the next matrix product.
    auto xd = nn::residualLayerNorm(x, {}, embLnW, embLnB, c.layerNormEps, dtype, true);
    const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
    for (const BertLayer& l : layers) {
        const auto qkv = torch::linear(xd, l.qkvW, l.qkvB);
        const auto context = nn::packedSelfAttention(qkv, offsets, static_cast<int>(heads), scale);
        xd = nn::residualLayerNorm(x, torch::linear(context, l.attnOutW, l.attnOutB), l.attnLnW, l.attnLnB,
                                   c.layerNormEps, dtype, true);
        const auto hidden = activation(torch::linear(xd, l.interW, l.interB), c.hiddenAct);
        xd = nn::residualLayerNorm(x, torch::linear(hidden, l.outW, l.outB), l.outLnW, l.outLnB, c.layerNormEps, dtype,
                                   true);
    }
    return x;
}

torch::Tensor poolEmbeddings(const torch::Tensor& hiddenIn, const torch::Tensor& attentionMask,
                             const PoolingConfig& pooling) {
    const auto hidden = hiddenIn.to(torch::kFloat32);
    const auto mask = attentionMask.to(hidden.device(), torch::kFloat32).unsqueeze(-1);  // [B, L, 1]
    std::vector<torch::Tensor> parts;
    if (pooling.cls) parts.push_back(hidden.select(1, 0));
    if (pooling.max) parts.push_back(hidden.masked_fill(mask.eq(0), -1e9).amax(1));
    if (pooling.mean || pooling.meanSqrtLen) {
        const auto sum = (hidden * mask).sum(1);
        const auto count = mask.sum(1).clamp_min(1e-9);
        if (pooling.mean) parts.push_back(sum / count);
        if (pooling.meanSqrtLen) parts.push_back(sum / count.sqrt());
    }
    auto out = parts.size() == 1 ? parts[0] : torch::cat(parts, 1);
    if (pooling.normalize)
        out = torch::nn::functional::normalize(out, torch::nn::functional::NormalizeFuncOptions().p(2).dim(1));
    return out;
}

}  // namespace benchtop::text
