#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QMainWindow>
#include <QPair>
#include <QStringList>

#include <functional>
#include <string>
#include <vector>

#include "core/device/device.h"
#include "core/engine/job.h"
#include "ui/settings.h"

class QAction;
class QLabel;
class QSplitter;
class QTimer;

namespace benchtop::engine {
class Engine;
}

namespace benchtop::ui {

class ChartsDock;
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
/// Settings › Server.
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
    /// Jobs queued or running now.
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

public Q_SLOTS:
    void openFiles();
    void openFolder();
    void showSettings();
    void showAbout();
    void cancelJob(benchtop::engine::JobId id);
    void cancelAll();
    void openResults(benchtop::engine::JobId id);
    /// Re-reads the settings: engine defaults, device badge, telemetry rate.
    void applySettings();
    /// Starts the local server with the settings (off the GUI thread); a refusal or failure is shown in a
    /// message box and the status bar, and the toggle unchecks.
    void startServer();
    /// Stops the local server (off the GUI thread; requests in flight are answered first).
    void stopServer();

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
    ServerController* m_server = nullptr;
    QAction* m_serverAction = nullptr;
    QLabel* m_serverStatus = nullptr;
    QTimer* m_serverPoll = nullptr;
    QElapsedTimer m_serverClock;   ///< since the previous poll, for requests per second
    quint64 m_serverRequests = 0;  ///< answered at the previous poll
    struct Rate {
        double perSecond = 0.0;
        QString unit;
        bool mediaSeconds = false;
    };
    QHash<engine::JobId, Rate> m_rates;
    QuitConfirmation m_confirmQuit;
};

}  // namespace benchtop::ui
