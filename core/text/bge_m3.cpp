#include "core/text/bge_m3.h"

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/tensor/safetensors_torch.h"
#include "core/text/bge_m3_heads_torch.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <unordered_map>

namespace benchtop::text {

namespace {

namespace fs = std::filesystem;

/// A token entry of special_tokens_map.json / tokenizer_config.json: "<s>" or {"content": "<s>", ...}.
std::string tokenString(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_object() && value.contains("content") && value["content"].is_string())
        return value["content"].get<std::string>();
    return {};
}

/// Reads `name` of a head file: throws naming the file when the tensor is absent.
torch::Tensor headTensor(const std::map<std::string, torch::Tensor>& weights, const std::string& path,
                         const std::string& name, const std::vector<std::int64_t>& shape) {
    const auto it = weights.find(name);
    if (it == weights.end()) throw Error(path, "tensor '" + name + "' not found.");
    tensor::checkShape(path, name, it->second, shape);
    return it->second;
}

/// A head file's tensors as float32 on `device`.
std::map<std::string, torch::Tensor> loadHeadFile(const fs::path& path, const char* output, torch::Device device) {
    if (!fs::exists(path))
        throw Error(path.string(), std::string("not found; the ") + output +
                                       " output needs a BGE-M3 model folder with this FlagEmbedding head file.");
    return tensor::loadWeightsFile(path.string(), device, torch::kFloat32);
}

}  // namespace

std::string OutputSelection::toString() const {
    std::string out;
    for (const auto& [on, name] :
         {std::pair{dense, "dense"}, std::pair{sparse, "sparse"}, std::pair{colbert, "colbert"}})
        if (on) out += (out.empty() ? "" : ",") + std::string(name);
    return out;
}

OutputSelection OutputSelection::parse(const std::string& list) {
    if (trimWhitespace(list).empty()) return {};
    OutputSelection s{false, false, false};
    std::istringstream in(list);
    for (std::string word; std::getline(in, word, ',');) {
        word = toLowerAscii(trimWhitespace(word));
        if (word == "dense")
            s.dense = true;
        else if (word == "sparse" || word == "lexical")
            s.sparse = true;
        else if (word == "colbert" || word == "multivector")
            s.colbert = true;
        else if (word == "all")
            s = {true, true, true};
        else if (!word.empty())
            throw Error("option outputs",
                        "'" + word + "' is not an output; use a comma list of dense, sparse, colbert.");
    }
    if (!s.dense && !s.sparse && !s.colbert)
        throw Error("option outputs", "'" + list + "' names no output; use a comma list of dense, sparse, colbert.");
    return s;
}

std::vector<TokenId> unusedTokenIds(const std::string& dir, const Tokenizer& tokenizer) {
    std::vector<TokenId> ids{tokenizer.padId()};
    for (const char* file : {"special_tokens_map.json", "tokenizer_config.json"}) {
        const fs::path path = fs::path(dir) / file;
        std::ifstream in(path, std::ios::binary);
        if (!in) continue;
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(in);
        } catch (const std::exception& e) {
            throw Error(path.string(), std::string("is not valid JSON: ") + e.what());
        }
        bool any = false;
        for (const char* key : {"cls_token", "eos_token", "pad_token", "unk_token"}) {
            if (!j.is_object() || !j.contains(key)) continue;
            if (const auto id = tokenizer.tokenToId(tokenString(j[key]))) {
                ids.push_back(*id);
                any = true;
            }
        }
        if (any) break;  // FlagEmbedding reads the tokenizer's special_tokens_map: the first file that has it
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

LexicalWeights lexicalWeights(const float* tokenWeights, const std::int64_t* ids, std::size_t count,
                              const std::vector<TokenId>& unused) {
    LexicalWeights out;
    std::unordered_map<std::int64_t, std::size_t> slot;
    for (std::size_t i = 0; i < count; ++i) {
        const float w = tokenWeights[i];
        if (!(w > 0.0f)) continue;
        if (std::find(unused.begin(), unused.end(), static_cast<TokenId>(ids[i])) != unused.end()) continue;
        const auto [it, inserted] = slot.emplace(ids[i], out.size());
        if (inserted)
            out.emplace_back(static_cast<TokenId>(ids[i]), w);
        else
            out[it->second].second = std::max(out[it->second].second, w);
    }
    return out;
}

double lexicalMatchingScore(const LexicalWeights& query, const LexicalWeights& passage) {
    std::unordered_map<TokenId, float> p(passage.begin(), passage.end());
    double score = 0;
    for (const auto& [id, w] : query) {
        const auto it = p.find(id);
        if (it != p.end()) score += static_cast<double>(w) * it->second;
    }
    return score;
}

double colbertScore(const float* query, std::size_t queryVectors, const float* passage, std::size_t passageVectors,
                    std::size_t dim) {
    if (queryVectors == 0 || passageVectors == 0) return 0.0;
    double sum = 0;
    for (std::size_t i = 0; i < queryVectors; ++i) {
        double best = -std::numeric_limits<double>::infinity();
        for (std::size_t j = 0; j < passageVectors; ++j) {
            double dot = 0;
            for (std::size_t d = 0; d < dim; ++d) dot += static_cast<double>(query[i * dim + d]) * passage[j * dim + d];
            best = std::max(best, dot);
        }
        sum += best;
    }
    return sum / static_cast<double>(queryVectors);
}

BgeM3Heads BgeM3Heads::load(const std::string& dir, std::int64_t hiddenSize, bool sparse, bool colbert,
                            torch::Device device) {
    BgeM3Heads heads;
    if (sparse) {
        const fs::path path = fs::path(dir) / "sparse_linear.pt";
        const auto w = loadHeadFile(path, "sparse", device);
        heads.sparseW = headTensor(w, path.string(), "weight", {1, hiddenSize});
        heads.sparseB = headTensor(w, path.string(), "bias", {1});
    }
    if (colbert) {
        const fs::path path = fs::path(dir) / "colbert_linear.pt";
        const auto w = loadHeadFile(path, "colbert", device);
        heads.colbertW = headTensor(w, path.string(), "weight", {-1, hiddenSize});
        heads.colbertB = headTensor(w, path.string(), "bias", {heads.colbertW.size(0)});
    }
    return heads;
}

torch::Tensor BgeM3Heads::tokenWeights(const torch::Tensor& hidden) const {
    return torch::relu(torch::linear(hidden.to(torch::kFloat32), sparseW, sparseB)).squeeze(-1);
}

torch::Tensor BgeM3Heads::colbertVectors(const torch::Tensor& hidden, const torch::Tensor& attentionMask) const {
    const auto tokens = hidden.slice(1, 1).to(torch::kFloat32);
    const auto mask = attentionMask.slice(1, 1).to(hidden.device(), torch::kFloat32).unsqueeze(-1);
    const auto vectors = torch::linear(tokens, colbertW, colbertB) * mask;
    return torch::nn::functional::normalize(vectors, torch::nn::functional::NormalizeFuncOptions().p(2).dim(-1));
}

}  // namespace benchtop::text
