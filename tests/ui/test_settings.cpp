#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardItemModel>

#include <catch2/catch_test_macros.hpp>

#include "tests/ui/ui_test_support.h"
#include "ui/settings.h"
#include "ui/settings_dialog.h"

using benchtop::ui::Settings;

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
