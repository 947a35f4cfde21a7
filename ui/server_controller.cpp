#include "ui/server_controller.h"

#include <QFileInfo>

#include <utility>

#include "core/common/error.h"
#include "core/serve/server.h"
#include "ui/settings.h"

namespace benchtop::ui {

ServerController::ServerController(engine::Engine& engine, QObject* parent) : QObject(parent), m_engine(engine) {
    connect(&m_job, &BackgroundJob::finished, this, [this](const QString& error) {
        if (m_state == State::Starting) {
            if (!error.isEmpty() || !m_server || !m_server->running()) {
                m_server.reset();
                setState(State::Stopped);
                Q_EMIT failed(error.isEmpty() ? tr("The server stopped while it started.") : error);
                return;
            }
            // Read once here, on the GUI thread: the model list only changes while the server starts or stops.
            m_url = QString::fromStdString(m_server->url());
            m_models.clear();
            for (const auto& [id, kind] : m_server->modelIds())
                m_models << QStringLiteral("%1 (%2)").arg(QString::fromStdString(id), QString::fromStdString(kind));
            m_deviceLabel = QString::fromStdString(m_server->deviceChoice().label());
            setState(State::Running);
        } else if (m_state == State::Stopping) {
            m_url.clear();
            setState(State::Stopped);
        }
    });
}

ServerController::~ServerController() {
    // The parent may be half destroyed by now: nothing is emitted from here on.
    blockSignals(true);
    stopAndWait();
}

QString ServerController::addressError(const QString& host, const QString& apiKeyFile) {
    if (host.trimmed().isEmpty()) return tr("The server address is empty; use 127.0.0.1 to serve this machine only.");
    if (!serve::isLoopbackHost(host.trimmed().toStdString()) && apiKeyFile.trimmed().isEmpty())
        return tr("Serving on %1 reaches beyond this machine, so it needs an API key: choose an API key file in "
                  "Settings › Server (or use the address 127.0.0.1).")
            .arg(host.trimmed());
    return QString();
}

serve::ServeOptions ServerController::optionsFrom(const Settings& settings, const device::DeviceRequest& device) {
    serve::ServeOptions options;
    options.host = settings.serverHost().toStdString();
    options.port = settings.serverPort();
    const QString keyFile = settings.serverApiKeyFile();
    if (const QString error = addressError(settings.serverHost(), keyFile); !error.isEmpty())
        throw Error("API key file", error.toStdString());
    if (!keyFile.isEmpty()) {
        if (!QFileInfo(keyFile).isFile())
            throw Error("API key file", tr("%1 does not exist.").arg(keyFile).toStdString());
        options.apiKey = serve::readApiKeyFile(keyFile.toStdString());
    }
    for (const char* kind : {"text", "speech"}) {
        const QString model = settings.serverModel(QString::fromLatin1(kind));
        if (!model.isEmpty()) options.models.push_back(serve::ModelSpec{kind, model.toStdString()});
    }
    if (options.models.empty())
        throw Error("Settings › Server",
                    tr("no model to serve: choose a text model or a speech model for the server.").toStdString());
    options.maxQueue = std::size_t(settings.serverMaxQueue());
    options.crossRequestBatching = settings.serverCrossBatching();
    options.device = device;
    return options;
}

bool ServerController::start(const serve::ServeOptions& options) {
    if (m_state != State::Stopped) return false;
    auto server = std::make_shared<serve::Server>(m_engine, options);
    m_server = server;
    m_url.clear();
    m_models.clear();
    m_deviceLabel.clear();
    setState(State::Starting);
    m_job.start([server](const JobControl& control) {
        server->start();
        // The window went (or the start was called off) while the models loaded: do not keep serving.
        if (control.isCancelled()) server->stop();
    });
    return true;
}

bool ServerController::stop() {
    if (m_state != State::Running) return false;
    setState(State::Stopping);
    m_job.start([server = m_server](const JobControl&) { server->stop(); });
    return true;
}

void ServerController::stopAndWait() {
    if (m_state == State::Starting || m_state == State::Stopping) m_job.waitForDone(-1);
    if (m_server) m_server->stop();
    m_server.reset();
    m_url.clear();
    m_job.cancel();
    if (m_state != State::Stopped) setState(State::Stopped);
}

std::size_t ServerController::queueDepth() const {
    return m_state == State::Running || m_state == State::Stopping ? m_server->queueDepth() : 0;
}

serve::ServeCounters ServerController::counters() const {
    return m_server && m_state != State::Starting ? m_server->counters() : serve::ServeCounters{};
}

void ServerController::setState(State state) {
    m_state = state;
    Q_EMIT stateChanged(state);
}

}  // namespace benchtop::ui
