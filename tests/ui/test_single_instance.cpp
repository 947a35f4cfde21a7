// One instance: two real processes of the built benchtop. The second start hands its files to the first and exits;
// the first plans them as one drop (a matrix and its sample sheet become one job) and runs them.
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QUuid>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <filesystem>

#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/single_instance.h"

using benchtop::test::TempDir;
using benchtop::test::waitUntil;

namespace {

/// A started benchtop, ended (and waited for) when the test leaves.
struct Benchtop {
    QProcess process;
    ~Benchtop() {
        if (process.state() == QProcess::NotRunning) return;
        process.terminate();
        if (!process.waitForFinished(10000)) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
};

bool instanceAnswers() {
    QLocalSocket probe;
    probe.connectToServer(benchtop::ui::SingleInstance::serverName());
    const bool connected = probe.waitForConnected(200);
    probe.abort();
    return connected;
}

/// The object of `sample` anywhere in `json` (predictions.json lists one object per sample).
QJsonObject findSample(const QJsonValue& json, const QString& sample) {
    if (json.isObject()) {
        const QJsonObject object = json.toObject();
        if (object.value(QStringLiteral("sample")).toString() == sample) return object;
        for (const QJsonValue& value : object)
            if (const QJsonObject found = findSample(value, sample); !found.isEmpty()) return found;
    } else if (json.isArray()) {
        for (const QJsonValue& value : json.toArray())
            if (const QJsonObject found = findSample(value, sample); !found.isEmpty()) return found;
    }
    return {};
}

}  // namespace

TEST_CASE("a second benchtop sends its files to the running one, which runs a matrix and its sheet as one job",
          "[ui][instance]") {
    benchtop::test::uiApp();
    TempDir dir;
    const QString root = QString::fromStdString(dir.path());
    REQUIRE(QDir(root).mkpath(QStringLiteral("in")));
    REQUIRE(QDir(root).mkpath(QStringLiteral("home/.config")));
    const QString demo = QStringLiteral(BENCHTOP_SOURCE_DIR "/resources/demo/methylation/");
    for (const char* name : {"cohort.csv", "sample_sheet.csv"})
        REQUIRE(QFile::copy(demo + QLatin1String(name), root + QStringLiteral("/in/") + QLatin1String(name)));

    // Both processes and this test agree on the instance (a key of this run only) and keep their settings here.
    const QString key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    qputenv("BENCHTOP_INSTANCE_KEY", key.toUtf8());
    if (qEnvironmentVariableIsEmpty("USER")) qputenv("USER", "benchtop-test");
    REQUIRE_FALSE(instanceAnswers());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("BENCHTOP_INSTANCE_KEY"), key);
    env.insert(QStringLiteral("USER"), qEnvironmentVariable("USER"));
    env.insert(QStringLiteral("HOME"), root + QStringLiteral("/home"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), root + QStringLiteral("/home/.config"));
    env.insert(QStringLiteral("BENCHTOP_DEVICE"), QStringLiteral("cpu"));

    Benchtop first;
    first.process.setProcessEnvironment(env);
    first.process.setProcessChannelMode(QProcess::MergedChannels);
    first.process.start(QStringLiteral(BENCHTOP_GUI), {});
    REQUIRE(first.process.waitForStarted(10000));
    INFO("first benchtop said: " << first.process.readAll().toStdString());
    REQUIRE(waitUntil([] { return instanceAnswers(); }, 30000));

    // Relative paths from another working folder, as a terminal or file manager gives them.
    QProcess second;
    second.setProcessEnvironment(env);
    second.setWorkingDirectory(root + QStringLiteral("/in"));
    second.setProcessChannelMode(QProcess::MergedChannels);
    second.start(QStringLiteral(BENCHTOP_GUI), {QStringLiteral("cohort.csv"), QStringLiteral("sample_sheet.csv")});
    REQUIRE(second.waitForFinished(30000));
    const std::string said = second.readAll().toStdString();
    INFO("second benchtop said: " << said);
    CHECK(second.exitStatus() == QProcess::NormalExit);
    CHECK(second.exitCode() == 0);
    CHECK_THAT(said, Catch::Matchers::ContainsSubstring("sent 2 file(s) to its window"));
    CHECK(first.process.state() == QProcess::Running);

    // The first window ran the matrix with the sheet attached: one job, one results folder, ages from the sheet.
    const std::string predictions = dir.file("in/benchtop-results/cohort/predictions.json");
    REQUIRE(waitUntil([&] { return std::filesystem::exists(predictions); }, 120000));
    CHECK_FALSE(std::filesystem::exists(dir.file("in/benchtop-results/sample_sheet")));
    QFile file(QString::fromStdString(predictions));
    REQUIRE(file.open(QIODevice::ReadOnly));
    const QJsonObject demo01 = findSample(QJsonDocument::fromJson(file.readAll()).object(), QStringLiteral("DEMO01"));
    REQUIRE_FALSE(demo01.isEmpty());
    CHECK(demo01.value(QStringLiteral("age")).toDouble() == 24.0);  // from sample_sheet.csv
    CHECK(demo01.value(QStringLiteral("sex")).toString() == "F");

    // A start without files only brings the window forward, and also exits at once.
    QProcess third;
    third.setProcessEnvironment(env);
    third.start(QStringLiteral(BENCHTOP_GUI), {});
    REQUIRE(third.waitForFinished(30000));
    CHECK(third.exitCode() == 0);
    CHECK(first.process.state() == QProcess::Running);
    // SIGTERM leaves the socket file behind (as a crash would; the next start replaces it): removed here.
    first.process.terminate();
    REQUIRE(first.process.waitForFinished(10000));
    QLocalServer::removeServer(benchtop::ui::SingleInstance::serverName());
    qunsetenv("BENCHTOP_INSTANCE_KEY");
}
