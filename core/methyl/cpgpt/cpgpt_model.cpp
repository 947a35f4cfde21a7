#include "core/methyl/cpgpt/cpgpt_model.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/methyl/cpgpt/cpgpt_network_torch.h"
#include "core/methyl/cpgpt/lightning_checkpoint.h"
#include "core/methyl/cpgpt/locus_embeddings.h"
#include "core/tensor/safetensors_torch.h"

namespace benchtop::methyl::cpgpt {

namespace fs = std::filesystem;

namespace {

torch::Tensor toTorch(const tensor::PickledTensor& t) {
    const auto type = tensor::toScalarType(t.dtype);
    void* data = const_cast<std::uint8_t*>(t.storage.data) + t.storageOffset * tensor::dtypeSize(t.dtype);
    return torch::from_blob(data, t.shape, t.strides, torch::TensorOptions().dtype(type)).clone();
}

torch::ScalarType computeType(device::Precision p) {
    switch (p) {
        case device::Precision::Fp16:
            return torch::kFloat16;
        case device::Precision::Bf16:
            return torch::kBFloat16;
        default:
            return torch::kFloat32;
    }
}

std::vector<float> floats(const torch::Tensor& t) {
    const torch::Tensor c = t.to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

StageValues stage(const torch::Tensor& t) {
    return {t.sizes().vec(), floats(t)};
}

std::string requireFile(const fs::path& path, const std::string& what) {
    if (!fs::exists(path)) throw Error(path.string(), "is missing: a CpGPT model folder needs " + what + ".");
    return path.string();
}

}  // namespace

struct CpgptModel::Impl {
    std::string folder;
    std::string weightsFile;
    CpgptConfig config;
    CpgptVocab vocab;
    std::unordered_map<std::string, std::int64_t> index;  // vocab CpG -> row
    std::vector<bool> located;
    std::size_t locatedCount = 0;
    CpgptNetwork net;
    std::string precisionName;
    torch::Tensor positions;                // int64 [V]
    torch::Tensor sequence, locus;          // [V, d] float32
    torch::Tensor methDecoded, uncDecoded;  // [V, d]: the decoders' per-CpG part of query_methylation
    torch::Tensor conditionQueries;         // [K, d]

    torch::Tensor sampleEmbedding(const std::vector<double>& betas, bool masked, std::int64_t budget,
                                  AttentionStats* stats, std::vector<std::int64_t>* rowsOut = nullptr) const;
};

CpgptModel::CpgptModel(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
CpgptModel::CpgptModel(CpgptModel&&) noexcept = default;
CpgptModel& CpgptModel::operator=(CpgptModel&&) noexcept = default;
CpgptModel::~CpgptModel() = default;

const std::string& CpgptModel::folder() const {
    return m_impl->folder;
}
const CpgptConfig& CpgptModel::config() const {
    return m_impl->config;
}
const CpgptVocab& CpgptModel::vocab() const {
    return m_impl->vocab;
}
const std::string& CpgptModel::weightsFile() const {
    return m_impl->weightsFile;
}
std::size_t CpgptModel::locatedCpgs() const {
    return m_impl->locatedCount;
}

CpgptModel CpgptModel::load(const std::string& folder, const LoadOptions& options) {
    auto m = std::make_unique<Impl>();
    const fs::path dir(folder);
    m->folder = folder;
    m->config = readConfig(requireFile(dir / "config.yaml", "config.yaml (the model zoo's config/<model>.yaml)"));
    m->vocab = readVocab(requireFile(dir / "vocab.json", "vocab.json (the model zoo's vocab/<model>.json)"));
    const CpgptConfig& c = m->config;
    for (std::size_t i = 0; i < m->vocab.input.size(); ++i)
        m->index.emplace(m->vocab.input[i], static_cast<std::int64_t>(i));
    if (!m->vocab.output.empty() && static_cast<int>(m->vocab.output.size()) != c.conditionSize)
        throw Error((dir / "vocab.json").string(), "lists " + std::to_string(m->vocab.output.size()) +
                                                       " outputs but config.yaml has condition_size " +
                                                       std::to_string(c.conditionSize) + ".");

    const torch::Device device(options.device);
    const torch::ScalarType dtype = computeType(options.precision);
    m->precisionName = dtype == torch::kFloat16 ? "fp16" : dtype == torch::kBFloat16 ? "bf16" : "fp32";
    if (dtype != torch::kFloat32) {
        try {
            const auto probe = torch::ones({2, 2}, torch::TensorOptions().dtype(dtype).device(device));
            (void)torch::matmul(probe, probe);
        } catch (const std::exception&) {
            throw Error(folder, m->precisionName + " matrix products are not available on " + options.device +
                                    " in this libtorch " + std::string(TORCH_VERSION) + "; use fp32" +
                                    (dtype == torch::kFloat16 ? " or bf16." : "."));
        }
    }

    // Weights: a converted safetensors file when there is one (no pickle at all), else the shipped checkpoint.
    const torch::NoGradGuard noGrad;
    if (fs::exists(dir / "model.safetensors")) {
        m->weightsFile = (dir / "model.safetensors").string();
        const tensor::SafetensorsFile file(m->weightsFile);
        m->net = CpgptNetwork::fromWeights([&](const std::string& n) { return tensor::toTorch(file, n); },
                                           [&](const std::string& n) { return file.contains(n); }, c, m->weightsFile,
                                           device, dtype);
    } else {
        m->weightsFile = requireFile(dir / "model.ckpt", "model.ckpt or model.safetensors (the weights)");
        const LightningCheckpoint ckpt(m->weightsFile);
        m->net = CpgptNetwork::fromWeights([&](const std::string& n) { return toTorch(ckpt.info(n)); },
                                           [&](const std::string& n) { return ckpt.contains(n); }, c, m->weightsFile,
                                           device, dtype);
    }

    const std::string locusPath =
        options.locusFile.empty() ? (dir / "locus_embeddings.safetensors").string() : options.locusFile;
    if (!fs::exists(locusPath))
        throw Error(locusPath,
                    "is missing: import the DNA embeddings of this model's CpGs from CpGPT's human "
                    "dependencies first (see docs/cpgpt.md).");
    const LocusTable table = readLocusTable(locusPath);
    if (table.cpgs != m->vocab.input)
        throw Error(locusPath, "lists other CpGs than vocab.json (" + std::to_string(table.cpgs.size()) + " vs " +
                                   std::to_string(m->vocab.input.size()) + "); import it again for this model.");
    if (table.dim != c.dDnaEmbedding)
        throw Error(locusPath, "holds " + std::to_string(table.dim) + "-wide DNA embeddings but the model reads " +
                                   std::to_string(c.dDnaEmbedding) + ".");
    const auto v = static_cast<std::int64_t>(table.cpgs.size());
    m->located.resize(table.cpgs.size());
    for (std::size_t i = 0; i < table.positions.size(); ++i) {
        m->located[i] = table.positions[i] >= 0;
        m->locatedCount += m->located[i];
    }
    m->positions = torch::tensor(table.positions, torch::kInt64).clamp_min(0);
    const torch::Tensor dna =
        torch::from_blob(const_cast<float*>(table.embeddings.data()), {v, table.dim}, torch::kFloat32);
    m->sequence = m->net.sequenceEmbeddings(dna);
    m->locus = m->net.locusEmbeddings(m->sequence, m->positions);
    m->methDecoded = m->net.methDecoder.forward(m->sequence);
    m->uncDecoded = m->net.methUncDecoder.forward(m->sequence);
    if (c.conditionDecoder) m->conditionQueries = m->net.conditionQueries();
    return CpgptModel(std::move(m));
}

torch::Tensor CpgptModel::Impl::sampleEmbedding(const std::vector<double>& betas, bool masked, std::int64_t budget,
                                                AttentionStats* stats, std::vector<std::int64_t>* rowsOut) const {
    const torch::NoGradGuard noGrad;
    const auto n = static_cast<std::int64_t>(betas.size());
    if (n != static_cast<std::int64_t>(vocab.input.size()))
        throw Error("CpGPT", "expected " + std::to_string(vocab.input.size()) + " betas, got " + std::to_string(n));
    std::vector<std::int64_t> rows;
    std::vector<float> values;
    std::vector<std::uint8_t> hidden;
    for (std::int64_t i = 0; i < n; ++i) {
        const bool missing = std::isnan(betas[i]) || !located[i];
        if (masked) {
            rows.push_back(i);
            values.push_back(missing ? 0.0f : static_cast<float>(betas[i]));
            hidden.push_back(missing);
        } else if (!missing) {
            rows.push_back(i);
            values.push_back(static_cast<float>(betas[i]));
        }
    }
    if (rowsOut) *rowsOut = rows;
    const torch::Device device = net.device;
    const torch::Tensor index = torch::tensor(rows, torch::kInt64).to(device);
    const torch::Tensor beta = torch::tensor(values, torch::kFloat32).to(device);
    torch::Tensor mask;
    if (masked) mask = torch::tensor(std::vector<std::uint8_t>(hidden), torch::kUInt8).to(device).to(torch::kBool);
    const torch::Tensor input = net.transformerInput(locus.index_select(0, index), beta, mask);
    return net.encodeSample(input, budget, mask, {}, stats);
}

void CpgptModel::encode(const std::vector<double>& betas, std::vector<float>& conditions, std::vector<float>& embedding,
                        bool masked, std::int64_t budget) const {
    const torch::NoGradGuard noGrad;
    const torch::Tensor e = m_impl->sampleEmbedding(betas, masked, budget, nullptr);
    embedding = floats(e);
    conditions =
        m_impl->conditionQueries.defined() ? floats(torch::matmul(m_impl->conditionQueries, e)) : std::vector<float>();
}

std::map<std::string, StageValues> CpgptModel::stages(const std::vector<double>& betas) const {
    const torch::NoGradGuard noGrad;
    const Impl& m = *m_impl;
    std::map<std::string, StageValues> out;
    out["sequence_embeddings"] = stage(m.sequence);
    out["abs_position_encoding"] = stage(m.net.positionEncoding(m.positions));
    out["locus_embeddings"] = stage(m.locus);
    std::vector<float> zeroed;
    std::vector<std::uint8_t> hidden;
    for (std::size_t i = 0; i < betas.size(); ++i) {
        const bool missing = std::isnan(betas[i]) || !m.located[i];
        zeroed.push_back(missing ? 0.0f : static_cast<float>(betas[i]));
        hidden.push_back(missing);
    }
    const torch::Tensor beta = torch::tensor(zeroed, torch::kFloat32).to(m.net.device);
    const torch::Tensor mask = torch::tensor(hidden, torch::kUInt8).to(m.net.device).to(torch::kBool);
    out["meth_embeddings"] = stage(m.net.methEmbeddings(beta));
    const torch::Tensor input = m.net.transformerInput(m.locus, beta, mask);
    out["transformer_input"] = stage(input);
    m.net.encodeSample(input, 256ll << 20, mask, [&](int layer, const torch::Tensor& x) {
        out["layer" + std::to_string(layer) + "_output"] = stage(x);
    });
    if (m.conditionQueries.defined()) out["condition_queries"] = stage(m.conditionQueries);
    return out;
}

void CpgptModel::queryMethylation(const std::vector<float>& embedding, std::vector<float>& mValues,
                                  std::vector<float>& uncertainty) const {
    const torch::NoGradGuard noGrad;
    const Impl& m = *m_impl;
    if (static_cast<int>(embedding.size()) != m.config.dEmbedding)
        throw Error("CpGPT", "a sample embedding has " + std::to_string(embedding.size()) + " values, expected " +
                                 std::to_string(m.config.dEmbedding) + ".");
    const torch::Tensor e = torch::tensor(embedding, torch::kFloat32).to(m.net.device);
    mValues = floats(torch::matmul(m.methDecoded, e));
    uncertainty = floats(torch::softplus(torch::matmul(m.uncDecoded, e)));
}

CpgptPredictions CpgptModel::predict(const BetaMatrix& matrix, const RunOptions& options) const {
    const torch::NoGradGuard noGrad;
    const Impl& m = *m_impl;
    const std::size_t vocabSize = m.vocab.input.size();
    // Output columns and the head row each one reads.
    std::vector<OutputSpec> specs = options.outputs;
    std::vector<std::string> headNames = m.vocab.output;
    for (int k = static_cast<int>(headNames.size()); k < m.config.conditionSize; ++k)
        headNames.push_back("condition_" + std::to_string(k));
    if (specs.empty())
        for (const std::string& name : headNames) specs.push_back({name, "", OutputTransform::Identity, 1.0, 0.0});
    std::vector<std::size_t> head;
    for (const OutputSpec& spec : specs) {
        const auto it = std::find(headNames.begin(), headNames.end(), spec.name);
        if (it == headNames.end())
            throw Error(m.folder, "has no output '" + spec.name + "' (vocab.json lists " +
                                      std::to_string(headNames.size()) + " outputs).");
        head.push_back(static_cast<std::size_t>(it - headNames.begin()));
    }

    CpgptPredictions p;
    p.vocabSize = static_cast<int>(vocabSize);
    p.device = m.net.device.str();
    p.precision = m.precisionName;
    if (m.config.binarizeInput)
        p.notes.push_back(
            "the checkpoint trained with binarize_input, for which upstream draws Bernoulli(beta) "
            "inputs at prediction time; Benchtop feeds the betas themselves (deterministic)");
    if (m.locatedCount < vocabSize)
        p.notes.push_back(std::to_string(vocabSize - m.locatedCount) + " of " + std::to_string(vocabSize) +
                          " vocab CpGs have no DNA embedding and count as unmeasured");
    const std::size_t samples = matrix.cols();
    for (std::size_t s = 0; s < samples; ++s) p.samples.push_back(matrix.samples[s].name);
    for (std::size_t o = 0; o < specs.size(); ++o) {
        ClockResult r;
        r.clockId = specs[o].name;
        r.required = static_cast<int>(vocabSize);
        r.values.assign(samples, std::nan(""));
        r.present.assign(samples, 0);
        r.imputed.assign(samples, 0);
        r.reasons.assign(samples, "");
        r.method = "missing CpGs masked from attention (not imputed)";
        p.outputs.push_back(std::move(r));
    }

    std::vector<std::int64_t> rowOf(vocabSize);
    for (std::size_t i = 0; i < vocabSize; ++i) rowOf[i] = matrix.row(m.vocab.input[i]);
    AttentionStats stats;
    std::vector<double> betas(vocabSize);
    for (std::size_t s = 0; s < samples; ++s) {
        std::vector<std::size_t> measured;
        for (std::size_t i = 0; i < vocabSize; ++i) {
            const double b = rowOf[i] < 0 ? std::nan("") : matrix.at(static_cast<std::size_t>(rowOf[i]), s);
            betas[i] = b;
            if (!std::isnan(b) && m.located[i]) measured.push_back(i);
        }
        p.measured.push_back(static_cast<int>(measured.size()));
        // The deterministic stand-in for upstream's random subset: every (n / maxLength)-th measured CpG.
        if (options.maxLength > 0 && measured.size() > options.maxLength) {
            std::vector<bool> keep(vocabSize, false);
            for (std::size_t j = 0; j < options.maxLength; ++j)
                keep[measured[j * measured.size() / options.maxLength]] = true;
            for (std::size_t i = 0; i < vocabSize; ++i)
                if (!keep[i]) betas[i] = std::nan("");
        }
        const int used =
            static_cast<int>(std::min(measured.size(), options.maxLength > 0 ? options.maxLength : measured.size()));
        p.used.push_back(used);
        const double coverage = static_cast<double>(measured.size()) / static_cast<double>(vocabSize);
        std::string reason;
        if (measured.empty())
            reason = "none of the model's " + std::to_string(vocabSize) + " CpGs is measured";
        else if (coverage < options.minCoverage)
            reason = std::to_string(measured.size()) + " of " + std::to_string(vocabSize) + " CpGs measured (" +
                     std::to_string(static_cast<int>(std::floor(coverage * 100))) + " % < " +
                     std::to_string(static_cast<int>(std::round(options.minCoverage * 100))) + " %)";
        if (!reason.empty()) {
            for (ClockResult& r : p.outputs) {
                r.present[s] = static_cast<int>(measured.size());
                r.reasons[s] = reason;
            }
            p.embeddings.emplace_back();
            continue;
        }
        const torch::Tensor e = m.sampleEmbedding(betas, false, options.attentionBudgetBytes, &stats);
        p.embeddings.push_back(floats(e));
        std::vector<float> raw;
        if (m.conditionQueries.defined()) raw = floats(torch::matmul(m.conditionQueries, e));
        for (std::size_t o = 0; o < specs.size(); ++o) {
            p.outputs[o].values[s] = applyTransform(specs[o], raw.at(head[o]));
            p.outputs[o].present[s] = used;
        }
    }
    p.attentionBlocks = stats.blocks;
    p.peakScoreBytes = stats.peakScoreBytes;
    return p;
}

OutputTransform parseOutputTransform(const std::string& text) {
    const std::string t = toLowerAscii(text);
    if (t == "identity" || t.empty()) return OutputTransform::Identity;
    if (t == "sigmoid") return OutputTransform::Sigmoid;
    if (t == "affine") return OutputTransform::Affine;
    throw Error("unknown CpGPT output transform '" + text + "' (expected identity, sigmoid or affine).");
}

double applyTransform(const OutputSpec& spec, double raw) {
    switch (spec.transform) {
        case OutputTransform::Sigmoid:
            return 1.0 / (1.0 + std::exp(-raw));
        case OutputTransform::Affine:
            return raw * spec.scale + spec.offset;
        case OutputTransform::Identity:
            break;
    }
    return raw;
}

}  // namespace benchtop::methyl::cpgpt
