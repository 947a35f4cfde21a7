#include "core/audio/speech_task.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>

#include "core/audio/audio_reader.h"
#include "core/audio/log_mel.h"
#include "core/audio/speech_parts.h"
#include "core/audio/transcript_writer.h"
#include "core/audio/whisper_decoding.h"
#include "core/audio/whisper_model.h"
#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/engine/shard.h"
#include "core/hub/model_store.h"
#include "core/text/tokenizer.h"

namespace fs = std::filesystem;

namespace benchtop::audio {
namespace {

const std::vector<std::string> kAllFormats = {"txt", "srt", "vtt", "json", "tsv"};
const std::vector<std::string> kDefaultFormats = {"txt", "srt", "vtt", "json"};

bool parseBool(const engine::JobSpec& spec, const std::string& key, bool fallback) {
    const auto it = spec.options.find(key);
    if (it == spec.options.end()) return fallback;
    const std::string v = toLowerAscii(it->second);
    if (v.empty() || v == "true" || v == "1" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "0" || v == "no" || v == "off") return false;
    throw Error(key, "'" + it->second + "' is not true or false.");
}

double parseDouble(const std::string& key, const std::string& text) {
    try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size() && std::isfinite(value)) return value;
    } catch (const std::exception&) {
    }
    throw Error(key, "'" + text + "' is not a number.");
}

int parsePositiveInt(const engine::JobSpec& spec, const std::string& key, int fallback) {
    const auto it = spec.options.find(key);
    if (it == spec.options.end() || it->second.empty()) return fallback;
    const double value = parseDouble(key, it->second);
    if (value < 1 || value != std::floor(value) || value > 1000)
        throw Error(key, "'" + it->second + "' is not a whole number from 1 to 1000.");
    return static_cast<int>(value);
}

// A threshold option: a number, or "none"/"off" to disable it (NaN, as TranscribeOptions expects).
double parseThreshold(const engine::JobSpec& spec, const std::string& key, double fallback) {
    const auto it = spec.options.find(key);
    if (it == spec.options.end() || it->second.empty()) return fallback;
    const std::string v = toLowerAscii(it->second);
    if (v == "none" || v == "off") return std::numeric_limits<double>::quiet_NaN();
    return parseDouble(key, it->second);
}

/// One audio file travelling through the pipeline.
struct SpeechItem {
    std::string path;
    std::size_t input = 0;       // index in the job's inputs
    double durationSeconds = 0;  // from the container header (progress estimate)
    std::unique_ptr<LogMelStream> mel;
    Transcript transcript;
};

class SpeechTask final : public engine::Task {
public:
    explicit SpeechTask(const engine::JobSpec& spec)
        : m_options(parseSpeechOptions(spec)), m_shard(engine::shardOf(spec)) {}

    engine::BatchLimits batchLimits() const override {
        // Up to batchFiles files per batch, flushed as soon as they are read (longest first), so at most two
        // batches of spectrograms are held. A batch of several files is transcribed with transcribeMany().
        engine::BatchLimits limits;
        limits.unitBudget = std::numeric_limits<std::int64_t>::max() / 4;
        limits.maxItems = static_cast<std::size_t>(m_options.batchFiles);
        limits.sortWindow = static_cast<std::size_t>(m_options.batchFiles);
        return limits;
    }

    void load(engine::TaskContext& ctx) override {
        const std::string folder = resolveWhisperModel(ctx.spec().model);
        const device::DeviceChoice& choice = ctx.device();
        // Borrowed from the engine's model cache: a folder of recordings, one job each, loads Whisper once.
        m_model = engine::borrowModel<WhisperModel>(
            ctx, engine::ModelCache::folderKey("whisper", folder, device::toString(choice.precision)),
            [&]() { return std::make_shared<WhisperModel>(folder, choice.device.id, choice.precision); },
            engine::ModelCache::estimateFolderBytes(folder, device::toString(choice.precision)));
        m_tokens = WhisperTokens::fromFolder(folder);
        m_tokenizer = std::make_unique<text::Tokenizer>(text::Tokenizer::fromFolder(folder));
        m_nMels = m_model->config().nMels;
        if (!m_options.transcribe.language.empty()) m_tokens.languageToken(m_options.transcribe.language);
        if (!m_options.initialPrompt.empty())
            m_options.transcribe.initialPromptTokens = initialPromptTokens(*m_tokenizer, m_options.initialPrompt);
        ctx.log("Whisper model " + folder + " on " + choice.label());
    }

    void read(engine::TaskContext& ctx, const std::function<void(engine::Item&&)>& emit) override {
        const auto& inputs = ctx.spec().inputs;
        m_stems = transcriptStems(inputs);
        std::vector<AudioInfo> infos;
        std::vector<double> durations;
        for (const std::string& path : inputs) {
            infos.push_back(probeAudio(path));  // throws naming the file when it is not audio
            durations.push_back(infos.back().durationSeconds);
        }
        // A part of a split job (--shard I/N) transcribes whole files, balanced by duration over the parts.
        std::vector<int> part(inputs.size(), m_shard.index);
        if (m_shard.split()) part = assignFilesToParts(durations, m_shard.count);
        double total = 0;
        std::vector<std::size_t> mine;
        for (std::size_t i = 0; i < inputs.size(); ++i)
            if (part[i] == m_shard.index) {
                mine.push_back(i);
                total += durations[i];
            }
        if (mine.empty())
            throw Error("--shard " + m_shard.toString(), "this part has no files: the job has only " +
                                                             std::to_string(inputs.size()) +
                                                             "; use fewer parts than files.");
        ctx.setExpectedTotal(total);
        {
            std::lock_guard<std::mutex> lock(m_totalMutex);
            m_totalSeconds = total;
        }
        for (std::size_t i : mine) {
            const std::string& path = inputs[i];
            const AudioInfo& info = infos[i];
            auto data = std::make_shared<SpeechItem>();
            data->path = path;
            data->input = i;
            data->durationSeconds = info.durationSeconds;
            engine::Item item;
            item.id = fs::u8path(path).filename().u8string();
            item.length = std::max<std::int64_t>(1, std::llround(info.durationSeconds * 100.0));
            item.work = 0;  // progress is added window by window in run()
            item.data = std::move(data);
            emit(std::move(item));
        }
    }

    void prepare(engine::TaskContext& ctx, engine::Item& item) override {
        SpeechItem& s = item.as<SpeechItem>();
        // A file cut short (a broken download, a header that declares more than is there) is transcribed as
        // far as it goes, with a note, rather than refused.
        DecodedAudio audio = decodeForWhisper(s.path, m_nMels.load(), [&] { ctx.throwIfCancelled(); });
        const double decoded = audio.decodedSeconds;
        if (audio.headerExact && decoded + 0.5 + s.durationSeconds / 100 < s.durationSeconds) {
            char note[256];
            std::snprintf(note, sizeof note,
                          "%s ends early: %.2f s of the %.2f s its header declares could be decoded (a cut or "
                          "damaged file); transcribing what is there",
                          item.id.c_str(), decoded, s.durationSeconds);
            ctx.log(note);
            std::lock_guard<std::mutex> lock(m_totalMutex);
            m_totalSeconds -= s.durationSeconds - decoded;
            s.durationSeconds = decoded;
            ctx.setExpectedTotal(m_totalSeconds);
        }
        auto& mel = audio.mel;
        item.length = std::max<std::int64_t>(1, mel->contentFrames());
        s.mel = std::move(mel);
    }

    void run(engine::TaskContext& ctx, const std::vector<engine::Item*>& batch) override {
        // Progress in audio seconds: frames done scaled to each file's header duration, so the job's total adds up.
        std::vector<double> reported(batch.size(), 0.0);
        const auto onProgress = [&](std::size_t file, std::int64_t done, std::int64_t frames) {
            ctx.throwIfCancelled();
            const double total = batch[file]->as<SpeechItem>().durationSeconds;
            const double seconds = frames > 0 ? total * static_cast<double>(done) / static_cast<double>(frames) : 0;
            if (seconds > reported[file]) {
                ctx.addProgress(seconds - reported[file]);
                reported[file] = seconds;
            }
        };
        if (batch.size() == 1) {
            SpeechItem& s = batch.front()->as<SpeechItem>();
            try {
                s.transcript = transcribe(*m_model, m_tokens, *m_tokenizer, *s.mel, m_options.transcribe,
                                          [&](std::int64_t done, std::int64_t frames) { onProgress(0, done, frames); });
            } catch (const CancelledError&) {
                throw;
            } catch (const Error& e) {
                throw Error(s.path, e.what());
            }
        } else {
            std::vector<LogMelStream*> mels;
            std::string names;
            for (engine::Item* item : batch) {
                mels.push_back(item->as<SpeechItem>().mel.get());
                names += (names.empty() ? "" : ", ") + item->as<SpeechItem>().path;
            }
            std::vector<Transcript> transcripts;
            try {
                transcripts = transcribeMany(*m_model, m_tokens, *m_tokenizer, mels, m_options.transcribe, onProgress,
                                             m_options.batchFiles);
            } catch (const CancelledError&) {
                throw;
            } catch (const Error& e) {
                throw Error(names, e.what());
            }
            for (std::size_t i = 0; i < batch.size(); ++i)
                batch[i]->as<SpeechItem>().transcript = std::move(transcripts[i]);
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            SpeechItem& s = batch[i]->as<SpeechItem>();
            if (reported[i] < s.durationSeconds) ctx.addProgress(s.durationSeconds - reported[i]);
            s.mel.reset();
        }
    }

    void finish(engine::TaskContext& ctx, std::vector<engine::Item>& items) override {
        double seconds = 0;
        std::size_t segments = 0;
        for (engine::Item& item : items) {
            const SpeechItem& s = item.as<SpeechItem>();
            // Names over all of the job's inputs (also in a part): a/talk.wav and b/talk.wav never overwrite.
            for (const std::string& format : m_options.formats)
                writeTranscript(s.transcript, format, ctx.outputPath(m_stems[s.input] + "." + format));
            seconds += s.durationSeconds;
            segments += s.transcript.segments.size();
        }
        if (m_shard.split()) {
            SpeechPart part;
            part.inputs = ctx.spec().inputs;
            part.model = ctx.spec().model;
            for (const auto& [key, value] : ctx.spec().options)
                if (key != "shard") part.options.emplace_back(key, value);
            part.formats = m_options.formats;
            part.device = ctx.device().device.id;
            part.precision = device::toString(ctx.device().precision);
            part.index = m_shard.index;
            part.count = m_shard.count;
            for (engine::Item& item : items)
                part.files.emplace_back(item.as<SpeechItem>().input, item.as<SpeechItem>().durationSeconds);
            writeSpeechPart(ctx.outputPath(kSpeechPartFile), part);
        }
        std::ostringstream summary;
        summary << items.size() << (items.size() == 1 ? " file" : " files") << ", " << segments << " segments";
        if (items.size() == 1 && !items.front().as<SpeechItem>().transcript.language.empty())
            summary << ", language " << items.front().as<SpeechItem>().transcript.language;
        ctx.setSummary(summary.str());
    }

    void unload(engine::TaskContext&) override {
        m_model.reset();
        m_tokenizer.reset();
    }

private:
    SpeechOptions m_options;
    engine::Shard m_shard;
    std::vector<std::string> m_stems;       ///< result name of each input (all of the job's, also in a part)
    std::shared_ptr<WhisperModel> m_model;  ///< borrowed from the engine's model cache while the job runs
    std::mutex m_totalMutex;                // prepare() runs on the CPU pool
    double m_totalSeconds = 0;              // the job's audio seconds, corrected for files that end early
    WhisperTokens m_tokens;
    std::unique_ptr<text::Tokenizer> m_tokenizer;
    std::atomic<int> m_nMels{80};
};

}  // namespace

std::string resolveWhisperModel(const std::string& ref) {
    if (ref.empty()) throw Error("speech", "No Whisper model was given; pass a Whisper model folder (--model DIR).");
    std::error_code ec;
    if (fs::is_directory(fs::u8path(ref), ec)) {
        if (!fs::exists(fs::u8path(ref) / "config.json", ec))
            throw Error(ref, "The model folder has no config.json; give a Hugging Face Whisper model folder.");
        return ref;
    }
    if (ref.find('/') == std::string::npos || hub::looksLikeRepoId(ref)) {
        hub::Catalog catalog;
        try {
            catalog = hub::Catalog::loadDefault();
        } catch (const Error&) {
            // Without a catalog the store still finds repo ids in the store and the Hugging Face cache.
        }
        try {
            return hub::ModelStore(std::move(catalog)).resolve(ref);
        } catch (const Error& e) {
            throw Error(ref, std::string("model not found: ") + e.what() + " (give a Whisper model folder)");
        }
    }
    throw Error(ref, "model not found: " + ref + " (give a Whisper model folder)");
}

std::vector<std::int64_t> initialPromptTokens(const text::Tokenizer& tokenizer, const std::string& prompt) {
    text::EncodeOptions encode;
    encode.addSpecialTokens = false;
    encode.matchAddedTokens = false;
    const text::Encoding e = tokenizer.encode(" " + stripPythonWhitespace(prompt), encode);
    return {e.ids.begin(), e.ids.end()};
}

DecodedAudio decodeForWhisper(const std::string& path, int nMels, const std::function<void()>& checkCancel) {
    // A file cut short (a broken download, a header that declares more than is there) is transcribed as far as
    // it goes rather than refused.
    AudioReaderOptions readerOptions;
    readerOptions.rejectTruncated = false;
    AudioReader reader(path, readerOptions);
    DecodedAudio out;
    out.mel = std::make_unique<LogMelStream>(nMels);
    std::vector<float> chunk;
    constexpr std::size_t kChunk = 10 * kSampleRate;
    for (;;) {
        if (checkCancel) checkCancel();
        chunk.clear();
        if (reader.read(chunk, kChunk) == 0) break;
        out.mel->push(chunk);
    }
    out.decodedSeconds = static_cast<double>(reader.samplesRead()) / kSampleRate;
    out.headerExact = reader.info().durationExact;
    out.mel->finish(kChunkSamples);  // transcribe() pads with 30 s of zeros, as openai does
    return out;
}

const std::vector<std::string>& speechExtensions() {
    static const std::vector<std::string> kExtensions = {".wav",  ".flac", ".mp3", ".ogg", ".m4a", ".mp4",
                                                         ".opus", ".webm", ".aac", ".mkv", ".mov"};
    return kExtensions;
}

SpeechOptions parseSpeechOptions(const engine::JobSpec& spec) {
    SpeechOptions o;
    TranscribeOptions& t = o.transcribe;
    const std::string language = toLowerAscii(spec.option("language", "auto"));
    t.language = language == "auto" ? std::string() : language;
    t.task = toLowerAscii(spec.option("whisper-task", "transcribe"));
    if (t.task != "transcribe" && t.task != "translate")
        throw Error("whisper-task", "'" + t.task + "' is not a Whisper task; use transcribe or translate.");
    t.wordTimestamps = parseBool(spec, "word-timestamps", false);
    t.conditionOnPreviousText = parseBool(spec, "condition-on-previous-text", true);
    t.beamSize = parsePositiveInt(spec, "beam-size", 0);
    t.bestOf = parsePositiveInt(spec, "best-of", 0);
    if (const std::string p = spec.option("patience"); !p.empty()) {
        t.patience = parseDouble("patience", p);
        if (t.patience <= 0) throw Error("patience", "must be greater than 0.");
    }
    if (const std::string seed = spec.option("seed"); !seed.empty())
        t.seed = static_cast<std::uint64_t>(parseDouble("seed", seed));

    t.temperatures.clear();
    for (const std::string& value : splitCommaList(spec.option("temperature", "0,0.2,0.4,0.6,0.8,1.0"))) {
        const double temperature = parseDouble("temperature", value);
        if (temperature < 0) throw Error("temperature", "'" + value + "' is negative.");
        t.temperatures.push_back(temperature);
    }
    if (t.temperatures.empty()) throw Error("temperature", "no temperature was given.");
    if (!parseBool(spec, "temperature-fallback", true)) t.temperatures.resize(1);
    o.batchFiles = parsePositiveInt(spec, "batch-files", 8);
    t.compressionRatioThreshold = parseThreshold(spec, "compression-ratio-threshold", 2.4);
    t.logprobThreshold = parseThreshold(spec, "logprob-threshold", -1.0);
    t.noSpeechThreshold = parseThreshold(spec, "no-speech-threshold", 0.6);
    o.initialPrompt = spec.option("initial-prompt");

    const std::string formats = toLowerAscii(spec.option("formats", ""));
    if (formats.empty()) {
        o.formats = kDefaultFormats;
    } else if (formats == "all") {
        o.formats = kAllFormats;
    } else {
        for (const std::string& f : splitCommaList(formats)) {
            if (std::find(kAllFormats.begin(), kAllFormats.end(), f) == kAllFormats.end())
                throw Error("formats", "'" + f + "' is not an output format; use txt, srt, vtt, json, tsv or all.");
            if (std::find(o.formats.begin(), o.formats.end(), f) == o.formats.end()) o.formats.push_back(f);
        }
        if (o.formats.empty()) throw Error("formats", "no output format was given.");
    }
    return o;
}

engine::TaskKind speechTaskKind() {
    using engine::OptionType;
    engine::TaskKind kind;
    kind.id = "speech";
    kind.name = "Speech (Whisper)";
    kind.order = 20;
    kind.fileDescription = "wav, flac, mp3, ogg, opus, m4a, aac; video: mp4, webm, mkv, mov";
    kind.extensions = speechExtensions();
    kind.mimeTypes = {"audio/x-wav", "audio/flac", "audio/mpeg", "audio/ogg",        "audio/x-opus+ogg", "audio/mp4",
                      "audio/aac",   "video/mp4",  "video/webm", "video/x-matroska", "video/quicktime"};
    kind.workUnit = {"audio s", true};
    kind.choosesModel = true;
    kind.aliases = {{"transcribe", {{"whisper-task", "transcribe"}}}, {"translate", {{"whisper-task", "translate"}}}};
    kind.options = {
        {"language", OptionType::Text, "Language", "language code (en, zh, ...) or auto", "auto"},
        {"whisper-task",
         OptionType::Choice,
         "Task",
         "transcribe, or translate into English",
         "transcribe",
         {"transcribe", "translate"},
         0,
         0,
         "-"},
        {"word-timestamps", OptionType::Switch, "Word timestamps", "word-level timestamps", "false"},
        {"beam-size", OptionType::Integer, "Beam size", "beam search width (default greedy)", "", {}, 1, 1000},
        {"best-of", OptionType::Integer, "Best of", "candidates sampled at non-zero temperature", "", {}, 1, 1000},
        {"patience", OptionType::Number, "Patience", "beam search patience (faster-whisper's)", "", {}, 0.0, 1000.0},
        {"temperature", OptionType::Text, "Temperatures", "temperatures tried in turn, comma-separated",
         "0,0.2,0.4,0.6,0.8,1.0"},
        {"temperature-fallback", OptionType::Switch, "Temperature fallback",
         "retry a window at the next temperature when it fails the thresholds", "true"},
        {"condition-on-previous-text", OptionType::Switch, "Condition on previous text",
         "give the decoder the previous window's text as prompt", "true"},
        {"compression-ratio-threshold", OptionType::Text, "Compression ratio threshold",
         "gzip ratio above which a window is decoded again (none = off)", "2.4"},
        {"logprob-threshold", OptionType::Text, "Log-probability threshold",
         "average log-probability below which a window is decoded again (none = off)", "-1.0"},
        {"no-speech-threshold", OptionType::Text, "No-speech threshold",
         "no-speech probability above which a silent window is skipped (none = off)", "0.6"},
        {"initial-prompt", OptionType::Text, "Initial prompt", "text given to the decoder before the first window"},
        {"seed", OptionType::Integer, "Seed", "random seed for sampling at non-zero temperature"},
        {"batch-files",
         OptionType::Integer,
         "Files per batch",
         "with --batch-files: how many files share encoder and decoder forwards",
         "8",
         {},
         1,
         1000,
         "-"},
        {"formats",
         OptionType::List,
         "Output formats",
         "txt,srt,vtt,json,tsv or all",
         "txt,srt,vtt,json",
         {"txt", "srt", "vtt", "json", "tsv", "all"}},
    };
    kind.recognise = [](const engine::FileProbe& probe) {
        if (!probe.exists || probe.isDirectory) return 0;
        const auto& ext = speechExtensions();
        return std::find(ext.begin(), ext.end(), probe.extension) != ext.end() ? 50 : 0;
    };
    kind.create = engine::createTask<SpeechTask>;
    kind.sharding.unit = "files";
    kind.sharding.isPart = isSpeechPart;
    kind.sharding.merge = mergeSpeechParts;
    return kind;
}

}  // namespace benchtop::audio
