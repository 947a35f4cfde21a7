#include "core/engine/latency_stats.h"

#include <algorithm>
#include <cmath>

namespace benchtop::engine {
namespace {

/// Sorts the first `n` (at most 5) values; std::sort on so few values makes GCC 12 warn about its unrolled
/// 16-element path.
void sortFirst(std::array<double, 5>& values, std::size_t n) {
    for (std::size_t i = 1; i < n; ++i)
        for (std::size_t j = i; j > 0 && values[j] < values[j - 1]; --j) std::swap(values[j], values[j - 1]);
}

}  // namespace

StreamingQuantile::StreamingQuantile(double p) : m_p(std::clamp(p, 0.0, 1.0)) {
    m_desired = {1.0, 1.0 + 2.0 * m_p, 1.0 + 4.0 * m_p, 3.0 + 2.0 * m_p, 5.0};
    m_increment = {0.0, m_p / 2.0, m_p, (1.0 + m_p) / 2.0, 1.0};
    m_position = {1.0, 2.0, 3.0, 4.0, 5.0};
}

void StreamingQuantile::add(double x) {
    if (m_count < 5) {
        m_height[static_cast<std::size_t>(m_count)] = x;
        ++m_count;
        if (m_count == 5) sortFirst(m_height, 5);
        return;
    }
    ++m_count;
    // The cell x falls into; the extreme markers follow the minimum and maximum.
    std::size_t k = 0;
    if (x < m_height[0]) {
        m_height[0] = x;
        k = 0;
    } else if (x >= m_height[4]) {
        m_height[4] = x;
        k = 3;
    } else {
        k = 0;
        while (k < 3 && x >= m_height[k + 1]) ++k;
    }
    for (std::size_t i = k + 1; i < 5; ++i) m_position[i] += 1.0;
    for (std::size_t i = 0; i < 5; ++i) m_desired[i] += m_increment[i];

    // Move the three middle markers towards their desired positions.
    for (std::size_t i = 1; i <= 3; ++i) {
        const double d = m_desired[i] - m_position[i];
        if ((d >= 1.0 && m_position[i + 1] - m_position[i] > 1.0) ||
            (d <= -1.0 && m_position[i - 1] - m_position[i] < -1.0)) {
            const double s = d >= 0 ? 1.0 : -1.0;
            const double np = m_position[i + 1], n = m_position[i], nm = m_position[i - 1];
            const double qp = m_height[i + 1], q = m_height[i], qm = m_height[i - 1];
            // Piecewise-parabolic prediction; linear when it would leave the neighbours' range.
            double candidate =
                q + s / (np - nm) * ((n - nm + s) * (qp - q) / (np - n) + (np - n - s) * (q - qm) / (n - nm));
            if (!(qm < candidate && candidate < qp)) {
                const std::size_t j = s > 0 ? i + 1 : i - 1;
                candidate = q + s * (m_height[j] - q) / (m_position[j] - n);
            }
            m_height[i] = candidate;
            m_position[i] += s;
        }
    }
}

double StreamingQuantile::value() const {
    if (m_count == 0) return 0.0;
    if (m_count <= 5) {
        // Exact, by interpolation over the values seen so far.
        std::array<double, 5> sorted = m_height;
        const auto n = static_cast<std::size_t>(m_count);
        sortFirst(sorted, n);
        const double rank = m_p * static_cast<double>(n - 1);
        const auto lo = static_cast<std::size_t>(rank);
        const auto hi = std::min(n - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - static_cast<double>(lo));
    }
    return m_height[2];
}

void LatencyStats::add(double ms) {
    ++m_count;
    m_sum += ms;
    m_max = std::max(m_max, ms);
    m_p50.add(ms);
    m_p95.add(ms);
    m_p99.add(ms);
}

}  // namespace benchtop::engine
