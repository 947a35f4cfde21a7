#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace benchtop::audio {

constexpr int kNFft = 400;                      ///< 25 ms window at 16 kHz
constexpr int kHopLength = 160;                 ///< 10 ms hop
constexpr int kNFreqs = kNFft / 2 + 1;          ///< 201 STFT bins
constexpr int kChunkSeconds = 30;               ///< Whisper's window
constexpr std::int64_t kChunkSamples = 480000;  ///< N_SAMPLES: 30 s at 16 kHz
constexpr std::int64_t kChunkFrames = 3000;     ///< N_FRAMES: mel frames per window
constexpr int kSamplesPerTokenTime = 320;       ///< one encoder position = 2 mel frames = 20 ms

/// A log-mel spectrogram: `nMels` rows of `nFrames` values, row-major (like a torch [n_mels, n_frames]).
struct MelSpectrogram {
    int nMels = 0;
    std::int64_t nFrames = 0;
    std::vector<float> data;  ///< data[mel * nFrames + frame]

    float at(int mel, std::int64_t frame) const { return data[static_cast<std::size_t>(mel * nFrames + frame)]; }
};

/// The slaney-scale, slaney-normalised triangular filters of `librosa.filters.mel(sr=16000, n_fft=400,
/// n_mels=nMels)` as float32, [nMels x 201] row-major. For 80 and 128 these are bit-for-bit the values in
/// openai-whisper's `mel_filters.npz` (and in old HF `preprocessor_config.json` files). nMels in 1..512.
std::vector<float> melFilterBank(int nMels);

/// openai-whisper's `log_mel_spectrogram(audio, n_mels, padding)`: appends `padding` zeros, STFT with
/// n_fft 400, hop 160, periodic Hann, centred with reflect padding, |X|^2 with the last frame dropped, mel
/// filters, log10(max(x, 1e-10)), max(x, global max - 8), (x + 4) / 4. Result has (n + padding) / 160 frames.
/// Computed in double (a mixed-radix FFT), rounded to float; matches openai's float32 to ~1e-4.
MelSpectrogram logMelSpectrogram(const float* samples, std::size_t count, int nMels, std::size_t padding = 0);
MelSpectrogram logMelSpectrogram(const std::vector<float>& samples, int nMels, std::size_t padding = 0);

/// The window transcribe() gives the encoder at `startFrame`: `pad_or_trim(mel[:, start : start + min(
/// frames, contentFrames - start)], frames)`; frames past `contentFrames` (or past the spectrogram) are 0.0
/// in the normalised domain, exactly as openai pads.
MelSpectrogram melWindow(const MelSpectrogram& mel, std::int64_t startFrame, std::int64_t contentFrames,
                         std::int64_t frames = kChunkFrames);

/// Incremental log-mel: push audio as it is decoded, then finish(). Frames are computed as soon as their
/// samples are known, so only a few hundred samples are buffered; the log-mel values are kept (4 bytes per
/// mel per 10 ms: ~184 MB per hour at 128 mels) because openai's clamp needs the maximum of the whole input
/// before any frame can be normalised. Results equal logMelSpectrogram() of the concatenated input.
class LogMelStream {
public:
    explicit LogMelStream(int nMels);

    int nMels() const { return m_nMels; }
    void push(const float* samples, std::size_t count);
    void push(const std::vector<float>& samples) { push(samples.data(), samples.size()); }
    /// Ends the input after appending `padding` zeros (transcribe() uses kChunkSamples) and computes the
    /// last frames, whose reflect padding needs the true end of the signal. No push() after this.
    void finish(std::size_t padding = 0);
    bool finished() const { return m_finished; }

    /// Samples pushed (without the padding).
    std::int64_t samplesPushed() const { return m_contentSamples; }
    /// Frames computed so far (after finish(): (samples + padding) / 160).
    std::int64_t frameCount() const { return m_firstKeptFrame + static_cast<std::int64_t>(m_log.size()) / m_nMels; }
    /// Frames of real audio: samplesPushed() / 160 (transcribe()'s content_frames).
    std::int64_t contentFrames() const { return m_contentSamples / kHopLength; }

    /// Normalised [nMels x frames] window starting at `startFrame` as transcribe() builds it (see
    /// melWindow()); needs finish(). Frames before discardBefore() are gone. With `clipToContent` false the
    /// padding frames are included as computed (openai's `pad_or_trim(mel, N_FRAMES)` for language detection).
    MelSpectrogram window(std::int64_t startFrame, std::int64_t frames = kChunkFrames, bool clipToContent = true) const;
    /// The whole normalised spectrogram (what logMelSpectrogram() returns); needs finish().
    MelSpectrogram spectrogram() const;
    /// Frees frames before `frame` (a transcriber moving forward); the clamp maximum is kept.
    void discardBefore(std::int64_t frame);

private:
    void computeFrames(bool atEnd);
    void computeFrame(std::int64_t t, std::int64_t totalLength);
    float normalise(float logValue) const;

    int m_nMels;
    std::vector<double> m_filters;              // [nMels x 201]
    std::vector<std::pair<int, int>> m_ranges;  // non-zero bin range per mel filter
    std::vector<double> m_buffer;               // samples from index m_bufferStart on
    std::int64_t m_bufferStart = 0;
    std::int64_t m_totalSamples = 0;  // pushed + padding
    std::int64_t m_contentSamples = 0;
    std::int64_t m_nextFrame = 0;
    std::int64_t m_firstKeptFrame = 0;
    std::vector<float> m_log;  // [frame][mel] log10 values of kept frames
    float m_maxLog = -1e30f;
    bool m_finished = false;
    std::vector<double> m_scratch;
};

}  // namespace benchtop::audio
