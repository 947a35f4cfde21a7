#pragma once

#include "ui/views/result_view.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace benchtop::ui {

/// The default result view: the job's summary and its result files, each with an "Open" button.
class FileListResultView : public ResultView {
    Q_OBJECT
public:
    explicit FileListResultView(QWidget* parent = nullptr);
    void showJob(const engine::JobSnapshot& job) override;

    /// Number of result files listed.
    int fileCount() const;

private:
    QLabel* m_summary = nullptr;
    QTableWidget* m_files = nullptr;
    QPushButton* m_openFolder = nullptr;
    QString m_folder;
};

}  // namespace benchtop::ui
