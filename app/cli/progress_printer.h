#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/engine/engine.h"

namespace benchtop::cli {

/// Draws one progress line per job on stderr: a live bar with ETA on a terminal, a line every few
/// seconds otherwise (CI logs, pipes). Messages from tasks are printed as they come.
class ProgressPrinter : public engine::EngineObserver {
public:
    explicit ProgressPrinter(bool quiet);
    void onJobChanged(const engine::JobSnapshot& job) override;
    void onLog(engine::JobId id, const std::string& message) override;
    /// Ends the current bar line.
    void finish();

private:
    void draw(const engine::JobSnapshot& job);

    std::mutex m_mutex;
    bool m_quiet = false;
    bool m_tty = false;
    bool m_lineOpen = false;
    std::map<engine::JobId, double> m_lastPrinted;
    std::map<engine::JobId, engine::JobState> m_lastState;
};

/// "1h02m", "3m05s", "12s".
std::string formatDuration(double seconds);

}  // namespace benchtop::cli
