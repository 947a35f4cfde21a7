#include "ui/views/file_list_view.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace benchtop::ui {

FileListResultView::FileListResultView(QWidget* parent) : ResultView(parent) {
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_openFolder = new QPushButton(tr("Show Folder"), this);
    m_openFolder->setEnabled(false);
    connect(m_openFolder, &QPushButton::clicked, this, [this]() {
        if (!m_folder.isEmpty()) QDesktopServices::openUrl(QUrl::fromLocalFile(m_folder));
    });

    m_files = new QTableWidget(0, 3, this);
    m_files->setHorizontalHeaderLabels({tr("Result file"), tr("Size"), QString()});
    m_files->verticalHeader()->setVisible(false);
    m_files->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_files->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_files->setShowGrid(false);
    m_files->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_files->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_files->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);

    auto* top = new QHBoxLayout();
    top->addWidget(m_summary, 1);
    top->addWidget(m_openFolder);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_files, 1);
}

int FileListResultView::fileCount() const {
    return m_files->rowCount();
}

void FileListResultView::showJob(const engine::JobSnapshot& job) {
    QString summary;
    switch (job.state) {
        case engine::JobState::Done:
            summary = job.summary.empty() ? tr("Finished.") : QString::fromStdString(job.summary);
            break;
        case engine::JobState::Failed:
            summary = tr("Failed: %1").arg(QString::fromStdString(job.error));
            break;
        case engine::JobState::Cancelled:
            summary = tr("Cancelled; partial results were removed.");
            break;
        default:
            summary = tr("Results appear here when the job finishes.");
            break;
    }
    m_summary->setText(summary);

    m_files->setRowCount(0);
    // The job's own result folder; before it starts, the results root it will be created in.
    const std::string& folder = job.resultDir.empty() ? job.spec.outputDir : job.resultDir;
    m_folder = folder.empty() ? QString() : QString::fromStdString(folder);
    for (const std::string& file : job.resultFiles) {
        const QString path = QString::fromStdString(file);
        const QFileInfo info(path);
        if (m_folder.isEmpty()) m_folder = info.absolutePath();
        const int row = m_files->rowCount();
        m_files->insertRow(row);
        auto* name = new QTableWidgetItem(info.fileName());
        name->setToolTip(path);
        m_files->setItem(row, 0, name);
        auto* size = new QTableWidgetItem(info.exists() ? QLocale().formattedDataSize(info.size()) : tr("missing"));
        size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_files->setItem(row, 1, size);
        auto* open = new QPushButton(tr("Open"), m_files);
        open->setToolTip(tr("Open %1 with its default application").arg(info.fileName()));
        connect(open, &QPushButton::clicked, this, [path]() { QDesktopServices::openUrl(QUrl::fromLocalFile(path)); });
        m_files->setCellWidget(row, 2, open);
    }
    m_openFolder->setEnabled(!m_folder.isEmpty() && QFileInfo(m_folder).isDir());
}

}  // namespace benchtop::ui
