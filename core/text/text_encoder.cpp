#include "core/text/text_encoder.h"

#include "core/common/error.h"
#include "core/text/bert_model_torch.h"
#include "core/text/bge_m3_heads_torch.h"

namespace benchtop::text {

struct TextEncoder::Impl {
    Tokenizer tokenizer;
    BertModel model;
    PoolingConfig pooling;
    size_t dimension = 0;
    OutputSelection outputs;
    BgeM3Heads heads;
    std::vector<TokenId> unusedIds;  // left out of lexical weights
    std::string device, precision;

    static torch::Tensor longTensor(const std::vector<int64_t>& values, const EncodedBatch& batch) {
        // from_blob does not own the memory: clone so the tensor outlives the batch safely.
        return torch::from_blob(const_cast<int64_t*>(values.data()),
                                {static_cast<int64_t>(batch.rows), static_cast<int64_t>(batch.columns)},
                                torch::TensorOptions().dtype(torch::kLong))
            .clone();
    }

    torch::Tensor run(const EncodedBatch& batch) const {
        return model.forward(longTensor(batch.inputIds, batch), longTensor(batch.attentionMask, batch),
                             longTensor(batch.typeIds, batch));
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

std::unique_ptr<TextEncoder> TextEncoder::load(const std::string& dir, const std::string& device,
                                               const std::string& precision, const OutputSelection& outputs) {
    auto impl = std::make_unique<Impl>(Impl{Tokenizer::fromFolder(dir),
                                            BertModel{},
                                            PoolingConfig::fromFolder(dir),
                                            0,
                                            OutputSelection{},
                                            BgeM3Heads{},
                                            {},
                                            {},
                                            {}});
    const auto dtype = parseDtype(precision);
    impl->model = BertModel::load(dir, torch::Device(device), dtype);
    const auto h = static_cast<size_t>(impl->model.config.hiddenSize);
    const PoolingConfig& p = impl->pooling;
    impl->dimension = h * ((p.cls ? 1 : 0) + (p.mean ? 1 : 0) + (p.max ? 1 : 0) + (p.meanSqrtLen ? 1 : 0));
    impl->outputs = outputs;
    impl->heads =
        BgeM3Heads::load(dir, impl->model.config.hiddenSize, outputs.sparse, outputs.colbert, torch::Device(device));
    if (outputs.sparse) impl->unusedIds = unusedTokenIds(dir, impl->tokenizer);
    impl->device = device;
    impl->precision = precision.empty() || precision == "auto" ? "fp32" : precision;
    return std::unique_ptr<TextEncoder>(new TextEncoder(std::move(impl)));
}

const Tokenizer& TextEncoder::tokenizer() const {
    return m_impl->tokenizer;
}
const BertConfig& TextEncoder::config() const {
    return m_impl->model.config;
}
const PoolingConfig& TextEncoder::pooling() const {
    return m_impl->pooling;
}
size_t TextEncoder::dimension() const {
    return m_impl->dimension;
}
const OutputSelection& TextEncoder::outputs() const {
    return m_impl->outputs;
}
size_t TextEncoder::colbertDimension() const {
    return static_cast<size_t>(m_impl->heads.colbertDimension());
}
const std::string& TextEncoder::device() const {
    return m_impl->device;
}
const std::string& TextEncoder::precision() const {
    return m_impl->precision;
}

std::vector<float> TextEncoder::embed(const EncodedBatch& batch) const {
    torch::NoGradGuard noGrad;
    if (batch.rows == 0) return {};
    const auto hidden = m_impl->run(batch);
    return toVector(poolEmbeddings(hidden, Impl::longTensor(batch.attentionMask, batch), m_impl->pooling));
}

EncoderOutputs TextEncoder::encode(const EncodedBatch& batch) const {
    torch::NoGradGuard noGrad;
    EncoderOutputs out;
    out.rows = batch.rows;
    if (batch.rows == 0) return out;
    const Impl& impl = *m_impl;
    const auto hidden = impl.run(batch);
    const auto mask = Impl::longTensor(batch.attentionMask, batch);
    if (impl.outputs.dense) out.dense = toVector(poolEmbeddings(hidden, mask, impl.pooling));
    if (impl.outputs.sparse) {
        const auto weights = toVector(impl.heads.tokenWeights(hidden));  // [rows, columns]
        out.sparse.reserve(batch.rows);
        for (size_t r = 0; r < batch.rows; ++r)
            out.sparse.push_back(lexicalWeights(weights.data() + r * batch.columns,
                                                batch.inputIds.data() + r * batch.columns, batch.lengths[r],
                                                impl.unusedIds));
    }
    if (impl.outputs.colbert) {
        const auto vectors = toVector(impl.heads.colbertVectors(hidden, mask));  // [rows, columns - 1, D]
        const size_t d = colbertDimension(), stride = (batch.columns - 1) * d;
        out.colbert.reserve(batch.rows);
        for (size_t r = 0; r < batch.rows; ++r) {
            // FlagEmbedding keeps the vectors of the real tokens after CLS: length - 1 of them.
            const size_t n = batch.lengths[r] > 0 ? batch.lengths[r] - 1 : 0;
            out.colbert.emplace_back(vectors.begin() + static_cast<long>(r * stride),
                                     vectors.begin() + static_cast<long>(r * stride + n * d));
        }
    }
    return out;
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
