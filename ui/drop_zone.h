#pragma once

#include <QFrame>
#include <QStringList>

class QLabel;
class QMimeData;

namespace benchtop::engine {
class TaskRegistry;
}

namespace benchtop::ui {

/// The area where files and folders are dropped. Shows an empty-state text, highlights while a drag
/// hovers, and emits the dropped local paths (folders unexpanded; the window expands them).
class DropZone : public QFrame {
    Q_OBJECT
public:
    explicit DropZone(QWidget* parent = nullptr);

    /// Local file paths in `mime` (non-local URLs are ignored).
    static QStringList localPaths(const QMimeData* mime);

    /// Says which files the tasks accept ("Epigenetic clocks: CSV, TSV, ..."), from their declarations.
    void setTasks(const engine::TaskRegistry& tasks);

    /// Switches between the large empty-state look and a compact strip once jobs exist.
    void setCompact(bool compact);
    bool isCompact() const { return m_compact; }

Q_SIGNALS:
    void pathsDropped(const QStringList& paths);
    void openFilesClicked();
    void openFolderClicked();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void setHighlighted(bool highlighted);

    QLabel* m_title = nullptr;
    QLabel* m_hint = nullptr;
    QString m_emptyTitle;
    bool m_compact = false;
};

}  // namespace benchtop::ui
