#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace benchtop::audio {

/// Whisper's sample rate: every decoded stream is resampled to this.
constexpr int kSampleRate = 16000;
/// Source sample rates Benchtop accepts (telephone 8 kHz down to 1 kHz, studio up to 768 kHz); anything else is a
/// damaged header.
constexpr int kMinSourceSampleRate = 1000;
constexpr int kMaxSourceSampleRate = 768000;

/// What the container says about an audio file, before decoding it.
struct AudioInfo {
    std::string path;
    std::string container;       ///< FFmpeg demuxer name: "wav", "flac", "mp3", "ogg", "mov,mp4,m4a,3gp,3g2,mj2"
    std::string codec;           ///< FFmpeg decoder name: "pcm_s16le", "flac", "mp3float", "vorbis", "aac"
    int sourceSampleRate = 0;    ///< Hz, as stored
    int sourceChannels = 0;      ///< as stored (down-mixed to mono when decoding)
    double durationSeconds = 0;  ///< container duration; 0 when the container does not say
    bool durationExact = false;  ///< true when the duration comes from a header/index, not a bitrate guess
    /// Expected number of 16 kHz samples (durationSeconds * 16000, rounded); 0 when unknown.
    std::int64_t expectedSamples() const;
};

/// Options of AudioReader.
struct AudioReaderOptions {
    /// Fail when the file stops well before the length its header declares (a cut download). When false,
    /// the audio that could be decoded is returned.
    bool rejectTruncated = true;
};

/// Streams an audio file as 16 kHz mono float32 samples, exactly as openai-whisper's `load_audio`
/// (`ffmpeg -i FILE -f s16le -ac 1 -acodec pcm_s16le -ar 16000 -`, then int16 / 32768): FFmpeg decodes,
/// libswresample down-mixes and resamples with its defaults straight to int16, so the samples are
/// int16-quantised like the reference. Long files are decoded chunk by chunk, never held whole.
///
/// Every failure (missing, empty, non-audio, corrupt or truncated file) throws benchtop::Error whose
/// context is the file path and whose message says what is wrong. Not thread-safe; one reader per thread.
class AudioReader {
public:
    explicit AudioReader(const std::string& path, AudioReaderOptions options = {});
    ~AudioReader();
    AudioReader(const AudioReader&) = delete;
    AudioReader& operator=(const AudioReader&) = delete;

    const AudioInfo& info() const;

    /// Appends up to `maxSamples` samples to `out`; returns how many were appended. Returns fewer only at the
    /// end of the stream, and 0 once the stream is finished.
    std::size_t read(std::vector<float>& out, std::size_t maxSamples);

    /// True once every sample has been returned.
    bool atEnd() const;

    /// Samples returned so far.
    std::int64_t samplesRead() const;

    /// Packets the decoder rejected and skipped (FFmpeg's CLI skips them too); the file still decoded.
    int skippedPackets() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

/// Reads the container header only (fast): format, codec, channels, rate and duration. Throws like AudioReader.
AudioInfo probeAudio(const std::string& path);

/// Decodes the whole file into memory (16 kHz mono float32). Convenience over AudioReader for short files.
std::vector<float> decodeFile(const std::string& path, AudioReaderOptions options = {});

}  // namespace benchtop::audio
