#pragma once

// Torch view of the log-mel front end, for the Whisper model code in core only (includes torch).

#include <torch/torch.h>

#include "core/audio/log_mel.h"

namespace benchtop::audio {

/// The spectrogram as a float32 [1, n_mels, n_frames] CPU tensor (a copy), ready for the encoder.
inline torch::Tensor melToTensor(const MelSpectrogram& mel) {
    return torch::from_blob(const_cast<float*>(mel.data.data()), {1, mel.nMels, mel.nFrames}, torch::kFloat32).clone();
}

}  // namespace benchtop::audio
