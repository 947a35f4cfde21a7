#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/audio/transcript_writer.h"
#include "core/common/error.h"
#include "tests/support/shared_paths.h"

using namespace benchtop::audio;

namespace {

Transcript sample() {
    Transcript t;
    t.language = "en";
    t.text = " Hello --> world. Second";
    TranscriptSegment a;
    a.id = 0;
    a.start = 0.0;
    a.end = 22.580000000000002;
    a.text = " Hello --> world.";
    a.tokens = {50365, 2425, 50494};
    a.words = {{" Hello", 0.0, 0.5, 0.9}, {" -->", 0.5, 0.6, 0.5}, {" world.", 0.6, 22.58, 0.25}};
    TranscriptSegment b;
    b.id = 1;
    b.seek = 2258;
    b.start = 3725.5;
    b.end = 3726.0004;
    b.text = " Second";
    t.segments = {a, b};
    return t;
}

}  // namespace

TEST_CASE("timestamps are formatted like openai's format_timestamp", "[audio][writer]") {
    CHECK(formatTimestamp(0.0) == "00:00.000");
    CHECK(formatTimestamp(22.580000000000002) == "00:22.580");
    CHECK(formatTimestamp(52.56) == "00:52.560");
    CHECK(formatTimestamp(3725.5) == "01:02:05.500");
    CHECK(formatTimestamp(5.5, true, ',') == "00:00:05,500");
    CHECK(formatTimestamp(0.0005) == "00:00.000");  // round half to even, as Python
    CHECK(formatTimestamp(0.0015) == "00:00.002");
}

TEST_CASE("txt, vtt and srt output", "[audio][writer]") {
    const Transcript t = sample();
    CHECK(toTxt(t) == "Hello --> world.\nSecond\n");
    CHECK(toVtt(t) ==
          "WEBVTT\n\n00:00.000 --> 00:22.580\nHello -> world.\n\n"
          "01:02:05.500 --> 01:02:06.000\nSecond\n\n");
    CHECK(toSrt(t) ==
          "1\n00:00:00,000 --> 00:00:22,580\nHello -> world.\n\n"
          "2\n01:02:05,500 --> 01:02:06,000\nSecond\n\n");
}

TEST_CASE("json output round-trips the segments and words", "[audio][writer]") {
    const nlohmann::json j = nlohmann::json::parse(toJson(sample()));
    CHECK(j.at("language") == "en");
    CHECK(j.at("text") == " Hello --> world. Second");
    REQUIRE(j.at("segments").size() == 2);
    CHECK(j.at("segments")[0].at("end").get<double>() == 22.580000000000002);
    CHECK(j.at("segments")[0].at("tokens") == nlohmann::json({50365, 2425, 50494}));
    CHECK(j.at("segments")[0].at("words").size() == 3);
    CHECK(j.at("segments")[0].at("words")[2].at("word") == " world.");
    CHECK(j.at("segments")[1].at("seek") == 2258);
    CHECK_FALSE(j.at("segments")[1].contains("words"));
}

TEST_CASE("writeTranscript writes the file and rejects unknown formats", "[audio][writer]") {
    benchtop::test::TempDir dir;
    const std::string path = dir.file("talk.srt");
    writeTranscript(sample(), "srt", path);
    CHECK(benchtop::test::readFile(path) == toSrt(sample()));
    CHECK_THROWS_WITH(writeTranscript(sample(), "docx", dir.file("talk.docx")),
                      Catch::Matchers::ContainsSubstring("'docx'"));
    CHECK_THROWS_WITH(writeTranscript(sample(), "txt", dir.file("missing/talk.txt")),
                      Catch::Matchers::ContainsSubstring("missing/talk.txt"));
}
