#pragma once

#include <QObject>
#include <QStringList>

namespace benchtop::ui {

/// Application event filter for QEvent::FileOpen (macOS: files dropped on the Dock icon or opened with
/// Benchtop from Finder). Emits the paths; install it on the QApplication.
class FileOpenFilter : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

Q_SIGNALS:
    void filesOpened(const QStringList& paths);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

}  // namespace benchtop::ui
