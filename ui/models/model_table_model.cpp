#include "ui/models/model_table_model.h"

#include <limits>

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

#include <algorithm>
#include <cmath>

#include "core/hub/store_status.h"
#include "ui/theme.h"

namespace benchtop::ui {

namespace {

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

QString familyLabel(hub::ModelFamily family) {
    switch (family) {
        case hub::ModelFamily::Clock:
            return QObject::tr("Clock");
        case hub::ModelFamily::TorchScript:
            return QObject::tr("TorchScript");
        case hub::ModelFamily::Whisper:
            return QObject::tr("Whisper");
        case hub::ModelFamily::Bert:
            return QObject::tr("BERT");
        case hub::ModelFamily::XlmRoberta:
            return QObject::tr("XLM-R");
        case hub::ModelFamily::Cpgpt:
            return QObject::tr("CpGPT");
        default:
            return QObject::tr("Unknown");
    }
}

ModelRow rowForLocal(const hub::LocalModel& model) {
    ModelRow row;
    row.id = qs(model.location == hub::ModelLocation::HfCache ? model.repo : model.id);
    row.name = row.id;
    row.repo = qs(model.repo);
    row.family = model.validation.family;
    row.task = qs(hub::taskOf(row.family));
    return row;
}

void applyLocal(ModelRow& row, const hub::LocalModel& model) {
    row.path = qs(model.path);
    row.location = model.location;
    row.bytes = model.bytes;
    if (!model.validation.ok) {
        row.status = ModelStatus::Incomplete;
        row.problem = qs(model.validation.problem);
    } else {
        row.status = model.location == hub::ModelLocation::HfCache ? ModelStatus::HfCache : ModelStatus::Installed;
    }
}

// Sorting by status puts what needs attention first: running, failed, unfinished, broken, then what is here.
int statusRank(ModelStatus status) {
    switch (status) {
        case ModelStatus::Downloading:
            return 0;
        case ModelStatus::Failed:
            return 1;
        case ModelStatus::Partial:
            return 2;
        case ModelStatus::Incomplete:
            return 3;
        case ModelStatus::Installed:
            return 4;
        case ModelStatus::HfCache:
            return 5;
        case ModelStatus::NotInstalled:
            return 6;
    }
    return 7;
}

QString percentText(quint64 done, quint64 total) {
    const double percent = total ? std::min(100.0, 100.0 * double(done) / double(total)) : 0.0;
    return QStringLiteral("%1%").arg(int(std::floor(percent)));
}

}  // namespace

ModelTableModel::ModelTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ModelTableModel::refresh(const hub::ModelStore& store) {
    // The join of catalog, store, bundled clock tables, HF cache and unfinished pulls is core's (shared with
    // `benchtop-cli models list`); this turns each listing into a row.
    std::vector<ModelRow> rows;
    for (const hub::ModelListing& listing : hub::listModels(store)) {
        ModelRow row;
        if (listing.entry) {
            const hub::CatalogEntry& entry = *listing.entry;
            row.id = qs(entry.id);
            row.name = qs(entry.displayName);
            row.repo = qs(entry.repo);
            row.task = qs(entry.task);
            row.family = entry.family;
            row.bytes = entry.sizeBytes;
            row.licence = qs(entry.licence);
            row.notes = qs(entry.notes);
            row.inCatalog = true;
            row.researchOnly = entry.researchOnly;
            for (const std::string& flag : entry.usageFlags) row.usageFlags << qs(flag);
        } else if (listing.local) {
            row = rowForLocal(*listing.local);
        } else {
            // A pull of a repository outside the catalog: its staging folder is named org--name.
            row.id = qs(listing.id);
            row.name = row.id;
            row.repo = row.id.contains(QStringLiteral("--"))
                           ? QString(row.id).replace(row.id.indexOf(QStringLiteral("--")), 2, QLatin1Char('/'))
                           : QString();
        }
        if (listing.local) {
            applyLocal(row, *listing.local);
        } else if (listing.partial) {
            row.status = ModelStatus::Partial;
            row.path = qs(listing.partial->path);
            row.partialBytes = listing.partial->bytes;
        }
        rows.push_back(std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(), [this](const ModelRow& a, const ModelRow& b) {
        if (taskOrder(a.task) != taskOrder(b.task)) return taskOrder(a.task) < taskOrder(b.task);
        return a.inCatalog && !b.inCatalog;
    });

    beginResetModel();
    m_base = std::move(rows);
    m_rows = m_base;
    for (ModelRow& row : m_rows) applyOverlay(row);
    endResetModel();
}

void ModelTableModel::setTasks(const QList<TaskLabel>& tasks) {
    beginResetModel();
    m_tasks = tasks;
    std::stable_sort(m_base.begin(), m_base.end(), [this](const ModelRow& a, const ModelRow& b) {
        if (taskOrder(a.task) != taskOrder(b.task)) return taskOrder(a.task) < taskOrder(b.task);
        return a.inCatalog && !b.inCatalog;
    });
    m_rows = m_base;
    for (ModelRow& row : m_rows) applyOverlay(row);
    endResetModel();
}

QString ModelTableModel::taskLabel(const QString& task) const {
    for (const TaskLabel& t : m_tasks)
        if (t.id == task) return t.name;
    return task.isEmpty() ? tr("Unknown") : task;
}

// Rows are grouped by task in the task kinds' order; rows of tasks no kind declares come last.
int ModelTableModel::taskOrder(const QString& task) const {
    for (const TaskLabel& t : m_tasks)
        if (t.id == task) return t.order;
    return std::numeric_limits<int>::max();
}

void ModelTableModel::applyOverlay(ModelRow& row) const {
    const QString inUse = m_inUse.value(row.task);
    row.inUse = !inUse.isEmpty() && (inUse.compare(row.id, Qt::CaseInsensitive) == 0 ||
                                     (!row.repo.isEmpty() && inUse.compare(row.repo, Qt::CaseInsensitive) == 0) ||
                                     (!row.path.isEmpty() && inUse == row.path));
    if (const auto it = m_downloads.constFind(row.id); it != m_downloads.constEnd()) {
        row.status = ModelStatus::Downloading;
        row.download = *it;
        return;
    }
    if (const auto it = m_failures.constFind(row.id);
        it != m_failures.constEnd() &&
        (row.status == ModelStatus::NotInstalled || row.status == ModelStatus::Partial)) {
        row.status = ModelStatus::Failed;
        row.problem = *it;
    }
}

void ModelTableModel::updateRow(const QString& id) {
    const int index = indexOf(id);
    if (index < 0) return;
    ModelRow row = m_base[size_t(index)];
    applyOverlay(row);
    m_rows[size_t(index)] = std::move(row);
    Q_EMIT dataChanged(this->index(index, 0), this->index(index, ColumnCount - 1));
}

void ModelTableModel::downloadStarted(const QString& id) {
    m_failures.remove(id);
    m_downloads.insert(id, DownloadState{});
    updateRow(id);
}

void ModelTableModel::downloadProgress(const QString& id, const hub::DownloadProgress& progress) {
    const auto it = m_downloads.find(id);
    if (it == m_downloads.end()) return;
    it->doneBytes = progress.modelBytes;
    it->totalBytes = progress.modelTotal;
    it->bytesPerSecond = progress.bytesPerSecond;
    it->etaSeconds = progress.modelEtaSeconds;
    it->currentFile = qs(progress.file);
    it->fileIndex = progress.fileIndex;
    it->fileCount = progress.fileCount;
    updateRow(id);
}

void ModelTableModel::downloadCancelling(const QString& id) {
    const auto it = m_downloads.find(id);
    if (it == m_downloads.end()) return;
    it->cancelling = true;
    updateRow(id);
}

void ModelTableModel::downloadEnded(const QString& id, const QString& error) {
    m_downloads.remove(id);
    if (error.isEmpty())
        m_failures.remove(id);
    else
        m_failures.insert(id, error);
    updateRow(id);
}

void ModelTableModel::setModelsInUse(const QHash<QString, QString>& modelForTask) {
    m_inUse = modelForTask;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        ModelRow row = m_base[i];
        applyOverlay(row);
        m_rows[i] = std::move(row);
    }
    if (!m_rows.empty()) Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ModelTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ModelTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

const ModelRow* ModelTableModel::row(const QString& id) const {
    const int index = indexOf(id);
    return index < 0 ? nullptr : &m_rows[size_t(index)];
}

int ModelTableModel::indexOf(const QString& id) const {
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id.compare(id, Qt::CaseInsensitive) == 0) return int(i);
    }
    return -1;
}

QString ModelTableModel::sizeText(quint64 bytes) {
    if (bytes == 0) return QStringLiteral("—");
    return QLocale::c().formattedDataSize(qint64(bytes), bytes < 1000 * 1000 ? 0 : 1, QLocale::DataSizeSIFormat);
}

QString ModelTableModel::durationText(double seconds) {
    if (seconds < 0 || !std::isfinite(seconds)) return QStringLiteral("?");
    const qint64 total = qint64(std::ceil(seconds));
    const qint64 hours = total / 3600, minutes = (total / 60) % 60, secs = total % 60;
    if (hours > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(hours)
            .arg(minutes, 2, 10, QLatin1Char('0'))
            .arg(secs, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
}

QString ModelTableModel::statusText(const ModelRow& row) {
    QString text;
    switch (row.status) {
        case ModelStatus::NotInstalled:
            text = QObject::tr("Not installed");
            break;
        case ModelStatus::Downloading: {
            const DownloadState& d = row.download;
            if (d.cancelling) {
                text = QObject::tr("Cancelling…");
            } else if (d.doneBytes == 0 && d.totalBytes == 0) {
                text = QObject::tr("Starting download…");
            } else {
                QStringList parts;
                parts << (d.totalBytes ? QObject::tr("Downloading %1").arg(percentText(d.doneBytes, d.totalBytes))
                                       : QObject::tr("Downloading %1").arg(sizeText(d.doneBytes)));
                parts << QObject::tr("%1/s").arg(sizeText(quint64(std::max(0.0, d.bytesPerSecond))));
                if (d.etaSeconds >= 0) parts << QObject::tr("ETA %1").arg(durationText(d.etaSeconds));
                text = parts.join(QStringLiteral(" · "));
            }
            break;
        }
        case ModelStatus::Installed:
            text = row.location == hub::ModelLocation::Bundled ? QObject::tr("Installed (bundled)")
                                                               : QObject::tr("Installed");
            break;
        case ModelStatus::HfCache:
            text = QObject::tr("In HF cache (used in place)");
            break;
        case ModelStatus::Incomplete:
            text = QObject::tr("Incomplete: %1").arg(row.problem);
            break;
        case ModelStatus::Partial:
            text = QObject::tr("Partial (resumable) · %1 of %2")
                       .arg(sizeText(row.partialBytes), row.bytes ? sizeText(row.bytes) : QObject::tr("unknown size"));
            break;
        case ModelStatus::Failed:
            text = QObject::tr("Failed: %1").arg(row.problem);
            break;
    }
    if (row.inUse) text += QObject::tr(" · used for new jobs");
    return text;
}

QVariant ModelTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() < 0 || index.row() >= rowCount()) return {};
    const ModelRow& r = m_rows[size_t(index.row())];
    switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
                case NameColumn:
                    return r.name;
                case IdColumn:
                    return r.id;
                case TaskColumn:
                    return taskLabel(r.task);
                case FamilyColumn:
                    return familyLabel(r.family);
                case SizeColumn:
                    return sizeText(r.bytes);
                case LicenceColumn:
                    return r.licence.isEmpty() ? QStringLiteral("—") : r.licence;
                case StatusColumn:
                    return statusText(r);
            }
            break;
        case Qt::ToolTipRole: {
            if (index.column() == StatusColumn) {
                if (r.status == ModelStatus::Downloading && !r.download.currentFile.isEmpty()) {
                    return QObject::tr("File %1 of %2: %3\n%4 of %5")
                        .arg(r.download.fileIndex + 1)
                        .arg(r.download.fileCount)
                        .arg(r.download.currentFile, sizeText(r.download.doneBytes), sizeText(r.download.totalBytes));
                }
                return r.path.isEmpty() ? statusText(r) : statusText(r) + QLatin1Char('\n') + r.path;
            }
            QStringList lines;
            lines << QStringLiteral("<b>%1</b>").arg(r.name.toHtmlEscaped());
            if (!r.repo.isEmpty()) lines << r.repo.toHtmlEscaped();
            if (!r.notes.isEmpty()) lines << r.notes.toHtmlEscaped();
            if (r.researchOnly) lines << QObject::tr("<i>Research use only.</i>");
            if (!r.usageFlags.isEmpty()) lines << QObject::tr("Usage: %1").arg(r.usageFlags.join(QStringLiteral(", ")));
            return QStringLiteral("<p>%1</p>").arg(lines.join(QStringLiteral("<br>")));
        }
        case Qt::ForegroundRole:
            if (index.column() == StatusColumn) {
                switch (r.status) {
                    case ModelStatus::Installed:
                        return QBrush(theme::text(theme::Tone::Success));
                    case ModelStatus::HfCache:
                        return QBrush(theme::text(theme::Tone::Accent));
                    case ModelStatus::Incomplete:
                    case ModelStatus::Failed:
                        return QBrush(theme::text(theme::Tone::Error));
                    case ModelStatus::Partial:
                        return QBrush(theme::text(theme::Tone::Warning));
                    default:
                        break;
                }
            }
            if (index.column() == IdColumn || index.column() == SizeColumn)
                return QBrush(theme::text(theme::Tone::Muted));
            break;
        case Qt::FontRole:
            if (index.column() == NameColumn && r.inUse) {
                QFont font;
                font.setBold(true);
                return font;
            }
            break;
        case Qt::TextAlignmentRole:
            if (index.column() == SizeColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
            break;
        case IdRole:
            return r.id;
        case StatusRole:
            return int(r.status);
        case ProgressRole:
            if (r.status == ModelStatus::Downloading && r.download.totalBytes > 0)
                return std::min(1.0, double(r.download.doneBytes) / double(r.download.totalBytes));
            return -1.0;
        case TaskRole:
            return r.task.isEmpty() ? QStringLiteral("unknown") : r.task;
        case SortRole:
            if (index.column() == SizeColumn) return qulonglong(r.bytes);
            if (index.column() == StatusColumn) return statusRank(r.status);
            return data(index, Qt::DisplayRole).toString().toLower();
        case SearchTextRole:
            return QStringList{r.name, r.id, r.repo, familyLabel(r.family), r.licence, statusText(r)}.join(
                QLatin1Char(' '));
    }
    return {};
}

QVariant ModelTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case NameColumn:
            return tr("Name");
        case IdColumn:
            return tr("ID");
        case TaskColumn:
            return tr("Task");
        case FamilyColumn:
            return tr("Family");
        case SizeColumn:
            return tr("Size");
        case LicenceColumn:
            return tr("Licence");
        case StatusColumn:
            return tr("Status");
    }
    return {};
}

ModelFilterProxy::ModelFilterProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(ModelTableModel::SortRole);
    setDynamicSortFilter(true);
}

void ModelFilterProxy::setText(const QString& text) {
    m_words = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    invalidateFilter();
}

void ModelFilterProxy::setTask(const QString& taskId) {
    m_task = taskId;
    invalidateFilter();
}

void ModelFilterProxy::setLocalOnly(bool on) {
    m_localOnly = on;
    invalidateFilter();
}

bool ModelFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_task.isEmpty() && index.data(ModelTableModel::TaskRole).toString() != m_task) return false;
    if (m_localOnly) {
        const auto status = ModelStatus(index.data(ModelTableModel::StatusRole).toInt());
        if (status == ModelStatus::NotInstalled || status == ModelStatus::Failed) return false;
    }
    const QString haystack = index.data(ModelTableModel::SearchTextRole).toString();
    for (const QString& word : m_words) {
        if (!haystack.contains(word, Qt::CaseInsensitive)) return false;
    }
    return true;
}

}  // namespace benchtop::ui
