#pragma once

#include <string>

#include "core/audio/whisper_transcriber.h"

namespace benchtop::audio {

/// openai's `format_timestamp`: "MM:SS.mmm", with "HH:" when asked or past an hour; milliseconds rounded.
std::string formatTimestamp(double seconds, bool alwaysIncludeHours = false, char decimalMarker = '.');

/// The output files of openai's CLI writers (default options: one cue per segment).
std::string toTxt(const Transcript& transcript);   ///< one stripped segment text per line
std::string toVtt(const Transcript& transcript);   ///< WEBVTT, "MM:SS.mmm --> MM:SS.mmm"
std::string toSrt(const Transcript& transcript);   ///< numbered cues, "HH:MM:SS,mmm --> HH:MM:SS,mmm"
std::string toJson(const Transcript& transcript);  ///< text, segments (with words when present), language
/// openai's WriteTSV: "start\tend\ttext" header, then integer milliseconds and the stripped text (tabs -> spaces).
std::string toTsv(const Transcript& transcript);

/// Parses toJson() output (or openai's result JSON) back into a transcript; `context` names the source in
/// errors. Throws benchtop::Error when the JSON is invalid or has no segments list.
Transcript transcriptFromJson(const std::string& json, const std::string& context);
/// Reads a transcript JSON file (see transcriptFromJson()); throws benchtop::Error naming the path.
Transcript readTranscriptJson(const std::string& path);

/// Writes `transcript` as "txt", "vtt", "srt", "json" or "tsv" to `path`; throws benchtop::Error naming the path.
void writeTranscript(const Transcript& transcript, const std::string& format, const std::string& path);

}  // namespace benchtop::audio
