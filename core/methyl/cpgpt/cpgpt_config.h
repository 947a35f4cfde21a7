#pragma once

#include <string>
#include <vector>

namespace benchtop::methyl::cpgpt {

/// The network keys of a released CpGPT `config/<model>.yaml` (`model.net`), plus the few other keys that
/// change what prediction does. Only the architecture that CpGPT releases is supported: a transformer with
/// rotary position encoding, SwiGLU, RMSNorm, a CLS sample embedding and pre-norm blocks.
struct CpgptConfig {
    std::string path;  ///< the file it was read from (for messages)
    int dEmbedding = 0;
    int dHidden = 0;
    int dDnaEmbedding = 0;
    int heads = 0;
    int layers = 0;
    int mlpBlocks = 0;
    bool conditionDecoder = false;
    int conditionSize = 0;
    bool mlpBlockBias = false;
    bool mlpPreNorm = false;
    bool mlpPostNorm = false;
    bool transformerBias = false;
    bool usePowerNorm = false;
    /// `model.training.binarize_input`: upstream then draws Bernoulli(beta) inputs at prediction time, which
    /// makes its predictions random; Benchtop feeds the betas and reports it.
    bool binarizeInput = false;
    std::string dnaLlm;     ///< `data.dna_llm` when present ("nucleotide-transformer-v2-500m-multi-species")
    int dnaContextLen = 0;  ///< `data.dna_context_len` when present (2001)
};

/// Reads and validates config.yaml. Throws benchtop::Error("<path>", "key 'model.net.d_embedding' ...") for
/// YAML syntax errors, missing keys, wrong types and settings outside the supported architecture (naming the
/// key and the value found).
CpgptConfig readConfig(const std::string& path);

/// vocab/<model>.json: the input CpGs in model order and the output names of the condition head.
struct CpgptVocab {
    std::vector<std::string> input;
    std::vector<std::string> output;
};

/// Throws benchtop::Error naming the file for malformed JSON, missing "input", non-string or duplicate ids.
CpgptVocab readVocab(const std::string& path);

}  // namespace benchtop::methyl::cpgpt
