#pragma once

#include <QObject>
#include <QStringList>
#include <QTimer>

namespace benchtop::ui {

/// Application event filter for QEvent::FileOpen (macOS: files dropped on the Dock icon or opened with
/// Benchtop from Finder). Finder sends one event per file: the paths that arrive together (within kGatherMs of
/// each other) are emitted as one list, so that they are planned together like one drop (a matrix and its sample
/// sheet become one job). Paths handed to add() (another start's files, see SingleInstance) join the same list.
/// Install it on the QApplication.
class FileOpenFilter : public QObject {
    Q_OBJECT
public:
    static constexpr int kGatherMs = 250;

    explicit FileOpenFilter(QObject* parent = nullptr);

    /// Adds `paths` to the files being gathered; filesOpened follows when no more arrive for kGatherMs. An empty
    /// list still ends in filesOpened (an empty one when nothing else came): a start without files.
    void add(const QStringList& paths);

Q_SIGNALS:
    void filesOpened(const QStringList& paths);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QStringList m_pending;
    QTimer m_gather;
};

}  // namespace benchtop::ui
