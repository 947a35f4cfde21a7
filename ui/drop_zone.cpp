#include "ui/drop_zone.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

#include "core/engine/task.h"
#include "ui/workload_text.h"

namespace benchtop::ui {

DropZone::DropZone(QWidget* parent) : QFrame(parent) {
    setObjectName(QStringLiteral("dropZone"));
    setAcceptDrops(true);
    setMinimumHeight(90);

    m_emptyTitle = tr("Drop files or folders here");
    m_title = new QLabel(m_emptyTitle, this);
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    m_hint = new QLabel(this);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);

    auto* openFiles = new QPushButton(tr("Open Files…"), this);
    auto* openFolder = new QPushButton(tr("Open Folder…"), this);
    connect(openFiles, &QPushButton::clicked, this, &DropZone::openFilesClicked);
    connect(openFolder, &QPushButton::clicked, this, &DropZone::openFolderClicked);
    auto* buttons = new QHBoxLayout();
    buttons->addStretch(1);
    buttons->addWidget(openFiles);
    buttons->addWidget(openFolder);
    buttons->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 18, 24, 18);
    layout->addStretch(1);
    layout->addWidget(m_title);
    layout->addWidget(m_hint);
    layout->addSpacing(8);
    layout->addLayout(buttons);
    layout->addStretch(1);
    setHighlighted(false);
    setAccessibleName(tr("Drop zone"));
    setAccessibleDescription(
        tr("Drop files or folders here to run them, or use the Open Files and Open Folder "
           "buttons."));
    openFiles->setAccessibleDescription(tr("Choose files to run; each file becomes one job"));
    openFolder->setAccessibleDescription(tr("Choose a folder; every supported file in it becomes a job"));
}

void DropZone::setTasks(const engine::TaskRegistry& tasks) {
    QStringList kinds;
    for (const engine::TaskKind& kind : tasks.kinds()) {
        if (!kind.fileDescription.empty())
            kinds << QStringLiteral("%1: %2").arg(workloadText(kind.name), workloadText(kind.fileDescription));
    }
    m_hint->setText(kinds.join(QStringLiteral("\n")) +
                    tr("\nFolders are expanded; each file becomes one job on the device shown at the top right."));
    setAccessibleDescription(tr("Drop files or folders here to run them, or use the Open Files and Open Folder "
                                "buttons.") +
                             QLatin1Char('\n') + m_hint->text());
}

QStringList DropZone::localPaths(const QMimeData* mime) {
    QStringList paths;
    if (!mime || !mime->hasUrls()) return paths;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    return paths;
}

void DropZone::setCompact(bool compact) {
    if (m_compact == compact) return;
    m_compact = compact;
    m_hint->setVisible(!compact);
    m_title->setText(compact ? tr("Drop more files here") : m_emptyTitle);
    setMinimumHeight(compact ? 64 : 90);
    setMaximumHeight(compact ? 90 : QWIDGETSIZE_MAX);
}

void DropZone::setHighlighted(bool highlighted) {
    // Palette roles, not fixed colours: the zone follows light and dark themes (and changes between them).
    setStyleSheet(highlighted
                      ? QStringLiteral("QFrame#dropZone { border: 2px dashed palette(highlight); "
                                       "border-radius: 10px; background: palette(alternate-base); }")
                      : QStringLiteral("QFrame#dropZone { border: 2px dashed palette(mid); border-radius: 10px; "
                                       "background: palette(base); }"));
}

void DropZone::dragEnterEvent(QDragEnterEvent* event) {
    if (!localPaths(event->mimeData()).isEmpty()) {
        event->acceptProposedAction();
        setHighlighted(true);
    }
}

void DropZone::dragMoveEvent(QDragMoveEvent* event) {
    if (!localPaths(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void DropZone::dragLeaveEvent(QDragLeaveEvent* event) {
    setHighlighted(false);
    QFrame::dragLeaveEvent(event);
}

void DropZone::dropEvent(QDropEvent* event) {
    setHighlighted(false);
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty()) return;
    event->acceptProposedAction();
    Q_EMIT pathsDropped(paths);
}

}  // namespace benchtop::ui
