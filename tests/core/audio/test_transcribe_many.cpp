// Batching across files: decodeWindows() and transcribeMany() must give what one-by-one decoding gives
// (and therefore openai's goldens), while sharing encoder forwards and decoder steps.
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/audio/audio_reader.h"
#include "core/audio/log_mel.h"
#include "core/audio/speech_task.h"
#include "core/audio/transcript_writer.h"
#include "core/audio/whisper_decoding.h"
#include "core/audio/whisper_model.h"
#include "core/audio/whisper_transcriber.h"
#include "core/common/error.h"
#include "core/engine/engine.h"
#include "core/text/tokenizer.h"
#include "tests/core/audio/golden_reader.h"
#include "tests/core/audio/whisper_fixture.h"
#include "tests/support/shared_paths.h"

using namespace benchtop::audio;
namespace test = benchtop::test;

namespace {

using Fixture = benchtop::test::WhisperFixture;
const Fixture& fixture(const std::string& name) {
    return benchtop::test::whisperFixture(name);
}

const std::vector<std::string> kAllAudio = {"jfk.flac",   "en_espeak.wav",    "zh_espeak.wav",   "sine440.wav",
                                            "long45.wav", "en_stereo44k.mp3", "en_stereo44k.ogg"};

nlohmann::json readJson(const std::string& path) {
    return nlohmann::json::parse(test::readFile(path));
}

/// The padded log-mel transcribe() expects, for `audio` at `nMels`.
std::unique_ptr<LogMelStream> melOf(const std::string& audio, int nMels) {
    auto mel = std::make_unique<LogMelStream>(nMels);
    mel->push(decodeFile(test::whisperAudio(audio)));
    mel->finish(kChunkSamples);
    return mel;
}

void checkSameTranscript(const Transcript& batched, const Transcript& single) {
    CHECK(batched.language == single.language);
    CHECK(batched.text == single.text);
    CHECK(batched.decoderSteps == single.decoderSteps);
    CHECK(batched.duration == single.duration);
    REQUIRE(batched.segments.size() == single.segments.size());
    for (std::size_t i = 0; i < single.segments.size(); ++i) {
        CAPTURE(i);
        const TranscriptSegment& a = batched.segments[i];
        const TranscriptSegment& b = single.segments[i];
        CHECK(a.seek == b.seek);
        CHECK(a.start == b.start);
        CHECK(a.end == b.end);
        CHECK(a.text == b.text);
        CHECK(a.tokens == b.tokens);
        CHECK(a.temperature == b.temperature);
        CHECK(std::abs(a.avgLogprob - b.avgLogprob) <= 1e-4);
        CHECK(std::abs(a.noSpeechProb - b.noSpeechProb) <= 1e-6);
        REQUIRE(a.words.size() == b.words.size());
        for (std::size_t k = 0; k < b.words.size(); ++k) {
            CHECK(a.words[k].word == b.words[k].word);
            CHECK(a.words[k].start == b.words[k].start);
            CHECK(a.words[k].end == b.words[k].end);
            CHECK(std::abs(a.words[k].probability - b.words[k].probability) <= 1e-4);
        }
    }
}

void checkGoldenSegments(const Transcript& t, const nlohmann::json& golden) {
    CHECK(t.language == golden.at("language").get<std::string>());
    CHECK(t.text == golden.at("text").get<std::string>());
    const auto& segments = golden.at("segments");
    REQUIRE(t.segments.size() == segments.size());
    for (std::size_t i = 0; i < segments.size(); ++i) {
        CAPTURE(i);
        const auto& e = segments[i];
        CHECK(t.segments[i].seek == e.at("seek").get<std::int64_t>());
        CHECK(std::abs(t.segments[i].start - e.at("start").get<double>()) <= 1e-6);
        CHECK(std::abs(t.segments[i].end - e.at("end").get<double>()) <= 1e-6);
        CHECK(t.segments[i].tokens == e.at("tokens").get<std::vector<std::int64_t>>());
        CHECK(t.segments[i].text == e.at("text").get<std::string>());
        if (!e.contains("words")) continue;
        REQUIRE(t.segments[i].words.size() == e.at("words").size());
        for (std::size_t k = 0; k < t.segments[i].words.size(); ++k) {
            CHECK(t.segments[i].words[k].word == e.at("words")[k].at("word").get<std::string>());
            CHECK(std::abs(t.segments[i].words[k].start - e.at("words")[k].at("start").get<double>()) <= 1e-6);
            CHECK(std::abs(t.segments[i].words[k].end - e.at("words")[k].at("end").get<double>()) <= 1e-6);
        }
    }
}

}  // namespace

TEST_CASE("decodeWindows decodes 21 windows of mixed options in one batch exactly as openai",
          "[audio][whisper][batch]") {
    const std::string modelName = GENERATE("tiny-whisper-v3", "tiny-whisper-v2");
    CAPTURE(modelName);
    const Fixture& f = fixture(modelName);
    const nlohmann::json golden = readJson(test::whisperExpected(modelName + "/decode.json"));
    // Every golden window: 7 audios x {with, without timestamps, sample_len 16}. The no-timestamp prompts are one
    // token longer, so the batch is ragged from the first step, and sequences end at very different lengths.
    std::vector<std::vector<float>> features;
    std::vector<WhisperDecodingOptions> options;
    std::vector<nlohmann::json> expected;
    for (const auto& [audio, variants] : golden.items()) {
        const benchtop::tensor::SafetensorsFile file(
            test::whisperExpected(modelName + "/encoder." + audio + ".safetensors"));
        const std::vector<float> encoderOut = test::readF32(file, "encoder_out").values;
        for (const auto& [variant, e] : variants.items()) {
            const auto& o = e.at("options");
            WhisperDecodingOptions d;
            d.task = o.at("task").get<std::string>();
            d.language = o.at("language").get<std::string>();
            d.withoutTimestamps = o.at("without_timestamps").get<bool>();
            d.sampleLen = o.at("sample_len").get<int>();
            d.maxInitialTimestamp = o.at("max_initial_timestamp").get<double>();
            features.push_back(encoderOut);
            options.push_back(d);
            expected.push_back(e);
        }
    }
    REQUIRE(features.size() == 21);
    std::vector<const std::vector<float>*> pointers;
    for (const auto& x : features) pointers.push_back(&x);
    const std::vector<WhisperDecodingResult> results =
        decodeWindows(*f.model, f.tokens, f.tokenizer.get(), pointers, options);
    REQUIRE(results.size() == 21);
    for (std::size_t i = 0; i < results.size(); ++i) {
        CAPTURE(i);
        const WhisperDecodingResult& r = results[i];
        const nlohmann::json& e = expected[i];
        CHECK(r.initialTokens == e.at("initial_tokens").get<std::vector<std::int64_t>>());
        CHECK(r.tokens == e.at("tokens").get<std::vector<std::int64_t>>());
        CHECK(r.steps == e.at("n_steps").get<int>());
        CHECK(r.text == e.at("text").get<std::string>());
        CHECK(std::abs(r.avgLogprob - e.at("avg_logprob").get<double>()) <= 1e-4);
        CHECK(std::abs(r.noSpeechProb - e.at("no_speech_prob").get<double>()) <= 1e-6);
    }
}

TEST_CASE("decodeWindows with prompts of different lengths equals decodeGreedy row by row", "[audio][whisper][batch]") {
    const Fixture& f = fixture("tiny-whisper-v3");
    std::vector<std::vector<float>> features;
    std::vector<WhisperDecodingOptions> options;
    const std::vector<std::vector<std::int64_t>> prompts = {{}, {400, 370, 11}, {452, 7177, 6280, 25, 10930, 400, 370}};
    for (std::size_t i = 0; i < 3; ++i) {
        const benchtop::tensor::SafetensorsFile file(
            test::whisperExpected("tiny-whisper-v3/encoder." + kAllAudio[i] + ".safetensors"));
        features.push_back(test::readF32(file, "encoder_out").values);
        WhisperDecodingOptions d;
        d.language = i == 2 ? "zh" : "en";
        d.prompt = prompts[i];
        options.push_back(d);
    }
    std::vector<const std::vector<float>*> pointers;
    for (const auto& x : features) pointers.push_back(&x);
    const std::vector<WhisperDecodingResult> batched =
        decodeWindows(*f.model, f.tokens, f.tokenizer.get(), pointers, options);
    for (std::size_t i = 0; i < 3; ++i) {
        CAPTURE(i);
        const WhisperDecodingResult single =
            decodeGreedy(*f.model, f.tokens, f.tokenizer.get(), features[i], options[i]);
        CHECK(batched[i].initialTokens == single.initialTokens);
        CHECK(batched[i].tokens == single.tokens);
        CHECK(batched[i].steps == single.steps);
        CHECK(batched[i].text == single.text);
        CHECK(std::abs(batched[i].avgLogprob - single.avgLogprob) <= 1e-5);
        CHECK(std::abs(batched[i].noSpeechProb - single.noSpeechProb) <= 1e-6);
        REQUIRE(batched[i].margins.size() == single.margins.size());
    }
    CHECK(batched[1].initialTokens.size() == 7);  // <|startofprev|> + 3 prompt tokens + sot, language, task
    CHECK(batched[2].initialTokens.size() == 11);
}

TEST_CASE("transcribeMany of every fixture equals transcribe() file by file", "[audio][whisper][batch]") {
    // openai's defaults otherwise: language detection per file, previous text as prompt. v3 runs a temperature
    // fallback list (most windows of these random models fall back, and sampled fallbacks are seeded per window,
    // so they must agree too); v2 computes word timings (DTW over each window's cross-attention).
    const std::string modelName = GENERATE("tiny-whisper-v3", "tiny-whisper-v2");
    const bool words = modelName == "tiny-whisper-v2";
    CAPTURE(modelName, words);
    const Fixture& f = fixture(modelName);
    const int nMels = f.model->config().nMels;
    TranscribeOptions options;
    options.temperatures = words ? std::vector<double>{0.0} : std::vector<double>{0.0, 0.5, 1.0};
    options.wordTimestamps = words;

    // Word timings are slow to compute twice: the short files only.
    const std::vector<std::string> audios =
        words ? std::vector<std::string>{"jfk.flac", "en_espeak.wav", "sine440.wav", "en_stereo44k.mp3"} : kAllAudio;
    std::vector<std::unique_ptr<LogMelStream>> mels;
    std::vector<LogMelStream*> pointers;
    for (const std::string& audio : audios) {
        mels.push_back(melOf(audio, nMels));
        pointers.push_back(mels.back().get());
    }
    std::vector<std::int64_t> lastDone(audios.size(), -1);
    std::vector<std::int64_t> totals(audios.size(), -1);
    const std::vector<Transcript> batched = transcribeMany(
        *f.model, f.tokens, *f.tokenizer, pointers, options,
        [&](std::size_t file, std::int64_t done, std::int64_t total) {
            REQUIRE(file < audios.size());
            CHECK(done >= lastDone[file]);
            lastDone[file] = done;
            totals[file] = total;
        },
        words ? 3 : 4);  // fewer rows than files: files join the batch as others finish
    REQUIRE(batched.size() == audios.size());
    for (std::size_t i = 0; i < audios.size(); ++i) {
        CAPTURE(audios[i]);
        CHECK(lastDone[i] == totals[i]);
        const std::unique_ptr<LogMelStream> mel = melOf(audios[i], nMels);
        const Transcript single = transcribe(*f.model, f.tokens, *f.tokenizer, *mel, options);
        checkSameTranscript(batched[i], single);
        CHECK(batched[i].wordTimestamps == words);
    }
    // Detected languages come with their probability; jfk is 11 s of audio.
    CHECK(batched[0].languageProbability > 0);
    CHECK(std::abs(batched[0].duration - 11.0) < 1e-9);
}

TEST_CASE("transcribeMany reproduces openai's transcribe() goldens inside a batch", "[audio][whisper][batch]") {
    const std::string modelName = GENERATE("tiny-whisper-v3", "tiny-whisper-v2");
    CAPTURE(modelName);
    const Fixture& f = fixture(modelName);
    const int nMels = f.model->config().nMels;
    {
        TranscribeOptions options;
        options.language = "zh";
        options.conditionOnPreviousText = false;
        auto a = melOf("zh_espeak.wav", nMels);
        auto b = melOf("long45.wav", nMels);
        const std::vector<Transcript> t = transcribeMany(*f.model, f.tokens, *f.tokenizer, {a.get(), b.get()}, options);
        checkGoldenSegments(t[1], readJson(test::whisperExpected(modelName + "/transcribe.long45.zh.json")));
        CHECK(t[1].decoderSteps ==
              readJson(test::whisperExpected(modelName + "/transcribe.long45.zh.json")).at("n_steps").get<int>());
    }
    {
        TranscribeOptions options;
        options.language = "en";
        options.conditionOnPreviousText = false;
        options.wordTimestamps = true;
        auto a = melOf("en_espeak.wav", nMels);
        auto b = melOf("jfk.flac", nMels);
        auto c = melOf("sine440.wav", nMels);
        const std::vector<Transcript> t =
            transcribeMany(*f.model, f.tokens, *f.tokenizer, {a.get(), b.get(), c.get()}, options);
        checkGoldenSegments(t[1], readJson(test::whisperExpected(modelName + "/transcribe.jfk.en.words.json")));
    }
}

TEST_CASE("transcribeMany with beam search decodes the windows one by one with the same result",
          "[audio][whisper][batch][beam]") {
    const Fixture& f = fixture("tiny-whisper-v3");
    TranscribeOptions options;
    options.language = "en";
    options.beamSize = 2;
    auto a = melOf("jfk.flac", 128);
    auto b = melOf("en_espeak.wav", 128);
    const std::vector<Transcript> batched =
        transcribeMany(*f.model, f.tokens, *f.tokenizer, {a.get(), b.get()}, options);
    auto a1 = melOf("jfk.flac", 128);
    auto b1 = melOf("en_espeak.wav", 128);
    checkSameTranscript(batched[0], transcribe(*f.model, f.tokens, *f.tokenizer, *a1, options));
    checkSameTranscript(batched[1], transcribe(*f.model, f.tokens, *f.tokenizer, *b1, options));
}

TEST_CASE("transcribeMany rejects a bad batch size and unfinished spectrograms", "[audio][whisper][batch]") {
    const Fixture& f = fixture("tiny-whisper-v3");
    auto a = melOf("sine440.wav", 128);
    CHECK_THROWS_WITH(transcribeMany(*f.model, f.tokens, *f.tokenizer, {a.get()}, TranscribeOptions{}, {}, 0),
                      Catch::Matchers::ContainsSubstring("batch size"));
    LogMelStream open(128);
    open.push(std::vector<float>(16000, 0.0f));
    CHECK_THROWS_WITH(transcribeMany(*f.model, f.tokens, *f.tokenizer, {a.get(), &open}, TranscribeOptions{}),
                      Catch::Matchers::ContainsSubstring("must be finished"));
}

TEST_CASE("transcript JSON round-trips through transcriptFromJson", "[audio][writer]") {
    const Fixture& f = fixture("tiny-whisper-v3");
    TranscribeOptions options;
    options.language = "en";
    options.wordTimestamps = true;
    auto mel = melOf("jfk.flac", 128);
    const Transcript t = transcribe(*f.model, f.tokens, *f.tokenizer, *mel, options);
    const Transcript back = transcriptFromJson(toJson(t), "jfk.json");
    CHECK(back.language == "en");
    CHECK(back.languageProbability < 0);  // given, not detected
    CHECK(back.duration == 11.0);
    CHECK(back.text == t.text);
    REQUIRE(back.segments.size() == t.segments.size());
    CHECK(toSrt(back) == toSrt(t));
    CHECK(toJson(back) == toJson(t));
    CHECK_THROWS_WITH(
        transcriptFromJson("{\"text\": 1}", "broken.json"),
        Catch::Matchers::ContainsSubstring("broken.json") && Catch::Matchers::ContainsSubstring("no 'segments'"));
    CHECK_THROWS_WITH(transcriptFromJson("{", "cut.json"), Catch::Matchers::ContainsSubstring("not valid JSON"));
}

TEST_CASE("a speech job with several inputs transcribes them in one batch", "[audio][speech][engine][batch]") {
    test::TempDir dir;
    benchtop::engine::TaskRegistry registry;
    registry.add(speechTaskKind());
    benchtop::engine::EngineOptions engineOptions;
    engineOptions.maxConcurrentJobs = 1;
    engineOptions.cpuPoolThreads = 2;
    benchtop::engine::Engine engine(registry, engineOptions);
    benchtop::engine::JobSpec spec;
    spec.inputs = {test::whisperAudio("zh_espeak.wav"), test::whisperAudio("long45.wav")};
    spec.model = test::sharedPath("models/tiny-whisper-v3");
    spec.options = {
        {"language", "zh"}, {"condition-on-previous-text", "false"}, {"temperature", "0"}, {"formats", "json,txt"}};
    spec.outputDir = dir.path();
    spec.device = "cpu";
    spec.precision = "fp32";
    spec.threads = 2;
    const benchtop::engine::JobId id = engine.submit(spec);
    REQUIRE(engine.wait(id, 600.0));
    const benchtop::engine::JobSnapshot job = *engine.snapshot(id);
    REQUIRE(job.state == benchtop::engine::JobState::Done);
    CHECK(job.metrics.batches == 1);  // both files in one transcribeMany() batch
    CHECK(job.resultFiles.size() == 4);
    CHECK(std::abs(job.progress.done - (6.98 + 45.0)) < 0.05);
    // --batch-files: one job, one folder named after its first input.
    CHECK(job.resultDir == dir.file("zh_espeak-and-1-more"));
    const Transcript long45 = readTranscriptJson(job.resultDir + "/long45.json");
    checkGoldenSegments(long45, readJson(test::whisperExpected("tiny-whisper-v3/transcribe.long45.zh.json")));
    CHECK(std::abs(long45.duration - 45.0) < 1e-9);
}
