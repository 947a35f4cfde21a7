#include "core/workloads/builtin_workloads.h"
#include "app/cli/bench_transcribe.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
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
#include "core/device/machine_report.h"
#include "core/device/matmul_rate.h"
#include "core/engine/engine.h"
#include "core/text/tokenizer.h"

namespace benchtop::cli {
namespace {

namespace fs = std::filesystem;

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
    std::vector<std::string> inputs;
    std::string device = "cpu";
    std::string precisions = "fp32,bf16";
    std::string language;
    int runs = 3;
    int threads = 0;
    int batch = 8;
    bool skipTranscribe = false;
    int sampleLen = 0;  // tokens per window decode in the per-window measurements (0 = Whisper's 224)
};

// Tokens a real Whisper model decodes per 30 s window of speech (~3 tokens per second plus timestamps): the
// estimated real-time factor uses it, so that random-weight models, whose decodes end anywhere, still give the
// cost of real transcription.
constexpr int kTokensPerWindow = 100;

/// One input file, decoded and turned into the padded log-mel once (outside every timed call).
struct BenchInput {
    std::string path;
    double seconds = 0;
    audio::LogMelStream mel{80};
};

struct BenchRow {
    std::string precision;
    double gemmGflops = 0;  // the machine's 2048^3 matrix-multiply rate in this precision
    double loadMs = 0;
    double encoderMs = 0;          // per 30 s window (median over runs)
    double windowSetupMs = 0;      // cross-attention keys/values of one window (median)
    double decoderMsPerToken = 0;  // greedy decode of window 0, logit filters included, setup excluded (median)
    int decodeTokens = 0;
    double estimatedRtf = 0;     // (encoder per window + kTokensPerWindow x decoder per token) / 30 s
    double windowsSingleS = 0;   // window 0 of every input: encode + greedy decode one by one (median)
    double windowsBatchedS = 0;  // the same windows in one encoder forward + decodeWindows() (median)
    bool windowsSame = true;     // decodeWindows() gave the one-by-one tokens
    double transcribeS = 0;      // every input one by one, greedy, no fallback (median)
    double rtf = 0;              // transcribeS / audio seconds
    double batchedS = 0;         // every input through transcribeMany() (median); 0 with one input
    double batchedRtf = 0;
    bool batchedSame = true;  // transcribeMany() gave transcribe()'s tokens
    double jobS = 0;          // the files as one speech job through the engine (load included)
    double jobRtf = 0;
    std::uint64_t jobPeakRss = 0;
    std::vector<std::vector<std::int64_t>> tokens;  // per input: every segment token of the transcription
    std::vector<std::string> texts;
};

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(text);
    while (std::getline(in, item, ','))
        if (!item.empty()) out.push_back(item);
    return out;
}

std::vector<std::int64_t> allTokens(const audio::Transcript& t) {
    std::vector<std::int64_t> out;
    for (const auto& s : t.segments) out.insert(out.end(), s.tokens.begin(), s.tokens.end());
    return out;
}

int runBench(const BenchOptions& o) {
    if (o.runs < 1) throw Error("--runs", "must be at least 1");
    if (o.batch < 1) throw Error("--batch", "must be at least 1");
    if (o.inputs.empty()) throw Error("--input", "give at least one audio file");
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // lines appear as measured, also when piped
    const device::DeviceChoice choice = device::resolve(device::requestFromEnvironment({o.device, "fp32", o.threads}));
    device::applyThreads(choice.threads);

    // Audio and log-mel once (CPU work outside the timed model calls).
    const audio::WhisperConfig config = audio::WhisperConfig::fromFile(o.model + "/config.json");
    std::vector<BenchInput> inputs;
    double audioSeconds = 0;
    const auto decodeStart = Clock::now();
    for (const std::string& path : o.inputs) {
        BenchInput in;
        in.path = path;
        const std::vector<float> samples = audio::decodeFile(path);
        in.seconds = static_cast<double>(samples.size()) / audio::kSampleRate;
        in.mel = audio::LogMelStream(config.nMels);
        in.mel.push(samples);
        in.mel.finish(audio::kChunkSamples);
        audioSeconds += in.seconds;
        inputs.push_back(std::move(in));
    }
    const double prepareMs = msSince(decodeStart);
    const audio::MelSpectrogram window0 = inputs.front().mel.window(0);

    // The memory read rate bounds a decoder step (it streams every weight and the cross-attention cache).
    const double memoryGbs = device::measureMemoryReadRate(choice.device.id).gbPerSecond;
    const audio::WhisperTokens tokens = audio::WhisperTokens::fromFolder(o.model);
    const text::Tokenizer tokenizer = text::Tokenizer::fromFolder(o.model);

    std::printf("bench transcribe: %zu file(s), %.2f s audio, on %s; model %s (d_model %d, %d+%d layers, %d mels)\n",
                inputs.size(), audioSeconds, choice.device.id.c_str(), o.model.c_str(), config.dModel,
                config.encoderLayers, config.decoderLayers, config.nMels);
    std::printf(
        "device %s, %d threads; audio decode + log-mel %.1f ms; %d run(s) per measurement; greedy, no "
        "temperature fallback\n\n",
        choice.device.name.c_str(), choice.threads, prepareMs, o.runs);

    std::vector<BenchRow> rows;
    for (const std::string& name : splitList(o.precisions)) {
        const device::Precision precision = device::parsePrecision(name);
        BenchRow row;
        row.precision = device::toString(precision);
        row.gemmGflops = device::measureMatmulRate(choice.device.id, precision).gflops;
        const auto loadStart = Clock::now();
        audio::WhisperModel model(o.model, choice.device.id, precision);
        row.loadMs = msSince(loadStart);

        std::string language = o.language;
        if (language.empty()) language = tokens.multilingual ? "" : "en";
        std::vector<float> features = model.encode(window0);  // warm-up
        std::string firstLanguage = language.empty() ? audio::detectLanguage(model, tokens, features).code : language;

        std::vector<double> encoderMs;
        for (int r = 0; r < o.runs; ++r) {
            const auto start = Clock::now();
            features = model.encode(window0);
            encoderMs.push_back(msSince(start));
        }
        row.encoderMs = median(encoderMs);

        audio::WhisperDecodingOptions decoding;
        decoding.language = firstLanguage;
        decoding.sampleLen = o.sampleLen;
        // Once per window, before the first token: the cross-attention keys/values of the encoder output
        // (a [1500 x d] by [d x 2d] product per layer). Timed on its own and left out of the per-token figure.
        std::vector<double> setupMs;
        for (int r = 0; r < o.runs; ++r) {
            const auto start = Clock::now();
            const audio::WhisperModel::Session session = model.startSession(features, 1);
            setupMs.push_back(msSince(start));
        }
        row.windowSetupMs = median(setupMs);
        std::vector<double> perToken;
        for (int r = 0; r < o.runs; ++r) {
            const auto start = Clock::now();
            const audio::WhisperDecodingResult result = audio::decodeGreedy(model, tokens, nullptr, features, decoding);
            perToken.push_back(std::max(0.0, msSince(start) - row.windowSetupMs) / std::max(1, result.steps));
            row.decodeTokens = result.steps;
        }
        row.decoderMsPerToken = median(perToken);
        row.estimatedRtf = (row.encoderMs + row.windowSetupMs + kTokensPerWindow * row.decoderMsPerToken) /
                           (1000.0 * audio::kChunkSeconds);

        // Window-level batching: the first window of every input, one by one vs one batched forward + decode.
        if (inputs.size() > 1) {
            std::vector<audio::MelSpectrogram> windows;
            std::vector<audio::WhisperDecodingOptions> perWindow;
            for (const BenchInput& in : inputs) {
                windows.push_back(in.mel.window(0));
                audio::WhisperDecodingOptions d;
                d.language = firstLanguage;
                d.sampleLen = o.sampleLen;
                perWindow.push_back(d);
            }
            std::vector<double> single, batched;
            for (int r = 0; r < o.runs; ++r) {
                std::vector<std::vector<std::int64_t>> singleTokens;
                auto start = Clock::now();
                for (std::size_t i = 0; i < windows.size(); ++i)
                    singleTokens.push_back(
                        audio::decodeGreedy(model, tokens, nullptr, model.encode(windows[i]), perWindow[i]).tokens);
                single.push_back(msSince(start) / 1000.0);
                start = Clock::now();
                std::vector<std::vector<float>> encoded;
                const auto step = static_cast<std::size_t>(o.batch);
                for (std::size_t b = 0; b < windows.size(); b += step) {
                    const std::vector<audio::MelSpectrogram> chunk(
                        windows.begin() + static_cast<std::ptrdiff_t>(b),
                        windows.begin() + static_cast<std::ptrdiff_t>(std::min(windows.size(), b + step)));
                    for (auto& e : model.encode(chunk)) encoded.push_back(std::move(e));
                }
                std::vector<const std::vector<float>*> pointers;
                for (const auto& e : encoded) pointers.push_back(&e);
                const std::vector<audio::WhisperDecodingResult> results =
                    audio::decodeWindows(model, tokens, nullptr, pointers, perWindow);
                batched.push_back(msSince(start) / 1000.0);
                for (std::size_t i = 0; i < results.size(); ++i)
                    row.windowsSame = row.windowsSame && results[i].tokens == singleTokens[i];
            }
            row.windowsSingleS = median(single);
            row.windowsBatchedS = median(batched);
        }
        if (o.skipTranscribe) {
            rows.push_back(std::move(row));
            continue;
        }

        // Whole files, one by one, then (with several inputs) batched across files. Languages are detected
        // per file when none is given.
        audio::TranscribeOptions options;
        options.language = language;
        options.temperatures = {0.0};
        std::vector<double> seconds;
        for (int r = 0; r < o.runs; ++r) {
            row.tokens.clear();
            row.texts.clear();
            const auto start = Clock::now();
            for (const BenchInput& in : inputs) {
                audio::LogMelStream copy = in.mel;
                const audio::Transcript t = audio::transcribe(model, tokens, tokenizer, copy, options);
                row.tokens.push_back(allTokens(t));
                row.texts.push_back(t.text);
            }
            seconds.push_back(msSince(start) / 1000.0);
        }
        row.transcribeS = median(seconds);
        row.rtf = audioSeconds > 0 ? row.transcribeS / audioSeconds : 0;

        if (inputs.size() > 1) {
            std::vector<double> batched;
            for (int r = 0; r < o.runs; ++r) {
                std::vector<audio::LogMelStream> copies;
                for (const BenchInput& in : inputs) copies.push_back(in.mel);
                std::vector<audio::LogMelStream*> mels;
                for (auto& c : copies) mels.push_back(&c);
                const auto start = Clock::now();
                const std::vector<audio::Transcript> ts =
                    audio::transcribeMany(model, tokens, tokenizer, mels, options, {}, o.batch);
                batched.push_back(msSince(start) / 1000.0);
                for (std::size_t i = 0; i < ts.size(); ++i)
                    row.batchedSame =
                        row.batchedSame && allTokens(ts[i]) == row.tokens[i] && ts[i].text == row.texts[i];
            }
            row.batchedS = median(batched);
            row.batchedRtf = audioSeconds > 0 ? row.batchedS / audioSeconds : 0;
        }

        // The same files as one speech job through the engine, as `benchtop-cli run --batch-files` runs them:
        // model load, reading, windows, decoding and writing the transcripts, with the job's own metrics.
        {
            const fs::path scratch =
                fs::temp_directory_path() /
                ("benchtop-bench-transcribe-" + std::to_string(Clock::now().time_since_epoch().count()));
            engine::EngineOptions engineOptions;
            engineOptions.defaults = {choice.device.id, row.precision, choice.threads};
            engine::Engine engine(workloads::builtinTasks(), engineOptions);
            engine::JobSpec spec;
            spec.inputs = o.inputs;
            spec.task = "speech";
            spec.model = o.model;
            if (!language.empty()) spec.options["language"] = language;
            spec.options["temperature"] = "0";
            spec.options["formats"] = "txt";
            spec.outputDir = scratch.string();
            spec.device = choice.device.id;
            spec.precision = row.precision;
            spec.threads = choice.threads;
            device::resetProcessPeakRss();
            const auto id = engine.submit(spec);
            engine.wait(id);
            const auto snap = engine.snapshot(id);
            std::error_code ec;
            fs::remove_all(scratch, ec);
            if (!snap || snap->state != engine::JobState::Done)
                throw Error(o.model,
                            "the " + row.precision + " speech job failed: " + (snap ? snap->error : "unknown job"));
            row.jobS = snap->metrics.wallSeconds;
            row.jobRtf = audioSeconds > 0 ? row.jobS / audioSeconds : 0;
            row.jobPeakRss = device::processPeakRssBytes();
        }
        rows.push_back(std::move(row));
    }

    std::printf("%-9s %10s %14s %14s %14s %8s %10s", "precision", "load ms", "encoder ms/win", "cross kv ms/win",
                "decoder ms/tok", "tokens", "est. RTF");
    if (inputs.size() > 1) std::printf(" %14s %10s %8s %5s", "windows 1x1 s", "batched s", "speedup", "same");
    std::printf("\n");
    for (const BenchRow& r : rows) {
        std::printf("%-9s %10.1f %14.2f %14.2f %14.3f %8d %10.4f", r.precision.c_str(), r.loadMs, r.encoderMs,
                    r.windowSetupMs, r.decoderMsPerToken, r.decodeTokens, r.estimatedRtf);
        if (inputs.size() > 1)
            std::printf(" %14.3f %10.3f %7.2fx %5s", r.windowsSingleS, r.windowsBatchedS,
                        r.windowsSingleS / r.windowsBatchedS, r.windowsSame ? "yes" : "NO");
        std::printf("\n");
    }
    std::printf(
        "\nest. RTF = (encoder + cross kv per window + %d tokens x decoder per token) / 30 s: what a real model "
        "costs when it decodes ~%d tokens per window\n",
        kTokensPerWindow, kTokensPerWindow);

    // Against the hardware: the encoder is matrix work (fraction of the measured GEMM rate); a decoder step
    // streams every decoder weight once (bytes per token over the time gives the memory rate reached).
    const double d = config.dModel, positions = config.maxSourcePositions, frames = 2 * positions;
    const double encoderFlops = 2.0 * frames * d * config.nMels * 3 + 2.0 * positions * d * d * 3 +
                                config.encoderLayers * (2.0 * positions * (4 * d * d + 2 * d * config.encoderFfn) +
                                                        4.0 * positions * positions * d);
    // Per token: the decoder's weights (self q/k/v/out, cross q/out, MLP, output projection) and the cross-
    // attention keys and values of the window (the cross k/v weights ran once per window).
    const double decoderParams = config.decoderLayers * (6 * d * d + 2 * d * config.decoderFfn) +
                                 double(config.vocabSize) * d + config.decoderLayers * 2.0 * positions * d;
    // Previous implementation (commit c959160) on whisper-small, 2-core AVX512-BF16 machine (issue #10).
    const bool small = config.dModel == 768 && config.encoderLayers == 12 && config.decoderLayers == 12;
    std::printf("\nmemory read rate: %.1f GB/s (a sum over a 512 MB buffer)\n", memoryGbs);
    std::printf("%-9s %12s %14s %10s %14s %12s %10s", "precision", "GEMM GFLOP/s", "encoder GFLOP/s", "of GEMM",
                "decoder MB/tok", "GB/s", "of memory");
    if (small) std::printf(" %14s %14s", "enc vs c959160", "dec vs c959160");
    std::printf("\n");
    for (const BenchRow& r : rows) {
        const double bytes = r.precision == "fp32" ? 4.0 : 2.0;
        const double encoderRate = encoderFlops / (r.encoderMs / 1000.0) / 1e9;
        const double decoderGbs = decoderParams * bytes / (r.decoderMsPerToken / 1000.0) / 1e9;
        std::printf("%-9s %12.0f %14.0f %9.1f%% %14.0f %12.1f %9.1f%%", r.precision.c_str(), r.gemmGflops, encoderRate,
                    100.0 * encoderRate / r.gemmGflops, decoderParams * bytes / 1e6, decoderGbs,
                    100.0 * decoderGbs / memoryGbs);
        if (small) {
            const double encBase = r.precision == "bf16" ? 6900.0 : 8600.0;
            const double decBase = r.precision == "bf16" ? 38.6 : 69.9;
            std::printf(" %13.1fx %13.1fx", encBase / r.encoderMs, decBase / r.decoderMsPerToken);
        }
        std::printf("\n");
    }
    std::printf(
        "(encoder: %.1f GFLOP per 30 s window; decoder: every decoder weight, the %d x %d output "
        "projection and the window's cross-attention keys/values read once per token)\n",
        encoderFlops / 1e9, config.vocabSize, config.dModel);
    if (small)
        std::printf(
            "(vs c959160: time of the previous implementation recorded on whisper-small - encoder 6.9 s bf16 / "
            "8.6 s fp32 per window, decoder 38.6 / 69.9 ms per token - over the time measured now)\n");
    if (inputs.size() > 1)
        std::printf(
            "windows = window 0 of each of the %zu files: encode + greedy decode one by one, vs one encoder "
            "forward per %d windows + decodeWindows(); same = identical tokens\n",
            inputs.size(), o.batch);

    if (!o.skipTranscribe) {
        std::printf("\n%-9s %14s %8s", "precision", "transcribe s", "RTF");
        if (inputs.size() > 1) std::printf(" %11s %8s %8s %5s", "batched s", "RTF", "speedup", "same");
        std::printf("\n");
        for (const BenchRow& r : rows) {
            std::printf("%-9s %14.3f %8.4f", r.precision.c_str(), r.transcribeS, r.rtf);
            if (inputs.size() > 1)
                std::printf(" %11.3f %8.4f %7.2fx %5s", r.batchedS, r.batchedRtf, r.transcribeS / r.batchedS,
                            r.batchedSame ? "yes" : "NO");
            std::printf("\n");
        }
        std::printf(
            "transcribe = whole files one by one (greedy, no fallback); batched = transcribeMany() over the "
            "%zu files, up to %d windows per forward\n",
            inputs.size(), o.batch);
        std::printf("\n%-9s %14s %8s %10s\n", "precision", "engine job s", "RTF", "peak RSS");
        for (const BenchRow& r : rows)
            std::printf("%-9s %14.3f %8.4f %7.0f MB\n", r.precision.c_str(), r.jobS, r.jobRtf, r.jobPeakRss / 1e6);
        std::printf(
            "engine job = the files as one speech job through the engine, as `benchtop-cli run --batch-files` "
            "runs them (model load, decoding, writing transcripts)\n");
    }
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const BenchRow& base = rows.front();
        const BenchRow& r = rows[i];
        std::printf("\n%s / %s: encoder %.2fx, decoder per token %.2fx, est. RTF %.2fx (< 1 = faster)\n",
                    r.precision.c_str(), base.precision.c_str(), r.encoderMs / base.encoderMs,
                    r.decoderMsPerToken / base.decoderMsPerToken, r.estimatedRtf / base.estimatedRtf);
        if (o.skipTranscribe) continue;
        // Agreement per file: tokens identical before the first difference (after it the texts diverge).
        std::size_t agreeing = 0, total = 0, sameTranscripts = 0;
        for (std::size_t f = 0; f < inputs.size(); ++f) {
            const auto& a = base.tokens[f];
            const auto& b = r.tokens[f];
            std::size_t same = 0;
            const std::size_t n = std::min(a.size(), b.size());
            while (same < n && a[same] == b[same]) ++same;
            agreeing += same;
            total += std::max(a.size(), b.size());
            sameTranscripts += a == b ? 1 : 0;
            if (inputs.size() > 1)
                std::printf("  %-28s %5zu of %5zu tokens identical before the first difference%s\n",
                            fs::u8path(inputs[f].path).filename().u8string().c_str(), same,
                            std::max(a.size(), b.size()), a == b ? " (same transcript)" : "");
        }
        std::printf("token agreement with %s: %zu of %zu tokens (%.1f%%); identical transcripts: %zu of %zu\n",
                    base.precision.c_str(), agreeing, total, total ? 100.0 * agreeing / total : 100.0, sameTranscripts,
                    inputs.size());
    }
    return kExitOk;
}

}  // namespace

void addBenchTranscribeCommand(CLI::App& bench) {
    auto options = std::make_shared<BenchOptions>();
    CLI::App* cmd =
        bench.add_subcommand("transcribe", "Whisper speed: encoder per window, decoder per token, real-time factor");
    cmd->add_option("--model", options->model, "Whisper model folder (Hugging Face layout)")->required();
    cmd->add_option("--input", options->inputs,
                    "Audio file(s); the first one is used for the per-window numbers, several are also "
                    "transcribed batched across files")
        ->required();
    cmd->add_option("--batch", options->batch, "Windows per forward for the batched runs (default 8)");
    cmd->add_option("--sample-len", options->sampleLen,
                    "At most N decoded tokens per window in the per-window measurements (default 224, Whisper's)");
    cmd->add_flag("--skip-transcribe", options->skipTranscribe,
                  "Per-window numbers only, no whole-file transcription (random-weight models can take hundreds of "
                  "windows per file)");
    cmd->add_option("--runs", options->runs, "Timed runs per measurement (median reported)");
    cmd->add_option("--precisions", options->precisions, "Comma list of precisions to compare (default fp32,bf16)");
    cmd->add_option("--device", options->device, "cpu, cuda, cuda:N or mps (default cpu)");
    cmd->add_option("--threads", options->threads, "Intra-op threads (0 = physical cores)");
    cmd->add_option("--language", options->language, "Language code (default: detect)");
    setCommandAction(*cmd, [options] { return runBench(*options); });
}

}  // namespace benchtop::cli
