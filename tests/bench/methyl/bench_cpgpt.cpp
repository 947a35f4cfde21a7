// Benchmark (not a ctest test): one synthetic sample of N CpGs (default 20,000, what the cancer model reads)
// through a random-weight CpGPT with the released "small" architecture (d 128, 8 heads, 8 layers, 3 MLP
// blocks), with attention computed in blocks under a memory budget. Prints load and predict wall time, the
// largest score block held, the peak resident memory, and what full [heads, L, L] scores would have needed.
//   bench_cpgpt [--cpgs N] [--budget-mib M] [--device cpu|cuda:0] [--precision fp32|bf16|fp16] [--threads T]
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/device/matmul_rate.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/cpgpt/cpgpt_model.h"
#include "core/methyl/cpgpt/locus_embeddings.h"
#include "core/tensor/safetensors_writer.h"

namespace {

using namespace benchtop;
namespace fs = std::filesystem;

double peakRssMiB() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

constexpr int kD = 128, kHidden = 128, kDna = 1024, kHeads = 8, kLayers = 8, kBlocks = 3;

// The state-dict names and shapes of upstream's CpGPT for the small architecture with one condition token.
std::vector<std::pair<std::string, std::vector<std::int64_t>>> stateDictLayout() {
    std::vector<std::pair<std::string, std::vector<std::int64_t>>> out;
    const auto mlp = [&](const std::string& name, int dIn, int blocks, bool outBias) {
        out.push_back({name + ".input_adapter.weight", {kHidden, dIn}});
        out.push_back({name + ".input_adapter.bias", {kHidden}});
        for (int b = 0; b < blocks; ++b) {
            const std::string p = name + ".blocks." + std::to_string(b);
            out.push_back({p + ".0.weight", {kHidden}});
            out.push_back({p + ".1.weight", {4 * kHidden, kHidden}});
            out.push_back({p + ".4.weight", {kHidden, 2 * kHidden}});
        }
        out.push_back({name + ".output_adapter.weight", {kD, kHidden}});
        if (outBias) out.push_back({name + ".output_adapter.bias", {kD}});
    };
    mlp("net.dna_encoder", kDna, kBlocks, false);
    mlp("net.meth_encoder", 1, 1, false);
    mlp("net.meth_decoder", kD, kBlocks, false);
    mlp("net.meth_unc_decoder", kD, kBlocks, false);
    mlp("net.condition_decoder", kD, kBlocks, true);
    out.push_back({"net.cls_token", {1, 1, kD}});
    out.push_back({"net.condition_tokens.0", {1, kD}});
    for (int l = 0; l < kLayers; ++l) {
        const std::string p = "net.transformer_encoder.layers." + std::to_string(l) + ".";
        for (const char* n : {"norm1_cls", "norm1_seq", "norm2_cls", "norm2_seq"})
            out.push_back({p + n + ".weight", {kD}});
        out.push_back({p + "self_attn.in_proj_weight", {3 * kD, kD}});
        out.push_back({p + "self_attn.out_proj.weight", {kD, kD}});
        out.push_back({p + "linear1.weight", {4 * kHidden, kD}});
        out.push_back({p + "linear2.weight", {kD, 2 * kHidden}});
    }
    return out;
}

std::string writeModel(const fs::path& dir, int cpgs) {
    fs::create_directories(dir);
    std::ofstream(dir / "config.yaml") << "model:\n  training:\n    binarize_input: false\n  net:\n"
                                       << "    d_embedding: " << kD << "\n    d_hidden: " << kHidden
                                       << "\n    d_dna_embedding: " << kDna << "\n    n_attention_heads: " << kHeads
                                       << "\n    n_layers: " << kLayers << "\n    n_mlp_blocks: " << kBlocks
                                       << "\n    architecture: transformer\n    activation: swiglu\n"
                                          "    positional_encoding: rotary\n    sample_embedding_method: cls\n"
                                          "    use_power_norm: false\n    fft: false\n    use_condition_decoder: true\n"
                                          "    condition_size: 1\n    mlp_block_bias: false\n"
                                          "    mlp_block_norm_type: rmsnorm\n    mlp_block_pre_norm: false\n"
                                          "    mlp_block_post_norm: false\n    transformer_block_bias: false\n"
                                          "    transformer_block_norm_type: rmsnorm\n"
                                          "    transformer_block_norm_first: true\n";
    std::mt19937 rng(1);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    methyl::cpgpt::LocusTable locus;
    std::ofstream vocab(dir / "vocab.json");
    vocab << "{\"input\": [";
    for (int i = 0; i < cpgs; ++i) {
        locus.cpgs.push_back("cg" + std::to_string(10000000 + i));
        vocab << (i ? ", " : "") << '"' << locus.cpgs.back() << '"';
        locus.positions.push_back(1000 + 7919LL * i);
    }
    vocab << "], \"output\": [\"synthetic\"]}\n";
    vocab.close();
    locus.dim = kDna;
    locus.embeddings.resize(static_cast<std::size_t>(cpgs) * kDna);
    for (float& v : locus.embeddings) v = normal(rng);
    methyl::cpgpt::writeLocusTable((dir / "locus_embeddings.safetensors").string(), locus);

    std::vector<std::vector<float>> storage;
    std::vector<tensor::TensorToWrite> tensors;
    for (const auto& [name, shape] : stateDictLayout()) {
        std::size_t n = 1;
        for (std::int64_t s : shape) n *= static_cast<std::size_t>(s);
        const float scale = shape.size() == 2 ? 1.0f / std::sqrt(static_cast<float>(shape[1])) : 0.1f;
        std::vector<float> v(n);
        for (float& x : v) x = name.find("norm") != std::string::npos ? 1.0f : normal(rng) * scale;
        storage.push_back(std::move(v));
        tensors.push_back({name,
                           tensor::DType::F32,
                           shape,
                           {reinterpret_cast<const std::uint8_t*>(storage.back().data()), n * sizeof(float)}});
    }
    tensor::writeSafetensors((dir / "model.safetensors").string(), tensors);
    return dir.string();
}

}  // namespace

int main(int argc, char** argv) {
    int cpgs = 20000, threads = 0;
    double budgetMiB = 256;
    std::string device = "cpu", precision = "fp32";
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--cpgs")
            cpgs = std::atoi(argv[i + 1]);
        else if (a == "--budget-mib")
            budgetMiB = std::atof(argv[i + 1]);
        else if (a == "--device")
            device = argv[i + 1];
        else if (a == "--precision")
            precision = argv[i + 1];
        else if (a == "--threads")
            threads = std::atoi(argv[i + 1]);
    }
    if (threads > 0) torch::set_num_threads(threads);
    const fs::path dir = fs::temp_directory_path() / ("bench_cpgpt_" + std::to_string(cpgs));
    const auto t0 = std::chrono::steady_clock::now();
    const std::string folder = writeModel(dir, cpgs);
    std::printf("synthetic model (small: d %d, %d heads, %d layers) + %d CpGs written in %.2f s\n", kD, kHeads, kLayers,
                cpgs, seconds(t0));

    methyl::cpgpt::LoadOptions load;
    load.device = device;
    load.precision = device::parsePrecision(precision);
    const auto t1 = std::chrono::steady_clock::now();
    const auto model = methyl::cpgpt::CpgptModel::load(folder, load);
    std::printf("load (weights, locus table, per-CpG embeddings): %.2f s\n", seconds(t1));

    methyl::BetaMatrix matrix;
    matrix.cpgs = model.vocab().input;
    matrix.samples.push_back({"synthetic", "", std::nullopt, methyl::Sex::Unknown});
    std::mt19937 rng(2);
    std::uniform_real_distribution<double> beta(0.0, 1.0);
    for (std::size_t i = 0; i < matrix.cpgs.size(); ++i) {
        matrix.index.add(matrix.cpgs[i]);
        matrix.values.push_back(beta(rng));
    }
    methyl::cpgpt::RunOptions run;
    run.attentionBudgetBytes = static_cast<std::int64_t>(budgetMiB * 1024 * 1024);
    const double rssBefore = peakRssMiB();
    const auto t2 = std::chrono::steady_clock::now();
    const auto p = model.predict(matrix, run);
    const double predictSeconds = seconds(t2);
    const double fullGiB = static_cast<double>(kHeads) * (cpgs + 1.0) * (cpgs + 1.0) * 4.0 / (1u << 30);
    std::printf("predict: %d CpGs, %s %s, %.2f s; value %.6g\n", p.used[0], p.device.c_str(), p.precision.c_str(),
                predictSeconds, p.outputs[0].values[0]);
    std::printf(
        "attention: %lld blocks, largest score block %.1f MiB (budget %.0f MiB); full fp32 scores would "
        "be %.1f GiB per layer\n",
        static_cast<long long>(p.attentionBlocks), p.peakScoreBytes / 1048576.0, budgetMiB, fullGiB);
    std::printf("peak RSS: %.0f MiB (%.0f MiB before predict)\n", peakRssMiB(), rssBefore);
    // The yardstick: the attention products (Q K^T and P V, 2 L^2 d multiply-adds each, in every layer but the
    // last, which computes the CLS row only) against this machine's measured matrix-multiply rate. Projections and
    // MLPs add under 2 % at 20,000 CpGs; softmax and masking are not counted.
    const double L = cpgs + 1.0;
    const double attentionGflop = ((kLayers - 1) * 4.0 * L * L * kD + 4.0 * L * kD) / 1e9;
    const auto gemm = device::measureMatmulRate(device, load.precision);
    const double rate = attentionGflop / predictSeconds;
    std::printf(
        "attention products %.0f GFLOP: %.1f GFLOP/s = %.1f %% of the measured %s GEMM rate (%.0f GFLOP/s, "
        "n = %d)\n",
        attentionGflop, rate, 100.0 * rate / gemm.gflops, device::toString(load.precision).c_str(), gemm.gflops,
        gemm.size);
    std::printf(
        "peer: upstream CpGPT (Python, Lightning) cannot be installed on this offline machine; run it on the "
        "same sample for a ratio\n");
    if (device.rfind("cuda", 0) == 0 && torch::cuda::is_available())
        std::printf("(GPU memory is not in the RSS; see nvidia-smi for the device peak)\n");
    fs::remove_all(dir);
    return 0;
}
