#include "ui/job_list_model.h"
#include "ui/theme.h"
#include "ui/workload_text.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QFileInfo>
#include <QPalette>
#include <QStringList>

#include <cmath>

namespace benchtop::ui {

using engine::JobSnapshot;
using engine::JobState;

namespace {

QString fileLabel(const JobSnapshot& job) {
    if (job.spec.inputs.empty()) return QObject::tr("(no input)");
    QString label = QFileInfo(QString::fromStdString(job.spec.inputs.front())).fileName();
    if (job.spec.inputs.size() > 1) label += QObject::tr(" (+%1 more)").arg(job.spec.inputs.size() - 1);
    return label;
}

QString inputsTooltip(const JobSnapshot& job) {
    QStringList lines;
    for (const std::string& input : job.spec.inputs) lines << QString::fromStdString(input);
    return lines.join(QLatin1Char('\n'));
}

QString firstLine(const std::string& text) {
    const QString all = QString::fromStdString(text);
    const qsizetype newline = all.indexOf(QLatin1Char('\n'));
    return newline < 0 ? all : all.left(newline) + QStringLiteral(" …");
}

QString progressText(const JobSnapshot& job) {
    const auto& p = job.progress;
    const double fraction = p.fraction();
    QString text;
    if (fraction >= 0)
        text = QStringLiteral("%1%").arg(int(std::floor(fraction * 100.0)));
    else if (p.done > 0)
        text = QStringLiteral("%1 %2").arg(p.done, 0, 'f', 0).arg(workloadText(p.unit));
    if (p.ratePerSecond > 0 && job.state == JobState::Running)
        text += QStringLiteral(" · %1 %2/s")
                    .arg(p.ratePerSecond, 0, 'f', p.ratePerSecond < 10 ? 1 : 0)
                    .arg(workloadText(p.unit));
    return text;
}

/// Order used to drop stale snapshots: a job only moves forward (queued -> preparing -> running -> finished).
int stateRank(JobState state) {
    switch (state) {
        case JobState::Queued:
            return 0;
        case JobState::Preparing:
            return 1;
        case JobState::Running:
            return 2;
        default:
            return 3;
    }
}

}  // namespace

JobListModel::JobListModel(QObject* parent) : QAbstractTableModel(parent) {}

int JobListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_jobs.size());
}
int JobListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString JobListModel::formatDuration(double seconds) {
    if (!(seconds >= 0) || !std::isfinite(seconds)) return {};
    const long long total = std::llround(seconds);
    const long long h = total / 3600, m = (total % 3600) / 60, s = total % 60;
    if (h > 0) return QStringLiteral("%1 h %2 m").arg(h).arg(m, 2, 10, QLatin1Char('0'));
    if (m > 0) return QStringLiteral("%1 m %2 s").arg(m).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 s").arg(s);
}

QString JobListModel::stateText(JobState state) {
    switch (state) {
        case JobState::Queued:
            return tr("Queued");
        case JobState::Preparing:
            return tr("Preparing");
        case JobState::Running:
            return tr("Running");
        case JobState::Done:
            return tr("Done");
        case JobState::Failed:
            return tr("Failed");
        case JobState::Cancelled:
            return tr("Cancelled");
    }
    return {};
}

QVariant JobListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_jobs.size()) return {};
    const JobSnapshot& job = m_jobs.at(index.row());
    const bool finished = engine::isFinished(job.state);
    const auto texts = m_texts.constFind(job.id);
    const RowTexts* own = texts == m_texts.constEnd() ? nullptr : &texts.value();
    // A non-empty text of the row's own replaces what the snapshot would show.
    const auto ownText = [&](const QString RowTexts::*field) -> QVariant {
        return own && !(own->*field).isEmpty() ? QVariant(own->*field) : QVariant();
    };

    switch (role) {
        case JobIdRole:
            return QVariant::fromValue<qulonglong>(job.id);
        case FractionRole:
            if (job.state == JobState::Done) return 1.0;
            return job.progress.fraction();
        case StateRole:
            return int(job.state);
        case FinishedRole:
            return finished;
        case ResultFilesRole: {
            QStringList files;
            for (const std::string& f : job.resultFiles) files << QString::fromStdString(f);
            return files;
        }
        case CanResubmitRole:
            return own && own->canResubmit;
        case ActionRole:
            if (!finished) return QStringLiteral("cancel");
            if (own && own->canResubmit) return QStringLiteral("resubmit");
            if (job.state == JobState::Done && !job.resultFiles.empty()) return QStringLiteral("open");
            return QString();
        default:
            break;
    }

    const int column = index.column();
    if (own && (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
        const bool display = role == Qt::DisplayRole;
        QVariant text;
        switch (column) {
            case FileColumn:
                text = ownText(display ? &RowTexts::file : &RowTexts::fileTip);
                break;
            case DeviceColumn:
                text = ownText(display ? &RowTexts::device : &RowTexts::deviceTip);
                break;
            case ProgressColumn:
                text = display ? ownText(&RowTexts::progress) : QVariant();
                break;
            case StateColumn:
                text = display ? ownText(&RowTexts::state) : QVariant();
                break;
            case ErrorColumn:
                text = ownText(display ? &RowTexts::result : &RowTexts::resultTip);
                break;
            default:
                break;
        }
        if (text.isValid()) return text;
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
            case FileColumn:
                return fileLabel(job);
            case TaskColumn:
                if (!job.taskName.empty()) return workloadText(job.taskName);
                return job.task.empty() ? (finished ? QStringLiteral("—") : tr("detecting…"))
                                        : QString::fromStdString(job.task);
            case ModelColumn: {
                // A folder path shows as its last component; catalog and repo ids as they are.
                if (job.spec.model.empty()) return tr("default");
                const QString model = QString::fromStdString(job.spec.model);
                return model.contains(QLatin1Char('/')) && QFileInfo::exists(model) ? QFileInfo(model).fileName()
                                                                                    : model;
            }
            case DeviceColumn: {
                if (job.deviceLabel.empty())
                    return QString::fromStdString(job.spec.device.empty() ? "auto" : job.spec.device);
                // "CPU · bf16 · 16 threads" → "CPU · bf16"; the whole label is in the tooltip.
                const QStringList parts = QString::fromStdString(job.deviceLabel).split(QStringLiteral(" · "));
                return parts.mid(0, 2).join(QStringLiteral(" · "));
            }
            case ProgressColumn:
                return progressText(job);
            case EtaColumn:
                if (job.state == JobState::Running || job.state == JobState::Preparing)
                    return formatDuration(job.progress.etaSeconds);
                if (job.state == JobState::Done && job.progress.elapsedSeconds > 0)
                    return tr("took %1").arg(formatDuration(job.progress.elapsedSeconds));
                return QString();
            case StateColumn:
                return stateText(job.state);
            case ErrorColumn:
                if (!job.error.empty()) return firstLine(job.error);
                return QString::fromStdString(job.summary);
            case ActionColumn: {
                const QString action = data(index, ActionRole).toString();
                return action == QLatin1String("cancel")     ? tr("Cancel")
                       : action == QLatin1String("open")     ? tr("Open results")
                       : action == QLatin1String("resubmit") ? tr("Resubmit failed")
                                                             : QString();
            }
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (column) {
            case FileColumn:
                return inputsTooltip(job);
            case TaskColumn:
                return job.taskName.empty() ? QVariant() : QVariant(workloadText(job.taskName));
            case ModelColumn:
                return job.spec.model.empty() ? tr("The task's default model") : QString::fromStdString(job.spec.model);
            case DeviceColumn: {
                QString tip = QString::fromStdString(job.deviceLabel);
                if (!job.deviceReason.empty())
                    tip +=
                        (tip.isEmpty() ? QString() : QStringLiteral("\n")) + QString::fromStdString(job.deviceReason);
                return tip.isEmpty() ? QVariant() : QVariant(tip);
            }
            case ErrorColumn:
                if (!job.error.empty()) return QString::fromStdString(job.error);
                return job.summary.empty() ? QVariant() : QVariant(QString::fromStdString(job.summary));
            case ActionColumn: {
                const QString action = data(index, ActionRole).toString();
                if (action == QLatin1String("cancel"))
                    return tr("Stop this job (takes effect after the current batch)");
                if (action == QLatin1String("open")) return tr("Open the folder with the result files");
                if (action == QLatin1String("resubmit")) return tr("Submit the failed parts again, and a new merge");
                return {};
            }
            default:
                return {};
        }
    }
    if (role == Qt::ForegroundRole) {
        if (column == StateColumn || column == ErrorColumn) {
            if (job.state == JobState::Failed) return QBrush(theme::text(theme::Tone::Error));
            if (job.state == JobState::Done && column == StateColumn) return QBrush(theme::text(theme::Tone::Success));
        }
        if (column == DeviceColumn && job.deviceFellBack) return QBrush(theme::text(theme::Tone::Warning));
    }
    if (role == Qt::TextAlignmentRole && (column == EtaColumn || column == StateColumn))
        return int(Qt::AlignVCenter | Qt::AlignLeft);
    return {};
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
        case FileColumn:
            return tr("File");
        case TaskColumn:
            return tr("Task");
        case ModelColumn:
            return tr("Model");
        case DeviceColumn:
            return tr("Device");
        case ProgressColumn:
            return tr("Progress");
        case EtaColumn:
            return tr("ETA");
        case StateColumn:
            return tr("State");
        case ErrorColumn:
            return tr("Result / error");
        case ActionColumn:
            return QString();
        default:
            return {};
    }
}

void JobListModel::upsert(const JobSnapshot& job) {
    const auto it = m_rows.constFind(job.id);
    if (it == m_rows.constEnd()) {
        const int row = int(m_jobs.size());
        beginInsertRows({}, row, row);
        m_jobs.push_back(job);
        m_rows.insert(job.id, row);
        endInsertRows();
        return;
    }
    const int row = it.value();
    JobSnapshot& current = m_jobs[row];
    // Snapshots travel through queued events and through snapshot() calls, so an older one can arrive
    // after a newer one; never let the row go backwards.
    const int newRank = stateRank(job.state), oldRank = stateRank(current.state);
    if (newRank < oldRank || (newRank == oldRank && newRank < 3 && job.progress.done < current.progress.done)) return;
    current = job;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void JobListModel::upsertRow(const JobSnapshot& row, const RowTexts& texts) {
    m_texts.insert(row.id, texts);
    const auto it = m_rows.constFind(row.id);
    if (it == m_rows.constEnd()) {
        const int at = int(m_jobs.size());
        beginInsertRows({}, at, at);
        m_jobs.push_back(row);
        m_rows.insert(row.id, at);
        endInsertRows();
        return;
    }
    m_jobs[it.value()] = row;
    Q_EMIT dataChanged(index(it.value(), 0), index(it.value(), ColumnCount - 1));
}

const JobListModel::RowTexts* JobListModel::rowTexts(engine::JobId id) const {
    const auto it = m_texts.constFind(id);
    return it == m_texts.constEnd() ? nullptr : &it.value();
}

void JobListModel::clearFinished() {
    beginResetModel();
    QVector<JobSnapshot> kept;
    for (const JobSnapshot& job : std::as_const(m_jobs)) {
        if (!engine::isFinished(job.state))
            kept.push_back(job);
        else
            m_texts.remove(job.id);
    }
    m_jobs = kept;
    m_rows.clear();
    for (int row = 0; row < m_jobs.size(); ++row) m_rows.insert(m_jobs[row].id, row);
    endResetModel();
}

int JobListModel::rowOf(engine::JobId id) const {
    return m_rows.value(id, -1);
}

const JobSnapshot* JobListModel::job(engine::JobId id) const {
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_jobs.at(row);
}

int JobListModel::activeCount() const {
    int count = 0;
    for (const JobSnapshot& job : m_jobs) count += engine::isFinished(job.state) ? 0 : 1;
    return count;
}

}  // namespace benchtop::ui
