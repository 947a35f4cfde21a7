#include "core/nn/transformer_ops_torch.h"

#include "core/common/error.h"
#include "core/nn/cpu_kernels.h"

#include <algorithm>
#include <atomic>
#include <limits>

namespace benchtop::nn {
namespace {

/// Score elements per attention task: 512k bf16 scores (1 MiB) plus the float row buffer stay in L2.
constexpr std::int64_t kScoreBlock = 512 * 1024;

bool fastCpu(const torch::Tensor& t) {
    return t.device().is_cpu() && (t.scalar_type() == torch::kFloat32 || t.scalar_type() == torch::kBFloat16);
}

/// Softmax over the last dimension of a contiguous [slabs, rows, cols] block with the fused CPU kernel.
void softmaxInto(const torch::Tensor& scores, torch::Tensor& probs, std::int64_t slabs, std::int64_t rows,
                 std::int64_t cols, float scale, std::int64_t causalOffset) {
    for (std::int64_t s = 0; s < slabs; ++s) {
        const std::int64_t at = s * rows * cols;
        if (scores.scalar_type() == torch::kFloat32)
            softmaxRows(scores.data_ptr<float>() + at, cols, probs.data_ptr<float>() + at, cols, rows, cols, scale,
                        causalOffset);
        else
            softmaxRows(reinterpret_cast<const std::uint16_t*>(scores.data_ptr<at::BFloat16>()) + at, cols,
                        reinterpret_cast<std::uint16_t*>(probs.data_ptr<at::BFloat16>()) + at, cols, rows, cols, scale,
                        causalOffset);
    }
}

/// The plain formulation (GPU, fp16, ragged masks): float32 softmax over masked scores.
torch::Tensor softmaxReference(const torch::Tensor& scores, double scale, std::int64_t causalOffset,
                               const torch::Tensor& blocked, torch::ScalarType dtype) {
    torch::Tensor s = scores.to(torch::kFloat32).mul(scale);
    const std::int64_t nq = s.size(-2), nk = s.size(-1);
    if (causalOffset >= 0) {
        const auto opts = torch::TensorOptions().dtype(torch::kLong).device(s.device());
        const torch::Tensor rows = torch::arange(nq, opts).unsqueeze(1) + causalOffset;
        const torch::Tensor cols = torch::arange(nk, opts).unsqueeze(0);
        s = s.masked_fill(cols > rows, -std::numeric_limits<float>::infinity());
    }
    if (blocked.defined()) s = s.masked_fill(blocked, -std::numeric_limits<float>::infinity());
    return torch::softmax(s, -1).to(dtype);
}

}  // namespace

void parallelTasks(std::int64_t count, const std::function<void(std::int64_t)>& fn) {
    if (count <= 0) return;
    const std::int64_t threads = std::min<std::int64_t>(at::get_num_threads(), count);
    if (threads <= 1 || at::in_parallel_region()) {
        for (std::int64_t i = 0; i < count; ++i) fn(i);
        return;
    }
    std::atomic<std::int64_t> next{0};
    at::parallel_for(0, threads, 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t t = begin; t < end; ++t)
            for (std::int64_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) fn(i);
    });
}

torch::Tensor packedSelfAttention(const torch::Tensor& qkv, const std::vector<std::int64_t>& offsets, int heads,
                                  double scale) {
    if (qkv.dim() != 2 || qkv.size(1) % 3 != 0 || (qkv.size(1) / 3) % heads != 0)
        throw Error("attention", "The packed q|k|v tensor must be [tokens, 3 x heads x head size].");
    const std::int64_t d = qkv.size(1) / 3, dh = d / heads;
    const auto sequences = static_cast<std::int64_t>(offsets.size()) - 1;
    torch::Tensor context = torch::empty({qkv.size(0), d}, qkv.options());

    if (!fastCpu(qkv)) {
        // One batched product per sequence: few, large kernels suit a GPU.
        for (std::int64_t s = 0; s < sequences; ++s) {
            const std::int64_t start = offsets[s], length = offsets[s + 1] - start;
            if (length == 0) continue;
            const torch::Tensor rows = qkv.narrow(0, start, length).view({length, 3, heads, dh});
            const torch::Tensor q = rows.select(1, 0).transpose(0, 1);
            const torch::Tensor k = rows.select(1, 1).permute({1, 2, 0});
            const torch::Tensor v = rows.select(1, 2).transpose(0, 1);
            const torch::Tensor p = softmaxReference(torch::matmul(q, k), scale, -1, {}, qkv.scalar_type());
            context.narrow(0, start, length).view({length, heads, dh}).copy_(torch::matmul(p, v).transpose(0, 1));
        }
        return context;
    }

    // Tasks: (sequence, first head, heads, first query row, rows). Short sequences take all heads at once;
    // long ones go head by head in blocks of query rows so that the score block stays in cache.
    struct Task {
        std::int64_t sequence, head, headCount, row, rowCount;
    };
    std::vector<Task> tasks;
    for (std::int64_t s = 0; s < sequences; ++s) {
        const std::int64_t length = offsets[s + 1] - offsets[s];
        if (length == 0) continue;
        if (heads * length * length <= kScoreBlock) {
            tasks.push_back({s, 0, heads, 0, length});
            continue;
        }
        const std::int64_t block = std::clamp<std::int64_t>(kScoreBlock / length / 32 * 32, 32, length);
        for (std::int64_t h = 0; h < heads; ++h)
            for (std::int64_t r = 0; r < length; r += block) tasks.push_back({s, h, 1, r, std::min(block, length - r)});
    }
    const float fscale = static_cast<float>(scale);
    parallelTasks(static_cast<std::int64_t>(tasks.size()), [&](std::int64_t i) {
        const Task& t = tasks[static_cast<std::size_t>(i)];
        const std::int64_t start = offsets[t.sequence], length = offsets[t.sequence + 1] - start;
        const std::int64_t width = t.headCount * dh, column = t.head * dh;
        const torch::Tensor rows = qkv.narrow(0, start, length);
        const torch::Tensor q = rows.narrow(0, t.row, t.rowCount)
                                    .narrow(1, column, width)
                                    .view({t.rowCount, t.headCount, dh})
                                    .transpose(0, 1);
        const torch::Tensor k = rows.narrow(1, d + column, width).view({length, t.headCount, dh}).permute({1, 2, 0});
        const torch::Tensor v = rows.narrow(1, 2 * d + column, width).view({length, t.headCount, dh}).transpose(0, 1);
        const torch::Tensor scores = torch::bmm(q, k).contiguous();  // [heads, rows, length]
        torch::Tensor probs = torch::empty_like(scores);
        softmaxInto(scores, probs, 1, t.headCount * t.rowCount, length, fscale, -1);
        context.narrow(0, start + t.row, t.rowCount)
            .narrow(1, column, width)
            .view({t.rowCount, t.headCount, dh})
            .copy_(torch::bmm(probs, v).transpose(0, 1));
    });
    return context;
}

torch::Tensor linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
    const std::int64_t k = x.size(-1);
    const std::int64_t rows = k > 0 ? x.numel() / k : 0;
    const auto wType = weight.scalar_type(), xType = x.scalar_type();
    const bool kernel = x.device().is_cpu() && weight.device().is_cpu() && weight.dim() == 2 && weight.size(1) == k &&
                        weight.is_contiguous() && rows > 0 && rows <= kSkinnyRowLimit && k >= 16 &&
                        (wType == torch::kBFloat16 || wType == torch::kFloat32) && xType == wType &&
                        (!bias.defined() || (bias.device().is_cpu() && bias.numel() == weight.size(0))) &&
                        !x.requires_grad() && !weight.requires_grad();
    if (!kernel) return torch::linear(x, weight, bias.defined() ? bias : torch::Tensor());
    const std::int64_t n = weight.size(0);
    const torch::Tensor xRows = x.reshape({rows, k}).contiguous();
    const torch::Tensor xf = xRows.to(torch::kFloat32).contiguous();
    const torch::Tensor b = bias.defined() ? bias.to(torch::kFloat32).contiguous() : torch::Tensor();
    std::vector<std::int64_t> shape(x.sizes().begin(), x.sizes().end());
    shape.back() = n;
    torch::Tensor out = torch::empty(shape, x.options());
    SkinnyLinear a;
    a.x = xf.data_ptr<float>();
    a.ldx = k;
    a.rows = rows;
    a.k = k;
    if (wType == torch::kBFloat16) {
        a.wBf16 = reinterpret_cast<const std::uint16_t*>(weight.data_ptr<at::BFloat16>());
        a.xBf16 = reinterpret_cast<const std::uint16_t*>(xRows.data_ptr<at::BFloat16>());
        a.outBf16 = reinterpret_cast<std::uint16_t*>(out.data_ptr<at::BFloat16>());
    } else {
        a.wF32 = weight.data_ptr<float>();
        a.out = out.data_ptr<float>();
    }
    a.bias = b.defined() ? b.data_ptr<float>() : nullptr;
    a.ldOut = n;
    // Chunks of whole 4-row weight blocks; at least ~64 KB of weights per chunk.
    const std::int64_t grain =
        std::max<std::int64_t>(16, (std::int64_t(1) << 16) / (k * weight.element_size()) / 4 * 4);
    at::parallel_for(0, (n + 3) / 4, std::max<std::int64_t>(1, grain / 4),
                     [&](std::int64_t begin, std::int64_t end) { skinnyLinear(a, begin * 4, std::min(n, end * 4)); });
    return out;
}

torch::Tensor attention(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v, int heads, double scale,
                        std::int64_t causalOffset, const torch::Tensor& blocked) {
    const std::int64_t batch = k.size(0), nk = k.size(1), dh = q.size(2) / heads;
    return attentionHeadMajor(q, k.reshape({batch, nk, heads, dh}).transpose(1, 2),
                              v.reshape({batch, nk, heads, dh}).transpose(1, 2), scale, causalOffset, blocked);
}

torch::Tensor attentionHeadMajor(const torch::Tensor& q, const torch::Tensor& keys, const torch::Tensor& values,
                                 double scale, std::int64_t causalOffset, const torch::Tensor& blocked) {
    const std::int64_t batch = q.size(0), nq = q.size(1), heads = keys.size(1), dh = keys.size(3), nk = keys.size(2);
    // A decoder step (a few queries): one pass over the cache per head, no score tensor, float32 softmax.
    const auto dtype = q.scalar_type();
    if (fastCpu(q) && nq <= kFewQueries && !blocked.defined() && keys.scalar_type() == dtype &&
        values.scalar_type() == dtype && keys.device().is_cpu() && values.device().is_cpu() && keys.stride(3) == 1 &&
        values.stride(3) == 1 && nk > 0) {
        const std::int64_t d = heads * dh;
        const torch::Tensor qf = q.reshape({batch, nq, d}).to(torch::kFloat32).contiguous();
        torch::Tensor out = torch::empty({batch, nq, d}, q.options());
        at::parallel_for(0, batch * heads, 1, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t task = begin; task < end; ++task) {
                const std::int64_t b = task / heads, h = task % heads;
                FewQueryAttention a;
                a.q = qf.data_ptr<float>() + b * nq * d;
                a.nq = nq;
                a.heads = heads;
                a.dh = dh;
                a.nk = nk;
                a.kHeadStride = keys.stride(1);
                a.kRowStride = keys.stride(2);
                a.vHeadStride = values.stride(1);
                a.vRowStride = values.stride(2);
                if (dtype == torch::kBFloat16) {
                    a.kBf16 =
                        reinterpret_cast<const std::uint16_t*>(keys.data_ptr<at::BFloat16>()) + b * keys.stride(0);
                    a.vBf16 =
                        reinterpret_cast<const std::uint16_t*>(values.data_ptr<at::BFloat16>()) + b * values.stride(0);
                    a.outBf16 = reinterpret_cast<std::uint16_t*>(out.data_ptr<at::BFloat16>()) + b * nq * d;
                } else {
                    a.kF32 = keys.data_ptr<float>() + b * keys.stride(0);
                    a.vF32 = values.data_ptr<float>() + b * values.stride(0);
                    a.out = out.data_ptr<float>() + b * nq * d;
                }
                a.scale = static_cast<float>(scale);
                a.causalOffset = causalOffset;
                fewQueryAttention(a, h, h + 1);
            }
        });
        return out;
    }
    const torch::Tensor qh = q.reshape({batch, nq, heads, dh}).transpose(1, 2);         // [B, H, nq, dh]
    const torch::Tensor scores = torch::matmul(qh, keys.transpose(2, 3)).contiguous();  // [B, H, nq, nk]
    torch::Tensor probs;
    if (fastCpu(scores) && !blocked.defined()) {
        probs = torch::empty_like(scores);
        softmaxInto(scores, probs, batch * heads, nq, nk, static_cast<float>(scale), causalOffset);
    } else {
        probs = softmaxReference(scores, scale, causalOffset, blocked, q.scalar_type());
    }
    return torch::matmul(probs, values).transpose(1, 2).reshape({batch, nq, heads * dh});
}

torch::Tensor residualLayerNorm(torch::Tensor& x, const torch::Tensor& y, const torch::Tensor& gamma,
                                const torch::Tensor& beta, double eps, torch::ScalarType outDtype, bool inPlace) {
    const std::int64_t d = x.size(-1), rows = x.numel() / std::max<std::int64_t>(d, 1);
    const bool kernel = x.device().is_cpu() && x.scalar_type() == torch::kFloat32 && x.is_contiguous() &&
                        (!y.defined() || (fastCpu(y) && y.is_contiguous() && y.numel() == x.numel())) &&
                        gamma.scalar_type() == torch::kFloat32 && beta.scalar_type() == torch::kFloat32 &&
                        (outDtype == torch::kFloat32 || outDtype == torch::kBFloat16);
    if (!kernel) {
        if (y.defined()) x.add_(y.to(x.scalar_type()));
        torch::Tensor normed = torch::layer_norm(x, {d}, gamma.to(x.scalar_type()), beta.to(x.scalar_type()), eps);
        if (inPlace) x.copy_(normed);
        return normed.to(outDtype);
    }
    torch::Tensor out;
    if (!(inPlace && outDtype == torch::kFloat32)) out = torch::empty(x.sizes(), x.options().dtype(outDtype));
    const float* g = gamma.contiguous().data_ptr<float>();
    const float* b = beta.contiguous().data_ptr<float>();
    at::parallel_for(0, rows, 8, [&](std::int64_t begin, std::int64_t end) {
        ResidualNorm a;
        a.x = x.data_ptr<float>() + begin * d;
        if (y.defined()) {
            if (y.scalar_type() == torch::kFloat32)
                a.y = y.data_ptr<float>() + begin * d;
            else
                a.yBf16 = reinterpret_cast<const std::uint16_t*>(y.data_ptr<at::BFloat16>()) + begin * d;
        }
        a.gamma = g;
        a.beta = b;
        a.eps = static_cast<float>(eps);
        a.inPlace = inPlace;
        if (out.defined()) {
            if (outDtype == torch::kFloat32)
                a.normed = out.data_ptr<float>() + begin * d;
            else
                a.normedBf16 = reinterpret_cast<std::uint16_t*>(out.data_ptr<at::BFloat16>()) + begin * d;
        }
        nn::residualLayerNorm(a, end - begin, d);
    });
    return out.defined() ? out : x;
}

torch::Tensor packRows(const torch::Tensor& padded, const torch::Tensor& mask, std::vector<std::int64_t>& offsets,
                       torch::Tensor* indexOut) {
    const torch::Tensor flatMask = mask.reshape({-1}).ne(0);
    const torch::Tensor index = flatMask.nonzero().squeeze(1).to(padded.device());
    const torch::Tensor counts = mask.ne(0).sum(1).to(torch::kCPU, torch::kLong).contiguous();
    offsets.assign(1, 0);
    for (std::int64_t b = 0; b < counts.size(0); ++b)
        offsets.push_back(offsets.back() + counts.data_ptr<std::int64_t>()[b]);
    if (indexOut) *indexOut = index;
    return padded.flatten(0, 1).index_select(0, index);
}

torch::Tensor unpackRows(const torch::Tensor& packed, const torch::Tensor& index, std::int64_t batch,
                         std::int64_t length) {
    std::vector<std::int64_t> shape{batch * length};
    for (std::int64_t i = 1; i < packed.dim(); ++i) shape.push_back(packed.size(i));
    torch::Tensor out = torch::zeros(shape, packed.options());
    out.index_copy_(0, index, packed);
    shape.erase(shape.begin());
    shape.insert(shape.begin(), {batch, length});
    return out.view(shape);
}

}  // namespace benchtop::nn
