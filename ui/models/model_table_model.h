#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QSortFilterProxyModel>
#include <QString>
#include <QStringList>

#include <vector>

#include "core/hub/downloader.h"
#include "core/hub/model_store.h"

namespace benchtop::ui {

/// Where a model stands on this machine, as the model manager shows it.
enum class ModelStatus {
    NotInstalled,  ///< a catalog entry with nothing local
    Downloading,   ///< a pull is running
    Installed,     ///< a whole, valid folder in Benchtop's store, or a clock table bundled with Benchtop
    HfCache,       ///< found in the user's Hugging Face cache; used in place
    Incomplete,    ///< a local folder that fails validation (the problem is kept)
    Partial,       ///< a pull stopped part-way; its files wait in the staging area and a pull resumes them
    Failed,        ///< the last pull failed (the message is kept)
};

/// Progress of a running pull as the table shows it.
struct DownloadState {
    bool cancelling = false;
    quint64 doneBytes = 0;
    quint64 totalBytes = 0;  ///< 0 until known
    double bytesPerSecond = 0;
    double etaSeconds = -1;  ///< -1 when unknown
    QString currentFile;
    int fileIndex = 0;
    int fileCount = 0;
};

/// One line of the model manager: a catalog entry merged with what is on disk and any running download.
struct ModelRow {
    QString id;  ///< catalog id, store folder name, or repo id for a Hugging Face cache model
    QString name;
    QString repo;
    QString task;  ///< the task kind id ("speech"); empty when unknown
    hub::ModelFamily family = hub::ModelFamily::Unknown;
    quint64 bytes = 0;  ///< on disk when local, else the catalog's download size
    QString licence;
    QString notes;
    bool inCatalog = false;
    bool researchOnly = false;
    QStringList usageFlags;
    ModelStatus status = ModelStatus::NotInstalled;
    QString path;  ///< the local folder (store, HF snapshot, or staging folder of a partial pull)
    hub::ModelLocation location = hub::ModelLocation::Folder;  ///< Installed / HfCache / Incomplete: where
    QString problem;                                           ///< Incomplete / Failed: what is wrong
    quint64 partialBytes = 0;                                  ///< Partial: bytes already staged
    bool inUse = false;                                        ///< the model new jobs of its task use
    DownloadState download;                                    ///< Downloading only
};

/// The table behind the model manager: catalog entries, models in Benchtop's store, models in the Hugging Face
/// cache and unfinished pulls, one row per model; running downloads are overlaid on top and survive refresh().
class ModelTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        IdColumn,
        TaskColumn,
        FamilyColumn,
        SizeColumn,
        LicenceColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1,  ///< QString: the row's id
        StatusRole,                 ///< int: ModelStatus
        ProgressRole,               ///< double 0..1 while downloading with a known total, else -1
        TaskRole,                   ///< QString: "text" | "speech" | "methylation" | "unknown"
        SortRole,                   ///< raw value to sort by (bytes for the size column)
        SearchTextRole,             ///< everything the filter box matches against
    };

    explicit ModelTableModel(QObject* parent = nullptr);

    /// Rebuilds the rows from `store` (catalog, store, bundled clock tables, HF cache, partial pulls).
    void refresh(const hub::ModelStore& store);

    /// Marks `id` as downloading (before the first progress report arrives).
    void downloadStarted(const QString& id);
    void downloadProgress(const QString& id, const hub::DownloadProgress& progress);
    void downloadCancelling(const QString& id);
    /// Ends the overlay; `error` non-empty keeps the row as Failed with that message until the next attempt.
    void downloadEnded(const QString& id, const QString& error = {});
    bool isDownloading(const QString& id) const { return m_downloads.contains(id); }
    int downloadCount() const { return int(m_downloads.size()); }

    /// A task as the table shows it (from the engine's task kinds).
    struct TaskLabel {
        QString id;    ///< "speech"
        QString name;  ///< "Speech (Whisper)"
        int order = 100;
    };
    /// The tasks' names and order (rows are grouped by task in this order).
    void setTasks(const QList<TaskLabel>& tasks);

    /// The model each task uses for new jobs ("text" -> "bge-small-en-v1.5"), marked in the status column.
    void setModelsInUse(const QHash<QString, QString>& modelForTask);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// The row shown for `id` (after overlays), or nullptr.
    const ModelRow* row(const QString& id) const;
    const ModelRow& rowAt(int row) const { return m_rows[size_t(row)]; }
    /// Row index of `id`, or -1.
    int indexOf(const QString& id) const;

    /// The status column's text for `row` ("Downloading 42% · 3.1 MB/s · ETA 0:12", "Installed",
    /// "Installed (bundled)", …).
    static QString statusText(const ModelRow& row);
    static QString sizeText(quint64 bytes);
    static QString durationText(double seconds);

private:
    void applyOverlay(ModelRow& row) const;
    QString taskLabel(const QString& task) const;
    int taskOrder(const QString& task) const;
    void updateRow(const QString& id);

    std::vector<ModelRow> m_base;               ///< rows as found on disk, before overlays
    std::vector<ModelRow> m_rows;               ///< what the view shows
    QHash<QString, DownloadState> m_downloads;  ///< running pulls, by id
    QHash<QString, QString> m_failures;         ///< last pull error, by id
    QHash<QString, QString> m_inUse;            ///< task id -> model ref
    QList<TaskLabel> m_tasks;
};

/// Filters the model table by free text (name, id, repository, family, licence, status) and by task.
class ModelFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ModelFilterProxy(QObject* parent = nullptr);
    void setText(const QString& text);
    /// "text" | "speech" | "methylation"; empty shows every task.
    void setTask(const QString& taskId);
    /// Shows only models present on this machine (store, HF cache, partial).
    void setLocalOnly(bool on);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QStringList m_words;
    QString m_task;
    bool m_localOnly = false;
};

}  // namespace benchtop::ui
