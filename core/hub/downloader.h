#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/hub/hf_access.h"
#include "core/hub/model_store.h"

namespace benchtop::hub {

/// Progress of a pull, reported per file and for the whole model.
struct DownloadProgress {
    std::string modelId;
    std::string file;   ///< path inside the model folder
    int fileIndex = 0;  ///< 0-based
    int fileCount = 0;
    std::uint64_t fileBytes = 0;
    std::uint64_t fileTotal = 0;  ///< 0 when the server did not say
    std::uint64_t modelBytes = 0;
    std::uint64_t modelTotal = 0;  ///< 0 when unknown
    double bytesPerSecond = 0;     ///< average over this pull
    double fileEtaSeconds = -1;    ///< -1 when unknown
    double modelEtaSeconds = -1;
    bool fileDone = false;  ///< the file is complete and verified
};
using ProgressCallback = std::function<void(const DownloadProgress&)>;

/// Knobs for downloads; the defaults suit real networks, tests shrink the delays.
struct DownloadOptions {
    int stallTimeoutSeconds = 30;  ///< no bytes for this long -> the attempt fails as stalled
    int connectTimeoutSeconds = 30;
    int maxRetries = 4;               ///< retries after transient failures (5xx, connection reset, stall)
    int retryDelayMs = 1000;          ///< first back-off; doubled for each further retry
    bool keepPartialOnCancel = true;  ///< keep <file>.incomplete so the next pull resumes
    /// Hub address, token and offline mode set by the caller (the window's Settings › Models); what is not set
    /// comes from the environment as huggingface_hub reads it (resolveHfAccess).
    HfAccessOverrides hub;
};

/// One file to fetch.
struct DownloadItem {
    std::string url;
    std::string path;  ///< relative path in the model folder
    std::uint64_t bytes = 0;
    std::string sha256;     ///< expected digest; empty: use the hub's X-Linked-Etag / ETag when it is a SHA-256
    bool useToken = false;  ///< send the hub token (hub files only)
};

/// Downloads catalog models and any Hugging Face repository into a ModelStore: resumable (<file>.incomplete +
/// Range), retried with back-off on transient errors, SHA-256-checked, cancellable, with stall detection.
/// A model folder appears in the store only when all its files are complete. One pull at a time per object;
/// cancel() may be called from any thread.
class Downloader {
public:
    explicit Downloader(ModelStore& store, DownloadOptions options = {});

    void setProgressCallback(ProgressCallback callback) { m_progress = std::move(callback); }
    /// Asks the running pull to stop; it throws benchtop::CancelledError soon after.
    void cancel() { m_cancel.store(true); }
    /// Clears a previous cancel() so the object can be reused.
    void resetCancel() { m_cancel.store(false); }

    /// Makes `ref` (catalog id, or Hugging Face repo id, optionally "org/name@revision") available and returns
    /// its folder. Nothing is downloaded when it is already in the store or the HF cache; a clock table bundled
    /// with Benchtop is downloaded into the store (the way to get a newer table).
    std::string pull(const std::string& ref);

    /// Fetches one file to `destination` (resuming <destination>.incomplete) and verifies it. Public for tools.
    /// Returns the SHA-256 of the finished file.
    std::string downloadFile(const DownloadItem& item, const std::string& destination);

    /// The hub address, token and offline mode this downloader uses (options over the environment).
    const HfAccess& access() const { return m_access; }

    /// $HF_ENDPOINT without a trailing slash, default https://huggingface.co.
    static std::string hfEndpoint();
    /// Applies $BENCHTOP_URL_MIRROR: https://example.org/a/b.csv -> $BENCHTOP_URL_MIRROR/example.org/a/b.csv.
    static std::string mirrorUrl(const std::string& url);
    /// {endpoint}/{repo}/resolve/{revision}/{file}
    static std::string hubFileUrl(const std::string& repo, const std::string& revision, const std::string& file);

private:
    struct Plan;
    Plan planFor(const std::string& ref);
    std::string getText(const std::string& url, bool useToken, long* status);
    /// {access().endpoint}/{repo}/resolve/{revision}/{file}
    std::string fileUrl(const std::string& repo, const std::string& revision, const std::string& file) const;
    /// Throws when offline mode forbids a request for `what`.
    void refuseIfOffline(const std::string& what) const;
    void report(DownloadProgress progress, bool force);

    ModelStore& m_store;
    DownloadOptions m_options;
    HfAccess m_access;
    ProgressCallback m_progress;
    std::atomic<bool> m_cancel{false};
    // Per-pull progress state.
    std::string m_modelId;
    int m_fileIndex = 0;
    int m_fileCount = 0;
    std::uint64_t m_modelDone = 0;  ///< bytes of files finished in this pull (or already present)
    std::uint64_t m_modelTotal = 0;
    std::uint64_t m_sessionBytes = 0;  ///< bytes actually received in this pull, for the rate
    double m_startSeconds = 0;
    double m_lastReport = 0;
};

}  // namespace benchtop::hub
