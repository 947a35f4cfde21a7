#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>
#include <QVariantMap>

#include <memory>
#include <string>
#include <vector>

#include "core/cluster/slurm.h"
#include "core/engine/job.h"
#include "ui/background_job.h"
#include "ui/job_list_model.h"

class QTimer;

namespace benchtop::ui {

/// The Slurm submissions of File › Run on Cluster… that the window follows, one job-list row each: submits
/// prepared ones (cluster::submit), polls them (cluster::querySubmission), cancels them (scancel) and submits
/// their failed parts again (cluster::resubmitFailed). Slurm's clients can block on a busy controller, so every
/// call to them runs as a BackgroundJob; results come back as rowChanged() on the GUI thread.
class ClusterController : public QObject {
    Q_OBJECT
public:
    /// Rows of submissions have ids from here up, far above the engine's job ids (which count from 1).
    static constexpr engine::JobId kFirstRowId = engine::JobId(1) << 48;
    static bool isClusterRow(engine::JobId id) { return id >= kFirstRowId; }

    /// What a submission was made for: shown in its row, kept in the settings with its folder.
    struct Origin {
        std::vector<std::string> inputs;
        std::string task;  ///< task id ("text"), picks the results view
        std::string taskName;
        std::string model;
        std::string device;
        std::string partition;
    };

    explicit ClusterController(QObject* parent = nullptr);
    ~ClusterController() override;

    /// Submits `prepared` (from cluster::prepareSubmission) off the GUI thread; its row shows at once, queued.
    /// When sbatch fails the row fails with sbatch's message, and failed() says so.
    engine::JobId submit(const cluster::Submission& prepared, const Origin& origin);
    /// Follows a submission that was submitted before (read back from its folder after a restart).
    engine::JobId follow(const cluster::Submission& submission, const Origin& origin);
    /// Cancels the submission's array, its parts run again and its merge (scancel), off the GUI thread.
    bool cancel(engine::JobId id);
    /// Submits the failed parts again and a new merge after them (cluster::resubmitFailed), off the GUI thread.
    bool resubmitFailed(engine::JobId id);
    /// Stops following `id` (its row was cleared); the folder stays.
    void forget(engine::JobId id);

    QList<engine::JobId> ids() const;
    /// The row of `id` as the job list shows it; nullptr when not followed.
    const engine::JobSnapshot* row(engine::JobId id) const;
    /// The texts that go with row().
    JobListModel::RowTexts rowTexts(engine::JobId id) const;
    const cluster::Submission* submission(engine::JobId id) const;
    /// The latest polled state (parts empty before the first poll).
    cluster::SubmissionStatus status(engine::JobId id) const;
    /// A submit, cancel or resubmit of `id` is under way.
    bool isBusy(engine::JobId id) const;
    /// Failed parts that can be submitted again (none while busy).
    bool canResubmit(engine::JobId id) const;
    /// The merged results: "<dir>/merged/<stem>" for one result, "<dir>/merged" for several.
    QString resultsFolder(engine::JobId id) const;

    /// How often unsettled submissions are polled (default 5000 ms).
    void setPollInterval(int ms);
    int pollInterval() const;
    /// Polls now (unless a poll is under way).
    void pollNow();

    /// The submitted submissions with their origins, for Settings::setClusterSubmissions().
    QList<QVariantMap> toSettings() const;
    /// Reads a Settings::clusterSubmissions() entry back.
    static Origin originFrom(const QVariantMap& entry);

    /// The row and texts of a submission in `status` (pure; what rowChanged() shows).
    struct Phase {
        bool submitting = false;
        bool busy = false;       ///< cancel or resubmit under way
        bool polled = false;     ///< `status` came from Slurm at least once
        bool cancelled = false;  ///< the user cancelled it
        QString error;           ///< the submit failed
    };
    static engine::JobSnapshot describe(engine::JobId id, const cluster::Submission& submission,
                                        const cluster::SubmissionStatus& status, const Origin& origin,
                                        const Phase& phase, JobListModel::RowTexts* texts);

Q_SIGNALS:
    void rowChanged(benchtop::engine::JobId id);
    /// Something the user must read (sbatch refused the submission), for a message box: a sentence and the
    /// details (what Slurm's client said).
    void failed(const QString& message, const QString& details);
    /// A line for the status bar.
    void message(const QString& text);
    /// Submissions were added or removed, or got their job ids: the settings should be written again.
    void followedChanged();

private:
    struct Entry;
    Entry* entry(engine::JobId id) const;
    void update(Entry& e);
    void schedulePoll();
    /// Runs `work` (cancel, resubmit) off the GUI thread for the row; when it ends the row is no longer busy, an
    /// error is reported under `failureMessage`, and Slurm is polled.
    void startAction(Entry& e, const QString& failureMessage, BackgroundJob::Work work);

    std::vector<std::unique_ptr<Entry>> m_entries;
    engine::JobId m_nextId = kFirstRowId;
    QTimer* m_timer = nullptr;
    BackgroundJob m_poll;
};

}  // namespace benchtop::ui
