#include "ui/file_open_filter.h"

#include <QFileOpenEvent>

namespace benchtop::ui {

bool FileOpenFilter::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::FileOpen) {
        const auto* open = static_cast<QFileOpenEvent*>(event);
        const QString path = open->file();
        if (!path.isEmpty()) {
            Q_EMIT filesOpened({path});
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

}  // namespace benchtop::ui
