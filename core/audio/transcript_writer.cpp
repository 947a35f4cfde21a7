#include "core/audio/transcript_writer.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "core/audio/whisper_decoding.h"
#include "core/common/error.h"

namespace benchtop::audio {
namespace {

// Cue text as openai's SubtitlesWriter gives it: stripped, and "-->" cannot end the cue early.
std::string cueText(const std::string& text) {
    std::string out = stripPythonWhitespace(text);
    for (std::size_t pos = out.find("-->"); pos != std::string::npos; pos = out.find("-->", pos + 2))
        out.replace(pos, 3, "->");
    return out;
}

}  // namespace

std::string formatTimestamp(double seconds, bool alwaysIncludeHours, char decimalMarker) {
    if (!(seconds >= 0)) seconds = 0;  // openai asserts; a writer should not fail on a bad time
    auto ms = static_cast<long long>(std::nearbyint(seconds * 1000.0));  // Python round(): half to even
    const long long hours = ms / 3600000;
    ms -= hours * 3600000;
    const long long minutes = ms / 60000;
    ms -= minutes * 60000;
    const long long secs = ms / 1000;
    ms -= secs * 1000;
    char buffer[64];
    if (alwaysIncludeHours || hours > 0)
        std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld%c%03lld", hours, minutes, secs, decimalMarker, ms);
    else
        std::snprintf(buffer, sizeof buffer, "%02lld:%02lld%c%03lld", minutes, secs, decimalMarker, ms);
    return buffer;
}

std::string toTxt(const Transcript& transcript) {
    std::string out;
    for (const TranscriptSegment& s : transcript.segments) out += stripPythonWhitespace(s.text) + "\n";
    return out;
}

std::string toVtt(const Transcript& transcript) {
    std::string out = "WEBVTT\n\n";
    for (const TranscriptSegment& s : transcript.segments)
        out += formatTimestamp(s.start) + " --> " + formatTimestamp(s.end) + "\n" + cueText(s.text) + "\n\n";
    return out;
}

std::string toSrt(const Transcript& transcript) {
    std::string out;
    int index = 1;
    for (const TranscriptSegment& s : transcript.segments)
        out += std::to_string(index++) + "\n" + formatTimestamp(s.start, true, ',') + " --> " +
               formatTimestamp(s.end, true, ',') + "\n" + cueText(s.text) + "\n\n";
    return out;
}

std::string toJson(const Transcript& transcript) {
    nlohmann::json segments = nlohmann::json::array();
    for (const TranscriptSegment& s : transcript.segments) {
        nlohmann::json j = {{"id", s.id},
                            {"seek", s.seek},
                            {"start", s.start},
                            {"end", s.end},
                            {"text", s.text},
                            {"tokens", s.tokens},
                            {"temperature", s.temperature},
                            {"avg_logprob", s.avgLogprob},
                            {"compression_ratio", s.compressionRatio},
                            {"no_speech_prob", s.noSpeechProb}};
        if (transcript.wordTimestamps || !s.words.empty()) {
            nlohmann::json words = nlohmann::json::array();
            for (const TranscriptWord& w : s.words)
                words.push_back({{"word", w.word}, {"start", w.start}, {"end", w.end}, {"probability", w.probability}});
            j["words"] = std::move(words);
        }
        segments.push_back(std::move(j));
    }
    nlohmann::json root = {
        {"text", transcript.text}, {"segments", std::move(segments)}, {"language", transcript.language}};
    // Beyond openai's keys: what a viewer needs without the audio.
    if (transcript.duration > 0) root["duration"] = transcript.duration;
    if (transcript.languageProbability >= 0) root["language_probability"] = transcript.languageProbability;
    // Decoded text may hold U+FFFD but is valid UTF-8; replace anything else rather than throw.
    return root.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string toTsv(const Transcript& transcript) {
    std::string out = "start\tend\ttext\n";
    for (const TranscriptSegment& s : transcript.segments) {
        std::string text = stripPythonWhitespace(s.text);
        for (char& c : text)
            if (c == '\t') c = ' ';
        // Python round(): half to even.
        out += std::to_string(static_cast<long long>(std::nearbyint(1000.0 * s.start))) + "\t" +
               std::to_string(static_cast<long long>(std::nearbyint(1000.0 * s.end))) + "\t" + text + "\n";
    }
    return out;
}

Transcript transcriptFromJson(const std::string& json, const std::string& context) {
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(json);
    } catch (const std::exception& e) {
        throw Error(context, std::string("The transcript is not valid JSON: ") + e.what());
    }
    if (!root.is_object() || !root.contains("segments") || !root.at("segments").is_array())
        throw Error(context, "The JSON has no 'segments' list; it is not a Whisper transcript.");
    Transcript t;
    try {
        t.text = root.value("text", std::string());
        t.language = root.value("language", std::string());
        t.duration = root.value("duration", 0.0);
        t.languageProbability = root.value("language_probability", -1.0);
        int index = 0;
        for (const nlohmann::json& j : root.at("segments")) {
            TranscriptSegment s;
            s.id = j.value("id", index);
            s.seek = j.value("seek", std::int64_t{0});
            s.start = j.at("start").get<double>();
            s.end = j.at("end").get<double>();
            s.text = j.value("text", std::string());
            s.tokens = j.value("tokens", std::vector<std::int64_t>());
            s.temperature = j.value("temperature", 0.0);
            s.avgLogprob = j.value("avg_logprob", 0.0);
            s.compressionRatio = j.value("compression_ratio", 0.0);
            s.noSpeechProb = j.value("no_speech_prob", 0.0);
            if (const auto words = j.find("words"); words != j.end() && words->is_array()) {
                t.wordTimestamps = true;
                for (const nlohmann::json& w : *words)
                    s.words.push_back({w.at("word").get<std::string>(), w.at("start").get<double>(),
                                       w.at("end").get<double>(), w.value("probability", 0.0)});
            }
            t.segments.push_back(std::move(s));
            ++index;
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(context, std::string("A segment of the transcript is malformed: ") + e.what());
    }
    return t;
}

Transcript readTranscriptJson(const std::string& path) {
    std::ifstream in(std::filesystem::u8path(path), std::ios::binary);
    if (!in) throw Error(path, "Cannot open the transcript JSON.");
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return transcriptFromJson(content, path);
}

void writeTranscript(const Transcript& transcript, const std::string& format, const std::string& path) {
    std::string content;
    if (format == "txt")
        content = toTxt(transcript);
    else if (format == "vtt")
        content = toVtt(transcript);
    else if (format == "srt")
        content = toSrt(transcript);
    else if (format == "json")
        content = toJson(transcript);
    else if (format == "tsv")
        content = toTsv(transcript);
    else
        throw Error(path, "Unknown transcript format '" + format + "'; use txt, vtt, srt, json or tsv.");
    std::ofstream out(std::filesystem::u8path(path), std::ios::binary);
    if (!out) throw Error(path, "Cannot create the transcript file; check that the folder exists and is writable.");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) throw Error(path, "Writing the transcript failed (disk full?).");
}

}  // namespace benchtop::audio
