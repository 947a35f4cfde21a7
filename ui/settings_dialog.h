#pragma once

#include <QDialog>
#include <QStringList>

#include <vector>

#include "core/device/device.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QListWidget;
class QTabWidget;

namespace benchtop::engine {
class TaskRegistry;
}

namespace benchtop::ui {

class Settings;
class WorkloadOptionsPage;

/// Edits device, precision, threads and output folder (General), each task's options and model
/// (Workloads: one page per task kind, generated from its declared options) and the local server (Server). Devices come
/// from device::discoverDevices(); unusable ones are listed disabled with their reason as tooltip. Accepting writes to
/// Settings.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    /// `devices` defaults to device::discoverDevices() when empty.
    /// `tasks`: the task kinds whose pages the Workloads tab shows (none without).
    explicit SettingsDialog(Settings& settings, std::vector<device::DeviceInfo> devices = {},
                            const engine::TaskRegistry* tasks = nullptr, QWidget* parent = nullptr);

    /// Writes the edited values to the settings (what OK does); false (and nothing written) when a workload
    /// option or the server address is not acceptable, with the reason in `error`.
    bool apply(QString* error = nullptr);

    QComboBox* deviceCombo() const { return m_device; }
    QComboBox* precisionCombo() const { return m_precision; }
    QSpinBox* threadsSpin() const { return m_threads; }
    QLineEdit* outputFolderEdit() const { return m_outputFolder; }
    QCheckBox* nextToInputCheck() const { return m_nextToInput; }
    QTabWidget* tabs() const { return m_tabs; }
    /// Settings › General › Application.
    QComboBox* languageCombo() const { return m_language; }
    QCheckBox* keepJobListCheck() const { return m_keepJobList; }
    QCheckBox* notifyCheck() const { return m_notify; }
    QCheckBox* csvBomCheck() const { return m_csvBom; }
    /// Settings › Server.
    QWidget* serverPage() const { return m_serverPage; }
    QLineEdit* serverHostEdit() const { return m_serverHost; }
    QSpinBox* serverPortSpin() const { return m_serverPort; }
    QLineEdit* serverApiKeyEdit() const { return m_serverApiKey; }
    /// The served model of `kind` ("text", "speech"), or nullptr.
    QLineEdit* serverModelEdit(const QString& kind) const;
    QSpinBox* serverMaxQueueSpin() const { return m_serverMaxQueue; }
    QCheckBox* serverBatchingCheck() const { return m_serverBatching; }
    /// Settings › Models: Hugging Face endpoint (an editable list with the common mirror), token and offline mode.
    QWidget* modelsPage() const { return m_modelsPage; }
    QComboBox* hfEndpointCombo() const { return m_hfEndpoint; }
    QLineEdit* hfTokenEdit() const { return m_hfToken; }
    QCheckBox* hfOfflineCheck() const { return m_hfOffline; }
    /// The Workloads page of task `taskId`, or nullptr.
    WorkloadOptionsPage* workloadPage(const QString& taskId) const;

    void accept() override;

private:
    QWidget* createServerPage();
    QWidget* createModelsPage();
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
    QComboBox* m_language = nullptr;
    QCheckBox* m_keepJobList = nullptr;
    QCheckBox* m_notify = nullptr;
    QCheckBox* m_csvBom = nullptr;
    QTabWidget* m_tabs = nullptr;
    QListWidget* m_taskList = nullptr;
    std::vector<WorkloadOptionsPage*> m_pages;
    QWidget* m_serverPage = nullptr;
    QWidget* m_modelsPage = nullptr;
    QComboBox* m_hfEndpoint = nullptr;
    QLineEdit* m_hfToken = nullptr;
    QString m_hfTokenShown;
    QLabel* m_hfTokenNote = nullptr;
    QCheckBox* m_hfOffline = nullptr;
    QLineEdit* m_serverHost = nullptr;
    QSpinBox* m_serverPort = nullptr;
    QLineEdit* m_serverApiKey = nullptr;
    QLineEdit* m_serverTextModel = nullptr;
    QLineEdit* m_serverSpeechModel = nullptr;
    QStringList m_serverModelsShown;  ///< text, speech as the page opened
    QSpinBox* m_serverMaxQueue = nullptr;
    QCheckBox* m_serverBatching = nullptr;
};

}  // namespace benchtop::ui
