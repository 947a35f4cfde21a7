#pragma once

#include <QHash>
#include <QWidget>

#include "core/engine/job.h"

class QLabel;
class QStackedWidget;

namespace benchtop::engine {
class Engine;
}

namespace benchtop::ui {

class ResultView;

/// Shows the selected job's results with the view registered for its task (see views/result_view.h).
/// One view per task is created on first use and reused.
class ResultsPane : public QWidget {
    Q_OBJECT
public:
    explicit ResultsPane(QWidget* parent = nullptr);

    /// Shows `job` (or refreshes it when it is the job already shown).
    void showJob(const engine::JobSnapshot& job);
    /// Back to the "select a job" text.
    void clear();
    engine::JobId shownJob() const { return m_job; }
    /// The view showing the current job, or nullptr.
    ResultView* currentView() const;
    /// The engine handed to every view (for work with a job's model, e.g. a search query).
    void setEngine(engine::Engine* engine);

private:
    QLabel* m_title = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_empty = nullptr;
    QHash<QString, ResultView*> m_views;
    engine::JobId m_job = 0;
    engine::Engine* m_engine = nullptr;
};

}  // namespace benchtop::ui
