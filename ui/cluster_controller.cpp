#include "ui/cluster_controller.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <utility>

#include "core/common/error.h"

namespace benchtop::ui {

namespace {

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

/// "inputs", or "inputs (+2 more)" for a submission of several results.
QString stemsLabel(const cluster::Submission& s) {
    if (s.stems.empty()) return QFileInfo(qs(s.dir)).fileName();
    QString label = qs(s.stems.front());
    if (s.stems.size() > 1) label += ClusterController::tr(" (+%1 more)").arg(s.stems.size() - 1);
    return label;
}

/// "1" or "1, 3": the indices of the failed parts.
QString failedParts(const cluster::SubmissionStatus& status, QString* states) {
    QStringList indices, seen;
    for (const cluster::PartState& p : status.parts) {
        if (!p.failed()) continue;
        indices << QString::number(p.index);
        if (!seen.contains(qs(p.state))) seen << qs(p.state);
    }
    if (states) *states = seen.join(QStringLiteral(", "));
    return indices.join(QStringLiteral(", "));
}

bool isRunningState(const std::string& state) {
    return state == "RUNNING" || state == "COMPLETING";
}

bool isFailureState(const std::string& state) {
    cluster::PartState probe;
    probe.state = state;
    return probe.failed();
}

/// Nothing more happens without the user: merged, or every part ended and a part or the merge failed. Unlike
/// SubmissionStatus::settled(), parts still queued or running beside a failed one are waited for, so that a
/// resubmission (whose merge waits only for the parts sent again) starts when the others are written.
bool isFinished(const cluster::SubmissionStatus& status) {
    if (status.merged) return true;
    for (const cluster::PartState& p : status.parts)
        if (!p.done() && !p.failed()) return false;
    return status.failedCount() > 0 || isFailureState(status.mergeState);
}

}  // namespace

struct ClusterController::Entry {
    engine::JobId id = 0;
    cluster::Submission submission;
    cluster::SubmissionStatus status;
    Origin origin;
    Phase phase;
    /// Bumped whenever the submission changes here (submitted, resubmitted, cancelled): a poll that started
    /// before brings stale states and is dropped.
    int generation = 0;
    QDateTime submittedAt;  ///< invalid for a submission followed again after a restart
    double tookSeconds = -1.0;
    std::unique_ptr<BackgroundJob> action;  ///< submit, cancel or resubmit
    engine::JobSnapshot row;
    JobListModel::RowTexts texts;
};

ClusterController::ClusterController(QObject* parent) : QObject(parent) {
    m_timer = new QTimer(this);
    m_timer->setInterval(5000);
    connect(m_timer, &QTimer::timeout, this, &ClusterController::pollNow);
    connect(&m_poll, &BackgroundJob::finished, this, [this]() { schedulePoll(); });
}

// The background work holds copies of the submissions only: nothing to wait for.
ClusterController::~ClusterController() = default;

ClusterController::Entry* ClusterController::entry(engine::JobId id) const {
    for (const auto& e : m_entries)
        if (e->id == id) return e.get();
    return nullptr;
}

QList<engine::JobId> ClusterController::ids() const {
    QList<engine::JobId> ids;
    for (const auto& e : m_entries) ids << e->id;
    return ids;
}

const engine::JobSnapshot* ClusterController::row(engine::JobId id) const {
    const Entry* e = entry(id);
    return e ? &e->row : nullptr;
}

JobListModel::RowTexts ClusterController::rowTexts(engine::JobId id) const {
    const Entry* e = entry(id);
    return e ? e->texts : JobListModel::RowTexts{};
}

const cluster::Submission* ClusterController::submission(engine::JobId id) const {
    const Entry* e = entry(id);
    return e ? &e->submission : nullptr;
}

cluster::SubmissionStatus ClusterController::status(engine::JobId id) const {
    const Entry* e = entry(id);
    return e ? e->status : cluster::SubmissionStatus{};
}

bool ClusterController::isBusy(engine::JobId id) const {
    const Entry* e = entry(id);
    return e && (e->phase.submitting || e->phase.busy);
}

bool ClusterController::canResubmit(engine::JobId id) const {
    const Entry* e = entry(id);
    return e && !isBusy(id) && !e->submission.arrayJob.empty() && e->phase.polled && isFinished(e->status) &&
           e->status.failedCount() > 0;
}

QString ClusterController::resultsFolder(engine::JobId id) const {
    const Entry* e = entry(id);
    if (!e) return QString();
    if (e->submission.stems.size() == 1) return qs(e->submission.mergedDir(e->submission.stems.front()));
    return QDir(qs(e->submission.dir)).filePath(QStringLiteral("merged"));
}

void ClusterController::setPollInterval(int ms) {
    m_timer->setInterval(std::max(100, ms));
}

int ClusterController::pollInterval() const {
    return m_timer->interval();
}

engine::JobId ClusterController::submit(const cluster::Submission& prepared, const Origin& origin) {
    auto owned = std::make_unique<Entry>();
    Entry& e = *owned;
    e.id = m_nextId++;
    e.submission = prepared;
    e.origin = origin;
    e.phase.submitting = true;
    e.action = std::make_unique<BackgroundJob>();
    m_entries.push_back(std::move(owned));
    const engine::JobId id = e.id;
    connect(e.action.get(), &BackgroundJob::finished, this, [this, id](const QString& error) {
        Entry* e = entry(id);
        if (!e || error.isEmpty()) return;
        e->phase.submitting = false;
        e->phase.error = error;
        update(*e);
        Q_EMIT failed(tr("Slurm did not take the submission."),
                      tr("%1\n\nThe scripts are in %2.").arg(error, QDir::toNativeSeparators(qs(e->submission.dir))));
    });
    update(e);
    e.action->start([this, id, s = prepared](const JobControl& control) mutable {
        cluster::submit(s);  // takes the array back itself when the merge cannot be submitted
        control.post([this, id, s]() {
            Entry* e = entry(id);
            if (!e) return;
            e->submission = s;
            e->phase.submitting = false;
            e->submittedAt = QDateTime::currentDateTime();
            ++e->generation;
            update(*e);
            Q_EMIT followedChanged();
            Q_EMIT message(tr("Submitted %1 to Slurm: array job %2 (%3 parts), merge job %4")
                               .arg(stemsLabel(s), qs(s.arrayJob))
                               .arg(s.shards)
                               .arg(qs(s.mergeJob)));
            pollNow();
        });
    });
    return id;
}

engine::JobId ClusterController::follow(const cluster::Submission& submission, const Origin& origin) {
    auto owned = std::make_unique<Entry>();
    Entry& e = *owned;
    e.id = m_nextId++;
    e.submission = submission;
    e.origin = origin;
    e.action = std::make_unique<BackgroundJob>();
    m_entries.push_back(std::move(owned));
    update(e);
    pollNow();
    return e.id;
}

void ClusterController::startAction(Entry& e, const QString& failureMessage, BackgroundJob::Work work) {
    e.phase.busy = true;
    ++e.generation;
    update(e);
    e.action->disconnect(this);
    connect(e.action.get(), &BackgroundJob::finished, this, [this, id = e.id, failureMessage](const QString& error) {
        Entry* e = entry(id);
        if (!e) return;
        e->phase.busy = false;
        update(*e);
        if (!error.isEmpty()) Q_EMIT failed(failureMessage, error);
        pollNow();
    });
    e.action->start(std::move(work));
}

bool ClusterController::cancel(engine::JobId id) {
    Entry* e = entry(id);
    if (!e || isBusy(id) || e->submission.arrayJob.empty()) return false;
    e->phase.cancelled = true;
    startAction(*e, tr("The submission could not be cancelled."),
                [s = e->submission](const JobControl&) { cluster::cancelSubmission(s); });
    Q_EMIT message(tr("Cancelling %1 on Slurm…").arg(stemsLabel(e->submission)));
    return true;
}

bool ClusterController::resubmitFailed(engine::JobId id) {
    Entry* e = entry(id);
    if (!e || !canResubmit(id)) return false;
    startAction(*e, tr("The failed parts were not submitted again."),
                [this, id, s = e->submission](const JobControl& control) mutable {
                    const std::vector<int> again = cluster::resubmitFailed(s);
                    control.post([this, id, s, again]() {
                        Entry* e = entry(id);
                        if (!e) return;
                        e->submission = s;
                        e->phase.cancelled = false;
                        e->tookSeconds = -1.0;
                        ++e->generation;
                        // Until the next poll: the parts sent again wait in the queue, and so does the new merge.
                        QStringList indices;
                        for (int index : again) {
                            indices << QString::number(index);
                            for (cluster::PartState& part : e->status.parts)
                                if (part.index == index) {
                                    part.state = "PENDING";
                                    part.jobId = s.partJobId(index);
                                }
                        }
                        e->status.mergeState = "PENDING";
                        e->status.merged = false;
                        update(*e);
                        Q_EMIT followedChanged();
                        Q_EMIT message(again.empty() ? tr("No failed parts to resubmit.")
                                                     : tr("Resubmitted part(s) %1 of %2 as job %3; merge job %4")
                                                           .arg(indices.join(QStringLiteral(", ")), stemsLabel(s),
                                                                qs(s.resubmittedAs.at(again.front())), qs(s.mergeJob)));
                    });
                });
    return true;
}

void ClusterController::forget(engine::JobId id) {
    const auto it = std::find_if(m_entries.begin(), m_entries.end(), [id](const auto& e) { return e->id == id; });
    if (it == m_entries.end()) return;
    m_entries.erase(it);
    Q_EMIT followedChanged();
    schedulePoll();
}

void ClusterController::pollNow() {
    if (m_poll.isRunning()) return;
    struct Target {
        engine::JobId id;
        int generation;
        cluster::Submission submission;
    };
    std::vector<Target> targets;
    for (const auto& e : m_entries) {
        const bool waiting =
            e->phase.submitting || e->phase.busy || !e->phase.error.isEmpty() || e->submission.arrayJob.empty();
        if (!waiting && (!e->phase.polled || !isFinished(e->status)))
            targets.push_back({e->id, e->generation, e->submission});
    }
    if (targets.empty()) {
        schedulePoll();
        return;
    }
    m_poll.start([this, targets](const JobControl& control) {
        for (const Target& t : targets) {
            if (control.isCancelled()) return;
            cluster::SubmissionStatus status;
            try {
                status = cluster::querySubmission(t.submission);
            } catch (const std::exception&) {
                continue;  // asked again at the next poll
            }
            control.post([this, t, status]() {
                Entry* e = entry(t.id);
                if (!e || e->generation != t.generation) return;
                e->status = status;
                e->phase.polled = true;
                if (status.merged && e->tookSeconds < 0 && e->submittedAt.isValid())
                    e->tookSeconds = e->submittedAt.msecsTo(QDateTime::currentDateTime()) / 1000.0;
                update(*e);
            });
        }
    });
}

void ClusterController::schedulePoll() {
    bool needed = false;
    for (const auto& e : m_entries)
        needed = needed || e->phase.submitting || e->phase.busy ||
                 (e->phase.error.isEmpty() && (!e->phase.polled || !isFinished(e->status)));
    if (needed && !m_timer->isActive())
        m_timer->start();
    else if (!needed)
        m_timer->stop();
}

void ClusterController::update(Entry& e) {
    e.row = describe(e.id, e.submission, e.status, e.origin, e.phase, &e.texts);
    e.row.progress.elapsedSeconds = std::max(0.0, e.tookSeconds);
    e.texts.canResubmit = canResubmit(e.id);
    if (e.row.state == engine::JobState::Done) {
        // The merged folders' files, for the results view (which opens the folder it finds them in).
        for (const std::string& stem : e.submission.stems) {
            const QDir merged(qs(e.submission.mergedDir(stem)));
            for (const QFileInfo& file : merged.entryInfoList(QDir::Files, QDir::Name))
                e.row.resultFiles.push_back(file.absoluteFilePath().toStdString());
        }
    }
    Q_EMIT rowChanged(e.id);
    schedulePoll();
}

engine::JobSnapshot ClusterController::describe(engine::JobId id, const cluster::Submission& s,
                                                const cluster::SubmissionStatus& status, const Origin& origin,
                                                const Phase& phase, JobListModel::RowTexts* texts) {
    engine::JobSnapshot row;
    row.id = id;
    row.spec.inputs = origin.inputs;
    row.spec.task = origin.task;
    row.spec.model = origin.model;
    row.spec.device = origin.device;
    row.spec.outputDir = s.dir;
    row.task = origin.task;
    row.taskName = origin.taskName;

    const int shards = s.shards;
    const int completed = status.completed();
    const int running = status.running();
    const int failedCount = status.failedCount();
    const int queued = std::max(0, int(status.parts.size()) - completed - running - failedCount);
    row.progress.unit = "parts";
    row.progress.total = shards + 1;  // the merge is the last step
    row.progress.done = completed + (status.merged ? 1 : 0);

    JobListModel::RowTexts t;
    const QString name = stemsLabel(s);
    const QString partsDone = tr("%1/%2 parts done").arg(completed).arg(shards);
    QString what;  // after "Cluster: <stem> — "
    t.device = tr("Slurm");
    t.progress = QStringLiteral("%1/%2").arg(completed).arg(shards);
    const QString jobs =
        s.arrayJob.empty()
            ? QString()
            : tr("array job %1 (%2 parts), merge job %3").arg(qs(s.arrayJob)).arg(shards).arg(qs(s.mergeJob));
    t.result = jobs;

    QString failedStates;
    const QString failedList = failedParts(status, &failedStates);
    if (phase.submitting) {
        row.state = engine::JobState::Queued;
        what = tr("submitting…");
        t.progress = tr("submitting");
        t.result = tr("Submitting to Slurm (sbatch)…");
    } else if (!phase.error.isEmpty()) {
        row.state = engine::JobState::Failed;
        what = tr("not submitted");
        row.error = phase.error.toStdString();
        t.result = tr("sbatch failed: %1").arg(phase.error);
    } else if (!phase.polled) {
        row.state = engine::JobState::Queued;
        what = tr("%1, waiting for Slurm").arg(partsDone);
    } else if (status.merged) {
        row.state = engine::JobState::Done;
        what = tr("%1, merged").arg(partsDone);
        t.progress = tr("merged");
        const QString folder =
            s.stems.size() == 1 ? qs(s.mergedDir(s.stems.front())) : QDir(qs(s.dir)).filePath(QStringLiteral("merged"));
        t.result = tr("Merged into %1").arg(QDir::toNativeSeparators(folder));
        row.summary = t.result.toStdString();
    } else if (isFinished(status)) {
        row.state = phase.cancelled ? engine::JobState::Cancelled : engine::JobState::Failed;
        if (failedCount > 0) {
            what = phase.cancelled ? tr("%1, cancelled").arg(partsDone)
                                   : tr("%1, %2 failed")
                                         .arg(partsDone, failedCount == 1 ? tr("part %1").arg(failedList)
                                                                          : tr("parts %1").arg(failedList));
            t.result = failedCount == 1
                           ? tr("Part %1 failed (%2): Resubmit Failed Parts runs it again; its log is logs/part-%1.out")
                                 .arg(failedList, failedStates)
                           : tr("Parts %1 failed (%2): Resubmit Failed Parts runs them again; logs in logs/")
                                 .arg(failedList, failedStates);
        } else {
            what = phase.cancelled ? tr("%1, cancelled").arg(partsDone) : tr("%1, merge failed").arg(partsDone);
            t.result = tr("The merge job %1 ended %2: see logs/merge.out").arg(qs(s.mergeJob), qs(status.mergeState));
        }
        if (row.state == engine::JobState::Failed) row.error = t.result.toStdString();
    } else if (isRunningState(status.mergeState) || (shards > 0 && completed == shards)) {
        row.state = engine::JobState::Running;
        what = tr("%1, merging").arg(partsDone);
        t.progress = tr("merging");
        t.state = tr("Merging");
    } else if (running > 0 || completed > 0 || failedCount > 0) {
        row.state = engine::JobState::Running;
        what = running > 0 ? tr("%1, %2 running").arg(partsDone).arg(running)
                           : tr("%1, %2 queued").arg(partsDone).arg(queued);
        if (failedCount > 0)
            what += failedCount == 1 ? tr(", part %1 failed").arg(failedList) : tr(", parts %1 failed").arg(failedList);
    } else {
        row.state = engine::JobState::Queued;
        what = tr("%1, %2 queued").arg(partsDone).arg(queued);
    }
    if (phase.busy) t.state = phase.cancelled ? tr("Cancelling") : tr("Resubmitting");

    t.file = tr("Cluster: %1 — %2").arg(name, what);
    QStringList inputs;
    for (const std::string& input : origin.inputs) inputs << QDir::toNativeSeparators(qs(input));
    t.fileTip =
        tr("%1\nSubmission folder: %2").arg(inputs.join(QLatin1Char('\n')), QDir::toNativeSeparators(qs(s.dir)));
    QStringList where;
    where << (jobs.isEmpty() ? tr("Not submitted yet") : tr("Slurm %1").arg(jobs));
    if (!origin.partition.empty()) where << tr("partition %1").arg(qs(origin.partition));
    t.deviceTip = where.join(QLatin1Char('\n'));
    QStringList parts;
    for (const cluster::PartState& p : status.parts)
        parts << tr("part %1/%2  %3  %4").arg(p.index).arg(shards).arg(qs(p.jobId), qs(p.state));
    if (!status.parts.empty()) parts << tr("merge  %1  %2").arg(qs(s.mergeJob), qs(status.mergeState));
    t.resultTip = parts.isEmpty() ? t.result : t.result + QStringLiteral("\n\n") + parts.join(QLatin1Char('\n'));
    if (texts) *texts = t;
    return row;
}

QList<QVariantMap> ClusterController::toSettings() const {
    QList<QVariantMap> entries;
    for (const auto& e : m_entries) {
        if (e->submission.arrayJob.empty()) continue;
        QVariantMap entry;
        entry.insert(QStringLiteral("dir"), qs(e->submission.dir));
        entry.insert(QStringLiteral("task"), qs(e->origin.task));
        entry.insert(QStringLiteral("taskName"), qs(e->origin.taskName));
        entry.insert(QStringLiteral("model"), qs(e->origin.model));
        entry.insert(QStringLiteral("device"), qs(e->origin.device));
        entry.insert(QStringLiteral("partition"), qs(e->origin.partition));
        QStringList inputs;
        for (const std::string& input : e->origin.inputs) inputs << qs(input);
        entry.insert(QStringLiteral("inputs"), inputs);
        entries << entry;
    }
    return entries;
}

ClusterController::Origin ClusterController::originFrom(const QVariantMap& entry) {
    Origin origin;
    for (const QString& input : entry.value(QStringLiteral("inputs")).toStringList())
        origin.inputs.push_back(input.toStdString());
    origin.task = entry.value(QStringLiteral("task")).toString().toStdString();
    origin.taskName = entry.value(QStringLiteral("taskName")).toString().toStdString();
    origin.model = entry.value(QStringLiteral("model")).toString().toStdString();
    origin.device = entry.value(QStringLiteral("device")).toString().toStdString();
    origin.partition = entry.value(QStringLiteral("partition")).toString().toStdString();
    return origin;
}

}  // namespace benchtop::ui
