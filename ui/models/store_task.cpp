#include "ui/models/store_task.h"

#include <exception>

#include "core/common/error.h"

namespace benchtop::ui {

StoreTask::StoreTask(QString id, std::function<std::string()> work, std::function<void()> cancel, QObject* parent)
    : QObject(parent), m_id(std::move(id)), m_work(std::move(work)), m_cancel(std::move(cancel)) {
    qRegisterMetaType<benchtop::hub::DownloadProgress>();
}

StoreTask::~StoreTask() {
    if (m_thread.joinable()) {
        cancel();
        m_thread.join();
    }
}

StoreTask* StoreTask::pull(const QString& id, const QString& ref, const hub::ModelStore& store,
                           const hub::DownloadOptions& options, QObject* parent) {
    // The store copy and the downloader live as long as the task; only the worker thread touches them.
    auto storeCopy = std::make_shared<hub::ModelStore>(store);
    auto downloader = std::make_shared<hub::Downloader>(*storeCopy, options);
    const std::string refText = ref.toStdString();
    auto* task = new StoreTask(
        id, [storeCopy, downloader, refText]() { return downloader->pull(refText); },
        [downloader]() { downloader->cancel(); }, parent);
    // Emitted on the worker thread; Qt queues it to the receivers on the GUI thread.
    downloader->setProgressCallback([task](const hub::DownloadProgress& p) { Q_EMIT task->progress(p); });
    return task;
}

void StoreTask::start() {
    if (m_thread.joinable()) return;
    m_running = true;
    m_thread = std::thread([this]() { run(); });
}

void StoreTask::cancel() {
    m_cancelRequested = true;
    if (m_cancel) m_cancel();
}

void StoreTask::run() {
    try {
        // Work that finished despite a late cancel() did succeed: report it as such.
        const std::string path = m_work();
        m_running = false;
        Q_EMIT succeeded(QString::fromStdString(path));
    } catch (const CancelledError&) {
        m_running = false;
        Q_EMIT cancelled();
    } catch (const std::exception& e) {
        m_running = false;
        if (m_cancelRequested.load())
            Q_EMIT cancelled();
        else
            Q_EMIT failed(QString::fromStdString(e.what()));
    }
}

}  // namespace benchtop::ui
