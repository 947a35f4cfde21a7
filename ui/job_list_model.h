#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QVector>

#include "core/engine/job.h"

namespace benchtop::ui {

/// The jobs of this session, one row per job in submission order, keyed by JobId.
/// Rows are updated from JobSnapshots delivered by the EngineBridge. Work that runs elsewhere (a Slurm
/// submission, see ClusterController) is a row too: a JobSnapshot with an id of its own range and RowTexts that
/// say what its columns show.
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
        ActionRole,                    ///< QString "cancel", "open", "resubmit" or "" (what the action column offers)
        CanResubmitRole,               ///< bool: a row with failed parts that can be submitted again
    };

    /// Texts of a row that is not an engine job, replacing what the snapshot would show; empty = the snapshot's.
    struct RowTexts {
        QString file;  ///< "Cluster: inputs — 2/4 parts done, 1 running"
        QString fileTip;
        QString device;  ///< where it runs ("Slurm")
        QString deviceTip;
        QString progress;  ///< on the progress bar ("2/4 parts")
        QString state;     ///< "Merging"
        QString result;    ///< the Result / error column
        QString resultTip;
        bool canResubmit = false;  ///< offers "Resubmit failed parts" (and the action button says so)
    };

    explicit JobListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Adds the job or replaces its row. Snapshots older than the shown state (a late progress event
    /// after the job finished) are ignored.
    void upsert(const engine::JobSnapshot& job);
    /// Adds or replaces a row that is not an engine job (its state may go back: a resubmitted submission runs
    /// again after it failed).
    void upsertRow(const engine::JobSnapshot& row, const RowTexts& texts);
    /// The texts of a row added by upsertRow(), or nullptr (an engine job, or no such row).
    const RowTexts* rowTexts(engine::JobId id) const;
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
    QHash<engine::JobId, RowTexts> m_texts;
};

}  // namespace benchtop::ui
