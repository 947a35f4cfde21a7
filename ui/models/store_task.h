#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "core/hub/downloader.h"
#include "core/hub/model_store.h"

Q_DECLARE_METATYPE(benchtop::hub::DownloadProgress)

namespace benchtop::ui {

/// Runs one piece of store work (a pull, an import) on its own thread and reports back on the GUI thread
/// through queued signals. Deleting the task cancels the work and waits for the thread, so nothing it posts
/// reaches a destroyed receiver.
class StoreTask : public QObject {
    Q_OBJECT
public:
    /// `work` runs on the worker thread; it returns the resulting folder or throws (benchtop::CancelledError
    /// when cancelled). `cancel` is called from the GUI thread by cancel() and the destructor.
    StoreTask(QString id, std::function<std::string()> work, std::function<void()> cancel, QObject* parent = nullptr);
    ~StoreTask() override;

    /// A pull of `ref` into `store` (its own copy: the worker never shares the GUI's store object).
    static StoreTask* pull(const QString& id, const QString& ref, const hub::ModelStore& store,
                           const hub::DownloadOptions& options, QObject* parent = nullptr);

    const QString& id() const { return m_id; }
    void start();
    /// Asks the work to stop; cancelled() follows once it has.
    void cancel();
    bool isCancelling() const { return m_cancelRequested.load(); }
    bool isRunning() const { return m_running.load(); }

Q_SIGNALS:
    /// Download progress (pulls only), throttled by the downloader to ~10 per second.
    void progress(const benchtop::hub::DownloadProgress& progress);
    void succeeded(const QString& path);
    void failed(const QString& message);
    void cancelled();

private:
    void run();

    QString m_id;
    std::function<std::string()> m_work;
    std::function<void()> m_cancel;
    std::thread m_thread;
    std::atomic<bool> m_running{false};
    std::atomic<bool> m_cancelRequested{false};
};

}  // namespace benchtop::ui
