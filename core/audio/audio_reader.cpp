#include "core/audio/audio_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "core/common/error.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
}

// AVChannelLayout / swr_alloc_set_opts2 appeared in FFmpeg 5.1 and the old channel fields are gone in 7.0.
#if LIBAVCODEC_VERSION_INT < AV_VERSION_INT(59, 24, 100)
#error "Benchtop needs FFmpeg 5.1 or newer (libavcodec >= 59.24)"
#endif

namespace benchtop::audio {
namespace {

// FFmpeg's own log would print to stderr from inside the app; keep the last error line of the calling
// thread instead so it can go into the message of the Error we throw.
thread_local std::string t_lastFfmpegMessage;

void ffmpegLogCallback(void* avcl, int level, const char* fmt, va_list args) {
    if (level > AV_LOG_ERROR) return;
    char line[1024];
    int printPrefix = 0;
    va_list copy;
    va_copy(copy, args);
    av_log_format_line2(avcl, level, fmt, copy, line, sizeof line, &printPrefix);
    va_end(copy);
    std::string text(line);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
    if (!text.empty()) t_lastFfmpegMessage = text;
}

void quietFfmpeg() {
    static std::once_flag once;
    std::call_once(once, [] {
        av_log_set_level(AV_LOG_ERROR);
        av_log_set_callback(ffmpegLogCallback);
    });
}

std::string errorText(int code) {
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, buffer, sizeof buffer);
    return buffer;
}

// " (FFmpeg: ...)" with the most specific thing FFmpeg said, or nothing.
std::string ffmpegDetail(int code) {
    std::string detail = code < 0 ? errorText(code) : std::string();
    if (!t_lastFfmpegMessage.empty())
        detail = detail.empty() ? t_lastFfmpegMessage : detail + "; " + t_lastFfmpegMessage;
    return detail.empty() ? std::string() : " (FFmpeg: " + detail + ")";
}

struct FormatCloser {
    void operator()(AVFormatContext* p) const { avformat_close_input(&p); }
};
struct CodecCloser {
    void operator()(AVCodecContext* p) const { avcodec_free_context(&p); }
};
struct SwrCloser {
    void operator()(SwrContext* p) const { swr_free(&p); }
};
struct PacketCloser {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct FrameCloser {
    void operator()(AVFrame* p) const { av_frame_free(&p); }
};

void checkFile(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(fs::u8path(path), ec);
    if (ec || !fs::exists(status)) throw Error(path, "The audio file does not exist.");
    if (fs::is_directory(status)) throw Error(path, "This is a folder, not an audio file.");
    const auto size = fs::file_size(fs::u8path(path), ec);
    if (!ec && size == 0) throw Error(path, "The file is empty (0 bytes); it contains no audio.");
}

// FFmpeg's WAV demuxer silently shortens the duration to what the file holds when the data chunk is cut
// off, so a truncated WAV would go unnoticed. Returns the duration the RIFF header declares when the data
// chunk runs past the end of the file, else 0.
double truncatedWavDeclaredSeconds(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto fileSize = static_cast<std::uint64_t>(fs::file_size(fs::u8path(path), ec));
    if (ec) return 0;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) return 0;
    std::vector<unsigned char> head(65536);
    head.resize(std::fread(head.data(), 1, head.size(), file));
    std::fclose(file);
    auto u32 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(head[at]) | static_cast<std::uint32_t>(head[at + 1]) << 8 |
               static_cast<std::uint32_t>(head[at + 2]) << 16 | static_cast<std::uint32_t>(head[at + 3]) << 24;
    };
    if (head.size() < 12 || std::memcmp(head.data(), "RIFF", 4) != 0 || std::memcmp(head.data() + 8, "WAVE", 4) != 0)
        return 0;
    std::uint32_t byteRate = 0;
    for (std::size_t pos = 12; pos + 8 <= head.size();) {
        const std::uint32_t size = u32(pos + 4);
        if (std::memcmp(head.data() + pos, "fmt ", 4) == 0 && pos + 20 <= head.size()) {
            byteRate = u32(pos + 16);
        } else if (std::memcmp(head.data() + pos, "data", 4) == 0) {
            // 0 and 0xFFFFFFFF are what streaming writers leave when they cannot seek back.
            if (size == 0 || size == 0xFFFFFFFFu || byteRate == 0) return 0;
            return pos + 8 + static_cast<std::uint64_t>(size) > fileSize ? static_cast<double>(size) / byteRate : 0;
        }
        pos += 8 + static_cast<std::size_t>(size) + (size & 1);
    }
    return 0;
}

}  // namespace

std::int64_t AudioInfo::expectedSamples() const {
    return durationSeconds > 0 ? static_cast<std::int64_t>(std::llround(durationSeconds * kSampleRate)) : 0;
}

struct AudioReader::Impl {
    std::string path;
    AudioReaderOptions options;
    AudioInfo info;

    std::unique_ptr<AVFormatContext, FormatCloser> format;
    std::unique_ptr<AVCodecContext, CodecCloser> codec;
    std::unique_ptr<SwrContext, SwrCloser> swr;
    std::unique_ptr<AVPacket, PacketCloser> packet;
    std::unique_ptr<AVFrame, FrameCloser> frame;
    int streamIndex = -1;

    // Input parameters the current SwrContext was built for; a change mid-stream rebuilds it (as FFmpeg's
    // CLI reconfigures its filter graph).
    AVChannelLayout swrLayout{};
    int swrFormat = -1;
    int swrRate = 0;

    std::vector<std::int16_t> converted;  // scratch for swr output
    std::vector<float> pending;           // decoded, not yet returned
    std::size_t pendingOffset = 0;

    bool demuxDone = false;
    bool decoderDrained = false;
    bool finished = false;
    int skippedPackets = 0;
    int lastDecodeError = 0;
    std::string lastDecodeMessage;
    int demuxError = 0;
    std::int64_t samplesProduced = 0;
    std::int64_t samplesRead = 0;

    ~Impl() { av_channel_layout_uninit(&swrLayout); }

    void open() {
        quietFfmpeg();
        checkFile(path);
        t_lastFfmpegMessage.clear();

        AVFormatContext* raw = nullptr;
        int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
        if (rc < 0)
            throw Error(path,
                        "FFmpeg does not recognise this file as audio or video; it is damaged or not a "
                        "media file" +
                            ffmpegDetail(rc) + ".");
        format.reset(raw);
        rc = avformat_find_stream_info(format.get(), nullptr);
        if (rc < 0)
            throw Error(path, "FFmpeg could not read the streams of this file; it is damaged or not a media file" +
                                  ffmpegDetail(rc) + ".");

        const AVCodec* decoder = nullptr;
        rc = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0);
        if (rc == AVERROR_STREAM_NOT_FOUND)
            throw Error(path, std::string("The file contains no audio stream (FFmpeg reads it as '") +
                                  format->iformat->name + "').");
        if (rc == AVERROR_DECODER_NOT_FOUND || (rc >= 0 && !decoder)) {
            const AVStream* s = rc >= 0 ? format->streams[rc] : nullptr;
            const char* codecName = s ? avcodec_get_name(s->codecpar->codec_id) : "unknown";
            throw Error(path, std::string("This FFmpeg build has no decoder for the audio codec '") + codecName + "'.");
        }
        if (rc < 0) throw Error(path, "FFmpeg could not select an audio stream" + ffmpegDetail(rc) + ".");
        streamIndex = rc;
        AVStream* stream = format->streams[streamIndex];

        codec.reset(avcodec_alloc_context3(decoder));
        if (!codec) throw Error(path, "Out of memory while opening the audio decoder.");
        rc = avcodec_parameters_to_context(codec.get(), stream->codecpar);
        if (rc < 0) throw Error(path, "FFmpeg could not configure the audio decoder" + ffmpegDetail(rc) + ".");
        codec->pkt_timebase = stream->time_base;
        rc = avcodec_open2(codec.get(), decoder, nullptr);
        if (rc < 0)
            throw Error(path, std::string("FFmpeg could not open the '") + decoder->name +
                                  "' audio decoder; the stream header is damaged" + ffmpegDetail(rc) + ".");

        info.path = path;
        info.container = format->iformat->name;
        info.codec = decoder->name;
        info.sourceSampleRate = stream->codecpar->sample_rate;
        if (info.sourceSampleRate != 0) checkSampleRate(info.sourceSampleRate);
        info.sourceChannels = stream->codecpar->ch_layout.nb_channels;
        if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
            info.durationSeconds = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
        else if (format->duration != AV_NOPTS_VALUE && format->duration > 0)
            info.durationSeconds = static_cast<double>(format->duration) / AV_TIME_BASE;
        info.durationExact =
            info.durationSeconds > 0 && format->duration_estimation_method != AVFMT_DURATION_FROM_BITRATE;
        if (info.container == "wav") {
            if (const double declared = truncatedWavDeclaredSeconds(path); declared > 0) {
                info.durationSeconds = declared;
                info.durationExact = true;
            }
        }
        if (info.sourceSampleRate <= 0 || info.sourceChannels <= 0)
            throw Error(path, "The audio stream declares no sample rate or no channels; the file is damaged.");

        // Other streams (video, cover art) are skipped by the demuxer instead of being read and dropped.
        for (unsigned i = 0; i < format->nb_streams; ++i)
            if (static_cast<int>(i) != streamIndex) format->streams[i]->discard = AVDISCARD_ALL;

        packet.reset(av_packet_alloc());
        frame.reset(av_frame_alloc());
        if (!packet || !frame) throw Error(path, "Out of memory while opening the audio decoder.");
    }

    // Builds (or rebuilds) the resampler for the frame's layout/format/rate: down-mix + resample + convert
    // to int16 in one libswresample context with default options, which is what FFmpeg's CLI filter graph
    // (`aresample` auto-inserted before `aformat=s16:16000:mono`) does for `-ac 1 -ar 16000 -f s16le`.
    // Converting straight to int16 matters: the down-mix matrix is normalised for integer output
    // (0.5 L + 0.5 R), not 0.707 as for float output.
    /// A damaged header can claim any rate; resampling from 1.6 GHz would build a filter for minutes.
    void checkSampleRate(int rate) const {
        if (rate < kMinSourceSampleRate || rate > kMaxSourceSampleRate)
            throw Error(path, "the audio says it has " + std::to_string(rate) + " samples per second; Benchtop reads " +
                                  std::to_string(kMinSourceSampleRate) + " to " + std::to_string(kMaxSourceSampleRate) +
                                  " (the file's header is probably damaged).");
    }

    void configureResampler(const AVFrame& f) {
        checkSampleRate(f.sample_rate);
        AVChannelLayout inLayout{};
        if (f.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || f.ch_layout.nb_channels <= 0) {
            av_channel_layout_default(&inLayout,
                                      f.ch_layout.nb_channels > 0 ? f.ch_layout.nb_channels : info.sourceChannels);
        } else {
            av_channel_layout_copy(&inLayout, &f.ch_layout);
        }
        const bool same = swr && swrFormat == f.format && swrRate == f.sample_rate &&
                          av_channel_layout_compare(&swrLayout, &inLayout) == 0;
        if (same) {
            av_channel_layout_uninit(&inLayout);
            return;
        }
        if (swr) drainResampler();

        AVChannelLayout mono{};
        av_channel_layout_default(&mono, 1);
        SwrContext* raw = nullptr;
        int rc = swr_alloc_set_opts2(&raw, &mono, AV_SAMPLE_FMT_S16, kSampleRate, &inLayout,
                                     static_cast<AVSampleFormat>(f.format), f.sample_rate, 0, nullptr);
        av_channel_layout_uninit(&mono);
        if (rc >= 0 && raw) rc = swr_init(raw);
        if (rc < 0) {
            swr_free(&raw);
            av_channel_layout_uninit(&inLayout);
            throw Error(path, "FFmpeg could not set up down-mixing/resampling to 16 kHz mono" + ffmpegDetail(rc) + ".");
        }
        swr.reset(raw);
        av_channel_layout_uninit(&swrLayout);
        swrLayout = inLayout;  // takes ownership
        swrFormat = f.format;
        swrRate = f.sample_rate;
    }

    void appendConverted(int count) {
        const std::size_t old = pending.size();
        pending.resize(old + static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) pending[old + i] = static_cast<float>(converted[i]) / 32768.0f;
        samplesProduced += count;
    }

    void convert(const std::uint8_t** input, int inCount) {
        const int capacity = swr_get_out_samples(swr.get(), inCount) + 32;
        if (converted.size() < static_cast<std::size_t>(capacity)) converted.resize(static_cast<std::size_t>(capacity));
        std::uint8_t* out[1] = {reinterpret_cast<std::uint8_t*>(converted.data())};
        const int n = swr_convert(swr.get(), out, capacity, input, inCount);
        if (n < 0) throw Error(path, "FFmpeg failed while resampling the audio" + ffmpegDetail(n) + ".");
        appendConverted(n);
    }

    void drainResampler() {
        if (!swr) return;
        for (;;) {
            const std::size_t before = pending.size();
            convert(nullptr, 0);
            if (pending.size() == before) break;
        }
    }

    void receiveFrames() {
        for (;;) {
            const int rc = avcodec_receive_frame(codec.get(), frame.get());
            if (rc == AVERROR(EAGAIN)) return;
            if (rc == AVERROR_EOF) {
                decoderDrained = true;
                return;
            }
            if (rc < 0) {
                // Like FFmpeg's CLI: a bad frame is skipped, decoding goes on.
                noteDecodeError(rc);
                continue;
            }
            if (frame->nb_samples > 0) {
                configureResampler(*frame);
                convert(const_cast<const std::uint8_t**>(frame->extended_data), frame->nb_samples);
            }
            av_frame_unref(frame.get());
        }
    }

    void noteDecodeError(int rc) {
        ++skippedPackets;
        lastDecodeError = rc;
        lastDecodeMessage = t_lastFfmpegMessage;
    }

    // Decodes until `wanted` samples are pending or the stream ends.
    void fill(std::size_t wanted) {
        while (!finished && pending.size() - pendingOffset < wanted) {
            if (!demuxDone) {
                const int rc = av_read_frame(format.get(), packet.get());
                if (rc < 0) {
                    // FFmpeg's CLI also ends the input on a read error; a short result is caught below.
                    if (rc != AVERROR_EOF) demuxError = rc;
                    demuxDone = true;
                    avcodec_send_packet(codec.get(), nullptr);
                    receiveFrames();
                    continue;
                }
                if (packet->stream_index == streamIndex) {
                    const int sent = avcodec_send_packet(codec.get(), packet.get());
                    if (sent < 0 && sent != AVERROR(EAGAIN)) noteDecodeError(sent);
                    receiveFrames();
                }
                av_packet_unref(packet.get());
            } else {
                if (!decoderDrained) {
                    receiveFrames();
                    decoderDrained = true;
                }
                drainResampler();
                finished = true;
                checkComplete();
            }
        }
    }

    void checkComplete() {
        if (samplesProduced == 0) {
            if (skippedPackets > 0) {
                t_lastFfmpegMessage = lastDecodeMessage;
                throw Error(path, "FFmpeg could not decode any audio from this " + info.container +
                                      " file; it is damaged or not really " + info.codec + " audio" +
                                      ffmpegDetail(lastDecodeError) + ".");
            }
            if (demuxError < 0)
                throw Error(path, "FFmpeg could not read any audio from this file; it is damaged or truncated" +
                                      ffmpegDetail(demuxError) + ".");
            throw Error(path, "The file contains no audio samples (its audio stream is empty).");
        }
        const std::int64_t expected = info.durationExact ? info.expectedSamples() : 0;
        // Container durations include codec priming/padding (MP3 ~50 ms, AAC 2112 samples); half a second
        // plus 1 % separates those from a file that was really cut short.
        const std::int64_t slack = kSampleRate / 2 + expected / 100;
        if (options.rejectTruncated && expected > 0 && samplesProduced + slack < expected) {
            char message[256];
            std::snprintf(message, sizeof message,
                          "The file ends early: only %.2f s of audio could be decoded but its header declares "
                          "%.2f s. It is truncated or damaged; re-download or re-export it.",
                          static_cast<double>(samplesProduced) / kSampleRate, info.durationSeconds);
            throw Error(path, message);
        }
    }
};

AudioReader::AudioReader(const std::string& path, AudioReaderOptions options) : m(std::make_unique<Impl>()) {
    m->path = path;
    m->options = options;
    m->open();
}

AudioReader::~AudioReader() = default;

const AudioInfo& AudioReader::info() const {
    return m->info;
}

std::size_t AudioReader::read(std::vector<float>& out, std::size_t maxSamples) {
    if (maxSamples == 0) return 0;
    m->fill(maxSamples);
    const std::size_t available = m->pending.size() - m->pendingOffset;
    const std::size_t n = std::min(available, maxSamples);
    out.insert(out.end(), m->pending.begin() + static_cast<std::ptrdiff_t>(m->pendingOffset),
               m->pending.begin() + static_cast<std::ptrdiff_t>(m->pendingOffset + n));
    m->pendingOffset += n;
    // Keep the pending buffer small: drop what was handed out once it is most of the buffer.
    if (m->pendingOffset > 0 && m->pendingOffset * 2 >= m->pending.size()) {
        m->pending.erase(m->pending.begin(), m->pending.begin() + static_cast<std::ptrdiff_t>(m->pendingOffset));
        m->pendingOffset = 0;
    }
    m->samplesRead += static_cast<std::int64_t>(n);
    return n;
}

bool AudioReader::atEnd() const {
    return m->finished && m->pendingOffset == m->pending.size();
}

std::int64_t AudioReader::samplesRead() const {
    return m->samplesRead;
}

int AudioReader::skippedPackets() const {
    return m->skippedPackets;
}

AudioInfo probeAudio(const std::string& path) {
    AudioReader reader(path);
    return reader.info();
}

std::vector<float> decodeFile(const std::string& path, AudioReaderOptions options) {
    AudioReader reader(path, options);
    std::vector<float> samples;
    // The header's length is a hint, not a promise (a lying header declared 28 hours): reserve at most
    // 10 minutes up front and let longer audio grow the buffer as it is really decoded.
    if (const std::int64_t expected = reader.info().expectedSamples(); expected > 0)
        samples.reserve(static_cast<std::size_t>(std::min<std::int64_t>(expected + kSampleRate, 600LL * kSampleRate)));
    constexpr std::size_t kChunk = 30 * kSampleRate;
    while (reader.read(samples, kChunk) > 0) {
    }
    samples.shrink_to_fit();
    return samples;
}

}  // namespace benchtop::audio
