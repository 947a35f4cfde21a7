#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/generators/catch_generators_range.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/audio/audio_reader.h"
#include "core/audio/log_mel.h"
#include "core/audio/whisper_model.h"
#include "core/common/error.h"
#include "tests/core/audio/golden_reader.h"
#include "tests/support/shared_paths.h"

using namespace benchtop::audio;
using benchtop::test::GoldenMatrix;
using benchtop::test::readF32;

namespace {

const char* const kAudioFiles[] = {"jfk.flac",   "en_espeak.wav",    "zh_espeak.wav",   "sine440.wav",
                                   "long45.wav", "en_stereo44k.mp3", "en_stereo44k.ogg"};

std::string modelFolder(const std::string& model) {
    return benchtop::test::sharedPath("models/" + model);
}

// One model per test process: loading is cheap, but keeping it avoids repeating it per GENERATE value.
const WhisperModel& model(const std::string& name) {
    static std::map<std::string, std::unique_ptr<WhisperModel>> models;
    auto& slot = models[name];
    if (!slot) slot = std::make_unique<WhisperModel>(modelFolder(name));
    return *slot;
}

MelSpectrogram goldenWindow(const std::string& audio, int nMels) {
    const benchtop::tensor::SafetensorsFile mel(benchtop::test::whisperExpected("mel." + audio + ".safetensors"));
    const GoldenMatrix m = readF32(mel, "mel" + std::to_string(nMels) + "_window0");
    MelSpectrogram out;
    out.nMels = static_cast<int>(m.shape[0]);
    out.nFrames = m.shape[1];
    out.data = m.values;
    return out;
}

struct Compare {
    double relL2 = 0;
    double maxAbs = 0;
};

Compare compare(const std::vector<float>& actual, const std::vector<float>& expected) {
    REQUIRE(actual.size() == expected.size());
    double diff2 = 0, ref2 = 0, maxAbs = 0;
    for (std::size_t i = 0; i < actual.size(); ++i) {
        const double d = static_cast<double>(actual[i]) - expected[i];
        diff2 += d * d;
        ref2 += static_cast<double>(expected[i]) * expected[i];
        maxAbs = std::max(maxAbs, std::abs(d));
    }
    return {std::sqrt(diff2 / ref2), maxAbs};
}

std::size_t argmax(const float* row, std::size_t n) {
    return static_cast<std::size_t>(std::max_element(row, row + n) - row);
}

}  // namespace

TEST_CASE("WhisperConfig reads both HF layouts", "[audio][whisper]") {
    const WhisperConfig v3 = WhisperConfig::fromFile(modelFolder("tiny-whisper-v3") + "/config.json");
    CHECK(v3.nMels == 128);
    CHECK(v3.dModel == 64);
    CHECK(v3.encoderHeads == 2);
    CHECK(v3.encoderLayers == 2);
    CHECK(v3.decoderLayers == 2);
    CHECK(v3.encoderFfn == 256);
    CHECK(v3.vocabSize == 51866);
    CHECK(v3.isV3());
    const WhisperConfig v2 = WhisperConfig::fromFile(modelFolder("tiny-whisper-v2") + "/config.json");
    CHECK(v2.nMels == 80);
    CHECK(v2.dModel == 96);
    CHECK(v2.decoderHeads == 3);
    CHECK(v2.decoderFfn == 384);
    CHECK(v2.vocabSize == 51865);
    CHECK(v2.maxTargetPositions == 448);
}

TEST_CASE("encoder output matches openai for every fixture window", "[audio][whisper]") {
    const std::string modelName = GENERATE("tiny-whisper-v3", "tiny-whisper-v2");
    const std::string audio = GENERATE(from_range(std::begin(kAudioFiles), std::end(kAudioFiles)));
    CAPTURE(modelName, audio);
    const WhisperModel& m = model(modelName);
    const benchtop::tensor::SafetensorsFile golden(
        benchtop::test::whisperExpected(modelName + "/encoder." + audio + ".safetensors"));
    const GoldenMatrix expected = readF32(golden, "encoder_out");
    REQUIRE(expected.shape == std::vector<std::int64_t>{1500, m.config().dModel});

    const std::vector<float> out = m.encode(goldenWindow(audio, m.config().nMels));
    const Compare c = compare(out, expected.values);
    INFO("rel-L2 " << c.relL2 << ", max abs " << c.maxAbs);
    // README tolerance: rel-L2 <= 1e-4 (expect ~1e-6), max abs <= 1e-3.
    CHECK(c.relL2 <= 1e-4);
    CHECK(c.maxAbs <= 1e-3);
}

TEST_CASE("decode -> log-mel -> encoder end to end matches openai's encoder output", "[audio][whisper]") {
    const std::string modelName = GENERATE("tiny-whisper-v3", "tiny-whisper-v2");
    CAPTURE(modelName);
    const WhisperModel& m = model(modelName);
    const std::vector<float> samples = decodeFile(benchtop::test::whisperAudio("en_stereo44k.mp3"));
    const MelSpectrogram padded = logMelSpectrogram(samples, m.config().nMels, kChunkSamples);
    const MelSpectrogram window = melWindow(padded, 0, static_cast<std::int64_t>(samples.size()) / kHopLength);
    const benchtop::tensor::SafetensorsFile golden(
        benchtop::test::whisperExpected(modelName + "/encoder.en_stereo44k.mp3.safetensors"));
    const Compare c = compare(m.encode(window), readF32(golden, "encoder_out").values);
    INFO("rel-L2 " << c.relL2 << ", max abs " << c.maxAbs);
    CHECK(c.relL2 <= 1e-4);
    CHECK(c.maxAbs <= 1e-3);
}

TEST_CASE("decoder logits match openai with and without the KV cache (jfk)", "[audio][whisper]") {
    const std::string modelName = GENERATE("tiny-whisper-v3", "tiny-whisper-v2");
    CAPTURE(modelName);
    const WhisperModel& m = model(modelName);
    const std::size_t vocab = static_cast<std::size_t>(m.config().vocabSize);
    const benchtop::tensor::SafetensorsFile encoder(
        benchtop::test::whisperExpected(modelName + "/encoder.jfk.flac.safetensors"));
    const std::vector<float> encoderOut = readF32(encoder, "encoder_out").values;
    const benchtop::tensor::SafetensorsFile golden(
        benchtop::test::whisperExpected(modelName + "/logits.jfk.flac.safetensors"));
    const benchtop::tensor::TensorInfo& tokenInfo = golden.info("tokens");
    REQUIRE(tokenInfo.shape == std::vector<std::int64_t>{13});
    std::vector<std::int64_t> tokens(13);
    std::memcpy(tokens.data(), golden.bytes("tokens").data, 13 * sizeof(std::int64_t));
    const GoldenMatrix full = readF32(golden, "logits_full");
    const GoldenMatrix kv = readF32(golden, "logits_kv");
    REQUIRE(full.shape == std::vector<std::int64_t>{13, static_cast<std::int64_t>(vocab)});

    const std::vector<float> logits = m.logits(encoderOut, tokens);
    const Compare cf = compare(logits, full.values);
    INFO("full: max abs " << cf.maxAbs);
    CHECK(cf.maxAbs <= 5e-3);

    // openai's cached path: the 3-token prompt in one call, then the 10 forced tokens one by one.
    WhisperModel::Session session = m.startSession(encoderOut);
    std::vector<float> cached = session.step({tokens.begin(), tokens.begin() + 3});
    for (std::size_t i = 3; i < tokens.size(); ++i) {
        const std::vector<float> row = session.step({tokens[i]});
        REQUIRE(row.size() == vocab);
        cached.insert(cached.end(), row.begin(), row.end());
    }
    CHECK(session.length() == 13);
    const Compare ck = compare(cached, kv.values);
    INFO("kv: max abs " << ck.maxAbs);
    CHECK(ck.maxAbs <= 5e-3);
    CHECK(compare(cached, logits).maxAbs <= 1e-3);

    for (std::size_t r = 0; r < 13; ++r) {
        CAPTURE(r);
        CHECK(argmax(&logits[r * vocab], vocab) == argmax(&full.values[r * vocab], vocab));
        CHECK(argmax(&cached[r * vocab], vocab) == argmax(&kv.values[r * vocab], vocab));
    }
}

TEST_CASE("decoder top-10 logits match openai for every fixture", "[audio][whisper]") {
    const std::string modelName = GENERATE("tiny-whisper-v3", "tiny-whisper-v2");
    CAPTURE(modelName);
    const WhisperModel& m = model(modelName);
    const std::size_t vocab = static_cast<std::size_t>(m.config().vocabSize);
    const nlohmann::json golden = nlohmann::json::parse(
        benchtop::test::readFile(benchtop::test::whisperExpected(modelName + "/decoder_logits.json")));
    const std::vector<std::int64_t> tokens = golden.at("tokens").get<std::vector<std::int64_t>>();

    for (const char* audio : kAudioFiles) {
        CAPTURE(audio);
        const benchtop::tensor::SafetensorsFile encoder(
            benchtop::test::whisperExpected(modelName + "/encoder." + audio + ".safetensors"));
        const std::vector<float> logits = m.logits(readF32(encoder, "encoder_out").values, tokens);
        for (const auto& row : golden.at("per_audio").at(audio).at("rows")) {
            const std::size_t r = row.at("row").get<std::size_t>();
            CAPTURE(r);
            const float* mine = &logits[r * vocab];
            const auto& top10 = row.at("top10");
            double worst = 0;
            for (const auto& entry : top10)
                worst = std::max(worst, std::abs(mine[entry[0].get<std::size_t>()] - entry[1].get<double>()));
            CHECK(worst <= 5e-3);
            // Same winner unless openai's top two are within 1e-3 of each other.
            if (top10[0][1].get<double>() - top10[1][1].get<double>() >= 1e-3)
                CHECK(argmax(mine, vocab) == top10[0][0].get<std::size_t>());
            double maxLogit = *std::max_element(mine, mine + vocab), sum = 0;
            for (std::size_t i = 0; i < vocab; ++i) sum += std::exp(static_cast<double>(mine[i]) - maxLogit);
            CHECK(std::abs(maxLogit + std::log(sum) - row.at("logsumexp").get<double>()) <= 5e-3);
        }
    }
}

TEST_CASE("bad model input is rejected with a clear error", "[audio][whisper]") {
    benchtop::test::TempDir dir;
    CHECK_THROWS_WITH(WhisperModel(dir.path()), Catch::Matchers::ContainsSubstring("config.json"));
    const WhisperModel& m = model("tiny-whisper-v2");
    MelSpectrogram wrong;
    wrong.nMels = 128;
    wrong.nFrames = 3000;
    wrong.data.assign(128 * 3000, 0.0f);
    CHECK_THROWS_WITH(m.encode(wrong), Catch::Matchers::ContainsSubstring("[batch, 80, 3000]"));
    const std::vector<float> encoderOut(1500 * 96, 0.0f);
    CHECK_THROWS_WITH(m.logits(encoderOut, {50258, 99999}), Catch::Matchers::ContainsSubstring("99999"));
}
