#include "app/cli/bench_transcribe.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/cli/commands.h"
#include "core/audio/audio_reader.h"
#include "core/audio/log_mel.h"
#include "core/audio/whisper_decoding.h"
#include "core/audio/whisper_model.h"
#include "core/audio/whisper_transcriber.h"
#include "core/common/error.h"
#include "core/device/device.h"
#include "core/text/tokenizer.h"

namespace benchtop::cli {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

struct BenchOptions {
    std::string model;
    std::string input;
    std::string device = "cpu";
    std::string precisions = "fp32,bf16";
    std::string language;
    int runs = 3;
    int threads = 0;
};

struct BenchRow {
    std::string precision;
    double loadMs = 0;
    double encoderMs = 0;          // per 30 s window (median over runs)
    double decoderMsPerToken = 0;  // greedy decode of window 0, logit filters included (median)
    int decodeTokens = 0;
    double transcribeS = 0;            // whole file, greedy, no fallback (median)
    double rtf = 0;                    // transcribeS / audio seconds
    std::vector<std::int64_t> tokens;  // all segment tokens of the last transcription
    std::string text;
};

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

int runBench(const BenchOptions& o) {
    if (o.runs < 1) throw Error("--runs", "must be at least 1");
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // lines appear as measured, also when piped
    const device::DeviceChoice choice = device::resolve(device::requestFromEnvironment({o.device, "fp32", o.threads}));
    device::applyThreads(choice.threads);

    // Audio and log-mel once (CPU work outside the timed model calls).
    const auto decodeStart = Clock::now();
    std::vector<float> samples = audio::decodeFile(o.input);
    const double decodeMs = msSince(decodeStart);
    const double audioSeconds = static_cast<double>(samples.size()) / audio::kSampleRate;
    const audio::WhisperConfig config = audio::WhisperConfig::fromFile(o.model + "/config.json");
    const auto melStart = Clock::now();
    audio::LogMelStream mel(config.nMels);
    mel.push(samples);
    mel.finish(audio::kChunkSamples);
    const double melMs = msSince(melStart);
    const audio::MelSpectrogram window0 = mel.window(0);

    const audio::WhisperTokens tokens = audio::WhisperTokens::fromFolder(o.model);
    const text::Tokenizer tokenizer = text::Tokenizer::fromFolder(o.model);

    std::printf("bench transcribe: %s on %s (%.2f s audio), model %s (d_model %d, %d+%d layers, %d mels)\n",
                o.input.c_str(), choice.device.id.c_str(), audioSeconds, o.model.c_str(), config.dModel,
                config.encoderLayers, config.decoderLayers, config.nMels);
    std::printf("device %s, %d threads; audio decode %.1f ms, log-mel %.1f ms; %d run(s) per measurement\n\n",
                choice.device.name.c_str(), choice.threads, decodeMs, melMs, o.runs);

    std::vector<BenchRow> rows;
    for (const std::string& name : splitList(o.precisions)) {
        const device::Precision precision = device::parsePrecision(name);
        BenchRow row;
        row.precision = device::toString(precision);
        const auto loadStart = Clock::now();
        audio::WhisperModel model(o.model, choice.device.id, precision);
        row.loadMs = msSince(loadStart);

        std::string language = o.language;
        if (language.empty()) language = tokens.multilingual ? "" : "en";
        std::vector<float> features = model.encode(window0);  // warm-up
        if (language.empty()) language = audio::detectLanguage(model, tokens, features).code;

        std::vector<double> encoderMs;
        for (int r = 0; r < o.runs; ++r) {
            const auto start = Clock::now();
            features = model.encode(window0);
            encoderMs.push_back(msSince(start));
        }
        row.encoderMs = median(encoderMs);

        audio::WhisperDecodingOptions decoding;
        decoding.language = language;
        std::vector<double> perToken;
        for (int r = 0; r < o.runs; ++r) {
            const auto start = Clock::now();
            const audio::WhisperDecodingResult result = audio::decodeGreedy(model, tokens, nullptr, features, decoding);
            perToken.push_back(msSince(start) / std::max(1, result.steps));
            row.decodeTokens = result.steps;
        }
        row.decoderMsPerToken = median(perToken);

        audio::TranscribeOptions options;
        options.language = language;
        options.temperatures = {0.0};
        std::vector<double> seconds;
        for (int r = 0; r < o.runs; ++r) {
            audio::LogMelStream copy = mel;
            const auto start = Clock::now();
            const audio::Transcript t = audio::transcribe(model, tokens, tokenizer, copy, options);
            seconds.push_back(msSince(start) / 1000.0);
            row.tokens.clear();
            for (const auto& s : t.segments) row.tokens.insert(row.tokens.end(), s.tokens.begin(), s.tokens.end());
            row.text = t.text;
        }
        row.transcribeS = median(seconds);
        row.rtf = audioSeconds > 0 ? row.transcribeS / audioSeconds : 0;
        rows.push_back(std::move(row));
    }

    std::printf("%-9s %10s %14s %14s %8s %14s %8s\n", "precision", "load ms", "encoder ms/win", "decoder ms/tok",
                "tokens", "transcribe s", "RTF");
    for (const BenchRow& r : rows)
        std::printf("%-9s %10.1f %14.2f %14.3f %8d %14.3f %8.4f\n", r.precision.c_str(), r.loadMs, r.encoderMs,
                    r.decoderMsPerToken, r.decodeTokens, r.transcribeS, r.rtf);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const BenchRow& base = rows.front();
        const BenchRow& r = rows[i];
        std::printf("\n%s / %s: encoder %.2fx, decoder per token %.2fx, transcribe %.2fx (< 1 = faster)\n",
                    r.precision.c_str(), base.precision.c_str(), r.encoderMs / base.encoderMs,
                    r.decoderMsPerToken / base.decoderMsPerToken, r.transcribeS / base.transcribeS);
        std::size_t same = 0;
        const std::size_t n = std::min(base.tokens.size(), r.tokens.size());
        while (same < n && base.tokens[same] == r.tokens[same]) ++same;
        const std::size_t longest = std::max(base.tokens.size(), r.tokens.size());
        std::printf("token agreement with %s: %zu of %zu tokens identical before the first difference (%.1f%%)%s\n",
                    base.precision.c_str(), same, longest, longest ? 100.0 * same / longest : 100.0,
                    r.text == base.text ? "; same text" : "; text differs");
    }
    return kExitOk;
}

}  // namespace

void addBenchTranscribeCommand(CLI::App& bench) {
    auto options = std::make_shared<BenchOptions>();
    CLI::App* cmd =
        bench.add_subcommand("transcribe", "Whisper speed: encoder per window, decoder per token, real-time factor");
    cmd->add_option("--model", options->model, "Whisper model folder (Hugging Face layout)")->required();
    cmd->add_option("--input", options->input, "Audio file")->required();
    cmd->add_option("--runs", options->runs, "Timed runs per measurement (median reported)");
    cmd->add_option("--precisions", options->precisions, "Comma list of precisions to compare (default fp32,bf16)");
    cmd->add_option("--device", options->device, "cpu, cuda, cuda:N or mps (default cpu)");
    cmd->add_option("--threads", options->threads, "Intra-op threads (0 = physical cores)");
    cmd->add_option("--language", options->language, "Language code (default: detect)");
    cmd->callback([options] {
        try {
            const int rc = runBench(*options);
            if (rc != kExitOk) throw static_cast<ExitCode>(rc);
        } catch (const Error& e) {
            std::fprintf(stderr, "error: %s\n", e.what());
            throw kExitJobFailed;
        }
    });
}

}  // namespace benchtop::cli
