#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardItemModel>

#include <catch2/catch_test_macros.hpp>

#include "tests/ui/ui_test_support.h"
#include "core/hub/hf_access.h"
#include "ui/hf_token_store.h"
#include "ui/settings.h"
#include "ui/settings_dialog.h"
#include "ui/views/export_file.h"
#include "tests/support/shared_paths.h"

using benchtop::ui::Settings;

namespace {
/// Unsets an environment variable for a scope.
struct ScopedEnvForTest {
    explicit ScopedEnvForTest(const char* name)
        : m_name(name), m_old(qgetenv(name)), m_had(qEnvironmentVariableIsSet(name)) {
        qunsetenv(name);
    }
    ~ScopedEnvForTest() {
        if (m_had) qputenv(m_name, m_old);
    }
    const char* m_name;
    QByteArray m_old;
    bool m_had;
};
}  // namespace

TEST_CASE("settings have defaults and persist across instances", "[ui][settings]") {
    benchtop::test::resetSettings();
    {
        Settings fresh;
        CHECK(fresh.device() == "auto");
        CHECK(fresh.precision() == "auto");
        CHECK(fresh.threads() == 0);
        CHECK(fresh.outputFolder().isEmpty());
        CHECK(fresh.telemetryIntervalMs() == 250);
        CHECK(fresh.outputFolderFor("/data/run1/matrix.csv") == "/data/run1/benchtop-results");
    }
    {
        Settings settings;
        settings.setDevice("cpu");
        settings.setPrecision("bf16");
        settings.setThreads(6);
        settings.setOutputFolder("/tmp/benchtop-out");
        settings.setTelemetryIntervalMs(50);  // clamped to 200
        settings.sync();
    }
    Settings reread;
    CHECK(reread.device() == "cpu");
    CHECK(reread.precision() == "bf16");
    CHECK(reread.threads() == 6);
    CHECK(reread.outputFolder() == "/tmp/benchtop-out");
    CHECK(reread.telemetryIntervalMs() == 200);
    CHECK(reread.outputFolderFor("/data/run1/matrix.csv") == "/tmp/benchtop-out");
    const benchtop::device::DeviceRequest request = reread.deviceRequest();
    CHECK(request.device == "cpu");
    CHECK(request.precision == "bf16");
    CHECK(request.threads == 6);
}

TEST_CASE("the settings dialog lists unusable devices disabled with their reason", "[ui][settings]") {
    benchtop::test::uiApp();
    benchtop::test::resetSettings();
    Settings settings;

    benchtop::device::DeviceInfo cpu;
    cpu.kind = benchtop::device::DeviceKind::Cpu;
    cpu.id = "cpu";
    cpu.name = "Test CPU";
    cpu.usable = true;
    cpu.reason = "always available";
    benchtop::device::DeviceInfo cuda;
    cuda.kind = benchtop::device::DeviceKind::Cuda;
    cuda.id = "cuda:0";
    cuda.name = "Test GPU";
    cuda.usable = false;
    cuda.reason = "CUDA unavailable: libtorch built without CUDA";

    benchtop::ui::SettingsDialog dialog(settings, {cpu, cuda});
    QComboBox* devices = dialog.deviceCombo();
    REQUIRE(devices->count() == 3);  // auto, cpu, cuda:0
    auto* model = qobject_cast<QStandardItemModel*>(devices->model());
    REQUIRE(model != nullptr);
    const int cudaRow = devices->findData("cuda:0");
    REQUIRE(cudaRow == 2);
    CHECK_FALSE(model->item(cudaRow)->isEnabled());
    CHECK(model->item(cudaRow)->toolTip() == "CUDA unavailable: libtorch built without CUDA");
    CHECK(model->item(devices->findData("cpu"))->isEnabled());

    devices->setCurrentIndex(devices->findData("cpu"));
    dialog.precisionCombo()->setCurrentIndex(dialog.precisionCombo()->findData("fp32"));
    dialog.threadsSpin()->setValue(3);
    dialog.nextToInputCheck()->setChecked(false);
    dialog.outputFolderEdit()->setText("/tmp/results-here");
    dialog.apply();

    Settings reread;
    CHECK(reread.device() == "cpu");
    CHECK(reread.precision() == "fp32");
    CHECK(reread.threads() == 3);
    CHECK(reread.outputFolder() == "/tmp/results-here");
}

TEST_CASE("Settings › Models stores the hub endpoint, offline mode and the token where huggingface_hub reads it",
          "[ui][settings][hub]") {
    benchtop::test::resetSettings();
    const QString tokenFile = qEnvironmentVariable("HF_TOKEN_PATH");
    REQUIRE_FALSE(tokenFile.isEmpty());  // set by uiApp() to a file of this run
    QFile::remove(tokenFile);
    Settings settings;
    {
        benchtop::ui::SettingsDialog dialog(settings, {}, nullptr);
        CHECK(dialog.hfEndpointCombo()->currentIndex() == 0);
        CHECK(dialog.hfTokenEdit()->text().isEmpty());
        CHECK(dialog.hfTokenEdit()->echoMode() == QLineEdit::Password);
        CHECK_FALSE(dialog.hfOfflineCheck()->isChecked());
        const int mirror = dialog.hfEndpointCombo()->findData(QStringLiteral("https://hf-mirror.com"));
        REQUIRE(mirror > 0);
        dialog.hfEndpointCombo()->setCurrentIndex(mirror);
        dialog.hfTokenEdit()->setText(QStringLiteral(" hf_ui_token "));
        dialog.hfOfflineCheck()->setChecked(true);
        REQUIRE(dialog.apply());
    }
    CHECK(settings.hfEndpoint() == "https://hf-mirror.com");
    CHECK(settings.hfOffline());
    QFile file(tokenFile);
    REQUIRE(file.open(QIODevice::ReadOnly));
    CHECK(file.readAll() == "hf_ui_token");
    file.close();
    // What downloads get: the endpoint and offline mode; the file's token is read by the downloader after HF_TOKEN.
    const benchtop::hub::HfAccessOverrides overrides = benchtop::ui::hubAccessFrom(settings);
    CHECK(overrides.endpoint == std::optional<std::string>("https://hf-mirror.com"));
    CHECK(overrides.offline == std::optional<bool>(true));
    CHECK_FALSE(overrides.token.has_value());
    {
        ScopedEnvForTest clear("HF_TOKEN");
        const benchtop::hub::HfAccess access = benchtop::hub::resolveHfAccess(overrides);
        CHECK(access.token == "hf_ui_token");
        CHECK(access.endpoint == "https://hf-mirror.com");
        CHECK(access.offline);
    }

    // Shown again; another address typed in; the token cleared removes the file.
    benchtop::ui::SettingsDialog dialog(settings, {}, nullptr);
    CHECK(dialog.hfEndpointCombo()->currentData().toString() == "https://hf-mirror.com");
    CHECK(dialog.hfTokenEdit()->text() == "hf_ui_token");
    CHECK(dialog.hfOfflineCheck()->isChecked());
    dialog.hfEndpointCombo()->setEditText(QStringLiteral("http://models.example.org/"));
    dialog.hfTokenEdit()->clear();
    dialog.hfOfflineCheck()->setChecked(false);
    REQUIRE(dialog.apply());
    CHECK(settings.hfEndpoint() == "http://models.example.org");
    CHECK_FALSE(settings.hfOffline());
    CHECK_FALSE(QFile::exists(tokenFile));
    CHECK_FALSE(benchtop::ui::hubAccessFrom(settings).offline.has_value());
}

TEST_CASE("CSV exports start with a UTF-8 byte order mark for Excel unless the setting is off", "[ui][settings][csv]") {
    benchtop::test::resetSettings();
    benchtop::test::TempDir dir;
    const QByteArray table = QStringLiteral("sample,age\n患者一,54\nJosé,61\n").toUtf8();
    const QString withBom = QString::fromStdString(dir.file("excel.csv"));
    QString error;
    REQUIRE(benchtop::ui::writeCsvExport(withBom, table, &error));
    QFile file(withBom);
    REQUIRE(file.open(QIODevice::ReadOnly));
    CHECK(file.readAll() == QByteArray("\xEF\xBB\xBF") + table);
    file.close();

    Settings().setCsvByteOrderMark(false);
    const QString plain = QString::fromStdString(dir.file("plain.csv"));
    REQUIRE(benchtop::ui::writeCsvExport(plain, table, &error));
    QFile plainFile(plain);
    REQUIRE(plainFile.open(QIODevice::ReadOnly));
    CHECK(plainFile.readAll() == table);
}
