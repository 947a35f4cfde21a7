#pragma once

#include <QString>
#include <QWidget>

#include <functional>

class QLineEdit;

#include "core/engine/job.h"

namespace benchtop::engine {
class Engine;
}

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
    /// The view's search or filter field, focused by Edit › Find (Ctrl+F); nullptr when it has none.
    virtual QLineEdit* searchField() const { return nullptr; }
    /// The engine that ran the jobs (set by the results pane): views run model work through it, on the job's
    /// device with the job's cached model. nullptr for a view shown without one.
    void setEngine(engine::Engine* engine) { m_engine = engine; }
    engine::Engine* engine() const { return m_engine; }

private:
    engine::Engine* m_engine = nullptr;
};

using ResultViewFactory = std::function<ResultView*(QWidget* parent)>;

/// Registers the view for jobs of `taskId` ("methylation", "text", "speech"). Call before the main
/// window is created (e.g. from a registerBuiltinResultViews() next to the task registration).
void registerResultView(const QString& taskId, ResultViewFactory factory);

/// A new view for `taskId`: the registered one, or the default list of result files.
ResultView* createResultView(const QString& taskId, QWidget* parent);

}  // namespace benchtop::ui
