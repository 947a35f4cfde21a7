#include "core/methyl/cpgpt/locus_embeddings.h"

#include <cstring>

#include "core/common/error.h"
#include "core/tensor/safetensors_file.h"
#include "core/tensor/safetensors_writer.h"

namespace benchtop::methyl::cpgpt {

namespace {

constexpr const char* kFormat = "benchtop-cpgpt-locus/1";

std::string joinLines(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& s : items) {
        if (!out.empty()) out += '\n';
        out += s;
    }
    return out;
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size() && !text.empty()) {
        const std::size_t nl = text.find('\n', start);
        out.push_back(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    return out;
}

}  // namespace

std::size_t LocusTable::located() const {
    std::size_t n = 0;
    for (std::int64_t p : positions) n += p >= 0;
    return n;
}

void writeLocusTable(const std::string& path, const LocusTable& t) {
    const std::size_t n = t.cpgs.size();
    if (t.positions.size() != n || t.dim <= 0 || t.embeddings.size() != n * static_cast<std::size_t>(t.dim))
        throw Error(path, "cannot write a locus table whose CpG, position and embedding counts disagree.");
    using tensor::DType;
    const std::vector<tensor::TensorToWrite> tensors = {
        {"dna_embeddings",
         DType::F32,
         {static_cast<std::int64_t>(n), t.dim},
         {reinterpret_cast<const std::uint8_t*>(t.embeddings.data()), t.embeddings.size() * sizeof(float)}},
        {"positions",
         DType::I64,
         {static_cast<std::int64_t>(n)},
         {reinterpret_cast<const std::uint8_t*>(t.positions.data()), n * sizeof(std::int64_t)}},
    };
    tensor::writeSafetensors(path, tensors,
                             {{"format", kFormat},
                              {"cpgs", joinLines(t.cpgs)},
                              {"dna_llm", t.dnaLlm},
                              {"context_len", std::to_string(t.contextLen)}});
}

LocusTable readLocusTable(const std::string& path) {
    const tensor::SafetensorsFile file(path);
    const auto& meta = file.metadata();
    const auto format = meta.find("format");
    if (format == meta.end() || format->second != kFormat)
        throw Error(path, std::string("is not a Benchtop CpGPT locus table (metadata 'format' is not '") + kFormat +
                              "'); create it with the CpGPT import step.");
    LocusTable t;
    const auto cpgs = meta.find("cpgs");
    if (cpgs != meta.end()) t.cpgs = splitLines(cpgs->second);
    if (const auto it = meta.find("dna_llm"); it != meta.end()) t.dnaLlm = it->second;
    if (const auto it = meta.find("context_len"); it != meta.end()) t.contextLen = std::atoi(it->second.c_str());
    const auto n = static_cast<std::int64_t>(t.cpgs.size());
    if (n == 0) throw Error(path, "lists no CpGs.");
    file.checkShape("dna_embeddings", {n, -1});
    file.checkShape("positions", {n});
    if (file.info("dna_embeddings").dtype != tensor::DType::F32 || file.info("positions").dtype != tensor::DType::I64)
        throw Error(path, "must hold dna_embeddings as F32 and positions as I64.");
    t.dim = static_cast<int>(file.info("dna_embeddings").shape[1]);
    t.embeddings.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(t.dim));
    t.positions.resize(static_cast<std::size_t>(n));
    const tensor::ByteView e = file.bytes("dna_embeddings"), p = file.bytes("positions");
    std::memcpy(t.embeddings.data(), e.data, e.size);
    std::memcpy(t.positions.data(), p.data, p.size);
    return t;
}

}  // namespace benchtop::methyl::cpgpt
