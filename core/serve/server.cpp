#include "core/serve/server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/audio/audio_reader.h"
#include "core/audio/log_mel.h"
#include "core/audio/speech_task.h"
#include "core/audio/whisper_model.h"
#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/device/machine_report.h"
#include "core/engine/engine.h"
#include "core/engine/model_cache.h"
#include "core/serve/embedding_batcher.h"
#include "core/serve/openai_api.h"
#include "core/serve/speech_batcher.h"
#include "core/text/embedding_task.h"
#include "core/text/text_encoder.h"

namespace fs = std::filesystem;

namespace benchtop::serve {
namespace {

using Clock = std::chrono::steady_clock;

// When the request being handled on this thread arrived (set by the pre-routing handler, read by the logger:
// httplib runs both for one request on one thread).
thread_local Clock::time_point t_requestStart = Clock::now();

const std::set<std::string> kEndpoints = {"/health",
                                          "/metrics",
                                          "/v1/models",
                                          "/v1/embeddings",
                                          "/v1/audio/transcriptions",
                                          "/v1/audio/translations",
                                          "/v1/methylation/predict"};

void sendError(httplib::Response& res, const HttpError& error) {
    res.status = error.status();
    if (error.status() == 429) res.set_header("Retry-After", "1");
    if (error.status() == 401) res.set_header("WWW-Authenticate", "Bearer");
    if (error.status() == 503) res.set_header("Retry-After", "5");
    res.set_content(errorBody(error), "application/json");
}

bool constantTimeEquals(const std::string& a, const std::string& b) {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
    return diff == 0 && !b.empty();
}

bool contentTypeIs(const httplib::Request& req, const std::string& type) {
    const std::string value = toLowerAscii(req.get_header_value("Content-Type"));
    return value.compare(0, type.size(), type) == 0;
}

/// A text field of a multipart form ("" when absent).
std::string formField(const httplib::Request& req, const std::string& key) {
    return req.has_file(key) ? req.get_file_value(key).content : std::string();
}

/// The upload's file name made safe as one path component (no folders, no control characters).
std::string safeFileName(const std::string& name, const std::string& fallback) {
    std::string base = fs::u8path(name).filename().u8string();
    std::string out;
    for (char c : base) out += (static_cast<unsigned char>(c) < 32 || c == '/' || c == '\\' || c == ':') ? '_' : c;
    if (out.empty() || out == "." || out == "..") out = fallback;
    return out;
}

/// A temporary folder for one request's files, removed with everything in it when the last holder lets go.
class RequestFolder {
public:
    explicit RequestFolder(const std::string& root) {
        static std::atomic<std::uint64_t> counter{0};
        std::random_device random;
        const fs::path base = root.empty() ? fs::temp_directory_path() : fs::u8path(root);
        for (int attempt = 0; attempt < 100; ++attempt) {
            const fs::path p = base / ("benchtop-serve-" + std::to_string(random()) + "-" + std::to_string(++counter));
            std::error_code ec;
            if (fs::create_directories(p, ec)) {
                m_path = p;
                return;
            }
        }
        throw HttpError(500, "Could not create a temporary folder in " + base.u8string() + ".");
    }
    ~RequestFolder() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    RequestFolder(const RequestFolder&) = delete;
    RequestFolder& operator=(const RequestFolder&) = delete;
    const fs::path& path() const { return m_path; }
    /// Writes `content` to `name` in the folder and returns its path.
    std::string write(const std::string& name, const std::string& content) const {
        const fs::path p = m_path / fs::u8path(name);
        std::ofstream out(p, std::ios::binary);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out) throw HttpError(500, "Could not store the upload (disk full?).");
        return p.u8string();
    }
    /// `message` with the folder's path taken out, so errors name the uploaded file as the client knows it.
    std::string clientView(std::string message) const {
        const std::string prefix = m_path.u8string() + "/";
        for (std::size_t at; (at = message.find(prefix)) != std::string::npos;) message.erase(at, prefix.size());
        return message;
    }

private:
    fs::path m_path;
};

/// "64 MiB", "1000 bytes".
std::string sizeText(std::size_t bytes) {
    if (bytes >= (std::size_t(1) << 20) && bytes % (std::size_t(1) << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    return std::to_string(bytes) + " bytes";
}

}  // namespace

std::string modelIdOf(const std::string& ref) {
    std::error_code ec;
    if (fs::is_directory(fs::u8path(ref), ec)) {
        std::string name = fs::u8path(ref).lexically_normal().filename().u8string();
        if (name.empty()) name = fs::u8path(ref).lexically_normal().parent_path().filename().u8string();
        return name.empty() ? ref : name;
    }
    return ref;
}

ModelSpec parseModelSpec(const std::string& value) {
    const auto eq = value.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == value.size())
        throw Error("--model " + value, "give KIND=MODEL, e.g. text=BAAI/bge-small-en-v1.5 or speech=DIR.");
    ModelSpec spec{toLowerAscii(value.substr(0, eq)), value.substr(eq + 1)};
    if (spec.kind == "embeddings" || spec.kind == "embedding") spec.kind = "text";
    if (spec.kind == "whisper" || spec.kind == "transcription") spec.kind = "speech";
    if (spec.kind != "text" && spec.kind != "speech")
        throw Error("--model " + value, "'" + spec.kind + "' is not a served kind; use text or speech.");
    return spec;
}

bool isLoopbackHost(const std::string& host) {
    return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

std::string readApiKeyFile(const std::string& path) {
    std::ifstream in(fs::u8path(path), std::ios::binary);
    if (!in) throw Error(path, "could not read the API key file.");
    std::string line;
    std::getline(in, line);
    const auto first = line.find_first_not_of(" \t\r\n");
    const auto last = line.find_last_not_of(" \t\r\n");
    if (first == std::string::npos) throw Error(path, "the API key file is empty; put the key on its first line.");
    return line.substr(first, last - first + 1);
}

struct Server::Impl {
    struct TextModel {
        std::string id;
        std::string ref;
        std::string folder;
        std::shared_ptr<text::TextEncoder> encoder;
        std::unique_ptr<EmbeddingBatcher> batcher;
    };
    struct SpeechModel {
        std::string id;
        std::string ref;
        std::string folder;
        std::unique_ptr<SpeechBatcher> batcher;
    };
    /// Holds one admitted request's place in the queue.
    struct Ticket {
        explicit Ticket(std::atomic<std::size_t>& count) : m_count(count) {}
        ~Ticket() { --m_count; }
        std::atomic<std::size_t>& m_count;
    };

    Impl(engine::Engine& e, ServeOptions o) : engine(e), options(std::move(o)) {}

    engine::Engine& engine;
    ServeOptions options;
    device::DeviceChoice choice;
    std::string precision = "fp32";
    std::vector<TextModel> text;
    std::vector<SpeechModel> speech;
    ServeMetrics metrics;
    httplib::Server http;
    std::thread listener;
    int port = 0;
    std::atomic<bool> running{false};
    std::atomic<bool> draining{false};
    std::atomic<std::size_t> admitted{0};
    Clock::time_point started = Clock::now();
    std::mutex lifecycle;

    void loadModels();
    void configureRoutes();

    std::shared_ptr<Ticket> admit() {
        std::size_t current = admitted.load();
        do {
            if (current >= options.maxQueue)
                throw HttpError(429,
                                "The server is busy: " + std::to_string(current) +
                                    " requests are queued or running (--max-queue). Retry shortly.",
                                "queue_full");
        } while (!admitted.compare_exchange_weak(current, current + 1));
        return std::make_shared<Ticket>(admitted);
    }

    TextModel& textModel(const std::string& name) {
        if (text.empty())
            throw HttpError(404, "No text-embedding model is served here; start the server with --model text=MODEL.",
                            "model_not_found", "model");
        if (name.empty()) return text.front();
        for (auto& m : text)
            if (m.id == name || m.ref == name || m.folder == name) return m;
        throw HttpError(404, "The model '" + name + "' is not served here; text models: " + idsOf(text) + ".",
                        "model_not_found", "model");
    }

    SpeechModel& speechModel(const std::string& name) {
        if (speech.empty())
            throw HttpError(404, "No Whisper model is served here; start the server with --model speech=MODEL.",
                            "model_not_found", "model");
        // OpenAI's clients send "whisper-1": the first Whisper model served answers it.
        if (name.empty() || name == "whisper-1") return speech.front();
        for (auto& m : speech)
            if (m.id == name || m.ref == name || m.folder == name) return m;
        throw HttpError(404, "The model '" + name + "' is not served here; speech models: " + idsOf(speech) + ".",
                        "model_not_found", "model");
    }

    template <class Models>
    static std::string idsOf(const Models& models) {
        std::string out;
        for (const auto& m : models) out += (out.empty() ? "" : ", ") + m.id;
        return out;
    }

    /// Answers `res` when the work is done. Work that finishes within `streamAfterMs` gets a plain response with
    /// its real status. Longer work is answered as a stream that starts when it is done (httplib tells a handler
    /// nothing about its connection, a stream's writer can ask): while it waits, the client's connection is checked
    /// every 25 ms, and a client that hung up cancels the work. A failure after that point can only be told in the
    /// body, so only work whose input was checked before it was queued (embeddings, transcriptions) streams;
    /// `streamAfterMs` < 0 waits here to the end.
    void answerWhenDone(httplib::Response& res, const std::string& endpoint, const std::string& streamType,
                        double streamAfterMs, std::function<bool(std::chrono::milliseconds)> waitFor,
                        std::function<void()> cancel, std::function<void(httplib::Response&)> render,
                        std::shared_ptr<void> keep) {
        bool done = false;
        if (streamAfterMs < 0)
            while (!(done = waitFor(std::chrono::milliseconds(1000)))) {
            }
        else
            done = waitFor(std::chrono::milliseconds(static_cast<std::int64_t>(streamAfterMs)));
        if (done) {
            try {
                render(res);
            } catch (const HttpError& e) {
                sendError(res, e);
            }
            return;
        }
        // The stream's outcome, counted once: httplib's logger does not see streamed answers. A stream whose
        // writer never ran (the client left before the status line could be sent) is a hang-up too: the guard
        // cancels the work when httplib drops the response.
        struct Outcome {
            std::function<void(int)> count;
            std::function<void()> cancel;
            std::shared_ptr<void> keep;  // the request's place in the queue: given back after the count
            bool counted = false;
            void finish(int status) {
                if (counted) return;
                counted = true;
                if (status == 499) cancel();
                count(status);
            }
            ~Outcome() { finish(499); }
        };
        const Clock::time_point start = t_requestStart;
        auto outcome = std::make_shared<Outcome>();
        outcome->count = [this, endpoint, start](int status) {
            metrics.requestFinished(endpoint, status, std::chrono::duration<double>(Clock::now() - start).count());
        };
        outcome->cancel = cancel;
        outcome->keep = std::move(keep);
        res.set_chunked_content_provider(streamType, [outcome, waitFor, render](std::size_t, httplib::DataSink& sink) {
            while (!waitFor(std::chrono::milliseconds(25))) {
                if (!sink.is_writable()) {
                    outcome->finish(499);  // nginx's "client closed request"
                    return false;
                }
            }
            httplib::Response done;
            int status = 200;
            try {
                render(done);
            } catch (const HttpError& e) {
                done.body = errorBody(e);  // the status line went out already: the body says what failed
                status = e.status();
            }
            sink.write(done.body.data(), done.body.size());
            sink.done();
            outcome->finish(status);
            return true;
        });
    }

    void handleEmbeddings(const httplib::Request& req, httplib::Response& res);
    void handleTranscription(const httplib::Request& req, httplib::Response& res, const std::string& task);
    void handleMethylation(const httplib::Request& req, httplib::Response& res);
    void handleHealth(httplib::Response& res);
    void handleModels(httplib::Response& res);
    std::string metricsText();
};

void Server::Impl::loadModels() {
    for (const ModelSpec& spec : options.models) {
        if (spec.kind == "text") {
            TextModel m;
            m.ref = spec.ref;
            m.folder = text::resolveTextModel(spec.ref);
            m.id = modelIdOf(spec.ref);
            text::OutputSelection heads;
            std::error_code ec;
            heads.sparse = fs::exists(fs::u8path(m.folder) / "sparse_linear.pt", ec);
            heads.colbert = fs::exists(fs::u8path(m.folder) / "colbert_linear.pt", ec);
            const std::string headKey = std::string("d") + (heads.sparse ? "s" : "") + (heads.colbert ? "c" : "");
            const std::string deviceId = choice.device.id;
            engine
                .runOnDevice(
                    deviceId,
                    [&] {
                        m.encoder = engine.models().acquire<text::TextEncoder>(
                            deviceId, text::textEncoderCacheKey(m.folder, precision, headKey),
                            [&]() -> std::shared_ptr<text::TextEncoder> {
                                return text::TextEncoder::load(m.folder, deviceId, precision, heads);
                            },
                            engine::ModelCache::estimateFolderBytes(m.folder, precision));
                    },
                    choice.threads)
                .get();
            EmbeddingBatcherOptions batching;
            batching.limits = text::embeddingBatchLimits(precision);
            batching.maxWaitMs = options.batchWaitMs;
            batching.crossRequest = options.crossRequestBatching;
            batching.threads = choice.threads;
            // What a device call costs in tokens of work: on a CPU small batches also run the matrix products
            // less efficiently (bench serve on bge-small: 128 gave the most requests/s, against 32 and 512); a
            // GPU launches kernels per batch and its tokens are cheap, so there a batch is worth thousands.
            batching.batchOverheadTokens = choice.device.kind == device::DeviceKind::Cpu ? 128 : 4096;
            m.batcher = std::make_unique<EmbeddingBatcher>(engine, m.encoder, deviceId, batching, &metrics);
            text.push_back(std::move(m));
        } else {
            SpeechModel m;
            m.ref = spec.ref;
            m.folder = audio::resolveWhisperModel(spec.ref);
            m.id = modelIdOf(spec.ref);
            LoadedWhisper whisper;
            whisper.folder = m.folder;
            const std::string deviceId = choice.device.id;
            const device::Precision p = choice.precision;
            engine
                .runOnDevice(
                    deviceId,
                    [&] {
                        whisper.model = engine.models().acquire<audio::WhisperModel>(
                            deviceId, engine::ModelCache::folderKey("whisper", m.folder, precision),
                            [&] { return std::make_shared<audio::WhisperModel>(m.folder, deviceId, p); },
                            engine::ModelCache::estimateFolderBytes(m.folder, precision));
                    },
                    choice.threads)
                .get();
            whisper.tokens = audio::WhisperTokens::fromFolder(m.folder);
            whisper.tokenizer = std::make_shared<text::Tokenizer>(text::Tokenizer::fromFolder(m.folder));
            m.batcher = std::make_unique<SpeechBatcher>(engine, std::move(whisper), deviceId, options.speechBatchFiles,
                                                        std::max(options.batchWaitMs, 20.0),
                                                        options.crossRequestBatching, choice.threads, &metrics);
            speech.push_back(std::move(m));
        }
    }
    std::set<std::string> ids;
    for (const auto& m : text)
        if (!ids.insert(m.id).second) throw Error("--model " + m.ref, "two served models are both named " + m.id + ".");
    for (const auto& m : speech)
        if (!ids.insert(m.id).second) throw Error("--model " + m.ref, "two served models are both named " + m.id + ".");
}

void Server::Impl::handleEmbeddings(const httplib::Request& req, httplib::Response& res) {
    if (!contentTypeIs(req, "application/json"))
        throw HttpError(415, "Send the request as JSON (Content-Type: application/json).");
    EmbeddingsCall call = parseEmbeddingsCall(req.body, options.maxInputs);
    TextModel& model = textModel(call.model);
    const text::OutputSelection& heads = model.encoder->outputs();
    if (call.sparse && !heads.sparse)
        throw HttpError(400,
                        "The model '" + model.id +
                            "' has no sparse head (sparse_linear.pt): it cannot return "
                            "lexical weights.",
                        {}, "return_sparse");
    if (call.colbert && !heads.colbert)
        throw HttpError(400, "The model '" + model.id + "' has no ColBERT head (colbert_linear.pt).", {},
                        "return_colbert_vecs");
    auto ticket = admit();
    auto request = std::make_shared<EmbeddingRequest>();
    request->wantSparse = call.sparse;
    request->wantColbert = call.colbert;
    // Tokenized as the text workload tokenizes, so the embeddings equal the CLI's.
    const std::size_t maxLength = model.encoder->tokenizer().maxLength();
    std::int64_t promptTokens = 0;
    request->encodings.reserve(call.texts.size());
    for (const std::string& t : call.texts) {
        request->encodings.push_back(
            text::encodeForEmbedding(model.encoder->tokenizer(), t, call.sparse || call.colbert, maxLength));
        promptTokens += static_cast<std::int64_t>(request->encodings.back().ids.size());
    }
    model.batcher->submit(request);
    const std::size_t dim = model.encoder->dimension();
    const std::size_t colbertDim = model.encoder->colbertDimension();
    const std::string id = model.id;
    auto shared = std::make_shared<EmbeddingsCall>(std::move(call));
    answerWhenDone(
        res, "/v1/embeddings", "application/json", options.streamAfterMs,
        [request](std::chrono::milliseconds t) { return request->waitFor(t); }, [request] { request->cancel(); },
        [request, shared, dim, colbertDim, id, promptTokens](httplib::Response& out) {
            if (!request->error().empty()) throw HttpError(500, "Embedding failed: " + request->error());
            out.set_content(embeddingsResponse(*shared, *request, dim, colbertDim, id, promptTokens),
                            "application/json");
        },
        ticket);
}

void Server::Impl::handleTranscription(const httplib::Request& req, httplib::Response& res, const std::string& task) {
    if (!req.is_multipart_form_data())
        throw HttpError(415, "Send the audio as multipart/form-data with a 'file' field (as OpenAI's clients do).");
    if (!req.has_file("file") || req.get_file_value("file").filename.empty())
        throw HttpError(400, "The form has no 'file' upload: attach the audio as the 'file' field.", {}, "file");
    SpeechModel& model = speechModel(formField(req, "model"));
    const TranscriptFormat format = parseTranscriptFormat(formField(req, "response_format"));
    bool words = false;
    bool segments = false;
    for (const char* key : {"timestamp_granularities[]", "timestamp_granularities"}) {
        const auto range = req.files.equal_range(key);
        for (auto it = range.first; it != range.second; ++it) {
            const std::string g = toLowerAscii(it->second.content);
            if (g == "word")
                words = true;
            else if (g == "segment")
                segments = true;
            else
                throw HttpError(400, "'timestamp_granularities[]' takes word or segment, not '" + g + "'.", {},
                                "timestamp_granularities[]");
        }
    }
    if (!words) segments = true;  // OpenAI: segments unless only words were asked for

    // The request's options in the speech workload's terms, so they mean what the CLI's flags mean.
    engine::JobSpec spec;
    spec.options["whisper-task"] = task;
    const std::string language = toLowerAscii(formField(req, "language"));
    if (!language.empty()) spec.options["language"] = language;
    const std::string temperature = formField(req, "temperature");
    if (!temperature.empty()) {
        char* end = nullptr;
        const double t = std::strtod(temperature.c_str(), &end);
        if (end == temperature.c_str() || *end != '\0' || !(t >= 0.0 && t <= 1.0))
            throw HttpError(400, "'temperature' must be a number from 0 to 1.", {}, "temperature");
        if (t > 0) spec.options["temperature"] = temperature;  // 0 = OpenAI's automatic fallback, the default
    }
    if (words) spec.options["word-timestamps"] = "true";
    for (const char* extension :
         {"beam_size", "best_of", "patience", "condition_on_previous_text", "compression_ratio_threshold",
          "logprob_threshold", "no_speech_threshold", "seed", "temperature_fallback"}) {
        const std::string value = formField(req, extension);
        if (value.empty()) continue;
        std::string key = extension;
        std::replace(key.begin(), key.end(), '_', '-');
        spec.options[key] = value;
    }
    audio::SpeechOptions parsed;
    try {
        parsed = audio::parseSpeechOptions(spec);
    } catch (const Error& e) {
        throw HttpError(400, e.what());
    }
    const LoadedWhisper& whisper = model.batcher->whisper();
    if (!parsed.transcribe.language.empty()) {
        try {
            whisper.tokens.languageToken(parsed.transcribe.language);
        } catch (const Error& e) {
            throw HttpError(400, e.what(), {}, "language");
        }
    }
    const std::string prompt = formField(req, "prompt");
    if (!prompt.empty()) {
        parsed.transcribe.initialPromptTokens = audio::initialPromptTokens(*whisper.tokenizer, prompt);
    }
    auto ticket = admit();

    // Decode the upload here, on the request's thread: requests decode in parallel while the device transcribes.
    const httplib::MultipartFormData upload = req.get_file_value("file");
    auto folder = std::make_shared<RequestFolder>(options.uploadDir);
    const std::string name = safeFileName(upload.filename, "audio");
    const std::string path = folder->write(name, upload.content);
    auto request = std::make_shared<TranscriptionRequest>();
    request->options = parsed.transcribe;
    try {
        audio::probeAudio(path);
    } catch (const Error& e) {
        throw HttpError(415, folder->clientView(e.what()), "unsupported_audio", "file");
    }
    try {
        audio::DecodedAudio decoded = audio::decodeForWhisper(path, whisper.model->config().nMels);
        request->mel = std::move(decoded.mel);
        request->audioSeconds = decoded.decodedSeconds;
    } catch (const Error& e) {
        throw HttpError(400, folder->clientView(e.what()), {}, "file");
    }
    folder.reset();
    model.batcher->submit(request);
    std::string streamType = "application/json";
    if (format == TranscriptFormat::Text || format == TranscriptFormat::Srt) streamType = "text/plain; charset=utf-8";
    if (format == TranscriptFormat::Vtt) streamType = "text/vtt; charset=utf-8";
    answerWhenDone(
        res, task == "translate" ? "/v1/audio/translations" : "/v1/audio/transcriptions", streamType,
        options.streamAfterMs, [request](std::chrono::milliseconds t) { return request->waitFor(t); },
        [request] { request->cancel(); },
        [request, format, task, segments, words](httplib::Response& out) {
            if (!request->error().empty()) throw HttpError(500, "Transcription failed: " + request->error());
            std::string type;
            std::string body = transcriptionResponse(request->transcript, format, task, segments, words, &type);
            out.set_content(std::move(body), type);
        },
        ticket);
}

void Server::Impl::handleMethylation(const httplib::Request& req, httplib::Response& res) {
    auto folder = std::make_shared<RequestFolder>(options.uploadDir);
    engine::JobSpec spec;
    spec.task = "methylation";
    spec.device = "cpu";
    std::string format = "json";
    std::map<std::string, std::string> fields;
    if (req.is_multipart_form_data()) {
        if (!req.has_file("file") || req.get_file_value("file").filename.empty())
            throw HttpError(400, "The form has no 'file' upload: attach the beta matrix as the 'file' field.", {},
                            "file");
        const auto upload = req.get_file_value("file");
        spec.inputs.push_back(folder->write(safeFileName(upload.filename, "betas.csv"), upload.content));
        if (req.has_file("sample_sheet")) {
            const auto sheet = req.get_file_value("sample_sheet");
            spec.options["sample-sheet"] =
                folder->write("sheet-" + safeFileName(sheet.filename, "sample_sheet.csv"), sheet.content);
        }
        for (const char* key : {"clocks", "format", "min_coverage", "imputation", "mvalues", "zhang_scaling"})
            if (req.has_file(key)) fields[key] = formField(req, key);
    } else if (contentTypeIs(req, "application/json")) {
        nlohmann::json body;
        try {
            body = nlohmann::json::parse(req.body);
        } catch (const nlohmann::json::exception& e) {
            throw HttpError(400, std::string("The request body is not valid JSON: ") + e.what());
        }
        const auto betas = body.is_object() ? body.find("betas") : body.end();
        if (!body.is_object() || betas == body.end() || !betas->is_object() || betas->empty())
            throw HttpError(400,
                            "'betas' is required: an object of samples, each an object of probe ids to beta values "
                            "({\"betas\": {\"S1\": {\"cg00000029\": 0.51, ...}}}).",
                            {}, "betas");
        // The samples as a beta matrix (probes x samples, NA where a sample lacks a probe) for the same reader
        // the CLI uses.
        std::vector<std::string> samples;
        std::map<std::string, std::map<std::string, std::string>> rows;
        for (const auto& [sample, values] : betas->items()) {
            if (!values.is_object())
                throw HttpError(400, "'betas." + sample + "' must be an object of probe ids to beta values.", {},
                                "betas");
            samples.push_back(sample);
            for (const auto& [probe, value] : values.items()) {
                std::string cell = "NA";
                if (value.is_number()) {
                    std::ostringstream s;
                    s.precision(17);
                    s << value.get<double>();
                    cell = s.str();
                } else if (!value.is_null()) {
                    throw HttpError(400, "'betas." + sample + "." + probe + "' is not a number or null.", {}, "betas");
                }
                rows[probe][sample] = cell;
            }
        }
        std::string csv = "ID_REF";
        for (const auto& s : samples) csv += "," + csvField(s);
        csv += "\n";
        for (const auto& [probe, cells] : rows) {
            csv += csvField(probe);
            for (const auto& s : samples) {
                const auto it = cells.find(s);
                csv += "," + (it == cells.end() ? std::string("NA") : it->second);
            }
            csv += "\n";
        }
        spec.inputs.push_back(folder->write("betas.csv", csv));
        for (const char* key : {"clocks", "format", "min_coverage", "imputation", "mvalues", "zhang_scaling"}) {
            const auto it = body.find(key);
            if (it == body.end() || it->is_null()) continue;
            if (it->is_array()) {
                std::string list;
                for (const auto& v : *it)
                    list += (list.empty() ? "" : ",") + (v.is_string() ? v.get<std::string>() : v.dump());
                fields[key] = list;
            } else {
                fields[key] = it->is_string() ? it->get<std::string>() : it->dump();
            }
        }
    } else {
        throw HttpError(415,
                        "Send a beta matrix as multipart/form-data ('file') or betas as JSON "
                        "(Content-Type: application/json).");
    }
    if (fields.count("format")) format = toLowerAscii(fields["format"]);
    if (format != "json" && format != "csv")
        throw HttpError(400, "'format' must be json or csv (not '" + format + "').", {}, "format");
    for (const auto& [key, value] : fields) {
        if (key == "format") continue;
        std::string option = key;
        std::replace(option.begin(), option.end(), '_', '-');
        spec.options[option] = value;
    }
    if (!options.clocksDir.empty()) spec.options["clocks-dir"] = options.clocksDir;
    auto ticket = admit();
    spec.outputDir = (folder->path() / "out").u8string();
    const engine::JobId id = engine.submit(spec);
    engine::Engine* e = &engine;
    ServeMetrics* m = &metrics;
    struct Hold {
        std::shared_ptr<RequestFolder> folder;
        std::shared_ptr<Ticket> ticket;
    };
    auto hold = std::make_shared<Hold>(Hold{folder, ticket});
    answerWhenDone(
        // A clock job reads and checks the matrix as it runs, so its errors come late: it is answered with its
        // real status when it ends (clock jobs take seconds), not streamed.
        res, "/v1/methylation/predict", format == "csv" ? "text/csv" : "application/json", -1.0,
        [e, id](std::chrono::milliseconds t) { return e->wait(id, static_cast<double>(t.count()) / 1000.0); },
        [e, id] { e->cancel(id); },
        [e, id, format, m, hold](httplib::Response& out) {
            const auto snapshot = e->snapshot(id);
            if (!snapshot || snapshot->state != engine::JobState::Done)
                throw HttpError(400, hold->folder->clientView(snapshot ? snapshot->error : "the job was lost"));
            const fs::path file =
                fs::u8path(snapshot->resultDir) / (format == "csv" ? "predictions.csv" : "predictions.json");
            std::ifstream in(file, std::ios::binary);
            std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (!in.good() && !in.eof()) throw HttpError(500, "Could not read the predictions.");
            if (format == "json") {
                try {
                    const auto parsed = nlohmann::json::parse(body);
                    if (parsed.contains("samples")) m->methylationSamples(parsed["samples"].size());
                } catch (const nlohmann::json::exception&) {
                }
            }
            out.set_content(std::move(body), format == "csv" ? "text/csv" : "application/json");
        },
        hold);
}

void Server::Impl::handleHealth(httplib::Response& res) {
    nlohmann::ordered_json models = nlohmann::ordered_json::array();
    for (const auto& m : text)
        models.push_back({{"id", m.id}, {"task", "text"}, {"folder", m.folder}, {"loaded", true}});
    for (const auto& m : speech)
        models.push_back({{"id", m.id}, {"task", "speech"}, {"folder", m.folder}, {"loaded", true}});
    const bool isDraining = draining.load();
    nlohmann::ordered_json body = {
        {"status", isDraining ? "draining" : "ok"},
        {"version", BENCHTOP_VERSION},
        {"device", {{"id", choice.device.id}, {"name", choice.device.name}, {"reason", choice.deviceReason}}},
        {"precision", {{"value", precision}, {"reason", choice.precisionReason}}},
        {"threads", {{"value", choice.threads}, {"reason", choice.threadsReason}}},
        {"models", std::move(models)},
        {"queue", {{"depth", admitted.load()}, {"capacity", options.maxQueue}}},
        {"cross_request_batching", options.crossRequestBatching},
        {"uptime_seconds", std::chrono::duration<double>(Clock::now() - started).count()}};
    res.status = isDraining ? 503 : 200;
    res.set_content(body.dump(), "application/json");
}

void Server::Impl::handleModels(httplib::Response& res) {
    const auto created =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    nlohmann::ordered_json data = nlohmann::ordered_json::array();
    for (const auto& m : text)
        data.push_back({{"id", m.id},
                        {"object", "model"},
                        {"created", created},
                        {"owned_by", "benchtop"},
                        {"task", "text"},
                        {"dimension", m.encoder->dimension()},
                        {"max_tokens", m.encoder->tokenizer().maxLength()}});
    for (const auto& m : speech)
        data.push_back(
            {{"id", m.id}, {"object", "model"}, {"created", created}, {"owned_by", "benchtop"}, {"task", "speech"}});
    data.push_back({{"id", "epigenetic-clocks"},
                    {"object", "model"},
                    {"created", created},
                    {"owned_by", "benchtop"},
                    {"task", "methylation"}});
    res.set_content(nlohmann::ordered_json({{"object", "list"}, {"data", std::move(data)}}).dump(), "application/json");
}

std::string Server::Impl::metricsText() {
    ServeMetrics::Gauges g;
    g.queueDepth = admitted.load();
    g.queueCapacity = options.maxQueue;
    g.uptimeSeconds = std::chrono::duration<double>(Clock::now() - started).count();
    g.deviceId = choice.device.id;
    if (const auto memory = device::deviceMemory(choice.device.id)) {
        g.deviceFreeBytes = static_cast<std::int64_t>(memory->freeBytes);
        g.deviceTotalBytes = static_cast<std::int64_t>(memory->totalBytes);
    }
    if (const std::uint64_t rss = device::processRssBytes()) g.residentBytes = static_cast<std::int64_t>(rss);
    return metrics.prometheus(g);
}

void Server::Impl::configureRoutes() {
    const auto guarded = [this](auto handler) {
        return [this, handler](const httplib::Request& req, httplib::Response& res) {
            try {
                std::size_t size = req.body.size();
                for (const auto& [name, field] : req.files) size += field.content.size();
                if (size > options.maxBodyBytes)
                    throw HttpError(413, "The request body is larger than the server accepts (" +
                                             sizeText(options.maxBodyBytes) + "; --max-request-mb).");
                handler(req, res);
            } catch (const HttpError& e) {
                sendError(res, e);
            } catch (const CancelledError&) {
                sendError(res, HttpError(499, "The request was cancelled."));
            } catch (const Error& e) {
                sendError(res, HttpError(400, e.what()));
            } catch (const std::exception& e) {
                sendError(res, HttpError(500, std::string("Internal error: ") + e.what()));
            }
        };
    };
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        t_requestStart = Clock::now();
        if (req.path == "/health") return httplib::Server::HandlerResponse::Unhandled;
        if (!options.apiKey.empty()) {
            const std::string auth = req.get_header_value("Authorization");
            std::string given = req.get_header_value("X-API-Key");
            if (auth.size() > 7 && toLowerAscii(auth.substr(0, 7)) == "bearer ") given = auth.substr(7);
            if (!constantTimeEquals(given, options.apiKey)) {
                sendError(res, HttpError(401,
                                         given.empty() ? "This server needs an API key: send 'Authorization: Bearer "
                                                         "<key>'."
                                                       : "The API key is not this server's.",
                                         "invalid_api_key"));
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        if (draining.load() && req.path != "/metrics") {
            sendError(res, HttpError(503, "The server is shutting down; it accepts no new requests.", "shutting_down"));
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty() || res.content_length_ > 0) return;
        std::string message;
        switch (res.status) {
            case 404:
                message = "No such endpoint: " + req.method + " " + req.path + ".";
                break;
            case 413:
                message = "The request body is larger than the server accepts (" + sizeText(options.maxBodyBytes) +
                          "; --max-request-mb).";
                break;
            case 405:
                message = req.method + " is not allowed on " + req.path + ".";
                break;
            default:
                message = "The request could not be handled (" + std::to_string(res.status) + ").";
        }
        res.set_content(errorBody(HttpError(res.status, message)), "application/json");
    });
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        if (res.content_provider_) return;  // a streamed answer counts itself when it ends (answerWhenDone)
        const double seconds = std::chrono::duration<double>(Clock::now() - t_requestStart).count();
        metrics.requestFinished(kEndpoints.count(req.path) ? req.path : std::string("other"), res.status, seconds);
    });
    http.Get("/health", [this](const httplib::Request&, httplib::Response& res) { handleHealth(res); });
    http.Get("/v1/models", [this](const httplib::Request&, httplib::Response& res) { handleModels(res); });
    http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(metricsText(), "text/plain; version=0.0.4; charset=utf-8");
    });
    http.Post("/v1/embeddings",
              guarded([this](const httplib::Request& req, httplib::Response& res) { handleEmbeddings(req, res); }));
    http.Post("/v1/audio/transcriptions", guarded([this](const httplib::Request& req, httplib::Response& res) {
                  handleTranscription(req, res, "transcribe");
              }));
    http.Post("/v1/audio/translations", guarded([this](const httplib::Request& req, httplib::Response& res) {
                  handleTranscription(req, res, "translate");
              }));
    http.Post("/v1/methylation/predict",
              guarded([this](const httplib::Request& req, httplib::Response& res) { handleMethylation(req, res); }));
}

Server::Server(engine::Engine& engine, ServeOptions options)
    : m_impl(std::make_unique<Impl>(engine, std::move(options))) {}

Server::~Server() {
    stop();
}

void Server::start() {
    Impl& d = *m_impl;
    std::lock_guard<std::mutex> lock(d.lifecycle);
    if (d.running) return;
    const ServeOptions& o = d.options;
    if (!isLoopbackHost(o.host) && o.apiKey.empty())
        throw Error("--host " + o.host,
                    "serving beyond this machine needs an API key: pass --api-key-file FILE (or bind to 127.0.0.1).");
    if (o.port < 0 || o.port > 65535) throw Error("--port", std::to_string(o.port) + " is not a TCP port.");
    if (o.maxQueue == 0) throw Error("--max-queue", "must be at least 1.");
    d.choice = device::resolve(device::requestFromEnvironment(o.device));
    d.precision = device::toString(d.choice.precision);
    d.loadModels();
    d.configureRoutes();
    // Bodies up to well past the limit are read and then refused (413 with a JSON body): refusing one unread
    // makes the kernel reset the connection, and the client may lose the answer. Beyond that httplib refuses it
    // unread.
    d.http.set_payload_max_length(std::max(o.maxBodyBytes * 4, o.maxBodyBytes + (std::size_t(16) << 20)));
    d.http.set_read_timeout(30, 0);
    d.http.set_write_timeout(30, 0);
    d.http.set_keep_alive_max_count(1000);
    // Every admitted request holds a thread while it waits for its batch; a few more answer 429s, /health and
    // /metrics while the queue is full.
    const std::size_t threads = std::min<std::size_t>(o.maxQueue, 512) + 8;
    d.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    if (o.port == 0) {
        d.port = d.http.bind_to_any_port(o.host);
        if (d.port <= 0) throw Error(o.host, "could not listen on this address.");
    } else {
        if (!d.http.bind_to_port(o.host, o.port))
            throw Error(o.host + ":" + std::to_string(o.port),
                        "could not listen: the port is in use or the address is not this machine's.");
        d.port = o.port;
    }
    d.started = Clock::now();
    d.draining = false;
    d.running = true;
    d.listener = std::thread([&d] { d.http.listen_after_bind(); });
    // listen_after_bind() flags itself running on its thread: wait for it, so stop() right after start() works.
    for (int i = 0; i < 500 && !d.http.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

void Server::stop() {
    Impl& d = *m_impl;
    std::lock_guard<std::mutex> lock(d.lifecycle);
    if (!d.running) return;
    // Refuse new requests (503) while the admitted ones are answered, then close the listening socket. httplib
    // drops a streamed answer that starts after its stop(), so the requests in flight must be answered first.
    d.draining = true;
    while (d.admitted.load() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    d.http.stop();
    if (d.listener.joinable()) d.listener.join();
    for (auto& m : d.text) m.batcher.reset();
    for (auto& m : d.speech) m.batcher.reset();
    d.text.clear();
    d.speech.clear();
    d.running = false;
}

bool Server::running() const {
    return m_impl->running.load();
}
int Server::port() const {
    return m_impl->port;
}
std::string Server::url() const {
    const std::string& host = m_impl->options.host;
    const bool v6 = host.find(':') != std::string::npos && host.front() != '[';
    return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(m_impl->port);
}
const ServeOptions& Server::options() const {
    return m_impl->options;
}
const device::DeviceChoice& Server::deviceChoice() const {
    return m_impl->choice;
}
std::vector<std::pair<std::string, std::string>> Server::modelIds() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& m : m_impl->text) out.emplace_back(m.id, "text");
    for (const auto& m : m_impl->speech) out.emplace_back(m.id, "speech");
    return out;
}
std::size_t Server::queueDepth() const {
    return m_impl->admitted.load();
}
ServeCounters Server::counters() const {
    return m_impl->metrics.counters();
}
std::string Server::metricsText() const {
    return m_impl->metricsText();
}

}  // namespace benchtop::serve
