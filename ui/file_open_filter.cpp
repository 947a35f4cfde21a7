#include "ui/file_open_filter.h"

#include <QFileOpenEvent>

namespace benchtop::ui {

FileOpenFilter::FileOpenFilter(QObject* parent) : QObject(parent) {
    m_gather.setSingleShot(true);
    m_gather.setInterval(kGatherMs);
    connect(&m_gather, &QTimer::timeout, this, [this]() {
        const QStringList paths = m_pending;
        m_pending.clear();
        Q_EMIT filesOpened(paths);
    });
}

void FileOpenFilter::add(const QStringList& paths) {
    for (const QString& path : paths)
        if (!path.isEmpty() && !m_pending.contains(path)) m_pending << path;
    m_gather.start();  // restarts: the list is emitted once the burst is over
}

bool FileOpenFilter::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::FileOpen) {
        const auto* open = static_cast<QFileOpenEvent*>(event);
        const QString path = open->file();
        if (!path.isEmpty()) {
            add({path});
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

}  // namespace benchtop::ui
