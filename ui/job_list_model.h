#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QVector>

#include "core/engine/job.h"

namespace benchtop::ui {

/// The jobs of this session, one row per job in submission order, keyed by JobId.
/// Rows are updated from JobSnapshots delivered by the EngineBridge.
class JobListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        FileColumn,
        TaskColumn,
        ModelColumn,
        DeviceColumn,
        ProgressColumn,
        EtaColumn,
        StateColumn,
        ErrorColumn,
        ActionColumn,
        ColumnCount
    };
    enum Role {
        JobIdRole = Qt::UserRole + 1,  ///< engine::JobId (qulonglong)
        FractionRole,                  ///< double 0..1, -1 when unknown
        StateRole,                     ///< int(engine::JobState)
        FinishedRole,                  ///< bool
        ResultFilesRole,               ///< QStringList
        ActionRole,                    ///< QString "cancel", "open" or "" (what the action column offers)
    };

    explicit JobListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Adds the job or replaces its row. Snapshots older than the shown state (a late progress event
    /// after the job finished) are ignored.
    void upsert(const engine::JobSnapshot& job);
    /// Removes every finished job (done, failed, cancelled).
    void clearFinished();

    /// Row of `id`, or -1.
    int rowOf(engine::JobId id) const;
    const engine::JobSnapshot& jobAt(int row) const { return m_jobs.at(row); }
    const engine::JobSnapshot* job(engine::JobId id) const;
    /// Number of jobs that are not finished.
    int activeCount() const;

    /// "1 h 02 m", "3 m 20 s", "12 s", "" for unknown.
    static QString formatDuration(double seconds);
    /// "Running", "Done", ...
    static QString stateText(engine::JobState state);

private:
    QVector<engine::JobSnapshot> m_jobs;
    QHash<engine::JobId, int> m_rows;
};

}  // namespace benchtop::ui
