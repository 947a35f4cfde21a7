#include "core/text/text_encoder.h"

#include "core/common/error.h"
#include "core/text/bert_model_torch.h"

namespace benchtop::text {

struct TextEncoder::Impl {
    Tokenizer tokenizer;
    BertModel model;
    PoolingConfig pooling;
    size_t dimension = 0;

    torch::Tensor run(const EncodedBatch& batch) const {
        const auto rows = static_cast<int64_t>(batch.rows), cols = static_cast<int64_t>(batch.columns);
        auto opts = torch::TensorOptions().dtype(torch::kLong);
        // from_blob does not own the memory: clone so the tensors outlive the batch safely.
        const auto ids = torch::from_blob(const_cast<int64_t*>(batch.inputIds.data()), {rows, cols}, opts).clone();
        const auto mask = torch::from_blob(const_cast<int64_t*>(batch.attentionMask.data()), {rows, cols}, opts).clone();
        const auto types = torch::from_blob(const_cast<int64_t*>(batch.typeIds.data()), {rows, cols}, opts).clone();
        return model.forward(ids, mask, types);
    }
};

namespace {

torch::ScalarType parseDtype(const std::string& precision) {
    if (precision == "fp32" || precision.empty() || precision == "auto") return torch::kFloat32;
    if (precision == "fp16") return torch::kFloat16;
    if (precision == "bf16") return torch::kBFloat16;
    throw Error("precision", "Unknown precision \"" + precision + "\" (use fp32, fp16 or bf16).");
}

std::vector<float> toVector(const torch::Tensor& t) {
    const auto cpu = t.to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
}

}  // namespace

TextEncoder::TextEncoder(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
TextEncoder::~TextEncoder() = default;

std::unique_ptr<TextEncoder> TextEncoder::load(const std::string& dir, const std::string& device, const std::string& precision) {
    auto impl = std::make_unique<Impl>(Impl{Tokenizer::fromFolder(dir), BertModel{}, PoolingConfig::fromFolder(dir), 0});
    impl->model = BertModel::load(dir, torch::Device(device), parseDtype(precision));
    const auto h = static_cast<size_t>(impl->model.config.hiddenSize);
    const PoolingConfig& p = impl->pooling;
    impl->dimension = h * ((p.cls ? 1 : 0) + (p.mean ? 1 : 0) + (p.max ? 1 : 0) + (p.meanSqrtLen ? 1 : 0));
    return std::unique_ptr<TextEncoder>(new TextEncoder(std::move(impl)));
}

const Tokenizer& TextEncoder::tokenizer() const { return m_impl->tokenizer; }
const BertConfig& TextEncoder::config() const { return m_impl->model.config; }
const PoolingConfig& TextEncoder::pooling() const { return m_impl->pooling; }
size_t TextEncoder::dimension() const { return m_impl->dimension; }

std::vector<float> TextEncoder::embed(const EncodedBatch& batch) const {
    torch::NoGradGuard noGrad;
    if (batch.rows == 0) return {};
    const auto hidden = m_impl->run(batch);
    const auto mask = torch::from_blob(const_cast<int64_t*>(batch.attentionMask.data()),
                                       {static_cast<int64_t>(batch.rows), static_cast<int64_t>(batch.columns)},
                                       torch::TensorOptions().dtype(torch::kLong))
                          .clone();
    return toVector(poolEmbeddings(hidden, mask, m_impl->pooling));
}

std::vector<float> TextEncoder::hiddenStates(const EncodedBatch& batch) const {
    torch::NoGradGuard noGrad;
    if (batch.rows == 0) return {};
    return toVector(m_impl->run(batch));
}

std::vector<float> TextEncoder::embedTexts(const std::vector<std::string>& texts) const {
    std::vector<std::string> stripped;
    stripped.reserve(texts.size());
    for (const auto& t : texts) stripped.push_back(stripPython(t));
    EncodeOptions options;
    options.maxLength = m_impl->tokenizer.maxLength();
    return embed(m_impl->tokenizer.encodeBatch(stripped, options));
}

}  // namespace benchtop::text
