#pragma once

#include <QDialog>
#include <QStringList>

#include <optional>

#include "core/cluster/slurm.h"
#include "core/device/device.h"
#include "ui/cluster_controller.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTimer;

namespace benchtop::engine {
class TaskRegistry;
}

namespace benchtop::ui {

class Settings;

/// File › Run on Cluster…: the inputs, the parts to split them into and what each Slurm task asks for, with a
/// preview of the two scripts. Every part runs `benchtop-cli run … --shard I/N` with the model, device, precision
/// and task options that a local job of those files gets from the settings; a merge job joins the parts.
///
/// Submission uses this machine's sbatch (the window runs on the cluster's login node); there is no SSH login
/// host. OK (and "Show scripts") prepares the submission folder with cluster::prepareSubmission; the window then
/// submits that same submission (takeSubmission). A prepared folder that is never submitted is removed again.
class ClusterDialog : public QDialog {
    Q_OBJECT
public:
    /// `device`: the window's effective device request (what a local job would get).
    ClusterDialog(Settings& settings, const engine::TaskRegistry& registry, const device::DeviceRequest& device,
                  QWidget* parent = nullptr);
    /// Removes the prepared folder unless it was taken.
    ~ClusterDialog() override;

    void setInputs(const QStringList& paths);
    QStringList inputs() const;

    /// The request the fields describe (task, model and options from the settings for the inputs' task).
    /// Throws benchtop::Error naming the problem (no inputs, files of several tasks).
    cluster::SlurmRequest request() const;
    /// What the submission's row shows: the inputs, task, model and device of request().
    ClusterController::Origin origin() const;

    /// Prepares the submission for the current values, unless it is prepared for them already; false with the
    /// reason in `error` (a task that cannot be split, a folder that cannot be written).
    bool prepare(QString* error = nullptr);
    /// Shows or hides the scripts (preparing them first).
    void showScripts(bool shown);
    /// The prepared submission, handed over to be submitted: the dialog no longer removes its folder.
    std::optional<cluster::Submission> takeSubmission();

    /// Writes the fields to the settings, prepares and closes; on failure a message box (object name
    /// "clusterError") names the problem and the dialog stays open.
    void accept() override;

    QListWidget* inputList() const { return m_inputs; }
    QSpinBox* partsSpin() const { return m_parts; }
    QLineEdit* partitionEdit() const { return m_partition; }
    QLineEdit* timeEdit() const { return m_time; }
    QLineEdit* memoryEdit() const { return m_memory; }
    QSpinBox* cpusSpin() const { return m_cpus; }
    QSpinBox* gpusSpin() const { return m_gpus; }
    QLineEdit* outputFolderEdit() const { return m_outputFolder; }
    QLineEdit* cliPathEdit() const { return m_cliPath; }
    QPushButton* showScriptsButton() const { return m_showScripts; }
    QPlainTextEdit* arrayScriptView() const { return m_arrayScript; }
    QPlainTextEdit* mergeScriptView() const { return m_mergeScript; }
    /// What every part runs ("Text embeddings · model … · device …").
    QLabel* summaryLabel() const { return m_summary; }

    /// The folder new submissions go in when none is set: ~/benchtop-slurm.
    static QString defaultOutputFolder();
    /// benchtop-cli beside this program: what the nodes run unless told otherwise.
    static QString defaultCliPath();

private:
    void addInputs(const QStringList& paths);
    void discardPrepared();
    void valuesChanged();
    void updateSummary();
    void showError(const QString& message);

    Settings& m_settings;
    const engine::TaskRegistry& m_registry;
    device::DeviceRequest m_device;
    QListWidget* m_inputs = nullptr;
    QSpinBox* m_parts = nullptr;
    QLineEdit* m_partition = nullptr;
    QLineEdit* m_time = nullptr;
    QLineEdit* m_memory = nullptr;
    QSpinBox* m_cpus = nullptr;
    QSpinBox* m_gpus = nullptr;
    QLineEdit* m_outputFolder = nullptr;
    QLineEdit* m_cliPath = nullptr;
    QLabel* m_summary = nullptr;
    QPushButton* m_showScripts = nullptr;
    QTabWidget* m_scripts = nullptr;
    QPlainTextEdit* m_arrayScript = nullptr;
    QPlainTextEdit* m_mergeScript = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
    QTimer* m_refresh = nullptr;  ///< re-prepares the shown scripts a moment after the values change
    std::optional<cluster::Submission> m_prepared;
    QString m_preparedFor;  ///< the values m_prepared was made from
};

}  // namespace benchtop::ui
