#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/audio/speech_task.h"
#include "core/audio/transcript_writer.h"
#include "core/engine/engine.h"
#include "tests/core/audio/golden_reader.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using namespace benchtop;

namespace {

/// A fresh, empty folder under the system temp dir, removed when the test ends.
struct TempDir {
    fs::path path;
    explicit TempDir(const std::string& name) {
        path =
            fs::temp_directory_path() / ("benchtop-speech-" + name + "-" +
                                         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::vector<std::string> filesIn(const fs::path& dir) {
    std::vector<std::string> names;
    if (!fs::exists(dir)) return names;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().filename().string().front() != '.')
            names.push_back(e.path().filename().string());  // not the job marker
    std::sort(names.begin(), names.end());
    return names;
}

engine::JobSnapshot runSpeechJob(engine::JobSpec spec) {
    engine::TaskRegistry registry;
    registry.add(audio::speechTaskKind());
    engine::EngineOptions options;
    options.maxConcurrentJobs = 1;
    options.cpuPoolThreads = 2;
    engine::Engine engine(registry, options);
    spec.device = "cpu";
    spec.precision = "fp32";
    spec.threads = 2;
    const engine::JobId id = engine.submit(spec);
    REQUIRE(engine.wait(id, 600.0));
    return *engine.snapshot(id);
}

void writeSilentWav(const fs::path& path, int samples) {
    std::ofstream out(path, std::ios::binary);
    auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    out.write("RIFF", 4);
    u32(36 + 2 * samples);
    out.write("WAVEfmt ", 8);
    u32(16);
    u16(1);
    u16(1);
    u32(16000);
    u32(32000);
    u16(2);
    u16(16);
    out.write("data", 4);
    u32(2 * samples);
    const std::vector<char> zeros(static_cast<std::size_t>(2 * samples), 0);
    out.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
}

}  // namespace

TEST_CASE("speech task recognises audio files by extension", "[audio][speech]") {
    const engine::TaskKind kind = audio::speechTaskKind();
    CHECK(kind.id == "speech");
    engine::TaskRegistry registry;
    registry.add(kind);
    const engine::FileProbe flac = engine::probeFile(test::whisperAudio("jfk.flac"));
    CHECK(kind.recognise(flac) == 50);
    REQUIRE(registry.recognise(flac) != nullptr);
    CHECK(registry.recognise(flac)->id == "speech");
    CHECK(kind.recognise(engine::probeFile(test::whisperAudio("en_stereo44k.mp3"))) == 50);
    engine::FileProbe text;
    text.exists = true;
    text.extension = ".txt";
    CHECK(kind.recognise(text) == 0);
    CHECK(kind.extensions.size() == 11);
}

TEST_CASE("speech options are parsed and checked", "[audio][speech]") {
    engine::JobSpec spec;
    audio::SpeechOptions o = audio::parseSpeechOptions(spec);
    CHECK(o.transcribe.language.empty());
    CHECK(o.transcribe.task == "transcribe");
    CHECK(o.transcribe.temperatures == std::vector<double>{0.0, 0.2, 0.4, 0.6, 0.8, 1.0});
    CHECK(o.formats == std::vector<std::string>{"txt", "srt", "vtt", "json"});
    CHECK(o.transcribe.conditionOnPreviousText);
    CHECK_FALSE(o.transcribe.wordTimestamps);

    spec.options = {{"language", "ZH"},           {"whisper-task", "translate"}, {"word-timestamps", "true"},
                    {"beam-size", "5"},           {"formats", "tsv,json"},       {"temperature-fallback", "false"},
                    {"logprob-threshold", "none"}};
    o = audio::parseSpeechOptions(spec);
    CHECK(o.transcribe.language == "zh");
    CHECK(o.transcribe.task == "translate");
    CHECK(o.transcribe.wordTimestamps);
    CHECK(o.transcribe.beamSize == 5);
    CHECK(o.transcribe.temperatures == std::vector<double>{0.0});
    CHECK(std::isnan(o.transcribe.logprobThreshold));
    CHECK(o.formats == std::vector<std::string>{"tsv", "json"});

    spec.options = {{"formats", "txt,docx"}};
    CHECK_THROWS_WITH(audio::parseSpeechOptions(spec), Catch::Matchers::ContainsSubstring("'docx'"));
    spec.options = {{"beam-size", "0"}};
    CHECK_THROWS_WITH(audio::parseSpeechOptions(spec), Catch::Matchers::ContainsSubstring("beam-size"));
    spec.options = {{"whisper-task", "summarise"}};
    CHECK_THROWS_WITH(audio::parseSpeechOptions(spec), Catch::Matchers::ContainsSubstring("summarise"));
}

TEST_CASE("tsv output is openai's WriteTSV", "[audio][speech]") {
    audio::Transcript t;
    audio::TranscriptSegment a;
    a.start = 0.0;
    a.end = 2.5005;
    a.text = " Hello\tworld ";
    t.segments.push_back(a);
    CHECK(audio::toTsv(t) == "start\tend\ttext\n0\t2500\tHello world\n");
}

TEST_CASE("speech job through the engine writes openai's transcript of jfk.flac", "[audio][speech][engine]") {
    TempDir out("jfk");
    engine::JobSpec spec;
    spec.inputs = {test::whisperAudio("jfk.flac")};
    spec.model = test::sharedPath("models/tiny-whisper-v3");
    spec.outputDir = out.path.string();
    spec.options = {{"language", "en"},
                    {"word-timestamps", "true"},
                    {"condition-on-previous-text", "false"},
                    {"temperature", "0"},  // the golden ran without fallback
                    {"formats", "all"}};
    const engine::JobSnapshot job = runSpeechJob(spec);
    INFO(job.error);
    REQUIRE(job.state == engine::JobState::Done);
    CHECK(job.task == "speech");
    CHECK(job.progress.unit == "audio s");
    CHECK(std::abs(job.progress.done - 11.0) < 0.05);
    CHECK(job.resultFiles.size() == 5);
    // The job's own folder, named after its input.
    CHECK(filesIn(out.path) == std::vector<std::string>{"jfk"});
    CHECK(fs::path(job.resultDir) == out.path / "jfk");
    CHECK(filesIn(job.resultDir) == std::vector<std::string>{"jfk.json", "jfk.srt", "jfk.tsv", "jfk.txt", "jfk.vtt"});

    const nlohmann::json golden =
        nlohmann::json::parse(test::readFile(test::whisperExpected("tiny-whisper-v3/transcribe.jfk.en.words.json")));
    const nlohmann::json result =
        nlohmann::json::parse(test::readFile((fs::path(job.resultDir) / "jfk.json").string()));
    CHECK(result.at("text") == golden.at("text"));
    CHECK(result.at("language") == "en");
    const auto& expected = golden.at("segments");
    const auto& segments = result.at("segments");
    REQUIRE(segments.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CAPTURE(i);
        const auto& s = segments[i];
        const auto& e = expected[i];
        CHECK(s.at("id") == e.at("id"));
        CHECK(s.at("seek") == e.at("seek"));
        CHECK(s.at("text") == e.at("text"));
        CHECK(s.at("tokens") == e.at("tokens"));
        CHECK(std::abs(s.at("start").get<double>() - e.at("start").get<double>()) <= 1e-6);
        CHECK(std::abs(s.at("end").get<double>() - e.at("end").get<double>()) <= 1e-6);
        CHECK(std::abs(s.at("avg_logprob").get<double>() - e.at("avg_logprob").get<double>()) <= 1e-4);
        CHECK(s.at("temperature").get<double>() == e.at("temperature").get<double>());
        REQUIRE(s.contains("words") == e.contains("words"));
        if (!e.contains("words")) continue;
        REQUIRE(s.at("words").size() == e.at("words").size());
        for (std::size_t k = 0; k < e.at("words").size(); ++k) {
            CHECK(s.at("words")[k].at("word") == e.at("words")[k].at("word"));
            CHECK(std::abs(s.at("words")[k].at("start").get<double>() - e.at("words")[k].at("start").get<double>()) <=
                  1e-6);
        }
    }
    // The text files hold one line / cue per segment.
    const std::string tsv = test::readFile((fs::path(job.resultDir) / "jfk.tsv").string());
    CHECK(tsv.rfind("start\tend\ttext\n0\t", 0) == 0);
    CHECK(std::count(tsv.begin(), tsv.end(), '\n') == static_cast<long>(expected.size() + 1));
}

TEST_CASE("speech job fails on a damaged audio file, names it and leaves no output", "[audio][speech][engine]") {
    TempDir in("bad-in");
    TempDir out("bad-out");
    const fs::path broken = in.path / "broken.wav";
    {
        std::ofstream f(broken, std::ios::binary);
        f << "RIFF this is not really a wave file, just some text bytes pretending to be one";
    }
    engine::JobSpec spec;
    spec.inputs = {test::whisperAudio("jfk.flac"), broken.string()};
    spec.model = test::sharedPath("models/tiny-whisper-v3");
    spec.outputDir = out.path.string();
    spec.options = {{"language", "en"}, {"temperature", "0"}};
    const engine::JobSnapshot job = runSpeechJob(spec);
    CHECK(job.state == engine::JobState::Failed);
    CHECK_THAT(job.error, Catch::Matchers::ContainsSubstring("broken.wav"));
    CHECK(filesIn(out.path).empty());
    CHECK(job.resultFiles.empty());
}

TEST_CASE("speech job with a missing model fails naming it", "[audio][speech][engine]") {
    TempDir out("nomodel");
    engine::JobSpec spec;
    spec.inputs = {test::whisperAudio("jfk.flac")};
    spec.model = (out.path / "no-such-whisper").string();
    spec.outputDir = out.path.string();
    const engine::JobSnapshot job = runSpeechJob(spec);
    CHECK(job.state == engine::JobState::Failed);
    CHECK_THAT(job.error, Catch::Matchers::ContainsSubstring("model not found"));
    CHECK_THAT(job.error, Catch::Matchers::ContainsSubstring("no-such-whisper"));

    spec.model.clear();
    const engine::JobSnapshot none = runSpeechJob(spec);
    CHECK(none.state == engine::JobState::Failed);
    CHECK_THAT(none.error, Catch::Matchers::ContainsSubstring("No Whisper model"));
}

TEST_CASE("speech job on digital silence succeeds", "[audio][speech][engine]") {
    TempDir in("silence-in");
    TempDir out("silence-out");
    const fs::path silent = in.path / "silence.wav";
    writeSilentWav(silent, 2 * 16000);
    engine::JobSpec spec;
    spec.inputs = {silent.string()};
    spec.model = test::sharedPath("models/tiny-whisper-v3");
    spec.outputDir = out.path.string();
    spec.options = {{"language", "en"}, {"formats", "txt,json"}};
    const engine::JobSnapshot job = runSpeechJob(spec);
    INFO(job.error);
    CHECK(job.state == engine::JobState::Done);
    CHECK(filesIn(job.resultDir) == std::vector<std::string>{"silence.json", "silence.txt"});
    CHECK(std::abs(job.progress.done - 2.0) < 0.01);
}

TEST_CASE("a folder of recordings dropped one job each loads Whisper once", "[audio][speech][engine]") {
    TempDir in("many-in");
    TempDir out("many-out");
    engine::TaskRegistry registry;
    registry.add(audio::speechTaskKind());
    engine::EngineOptions options;
    options.maxConcurrentJobs = 2;
    options.cpuPoolThreads = 2;
    engine::Engine engine(registry, options);
    std::vector<engine::JobId> ids;
    for (int i = 0; i < 4; ++i) {
        const fs::path wav = in.path / ("take-" + std::to_string(i) + ".wav");
        writeSilentWav(wav, 16000);
        engine::JobSpec spec;
        spec.inputs = {wav.string()};
        spec.model = test::sharedPath("models/tiny-whisper-v3");
        spec.outputDir = out.path.string();
        spec.device = "cpu";
        spec.precision = "fp32";
        spec.threads = 1;
        spec.options = {{"language", "en"}, {"formats", "txt"}};
        ids.push_back(engine.submit(spec));
    }
    engine.waitAll();
    for (const engine::JobId id : ids) {
        const auto job = *engine.snapshot(id);
        INFO(job.error);
        CHECK(job.state == engine::JobState::Done);
    }
    const auto stats = engine.models().stats();
    CHECK(stats.loads == 1);
    CHECK(stats.hits == 3);
    CHECK(stats.entries == 1);
}
