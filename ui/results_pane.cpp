#include "ui/results_pane.h"

#include <QFileInfo>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "ui/views/result_view.h"
#include "ui/theme.h"
#include "ui/workload_text.h"

namespace benchtop::ui {

ResultsPane::ResultsPane(QWidget* parent) : QWidget(parent) {
    m_title = new QLabel(tr("Results"), this);
    QFont font = m_title->font();
    font.setBold(true);
    m_title->setFont(font);
    m_stack = new QStackedWidget(this);
    m_empty = new QLabel(tr("Select a job to see its results."), m_stack);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setStyleSheet(theme::mutedLabelStyle());
    m_stack->addWidget(m_empty);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_stack, 1);
}

void ResultsPane::setEngine(engine::Engine* engine) {
    m_engine = engine;
    for (ResultView* view : m_views) view->setEngine(engine);
}

void ResultsPane::showJob(const engine::JobSnapshot& job) {
    const QString task = QString::fromStdString(job.task);
    ResultView* view = m_views.value(task);
    if (!view) {
        view = createResultView(task, m_stack);
        view->setEngine(m_engine);
        m_views.insert(task, view);
        m_stack->addWidget(view);
    }
    m_job = job.id;
    const QString file =
        job.spec.inputs.empty() ? QString() : QFileInfo(QString::fromStdString(job.spec.inputs.front())).fileName();
    const QString taskName = job.taskName.empty() ? task : workloadText(job.taskName);
    m_title->setText(taskName.isEmpty() ? tr("Results — %1").arg(file) : tr("Results — %1 (%2)").arg(file, taskName));
    view->showJob(job);
    m_stack->setCurrentWidget(view);
}

void ResultsPane::clear() {
    m_job = 0;
    m_title->setText(tr("Results"));
    m_stack->setCurrentWidget(m_empty);
}

ResultView* ResultsPane::currentView() const {
    return qobject_cast<ResultView*>(m_stack->currentWidget());
}

}  // namespace benchtop::ui
