#include "core/serve/serve_metrics.h"

#include <charconv>
#include <cmath>

namespace benchtop::serve {
namespace {

std::string number(double value) {
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest exact form
    return std::string(buffer, result.ptr);
}

void header(std::string& out, const char* name, const char* type, const char* help) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void sample(std::string& out, const std::string& name, const std::string& labels, double value) {
    out += name;
    if (!labels.empty()) out += "{" + labels + "}";
    out += " " + number(value) + "\n";
}

const std::vector<double> kLatencyBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

}  // namespace

Histogram::Histogram(std::vector<double> upperBounds)
    : m_bounds(std::move(upperBounds)), m_counts(m_bounds.size() + 1, 0) {}

void Histogram::observe(double value) {
    std::size_t i = 0;
    while (i < m_bounds.size() && value > m_bounds[i]) ++i;
    ++m_counts[i];
    m_sum += value;
    ++m_count;
}

void Histogram::render(std::string& out, const std::string& name, const std::string& labels) const {
    const std::string prefix = labels.empty() ? std::string() : labels + ",";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= m_bounds.size(); ++i) {
        cumulative += m_counts[i];
        const std::string le = i < m_bounds.size() ? number(m_bounds[i]) : "+Inf";
        sample(out, name + "_bucket", prefix + "le=\"" + le + "\"", static_cast<double>(cumulative));
    }
    sample(out, name + "_sum", labels, m_sum);
    sample(out, name + "_count", labels, static_cast<double>(m_count));
}

ServeMetrics::ServeMetrics()
    : m_embeddingBatchRows({1, 2, 4, 8, 16, 32, 64, 128, 256}),
      m_embeddingBatchTokens({64, 256, 1024, 4096, 8192, 16384, 32768, 65536}),
      m_transcriptionBatchFiles({1, 2, 4, 8, 16, 32}) {}

void ServeMetrics::requestFinished(const std::string& endpoint, int status, double seconds) {
    std::lock_guard<std::mutex> lock(m_mutex);
    ++m_counters.requests;
    if (status >= 400) ++m_counters.failedRequests;
    if (status == 429) ++m_counters.rejectedBusy;
    ++m_requests[{endpoint, status}];
    auto it = m_latency.find(endpoint);
    if (it == m_latency.end()) it = m_latency.emplace(endpoint, Histogram(kLatencyBounds)).first;
    it->second.observe(seconds);
}

void ServeMetrics::embeddingBatch(std::size_t rows, std::int64_t realTokens, std::int64_t paddedTokens,
                                  double seconds) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_counters.texts += rows;
    m_counters.tokens += static_cast<std::uint64_t>(realTokens);
    m_counters.paddedTokens += static_cast<std::uint64_t>(paddedTokens);
    ++m_counters.embeddingBatches;
    m_counters.embeddingSeconds += seconds;
    m_embeddingBatchRows.observe(static_cast<double>(rows));
    m_embeddingBatchTokens.observe(static_cast<double>(paddedTokens));
}

void ServeMetrics::transcriptionBatch(std::size_t files, double audioSeconds, double seconds) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_counters.transcriptions += files;
    ++m_counters.transcriptionBatches;
    m_counters.audioSeconds += audioSeconds;
    m_counters.transcriptionSeconds += seconds;
    m_transcriptionBatchFiles.observe(static_cast<double>(files));
}

void ServeMetrics::methylationSamples(std::size_t samples) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_counters.methylationSamples += samples;
}

ServeCounters ServeMetrics::counters() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_counters;
}

std::string ServeMetrics::prometheus(const Gauges& g) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    const ServeCounters& c = m_counters;
    std::string out;
    header(out, "benchtop_requests_total", "counter", "HTTP requests answered, by endpoint and status code.");
    for (const auto& [key, count] : m_requests)
        sample(out, "benchtop_requests_total",
               "endpoint=\"" + key.first + "\",code=\"" + std::to_string(key.second) + "\"",
               static_cast<double>(count));
    header(out, "benchtop_request_duration_seconds", "histogram",
           "Time from a request's arrival to its answer, by endpoint.");
    for (const auto& [endpoint, histogram] : m_latency)
        histogram.render(out, "benchtop_request_duration_seconds", "endpoint=\"" + endpoint + "\"");

    header(out, "benchtop_queue_depth", "gauge", "Requests admitted and not yet answered.");
    sample(out, "benchtop_queue_depth", {}, static_cast<double>(g.queueDepth));
    header(out, "benchtop_queue_capacity", "gauge", "Requests admitted at most (--max-queue); more get 429.");
    sample(out, "benchtop_queue_capacity", {}, static_cast<double>(g.queueCapacity));
    header(out, "benchtop_requests_rejected_busy_total", "counter", "Requests refused with 429 (queue full).");
    sample(out, "benchtop_requests_rejected_busy_total", {}, static_cast<double>(c.rejectedBusy));

    header(out, "benchtop_embedding_texts_total", "counter", "Texts embedded.");
    sample(out, "benchtop_embedding_texts_total", {}, static_cast<double>(c.texts));
    header(out, "benchtop_embedding_tokens_total", "counter", "Tokens of the texts embedded.");
    sample(out, "benchtop_embedding_tokens_total", {}, static_cast<double>(c.tokens));
    header(out, "benchtop_embedding_padded_tokens_total", "counter",
           "Batch rows x columns over the embedding batches (tokens plus padding).");
    sample(out, "benchtop_embedding_padded_tokens_total", {}, static_cast<double>(c.paddedTokens));
    header(out, "benchtop_embedding_padding_efficiency", "gauge", "Real tokens / padded tokens since start.");
    sample(out, "benchtop_embedding_padding_efficiency", {}, c.paddingEfficiency());
    header(out, "benchtop_embedding_tokens_per_second", "gauge",
           "Tokens embedded per second of device time since start.");
    sample(out, "benchtop_embedding_tokens_per_second", {},
           c.embeddingSeconds > 0 ? static_cast<double>(c.tokens) / c.embeddingSeconds : 0.0);
    header(out, "benchtop_embedding_batch_rows", "histogram", "Texts per device batch (across requests).");
    m_embeddingBatchRows.render(out, "benchtop_embedding_batch_rows", {});
    header(out, "benchtop_embedding_batch_padded_tokens", "histogram", "Padded tokens per device batch.");
    m_embeddingBatchTokens.render(out, "benchtop_embedding_batch_padded_tokens", {});

    header(out, "benchtop_transcription_files_total", "counter", "Audio files transcribed.");
    sample(out, "benchtop_transcription_files_total", {}, static_cast<double>(c.transcriptions));
    header(out, "benchtop_transcription_audio_seconds_total", "counter", "Seconds of audio transcribed.");
    sample(out, "benchtop_transcription_audio_seconds_total", {}, c.audioSeconds);
    header(out, "benchtop_transcription_audio_seconds_per_second", "gauge",
           "Seconds of audio transcribed per second of device time since start (1 / real-time factor).");
    sample(out, "benchtop_transcription_audio_seconds_per_second", {},
           c.transcriptionSeconds > 0 ? c.audioSeconds / c.transcriptionSeconds : 0.0);
    header(out, "benchtop_transcription_batch_files", "histogram", "Files per transcription batch.");
    m_transcriptionBatchFiles.render(out, "benchtop_transcription_batch_files", {});

    header(out, "benchtop_methylation_samples_total", "counter", "Samples whose clocks were predicted.");
    sample(out, "benchtop_methylation_samples_total", {}, static_cast<double>(c.methylationSamples));

    if (g.deviceFreeBytes >= 0) {
        header(out, "benchtop_device_memory_free_bytes", "gauge", "Free memory of the GPU the models run on.");
        sample(out, "benchtop_device_memory_free_bytes", "device=\"" + g.deviceId + "\"",
               static_cast<double>(g.deviceFreeBytes));
        header(out, "benchtop_device_memory_total_bytes", "gauge", "Memory of the GPU the models run on.");
        sample(out, "benchtop_device_memory_total_bytes", "device=\"" + g.deviceId + "\"",
               static_cast<double>(g.deviceTotalBytes));
    }
    if (g.residentBytes >= 0) {
        header(out, "benchtop_process_resident_memory_bytes", "gauge", "Resident memory of the server process.");
        sample(out, "benchtop_process_resident_memory_bytes", {}, static_cast<double>(g.residentBytes));
    }
    header(out, "benchtop_uptime_seconds", "gauge", "Seconds since the server started.");
    sample(out, "benchtop_uptime_seconds", {}, g.uptimeSeconds);
    return out;
}

}  // namespace benchtop::serve
