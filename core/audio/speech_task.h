#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/audio/log_mel.h"
#include "core/audio/whisper_transcriber.h"
#include "core/engine/job.h"
#include "core/engine/task.h"

namespace benchtop::audio {

/// The audio file extensions the speech workload recognises (lower case, with the dot).
const std::vector<std::string>& speechExtensions();

/// The speech workload (Whisper transcription) as an engine task: items are audio files (length = duration
/// in 10 ms frames), prepare decodes and computes the log-mel on the CPU pool, load puts the Whisper model on
/// the job's device in the resolved precision, run transcribes one file (progress in audio seconds as the
/// windows complete), finish writes <stem>.txt/.srt/.vtt/.json/.tsv through the engine's atomic outputs.
///
/// JobSpec::model: a Whisper model folder, or a reference the model store resolves (catalog id, repo id).
/// JobSpec::options: language (code | auto), whisper-task (transcribe | translate), word-timestamps,
/// beam-size, best-of, patience, formats ("txt,srt,vtt,json,tsv" or "all"; default txt,srt,vtt,json),
/// temperature (one value or a comma list; default the fallback list 0,0.2,...,1.0),
/// temperature-fallback (false = the first temperature only), seed, initial-prompt,
/// condition-on-previous-text, compression-ratio-threshold, logprob-threshold, no-speech-threshold
/// ("none" disables a threshold), batch-files (files transcribed together, default 8; 1 = one by one).
///
/// A job with several inputs batches across files: each batch of up to batch-files files runs through
/// transcribeMany(), whose windows share encoder forwards and batched greedy decoding (results equal one-by-one
/// transcription; beam search windows are still decoded one by one).
engine::TaskKind speechTaskKind();

/// A Whisper model folder from a reference: an existing folder (it must hold config.json), else a catalog or
/// repo id the model store resolves. Throws benchtop::Error naming the reference when there is none.
std::string resolveWhisperModel(const std::string& ref);

/// Parsed speech options of a job spec (exposed for tests and the CLI); throws benchtop::Error naming the
/// option when a value is invalid.
struct SpeechOptions {
    TranscribeOptions transcribe;  ///< initialPromptTokens stay empty (needs the tokenizer)
    std::string initialPrompt;
    std::vector<std::string> formats;
    int batchFiles = 8;  ///< files per transcribeMany() batch
};
SpeechOptions parseSpeechOptions(const engine::JobSpec& spec);

/// openai's initial prompt tokens: tokenizer.encode(" " + prompt.strip()), no special tokens.
std::vector<std::int64_t> initialPromptTokens(const text::Tokenizer& tokenizer, const std::string& prompt);

/// An audio file decoded (streaming) into the padded log-mel transcribe() takes (kChunkSamples of padding, as
/// openai pads). A file cut short is decoded as far as it goes (`decodedSeconds` says how far; compare with the
/// header's length when `headerExact`). `checkCancel` runs between 10 s chunks. Throws benchtop::Error naming the
/// file when it cannot be decoded.
struct DecodedAudio {
    std::unique_ptr<LogMelStream> mel;
    double decodedSeconds = 0;
    bool headerExact = false;  ///< the container header states the exact length
};
DecodedAudio decodeForWhisper(const std::string& path, int nMels, const std::function<void()>& checkCancel = {});

}  // namespace benchtop::audio
