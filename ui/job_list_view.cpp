#include "ui/job_list_view.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QStyleOptionButton>
#include <QStyleOptionProgressBar>

#include <algorithm>

#include "ui/job_list_model.h"

namespace benchtop::ui {

void ProgressDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    const double fraction = index.data(JobListModel::FractionRole).toDouble();
    const auto state = engine::JobState(index.data(JobListModel::StateRole).toInt());
    // Only work in progress and finished work get a bar; queued, failed and cancelled rows stay plain.
    if (state == engine::JobState::Queued || state == engine::JobState::Failed ||
        state == engine::JobState::Cancelled) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // Draw the selection background first so a selected row stays visibly selected.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QStyle* style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(3, 3, -3, -3);
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = fraction < 0 ? 0 : int(fraction * 1000.0 + 0.5);
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.state = option.state | QStyle::State_Horizontal;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
}

void ActionDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QStyle* style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

    const QString text = index.data(Qt::DisplayRole).toString();
    if (text.isEmpty()) return;
    QStyleOptionButton button;
    button.rect = option.rect.adjusted(3, 2, -3, -2);
    button.text = text;
    button.state = QStyle::State_Enabled | (m_pressed == index ? QStyle::State_Sunken : QStyle::State_Raised);
    style->drawControl(QStyle::CE_PushButton, &button, painter, option.widget);
}

QSize ActionDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    const QFontMetrics metrics(option.font);
    const QString text = index.data(Qt::DisplayRole).toString();
    return {std::max(metrics.horizontalAdvance(tr("Open results")), metrics.horizontalAdvance(text)) + 28,
            metrics.height() + 12};
}

bool ActionDelegate::editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                                 const QModelIndex& index) {
    if (index.data(Qt::DisplayRole).toString().isEmpty()) return false;
    switch (event->type()) {
        case QEvent::MouseButtonPress:
            if (static_cast<QMouseEvent*>(event)->button() == Qt::LeftButton) {
                m_pressed = index;
                return true;
            }
            break;
        case QEvent::MouseButtonRelease: {
            const bool wasPressed = m_pressed == index;
            m_pressed = QPersistentModelIndex();
            if (wasPressed && option.rect.contains(static_cast<QMouseEvent*>(event)->position().toPoint())) {
                Q_EMIT clicked(index);
                return true;
            }
            break;
        }
        default:
            break;
    }
    return false;
}

JobListView::JobListView(QWidget* parent) : QTableView(parent) {
    setObjectName(QStringLiteral("jobTable"));
    setAccessibleName(tr("Jobs"));
    setAccessibleDescription(
        tr("One row per job: file, task, model, device, progress, state and result. "
           "Delete cancels the selected job."));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAlternatingRowColors(true);
    setShowGrid(false);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->setVisible(false);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 14);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setStretchLastSection(false);
    setItemDelegateForColumn(JobListModel::ProgressColumn, new ProgressDelegate(this));
    auto* actions = new ActionDelegate(this);
    setItemDelegateForColumn(JobListModel::ActionColumn, actions);
    connect(actions, &ActionDelegate::clicked, this, &JobListView::triggerAction);
    connect(this, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
        if (index.data(JobListModel::ActionRole).toString() == QLatin1String("open"))
            Q_EMIT openResultsRequested(index.data(JobListModel::JobIdRole).toULongLong());
    });
}

void JobListView::setModel(QAbstractItemModel* model) {
    QTableView::setModel(model);
    QHeaderView* header = horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(JobListModel::FileColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(JobListModel::ErrorColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(JobListModel::ActionColumn, QHeaderView::ResizeToContents);
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    header->setMinimumSectionSize(3 * em);
    header->resizeSection(JobListModel::TaskColumn, 10 * em);
    header->resizeSection(JobListModel::ModelColumn, 8 * em);
    header->resizeSection(JobListModel::DeviceColumn, 6 * em);
    header->resizeSection(JobListModel::ProgressColumn, 7 * em);
    header->resizeSection(JobListModel::EtaColumn, 5 * em);
    // Wide enough for the longest state, "Cancelled".
    header->resizeSection(
        JobListModel::StateColumn,
        std::max(5 * em, fontMetrics().horizontalAdvance(JobListModel::stateText(engine::JobState::Cancelled)) + em));
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        Q_EMIT currentJobChanged(current.isValid() ? current.data(JobListModel::JobIdRole).toULongLong() : 0);
    });
}

engine::JobId JobListView::currentJobId() const {
    const QModelIndex current = currentIndex();
    return current.isValid() ? current.data(JobListModel::JobIdRole).toULongLong() : 0;
}

void JobListView::triggerAction(const QModelIndex& index) {
    const engine::JobId id = index.data(JobListModel::JobIdRole).toULongLong();
    const QString action = index.data(JobListModel::ActionRole).toString();
    if (action == QLatin1String("cancel"))
        Q_EMIT cancelRequested(id);
    else if (action == QLatin1String("open"))
        Q_EMIT openResultsRequested(id);
    else if (action == QLatin1String("resubmit"))
        Q_EMIT resubmitRequested(id);
}

void JobListView::contextMenuEvent(QContextMenuEvent* event) {
    const QModelIndex index = indexAt(event->pos());
    if (!index.isValid()) return;
    const engine::JobId id = index.data(JobListModel::JobIdRole).toULongLong();
    const bool finished = index.data(JobListModel::FinishedRole).toBool();
    const bool hasResults = !index.data(JobListModel::ResultFilesRole).toStringList().isEmpty();
    // The window's actions act on the current row: make it the one clicked.
    setCurrentIndex(index);
    QMenu menu(this);
    QAction* cancel = menu.addAction(tr("Cancel job"));
    cancel->setEnabled(!finished);
    QAction* open = menu.addAction(tr("Open results"));
    open->setEnabled(hasResults);
    QAction* resubmit = nullptr;
    if (index.data(JobListModel::CanResubmitRole).toBool()) resubmit = menu.addAction(tr("Resubmit failed parts"));
    if (!m_contextActions.isEmpty()) {
        menu.addSeparator();
        menu.addActions(m_contextActions);
    }
    QAction* chosen = menu.exec(event->globalPos());
    if (!chosen) return;
    if (chosen == cancel)
        Q_EMIT cancelRequested(id);
    else if (chosen == open)
        Q_EMIT openResultsRequested(id);
    else if (chosen == resubmit)
        Q_EMIT resubmitRequested(id);
}

}  // namespace benchtop::ui
