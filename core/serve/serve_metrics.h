#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace benchtop::serve {

/// A Prometheus histogram: cumulative counts per upper bound, sum and count.
class Histogram {
public:
    explicit Histogram(std::vector<double> upperBounds = {});
    void observe(double value);
    /// The "<name>_bucket{...le=...}", "<name>_sum" and "<name>_count" lines; `labels` without braces ("a=\"b\"").
    void render(std::string& out, const std::string& name, const std::string& labels) const;
    std::uint64_t count() const { return m_count; }
    double sum() const { return m_sum; }

private:
    std::vector<double> m_bounds;
    std::vector<std::uint64_t> m_counts;  ///< per bucket (not cumulative); the last is +Inf
    double m_sum = 0;
    std::uint64_t m_count = 0;
};

/// What the server has done since it started, for /metrics, /health, the window's charts and `bench serve`.
struct ServeCounters {
    std::uint64_t requests = 0;              ///< answered requests (every endpoint and status)
    std::uint64_t failedRequests = 0;        ///< of them with a status >= 400
    std::uint64_t rejectedBusy = 0;          ///< 429s
    std::uint64_t texts = 0;                 ///< texts embedded
    std::uint64_t tokens = 0;                ///< their tokens
    std::uint64_t paddedTokens = 0;          ///< batch rows x columns over the embedding batches
    std::uint64_t embeddingBatches = 0;      ///< device batches run for embeddings
    double embeddingSeconds = 0;             ///< device time of those batches
    std::uint64_t transcriptions = 0;        ///< audio files transcribed
    std::uint64_t transcriptionBatches = 0;  ///< transcribe()/transcribeMany() calls they took
    double audioSeconds = 0;                 ///< their length
    double transcriptionSeconds = 0;         ///< device time of the transcription batches
    std::uint64_t methylationSamples = 0;

    /// Real / padded tokens over every embedding batch (1 before the first).
    double paddingEfficiency() const {
        return paddedTokens > 0 ? static_cast<double>(tokens) / static_cast<double>(paddedTokens) : 1.0;
    }
};

/// Thread-safe counters and histograms of a server, rendered in the Prometheus text format.
class ServeMetrics {
public:
    ServeMetrics();

    void requestFinished(const std::string& endpoint, int status, double seconds);
    void embeddingBatch(std::size_t rows, std::int64_t realTokens, std::int64_t paddedTokens, double seconds);
    void transcriptionBatch(std::size_t files, double audioSeconds, double seconds);
    void methylationSamples(std::size_t samples);

    ServeCounters counters() const;

    /// Gauges read at scrape time.
    struct Gauges {
        std::size_t queueDepth = 0;
        std::size_t queueCapacity = 0;
        std::size_t connectionsInFlight = 0;
        double uptimeSeconds = 0;
        std::string deviceId;
        std::int64_t deviceFreeBytes = -1;  ///< < 0: not a GPU (or unknown)
        std::int64_t deviceTotalBytes = -1;
        std::int64_t residentBytes = -1;
    };
    /// The Prometheus exposition text (version 0.0.4).
    std::string prometheus(const Gauges& gauges) const;

private:
    mutable std::mutex m_mutex;
    ServeCounters m_counters;
    std::map<std::pair<std::string, int>, std::uint64_t> m_requests;  ///< (endpoint, status) -> count
    std::map<std::string, Histogram> m_latency;                       ///< per endpoint
    Histogram m_embeddingBatchRows;
    Histogram m_embeddingBatchTokens;
    Histogram m_transcriptionBatchFiles;
};

}  // namespace benchtop::serve
