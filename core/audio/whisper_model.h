#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/audio/log_mel.h"
#include "core/device/device.h"

namespace benchtop::audio {

/// The architecture numbers of a Whisper checkpoint (Hugging Face `config.json`).
struct WhisperConfig {
    int nMels = 80;
    int dModel = 0;
    int encoderLayers = 0;
    int decoderLayers = 0;
    int encoderHeads = 0;
    int decoderHeads = 0;
    int encoderFfn = 0;
    int decoderFfn = 0;
    int vocabSize = 0;
    int maxSourcePositions = 1500;  ///< encoder positions (3000 mel frames / 2)
    int maxTargetPositions = 448;   ///< decoder context
    bool scaleEmbedding = false;

    /// Parses `config.json`; throws benchtop::Error naming the file and the missing or bad field.
    static WhisperConfig fromFile(const std::string& configPath);
    bool isMultilingual() const { return vocabSize >= 51865; }
    bool isV3() const { return nMels == 128; }
};

/// A Whisper encoder-decoder loaded from a Hugging Face folder (`config.json` + `model.safetensors`, or
/// `pytorch_model.bin`), computing exactly as openai-whisper's `Whisper` does (manual attention with q and
/// k each scaled by d_head^-0.25, erf GELU, LayerNorm eps 1e-5, logits = hidden @ token_embeddingᵀ).
/// This torch-free facade serves tests and simple callers; model code uses whisper_model_torch.h.
class WhisperModel {
public:
    /// Loads the folder onto `device` ("cpu", "cuda", "cuda:1", "mps") computing in `precision`
    /// (Auto = fp32 here; F16 checkpoints are upcast for fp32). Throws benchtop::Error on a bad folder.
    explicit WhisperModel(const std::string& folder, const std::string& device = "cpu",
                          device::Precision precision = device::Precision::Fp32);
    ~WhisperModel();
    WhisperModel(const WhisperModel&) = delete;
    WhisperModel& operator=(const WhisperModel&) = delete;

    const WhisperConfig& config() const;
    const std::string& folder() const;

    /// Encoder output for one 30 s window ([nMels x 3000], see melWindow()): [1500 x dModel] row-major.
    std::vector<float> encode(const MelSpectrogram& window) const;
    /// Encoder outputs of several windows computed in one batched forward (one per window, as encode()).
    std::vector<std::vector<float>> encode(const std::vector<MelSpectrogram>& windows) const;

    /// Decoder logits without a cache: row i = logits after tokens[0..i], [tokens.size() x vocabSize].
    std::vector<float> logits(const std::vector<float>& encoderOut, const std::vector<std::int64_t>& tokens) const;

    /// Incremental decoding with openai's KV cache: feed the prompt, then one token per call.
    class Session {
    public:
        ~Session();
        Session(Session&&) noexcept;
        Session& operator=(Session&&) noexcept;
        /// Logits of the new tokens, [tokens.size() x vocabSize] (a session of one sequence).
        std::vector<float> step(const std::vector<std::int64_t>& tokens);
        /// Every sequence of the batch takes `tokens.size() / batch` new tokens (row-major [batch x n]);
        /// returns the logits of each sequence's last new token, [batch x vocabSize]. With `extraRow` >= 0 one
        /// more row follows: the logits at new-token position `extraRow` of sequence 0 (openai's no-speech row).
        std::vector<float> stepLast(const std::vector<std::int64_t>& tokens, std::int64_t extraRow = -1);
        /// Ragged step (sessions over several encoder outputs): sequence i takes the tokens tokens[i] (at least
        /// one; counts may differ, e.g. prompts of different lengths). Returns the logits of each sequence's last
        /// new token, [batch x vocabSize], followed by one row per sequence i with extraRows[i] >= 0: the logits at
        /// its new-token position extraRows[i] (the no-speech row), in sequence order.
        std::vector<float> stepRows(const std::vector<std::vector<std::int64_t>>& tokens,
                                    const std::vector<std::int64_t>& extraRows = {});
        /// Keeps the sequences `rows`, in that order (drops finished ones from a ragged batch).
        void keep(const std::vector<std::int64_t>& rows);
        /// Reorders the cached sequences: row i continues sequence rows[i] (beam search).
        void reorder(const std::vector<std::int64_t>& rows);
        /// Sequences in the batch.
        std::int64_t batch() const;
        /// Tokens consumed so far.
        std::int64_t length() const;

    private:
        friend class WhisperModel;
        struct State;
        explicit Session(std::unique_ptr<State> state);
        std::unique_ptr<State> m;
    };

    /// Starts a cached decoding of `batch` sequences over one window's encoder output ([1500 x dModel]).
    Session startSession(const std::vector<float>& encoderOut, int batch = 1) const;
    /// Starts a ragged cached decoding of one sequence per encoder output (windows of different files decoded
    /// together, see Session::stepRows()).
    Session startSession(const std::vector<const std::vector<float>*>& encoderOuts) const;

    /// The torch model (whisper_model_torch.h); for core code only.
    struct Weights;
    const Weights& weights() const;

private:
    std::unique_ptr<Weights> m_weights;
    std::string m_folder;
};

}  // namespace benchtop::audio
