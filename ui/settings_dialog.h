#pragma once

#include <QDialog>

#include <vector>

#include "core/device/device.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace benchtop::ui {

class Settings;

/// Edits device, precision, threads and output folder. Devices come from device::discoverDevices();
/// unusable ones are listed disabled with their reason as tooltip. Accepting writes to Settings.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    /// `devices` defaults to device::discoverDevices() when empty.
    explicit SettingsDialog(Settings& settings, std::vector<device::DeviceInfo> devices = {},
                            QWidget* parent = nullptr);

    /// Writes the edited values to the settings (what OK does).
    void apply();

    QComboBox* deviceCombo() const { return m_device; }
    QComboBox* precisionCombo() const { return m_precision; }
    QSpinBox* threadsSpin() const { return m_threads; }
    QLineEdit* outputFolderEdit() const { return m_outputFolder; }
    QCheckBox* nextToInputCheck() const { return m_nextToInput; }

    void accept() override;

private:
    void updatePrecisionChoices();
    void updateResolution();
    const device::DeviceInfo* selectedDevice() const;

    Settings& m_settings;
    std::vector<device::DeviceInfo> m_devices;
    QComboBox* m_device = nullptr;
    QComboBox* m_precision = nullptr;
    QSpinBox* m_threads = nullptr;
    QCheckBox* m_nextToInput = nullptr;
    QLineEdit* m_outputFolder = nullptr;
    QPushButton* m_browse = nullptr;
    QLabel* m_resolution = nullptr;
};

}  // namespace benchtop::ui
