// CpgptNetwork::fromWeights: the state dict's names and shapes (upstream's module tree) onto the network.
#include "core/methyl/cpgpt/cpgpt_network_torch.h"

#include "core/common/error.h"
#include "core/tensor/safetensors_torch.h"

namespace benchtop::methyl::cpgpt {

namespace {

class Reader {
public:
    Reader(const std::function<torch::Tensor(const std::string&)>& find,
           const std::function<bool(const std::string&)>& has, std::string origin, torch::Device device,
           torch::ScalarType dtype)
        : m_find(find), m_has(has), m_origin(std::move(origin)), m_device(device), m_dtype(dtype) {
        m_prefix = m_has("net.cls_token") ? "net." : "";
        if (!m_has(m_prefix + "cls_token"))
            throw Error(m_origin, "has no tensor 'net.cls_token'; is this a CpGPT checkpoint?");
    }

    /// A weight of a matrix product, in the compute dtype.
    torch::Tensor matrix(const std::string& name, std::vector<std::int64_t> shape) const {
        return get(name, shape).to(m_device, m_dtype);
    }
    /// A norm weight, bias or token: float32.
    torch::Tensor vector(const std::string& name, std::vector<std::int64_t> shape) const {
        return get(name, shape).to(m_device, torch::kFloat32);
    }
    torch::Tensor optionalVector(const std::string& name, bool present, std::vector<std::int64_t> shape) const {
        if (!present) {
            if (m_has(m_prefix + name))
                throw Error(m_origin, "has tensor '" + m_prefix + name + "', which the config says the model lacks.");
            return {};
        }
        return vector(name, std::move(shape));
    }

    MlpBlock mlp(const std::string& name, std::int64_t dIn, std::int64_t dHidden, std::int64_t dOut, int blocks,
                 bool outBias, const CpgptConfig& c) const {
        MlpBlock m;
        if (c.mlpPreNorm) m.inputNorm = vector(name + ".input_norm.weight", {dIn});
        m.inW = matrix(name + ".input_adapter.weight", {dHidden, dIn});
        m.inB = vector(name + ".input_adapter.bias", {dHidden});  // upstream's input adapter always has a bias
        for (int b = 0; b < blocks; ++b) {
            const std::string p = name + ".blocks." + std::to_string(b);
            MlpBlock::Block blk;
            blk.norm = vector(p + ".0.weight", {dHidden});
            blk.w1 = matrix(p + ".1.weight", {4 * dHidden, dHidden});
            blk.b1 = optionalVector(p + ".1.bias", c.mlpBlockBias, {4 * dHidden});
            blk.w2 = matrix(p + ".4.weight", {dHidden, 2 * dHidden});
            blk.b2 = optionalVector(p + ".4.bias", c.mlpBlockBias, {dHidden});
            m.blocks.push_back(std::move(blk));
        }
        if (m_has(m_prefix + name + ".blocks." + std::to_string(blocks) + ".0.weight"))
            throw Error(m_origin, "has more than the config's " + std::to_string(blocks) + " blocks in '" + m_prefix +
                                      name + "'.");
        if (c.mlpPostNorm) m.outputNorm = vector(name + ".output_norm.weight", {dHidden});
        m.outW = matrix(name + ".output_adapter.weight", {dOut, dHidden});
        m.outB = optionalVector(name + ".output_adapter.bias", outBias, {dOut});
        return m;
    }

private:
    torch::Tensor get(const std::string& name, const std::vector<std::int64_t>& shape) const {
        const std::string full = m_prefix + name;
        if (!m_has(full))
            throw Error(m_origin, "tensor '" + full + "' is missing (does config.yaml belong to these weights?).");
        torch::Tensor t = m_find(full);
        if (!t.is_floating_point()) throw Error(m_origin, "tensor '" + full + "' is not floating point.");
        tensor::checkShape(m_origin, full, t, shape);
        return t;
    }

    const std::function<torch::Tensor(const std::string&)>& m_find;
    const std::function<bool(const std::string&)>& m_has;
    std::string m_origin;
    torch::Device m_device;
    torch::ScalarType m_dtype;
    std::string m_prefix;
};

}  // namespace

CpgptNetwork CpgptNetwork::fromWeights(const std::function<torch::Tensor(const std::string&)>& find,
                                       const std::function<bool(const std::string&)>& has, const CpgptConfig& c,
                                       const std::string& origin, torch::Device device, torch::ScalarType dtype) {
    const Reader r(find, has, origin, device, dtype);
    CpgptNetwork n;
    n.config = c;
    n.device = device;
    n.dtype = dtype;
    const std::int64_t d = c.dEmbedding, h = c.dHidden;
    n.dnaEncoder = r.mlp("dna_encoder", c.dDnaEmbedding, h, d, c.mlpBlocks, false, c);
    n.methEncoder = r.mlp("meth_encoder", 1, h, d, 1, false, c);
    n.methDecoder = r.mlp("meth_decoder", d, h, d, c.mlpBlocks, false, c);
    n.methUncDecoder = r.mlp("meth_unc_decoder", d, h, d, c.mlpBlocks, false, c);
    n.cls = r.vector("cls_token", {1, 1, d}).reshape({d});
    if (c.conditionDecoder) {
        n.conditionDecoder = r.mlp("condition_decoder", d, h, d, c.mlpBlocks, true, c);
        std::vector<torch::Tensor> tokens;
        for (int k = 0; k < c.conditionSize; ++k)
            tokens.push_back(r.vector("condition_tokens." + std::to_string(k), {1, d}).reshape({d}));
        n.conditionTokens = torch::stack(tokens);
    }
    for (int i = 0; i < c.layers; ++i) {
        const std::string p = "transformer_encoder.layers." + std::to_string(i) + ".";
        const bool bias = c.transformerBias;
        TransformerLayer l;
        l.norm1Cls = r.vector(p + "norm1_cls.weight", {d});
        l.norm1Seq = r.vector(p + "norm1_seq.weight", {d});
        l.norm2Cls = r.vector(p + "norm2_cls.weight", {d});
        l.norm2Seq = r.vector(p + "norm2_seq.weight", {d});
        l.inProj = r.matrix(p + "self_attn.in_proj_weight", {3 * d, d});
        l.inProjBias = r.optionalVector(p + "self_attn.in_proj_bias", bias, {3 * d});
        l.outProj = r.matrix(p + "self_attn.out_proj.weight", {d, d});
        l.outProjBias = r.optionalVector(p + "self_attn.out_proj.bias", bias, {d});
        // TransformerPPBlock: expansion factor 2, dim_feedforward = d_hidden, doubled again for SwiGLU.
        l.linear1 = r.matrix(p + "linear1.weight", {4 * h, d});
        l.linear1Bias = r.optionalVector(p + "linear1.bias", bias, {4 * h});
        l.linear2 = r.matrix(p + "linear2.weight", {d, 2 * h});
        l.linear2Bias = r.optionalVector(p + "linear2.bias", bias, {d});
        n.layers.push_back(std::move(l));
    }
    return n;
}

}  // namespace benchtop::methyl::cpgpt
