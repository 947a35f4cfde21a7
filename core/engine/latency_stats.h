#pragma once

#include <array>
#include <cstdint>

namespace benchtop::engine {

/// One quantile of a stream, estimated in constant memory with the P² algorithm (Jain & Chlamtac, 1985):
/// five markers whose heights follow the quantile by piecewise-parabolic adjustment. Exact for the first
/// five values; afterwards typically within a few percent of the exact quantile for smooth distributions.
class StreamingQuantile {
public:
    explicit StreamingQuantile(double p);
    void add(double value);
    /// The estimate; 0 before any value.
    double value() const;
    std::int64_t count() const { return m_count; }

private:
    double m_p;
    std::int64_t m_count = 0;
    std::array<double, 5> m_height{};    ///< marker heights
    std::array<double, 5> m_position{};  ///< actual marker positions (1-based)
    std::array<double, 5> m_desired{};   ///< desired marker positions
    std::array<double, 5> m_increment{};
};

/// Batch latencies of a job: count, mean, max and the p50/p95/p99 estimates, in constant memory however
/// many batches the job runs (a corpus of millions of texts, a day of audio).
class LatencyStats {
public:
    void add(double milliseconds);
    std::int64_t count() const { return m_count; }
    double meanMs() const { return m_count > 0 ? m_sum / static_cast<double>(m_count) : 0.0; }
    double maxMs() const { return m_max; }
    double p50Ms() const { return m_p50.value(); }
    double p95Ms() const { return m_p95.value(); }
    double p99Ms() const { return m_p99.value(); }

private:
    std::int64_t m_count = 0;
    double m_sum = 0.0;
    double m_max = 0.0;
    StreamingQuantile m_p50{0.50};
    StreamingQuantile m_p95{0.95};
    StreamingQuantile m_p99{0.99};
};

}  // namespace benchtop::engine
