#pragma once

// BGE-M3 multi-vector outputs as FlagEmbedding (M3Embedder) defines them, torch-free: which outputs a
// run computes, lexical (sparse) weights and the scores that compare them.

#include "core/text/tokenizer.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace benchtop::text {

/// Which outputs an encoder computes. Sparse and ColBERT need a BGE-M3 folder (sparse_linear.pt,
/// colbert_linear.pt next to the encoder weights).
struct OutputSelection {
    bool dense = true;
    bool sparse = false;
    bool colbert = false;

    /// True when a BGE-M3 head is requested (the texts are then tokenized as FlagEmbedding does).
    bool anyHead() const { return sparse || colbert; }
    /// "dense,sparse,colbert" as written by toString().
    std::string toString() const;
    /// Parses a comma list of dense, sparse, colbert (or "all"); empty = dense. Throws benchtop::Error
    /// naming the option and the unknown word.
    static OutputSelection parse(const std::string& list);
};

/// The lexical weights of one text: (token id, weight) pairs with unique ids, in order of first
/// occurrence, every weight > 0 (FlagEmbedding's `lexical_weights` dict).
using LexicalWeights = std::vector<std::pair<TokenId, float>>;

/// The ids FlagEmbedding leaves out of lexical weights: the cls, eos, pad and unk tokens named in the
/// folder's special_tokens_map.json (else tokenizer_config.json), looked up in `tokenizer`, plus the
/// padding id. Throws benchtop::Error naming the file when it is not valid JSON.
std::vector<TokenId> unusedTokenIds(const std::string& dir, const Tokenizer& tokenizer);

/// FlagEmbedding `_process_token_weights`: per token id the largest weight over the `count` tokens,
/// ids in `unused` and weights <= 0 dropped.
LexicalWeights lexicalWeights(const float* tokenWeights, const std::int64_t* ids, std::size_t count,
                              const std::vector<TokenId>& unused);

/// FlagEmbedding `compute_lexical_matching_score`: sum over the ids both texts have of the weight products.
double lexicalMatchingScore(const LexicalWeights& query, const LexicalWeights& passage);

/// FlagEmbedding `colbert_score`: mean over the query vectors of the largest dot product with a passage
/// vector. Vectors are row-major `[n, dim]`; 0 when either side has no vectors.
double colbertScore(const float* query, std::size_t queryVectors, const float* passage, std::size_t passageVectors,
                    std::size_t dim);

}  // namespace benchtop::text
