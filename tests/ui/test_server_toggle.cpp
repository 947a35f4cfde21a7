// Server › Local Server in the real main window, offscreen: start the server on the window's engine, ask it for
// an embedding over HTTP, read the status bar and the charts, stop it; refusals and failures leave the app usable.
#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMessageBox>
#include <QSpinBox>
#include <QTabWidget>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "core/engine/engine.h"
#include "core/workloads/builtin_workloads.h"
#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/charts_dock.h"
#include "ui/main_window.h"
#include "ui/server_controller.h"
#include "ui/settings.h"
#include "ui/settings_dialog.h"

using benchtop::engine::Engine;
using benchtop::test::sharedPath;
using benchtop::test::uiApp;
using benchtop::test::waitUntil;
using benchtop::ui::ChartsDock;
using benchtop::ui::MainWindow;
using benchtop::ui::ServerController;
using benchtop::ui::Settings;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr int kStartTimeoutMs = 60000;

/// Server settings for the tiny text model, on the CPU in fp32, on any free loopback port.
void useTinyTextServer(Settings& settings) {
    settings.setDevice(QStringLiteral("cpu"));
    settings.setPrecision(QStringLiteral("fp32"));
    settings.setServerHost(QStringLiteral("127.0.0.1"));
    settings.setServerPort(0);
    settings.setServerModel(QStringLiteral("text"), QString::fromStdString(sharedPath("models/tiny-bert-mean")));
    settings.setServerModel(QStringLiteral("speech"), QString());
    settings.sync();
}

std::size_t hiddenSizeOf(const std::string& modelDir) {
    return nlohmann::json::parse(benchtop::test::readFile(modelDir + "/config.json"))
        .at("hidden_size")
        .get<std::size_t>();
}

/// The informative text of the window's server error box, closing the box; empty when none is shown.
QString takeServerError(MainWindow& window) {
    auto* box = window.findChild<QMessageBox*>(QStringLiteral("serverError"));
    if (!box) return QString();
    const QString text = box->informativeText();
    box->close();
    return text;
}

}  // namespace

TEST_CASE("the Local Server toggle serves embeddings from the window's engine, shows its status and stops",
          "[ui][server]") {
    uiApp();
    benchtop::test::resetSettings();
    {
        Settings settings;
        useTinyTextServer(settings);
    }
    Engine engine(benchtop::workloads::builtinTasks());
    MainWindow window(engine);
    window.show();
    QAction* toggle = window.serverAction();
    REQUIRE(toggle);
    REQUIRE(toggle->isCheckable());
    CHECK_FALSE(toggle->isChecked());
    CHECK(window.serverStatusLabel()->isHidden());

    toggle->trigger();
    // The GUI thread is not blocked: the window shows that the server is starting while the model loads.
    CHECK(toggle->isChecked());
    CHECK(window.serverStatusLabel()->text() == "Server: starting…");
    REQUIRE(waitUntil([&] { return window.serverController()->state() != ServerController::State::Starting; },
                      kStartTimeoutMs));
    INFO("server error: " << takeServerError(window).toStdString());
    REQUIRE(window.serverController()->isRunning());
    CHECK(toggle->isChecked());

    const QString url = window.serverController()->url();
    REQUIRE(url.startsWith("http://127.0.0.1:"));
    const int port = url.section(QLatin1Char(':'), -1).toInt();
    REQUIRE(port > 0);
    CHECK(port != 8080);  // port 0 in the settings: a free port was chosen
    CHECK(window.serverController()->modelDescriptions().size() == 1);
    CHECK_THAT(window.serverController()->modelDescriptions().value(0).toStdString(), ContainsSubstring("(text)"));

    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60, 0);
    const httplib::Result res = client.Post("/v1/embeddings", R"({"input":["hello"]})", "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    const nlohmann::json body = nlohmann::json::parse(res->body);
    REQUIRE(body.at("data").size() == 1);
    const nlohmann::json& embedding = body.at("data").at(0).at("embedding");
    CHECK(embedding.size() == hiddenSizeOf(sharedPath("models/tiny-bert-mean")));
    // tiny-bert-mean ends in a Normalize module: a unit vector (fp32 rounding only).
    double squares = 0.0;
    for (const auto& value : embedding) squares += value.get<double>() * value.get<double>();
    CHECK(std::abs(std::sqrt(squares) - 1.0) < 1e-4);

    // The status label and the charts follow within a poll or two.
    QLabel* status = window.serverStatusLabel();
    REQUIRE(waitUntil([&] { return status->text().contains("1 request"); }, 5000));
    CHECK(status->isVisible());
    CHECK(status->text() == QStringLiteral("Server: %1 · 0 in flight · 1 request").arg(url));
    CHECK_THAT(status->toolTip().toStdString(), ContainsSubstring("tiny-bert-mean (text)"));
    QLineSeries* answered = window.chartsDock()->series(ChartsDock::Metric::ServerRequestsPerSecond);
    QLineSeries* inFlight = window.chartsDock()->series(ChartsDock::Metric::ServerInFlight);
    REQUIRE(waitUntil([&] { return answered->count() > 0 && inFlight->count() > 0; }, 5000));
    CHECK(answered->isVisible());

    toggle->trigger();
    CHECK_FALSE(toggle->isChecked());
    REQUIRE(waitUntil([&] { return window.serverController()->state() == ServerController::State::Stopped; },
                      kStartTimeoutMs));
    CHECK(window.serverStatusLabel()->isHidden());
    CHECK(toggle->isEnabled());
    httplib::Client after("127.0.0.1", port);
    after.set_connection_timeout(2, 0);
    const httplib::Result refused = after.Post("/v1/embeddings", R"({"input":["hello"]})", "application/json");
    CHECK_FALSE(refused);
    CHECK(refused.error() == httplib::Error::Connection);
    // No points are added while the server is off: the chart shows a gap, not zeros.
    const int points = answered->count();
    waitUntil([] { return false; }, 700);
    CHECK(answered->count() <= points);
}

TEST_CASE("the Local Server toggle refuses a non-loopback address without an API key file and the app goes on",
          "[ui][server]") {
    uiApp();
    benchtop::test::resetSettings();
    Engine engine(benchtop::workloads::builtinTasks());
    MainWindow window(engine);
    useTinyTextServer(window.settings());
    window.settings().setServerHost(QStringLiteral("0.0.0.0"));

    window.serverAction()->trigger();
    CHECK_FALSE(window.serverAction()->isChecked());
    CHECK(window.serverController()->state() == ServerController::State::Stopped);
    const QString error = takeServerError(window);
    CHECK_THAT(error.toStdString(), ContainsSubstring("API key file"));
    CHECK_THAT(error.toStdString(), ContainsSubstring("0.0.0.0"));

    // A model that cannot load: the start fails off the GUI thread, the toggle unchecks, the reason is shown.
    window.settings().setServerHost(QStringLiteral("127.0.0.1"));
    window.settings().setServerModel(QStringLiteral("text"), QStringLiteral("/nonexistent/benchtop-model"));
    window.serverAction()->trigger();
    REQUIRE(waitUntil([&] { return window.serverController()->state() == ServerController::State::Stopped; },
                      kStartTimeoutMs));
    CHECK_FALSE(window.serverAction()->isChecked());
    CHECK_THAT(takeServerError(window).toStdString(), ContainsSubstring("/nonexistent/benchtop-model"));

    // Still usable: with a loadable model the same toggle starts and stops the server.
    useTinyTextServer(window.settings());
    window.serverAction()->trigger();
    REQUIRE(waitUntil([&] { return window.serverController()->state() != ServerController::State::Starting; },
                      kStartTimeoutMs));
    INFO("server error: " << takeServerError(window).toStdString());
    REQUIRE(window.serverController()->isRunning());
    window.serverAction()->trigger();
    REQUIRE(waitUntil([&] { return window.serverController()->state() == ServerController::State::Stopped; },
                      kStartTimeoutMs));
}

TEST_CASE("Settings › Server stores the server settings and refuses a public address without an API key file",
          "[ui][server][settings]") {
    uiApp();
    benchtop::test::resetSettings();
    Settings settings;
    CHECK(settings.serverHost() == "127.0.0.1");
    CHECK(settings.serverPort() == 8080);
    CHECK(settings.serverApiKeyFile().isEmpty());
    CHECK(settings.serverMaxQueue() == 64);
    CHECK(settings.serverCrossBatching());
    CHECK(settings.serverModel("text").isEmpty());
    // Until set, the server serves the model that new jobs of the task use.
    settings.setModelFor("text", "BAAI/bge-small-en-v1.5");
    CHECK(settings.serverModel("text") == "BAAI/bge-small-en-v1.5");

    benchtop::ui::SettingsDialog dialog(settings);
    REQUIRE(dialog.serverPage());
    CHECK(dialog.tabs()->indexOf(dialog.serverPage()) >= 0);
    CHECK(dialog.serverModelEdit("text")->text() == "BAAI/bge-small-en-v1.5");
    CHECK(dialog.serverModelEdit("speech")->text().isEmpty());
    dialog.serverHostEdit()->setText("0.0.0.0");
    dialog.serverPortSpin()->setValue(9000);
    QString error;
    CHECK_FALSE(dialog.apply(&error));
    CHECK_THAT(error.toStdString(), ContainsSubstring("API key file"));
    CHECK(settings.serverHost() == "127.0.0.1");  // nothing written
    CHECK(settings.serverPort() == 8080);

    dialog.serverApiKeyEdit()->setText("/etc/benchtop/key.txt");
    dialog.serverMaxQueueSpin()->setValue(8);
    REQUIRE(dialog.apply(&error));
    CHECK(settings.serverHost() == "0.0.0.0");
    CHECK(settings.serverPort() == 9000);
    CHECK(settings.serverApiKeyFile() == "/etc/benchtop/key.txt");
    CHECK(settings.serverMaxQueue() == 8);
    // Untouched, the model keeps following the jobs' model.
    settings.setModelFor("text", "BAAI/bge-base-en-v1.5");
    CHECK(settings.serverModel("text") == "BAAI/bge-base-en-v1.5");
    // Emptied on purpose: not served, whatever the jobs use.
    dialog.serverModelEdit("text")->setText(QString());
    REQUIRE(dialog.apply(&error));
    CHECK(settings.serverModel("text").isEmpty());
}

// Not run by default: `test_server_toggle "[.screenshot]"` with BENCHTOP_SCREENSHOTS=DIR saves the window with the
// server running after a few requests (docs/screenshots/server.png) and Settings › Server (settings-server.png).
TEST_CASE("screenshot of the window with the local server running", "[.screenshot]") {
    const char* dir = std::getenv("BENCHTOP_SCREENSHOTS");
    if (!dir) SKIP("BENCHTOP_SCREENSHOTS is not set");
    uiApp();
    benchtop::test::resetSettings();
    {
        Settings settings;
        useTinyTextServer(settings);
        settings.setServerPort(8080);
    }
    Engine engine(benchtop::workloads::builtinTasks());
    MainWindow window(engine);
    window.resize(1280, 800);
    window.show();
    window.serverAction()->trigger();
    REQUIRE(waitUntil([&] { return window.serverController()->state() != ServerController::State::Starting; },
                      kStartTimeoutMs));
    INFO("server error: " << takeServerError(window).toStdString());
    REQUIRE(window.serverController()->isRunning());
    // Ten seconds of traffic from six clients at a changing pace, still going when the picture is taken.
    const int port = window.serverController()->url().section(QLatin1Char(':'), -1).toInt();
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    std::string texts;
    for (int i = 0; i < 32; ++i)
        texts += std::string(texts.empty() ? "" : ",") + "\"text number " + std::to_string(i) + "\"";
    const std::string body = R"({"input":[)" + texts + "]}";
    std::vector<std::thread> clients;
    for (int c = 0; c < 6; ++c)
        clients.emplace_back([port, c, &body, &stop, &failures] {
            httplib::Client client("127.0.0.1", port);
            for (int round = 0; !stop.load(); ++round) {
                if (!client.Post("/v1/embeddings", body, "application/json")) ++failures;
                std::this_thread::sleep_for(std::chrono::milliseconds(20 + 60 * ((round / 10 + c) % 3)));
            }
        });
    waitUntil([] { return false; }, 10000);
    CHECK(window.grab().save(QString::fromUtf8(dir) + QStringLiteral("/server.png")));
    stop = true;
    for (std::thread& t : clients) t.join();
    CHECK(failures.load() == 0);

    Settings settings;
    benchtop::ui::SettingsDialog dialog(settings, {}, &engine.registry());
    dialog.resize(640, 560);
    dialog.tabs()->setCurrentWidget(dialog.serverPage());
    dialog.show();
    waitUntil([] { return false; }, 300);
    CHECK(dialog.grab().save(QString::fromUtf8(dir) + QStringLiteral("/settings-server.png")));
    window.serverAction()->trigger();
    waitUntil([&] { return window.serverController()->state() == ServerController::State::Stopped; }, kStartTimeoutMs);
}
