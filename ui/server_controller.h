#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <memory>

#include "core/device/device.h"
#include "core/serve/serve_metrics.h"
#include "ui/background_job.h"

namespace benchtop::engine {
class Engine;
}
namespace benchtop::serve {
class Server;
struct ServeOptions;
}  // namespace benchtop::serve

namespace benchtop::ui {

class Settings;

/// The window's local inference server (serve::Server, the twin of `benchtop-cli serve`) on the window's engine.
/// Starting loads the models and stopping waits for the requests in flight, so both run as a BackgroundJob and
/// report back with stateChanged() / failed(); the GUI thread never waits on them, except the destructor.
class ServerController : public QObject {
    Q_OBJECT
public:
    enum class State { Stopped, Starting, Running, Stopping };

    /// `engine` runs the served models and must outlive the controller.
    explicit ServerController(engine::Engine& engine, QObject* parent = nullptr);
    /// Stops the server, waiting for a start in progress and for the requests in flight: the server borrows the
    /// engine, which is only promised to outlive this object.
    ~ServerController() override;

    /// Why `host` with `apiKeyFile` cannot be served, naming the setting to change; empty when it can.
    static QString addressError(const QString& host, const QString& apiKeyFile);
    /// The server options that `settings` describe, running on `device` (the window's effective request).
    /// Throws benchtop::Error naming the setting when they cannot be served (no model, a missing API key file).
    static serve::ServeOptions optionsFrom(const Settings& settings, const device::DeviceRequest& device);

    /// Starts a server with `options` off the GUI thread; false (nothing started) unless stopped.
    bool start(const serve::ServeOptions& options);
    /// Stops the running server off the GUI thread; false unless running.
    bool stop();
    /// Stops the server (waiting for it), or waits for a start in progress and then stops it.
    void stopAndWait();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }

    /// The running server's address ("http://127.0.0.1:8080"); empty unless running.
    QString url() const { return m_url; }
    /// "id (text)" per served model, read when the server started.
    QStringList modelDescriptions() const { return m_models; }
    /// The device and precision the served models run in.
    QString deviceLabel() const { return m_deviceLabel; }
    /// Requests admitted and not yet answered (0 unless running).
    std::size_t queueDepth() const;
    /// What the server did since it started (zeros before the first start).
    serve::ServeCounters counters() const;

Q_SIGNALS:
    void stateChanged(benchtop::ui::ServerController::State state);
    /// A start failed; `message` says why (the server is stopped again).
    void failed(const QString& message);

private:
    void setState(State state);

    engine::Engine& m_engine;
    std::shared_ptr<serve::Server> m_server;
    BackgroundJob m_job;
    State m_state = State::Stopped;
    QString m_url;
    QStringList m_models;
    QString m_deviceLabel;
};

}  // namespace benchtop::ui
