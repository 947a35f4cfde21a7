#pragma once

namespace CLI {
class App;
}

namespace benchtop::cli {

/// Adds `transcribe` to the `bench` command group: Whisper encoder ms per window, decoder ms per token and
/// the real-time factor of a whole transcription, for each precision (fp32 and bf16 by default) in one run,
/// printed as a table plus bf16/fp32 ratios and the token agreement between the precisions.
void addBenchTranscribeCommand(CLI::App& bench);

}  // namespace benchtop::cli
