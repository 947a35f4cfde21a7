#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <string>

#include "core/hub/downloader.h"
#include "core/hub/model_store.h"
#include "ui/background_job.h"

Q_DECLARE_METATYPE(benchtop::hub::DownloadProgress)

namespace benchtop::ui {

/// Runs one piece of store work (a pull, an import) as a BackgroundJob and reports back on the GUI thread.
/// Deleting the task cancels the work and waits for it to stop, bounded by kStopWaitMs: a cancelled download
/// stops within one transfer callback, and waiting keeps a Resume from writing the partial file a pull still
/// stopping writes too. Nothing the work reports reaches a destroyed receiver.
class StoreTask : public QObject {
    Q_OBJECT
public:
    /// Longest the destructor waits for cancelled work to stop.
    static constexpr int kStopWaitMs = 5000;

    /// Runs on the pool; returns the resulting folder or throws (benchtop::CancelledError when cancelled).
    using Work = std::function<std::string(const JobControl&)>;

    /// `cancel` is called on the GUI thread by cancel() and the destructor to interrupt the work.
    StoreTask(QString id, Work work, std::function<void()> cancel, QObject* parent = nullptr);
    ~StoreTask() override;

    /// A pull of `ref` into `store` (its own copy: the work never shares the GUI's store object).
    static StoreTask* pull(const QString& id, const QString& ref, const hub::ModelStore& store,
                           const hub::DownloadOptions& options, QObject* parent = nullptr);

    const QString& id() const { return m_id; }
    /// Starts the work (once; later calls do nothing).
    void start();
    /// Asks the work to stop; cancelled() follows once it has.
    void cancel();
    bool isCancelling() const { return m_job.isCancelled(); }
    bool isRunning() const { return m_job.isRunning(); }

Q_SIGNALS:
    /// Download progress (pulls only), throttled by the downloader to ~10 per second.
    void progress(const benchtop::hub::DownloadProgress& progress);
    void succeeded(const QString& path);
    void failed(const QString& message);
    void cancelled();

private:
    struct Result;

    QString m_id;
    Work m_work;
    std::function<void()> m_cancel;
    bool m_started = false;
    std::shared_ptr<Result> m_result;  // written by the work, read once it has finished
    BackgroundJob m_job;
};

}  // namespace benchtop::ui
