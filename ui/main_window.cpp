#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCursor>
#include <QDesktopServices>
#include <QDir>
#include <QDirIterator>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QMimeData>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QToolBar>
#include <QToolTip>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

#include "core/cluster/slurm.h"
#include "core/engine/engine.h"
#include "core/engine/input_plan.h"
#include "core/engine/task.h"
#include "core/serve/server.h"
#include "ui/views/builtin_views.h"
#include "ui/about_dialog.h"
#include "ui/charts_dock.h"
#include "ui/cluster_controller.h"
#include "ui/cluster_dialog.h"
#include "ui/device_badge.h"
#include "ui/drop_zone.h"
#include "ui/engine_bridge.h"
#include "ui/hf_token_store.h"
#include "ui/job_list_model.h"
#include "ui/job_list_view.h"
#include "ui/models/model_manager_window.h"
#include "ui/results_pane.h"
#include "ui/server_controller.h"
#include "ui/settings_dialog.h"
#include "ui/telemetry_sampler.h"
#include "ui/views/result_view.h"
#include "ui/workload_text.h"

namespace benchtop::ui {

using engine::JobId;
using engine::JobSnapshot;
using engine::JobState;

namespace {

QString fileNameOf(const JobSnapshot& job) {
    return job.spec.inputs.empty() ? QString() : QFileInfo(QString::fromStdString(job.spec.inputs.front())).fileName();
}

}  // namespace

MainWindow::MainWindow(engine::Engine& engine, QWidget* parent) : QMainWindow(parent), m_engine(engine) {
    setWindowTitle(tr("Benchtop"));
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    resize(1200, 800);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);

    registerBuiltinResultViews();
    m_bridge = new EngineBridge(m_engine, this);
    m_model = new JobListModel(this);
    m_sampler = new TelemetrySampler(this);
    m_server = new ServerController(m_engine, this);
    m_cluster = new ClusterController(this);

    createLayout();
    createActions();

    connect(m_bridge, &EngineBridge::jobChanged, this, &MainWindow::onJobChanged);
    connect(m_bridge, &EngineBridge::logMessage, this, [this](JobId id, const QString& message) {
        const JobSnapshot* job = m_model->job(id);
        statusBar()->showMessage(job ? tr("%1: %2").arg(fileNameOf(*job), message) : message, 8000);
    });
    connect(m_sampler, &TelemetrySampler::sampled, m_charts, &ChartsDock::addSample);
    connect(m_sampler, &TelemetrySampler::gpuStatus, m_charts, &ChartsDock::setGpuStatus);

    if (!m_settings.windowGeometry().isEmpty()) restoreGeometry(m_settings.windowGeometry());
    if (!m_settings.windowState().isEmpty()) restoreState(m_settings.windowState());

    applySettings();
    restoreClusterSubmissions();
    restoreSavedJobs();
    updateJobCounts();
    statusBar()->showMessage(tr("Ready. Drop files or use File › Open."), 5000);
}

MainWindow::~MainWindow() {
    // Stop the sampler thread before the charts it feeds are destroyed, and the server while the window's
    // engine (which it borrows) is still promised to be there.
    m_sampler->stop();
    m_serverPoll->stop();
    m_server->disconnect(this);
    m_server->stopAndWait();
}

void MainWindow::createLayout() {
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(10, 10, 10, 6);
    layout->setSpacing(8);

    m_dropZone = new DropZone(central);
    m_dropZone->setTasks(m_engine.registry());
    connect(m_dropZone, &DropZone::pathsDropped, this, [this](const QStringList& paths) { addPaths(paths); });
    connect(m_dropZone, &DropZone::openFilesClicked, this, &MainWindow::openFiles);
    connect(m_dropZone, &DropZone::openFolderClicked, this, &MainWindow::openFolder);

    m_view = new JobListView(central);
    m_view->setModel(m_model);
    connect(m_view, &JobListView::cancelRequested, this, &MainWindow::cancelJob);
    connect(m_view, &JobListView::openResultsRequested, this, &MainWindow::openResults);
    connect(m_view, &JobListView::resubmitRequested, this, &MainWindow::resubmitFailed);
    connect(m_view, &JobListView::currentJobChanged, this, [this](JobId id) {
        if (const JobSnapshot* job = m_model->job(id))
            m_results->showJob(*job);
        else
            m_results->clear();
        updateSelectionActions();
    });

    m_results = new ResultsPane(central);
    m_results->setEngine(&m_engine);

    m_splitter = new QSplitter(Qt::Vertical, central);
    m_splitter->setObjectName(QStringLiteral("jobsSplitter"));
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_results);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->hide();  // shown with the first job; until then the drop zone fills the window

    layout->addWidget(m_dropZone, 1);
    layout->addWidget(m_splitter, 4);
    setCentralWidget(central);

    m_charts = new ChartsDock(this);
    m_charts->setMinimumWidth(340);
    addDockWidget(Qt::RightDockWidgetArea, m_charts);
    resizeDocks({m_charts}, {400}, Qt::Horizontal);

    m_jobCounts = new QLabel(this);
    statusBar()->addPermanentWidget(m_jobCounts);

    m_serverStatus = new QLabel(this);
    m_serverStatus->setObjectName(QStringLiteral("serverStatus"));
    m_serverStatus->setCursor(Qt::PointingHandCursor);
    m_serverStatus->setStyleSheet(QStringLiteral("QLabel { border-left: 1px solid palette(mid); padding-left: 8px; }"));
    m_serverStatus->installEventFilter(this);
    m_serverStatus->hide();
    statusBar()->addPermanentWidget(m_serverStatus);
    // About twice a second: enough for a live count, cheap (an atomic and a copy of the counters).
    m_serverPoll = new QTimer(this);
    m_serverPoll->setInterval(500);
    connect(m_serverPoll, &QTimer::timeout, this, &MainWindow::updateServerStatus);
    connect(m_server, &ServerController::stateChanged, this, &MainWindow::onServerStateChanged);
    connect(m_server, &ServerController::failed, this, &MainWindow::showServerError);

    connect(m_cluster, &ClusterController::rowChanged, this, &MainWindow::onClusterRowChanged);
    connect(m_cluster, &ClusterController::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, 10000); });
    connect(m_cluster, &ClusterController::followedChanged, this,
            [this]() { m_settings.setClusterSubmissions(m_cluster->toSettings()); });
    connect(m_cluster, &ClusterController::failed, this, [this](const QString& message, const QString& details) {
        statusBar()->showMessage(message + QLatin1Char(' ') + details.section(QLatin1Char('\n'), 0, 0), 15000);
        // Not exec(): the window goes on (and tests go on) while the box is shown.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Run on Cluster"), message, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("clusterError"));
        box->setInformativeText(details);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    });
}

void MainWindow::createActions() {
    QStyle* s = style();
    auto* openFilesAction = new QAction(s->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open Files…"), this);
    openFilesAction->setShortcut(QKeySequence::Open);
    openFilesAction->setStatusTip(tr("Choose files to run; each file becomes one job"));
    connect(openFilesAction, &QAction::triggered, this, &MainWindow::openFiles);

    auto* openResultsAction = new QAction(tr("Open &Results…"), this);
    openResultsAction->setObjectName(QStringLiteral("openResultsFolderAction"));
    openResultsAction->setStatusTip(tr("Show an earlier job's results folder without running it again"));
    connect(openResultsAction, &QAction::triggered, this, &MainWindow::openResultsDialog);

    auto* openFolderAction = new QAction(s->standardIcon(QStyle::SP_DirOpenIcon), tr("Open &Folder…"), this);
    openFolderAction->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    openFolderAction->setStatusTip(tr("Choose a folder; every supported file in it becomes a job"));
    connect(openFolderAction, &QAction::triggered, this, &MainWindow::openFolder);

    m_runOnCluster = new QAction(s->standardIcon(QStyle::SP_ComputerIcon), tr("Run on &Cluster…"), this);
    m_runOnCluster->setObjectName(QStringLiteral("runOnClusterAction"));
    connect(m_runOnCluster, &QAction::triggered, this, [this]() { runOnCluster(); });

    m_resubmitFailed = new QAction(tr("Resubmit &Failed Parts"), this);
    m_resubmitFailed->setObjectName(QStringLiteral("resubmitFailedAction"));
    m_resubmitFailed->setStatusTip(tr("Submit the failed parts of the selected cluster submission again"));
    connect(m_resubmitFailed, &QAction::triggered, this, [this]() { resubmitFailed(m_view->currentJobId()); });

    auto* settingsAction = new QAction(s->standardIcon(QStyle::SP_FileDialogDetailedView), tr("&Settings…"), this);
    settingsAction->setShortcut(QKeySequence::Preferences);
    settingsAction->setMenuRole(QAction::PreferencesRole);
    settingsAction->setStatusTip(tr("Device, precision, threads and output folder"));
    connect(settingsAction, &QAction::triggered, this, &MainWindow::showSettings);

    auto* modelsAction = new QAction(s->standardIcon(QStyle::SP_DriveHDIcon), tr("&Models…"), this);
    modelsAction->setObjectName(QStringLiteral("modelsAction"));
#ifdef Q_OS_MACOS
    // Cmd+M minimises the window on macOS.
    modelsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
#else
    modelsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
#endif
    modelsAction->setStatusTip(tr("Download, import, remove and choose models"));
    connect(modelsAction, &QAction::triggered, this, [this]() {
        // One non-modal manager per window, kept while the window lives (hidden when closed).
        auto* manager = findChild<ModelManagerWindow*>(QString(), Qt::FindDirectChildrenOnly);
        if (!manager) manager = new ModelManagerWindow(m_engine.registry(), this);
        // Settings › Models as they are now: endpoint, token, offline mode.
        hub::DownloadOptions options = manager->downloadOptions();
        options.hub = hubAccessFrom(m_settings);
        manager->setDownloadOptions(options);
        manager->show();
        manager->raise();
        manager->activateWindow();
    });

    m_serverAction = new QAction(s->standardIcon(QStyle::SP_DriveNetIcon), tr("&Local Server"), this);
    m_serverAction->setObjectName(QStringLiteral("serverAction"));
    m_serverAction->setCheckable(true);
    m_serverAction->setStatusTip(
        tr("Serve the models of Settings › Server over HTTP (OpenAI-compatible embeddings and transcriptions)"));
    connect(m_serverAction, &QAction::triggered, this, [this](bool checked) {
        if (checked)
            startServer();
        else
            stopServer();
    });
    auto* serverSettingsAction = new QAction(tr("Server &Settings…"), this);
    connect(serverSettingsAction, &QAction::triggered, this, [this]() {
        SettingsDialog dialog(m_settings, {}, &m_engine.registry(), this);
        dialog.tabs()->setCurrentWidget(dialog.serverPage());
        if (dialog.exec() == QDialog::Accepted) applySettings();
    });

    auto* quitAction = new QAction(tr("&Quit"), this);
    quitAction->setShortcut(QKeySequence::Quit);
    quitAction->setMenuRole(QAction::QuitRole);
    connect(quitAction, &QAction::triggered, this, &QWidget::close);

    m_cancelSelected = new QAction(s->standardIcon(QStyle::SP_DialogCancelButton), tr("&Cancel Job"), this);
    m_cancelSelected->setObjectName(QStringLiteral("cancelJobAction"));
    m_cancelSelected->setStatusTip(tr("Cancel the selected job"));
    // Delete in the job table only: in a text field it keeps deleting text.
    m_cancelSelected->setShortcut(QKeySequence::Delete);
    m_cancelSelected->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_view->addAction(m_cancelSelected);
    connect(m_cancelSelected, &QAction::triggered, this, [this]() { cancelJob(m_view->currentJobId()); });

    m_cancelAll = new QAction(s->standardIcon(QStyle::SP_BrowserStop), tr("Cancel &All"), this);
    m_cancelAll->setStatusTip(tr("Cancel every queued and running job"));
    connect(m_cancelAll, &QAction::triggered, this, &MainWindow::cancelAll);

    m_openResults = new QAction(s->standardIcon(QStyle::SP_DirLinkIcon), tr("Open &Results"), this);
    m_openResults->setStatusTip(tr("Open the folder with the selected job's results"));
    connect(m_openResults, &QAction::triggered, this, [this]() { openResults(m_view->currentJobId()); });

    m_findAction = new QAction(tr("&Find…"), this);
    m_findAction->setObjectName(QStringLiteral("findAction"));
    m_findAction->setShortcut(QKeySequence::Find);
    m_findAction->setStatusTip(tr("Search or filter the results shown"));
    connect(m_findAction, &QAction::triggered, this, &MainWindow::focusResultsSearch);

    auto* clearFinished = new QAction(tr("C&lear Finished"), this);
    connect(clearFinished, &QAction::triggered, this, &MainWindow::clearFinishedJobs);

    auto* aboutAction = new QAction(tr("&About Benchtop"), this);
    aboutAction->setMenuRole(QAction::AboutRole);
    connect(aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    auto* licencesAction = new QAction(tr("&Licences and Notices"), this);
    connect(licencesAction, &QAction::triggered, this, [this]() { showLicencesDialog(this); });
    auto* aboutQtAction = new QAction(tr("About &Qt"), this);
    aboutQtAction->setMenuRole(QAction::AboutQtRole);
    connect(aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(openFilesAction);
    file->addAction(openFolderAction);
    file->addAction(openResultsAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(m_runOnCluster);
    file->addSeparator();
    file->addAction(modelsAction);
    file->addAction(settingsAction);
    file->addSeparator();
    file->addAction(quitAction);

    QMenu* jobs = menuBar()->addMenu(tr("&Jobs"));
    jobs->addAction(m_cancelSelected);
    jobs->addAction(m_cancelAll);
    jobs->addSeparator();
    jobs->addAction(m_openResults);
    jobs->addAction(m_resubmitFailed);
    jobs->addAction(clearFinished);
    // sbatch may have come onto PATH (a module loaded) or gone since the window started.
    connect(file, &QMenu::aboutToShow, this, &MainWindow::updateClusterAction);
    m_view->setContextActions({m_runOnCluster});
    updateClusterAction();

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_findAction);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* toggleCharts = m_charts->toggleViewAction();
    toggleCharts->setText(tr("&Live Hardware Charts"));
    view->addAction(toggleCharts);

    QMenu* server = menuBar()->addMenu(tr("&Server"));
    server->addAction(m_serverAction);
    server->addAction(serverSettingsAction);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(aboutAction);
    help->addAction(licencesAction);
    help->addAction(aboutQtAction);

    QToolBar* toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolbar"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addAction(openFilesAction);
    toolbar->addAction(openFolderAction);
    toolbar->addSeparator();
    toolbar->addAction(m_cancelAll);
    toolbar->addAction(modelsAction);
    toolbar->addAction(settingsAction);
    toolbar->addSeparator();
    toolbar->addAction(m_serverAction);
    auto* spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_badge = new DeviceBadge(toolbar);
    toolbar->addWidget(m_badge);
}

device::DeviceRequest MainWindow::effectiveRequest() const {
    return device::requestFromEnvironment(m_settings.deviceRequest());
}

void MainWindow::applySettings() {
    const device::DeviceRequest request = effectiveRequest();
    m_engine.setDefaults(request);
    updateDeviceBadge();
    if (!m_sampler->isRunning() || m_sampler->intervalMs() != m_settings.telemetryIntervalMs())
        m_sampler->start(m_settings.telemetryIntervalMs());
}

void MainWindow::startServer() {
    if (m_server->state() != ServerController::State::Stopped) return;
    serve::ServeOptions options;
    try {
        options = ServerController::optionsFrom(m_settings, effectiveRequest());
    } catch (const std::exception& e) {
        showServerError(QString::fromStdString(e.what()));
        return;
    }
    m_server->start(options);
    statusBar()->showMessage(tr("Starting the local server: loading its models…"), 5000);
}

void MainWindow::stopServer() {
    if (m_server->stop()) statusBar()->showMessage(tr("Stopping the local server…"), 5000);
}

void MainWindow::onServerStateChanged() {
    using State = ServerController::State;
    const State state = m_server->state();
    m_serverAction->setChecked(state == State::Starting || state == State::Running);
    // One change at a time: a start cannot be called off half-way, nor a stop.
    m_serverAction->setEnabled(state == State::Stopped || state == State::Running);
    if (state == State::Running) {
        m_serverRequests = m_server->counters().requests;
        m_serverClock.start();
        m_serverPoll->start();
        statusBar()->showMessage(tr("Local server on %1").arg(m_server->url()), 8000);
    } else {
        m_serverPoll->stop();
    }
    if (state == State::Stopped && m_serverStatus->isVisible())
        statusBar()->showMessage(tr("Local server stopped."), 5000);
    updateServerStatus();
}

void MainWindow::updateServerStatus() {
    using State = ServerController::State;
    const State state = m_server->state();
    m_serverStatus->setVisible(state != State::Stopped);
    switch (state) {
        case State::Stopped:
            m_serverStatus->clear();
            m_charts->setServerActivity(false);
            return;
        case State::Starting:
            m_serverStatus->setText(tr("Server: starting…"));
            m_serverStatus->setToolTip(tr("Loading the models of Settings › Server"));
            return;
        case State::Stopping:
            m_serverStatus->setText(tr("Server: stopping…"));
            m_serverStatus->setToolTip(tr("Answering the requests in flight, then closing"));
            m_charts->setServerActivity(false);
            return;
        case State::Running:
            break;
    }
    const serve::ServeCounters counters = m_server->counters();
    const std::size_t inFlight = m_server->queueDepth();
    const double seconds = m_serverClock.isValid() ? m_serverClock.restart() / 1000.0 : 0.0;
    const quint64 answered = counters.requests >= m_serverRequests ? counters.requests - m_serverRequests : 0;
    m_serverRequests = counters.requests;
    m_charts->setServerActivity(true, seconds > 0 ? double(answered) / seconds : 0.0, double(inFlight));
    const QString requests = counters.requests == 1
                                 ? tr("1 request")
                                 : tr("%1 requests").arg(QLocale().toString(qulonglong(counters.requests)));
    m_serverStatus->setText(tr("Server: %1 · %2 in flight · %3").arg(m_server->url()).arg(inFlight).arg(requests));
    QStringList lines;
    lines << tr("<b>Local server</b> on %1 (%2)").arg(m_server->url(), m_server->deviceLabel().toHtmlEscaped());
    for (const QString& model : m_server->modelDescriptions()) lines << tr("Model: %1").arg(model.toHtmlEscaped());
    lines << tr("%1 texts embedded, %2 s of audio transcribed, padding efficiency %3 %")
                 .arg(counters.texts)
                 .arg(counters.audioSeconds, 0, 'f', 1)
                 .arg(counters.paddingEfficiency() * 100.0, 0, 'f', 0);
    if (counters.failedRequests > 0) lines << tr("%1 requests failed").arg(counters.failedRequests);
    m_serverStatus->setToolTip(lines.join(QStringLiteral("<br>")));
}

void MainWindow::showServerError(const QString& message) {
    m_serverAction->setChecked(false);
    statusBar()->showMessage(tr("The local server did not start: %1").arg(message), 15000);
    // Not exec(): the window goes on (and tests go on) while the box is shown.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Local Server"), tr("The local server did not start."),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("serverError"));
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
    // Clicking the server's status shows its tooltip (models served) at once.
    if (watched == m_serverStatus && event->type() == QEvent::MouseButtonRelease) {
        QToolTip::showText(QCursor::pos(), m_serverStatus->toolTip(), m_serverStatus);
        return true;
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::updateDeviceBadge() {
    // While a job runs the badge shows what that job really got; otherwise what settings resolve to.
    for (int row = m_model->rowCount() - 1; row >= 0; --row) {
        const JobSnapshot& job = m_model->jobAt(row);
        if ((job.state == JobState::Running || job.state == JobState::Preparing) && !job.deviceLabel.empty()) {
            m_badge->setChoice(QString::fromStdString(job.deviceLabel), QString::fromStdString(job.deviceReason),
                               job.deviceFellBack);
            return;
        }
    }
    try {
        const device::DeviceChoice choice = device::resolve(effectiveRequest());
        QString reason = QString::fromStdString(choice.deviceReason);
        if (!choice.precisionReason.empty())
            reason += QLatin1Char('\n') + QString::fromStdString(choice.precisionReason);
        if (!choice.threadsReason.empty()) reason += QLatin1Char('\n') + QString::fromStdString(choice.threadsReason);
        m_badge->setChoice(QString::fromStdString(choice.label()), reason, choice.fellBack);
    } catch (const std::exception& e) {
        m_badge->setError(QString::fromStdString(e.what()));
    }
}

QList<JobId> MainWindow::addPaths(const QStringList& paths) {
    // The engine's planner, as the CLI's `run`: folders walked recursively (hidden entries and Benchtop's own
    // result folders skipped), each file's task recognised here so that the model and options the user chose
    // for that task go with the job, and sample sheets attached to the matrices of their folder (a drop with
    // a single sheet gives it to every matrix). Unrecognised files are left to the engine, which fails the
    // job with the reason.
    m_lastPaths = paths;
    m_settings.addRecent(QStringLiteral("inputs"), paths);
    std::vector<std::string> named;
    for (const QString& path : paths)
        named.push_back(QDir::cleanPath(QFileInfo(path).absoluteFilePath()).toStdString());
    const engine::InputPlan plan = engine::planInputs(named, m_engine.registry());
    QList<JobId> ids;
    if (plan.jobs.empty()) {
        statusBar()->showMessage(tr("No supported files found in what was dropped."), 8000);
        return ids;
    }

    const device::DeviceRequest request = effectiveRequest();
    QStringList queued;
    for (const engine::PlannedJob& planned : plan.jobs) {
        const QString file = QString::fromStdString(planned.inputs.front());
        engine::JobSpec spec;
        spec.inputs = planned.inputs;
        if (const engine::TaskKind* kind = planned.kind) {
            spec.task = kind->id;
            const QString taskId = QString::fromStdString(kind->id);
            spec.model = m_settings.modelFor(taskId).toStdString();
            const QMap<QString, QString> options = m_settings.optionsFor(taskId);
            for (auto it = options.cbegin(); it != options.cend(); ++it)
                spec.options[it.key().toStdString()] = it.value().toStdString();
            // Settings > General's Excel-friendly CSV reaches tasks that write CSV files of their own.
            if (kind->option("csv-bom") && !spec.options.count("csv-bom"))
                spec.options["csv-bom"] = m_settings.csvByteOrderMark() ? "true" : "false";
        }
        for (const auto& [key, value] : planned.options) spec.options[key] = value;
        spec.outputDir = m_settings.outputFolderFor(file).toStdString();
        spec.device = request.device;
        spec.precision = request.precision;
        spec.threads = request.threads;
        const JobId id = m_engine.submit(std::move(spec));
        ids << id;
        queued << QFileInfo(file).fileName();
        // Show the row now; the bridge's events update it from here on.
        if (const auto snapshot = m_engine.snapshot(id)) m_model->upsert(*snapshot);
    }
    m_dropZone->setCompact(true);
    m_splitter->show();
    if (!ids.isEmpty() && !m_view->currentIndex().isValid() && m_model->rowCount() > 0)
        m_view->selectRow(m_model->rowOf(ids.front()));
    QStringList message;
    if (ids.size() == 1)
        message << tr("Queued %1").arg(queued.front());
    else if (!ids.isEmpty())
        message << tr("Queued %1 files").arg(ids.size());
    for (const engine::AttachedCompanion& attached : plan.attached) {
        QStringList names;
        for (const std::string& input : attached.inputs) names << QFileInfo(QString::fromStdString(input)).fileName();
        message << tr("Attached %1 to %2")
                       .arg(QFileInfo(QString::fromStdString(attached.file)).fileName(),
                            names.join(QStringLiteral(", ")));
    }
    for (const engine::AttachedCompanion& companion : plan.unassigned) {
        const engine::OptionSpec* option = companion.kind ? companion.kind->option(companion.option) : nullptr;
        const QString what = option ? QString::fromStdString(option->displayLabel()).toLower()
                                    : QString::fromStdString(companion.option);
        message << tr("%1 looks like a %2 but belongs to no single file of the drop; drop it together with the "
                      "files of its folder")
                       .arg(QFileInfo(QString::fromStdString(companion.file)).fileName(), what);
    }
    if (plan.skippedOutputs > 0) message << tr("Benchtop's own results skipped");
    statusBar()->showMessage(message.join(QStringLiteral(" · ")), plan.unassigned.empty() ? 8000 : 15000);
    updateJobCounts();
    return ids;
}

void MainWindow::onJobChanged(const JobSnapshot& job) {
    const JobSnapshot* before = m_model->job(job.id);
    const JobState previous = before ? before->state : JobState::Queued;
    m_model->upsert(job);
    const JobSnapshot* now = m_model->job(job.id);
    if (!now) return;

    if (now->state == JobState::Running && (now->metrics.unitsPerSecond > 0 || now->progress.ratePerSecond > 0)) {
        const double rate = now->metrics.unitsPerSecond > 0 ? now->metrics.unitsPerSecond : now->progress.ratePerSecond;
        const std::string& unit = now->metrics.unitsPerSecond > 0 ? now->metrics.workUnit : now->progress.unit;
        m_rates.insert(now->id, {rate, workloadText(unit), now->progress.mediaSeconds});
    } else if (engine::isFinished(now->state)) {
        // The final metrics (whole job: audio seconds or tokens over its wall time) are the last point drawn
        // for it, in the throughput chart and, for speech, as RTF = 1 / that rate.
        if (now->state == JobState::Done && now->metrics.unitsPerSecond > 0) {
            m_rates.insert(now->id, {now->metrics.unitsPerSecond, workloadText(now->metrics.workUnit),
                                     now->progress.mediaSeconds});
            updateThroughput();
        }
        m_rates.remove(now->id);
    }
    updateThroughput();

    if (m_results->shownJob() == now->id || (m_results->shownJob() == 0 && m_view->currentJobId() == now->id))
        m_results->showJob(*now);

    // A job's end is announced once (status bar, notification), also when its row was shown already ended (a job
    // that failed at once, before its first event arrived).
    const bool newlyEnded = engine::isFinished(now->state) && !m_announcedEnds.contains(now->id);
    if (newlyEnded) m_announcedEnds.insert(now->id);
    if (now->state != previous || newlyEnded) {
        const QString file = fileNameOf(*now);
        if (now->state == JobState::Done)
            statusBar()->showMessage(now->summary.empty()
                                         ? tr("%1 finished").arg(file)
                                         : tr("%1 finished: %2").arg(file, QString::fromStdString(now->summary)),
                                     10000);
        else if (now->state == JobState::Failed)
            statusBar()->showMessage(tr("%1 failed: %2").arg(file, QString::fromStdString(now->error)), 15000);
        else if (now->state == JobState::Cancelled)
            statusBar()->showMessage(tr("%1 cancelled").arg(file), 5000);
        if (now->state == JobState::Done || now->state == JobState::Failed) notifyFinished(*now);
        updateDeviceBadge();
        updateJobCounts();
    }
}

void MainWindow::updateThroughput() {
    double total = 0.0;
    QString unit;
    bool mediaSeconds = true;
    for (auto it = m_rates.cbegin(); it != m_rates.cend(); ++it) {
        total += it.value().perSecond;
        mediaSeconds = mediaSeconds && it.value().mediaSeconds;
        if (unit.isEmpty())
            unit = it.value().unit;
        else if (unit != it.value().unit)
            unit = tr("work units");
    }
    m_charts->setThroughput(total, unit, !m_rates.isEmpty() && mediaSeconds);
}

void MainWindow::updateJobCounts() {
    int queued = 0, running = 0, done = 0, failed = 0, localUnfinished = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const JobSnapshot& job = m_model->jobAt(row);
        if (!ClusterController::isClusterRow(job.id) && !engine::isFinished(job.state)) ++localUnfinished;
        switch (job.state) {
            case JobState::Queued:
                ++queued;
                break;
            case JobState::Preparing:
            case JobState::Running:
                ++running;
                break;
            case JobState::Done:
                ++done;
                break;
            case JobState::Failed:
                ++failed;
                break;
            case JobState::Cancelled:
                break;
        }
    }
    m_jobCounts->setText(
        m_model->rowCount() == 0
            ? tr("No jobs")
            : tr("%1 running · %2 queued · %3 done · %4 failed").arg(running).arg(queued).arg(done).arg(failed));
    // Cancel All stops this machine's jobs; submissions run on the cluster until cancelled one by one.
    m_cancelAll->setEnabled(localUnfinished > 0);
    updateSelectionActions();
}

void MainWindow::updateSelectionActions() {
    const JobId id = m_view->currentJobId();
    const JobSnapshot* job = m_model->job(id);
    const bool cluster = ClusterController::isClusterRow(id);
    m_cancelSelected->setEnabled(job && !engine::isFinished(job->state) && !(cluster && m_cluster->isBusy(id)));
    m_openResults->setEnabled(job && job->state == JobState::Done && !job->resultFiles.empty());
    m_resubmitFailed->setEnabled(cluster && m_cluster->canResubmit(id));
}

void MainWindow::updateClusterAction() {
    if (cluster::slurmAvailable()) {
        m_runOnCluster->setEnabled(true);
        const QString tip = tr("Split files into parts that run as a Slurm job array, merged when all are done");
        m_runOnCluster->setToolTip(tip);
        m_runOnCluster->setStatusTip(tip);
    } else {
        m_runOnCluster->setEnabled(false);
        const QString tip =
            tr("sbatch was not found on PATH: Benchtop submits with this machine's Slurm only. On "
               "the cluster's login node, use benchtop-cli slurm submit.");
        m_runOnCluster->setToolTip(tip);
        m_runOnCluster->setStatusTip(tip);
    }
}

ClusterDialog* MainWindow::runOnCluster(const QStringList& inputs) {
    QStringList paths = inputs;
    if (paths.isEmpty()) {
        const JobId id = m_view->currentJobId();
        const JobSnapshot* job = ClusterController::isClusterRow(id) ? nullptr : m_model->job(id);
        if (job)
            for (const std::string& input : job->spec.inputs) paths << QString::fromStdString(input);
        else
            paths = m_lastPaths;
    }
    auto* dialog = new ClusterDialog(m_settings, m_engine.registry(), effectiveRequest(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setInputs(paths);
    connect(dialog, &QDialog::accepted, this, [this, dialog]() {
        ClusterController::Origin origin;
        try {
            origin = dialog->origin();
        } catch (const std::exception&) {
            return;  // accept() prepared the same request a moment ago
        }
        const std::optional<cluster::Submission> prepared = dialog->takeSubmission();
        if (!prepared) return;
        const JobId id = m_cluster->submit(*prepared, origin);
        if (m_model->rowOf(id) >= 0) m_view->selectRow(m_model->rowOf(id));
        statusBar()->showMessage(tr("Submitting to Slurm…"), 5000);
    });
    dialog->open();
    return dialog;
}

void MainWindow::resubmitFailed(JobId id) {
    if (m_cluster->resubmitFailed(id)) statusBar()->showMessage(tr("Resubmitting the failed parts…"), 5000);
}

void MainWindow::onClusterRowChanged(JobId id) {
    const JobSnapshot* row = m_cluster->row(id);
    if (!row) return;
    const JobSnapshot* before = m_model->job(id);
    const bool known = before != nullptr;
    const JobState previous = known ? before->state : row->state;
    m_model->upsertRow(*row, m_cluster->rowTexts(id));
    if (!known) {
        m_dropZone->setCompact(true);
        m_splitter->show();
    }
    const JobSnapshot* now = m_model->job(id);
    if (m_results->shownJob() == id || (m_results->shownJob() == 0 && m_view->currentJobId() == id))
        m_results->showJob(*now);
    if (known && now->state != previous) {
        const JobListModel::RowTexts texts = m_cluster->rowTexts(id);
        if (now->state == JobState::Done)
            statusBar()->showMessage(texts.file + QStringLiteral(" · ") + texts.result, 10000);
        else if (now->state == JobState::Failed)
            statusBar()->showMessage(texts.file, 15000);
    }
    updateJobCounts();
}

void MainWindow::restoreClusterSubmissions() {
    for (const QVariantMap& entry : m_settings.clusterSubmissions()) {
        try {
            m_cluster->follow(cluster::readSubmission(entry.value(QStringLiteral("dir")).toString().toStdString()),
                              ClusterController::originFrom(entry));
        } catch (const std::exception&) {
            // The folder is gone (deleted, or on storage that is not mounted now): nothing left to follow.
        }
    }
    m_settings.setClusterSubmissions(m_cluster->toSettings());
}

void MainWindow::clearFinishedJobs() {
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const JobSnapshot& job = m_model->jobAt(row);
        if (ClusterController::isClusterRow(job.id) && engine::isFinished(job.state) && !m_cluster->isBusy(job.id))
            m_cluster->forget(job.id);
    }
    m_model->clearFinished();
    m_results->clear();
    updateJobCounts();
}

QString MainWindow::fileDialogFilter() const {
    QStringList filters;
    QStringList all;
    for (const engine::TaskKind& kind : m_engine.registry().kinds()) {
        QStringList patterns;
        for (const std::string& ext : kind.extensions) patterns << QStringLiteral("*") + QString::fromStdString(ext);
        if (patterns.isEmpty()) continue;
        all << patterns;
        filters << QStringLiteral("%1 (%2)").arg(workloadText(kind.name), patterns.join(QLatin1Char(' ')));
    }
    if (!all.isEmpty()) filters.prepend(tr("Supported files (%1)").arg(all.join(QLatin1Char(' '))));
    filters << tr("All files (*)");
    return filters.join(QStringLiteral(";;"));
}

void MainWindow::openFiles() {
    const QStringList files =
        QFileDialog::getOpenFileNames(this, tr("Open Files"), m_settings.lastOpenFolder(), fileDialogFilter());
    if (files.isEmpty()) return;
    m_settings.setLastOpenFolder(QFileInfo(files.front()).absolutePath());
    addPaths(files);
}

void MainWindow::openFolder() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Folder"), m_settings.lastOpenFolder());
    if (folder.isEmpty()) return;
    m_settings.setLastOpenFolder(folder);
    addPaths({folder});
}

void MainWindow::showSettings() {
    SettingsDialog dialog(m_settings, {}, &m_engine.registry(), this);
    if (dialog.exec() == QDialog::Accepted) {
        applySettings();
        statusBar()->showMessage(tr("Settings saved; new jobs use %1.").arg(m_badge->label()), 5000);
    }
}

bool MainWindow::focusResultsSearch() {
    ResultView* view = m_splitter->isHidden() ? nullptr : m_results->currentView();
    QLineEdit* field = view ? view->searchField() : nullptr;
    if (!field || !field->isEnabled()) {
        statusBar()->showMessage(tr("Nothing to search: select a job whose results can be searched."), 4000);
        return false;
    }
    field->setFocus(Qt::ShortcutFocusReason);
    field->selectAll();
    return true;
}

void MainWindow::showAbout() {
    showAboutDialog(this);
}

void MainWindow::cancelJob(JobId id) {
    if (id == 0) return;
    if (ClusterController::isClusterRow(id)) {
        if (!m_cluster->cancel(id))
            statusBar()->showMessage(tr("Not now: the submission is being submitted, cancelled or resubmitted."), 5000);
        return;
    }
    if (m_engine.cancel(id)) statusBar()->showMessage(tr("Cancelling…"), 3000);
}

void MainWindow::cancelAll() {
    m_engine.cancelAll();
    statusBar()->showMessage(tr("Cancelling all jobs…"), 3000);
}

QString MainWindow::resultsFolder(JobId id) const {
    const JobSnapshot* job = m_model->job(id);
    if (!job) return QString();
    if (ClusterController::isClusterRow(id)) return m_cluster->resultsFolder(id);
    QString folder = QString::fromStdString(job->resultDir.empty() ? job->spec.outputDir : job->resultDir);
    if (!job->resultFiles.empty()) folder = QFileInfo(QString::fromStdString(job->resultFiles.front())).absolutePath();
    return folder;
}

void MainWindow::openResults(JobId id) {
    if (!m_model->job(id)) return;
    const QString folder = resultsFolder(id);
    if (folder.isEmpty() || !QFileInfo(folder).isDir()) {
        statusBar()->showMessage(tr("The results folder %1 does not exist.").arg(folder), 8000);
        return;
    }
    QDesktopServices::openUrl(QUrl::fromLocalFile(folder));
}

void MainWindow::openResultsDialog() {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Results"), m_settings.lastOpenFolder());
    if (folder.isEmpty()) return;
    m_settings.setLastOpenFolder(QFileInfo(folder).absolutePath());
    QString error;
    if (!openResultsFolder(folder, &error)) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Open Results"), error, QMessageBox::Ok, this);
        box->setObjectName(QStringLiteral("openResultsError"));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

std::optional<JobSnapshot> MainWindow::snapshotFromFolder(const QString& folder, QString* error) const {
    const QString dir = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    const auto fail = [error](const QString& why) {
        if (error) *error = why;
        return std::nullopt;
    };
    if (!QFileInfo(dir).isDir()) return fail(tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(dir)));
    QFile markerFile(dir + QLatin1Char('/') + QLatin1String(engine::kJobMarkerName));
    if (!markerFile.open(QIODevice::ReadOnly))
        return fail(tr("%1 is not a Benchtop results folder: it has no %2. Choose the folder of one job, e.g. "
                       "benchtop-results/<input name>.")
                        .arg(QDir::toNativeSeparators(dir), QLatin1String(engine::kJobMarkerName)));
    QJsonParseError parseError;
    const QJsonObject marker = QJsonDocument::fromJson(markerFile.readAll(), &parseError).object();
    const QString task = marker.value(QStringLiteral("task")).toString();
    if (parseError.error != QJsonParseError::NoError || task.isEmpty())
        return fail(
            tr("%1 in %2 cannot be read: %3")
                .arg(QLatin1String(engine::kJobMarkerName), QDir::toNativeSeparators(dir),
                     parseError.error != QJsonParseError::NoError ? parseError.errorString() : tr("it names no task")));
    JobSnapshot row;
    row.task = task.toStdString();
    if (const engine::TaskKind* kind = m_engine.registry().find(row.task)) row.taskName = kind->name;
    for (const QJsonValue& input : marker.value(QStringLiteral("inputs")).toArray())
        row.spec.inputs.push_back(input.toString().toStdString());
    if (row.spec.inputs.empty()) row.spec.inputs.push_back(dir.toStdString());
    row.spec.task = row.task;
    row.spec.outputDir = QFileInfo(dir).absolutePath().toStdString();
    row.resultDir = dir.toStdString();
    // The job's files as it left them (hidden files and unfinished .part files are not results).
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        if (!file.endsWith(QLatin1String(".part")) && !QFileInfo(file).fileName().startsWith(QLatin1Char('.')))
            files << file;
    }
    files.sort();
    for (const QString& file : files) row.resultFiles.push_back(file.toStdString());
    row.state = JobState::Done;
    row.progress.done = row.progress.total = 1;
    row.summary = tr("Earlier results, opened from disk").toStdString();
    return row;
}

void MainWindow::showHistoryRow(const JobSnapshot& row, bool select) {
    m_model->upsert(row);
    m_dropZone->setCompact(true);
    m_splitter->show();
    if (select) {
        m_view->selectRow(m_model->rowOf(row.id));
        m_results->showJob(*m_model->job(row.id));
    }
    updateJobCounts();
}

JobId MainWindow::openResultsFolder(const QString& folder, QString* error) {
    std::optional<JobSnapshot> row = snapshotFromFolder(folder, error);
    if (!row) return 0;
    // Already shown (opened before, or this session's own job): select that row.
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const JobSnapshot& job = m_model->jobAt(r);
        if (!job.resultDir.empty() &&
            QDir::cleanPath(QString::fromStdString(job.resultDir)) == QString::fromStdString(row->resultDir)) {
            m_view->selectRow(r);
            m_results->showJob(job);
            return job.id;
        }
    }
    row->id = m_nextHistoryId++;
    showHistoryRow(*row, true);
    m_settings.addRecent(QStringLiteral("results"), {QString::fromStdString(row->resultDir)});
    statusBar()->showMessage(
        tr("Opened the results in %1").arg(QDir::toNativeSeparators(QString::fromStdString(row->resultDir))), 8000);
    return row->id;
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QList<QVariantMap> entries = m_settings.recentEntries();
    for (const QVariantMap& entry : entries) {
        const QStringList paths = entry.value(QStringLiteral("paths")).toStringList();
        const bool results = entry.value(QStringLiteral("kind")).toString() == QLatin1String("results");
        QString text = QFileInfo(paths.front()).fileName();
        if (text.isEmpty()) text = paths.front();
        if (paths.size() > 1) text = tr("%1 and %n more", nullptr, int(paths.size() - 1)).arg(text);
        if (results) text = tr("Results: %1").arg(text);
        QAction* action = m_recentMenu->addAction(text);
        action->setToolTip(QDir::toNativeSeparators(paths.join(QLatin1Char('\n'))));
        action->setStatusTip(results ? tr("Show these results again") : tr("Run these files again"));
        connect(action, &QAction::triggered, this, [this, entry]() { openRecent(entry); });
    }
    if (entries.isEmpty()) {
        m_recentMenu->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    m_recentMenu->addSeparator();
    connect(m_recentMenu->addAction(tr("&Clear Menu")), &QAction::triggered, this,
            [this]() { m_settings.clearRecent(); });
}

void MainWindow::openRecent(const QVariantMap& entry) {
    const QStringList paths = entry.value(QStringLiteral("paths")).toStringList();
    QStringList present;
    for (const QString& path : paths)
        if (QFileInfo::exists(path)) present << path;
    if (present.isEmpty()) {
        statusBar()->showMessage(tr("%1 is no longer there.").arg(QDir::toNativeSeparators(paths.value(0))), 8000);
        return;
    }
    if (entry.value(QStringLiteral("kind")).toString() == QLatin1String("results")) {
        QString error;
        if (!openResultsFolder(present.front(), &error)) statusBar()->showMessage(error, 10000);
    } else {
        addPaths(present);
    }
}

void MainWindow::saveJobList() {
    if (!m_settings.keepJobList()) return;
    QList<QVariantMap> jobs;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const JobSnapshot& job = m_model->jobAt(row);
        // Submissions are followed again on their own (restoreClusterSubmissions); unfinished work is cancelled.
        if (ClusterController::isClusterRow(job.id)) continue;
        if (job.state != JobState::Done && job.state != JobState::Failed) continue;
        QStringList inputs;
        for (const std::string& input : job.spec.inputs) inputs << QString::fromStdString(input);
        jobs << QVariantMap{
            {QStringLiteral("task"), QString::fromStdString(job.task)},
            {QStringLiteral("inputs"), inputs},
            {QStringLiteral("resultDir"), QString::fromStdString(job.resultDir)},
            {QStringLiteral("state"), job.state == JobState::Done ? QStringLiteral("done") : QStringLiteral("failed")},
            {QStringLiteral("summary"), QString::fromStdString(job.summary)},
            {QStringLiteral("error"), QString::fromStdString(job.error)},
            {QStringLiteral("device"), QString::fromStdString(job.deviceLabel)},
            {QStringLiteral("model"), QString::fromStdString(job.spec.model)},
            {QStringLiteral("seconds"), job.progress.elapsedSeconds}};
    }
    m_settings.setSavedJobs(jobs);
}

void MainWindow::restoreSavedJobs() {
    if (!m_settings.keepJobList()) return;
    for (const QVariantMap& saved : m_settings.savedJobs()) {
        std::optional<JobSnapshot> row;
        if (saved.value(QStringLiteral("state")).toString() == QLatin1String("done")) {
            // Read again from disk: results removed since are not shown.
            row = snapshotFromFolder(saved.value(QStringLiteral("resultDir")).toString(), nullptr);
            if (!row) continue;
            const QString summary = saved.value(QStringLiteral("summary")).toString();
            if (!summary.isEmpty()) row->summary = summary.toStdString();
        } else {
            row.emplace();
            row->state = JobState::Failed;
            row->task = row->spec.task = saved.value(QStringLiteral("task")).toString().toStdString();
            if (const engine::TaskKind* kind = m_engine.registry().find(row->task)) row->taskName = kind->name;
            for (const QString& input : saved.value(QStringLiteral("inputs")).toStringList())
                row->spec.inputs.push_back(input.toStdString());
            row->error = saved.value(QStringLiteral("error")).toString().toStdString();
        }
        row->deviceLabel = saved.value(QStringLiteral("device")).toString().toStdString();
        row->spec.model = saved.value(QStringLiteral("model")).toString().toStdString();
        row->progress.elapsedSeconds = saved.value(QStringLiteral("seconds")).toDouble();
        row->metrics.wallSeconds = row->progress.elapsedSeconds;
        row->id = m_nextHistoryId++;
        showHistoryRow(*row, false);
    }
}

void MainWindow::notifyFinished(const JobSnapshot& job) {
    if (!m_settings.notifyWhenDone() || ClusterController::isClusterRow(job.id) || isHistoryRow(job.id)) return;
    const double seconds = std::max(job.progress.elapsedSeconds, job.metrics.wallSeconds);
    if (seconds < m_notifyAfterSeconds) return;
    const bool failed = job.state == JobState::Failed;
    const QString file = fileNameOf(job);
    const QString title = failed ? tr("%1 failed").arg(file) : tr("%1 is done").arg(file);
    const QString message =
        failed ? QString::fromStdString(job.error)
        : job.summary.empty()
            ? tr("Finished in %1.").arg(JobListModel::formatDuration(seconds))
            : tr("%1 (in %2)").arg(QString::fromStdString(job.summary), JobListModel::formatDuration(seconds));
    if (m_notify) {
        m_notify(title, message, failed);
        return;
    }
    if (QSystemTrayIcon::isSystemTrayAvailable() && QSystemTrayIcon::supportsMessages()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(windowIcon().isNull() ? QApplication::windowIcon() : windowIcon(), this);
            m_tray->setToolTip(tr("Benchtop"));
            connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this]() {
                showNormal();
                raise();
                activateWindow();
            });
        }
        m_tray->show();
        m_tray->showMessage(title, message, failed ? QSystemTrayIcon::Warning : QSystemTrayIcon::Information, 8000);
    } else {
        // No tray (some Linux desktops): the taskbar entry asks for attention instead.
        QApplication::alert(this);
    }
}

void MainWindow::bringToFront() {
    if (isMinimized()) setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    show();
    raise();
    activateWindow();
    if (!isActiveWindow()) QApplication::alert(this);
}

int MainWindow::unfinishedJobs() const {
    int unfinished = 0;
    // Submissions go on running on the cluster whatever the window does: not counted.
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (!engine::isFinished(m_model->jobAt(row).state) && !ClusterController::isClusterRow(m_model->jobAt(row).id))
            ++unfinished;
    return unfinished;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (const int unfinished = unfinishedJobs(); unfinished > 0) {
        bool quit = false;
        if (m_confirmQuit) {
            quit = m_confirmQuit(unfinished);
        } else {
            QMessageBox box(QMessageBox::Question, tr("Quit Benchtop"),
                            tr("%n job(s) still queued or running.", nullptr, unfinished), QMessageBox::NoButton, this);
            box.setInformativeText(tr("Quitting cancels them; their unfinished results are removed."));
            QPushButton* cancelAndQuit = box.addButton(tr("Cancel jobs and quit"), QMessageBox::DestructiveRole);
            QPushButton* keep = box.addButton(tr("Keep running"), QMessageBox::RejectRole);
            box.setDefaultButton(keep);
            box.exec();
            quit = box.clickedButton() == cancelAndQuit;
        }
        if (!quit) {
            event->ignore();
            statusBar()->showMessage(tr("The jobs keep running."), 5000);
            return;
        }
    }
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setWindowState(saveState());
    saveJobList();
    m_settings.sync();
    // Cancel and wait: every job removes its unfinished files before the window goes; the server answers what
    // it holds and closes.
    m_engine.cancelAll();
    m_server->stopAndWait();
    m_engine.waitAll();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (!DropZone::localPaths(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
    if (!DropZone::localPaths(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList paths = DropZone::localPaths(event->mimeData());
    if (paths.isEmpty()) return;
    event->acceptProposedAction();
    addPaths(paths);
}

}  // namespace benchtop::ui
