#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

namespace benchtop::serve {

/// Work a request queued for a batcher: the HTTP thread waits on it (polling its client's connection between
/// waits), the batcher finishes it. A client that hangs up cancels it; the batcher then skips its rows.
class PendingRequest {
public:
    virtual ~PendingRequest() = default;

    /// Marks the work finished (`error` empty = success) and wakes the waiting thread. Only the first call counts.
    void finish(const std::string& error = {}) {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (m_finished) return;
            m_finished = true;
            m_error = error;
        }
        m_cv.notify_all();
    }
    /// Waits up to `timeout` for finish(); true when finished.
    bool waitFor(std::chrono::milliseconds timeout) {
        std::unique_lock<std::mutex> lock(m_mutex);
        return m_cv.wait_for(lock, timeout, [&] { return m_finished; });
    }
    bool finished() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_finished;
    }
    /// The failure message given to finish() (empty on success).
    std::string error() const {
        std::lock_guard<std::mutex> lock(m_mutex);
        return m_error;
    }
    /// The client went away: the batcher drops the request's work that has not started.
    void cancel() { m_cancelled.store(true); }
    bool cancelled() const { return m_cancelled.load(); }

    /// When the request was queued for its batcher (set by submit()): the batch wait counts from here.
    std::chrono::steady_clock::time_point arrived = std::chrono::steady_clock::now();

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_finished = false;
    std::string m_error;
    std::atomic<bool> m_cancelled{false};
};

}  // namespace benchtop::serve
