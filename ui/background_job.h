#pragma once

#include <QObject>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>

namespace benchtop::ui {

namespace detail {
struct BackgroundJobState;
}

/// What a background job's work is handed: the cancellation flag to poll and the way to deliver results to
/// the thread that owns the job. Cheap to copy (progress callbacks may keep one) and harmless to use after the
/// job is gone: posts are then dropped.
class JobControl {
public:
    /// True once the owner asked the work to stop (cancel(), a new start(), destruction). Poll it between steps.
    bool isCancelled() const;
    /// Sleeps up to `duration`; returns true early as soon as the job is cancelled (false when the time passed).
    bool waitForCancel(std::chrono::milliseconds duration) const;
    /// Runs `fn` on the job's thread (the GUI thread), after everything this run posted before. Dropped when the
    /// job has been destroyed or restarted meanwhile, so `fn` may use the owner of the job.
    void post(std::function<void()> fn) const;

private:
    friend class BackgroundJob;
    explicit JobControl(std::shared_ptr<detail::BackgroundJobState> state);
    std::shared_ptr<detail::BackgroundJobState> m_state;
};

/// The one way the UI runs work off the GUI thread: a job runs one piece of work at a time on a shared thread
/// pool (sized so jobs never queue behind each other), hands results back through JobControl::post and
/// finished() on its own thread, and stops through a cancellation flag the work polls.
///
/// Destroying the job never waits: it cancels (and interrupts) the work and returns; the work winds down on
/// the pool and nothing it posts afterwards arrives. Owners whose work borrows something that dies with them
/// call waitForDone() with a bound they document; the application drains all work with waitForAll() before
/// the engine goes.
class BackgroundJob : public QObject {
    Q_OBJECT
public:
    using Work = std::function<void(const JobControl&)>;

    explicit BackgroundJob(QObject* parent = nullptr);
    /// Cancels the work and returns at once (see the class comment).
    ~BackgroundJob() override;

    /// Starts `work` on the pool. `interrupt`, when given, is called on this thread by cancel() to break blocking
    /// work out of a wait the flag cannot reach (a download's transfer). Returns false while a run that was not
    /// cancelled is in progress; a cancelled run is abandoned: it winds down on its own and its posts are dropped.
    bool start(Work work, std::function<void()> interrupt = {});
    /// Asks the running work to stop; finished() follows once it returns. Idempotent.
    void cancel();
    /// From start() until the work has returned (its finished() may still be on its way).
    bool isRunning() const;
    /// The current run was cancelled.
    bool isCancelled() const;
    /// Blocks up to `msecs` (< 0: no limit) until the current work has returned; true when it has or none runs.
    bool waitForDone(int msecs) const;

    /// Waits up to `msecs` (< 0: no limit) for the work of every job, abandoned runs included; true when all
    /// returned. For the end of the program, before objects that work borrows (the engine) are destroyed.
    static bool waitForAll(int msecs = -1);

Q_SIGNALS:
    /// The work returned; delivered on this job's thread after everything the run posted. `error` is the message
    /// of an exception that escaped the work, empty otherwise.
    void finished(const QString& error);

private:
    void abandon();

    std::shared_ptr<detail::BackgroundJobState> m_state;
    std::function<void()> m_interrupt;
};

}  // namespace benchtop::ui
