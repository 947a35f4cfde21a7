#include "app/cli/progress_printer.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#if defined(_WIN32)
#include <io.h>
#define BENCHTOP_ISATTY _isatty
#define BENCHTOP_FILENO _fileno
#else
#include <unistd.h>
#define BENCHTOP_ISATTY isatty
#define BENCHTOP_FILENO fileno
#endif

namespace benchtop::cli {
namespace {

double nowSeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::string formatCount(double value) {
    std::ostringstream out;
    if (value >= 1e6)
        out.precision(3), out << value / 1e6 << "M";
    else if (value >= 1e4)
        out.precision(3), out << value / 1e3 << "k";
    else
        out << static_cast<long long>(std::llround(value));
    return out.str();
}

}  // namespace

std::string formatDuration(double seconds) {
    if (seconds < 0 || !std::isfinite(seconds)) return "--";
    const auto s = static_cast<long long>(std::llround(seconds));
    char buffer[32];
    if (s >= 3600)
        std::snprintf(buffer, sizeof buffer, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
    else if (s >= 60)
        std::snprintf(buffer, sizeof buffer, "%lldm%02llds", s / 60, s % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%llds", s);
    return buffer;
}

ProgressPrinter::ProgressPrinter(bool quiet) : m_quiet(quiet), m_tty(BENCHTOP_ISATTY(BENCHTOP_FILENO(stderr)) != 0) {}

void ProgressPrinter::onJobChanged(const engine::JobSnapshot& job) {
    if (m_quiet) return;
    std::lock_guard<std::mutex> lock(m_mutex);
    draw(job);
}

void ProgressPrinter::onLog(engine::JobId id, const std::string& message) {
    if (m_quiet) return;
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_lineOpen) std::fputs("\n", stderr), m_lineOpen = false;
    std::fprintf(stderr, "[job %llu] %s\n", static_cast<unsigned long long>(id), message.c_str());
}

void ProgressPrinter::finish() {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_lineOpen) std::fputs("\n", stderr);
    m_lineOpen = false;
}

void ProgressPrinter::draw(const engine::JobSnapshot& job) {
    const std::string name =
        std::filesystem::path(job.spec.inputs.empty() ? "" : job.spec.inputs.front()).filename().string();
    const bool stateChanged = m_lastState[job.id] != job.state || !m_lastState.count(job.id);
    m_lastState[job.id] = job.state;
    const auto& p = job.progress;

    if (engine::isFinished(job.state)) {
        if (m_lineOpen) std::fputs("\r\033[K", stderr), m_lineOpen = false;
        if (job.state == engine::JobState::Done) {
            std::fprintf(stderr, "done      %s  %s in %s (%s %s/s)%s%s\n", name.c_str(), formatCount(p.done).c_str(),
                         formatDuration(p.elapsedSeconds).c_str(), formatCount(job.metrics.unitsPerSecond).c_str(),
                         p.unit.c_str(), job.summary.empty() ? "" : "  ", job.summary.c_str());
        } else if (job.state == engine::JobState::Failed) {
            std::fprintf(stderr, "failed    %s: %s\n", name.c_str(), job.error.c_str());
        } else {
            std::fprintf(stderr, "cancelled %s\n", name.c_str());
        }
        return;
    }
    if (job.state == engine::JobState::Preparing && stateChanged && !job.deviceLabel.empty() && !m_tty) {
        std::fprintf(stderr, "preparing %s on %s\n", name.c_str(), job.deviceLabel.c_str());
    }
    if (job.state != engine::JobState::Running) return;

    const double fraction = p.fraction();
    std::ostringstream line;
    line << "[" << job.taskName << "] " << name << " ";
    if (fraction >= 0) {
        constexpr int kWidth = 28;
        const int filled = static_cast<int>(fraction * kWidth);
        line << "[" << std::string(static_cast<std::size_t>(filled), '#')
             << std::string(static_cast<std::size_t>(kWidth - filled), '.') << "] " << static_cast<int>(fraction * 100)
             << "% ";
    }
    line << formatCount(p.done);
    if (p.total > 0) line << "/" << formatCount(p.total);
    line << " " << p.unit << "  " << formatCount(p.ratePerSecond) << " " << p.unit << "/s  ETA "
         << formatDuration(p.etaSeconds);

    if (m_tty) {
        std::fprintf(stderr, "\r\033[K%s", line.str().c_str());
        std::fflush(stderr);
        m_lineOpen = true;
    } else {
        // Logs get a line every 5 seconds at most.
        const double now = nowSeconds();
        if (stateChanged || now - m_lastPrinted[job.id] >= 5.0) {
            m_lastPrinted[job.id] = now;
            std::fprintf(stderr, "%s\n", line.str().c_str());
        }
    }
}

}  // namespace benchtop::cli
