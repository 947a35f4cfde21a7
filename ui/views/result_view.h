#pragma once

#include <QString>
#include <QWidget>

#include <functional>

#include "core/engine/job.h"

namespace benchtop::ui {

/// A per-task widget showing the results of one job in the results pane. Workloads add their own
/// (ui/views/clock_table_view, transcript_view, embedding_search_view, ...) and register a factory
/// for their task id; tasks without one get FileListResultView.
class ResultView : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    /// Shows `job`; called again with fresher snapshots of the same or another job of this task.
    virtual void showJob(const engine::JobSnapshot& job) = 0;
};

using ResultViewFactory = std::function<ResultView*(QWidget* parent)>;

/// Registers the view for jobs of `taskId` ("methylation", "text", "speech"). Call before the main
/// window is created (e.g. from a registerBuiltinResultViews() next to the task registration).
void registerResultView(const QString& taskId, ResultViewFactory factory);

/// A new view for `taskId`: the registered one, or the default list of result files.
ResultView* createResultView(const QString& taskId, QWidget* parent);

}  // namespace benchtop::ui
