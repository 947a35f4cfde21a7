#pragma once

#include <cstdint>
#include <string>

namespace benchtop::text {

/// The fields of a BERT / RoBERTa / XLM-R `config.json` the encoder needs.
struct BertConfig {
    std::string modelType = "bert";  ///< "bert", "roberta", "xlm-roberta", ...
    int64_t vocabSize = 0;
    int64_t hiddenSize = 0;
    int64_t numLayers = 0;
    int64_t numHeads = 0;
    int64_t intermediateSize = 0;
    int64_t maxPositionEmbeddings = 512;
    int64_t typeVocabSize = 2;
    int64_t padTokenId = 0;
    double layerNormEps = 1e-12;
    std::string hiddenAct = "gelu";

    /// RoBERTa-family position ids start after the padding index (pad + 1 + running count of tokens).
    bool offsetPositions() const;
    /// Reads config.json; throws benchtop::Error naming the file and the missing/invalid field.
    static BertConfig fromFile(const std::string& path);
};

/// sentence-transformers pooling (1_Pooling/config.json) and whether a Normalize module follows.
struct PoolingConfig {
    bool cls = false;
    bool mean = true;
    bool max = false;
    bool meanSqrtLen = false;
    bool normalize = false;
    /// Reads modules.json and the Pooling module's config.json of a sentence-transformers folder;
    /// without them: mean pooling, no normalization (what sentence-transformers does for a plain model).
    static PoolingConfig fromFolder(const std::string& dir);
};

}  // namespace benchtop::text
