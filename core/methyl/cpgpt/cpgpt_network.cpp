#include "core/methyl/cpgpt/cpgpt_network_torch.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/common/error.h"

namespace benchtop::methyl::cpgpt {

namespace {

// Products run in the network's dtype; their results come back as float32 for the norms and the residual.
torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& w, const torch::Tensor& b = {}) {
    torch::Tensor y = torch::matmul(x.to(w.scalar_type()), w.t());
    if (b.defined()) y = y + b;
    return y.to(torch::kFloat32);
}

torch::Tensor rmsNorm(const torch::Tensor& x, const torch::Tensor& w) {
    return x * torch::rsqrt(x.pow(2).mean(-1, true) + kRmsEps) * w;
}

torch::Tensor swiglu(const torch::Tensor& h) {
    const auto halves = h.chunk(2, -1);
    return halves[0] * torch::silu(halves[1]);  // the first half is the value
}

// Pre-norm with the CLS row (row 0) and the CpG rows normalised by their own weights.
torch::Tensor splitNorm(const torch::Tensor& x, const torch::Tensor& wCls, const torch::Tensor& wSeq) {
    const std::int64_t rows = x.size(0);
    if (rows == 1) return rmsNorm(x, wCls);
    return torch::cat({rmsNorm(x.narrow(0, 0, 1), wCls), rmsNorm(x.narrow(0, 1, rows - 1), wSeq)}, 0);
}

torch::Tensor feedForward(const TransformerLayer& l, const torch::Tensor& x) {
    return linear(swiglu(linear(x, l.linear1, l.linear1Bias)), l.linear2, l.linear2Bias);
}

}  // namespace

torch::Tensor MlpBlock::forward(const torch::Tensor& input) const {
    torch::Tensor x = inputNorm.defined() ? rmsNorm(input, inputNorm) : input;
    x = linear(x, inW, inB);
    for (const Block& b : blocks) x = x + linear(swiglu(linear(rmsNorm(x, b.norm), b.w1, b.b1)), b.w2, b.b2);
    if (outputNorm.defined()) x = rmsNorm(x, outputNorm);
    return linear(x, outW, outB);
}

torch::Tensor blockedAttention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, double scale,
                               std::int64_t budgetBytes, const torch::Tensor& hiddenKeys, AttentionStats* stats) {
    const std::int64_t heads = q.size(0), lq = q.size(1), lk = k.size(1);
    // A block holds its float32 scores and probabilities: 2 x 4 bytes per (head, query, key).
    const std::int64_t perRow = std::max<std::int64_t>(1, heads * lk * 8);
    const std::int64_t rows = std::clamp<std::int64_t>(budgetBytes / perRow, 1, std::max<std::int64_t>(lq, 1));
    const torch::Tensor kt = k.transpose(1, 2);
    torch::Tensor bias;
    if (hiddenKeys.defined())
        bias = torch::zeros({lk}, q.options().dtype(torch::kFloat32))
                   .masked_fill(hiddenKeys.to(q.device()), -std::numeric_limits<float>::infinity());
    // One score buffer reused by every block: no allocator churn (page faults, heap fragmentation) per block.
    const torch::Tensor buffer = torch::empty({heads, rows, lk}, q.options());
    torch::Tensor out = torch::empty({heads, lq, v.size(2)}, v.options());
    for (std::int64_t start = 0; start < lq; start += rows) {
        const std::int64_t n = std::min(rows, lq - start);
        torch::Tensor scores = buffer.narrow(1, 0, n);
        torch::matmul_out(scores, q.narrow(1, start, n) * scale, kt);
        if (scores.scalar_type() != torch::kFloat32) scores = scores.to(torch::kFloat32);
        if (bias.defined()) scores.add_(bias);
        // Softmax in place (float32): exp(s - max) / sum.
        scores.sub_(std::get<0>(scores.max(-1, true))).exp_();
        scores.div_(scores.sum(-1, true));
        out.narrow(1, start, n).copy_(torch::matmul(scores.to(v.scalar_type()), v));
        if (stats) {
            ++stats->blocks;
            stats->peakScoreBytes = std::max(stats->peakScoreBytes, heads * n * lk * 8);
        }
    }
    return out;
}

torch::Tensor CpgptNetwork::sequenceEmbeddings(const torch::Tensor& dna) const {
    return dnaEncoder.forward(dna.to(device, torch::kFloat32));
}

torch::Tensor CpgptNetwork::positionEncoding(const torch::Tensor& positions) const {
    // Upstream's AbsolutePositionalEncoding: z = [t, t, cos(f w), sin(f w)] in float32.
    const double maxPosition = 300000000.0;
    const torch::Tensor p = positions.to(device, torch::kFloat32);
    const torch::Tensor t = p / maxPosition;
    const torch::Tensor w = (p * (2.0 * M_PI)) / maxPosition;
    const std::int64_t bands = (config.dEmbedding - 1) / 2;
    const torch::Tensor f = torch::linspace(1e-4, static_cast<double>(bands - 1), bands,
                                            torch::TensorOptions().dtype(torch::kFloat32).device(device));
    const torch::Tensor angle = f.unsqueeze(0) * w.unsqueeze(-1);
    return torch::cat({t.unsqueeze(-1), t.unsqueeze(-1), torch::cos(angle), torch::sin(angle)}, -1);
}

torch::Tensor CpgptNetwork::locusEmbeddings(const torch::Tensor& sequence, const torch::Tensor& positions) const {
    const std::int64_t v = sequence.size(0), heads = config.heads, hd = config.dEmbedding / config.heads;
    const torch::Tensor x = (sequence + positionEncoding(positions)).view({v, heads, hd / 2, 2});
    // Upstream views [B, L, H, hd] as [B, H, L, hd] before its rotary, which then reads the head axis as the
    // position: pair i of head h turns by h * theta_i, the same for every CpG.
    const auto opts = torch::TensorOptions().dtype(torch::kFloat32).device(device);
    const torch::Tensor theta =
        torch::reciprocal(torch::pow(10000.0, torch::arange(0, hd, 2, opts).narrow(0, 0, hd / 2) / hd));
    const torch::Tensor angle = torch::arange(heads, opts).unsqueeze(1) * theta.unsqueeze(0);  // [H, hd/2]
    const torch::Tensor c = torch::cos(angle), s = torch::sin(angle);
    const torch::Tensor x0 = x.select(-1, 0), x1 = x.select(-1, 1);
    return torch::stack({x0 * c - x1 * s, x1 * c + x0 * s}, -1).reshape({v, config.dEmbedding});
}

torch::Tensor CpgptNetwork::methEmbeddings(const torch::Tensor& betas) const {
    return methEncoder.forward(betas.to(device, torch::kFloat32).unsqueeze(-1));
}

torch::Tensor CpgptNetwork::transformerInput(const torch::Tensor& locus, const torch::Tensor& betas,
                                             const torch::Tensor& hidden) const {
    torch::Tensor e = (locus + methEmbeddings(betas)) / std::sqrt(2.0);
    if (hidden.defined()) e = e.masked_fill(hidden.to(device).unsqueeze(-1), 0.0);
    return torch::cat({cls.unsqueeze(0), e}, 0);
}

torch::Tensor CpgptNetwork::encodeSample(const torch::Tensor& input, std::int64_t budgetBytes,
                                         const torch::Tensor& hidden, const LayerHook& hook,
                                         AttentionStats* stats) const {
    const std::int64_t d = config.dEmbedding, heads = config.heads, hd = d / heads;
    const double scale = 1.0 / std::sqrt(static_cast<double>(hd));
    torch::Tensor hiddenKeys;
    if (hidden.defined())
        hiddenKeys = torch::cat({torch::zeros({1}, hidden.options().dtype(torch::kBool)), hidden.to(torch::kBool)});
    torch::Tensor x = input;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const TransformerLayer& l = layers[i];
        // Only the CLS row of the last layer's output is read, so its other queries are skipped.
        const bool clsOnly = i + 1 == layers.size() && !hidden.defined() && !hook;
        const torch::Tensor h = splitNorm(x, l.norm1Cls, l.norm1Seq);
        const torch::Tensor kv = linear(h, l.inProj.narrow(0, d, 2 * d),
                                        l.inProjBias.defined() ? l.inProjBias.narrow(0, d, 2 * d) : torch::Tensor());
        const torch::Tensor qIn = clsOnly ? h.narrow(0, 0, 1) : h;
        const torch::Tensor q = linear(qIn, l.inProj.narrow(0, 0, d),
                                       l.inProjBias.defined() ? l.inProjBias.narrow(0, 0, d) : torch::Tensor());
        const auto headMajor = [&](const torch::Tensor& t) {
            return t.view({t.size(0), heads, hd}).transpose(0, 1).to(dtype).contiguous();
        };
        const torch::Tensor ctx = blockedAttention(headMajor(q), headMajor(kv.narrow(1, 0, d)),
                                                   headMajor(kv.narrow(1, d, d)), scale, budgetBytes, hiddenKeys, stats)
                                      .transpose(0, 1)
                                      .reshape({qIn.size(0), d});
        const torch::Tensor attended = linear(ctx, l.outProj, l.outProjBias);
        if (clsOnly) {
            torch::Tensor c = x.narrow(0, 0, 1) + attended;
            c = c + feedForward(l, rmsNorm(c, l.norm2Cls));
            return c.squeeze(0);
        }
        x = x + attended;
        x = x + feedForward(l, splitNorm(x, l.norm2Cls, l.norm2Seq));
        if (hook) hook(static_cast<int>(i), x);
    }
    return x.select(0, 0);
}

torch::Tensor CpgptNetwork::conditionQueries() const {
    return conditionDecoder.forward(conditionTokens);
}

}  // namespace benchtop::methyl::cpgpt
