#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QMainWindow>
#include <QSet>
#include <QPair>
#include <QStringList>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/device/device.h"
#include "core/engine/job.h"
#include "ui/settings.h"

class QAction;
class QLabel;
class QMenu;
class QSystemTrayIcon;
class QSplitter;
class QTimer;

namespace benchtop::engine {
class Engine;
}

namespace benchtop::ui {

class ChartsDock;
class ClusterController;
class ClusterDialog;
class DeviceBadge;
class DropZone;
class EngineBridge;
class JobListModel;
class JobListView;
class ResultsPane;
class ServerController;
class TelemetrySampler;

/// The Benchtop window: drop zone, job table, results pane, device badge, live charts dock and the switch of the
/// local inference server (Server › Local Server), which serves the window's engine with the settings of
/// Settings › Server, and File › Run on Cluster…, which splits files into a Slurm job array with a merge job
/// (ClusterDialog) and follows each submission as a row of the job table (ClusterController).
/// Each dropped or opened file becomes one job on `engine` with the current settings. The engine
/// must outlive the window.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(engine::Engine& engine, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Plans jobs for files and folders as `benchtop-cli run` does (engine::planInputs), submits them and
    /// returns the job ids in submission order.
    QList<engine::JobId> addPaths(const QStringList& paths);

    /// The device request in effect: settings, then BENCHTOP_DEVICE / _PRECISION / _THREADS on top.
    device::DeviceRequest effectiveRequest() const;

    /// Asked when the window closes while `unfinished` jobs are queued or running: true = cancel them and
    /// quit, false = keep the window and the jobs. Default: a question box; tests replace it.
    using QuitConfirmation = std::function<bool(int unfinished)>;
    void setQuitConfirmation(QuitConfirmation confirm) { m_confirmQuit = std::move(confirm); }
    /// Shows the window in front (restored when minimised) for files sent by another start; where the window system
    /// refuses to activate it, the taskbar entry asks for attention.
    void bringToFront();
    /// Jobs queued or running on this machine now (Slurm submissions run on without the window).
    int unfinishedJobs() const;

    Settings& settings() { return m_settings; }
    EngineBridge* bridge() const { return m_bridge; }
    JobListModel* jobModel() const { return m_model; }
    JobListView* jobView() const { return m_view; }
    DropZone* dropZone() const { return m_dropZone; }
    DeviceBadge* deviceBadge() const { return m_badge; }
    ChartsDock* chartsDock() const { return m_charts; }
    TelemetrySampler* sampler() const { return m_sampler; }
    ResultsPane* resultsPane() const { return m_results; }
    ServerController* serverController() const { return m_server; }
    /// Server › Local Server: checked while the server starts or runs.
    QAction* serverAction() const { return m_serverAction; }
    /// The permanent status-bar label shown while the server starts, runs or stops.
    QLabel* serverStatusLabel() const { return m_serverStatus; }
    /// The Slurm submissions shown in the job table.
    ClusterController* clusterController() const { return m_cluster; }
    /// File › Run on Cluster… (also in the job table's context menu): enabled where sbatch is on PATH.
    QAction* runOnClusterAction() const { return m_runOnCluster; }
    /// Jobs › Resubmit Failed Parts: for the selected submission with failed parts.
    QAction* resubmitFailedAction() const { return m_resubmitFailed; }

    /// Opens the Run on Cluster dialog (window-modal, not blocking) for `inputs`; with none, for the selected
    /// job's inputs or else the files last dropped or opened. Submitting it adds a row that follows the
    /// submission. Returns the dialog (deleted when closed).
    ClusterDialog* runOnCluster(const QStringList& inputs = {});
    /// The folder Open Results opens for `id`: the job's result folder, or a submission's merged results.
    QString resultsFolder(benchtop::engine::JobId id) const;

    /// Rows for results read from disk (File › Open Results…, a kept job list) have ids from here on.
    static constexpr engine::JobId kFirstHistoryId = engine::JobId(1) << 40;
    static bool isHistoryRow(engine::JobId id) { return id >= kFirstHistoryId && id < (engine::JobId(1) << 48); }
    /// Shows an earlier job's results folder (one holding Benchtop's .benchtop-job.json) as a finished row and in
    /// its result view, without running anything; a folder already shown is selected again. Returns the row's id,
    /// or 0 with the reason in `error` (the folder is not a Benchtop results folder, or unreadable).
    engine::JobId openResultsFolder(const QString& folder, QString* error = nullptr);
    /// File › Open Recent (rebuilt each time it opens).
    QMenu* recentMenu() const { return m_recentMenu; }

    /// Says that a job finished (title, message, failed). Default: a system tray message, or the taskbar alert where
    /// there is no tray; tests replace it.
    using Notifier = std::function<void(const QString& title, const QString& message, bool failed)>;
    void setNotifier(Notifier notifier) { m_notify = std::move(notifier); }
    /// Jobs that ran at least this long are notified when they finish (Settings › General).
    static constexpr double kNotifyAfterSeconds = 5.0;
    void setNotifyAfterSeconds(double seconds) { m_notifyAfterSeconds = seconds; }

public Q_SLOTS:
    void openFiles();
    void openFolder();
    /// File › Open Results…: asks for a results folder and shows it (openResultsFolder()).
    void openResultsDialog();
    void showSettings();
    void showAbout();
    void cancelJob(benchtop::engine::JobId id);
    void cancelAll();
    void openResults(benchtop::engine::JobId id);
    /// Edit › Find (Ctrl+F): focuses the search or filter field of the results shown; false when they have none.
    bool focusResultsSearch();
    /// Re-reads the settings: engine defaults, device badge, telemetry rate.
    void applySettings();
    /// Starts the local server with the settings (off the GUI thread); a refusal or failure is shown in a
    /// message box and the status bar, and the toggle unchecks.
    void startServer();
    /// Stops the local server (off the GUI thread; requests in flight are answered first).
    void stopServer();
    /// Submits the failed parts of the submission of row `id` again (and a new merge).
    void resubmitFailed(benchtop::engine::JobId id);
    /// Enables Run on Cluster… where sbatch is on PATH; otherwise its tooltip says why it is disabled.
    void updateClusterAction();

protected:
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createLayout();
    void onJobChanged(const engine::JobSnapshot& job);
    void updateDeviceBadge();
    void updateJobCounts();
    void updateSelectionActions();
    void updateThroughput();
    void onServerStateChanged();
    void updateServerStatus();
    void showServerError(const QString& message);
    void onClusterRowChanged(engine::JobId id);
    void restoreClusterSubmissions();
    void clearFinishedJobs();
    void rebuildRecentMenu();
    void openRecent(const QVariantMap& entry);
    void restoreSavedJobs();
    void saveJobList();
    void notifyFinished(const engine::JobSnapshot& job);
    /// A finished row for a results folder (null when `folder` holds no readable .benchtop-job.json).
    std::optional<engine::JobSnapshot> snapshotFromFolder(const QString& folder, QString* error) const;
    void showHistoryRow(const engine::JobSnapshot& row, bool select);
    QString fileDialogFilter() const;

    engine::Engine& m_engine;
    Settings m_settings;
    EngineBridge* m_bridge = nullptr;
    JobListModel* m_model = nullptr;
    JobListView* m_view = nullptr;
    DropZone* m_dropZone = nullptr;
    ResultsPane* m_results = nullptr;
    QSplitter* m_splitter = nullptr;
    DeviceBadge* m_badge = nullptr;
    ChartsDock* m_charts = nullptr;
    TelemetrySampler* m_sampler = nullptr;
    QLabel* m_jobCounts = nullptr;
    QAction* m_cancelSelected = nullptr;
    QAction* m_cancelAll = nullptr;
    QAction* m_openResults = nullptr;
    QAction* m_findAction = nullptr;
    ServerController* m_server = nullptr;
    QAction* m_serverAction = nullptr;
    QLabel* m_serverStatus = nullptr;
    QTimer* m_serverPoll = nullptr;
    ClusterController* m_cluster = nullptr;
    QAction* m_runOnCluster = nullptr;
    QAction* m_resubmitFailed = nullptr;
    QStringList m_lastPaths;       ///< last dropped or opened, for Run on Cluster…
    QElapsedTimer m_serverClock;   ///< since the previous poll, for requests per second
    quint64 m_serverRequests = 0;  ///< answered at the previous poll
    struct Rate {
        double perSecond = 0.0;
        QString unit;
        bool mediaSeconds = false;
    };
    QHash<engine::JobId, Rate> m_rates;
    QuitConfirmation m_confirmQuit;
    QMenu* m_recentMenu = nullptr;
    engine::JobId m_nextHistoryId = kFirstHistoryId;
    QSet<engine::JobId> m_announcedEnds;  ///< jobs whose end the status bar and a notification have told
    Notifier m_notify;
    double m_notifyAfterSeconds = kNotifyAfterSeconds;
    QSystemTrayIcon* m_tray = nullptr;
};

}  // namespace benchtop::ui
