#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <nlohmann/json.hpp>

#include "core/audio/audio_reader.h"
#include "core/audio/log_mel.h"
#include "tests/core/audio/golden_reader.h"
#include "tests/support/shared_paths.h"

using namespace benchtop::audio;

namespace {

struct Diff {
    double maxAbs = 0;
    double meanAbs = 0;
};

Diff compare(const MelSpectrogram& mel, const benchtop::test::GoldenMatrix& golden) {
    REQUIRE(golden.shape.size() == 2);
    REQUIRE(mel.nMels == golden.shape[0]);
    REQUIRE(mel.nFrames == golden.shape[1]);
    REQUIRE(mel.data.size() == golden.values.size());
    Diff d;
    for (std::size_t i = 0; i < mel.data.size(); ++i) {
        const double e = std::abs(static_cast<double>(mel.data[i]) - golden.values[i]);
        d.maxAbs = std::max(d.maxAbs, e);
        d.meanAbs += e;
    }
    d.meanAbs /= static_cast<double>(mel.data.size());
    return d;
}

// README tolerance for a mel computed from identical samples.
void checkWithinTolerance(const Diff& d) {
    INFO("max abs " << d.maxAbs << ", mean abs " << d.meanAbs);
    CHECK(d.maxAbs <= 2e-4);
    CHECK(d.meanAbs <= 1e-5);
}

}  // namespace

TEST_CASE("80-bin mel filters equal openai's mel_80 bit for bit", "[audio][mel]") {
    // tiny-whisper-v2's preprocessor_config.json embeds openai's mel_filters.npz["mel_80"] (80 x 201).
    const std::string text =
        benchtop::test::readFile(benchtop::test::sharedPath("models/tiny-whisper-v2/preprocessor_config.json"));
    const nlohmann::json config = nlohmann::json::parse(text);
    const nlohmann::json& rows = config.at("mel_filters");
    REQUIRE(rows.size() == 80);
    REQUIRE(rows[0].size() == kNFreqs);

    const std::vector<float> filters = melFilterBank(80);
    REQUIRE(filters.size() == 80u * kNFreqs);
    int mismatches = 0;
    double worst = 0;
    for (int m = 0; m < 80; ++m) {
        for (int k = 0; k < kNFreqs; ++k) {
            const float expected = static_cast<float>(rows[m][k].get<double>());
            const float actual = filters[static_cast<std::size_t>(m) * kNFreqs + k];
            mismatches += actual != expected;
            worst = std::max(worst, std::abs(static_cast<double>(actual) - expected));
        }
    }
    INFO("max abs diff " << worst);
    CHECK(mismatches == 0);
}

TEST_CASE("128-bin mel filters: slaney triangles with area-normalised peaks", "[audio][mel]") {
    const std::vector<float> filters = melFilterBank(128);
    REQUIRE(filters.size() == 128u * kNFreqs);
    CHECK(std::all_of(filters.begin(), filters.end(), [](float v) { return v >= 0.0f; }));
    // Slaney scale: 200/3 Hz per mel below 1 kHz; 130 points from 0 to 45.245 mel, so the lowest triangle
    // spans 0..46.8 Hz peaking at 23.4 Hz. Bin 1 (40 Hz) is on its falling edge, scaled by 2 / width.
    const double melStep = (15.0 + std::log(8000.0 / 1000.0) / (std::log(6.4) / 27.0)) / 129.0;
    const double hzStep = melStep * 200.0 / 3.0;
    const double expected = ((2 * hzStep - 40.0) / hzStep) * (2.0 / (2 * hzStep));
    CHECK(std::abs(filters[1] - expected) < 1e-7);
    CHECK(filters[0] == 0.0f);
    // Past Nyquist nothing; bins of the top filter end at 8 kHz.
    CHECK(filters[127u * kNFreqs + 200] == 0.0f);
    CHECK(filters[127u * kNFreqs + 199] > 0.0f);
}

TEST_CASE("log-mel of every fixture matches openai's log_mel_spectrogram", "[audio][mel]") {
    const std::string name = GENERATE("jfk.flac", "en_espeak.wav", "zh_espeak.wav", "sine440.wav", "long45.wav",
                                      "en_stereo44k.mp3", "en_stereo44k.ogg");
    CAPTURE(name);
    const benchtop::tensor::SafetensorsFile golden(benchtop::test::whisperExpected("mel." + name + ".safetensors"));
    const std::vector<float> audio = decodeFile(benchtop::test::whisperAudio(name));
    const std::int64_t contentFrames = benchtop::test::readI64Scalar(golden, "content_frames");
    REQUIRE(contentFrames == static_cast<std::int64_t>(audio.size()) / kHopLength);

    for (const int nMels : {80, 128}) {
        CAPTURE(nMels);
        const std::string prefix = "mel" + std::to_string(nMels);

        // mel*_full: log_mel_spectrogram(audio, n_mels), no padding.
        const MelSpectrogram full = logMelSpectrogram(audio, nMels);
        CHECK(full.nFrames == contentFrames);
        checkWithinTolerance(compare(full, benchtop::test::readF32(golden, prefix + "_full")));

        // mel*_window0: transcribe()'s first window (30 s of zeros appended before the STFT).
        const MelSpectrogram padded = logMelSpectrogram(audio, nMels, kChunkSamples);
        CHECK(padded.nFrames == contentFrames + kChunkFrames);
        checkWithinTolerance(
            compare(melWindow(padded, 0, contentFrames), benchtop::test::readF32(golden, prefix + "_window0")));
        if (name == "long45.wav") {
            checkWithinTolerance(compare(melWindow(padded, kChunkFrames, contentFrames),
                                         benchtop::test::readF32(golden, prefix + "_window30s")));
        }
    }
}

TEST_CASE("LogMelStream fed in uneven chunks equals the one-shot spectrogram", "[audio][mel]") {
    const std::vector<float> audio = decodeFile(benchtop::test::whisperAudio("long45.wav"));
    const MelSpectrogram oneShot = logMelSpectrogram(audio, 80, kChunkSamples);

    LogMelStream stream(80);
    const std::size_t sizes[] = {1, 150, 7, 16000, 401, 3333, 160};
    std::size_t pos = 0, call = 0;
    while (pos < audio.size()) {
        const std::size_t n = std::min(sizes[call++ % 7], audio.size() - pos);
        stream.push(audio.data() + pos, n);
        pos += n;
    }
    CHECK(stream.frameCount() < static_cast<std::int64_t>(audio.size()) / kHopLength);  // end frames wait
    stream.finish(kChunkSamples);
    CHECK(stream.contentFrames() == 4500);
    CHECK(stream.frameCount() == 4500 + kChunkFrames);
    const MelSpectrogram streamed = stream.spectrogram();
    CHECK(streamed.nFrames == oneShot.nFrames);
    CHECK(streamed.data == oneShot.data);

    const MelSpectrogram second = stream.window(kChunkFrames);
    CHECK(second.data == melWindow(oneShot, kChunkFrames, 4500).data);
    // Frames before the seek point can be dropped; later windows are unchanged.
    stream.discardBefore(2000);
    CHECK(stream.window(kChunkFrames).data == second.data);
}

TEST_CASE("silence and very short inputs give the floor value, not a crash", "[audio][mel]") {
    // All zeros: log10(1e-10) = -10 everywhere, the clamp keeps it, (x + 4) / 4 = -1.5.
    const std::vector<float> silence(16000, 0.0f);
    const MelSpectrogram mel = logMelSpectrogram(silence, 80, kChunkSamples);
    CHECK(mel.nFrames == 100 + kChunkFrames);
    CHECK(std::all_of(mel.data.begin(), mel.data.end(), [](float v) { return v == -1.5f; }));

    const std::vector<float> tiny(100, 0.25f);
    const MelSpectrogram shortMel = logMelSpectrogram(tiny, 128);
    CHECK(shortMel.nFrames == 0);
    const MelSpectrogram shortPadded = logMelSpectrogram(tiny, 128, kChunkSamples);
    CHECK(shortPadded.nFrames == kChunkFrames);
    const MelSpectrogram window = melWindow(shortPadded, 0, 0);
    CHECK(window.nFrames == kChunkFrames);
    CHECK(std::all_of(window.data.begin(), window.data.end(), [](float v) { return v == 0.0f; }));
}
