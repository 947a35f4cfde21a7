#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/audio/audio_reader.h"
#include "core/common/error.h"
#include "tests/core/audio/golden_reader.h"
#include "tests/support/shared_paths.h"

using benchtop::Error;
using namespace benchtop::audio;
using benchtop::test::TempDir;
using Catch::Matchers::ContainsSubstring;

namespace {

// The samples of a 16-bit PCM WAV as int16 / 32768: what openai's load_audio gives for a file that is
// already 16 kHz mono s16 (no resampling).
std::vector<float> wavSamples(const std::string& path) {
    const std::string bytes = benchtop::test::readFile(path);
    REQUIRE(bytes.substr(0, 4) == "RIFF");
    REQUIRE(bytes.substr(8, 4) == "WAVE");
    std::size_t pos = 12;
    while (pos + 8 <= bytes.size()) {
        std::uint32_t size = 0;
        std::memcpy(&size, bytes.data() + pos + 4, 4);
        if (bytes.compare(pos, 4, "data") == 0) {
            const std::size_t count = std::min<std::size_t>(size, bytes.size() - pos - 8) / 2;
            std::vector<float> out(count);
            for (std::size_t i = 0; i < count; ++i) {
                std::int16_t v = 0;
                std::memcpy(&v, bytes.data() + pos + 8 + 2 * i, 2);
                out[i] = static_cast<float>(v) / 32768.0f;
            }
            return out;
        }
        pos += 8 + size + (size & 1);
    }
    FAIL("no data chunk in " << path);
    return {};
}

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A 16 kHz mono s16 WAV with the given samples.
std::string makeWav(const std::vector<std::int16_t>& samples, int rate = 16000) {
    auto u32 = [](std::uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [](std::uint16_t v) { return std::string(reinterpret_cast<const char*>(&v), 2); };
    const auto dataBytes = static_cast<std::uint32_t>(samples.size() * 2);
    std::string wav = "RIFF" + u32(36 + dataBytes) + "WAVE" + "fmt " + u32(16) + u16(1) + u16(1) +
                      u32(static_cast<std::uint32_t>(rate)) + u32(static_cast<std::uint32_t>(rate * 2)) + u16(2) +
                      u16(16) + "data" + u32(dataBytes);
    wav.append(reinterpret_cast<const char*>(samples.data()), dataBytes);
    return wav;
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    REQUIRE(a.size() == b.size());
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(a[i]) - b[i]));
    return worst;
}

// Runs `fn`, requires a benchtop::Error, returns its what().
template <class Fn>
std::string errorOf(Fn&& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    } catch (const std::exception& e) {
        FAIL("expected benchtop::Error, got std::exception: " << e.what());
    }
    FAIL("expected benchtop::Error, nothing was thrown");
    return {};
}

}  // namespace

TEST_CASE("compressed, stereo and 44.1 kHz files decode exactly as openai's load_audio", "[audio]") {
    const std::string name = GENERATE("jfk.flac", "en_stereo44k.mp3", "en_stereo44k.ogg");
    CAPTURE(name);
    const benchtop::tensor::SafetensorsFile golden(benchtop::test::whisperExpected("audio." + name + ".safetensors"));
    const auto expected = benchtop::test::readF32(golden, "samples");

    const std::vector<float> samples = decodeFile(benchtop::test::whisperAudio(name));
    REQUIRE(samples.size() == expected.values.size());
    // README: same decoder + libswresample defaults + int16 quantisation -> exact, or within one int16 step.
    const double diff = maxAbsDiff(samples, expected.values);
    CHECK(diff <= 1.0 / 32768);
    std::size_t exact = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) exact += samples[i] == expected.values[i];
    INFO("max abs diff " << diff << ", " << exact << " of " << samples.size() << " samples bit-exact");
    CHECK(exact == samples.size());
}

TEST_CASE("16 kHz mono WAVs decode to int16 / 32768 exactly", "[audio]") {
    const std::string name = GENERATE("en_espeak.wav", "zh_espeak.wav", "sine440.wav", "long45.wav");
    CAPTURE(name);
    const std::string path = benchtop::test::whisperAudio(name);
    const benchtop::tensor::SafetensorsFile mel(benchtop::test::whisperExpected("mel." + name + ".safetensors"));
    const std::vector<float> samples = decodeFile(path);
    CHECK(static_cast<std::int64_t>(samples.size()) == benchtop::test::readI64Scalar(mel, "n_samples"));
    const std::vector<float> expected = wavSamples(path);
    REQUIRE(samples.size() == expected.size());
    CHECK(samples == expected);
}

TEST_CASE("sample counts match the goldens for every fixture", "[audio]") {
    // n_samples from the mel goldens: jfk 176000, mp3/ogg 101250, ...
    const std::string name = GENERATE("jfk.flac", "en_espeak.wav", "zh_espeak.wav", "sine440.wav", "long45.wav",
                                      "en_stereo44k.mp3", "en_stereo44k.ogg");
    CAPTURE(name);
    const benchtop::tensor::SafetensorsFile mel(benchtop::test::whisperExpected("mel." + name + ".safetensors"));
    AudioReader reader(benchtop::test::whisperAudio(name));
    std::vector<float> all;
    while (reader.read(all, 16000) > 0) {
    }
    CHECK(reader.atEnd());
    CHECK(reader.skippedPackets() == 0);
    CHECK(reader.samplesRead() == benchtop::test::readI64Scalar(mel, "n_samples"));
    CHECK(static_cast<std::int64_t>(all.size()) == reader.samplesRead());
}

TEST_CASE("streaming in small uneven chunks gives the same samples as decodeFile", "[audio]") {
    const std::string path = benchtop::test::whisperAudio("en_stereo44k.mp3");
    const std::vector<float> whole = decodeFile(path);
    AudioReader reader(path);
    std::vector<float> streamed;
    const std::size_t sizes[] = {1, 7, 1000, 333, 4096, 16000};
    std::size_t calls = 0;
    for (;;) {
        const std::size_t want = sizes[calls++ % 6];
        const std::size_t got = reader.read(streamed, want);
        if (got == 0) break;
        if (got < want) CHECK(reader.atEnd());
    }
    CHECK(reader.read(streamed, 100) == 0);
    CHECK(streamed == whole);
}

TEST_CASE("probeAudio reports container, codec, rate, channels and duration", "[audio]") {
    const AudioInfo flac = probeAudio(benchtop::test::whisperAudio("jfk.flac"));
    CHECK(flac.container == "flac");
    CHECK(flac.codec == "flac");
    CHECK(flac.sourceSampleRate == 44100);
    CHECK(flac.sourceChannels == 2);
    CHECK(std::abs(flac.durationSeconds - 11.0) < 1e-9);
    CHECK(flac.durationExact);
    CHECK(flac.expectedSamples() == 176000);

    const AudioInfo wav = probeAudio(benchtop::test::whisperAudio("long45.wav"));
    CHECK(wav.container == "wav");
    CHECK(wav.codec == "pcm_s16le");
    CHECK(wav.sourceSampleRate == 16000);
    CHECK(wav.sourceChannels == 1);
    CHECK(std::abs(wav.durationSeconds - 45.0) < 1e-9);

    const AudioInfo mp3 = probeAudio(benchtop::test::whisperAudio("en_stereo44k.mp3"));
    CHECK(mp3.container == "mp3");
    CHECK(mp3.sourceChannels == 2);
    // SOURCES.md: the container reports 6.374 s including encoder delay and padding.
    CHECK(std::abs(mp3.durationSeconds - 6.374) < 0.01);

    const AudioInfo ogg = probeAudio(benchtop::test::whisperAudio("en_stereo44k.ogg"));
    CHECK(ogg.container == "ogg");
    CHECK(ogg.codec == "vorbis");
    CHECK(std::abs(ogg.durationSeconds - 6.328) < 0.01);
}

TEST_CASE("a silent file decodes to zeros", "[audio]") {
    TempDir dir;
    const std::string path = dir.file("silence.wav");
    writeBytes(path, makeWav(std::vector<std::int16_t>(24000, 0)));
    const std::vector<float> samples = decodeFile(path);
    REQUIRE(samples.size() == 24000);
    CHECK(std::all_of(samples.begin(), samples.end(), [](float v) { return v == 0.0f; }));
}

TEST_CASE("8 kHz WAV is resampled to 16 kHz", "[audio]") {
    TempDir dir;
    const std::string path = dir.file("tone8k.wav");
    std::vector<std::int16_t> tone(8000);
    for (std::size_t i = 0; i < tone.size(); ++i)
        tone[i] = static_cast<std::int16_t>(std::lround(8000 * std::sin(2 * 3.14159265358979 * 200 * i / 8000.0)));
    writeBytes(path, makeWav(tone, 8000));
    const std::vector<float> samples = decodeFile(path);
    CHECK(samples.size() == 16000);
    // A 200 Hz tone of amplitude 8000/32768 survives resampling: check the middle stays at that level.
    float peak = 0;
    for (std::size_t i = 4000; i < 12000; ++i) peak = std::max(peak, std::abs(samples[i]));
    CHECK(std::abs(peak - 8000.0f / 32768) < 2e-3);
}

TEST_CASE("bad audio files throw errors naming the file and the problem", "[audio]") {
    TempDir dir;

    SECTION("missing file") {
        const std::string path = dir.file("nothere.wav");
        const std::string what = errorOf([&] { decodeFile(path); });
        CHECK_THAT(what, ContainsSubstring(path) && ContainsSubstring("does not exist"));
    }
    SECTION("zero-length file") {
        const std::string path = dir.file("empty.flac");
        writeBytes(path, "");
        const std::string what = errorOf([&] { decodeFile(path); });
        CHECK_THAT(what, ContainsSubstring(path) && ContainsSubstring("empty"));
    }
    SECTION("random bytes named .wav") {
        const std::string path = dir.file("noise.wav");
        std::mt19937 rng(1234);
        std::string bytes(64 * 1024, '\0');
        for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
        writeBytes(path, bytes);
        const std::string what = errorOf([&] { decodeFile(path); });
        CHECK_THAT(what, ContainsSubstring(path) && ContainsSubstring("damaged"));
    }
    SECTION("text file named .mp3") {
        const std::string path = dir.file("notes.mp3");
        std::string text;
        for (int i = 0; i < 200; ++i)
            text += "This is a plain text file, line " + std::to_string(i) + ", not audio at all.\n";
        writeBytes(path, text);
        const std::string what = errorOf([&] { decodeFile(path); });
        CHECK_THAT(what, ContainsSubstring(path) && ContainsSubstring("damaged"));
    }
    SECTION("truncated mp3") {
        const std::string full = benchtop::test::readFile(benchtop::test::whisperAudio("en_stereo44k.mp3"));
        const std::string path = dir.file("cut.mp3");
        writeBytes(path, full.substr(0, full.size() / 2));
        const std::string what = errorOf([&] { decodeFile(path); });
        CHECK_THAT(what, ContainsSubstring(path) && ContainsSubstring("truncated") &&
                             ContainsSubstring("header declares 6.37 s"));
        // Asked to, the reader returns the part that is there (about half of the 101250 samples).
        AudioReaderOptions lenient;
        lenient.rejectTruncated = false;
        const std::vector<float> part = decodeFile(path, lenient);
        CHECK(part.size() > 40000);
        CHECK(part.size() < 60000);
    }
    SECTION("mp3 cut inside its first frame") {
        const std::string full = benchtop::test::readFile(benchtop::test::whisperAudio("en_stereo44k.mp3"));
        const std::string path = dir.file("stub.mp3");
        writeBytes(path, full.substr(0, 300));
        const std::string what = errorOf([&] { decodeFile(path); });
        CHECK_THAT(what, ContainsSubstring(path));
    }
    SECTION("truncated flac") {
        const std::string full = benchtop::test::readFile(benchtop::test::whisperAudio("jfk.flac"));
        const std::string path = dir.file("cut.flac");
        writeBytes(path, full.substr(0, full.size() / 3));
        const std::string what = errorOf([&] { decodeFile(path); });
        CHECK_THAT(what, ContainsSubstring(path) && ContainsSubstring("truncated") &&
                             ContainsSubstring("header declares 11.00 s"));
    }
    SECTION("truncated wav") {
        // FFmpeg itself would quietly return the 15.6 s that are left; the RIFF header says 45 s.
        const std::string full = benchtop::test::readFile(benchtop::test::whisperAudio("long45.wav"));
        const std::string path = dir.file("cut.wav");
        writeBytes(path, full.substr(0, 500000));
        const std::string what = errorOf([&] { decodeFile(path); });
        CHECK_THAT(what, ContainsSubstring(path) && ContainsSubstring("only 15.62 s") &&
                             ContainsSubstring("header declares 45.00 s"));
    }
    SECTION("a WAV header without samples") {
        const std::string path = dir.file("header-only.wav");
        writeBytes(path, makeWav({}));
        const std::string what = errorOf([&] { decodeFile(path); });
        CHECK_THAT(what, ContainsSubstring(path) && ContainsSubstring("no audio"));
    }
    SECTION("a folder") {
        const std::string what = errorOf([&] { decodeFile(dir.path()); });
        CHECK_THAT(what, ContainsSubstring(dir.path()) && ContainsSubstring("folder"));
    }
}

TEST_CASE("fuzz regressions: a header that declares hours of audio does not allocate them", "[audio][fuzz]") {
    // Found by fuzz_audio: decodeFile reserved the header's 134,217 s (6.4 GB) before decoding 0.5 s.
    AudioReaderOptions lenient;
    lenient.rejectTruncated = false;
    const auto samples =
        decodeFile(std::string(BENCHTOP_SOURCE_DIR) + "/tests/data/hostile/speech/lying_sizes.wav", lenient);
    CHECK(samples.size() == 8000);
    CHECK(samples.capacity() <= std::size_t(601) * 16000);
}

TEST_CASE("a header claiming an absurd sample rate is refused at once, not resampled for minutes", "[audio]") {
    TempDir dir;
    // Found by fuzz_audio: a WAV whose fmt chunk says 1,601,071,488 samples per second.
    const std::string damaged(
        "\x52\x49\x46\x46\xa4\x0c\x00\x00\x57\x41\x56\x45\x66\x6d\x74\x20\x10\x00\x00\x00\x01\x00\x01\x00"
        "\x80\x69\x6e\x5f\x00\x7d\x00\x00\x02\x00\x10\x00\x64\x61\x74\x61\x80\x0c\x00\x00\xc0\xe0\xc0\xe0"
        "\xc0\xe0\xc0\xe0\xc0\xe0\xc0\xe0\xc0\xe0\xc0\xe0\xc0\x52\x49\x46\x46\xa4\x0c\x00\x00\x57\x41\x56"
        "\xe0\xc0\xe0\xc0\x45\xe0",
        78);
    const std::string path = dir.file("damaged.wav");
    writeBytes(path, damaged);
    const std::string error = errorOf([&] { decodeFile(path); });
    CHECK_THAT(error, ContainsSubstring("damaged.wav") && ContainsSubstring("1601071488 samples per second") &&
                          ContainsSubstring("header is probably damaged"));
    // The bounds themselves: 1 kHz and 768 kHz are read, just outside is not.
    for (const int rate : {1000, 768000}) {
        const std::string ok = dir.file("rate-" + std::to_string(rate) + ".wav");
        writeBytes(ok, makeWav(std::vector<std::int16_t>(static_cast<std::size_t>(rate / 10), 0), rate));
        CHECK_NOTHROW(decodeFile(ok));
    }
    const std::string low = dir.file("rate-999.wav");
    writeBytes(low, makeWav(std::vector<std::int16_t>(100, 0), 999));
    CHECK_THAT(errorOf([&] { decodeFile(low); }), ContainsSubstring("999 samples per second"));
}
