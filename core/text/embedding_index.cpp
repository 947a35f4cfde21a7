#include "core/text/embedding_index.h"

#include "core/common/error.h"
#include "core/tensor/npy_reader.h"
#include "core/text/embedding_task.h"
#include "core/text/text_encoder.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

namespace benchtop::text {

namespace {

namespace fs = std::filesystem;

nlohmann::json readJson(const fs::path& path, const char* hint) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path.string(), std::string("not found; ") + hint);
    try {
        return nlohmann::json::parse(in);
    } catch (const std::exception& e) {
        throw Error(path.string(), std::string("is not valid JSON: ") + e.what());
    }
}

template <class T>
T field(const nlohmann::json& j, const char* name, T fallback) {
    if (!j.is_object() || !j.contains(name) || j[name].is_null()) return fallback;
    try {
        return j[name].get<T>();
    } catch (const std::exception&) {
        return fallback;
    }
}

}  // namespace

EmbeddingIndex::~EmbeddingIndex() = default;

std::shared_ptr<EmbeddingIndex> EmbeddingIndex::open(const std::string& dir) {
    std::shared_ptr<EmbeddingIndex> index(new EmbeddingIndex());
    index->m_dir = dir;
    const fs::path folder(dir);

    const fs::path infoPath = folder / "embedding_info.json";
    const auto info = readJson(infoPath, "run a text-embedding job into this folder first.");
    if (!info.is_object()) throw Error(infoPath.string(), "is not a JSON object.");
    EmbeddingInfo& i = index->m_info;
    i.model = field<std::string>(info, "model", {});
    i.modelRef = field<std::string>(info, "model_ref", {});
    i.pooling = field<std::string>(info, "pooling", {});
    i.normalize = field<bool>(info, "normalize", false);
    i.device = field<std::string>(info, "device", {});
    i.precision = field<std::string>(info, "precision", {});
    i.dtype = field<std::string>(info, "dtype", "float32");
    i.outputs = field<std::string>(info, "outputs", "dense");
    i.maxLength = field<std::size_t>(info, "max_length", 0);
    i.tokens = field<std::int64_t>(info, "tokens", 0);
    i.paddingEfficiency = field<double>(info, "padding_efficiency", 0.0);
    i.textsPerSecond = field<double>(info, "texts_per_second", 0.0);
    i.tokensPerSecond = field<double>(info, "tokens_per_second", 0.0);

    const fs::path npyPath = folder / "embeddings.npy";
    if (!fs::exists(npyPath))
        throw Error(npyPath.string(), "not found; the run wrote no dense embeddings (outputs " + i.outputs + ").");
    const auto array = tensor::readNpy(npyPath.string());
    if (array.shape.size() != 2)
        throw Error(npyPath.string(),
                    "is not a 2-D array of embeddings (" + std::to_string(array.shape.size()) + " dimensions).");
    index->m_rows = static_cast<std::size_t>(array.shape[0]);
    index->m_dim = static_cast<std::size_t>(array.shape[1]);
    index->m_values = array.toFloats();
    index->m_norms.resize(index->m_rows);
    for (std::size_t r = 0; r < index->m_rows; ++r) {
        const float* v = index->m_values.data() + r * index->m_dim;
        double n = 0;
        for (std::size_t c = 0; c < index->m_dim; ++c) n += double(v[c]) * v[c];
        index->m_norms[r] = std::sqrt(n);
    }

    const fs::path textsPath = folder / "texts.jsonl";
    std::ifstream in(textsPath, std::ios::binary);
    if (!in) throw Error(textsPath.string(), "not found; it holds the texts of the embeddings.");
    std::size_t lineNo = 0;
    for (std::string line; std::getline(in, line);) {
        ++lineNo;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_object() || !j.contains("text") || !j["text"].is_string())
            throw Error(textsPath.string() + ":" + std::to_string(lineNo),
                        "is not a JSON object with a string \"text\".");
        index->m_texts.push_back(j["text"].get<std::string>());
        index->m_sources.push_back(field<std::string>(j, "source", {}));
    }
    if (index->m_texts.size() != index->m_rows)
        throw Error(textsPath.string(), "has " + std::to_string(index->m_texts.size()) +
                                            " texts but embeddings.npy has " + std::to_string(index->m_rows) +
                                            " rows; the folder mixes two runs.");
    return index;
}

void EmbeddingIndex::setEncoder(std::shared_ptr<const TextEncoder> encoder) {
    std::lock_guard<std::mutex> lock(m_encoderMutex);
    m_encoder = std::move(encoder);
}

std::shared_ptr<const TextEncoder> EmbeddingIndex::encoder(const std::string& model, const std::string& device) {
    std::lock_guard<std::mutex> lock(m_encoderMutex);
    if (!m_encoder) {
        const std::string ref = model.empty() ? m_info.model : model;
        if (ref.empty())
            throw Error((fs::path(m_dir) / "embedding_info.json").string(),
                        "names no model; choose the model to embed queries with.");
        m_encoder = TextEncoder::load(resolveTextModel(ref), device, "fp32");
    }
    if (m_encoder->dimension() != m_dim)
        throw Error(model.empty() ? m_info.model : model,
                    "gives " + std::to_string(m_encoder->dimension()) + "-dim embeddings but the output has " +
                        std::to_string(m_dim) + "; use the model the output was made with.");
    return m_encoder;
}

std::vector<SearchHit> EmbeddingIndex::search(const std::string& query, std::size_t k) {
    return searchVector(encoder()->embedTexts({query}), k);
}

std::vector<SearchHit> EmbeddingIndex::searchVector(const std::vector<float>& query, std::size_t k) const {
    if (query.size() != m_dim)
        throw Error("search", "the query has " + std::to_string(query.size()) + " values but the embeddings have " +
                                  std::to_string(m_dim) + ".");
    double qn = 0;
    for (float v : query) qn += double(v) * v;
    qn = std::sqrt(qn);
    std::vector<double> scores(m_rows, 0.0);
    for (std::size_t r = 0; r < m_rows; ++r) {
        const float* v = m_values.data() + r * m_dim;
        double dot = 0;
        for (std::size_t c = 0; c < m_dim; ++c) dot += double(query[c]) * v[c];
        scores[r] = (qn > 0 && m_norms[r] > 0) ? dot / (qn * m_norms[r]) : 0.0;
    }
    std::vector<std::size_t> order(m_rows);
    std::iota(order.begin(), order.end(), std::size_t{0});
    k = std::min(k, m_rows);
    std::partial_sort(
        order.begin(), order.begin() + static_cast<long>(k), order.end(),
        [&](std::size_t a, std::size_t b) { return scores[a] > scores[b] || (scores[a] == scores[b] && a < b); });
    std::vector<SearchHit> hits;
    hits.reserve(k);
    for (std::size_t i = 0; i < k; ++i)
        hits.push_back({order[i], scores[order[i]], m_texts[order[i]], m_sources[order[i]]});
    return hits;
}

Projection EmbeddingIndex::project2d(std::size_t maxSample, std::uint64_t seed) const {
    Projection p;
    p.sample.resize(m_rows);
    std::iota(p.sample.begin(), p.sample.end(), std::size_t{0});
    if (maxSample > 0 && m_rows > maxSample) {
        std::mt19937_64 rng(seed);
        for (std::size_t i = 0; i < maxSample; ++i) {  // partial Fisher-Yates
            std::uniform_int_distribution<std::size_t> pick(i, m_rows - 1);
            std::swap(p.sample[i], p.sample[pick(rng)]);
        }
        p.sample.resize(maxSample);
        std::sort(p.sample.begin(), p.sample.end());
    }
    p.xy.assign(m_rows * 2, 0.0f);
    const auto n = static_cast<std::int64_t>(p.sample.size()), d = static_cast<std::int64_t>(m_dim);
    if (n == 0 || d == 0) return p;

    torch::NoGradGuard noGrad;
    auto x = torch::empty({n, d}, torch::kFloat64);
    auto* dst = x.data_ptr<double>();
    for (std::int64_t i = 0; i < n; ++i)
        std::copy_n(m_values.data() + p.sample[static_cast<std::size_t>(i)] * m_dim, m_dim, dst + i * d);
    const auto mean = x.mean(0, /*keepdim=*/true);
    x = x - mean;
    const auto [values, vectors] = torch::linalg_eigh(torch::matmul(x.t(), x));  // ascending, vectors as columns
    const double total = values.clamp_min(0).sum().item<double>();
    auto basis = torch::zeros({d, 2}, torch::kFloat64);
    for (std::int64_t a = 0; a < std::min<std::int64_t>(2, d); ++a) {
        auto v = vectors.select(1, d - 1 - a);
        // The sign of an eigenvector is arbitrary: make the largest loading positive so maps are stable.
        if (v[v.abs().argmax()].item<double>() < 0) v = -v;
        basis.select(1, a).copy_(v);
        p.explained[a] = total > 0 ? std::max(0.0, values[d - 1 - a].item<double>()) / total : 0.0;
    }
    // Every row on the fitted axes, in chunks so a large collection never needs a float64 copy of all of it.
    constexpr std::int64_t kChunk = 16384;
    for (std::int64_t begin = 0; begin < static_cast<std::int64_t>(m_rows); begin += kChunk) {
        const std::int64_t rows = std::min<std::int64_t>(kChunk, static_cast<std::int64_t>(m_rows) - begin);
        const auto chunk = torch::from_blob(const_cast<float*>(m_values.data()) + begin * d, {rows, d}, torch::kFloat32)
                               .to(torch::kFloat64);
        const auto coords = torch::matmul(chunk - mean, basis).to(torch::kFloat32).contiguous();
        std::copy_n(coords.data_ptr<float>(), rows * 2, p.xy.data() + begin * 2);
    }
    return p;
}

}  // namespace benchtop::text
