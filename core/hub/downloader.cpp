#include "core/hub/downloader.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#ifndef _WIN32
#include <unistd.h>
#else
#include <io.h>
#endif

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/hub/sha256.h"

#ifndef BENCHTOP_VERSION
#define BENCHTOP_VERSION "dev"
#endif

namespace fs = std::filesystem;

namespace benchtop::hub {
namespace {

double nowSeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void ensureCurl() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

std::string trimSlashes(std::string text) {
    while (!text.empty() && text.back() == '/') text.pop_back();
    return text;
}

std::string hostOf(const std::string& url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    const auto end = url.find_first_of("/?#", start);
    return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// Strips quotes and a weak-validator prefix from an ETag value.
std::string cleanEtag(std::string value) {
    if (value.rfind("W/", 0) == 0) value = value.substr(2);
    value.erase(std::remove(value.begin(), value.end(), '"'), value.end());
    return toLowerAscii(value);
}

enum class Failure { None, Offline, Stalled, Transient };

Failure classify(CURLcode code) {
    switch (code) {
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_CONNECT:
            return Failure::Offline;
        case CURLE_OPERATION_TIMEDOUT:
            return Failure::Stalled;
        case CURLE_PARTIAL_FILE:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_GOT_NOTHING:
        case CURLE_SSL_CONNECT_ERROR:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
            return Failure::Transient;
        default:
            return Failure::None;
    }
}

bool transientStatus(long status) {
    return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

std::string offlineMessage(const std::string& host, const std::string& detail) {
    return "could not reach " + host + " (" + detail +
           "). Check the network, or set HF_ENDPOINT / BENCHTOP_URL_MIRROR to a reachable mirror; on a machine "
           "without internet, download the model elsewhere and bring it over with `benchtop-cli models import PATH`.";
}

// Sleeps in small steps so cancel() is honoured during back-off.
void sleepCancellable(int milliseconds, const std::atomic<bool>& cancel) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(milliseconds);
    while (std::chrono::steady_clock::now() < until) {
        if (cancel.load()) throw CancelledError();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

/// Per-request state shared with curl's callbacks.
struct Transfer {
    // Response headers of the current response (reset on each status line: redirects produce several).
    long status = 0;
    std::string etag;
    std::uint64_t contentLength = 0;
    bool hasContentRange = false;
    std::uint64_t rangeStart = 0;
    std::uint64_t rangeTotal = 0;
    // Kept across the redirect chain: the hub sends these on its 302 to the CDN.
    std::string linkedEtag;
    std::uint64_t linkedSize = 0;

    // Body sink: a file (downloads) or a string (API calls).
    std::FILE* file = nullptr;
    std::string* text = nullptr;
    std::uint64_t offset = 0;    ///< bytes already in the file when the request started
    std::uint64_t received = 0;  ///< body bytes written by this request
    bool badRange = false;
    std::string errorBody;

    const std::atomic<bool>* cancel = nullptr;
    std::function<void(std::uint64_t)> onBytes;
    // Stall detection: the time anything last arrived, and the silence we tolerate.
    double lastActivity = nowSeconds();
    double stallSeconds = 30;
    bool stalled = false;
};

std::uint64_t parseU64(const std::string& text) {
    try {
        return static_cast<std::uint64_t>(std::stoull(text));
    } catch (...) {
        return 0;
    }
}

size_t onHeader(char* data, size_t size, size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    t.lastActivity = nowSeconds();
    const std::string line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
        const auto space = line.find(' ');
        t.status = space == std::string::npos ? 0 : std::strtol(line.c_str() + space + 1, nullptr, 10);
        t.etag.clear();
        t.contentLength = 0;
        t.hasContentRange = false;
        return size * count;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) return size * count;
    const auto name = toLowerAscii(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
    if (name == "etag") {
        t.etag = cleanEtag(value);
    } else if (name == "x-linked-etag") {
        if (t.linkedEtag.empty()) t.linkedEtag = cleanEtag(value);
    } else if (name == "x-linked-size") {
        if (t.linkedSize == 0) t.linkedSize = parseU64(value);
    } else if (name == "content-length") {
        t.contentLength = parseU64(value);
    } else if (name == "content-range") {
        // "bytes 100-999/1000"
        const auto space = value.find(' ');
        const auto dash = value.find('-');
        const auto slash = value.find('/');
        if (space != std::string::npos && dash != std::string::npos && slash != std::string::npos) {
            t.hasContentRange = true;
            t.rangeStart = parseU64(value.substr(space + 1, dash - space - 1));
            t.rangeTotal = parseU64(value.substr(slash + 1));
        }
    }
    return size * count;
}

size_t onBody(char* data, size_t size, size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const size_t n = size * count;
    t.lastActivity = nowSeconds();
    if (t.status >= 300 || t.status == 0) {
        // Redirect or error body: keep a little for the message, never write it into the model file.
        if (t.errorBody.size() < 2048) t.errorBody.append(data, std::min<size_t>(n, 2048 - t.errorBody.size()));
        return n;
    }
    if (t.text) {
        t.text->append(data, n);
        t.received += n;
        return n;
    }
    if (t.received == 0 && t.offset > 0) {
        if (t.status == 200) {
            // The server ignored our Range header and sends the whole file: start the file over.
            if (std::fflush(t.file) != 0 || std::fseek(t.file, 0, SEEK_SET) != 0) return 0;
#ifdef _WIN32
            if (_chsize_s(_fileno(t.file), 0) != 0) return 0;
#else
            if (ftruncate(fileno(t.file), 0) != 0) return 0;
#endif
            t.offset = 0;
        } else if (t.status == 206 && t.hasContentRange && t.rangeStart != t.offset) {
            t.badRange = true;
            return 0;
        }
    }
    if (std::fwrite(data, 1, n, t.file) != n) return 0;
    t.received += n;
    if (t.onBytes) t.onBytes(n);
    return n;
}

int onXferInfo(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto& t = *static_cast<Transfer*>(user);
    if (t.cancel && t.cancel->load()) return 1;
    // curl calls this about once a second even when nothing arrives, so silence is noticed on time.
    if (nowSeconds() - t.lastActivity > t.stallSeconds) {
        t.stalled = true;
        return 1;
    }
    return 0;
}

/// A configured easy handle; freed on scope exit.
struct Request {
    CURL* curl = nullptr;
    curl_slist* headers = nullptr;
    char errorBuffer[CURL_ERROR_SIZE] = {0};

    Request(const std::string& url, Transfer& transfer, const DownloadOptions& options, const std::string& token,
            std::uint64_t rangeFrom) {
        ensureCurl();
        curl = curl_easy_init();
        if (!curl) throw Error(url, "could not start an HTTP request (libcurl failed to initialise).");
        curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
        curl_easy_setopt(curl, CURLOPT_USERAGENT, "benchtop/" BENCHTOP_VERSION);
        curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options.connectTimeoutSeconds));
        transfer.stallSeconds = std::max(1, options.stallTimeoutSeconds);
        transfer.lastActivity = nowSeconds();
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onXferInfo);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
        curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        if (rangeFrom > 0) {
            const std::string range = std::to_string(rangeFrom) + "-";
            curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
        }
        // curl drops a custom Authorization header when a redirect leaves the host, so the token never reaches the CDN.
        if (!token.empty()) {
            headers = curl_slist_append(headers, ("Authorization: Bearer " + token).c_str());
        }
        if (headers) curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    }
    ~Request() {
        if (headers) curl_slist_free_all(headers);
        if (curl) curl_easy_cleanup(curl);
    }
    Request(const Request&) = delete;
    Request& operator=(const Request&) = delete;

    std::string errorText(CURLcode code) const {
        return errorBuffer[0] ? std::string(errorBuffer) : std::string(curl_easy_strerror(code));
    }
};

std::string httpErrorMessage(long status, const std::string& url) {
    if (status == 401 || status == 403) {
        return "access denied (HTTP " + std::to_string(status) +
               "): the repository is gated or private; accept its terms on the hub and give an access token (HF_TOKEN, "
               "the token file of `huggingface-cli login`, or Settings › Models in the window).";
    }
    if (status == 404) return "not found (HTTP 404) at " + url + "; check the model id, revision and file name.";
    return "the server answered HTTP " + std::to_string(status) + " for " + url + ".";
}

}  // namespace

struct Downloader::Plan {
    std::string id;
    std::string catalogId;
    std::string repo;
    std::string revision;
    std::string sourceType;
    ModelFamily family = ModelFamily::Unknown;
    std::vector<DownloadItem> items;
};

Downloader::Downloader(ModelStore& store, DownloadOptions options)
    : m_store(store), m_options(std::move(options)), m_access(resolveHfAccess(m_options.hub)) {}

std::string Downloader::fileUrl(const std::string& repo, const std::string& revision, const std::string& file) const {
    return m_access.endpoint + "/" + repo + "/resolve/" + (revision.empty() ? "main" : revision) + "/" + file;
}

void Downloader::refuseIfOffline(const std::string& what) const {
    if (!m_access.offline) return;
    throw Error(what,
                "is not here, and Hugging Face offline mode is on (HF_HUB_OFFLINE, or Settings › Models in the "
                "window), so nothing is downloaded. Turn offline mode off, or bring the model over with "
                "`benchtop-cli models import PATH`.");
}

std::string Downloader::hfEndpoint() {
    const auto endpoint = trimSlashes(env("HF_ENDPOINT"));
    return endpoint.empty() ? "https://huggingface.co" : endpoint;
}

std::string Downloader::mirrorUrl(const std::string& url) {
    const auto mirror = trimSlashes(env("BENCHTOP_URL_MIRROR"));
    if (mirror.empty()) return url;
    const auto scheme = url.find("://");
    return mirror + "/" + (scheme == std::string::npos ? url : url.substr(scheme + 3));
}

std::string Downloader::hubFileUrl(const std::string& repo, const std::string& revision, const std::string& file) {
    return hfEndpoint() + "/" + repo + "/resolve/" + (revision.empty() ? "main" : revision) + "/" + file;
}

void Downloader::report(DownloadProgress progress, bool force) {
    if (!m_progress) return;
    const double now = nowSeconds();
    if (!force && now - m_lastReport < 0.1) return;
    m_lastReport = now;
    const double elapsed = std::max(1e-3, now - m_startSeconds);
    progress.bytesPerSecond = m_sessionBytes / elapsed;
    if (progress.bytesPerSecond > 0) {
        if (progress.fileTotal >= progress.fileBytes && progress.fileTotal > 0) {
            progress.fileEtaSeconds = (progress.fileTotal - progress.fileBytes) / progress.bytesPerSecond;
        }
        if (progress.modelTotal >= progress.modelBytes && progress.modelTotal > 0) {
            progress.modelEtaSeconds = (progress.modelTotal - progress.modelBytes) / progress.bytesPerSecond;
        }
    }
    m_progress(progress);
}

std::string Downloader::getText(const std::string& url, bool useToken, long* status) {
    refuseIfOffline(url);
    std::string lastError;
    Failure lastFailure = Failure::None;
    int delay = m_options.retryDelayMs;
    for (int attempt = 0; attempt <= m_options.maxRetries; ++attempt) {
        if (attempt > 0) {
            sleepCancellable(delay, m_cancel);
            delay *= 2;
        }
        std::string body;
        Transfer transfer;
        transfer.text = &body;
        transfer.cancel = &m_cancel;
        Request request(url, transfer, m_options, useToken ? m_access.token : std::string(), 0);
        const CURLcode code = curl_easy_perform(request.curl);
        if (code == CURLE_ABORTED_BY_CALLBACK && m_cancel.load()) throw CancelledError();
        if (transfer.stalled) {
            lastFailure = Failure::Stalled;
            lastError = "no data for " + std::to_string(m_options.stallTimeoutSeconds) + " s";
            continue;
        }
        if (code == CURLE_OK) {
            *status = transfer.status;
            if (transientStatus(transfer.status)) {
                lastFailure = Failure::Transient;
                lastError = "HTTP " + std::to_string(transfer.status);
                continue;
            }
            return transfer.status < 300 ? body : transfer.errorBody;
        }
        lastFailure = classify(code);
        lastError = request.errorText(code);
        if (lastFailure == Failure::None) throw Error(url, "the request failed (" + lastError + ").");
    }
    if (lastFailure == Failure::Offline) throw Error(url, offlineMessage(hostOf(url), lastError));
    throw Error(url, "the request kept failing (" + lastError + ") after " + std::to_string(m_options.maxRetries + 1) +
                         " attempts.");
}

std::string Downloader::downloadFile(const DownloadItem& item, const std::string& destination) {
    refuseIfOffline(item.path);
    const fs::path dest(destination);
    const fs::path partial = dest.string() + ".incomplete";
    std::error_code ec;
    fs::create_directories(dest.parent_path(), ec);

    std::string lastError;
    Failure lastFailure = Failure::None;
    int delay = m_options.retryDelayMs;
    Transfer transfer;
    for (int attempt = 0;; ++attempt) {
        if (m_cancel.load()) throw CancelledError();
        if (attempt > m_options.maxRetries) {
            const std::string host = hostOf(item.url);
            if (lastFailure == Failure::Offline) throw Error(item.path, offlineMessage(host, lastError));
            if (lastFailure == Failure::Stalled) {
                throw Error(item.path, "the download from " + host + " stalled: no data for " +
                                           std::to_string(m_options.stallTimeoutSeconds) + " s (" +
                                           std::to_string(m_options.maxRetries + 1) +
                                           " attempts). The partial file is kept; run the pull again to resume.");
            }
            throw Error(item.path, "the download from " + host + " kept failing (" + lastError + ") after " +
                                       std::to_string(m_options.maxRetries + 1) +
                                       " attempts. The partial file is kept; run the pull again to resume.");
        }
        if (attempt > 0 && lastFailure != Failure::None) {
            sleepCancellable(delay, m_cancel);
            delay *= 2;
        }

        const std::uint64_t have = fs::exists(partial, ec) ? fs::file_size(partial, ec) : 0;
        std::FILE* file = std::fopen(partial.string().c_str(), have > 0 ? "ab" : "wb");
        if (!file) throw Error(partial.string(), "cannot write the download (check permissions and free space).");
        transfer = Transfer{};
        transfer.file = file;
        transfer.offset = have;
        transfer.cancel = &m_cancel;
        DownloadProgress progress;
        progress.modelId = m_modelId;
        progress.file = item.path;
        progress.fileIndex = m_fileIndex;
        progress.fileCount = m_fileCount;
        progress.modelTotal = m_modelTotal;
        transfer.onBytes = [&](std::uint64_t n) {
            m_sessionBytes += n;
            progress.fileBytes = transfer.offset + transfer.received;
            std::uint64_t total = item.bytes;
            if (transfer.hasContentRange && transfer.rangeTotal)
                total = transfer.rangeTotal;
            else if (transfer.status == 200 && transfer.contentLength)
                total = transfer.contentLength;
            progress.fileTotal = total;
            progress.modelBytes = m_modelDone + progress.fileBytes;
            report(progress, false);
        };

        CURLcode code;
        std::string curlError;
        {
            Request request(item.url, transfer, m_options, item.useToken ? m_access.token : std::string(), have);
            code = curl_easy_perform(request.curl);
            curlError = code == CURLE_OK ? std::string() : request.errorText(code);
        }
        std::fclose(file);

        if (code == CURLE_ABORTED_BY_CALLBACK && m_cancel.load()) {
            if (!m_options.keepPartialOnCancel) fs::remove(partial, ec);
            throw CancelledError();
        }
        if (transfer.stalled) {
            lastFailure = Failure::Stalled;
            lastError = "no data for " + std::to_string(m_options.stallTimeoutSeconds) + " s";
            continue;
        }
        if (transfer.badRange) {
            // The server answered a different range than asked: throw the partial data away and start over.
            fs::remove(partial, ec);
            lastFailure = Failure::Transient;
            lastError = "unexpected Content-Range";
            continue;
        }
        if (code != CURLE_OK) {
            lastFailure = classify(code);
            lastError = curlError;
            if (code == CURLE_WRITE_ERROR) throw Error(partial.string(), "writing the download failed (disk full?).");
            if (lastFailure == Failure::None)
                throw Error(item.path, "the download from " + item.url + " failed (" + curlError + ").");
            continue;
        }
        if (transfer.status == 416) {
            // Our partial file is not a prefix the server recognises: restart from zero.
            fs::remove(partial, ec);
            lastFailure = Failure::None;
            continue;
        }
        if (transientStatus(transfer.status)) {
            lastFailure = Failure::Transient;
            lastError = "HTTP " + std::to_string(transfer.status);
            continue;
        }
        if (transfer.status != 200 && transfer.status != 206) {
            if (!have) fs::remove(partial, ec);
            throw Error(item.path, httpErrorMessage(transfer.status, item.url));
        }
        const std::uint64_t size = fs::file_size(partial, ec);
        std::uint64_t expected = 0;
        if (transfer.status == 206 && transfer.rangeTotal) expected = transfer.rangeTotal;
        if (transfer.status == 200 && transfer.contentLength) expected = transfer.contentLength;
        if (expected && size < expected) {
            lastFailure = Failure::Transient;
            lastError = "the connection closed early";
            continue;
        }
        break;
    }

    std::string want = toLowerAscii(item.sha256);
    if (want.empty() && isSha256Hex(transfer.linkedEtag)) want = transfer.linkedEtag;
    if (want.empty() && isSha256Hex(transfer.etag)) want = transfer.etag;
    const std::string actual = sha256File(partial.string());
    if (!want.empty() && actual != want) {
        fs::remove(partial, ec);
        throw Error(item.path, "SHA-256 mismatch: expected " + want + ", got " + actual + " from " + item.url +
                                   ". The damaged file was deleted; run the pull again.");
    }
    if (want.empty() && item.bytes && fs::file_size(partial, ec) != item.bytes) {
        const auto got = fs::file_size(partial, ec);
        fs::remove(partial, ec);
        throw Error(item.path, "size mismatch: expected " + std::to_string(item.bytes) + " bytes, got " +
                                   std::to_string(got) + ". The damaged file was deleted; run the pull again.");
    }
    fs::rename(partial, dest, ec);
    if (ec) throw Error(dest.string(), "could not move the finished download into place (" + ec.message() + ").");
    return actual;
}

Downloader::Plan Downloader::planFor(const std::string& ref) {
    std::string base = ref;
    std::string revision;
    if (const auto at = ref.rfind('@'); at != std::string::npos && at > 0) {
        base = ref.substr(0, at);
        revision = ref.substr(at + 1);
    }
    Plan plan;
    const CatalogEntry* entry = m_store.catalogEntryFor(base);
    if (entry && !entry->isHuggingFace()) {
        plan.id = entry->id;
        plan.catalogId = entry->id;
        plan.sourceType = "url";
        plan.family = entry->family;
        for (const auto& f : entry->files) {
            plan.items.push_back({mirrorUrl(f.url), f.path, f.bytes, f.sha256, false});
        }
        return plan;
    }
    if (!entry && !looksLikeRepoId(base)) {
        throw Error(ref,
                    "unknown model: not a catalog id (see `benchtop-cli models list`) and not a Hugging Face "
                    "repo id (org/name).");
    }
    plan.sourceType = "huggingface";
    plan.repo = entry ? entry->repo : base;
    plan.revision = !revision.empty() ? revision : (entry ? entry->revision : std::string("main"));
    plan.id = m_store.storeIdFor(entry ? entry->id : base);
    plan.catalogId = entry ? entry->id : std::string();

    // What the repository holds at this revision (with sizes and LFS digests).
    struct Sibling {
        std::string name;
        std::uint64_t bytes = 0;
        std::string sha256;
    };
    std::vector<Sibling> siblings;
    long status = 0;
    const std::string apiUrl =
        m_access.endpoint + "/api/models/" + plan.repo + "/revision/" + plan.revision + "?blobs=true";
    const std::string body = getText(apiUrl, true, &status);
    if (status == 200) {
        try {
            const auto json = nlohmann::json::parse(body);
            for (const auto& s : json.at("siblings")) {
                Sibling sibling;
                sibling.name = s.at("rfilename").get<std::string>();
                if (s.contains("size") && s["size"].is_number_unsigned())
                    sibling.bytes = s["size"].get<std::uint64_t>();
                if (s.contains("lfs") && s["lfs"].is_object()) {
                    sibling.sha256 = toLowerAscii(s["lfs"].value("sha256", std::string()));
                    if (s["lfs"].contains("size") && s["lfs"]["size"].is_number_unsigned()) {
                        sibling.bytes = s["lfs"]["size"].get<std::uint64_t>();
                    }
                }
                siblings.push_back(std::move(sibling));
            }
        } catch (const std::exception& e) {
            throw Error(apiUrl, std::string("the hub's file list is not the expected JSON (") + e.what() + ").");
        }
    } else if (status == 401 || status == 403) {
        throw Error(plan.repo, httpErrorMessage(status, apiUrl));
    } else if (!entry) {
        throw Error(plan.repo, status == 404
                                   ? "repository not found at " + m_access.endpoint +
                                         " (HTTP 404); check the id and revision (private repositories "
                                         "need an access token: HF_TOKEN, the token file or Settings › Models)."
                                   : httpErrorMessage(status, apiUrl));
    }
    // A mirror without the API still works for catalog models: use the catalog's file list.
    if (siblings.empty() && entry) {
        for (const auto& f : entry->files) siblings.push_back({f.path, f.bytes, f.sha256});
    }

    plan.family = entry ? entry->family : ModelFamily::Unknown;
    if (plan.family == ModelFamily::Unknown) {
        long configStatus = 0;
        const std::string config = getText(fileUrl(plan.repo, plan.revision, "config.json"), true, &configStatus);
        if (configStatus != 200) {
            throw Error(plan.repo, "has no readable config.json (" + httpErrorMessage(configStatus, plan.repo) +
                                       "); Benchtop needs it to know the model family.");
        }
        std::string modelType;
        try {
            modelType = nlohmann::json::parse(config).value("model_type", std::string());
        } catch (const std::exception&) {
        }
        plan.family = familyFromModelType(modelType);
        if (plan.family == ModelFamily::Unknown) {
            throw Error(plan.repo, "config.json has model_type '" + modelType +
                                       "', which Benchtop does not run (supported: whisper, bert, xlm-roberta).");
        }
    }
    std::vector<std::string> names;
    for (const auto& s : siblings) names.push_back(s.name);
    const auto wanted = selectFilesForFamily(plan.family, names);
    for (const auto& name : wanted) {
        const auto& s = *std::find_if(siblings.begin(), siblings.end(), [&](const auto& x) { return x.name == name; });
        std::string sha = s.sha256;
        if (entry) {
            for (const auto& f : entry->files) {
                if (f.path == name && !f.sha256.empty()) sha = f.sha256;
            }
        }
        plan.items.push_back({fileUrl(plan.repo, plan.revision, name), name, s.bytes, sha, true});
    }
    if (plan.items.empty())
        throw Error(plan.repo, "holds none of the files a " + toString(plan.family) + " model needs.");
    return plan;
}

std::string Downloader::pull(const std::string& ref) {
    m_cancel.store(false);
    const std::string base =
        ref.substr(0, ref.rfind('@') == std::string::npos || ref.rfind('@') == 0 ? ref.size() : ref.rfind('@'));
    // A bundled clock table does not stop a pull: the store copy it makes is used in its place from then on.
    if (auto local = m_store.find(base);
        local && local->validation.ok && base == ref && local->location != ModelLocation::Bundled)
        return local->path;

    refuseIfOffline(ref);
    Plan plan = planFor(ref);
    const fs::path staging(m_store.stagingDirFor(plan.id));
    std::error_code ec;
    fs::create_directories(staging, ec);
    if (ec) throw Error(staging.string(), "cannot create the download folder (" + ec.message() + ").");

    m_modelId = plan.id;
    m_fileCount = static_cast<int>(plan.items.size());
    m_modelDone = 0;
    m_modelTotal = 0;
    m_sessionBytes = 0;
    m_startSeconds = nowSeconds();
    m_lastReport = 0;
    for (const auto& item : plan.items) m_modelTotal += item.bytes;

    nlohmann::json files = nlohmann::json::array();
    for (std::size_t i = 0; i < plan.items.size(); ++i) {
        const auto& item = plan.items[i];
        m_fileIndex = static_cast<int>(i);
        const fs::path dest = staging / item.path;
        std::string sha;
        if (fs::is_regular_file(dest, ec)) {
            // Only verified, complete files get their final name, so an earlier attempt's file is reused.
            sha = item.sha256;
        } else {
            sha = downloadFile(item, dest.string());
        }
        const auto size = fs::file_size(dest, ec);
        m_modelDone += size;
        if (item.bytes == 0) m_modelTotal += size;
        files.push_back({{"path", item.path}, {"bytes", size}, {"sha256", sha}, {"url", item.url}});
        DownloadProgress done;
        done.modelId = plan.id;
        done.file = item.path;
        done.fileIndex = m_fileIndex;
        done.fileCount = m_fileCount;
        done.fileBytes = size;
        done.fileTotal = size;
        done.modelBytes = m_modelDone;
        done.modelTotal = std::max(m_modelTotal, m_modelDone);
        done.fileDone = true;
        report(done, true);
    }

    if (m_cancel.load()) throw CancelledError();
    const nlohmann::json record = {{"id", plan.id},
                                   {"catalog_id", plan.catalogId},
                                   {"repo", plan.repo},
                                   {"revision", plan.revision},
                                   {"source_type", plan.sourceType},
                                   {"family", toString(plan.family)},
                                   {"files", files}};
    std::ofstream(staging / kStoreRecordName) << record.dump(2);

    std::string clockFile;
    if (plan.family == ModelFamily::Clock && !plan.items.empty()) clockFile = plan.items.front().path;
    const auto validation = validateModelFolder(staging.string(), plan.family, clockFile);
    if (!validation.ok) {
        throw Error(plan.id, "the downloaded files do not make a usable model: " + validation.problem);
    }
    const fs::path target = fs::path(m_store.storeDir()) / plan.id;
    if (fs::exists(target, ec)) fs::remove_all(target, ec);  // an unusable leftover (find() said so above)
    fs::rename(staging, target, ec);
    if (ec) throw Error(target.string(), "could not move the finished model into the store (" + ec.message() + ").");
    return target.string();
}

}  // namespace benchtop::hub
