#include "ui/models/store_task.h"

#include <exception>

#include "core/common/error.h"

namespace benchtop::ui {

struct StoreTask::Result {
    enum class Kind { Succeeded, Failed, Cancelled } kind = Kind::Failed;
    QString text;  ///< the folder, or the error message
};

StoreTask::StoreTask(QString id, Work work, std::function<void()> cancel, QObject* parent)
    : QObject(parent),
      m_id(std::move(id)),
      m_work(std::move(work)),
      m_cancel(std::move(cancel)),
      m_result(std::make_shared<Result>()) {
    qRegisterMetaType<benchtop::hub::DownloadProgress>();
    // finished() comes after the work returned and after every progress report it posted.
    connect(&m_job, &BackgroundJob::finished, this, [this](const QString& escaped) {
        if (!escaped.isEmpty()) {
            Q_EMIT failed(escaped);
            return;
        }
        switch (m_result->kind) {
            case Result::Kind::Succeeded:
                Q_EMIT succeeded(m_result->text);
                break;
            case Result::Kind::Cancelled:
                Q_EMIT cancelled();
                break;
            case Result::Kind::Failed:
                Q_EMIT failed(m_result->text);
                break;
        }
    });
}

StoreTask::~StoreTask() {
    cancel();
    m_job.waitForDone(kStopWaitMs);
}

StoreTask* StoreTask::pull(const QString& id, const QString& ref, const hub::ModelStore& store,
                           const hub::DownloadOptions& options, QObject* parent) {
    // The store copy and the downloader live as long as the work; only the work touches them (cancel() is
    // thread-safe).
    auto storeCopy = std::make_shared<hub::ModelStore>(store);
    auto downloader = std::make_shared<hub::Downloader>(*storeCopy, options);
    const std::string refText = ref.toStdString();
    auto* task = new StoreTask(
        id, {}, [downloader]() { downloader->cancel(); }, parent);
    task->m_work = [storeCopy, downloader, refText, task](const JobControl& control) {
        // Reports are posted to the GUI thread; `task` is only used there, and only while it exists.
        downloader->setProgressCallback([control, task](const hub::DownloadProgress& p) {
            control.post([task, p]() { Q_EMIT task->progress(p); });
        });
        // pull() clears the downloader's cancel flag when it begins: a cancel() that came first is honoured here.
        if (control.isCancelled()) throw CancelledError();
        return downloader->pull(refText);
    };
    return task;
}

void StoreTask::start() {
    if (m_started) return;
    m_started = true;
    m_job.start(
        [work = m_work, result = m_result](const JobControl& control) {
            try {
                // Work that finished despite a late cancel() did succeed: report it as such.
                result->text = QString::fromStdString(work(control));
                result->kind = Result::Kind::Succeeded;
            } catch (const CancelledError&) {
                result->kind = Result::Kind::Cancelled;
            } catch (const std::exception& e) {
                result->kind = control.isCancelled() ? Result::Kind::Cancelled : Result::Kind::Failed;
                result->text = QString::fromStdString(e.what());
            }
        },
        m_cancel);
}

void StoreTask::cancel() {
    if (m_started) {
        m_job.cancel();  // calls m_cancel
    } else if (m_cancel) {
        m_cancel();
    }
}

}  // namespace benchtop::ui
