#pragma once

// The Whisper network as plain structs of named tensors with forward functions (whisper.cpp style: no
// hidden state, the KV cache is explicit). Includes torch: for core .cpp files only.

#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/audio/whisper_model.h"

namespace benchtop::audio {

struct WhisperLinear {
    torch::Tensor weight;  ///< [out, in]
    torch::Tensor bias;    ///< [out], undefined for k_proj
    torch::Tensor operator()(const torch::Tensor& x) const;
};

struct WhisperLayerNorm {
    torch::Tensor weight;
    torch::Tensor bias;
    torch::Tensor operator()(const torch::Tensor& x) const;
};

struct WhisperAttention {
    /// q | k | v stacked [3d, d] (k has no bias: zeros there), so self-attention projects in one product;
    /// cross-attention uses `kv` ([2d, d]) once per window and `query` per token. query/key/value are
    /// views into these.
    WhisperLinear qkv, kv;
    WhisperLinear query, key, value, out;
    int heads = 1;
};

struct WhisperEncoderLayer {
    WhisperLayerNorm attnLn;
    WhisperAttention attn;
    WhisperLayerNorm mlpLn;
    WhisperLinear fc1, fc2;
};

struct WhisperDecoderLayer {
    WhisperLayerNorm attnLn;
    WhisperAttention selfAttn;
    WhisperLayerNorm crossLn;
    WhisperAttention crossAttn;
    WhisperLayerNorm mlpLn;
    WhisperLinear fc1, fc2;
};

struct WhisperModel::Weights {
    WhisperConfig config;
    torch::Device device = torch::kCPU;
    torch::ScalarType dtype = torch::kFloat32;

    torch::Tensor conv1Weight, conv1Bias;  ///< [d, n_mels, 3]
    torch::Tensor conv2Weight, conv2Bias;  ///< [d, d, 3], stride 2
    torch::Tensor encoderPositions;        ///< [1500, d], the stored table (not recomputed sinusoids)
    std::vector<WhisperEncoderLayer> encoderLayers;
    WhisperLayerNorm encoderLn;

    torch::Tensor tokenEmbedding;    ///< [vocab, d]; also the output projection (tied)
    torch::Tensor decoderPositions;  ///< [448, d]
    std::vector<WhisperDecoderLayer> decoderLayers;
    WhisperLayerNorm decoderLn;
};

/// Loads the HF tensors of `folder` onto `device` in `dtype` and checks every shape against the config.
WhisperModel::Weights loadWhisperWeights(const std::string& folder, torch::Device device, torch::ScalarType dtype);

/// openai's AudioEncoder: mel [B, n_mels, 3000] -> [B, 1500, d] (in the weights' dtype).
torch::Tensor whisperEncode(const WhisperModel::Weights& w, const torch::Tensor& mel);

/// openai's KV cache for one batch of sequences: self-attention keys/values are allocated once for the
/// decoder's whole context and written in place, `length` columns used; cross-attention keys/values are
/// computed once from the encoder output.
struct WhisperKvCache {
    std::vector<torch::Tensor> selfKeys, selfValues;    ///< per layer [B, heads, capacity, dh], first `length` used
    std::vector<torch::Tensor> crossKeys, crossValues;  ///< per layer [B, heads, 1500, dh]
    std::int64_t length = 0;
    /// Ragged batches (sequences of different lengths, see whisperDecodeRagged): the next position of each
    /// sequence, int64 [B]; undefined for the common case where every sequence has `length` tokens.
    torch::Tensor rowPositions;
    /// Ragged batches: which cached self-attention columns hold real tokens of each sequence, bool [B, length]
    /// (padding of shorter prompts is cached too, and masked out here).
    torch::Tensor validKeys;

    /// Keeps rows `indices` (beam search reordering / dropping finished sequences).
    void select(const torch::Tensor& indices);
    /// Reorders (or repeats) the self-attention rows only; cross-attention rows are shared by the sequences
    /// of one window.
    void selectSelf(const torch::Tensor& indices);
};

/// Prepares the cross-attention keys/values for `encoderOut` [B, 1500, d] and a self-attention cache for
/// `capacity` tokens (default: the decoder's context).
WhisperKvCache whisperStartCache(const WhisperModel::Weights& w, const torch::Tensor& encoderOut,
                                 std::int64_t capacity = 0);

/// openai's TextDecoder. tokens [B, n] (int64). Without a cache: attends over `encoderOut` [B, 1500, d] and
/// the n tokens causally. With a cache: continues after cache->length tokens and appends to it (encoderOut
/// is then unused and may be undefined). Returns float32 logits [B, n, vocab]. When `crossAttention` is
/// given, receives each layer's cross-attention scores before the softmax, float32 [B, heads, n, 1500]
/// (what openai's word-timestamp hooks read).
torch::Tensor whisperDecode(const WhisperModel::Weights& w, const torch::Tensor& tokens,
                            const torch::Tensor& encoderOut, WhisperKvCache* cache = nullptr,
                            std::vector<torch::Tensor>* crossAttention = nullptr);

/// Ragged batched decoding with a cache from whisperStartCache(): sequence b feeds its first counts[b] tokens of
/// row b of `tokens` [B, n] (the rest of the row is padding, cached but masked out), at its own positions
/// (cache.rowPositions, started at 0). Every sequence attends to its own encoder output, so the windows of
/// several files decode in one forward. Returns the final hidden states [B, n, d] (decoder layer norm applied);
/// project the rows needed with whisperLogits().
torch::Tensor whisperDecodeRagged(const WhisperModel::Weights& w, const torch::Tensor& tokens,
                                  const torch::Tensor& counts, WhisperKvCache& cache);

/// Float32 logits of final hidden states [..., d]: hidden @ token_embeddingᵀ.
torch::Tensor whisperLogits(const WhisperModel::Weights& w, const torch::Tensor& hidden);

}  // namespace benchtop::audio
