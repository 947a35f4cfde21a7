#pragma once

#include <QStyledItemDelegate>
#include <QTableView>

#include "core/engine/job.h"

namespace benchtop::ui {

/// Paints the progress column as a progress bar with the model's text on it.
class ProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

/// Paints the action column as a push button ("Cancel" / "Open results") and reports clicks.
class ActionDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    bool editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option,
                     const QModelIndex& index) override;

Q_SIGNALS:
    void clicked(const QModelIndex& index);

private:
    QPersistentModelIndex m_pressed;
};

/// The job table: one row per job, a progress bar, a per-row Cancel / Open results / Resubmit failed button and
/// a context menu with the same actions and the window's actions on the selected job (setContextActions).
class JobListView : public QTableView {
    Q_OBJECT
public:
    explicit JobListView(QWidget* parent = nullptr);
    void setModel(QAbstractItemModel* model) override;

    /// Job of the current row, or 0.
    engine::JobId currentJobId() const;
    /// Actions added below the row's own in the context menu; they act on the current row, which a right-click
    /// makes the row under the mouse. The window keeps them enabled or not.
    void setContextActions(const QList<QAction*>& actions) { m_contextActions = actions; }

Q_SIGNALS:
    void cancelRequested(benchtop::engine::JobId id);
    void openResultsRequested(benchtop::engine::JobId id);
    /// "Resubmit failed" on a row with failed parts (JobListModel::CanResubmitRole).
    void resubmitRequested(benchtop::engine::JobId id);
    void currentJobChanged(benchtop::engine::JobId id);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void triggerAction(const QModelIndex& index);

    QList<QAction*> m_contextActions;
};

}  // namespace benchtop::ui
