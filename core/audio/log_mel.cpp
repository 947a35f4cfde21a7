#include "core/audio/log_mel.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <string>

#include "core/common/error.h"

namespace benchtop::audio {
namespace {

using Complex = std::complex<double>;
constexpr double kPi = 3.14159265358979323846;

// Mixed-radix Cooley-Tukey FFT for the one size the front end needs (400 = 4*4*5*5), in double so the
// result sits well inside the goldens' tolerance whatever float32 FFT the reference used.
class Fft {
public:
    explicit Fft(int n) : m_n(n), m_twiddles(static_cast<std::size_t>(n)) {
        for (int i = 0; i < n; ++i) m_twiddles[static_cast<std::size_t>(i)] = std::polar(1.0, -2.0 * kPi * i / n);
        int rest = n;
        for (int p : {4, 2, 3, 5}) {
            while (rest % p == 0) {
                m_factors.push_back(p);
                rest /= p;
            }
        }
        for (int p = 7; rest > 1; p += 2) {
            while (rest % p == 0) {
                m_factors.push_back(p);
                rest /= p;
            }
        }
        // The butterfly keeps p values on the stack.
        if (*std::max_element(m_factors.begin(), m_factors.end()) > 16)
            throw Error("fft", "FFT size " + std::to_string(n) + " has a prime factor above 16.");
    }

    /// out[k] = sum_j in[j] exp(-2 pi i j k / n)
    void transform(const Complex* in, Complex* out) const { recurse(in, out, m_n, 1, 0); }

private:
    void recurse(const Complex* in, Complex* out, int n, int stride, std::size_t level) const {
        const int p = m_factors[level];
        const int m = n / p;
        const int twiddleStep = m_n / n;  // W_n = W_N^(N/n)
        if (m == 1) {
            for (int k = 0; k < p; ++k) {
                Complex sum = 0;
                for (int j = 0; j < p; ++j)
                    sum += in[j * stride] * m_twiddles[static_cast<std::size_t>((j * k % p) * (m_n / p))];
                out[k] = sum;
            }
            return;
        }
        for (int r = 0; r < p; ++r) recurse(in + r * stride, out + r * m, m, stride * p, level + 1);
        Complex t[16];
        for (int k = 0; k < m; ++k) {
            for (int r = 0; r < p; ++r)
                t[r] = out[r * m + k] * m_twiddles[static_cast<std::size_t>((r * k * twiddleStep) % m_n)];
            for (int q = 0; q < p; ++q) {
                Complex sum = 0;
                for (int r = 0; r < p; ++r)
                    sum += t[r] * m_twiddles[static_cast<std::size_t>(((r * q) % p) * (m_n / p))];
                out[q * m + k] = sum;
            }
        }
    }

    int m_n;
    std::vector<Complex> m_twiddles;
    std::vector<int> m_factors;
};

const Fft& fft400() {
    static const Fft fft(kNFft);
    return fft;
}

const std::vector<double>& hannWindow() {
    // torch.hann_window(400) is periodic: 0.5 - 0.5 cos(2 pi n / 400).
    static const std::vector<double> window = [] {
        std::vector<double> w(kNFft);
        for (int i = 0; i < kNFft; ++i) w[static_cast<std::size_t>(i)] = 0.5 - 0.5 * std::cos(2.0 * kPi * i / kNFft);
        return w;
    }();
    return window;
}

// librosa's slaney mel scale (htk=False): linear below 1 kHz, logarithmic above.
constexpr double kFSp = 200.0 / 3;
constexpr double kMinLogHz = 1000.0;
constexpr double kMinLogMel = kMinLogHz / kFSp;

double hzToMel(double hz) {
    const double logStep = std::log(6.4) / 27.0;
    if (hz >= kMinLogHz) return kMinLogMel + std::log(hz / kMinLogHz) / logStep;
    return hz / kFSp;
}

double melToHz(double mel) {
    const double logStep = std::log(6.4) / 27.0;
    if (mel >= kMinLogMel) return kMinLogHz * std::exp(logStep * (mel - kMinLogMel));
    return kFSp * mel;
}

// Maps an index of the centred (reflect-padded) signal onto the signal, as torch's reflect pad does.
std::int64_t reflectIndex(std::int64_t j, std::int64_t length) {
    if (length <= 1) return 0;
    const std::int64_t period = 2 * (length - 1);
    j %= period;
    if (j < 0) j += period;
    return j >= length ? period - j : j;
}

}  // namespace

std::vector<float> melFilterBank(int nMels) {
    if (nMels < 1 || nMels > 512)
        throw Error("mel filters",
                    "The number of mel bins must be between 1 and 512, not " + std::to_string(nMels) + ".");
    constexpr double sr = 16000.0;
    // np.fft.rfftfreq(400, 1/16000): bin * (1 / (n * d)).
    const double binHz = 1.0 / (kNFft * (1.0 / sr));
    std::vector<double> fftFreqs(kNFreqs);
    for (int i = 0; i < kNFreqs; ++i) fftFreqs[static_cast<std::size_t>(i)] = i * binHz;

    // mel_frequencies(n_mels + 2, fmin=0, fmax=sr/2): np.linspace in mel, back to Hz.
    const int nPoints = nMels + 2;
    const double minMel = hzToMel(0.0);
    const double maxMel = hzToMel(sr / 2);
    const double step = (maxMel - minMel) / (nPoints - 1);
    std::vector<double> melF(static_cast<std::size_t>(nPoints));
    for (int i = 0; i < nPoints; ++i) {
        const double mel = i == nPoints - 1 ? maxMel : i * step + minMel;
        melF[static_cast<std::size_t>(i)] = melToHz(mel);
    }

    std::vector<float> weights(static_cast<std::size_t>(nMels) * kNFreqs);
    for (int m = 0; m < nMels; ++m) {
        const double lowerDiff = melF[m + 1] - melF[m];
        const double upperDiff = melF[m + 2] - melF[m + 1];
        const double enorm = 2.0 / (melF[m + 2] - melF[m]);
        for (int k = 0; k < kNFreqs; ++k) {
            const double lower = -(melF[m] - fftFreqs[k]) / lowerDiff;
            const double upper = (melF[m + 2] - fftFreqs[k]) / upperDiff;
            // librosa stores the ramp into a float32 array, then multiplies by the float64 norm (computed in
            // float64, stored to float32): two roundings, reproduced so the values are bit-exact.
            const float ramp = static_cast<float>(std::max(0.0, std::min(lower, upper)));
            weights[static_cast<std::size_t>(m) * kNFreqs + k] = static_cast<float>(ramp * enorm);
        }
    }
    return weights;
}

LogMelStream::LogMelStream(int nMels) : m_nMels(nMels) {
    const std::vector<float> filters = melFilterBank(nMels);
    m_filters.assign(filters.begin(), filters.end());
    m_ranges.resize(static_cast<std::size_t>(nMels));
    for (int m = 0; m < nMels; ++m) {
        int first = kNFreqs, last = 0;
        for (int k = 0; k < kNFreqs; ++k) {
            if (filters[static_cast<std::size_t>(m) * kNFreqs + k] != 0.0f) {
                first = std::min(first, k);
                last = k + 1;
            }
        }
        m_ranges[static_cast<std::size_t>(m)] = {first, std::max(first, last)};
    }
    m_scratch.resize(static_cast<std::size_t>(kNFreqs));
}

void LogMelStream::push(const float* samples, std::size_t count) {
    if (m_finished) throw Error("log-mel", "Audio was pushed after the spectrogram was finished.");
    m_buffer.insert(m_buffer.end(), samples, samples + count);
    m_totalSamples += static_cast<std::int64_t>(count);
    m_contentSamples += static_cast<std::int64_t>(count);
    computeFrames(false);
}

void LogMelStream::finish(std::size_t padding) {
    if (m_finished) return;
    m_buffer.resize(m_buffer.size() + padding, 0.0);
    m_totalSamples += static_cast<std::int64_t>(padding);
    computeFrames(true);
    m_finished = true;
    m_buffer.clear();
    m_buffer.shrink_to_fit();
}

void LogMelStream::computeFrames(bool atEnd) {
    const std::int64_t total = m_totalSamples;
    // torch.stft(center=True) gives 1 + L / hop frames; openai drops the last one.
    const std::int64_t lastFrame = total / kHopLength;
    while (m_nextFrame < lastFrame) {
        const std::int64_t t = m_nextFrame;
        // Before the end is known, a frame is final only when every sample it reads (reflected at the start
        // when needed) is already there.
        const bool ready = atEnd || (t * kHopLength + kNFft / 2 <= total && total > kNFft / 2);
        if (!ready) break;
        computeFrame(t, total);
        ++m_nextFrame;
    }
    // Keep only what later frames can still read: from frame m_nextFrame's start on (plus the first 201
    // samples while the start reflection is still needed).
    const std::int64_t keepFrom = std::max<std::int64_t>(0, m_nextFrame * kHopLength - kNFft / 2);
    const std::int64_t dropCount = keepFrom - m_bufferStart;
    if (!atEnd && m_nextFrame > 2 && dropCount > 16384) {
        m_buffer.erase(m_buffer.begin(), m_buffer.begin() + static_cast<std::ptrdiff_t>(dropCount));
        m_bufferStart = keepFrom;
    }
}

void LogMelStream::computeFrame(std::int64_t t, std::int64_t totalLength) {
    const std::vector<double>& window = hannWindow();
    Complex frame[kNFft];
    Complex spectrum[kNFft];
    const std::int64_t start = t * kHopLength - kNFft / 2;
    for (int i = 0; i < kNFft; ++i) {
        const std::int64_t index = reflectIndex(start + i, totalLength);
        frame[i] = m_buffer[static_cast<std::size_t>(index - m_bufferStart)] * window[static_cast<std::size_t>(i)];
    }
    fft400().transform(frame, spectrum);
    for (int k = 0; k < kNFreqs; ++k) m_scratch[static_cast<std::size_t>(k)] = std::norm(spectrum[k]);

    const std::size_t offset = m_log.size();
    m_log.resize(offset + static_cast<std::size_t>(m_nMels));
    for (int m = 0; m < m_nMels; ++m) {
        const auto [first, last] = m_ranges[static_cast<std::size_t>(m)];
        const double* filter = &m_filters[static_cast<std::size_t>(m) * kNFreqs];
        double sum = 0;
        for (int k = first; k < last; ++k) sum += filter[k] * m_scratch[static_cast<std::size_t>(k)];
        const float value = static_cast<float>(std::log10(std::max(sum, 1e-10)));
        m_log[offset + static_cast<std::size_t>(m)] = value;
        m_maxLog = std::max(m_maxLog, value);
    }
}

float LogMelStream::normalise(float logValue) const {
    const float floor = m_maxLog - 8.0f;
    return (std::max(logValue, floor) + 4.0f) / 4.0f;
}

MelSpectrogram LogMelStream::window(std::int64_t startFrame, std::int64_t frames, bool clipToContent) const {
    if (!m_finished) throw Error("log-mel", "The spectrogram is not finished; call finish() before taking windows.");
    if (startFrame < m_firstKeptFrame)
        throw Error("log-mel", "Frame " + std::to_string(startFrame) + " was already discarded.");
    MelSpectrogram out;
    out.nMels = m_nMels;
    out.nFrames = frames;
    out.data.assign(static_cast<std::size_t>(m_nMels * frames), 0.0f);
    const std::int64_t end =
        std::min(startFrame + frames, clipToContent ? std::min(contentFrames(), frameCount()) : frameCount());
    for (std::int64_t t = startFrame; t < end; ++t) {
        const float* src = &m_log[static_cast<std::size_t>((t - m_firstKeptFrame) * m_nMels)];
        for (int m = 0; m < m_nMels; ++m)
            out.data[static_cast<std::size_t>(m * frames + (t - startFrame))] = normalise(src[m]);
    }
    return out;
}

MelSpectrogram LogMelStream::spectrogram() const {
    if (!m_finished) throw Error("log-mel", "The spectrogram is not finished; call finish() first.");
    MelSpectrogram out;
    out.nMels = m_nMels;
    out.nFrames = frameCount() - m_firstKeptFrame;
    out.data.resize(static_cast<std::size_t>(m_nMels * out.nFrames));
    for (std::int64_t t = 0; t < out.nFrames; ++t)
        for (int m = 0; m < m_nMels; ++m)
            out.data[static_cast<std::size_t>(m * out.nFrames + t)] =
                normalise(m_log[static_cast<std::size_t>(t * m_nMels + m)]);
    return out;
}

void LogMelStream::discardBefore(std::int64_t frame) {
    const std::int64_t count = std::min(frame, frameCount()) - m_firstKeptFrame;
    if (count <= 0) return;
    m_log.erase(m_log.begin(), m_log.begin() + static_cast<std::ptrdiff_t>(count * m_nMels));
    m_firstKeptFrame += count;
}

MelSpectrogram logMelSpectrogram(const float* samples, std::size_t count, int nMels, std::size_t padding) {
    LogMelStream stream(nMels);
    stream.push(samples, count);
    stream.finish(padding);
    return stream.spectrogram();
}

MelSpectrogram logMelSpectrogram(const std::vector<float>& samples, int nMels, std::size_t padding) {
    return logMelSpectrogram(samples.data(), samples.size(), nMels, padding);
}

MelSpectrogram melWindow(const MelSpectrogram& mel, std::int64_t startFrame, std::int64_t contentFrames,
                         std::int64_t frames) {
    MelSpectrogram out;
    out.nMels = mel.nMels;
    out.nFrames = frames;
    out.data.assign(static_cast<std::size_t>(mel.nMels * frames), 0.0f);
    const std::int64_t end = std::min({startFrame + frames, contentFrames, mel.nFrames});
    for (int m = 0; m < mel.nMels; ++m)
        for (std::int64_t t = std::max<std::int64_t>(startFrame, 0); t < end; ++t)
            out.data[static_cast<std::size_t>(m * frames + (t - startFrame))] = mel.at(m, t);
    return out;
}

}  // namespace benchtop::audio
