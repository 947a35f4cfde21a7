#include "ui/background_job.h"

#include <QMetaObject>
#include <QThread>
#include <QThreadPool>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>

namespace benchtop::ui {

namespace detail {

/// Shared by a job and its running work; outlives whichever of the two ends first.
struct BackgroundJobState {
    std::mutex mutex;
    std::condition_variable changed;
    std::atomic<bool> cancelled{false};
    bool running = false;
    /// Where posts go; null once the job abandoned this run (destroyed or restarted). Guarded by `mutex`, and
    /// posts happen under it, so nothing is posted to a job after its destructor cleared this.
    BackgroundJob* receiver = nullptr;
};

}  // namespace detail

namespace {

/// Jobs are few and mostly wait (network, a sampling interval, one query's forward pass), so each gets a thread
/// of its own instead of queueing behind another: Qt's global pool is sized to the cores and a sampling loop
/// would hold one of its threads for good.
class BackgroundPool : public QThreadPool {
public:
    BackgroundPool() {
        setObjectName(QStringLiteral("benchtop-background"));
        setMaxThreadCount(std::max(64, QThread::idealThreadCount()));
    }
    // ~QThreadPool waits for the work still running when the program ends.
};

Q_GLOBAL_STATIC(BackgroundPool, backgroundPool)

}  // namespace

JobControl::JobControl(std::shared_ptr<detail::BackgroundJobState> state) : m_state(std::move(state)) {}

bool JobControl::isCancelled() const {
    return m_state->cancelled.load();
}

bool JobControl::waitForCancel(std::chrono::milliseconds duration) const {
    std::unique_lock<std::mutex> lock(m_state->mutex);
    return m_state->changed.wait_for(lock, duration, [this]() { return m_state->cancelled.load(); });
}

void JobControl::post(std::function<void()> fn) const {
    std::lock_guard<std::mutex> lock(m_state->mutex);
    BackgroundJob* receiver = m_state->receiver;
    if (!receiver) return;
    // Queued to the job's thread; events still pending when the job is destroyed are discarded with it.
    QMetaObject::invokeMethod(
        receiver,
        [receiver, state = m_state, fn = std::move(fn)]() {
            // A restart abandoned this run after the post: its results are stale.
            bool current = false;
            {
                std::lock_guard<std::mutex> relock(state->mutex);
                current = state->receiver == receiver;
            }
            if (current) fn();
        },
        Qt::QueuedConnection);
}

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent) {}

BackgroundJob::~BackgroundJob() {
    cancel();
    abandon();
}

bool BackgroundJob::start(Work work, std::function<void()> interrupt) {
    if (m_state) {
        if (isRunning() && !isCancelled()) return false;
        abandon();
    }
    auto state = std::make_shared<detail::BackgroundJobState>();
    state->receiver = this;
    state->running = true;
    m_state = state;
    m_interrupt = std::move(interrupt);

    backgroundPool()->start([state, work = std::move(work)]() {
        const JobControl control(state);
        QString error;
        try {
            work(control);
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        } catch (...) {
            error = QStringLiteral("unknown error");
        }
        {
            std::lock_guard<std::mutex> lock(state->mutex);
            state->running = false;
        }
        state->changed.notify_all();
        // Last of this run's posts, so finished() arrives after everything the work delivered.
        control.post([state, error]() {
            if (BackgroundJob* job = state->receiver) Q_EMIT job->finished(error);
        });
    });
    return true;
}

void BackgroundJob::cancel() {
    if (!m_state || m_state->cancelled.load()) return;
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->cancelled = true;
    }
    m_state->changed.notify_all();
    if (m_interrupt) m_interrupt();
}

void BackgroundJob::abandon() {
    if (!m_state) return;
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->receiver = nullptr;
    }
    m_state.reset();
    m_interrupt = nullptr;
}

bool BackgroundJob::isRunning() const {
    if (!m_state) return false;
    std::lock_guard<std::mutex> lock(m_state->mutex);
    return m_state->running;
}

bool BackgroundJob::isCancelled() const {
    return m_state && m_state->cancelled.load();
}

bool BackgroundJob::waitForDone(int msecs) const {
    if (!m_state) return true;
    std::unique_lock<std::mutex> lock(m_state->mutex);
    const auto done = [this]() { return !m_state->running; };
    if (msecs < 0) {
        m_state->changed.wait(lock, done);
        return true;
    }
    return m_state->changed.wait_for(lock, std::chrono::milliseconds(msecs), done);
}

bool BackgroundJob::waitForAll(int msecs) {
    return backgroundPool()->waitForDone(msecs);
}

}  // namespace benchtop::ui
