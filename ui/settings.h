#pragma once

#include <QByteArray>
#include <QMap>
#include <QSettings>
#include <QString>
#include <QVariantMap>

#include "core/device/device.h"
#include "core/engine/input_plan.h"

namespace benchtop::ui {

/// What File › Run on Cluster… last submitted with (the dialog's fields).
struct ClusterSettings {
    int parts = 4;
    QString partition;    ///< empty = the cluster's default
    QString timeLimit;    ///< per task, Slurm format ("2:00:00"); empty = the partition's default
    QString memory;       ///< per task ("16G"); empty = the partition's default
    int cpusPerTask = 0;  ///< 0 = the partition's default
    int gpusPerTask = 0;
    QString outputFolder;  ///< submissions go in "<folder>/slurm-<time>"; empty = ~/benchtop-slurm
    QString cliPath;       ///< benchtop-cli as the nodes see it; empty = the one beside this program
};

/// Typed access to the persistent user settings (QSettings, organisation and application "Benchtop").
/// Every getter has a sensible default, so a first start needs no settings file.
class Settings {
public:
    static constexpr const char* kOrganisation = "Benchtop";
    static constexpr const char* kApplication = "Benchtop";
    /// Name of the folder created next to an input when no output folder is configured.
    static constexpr const char* kResultsFolderName = engine::kResultsFolderName;

    /// The user's settings in the platform's native store.
    Settings();

    /// "auto", "cpu", "cuda:0", "mps".
    QString device() const;
    void setDevice(const QString& device);
    /// "auto", "fp32", "fp16", "bf16".
    QString precision() const;
    void setPrecision(const QString& precision);
    /// Intra-op threads; 0 = physical cores.
    int threads() const;
    void setThreads(int threads);
    /// Folder for all results; empty = a "benchtop-results" folder next to each input.
    QString outputFolder() const;
    void setOutputFolder(const QString& folder);
    /// Telemetry sampling interval in milliseconds (clamped to 200..2000).
    int telemetryIntervalMs() const;
    void setTelemetryIntervalMs(int ms);
    /// Model used for new jobs of `taskId` ("text", "speech", "methylation"): a catalog id, Hugging Face
    /// repo id or folder path; empty = the task's default.
    QString modelFor(const QString& taskId) const;
    void setModelFor(const QString& taskId, const QString& model);
    /// Extra task options for new jobs of `taskId` (e.g. "clocks" -> "all"), stored as key=value.
    QMap<QString, QString> optionsFor(const QString& taskId) const;
    void setOptionsFor(const QString& taskId, const QMap<QString, QString>& options);
    /// Local server (Server menu): the address to listen on; loopback by default.
    QString serverHost() const;
    void setServerHost(const QString& host);
    /// TCP port; 0 = any free port.
    int serverPort() const;
    void setServerPort(int port);
    /// File whose first line is the API key; required for an address that is not loopback.
    QString serverApiKeyFile() const;
    void setServerApiKeyFile(const QString& path);
    /// Model served for `kind` ("text" embeddings, "speech" transcriptions); empty = none. Until set, the
    /// model that new jobs of that task use (modelFor()).
    QString serverModel(const QString& kind) const;
    void setServerModel(const QString& kind, const QString& model);
    /// Requests admitted at once (queued or running); more get 429.
    int serverMaxQueue() const;
    void setServerMaxQueue(int requests);
    /// Requests for one model share device batches (on by default).
    bool serverCrossBatching() const;
    void setServerCrossBatching(bool on);
    /// File › Run on Cluster…: the dialog's values.
    ClusterSettings cluster() const;
    void setCluster(const ClusterSettings& cluster);
    /// Submission folders the window follows (shown again after a restart), each with the task id and the
    /// inputs it was submitted for: "dir", "task", "model", "inputs" (a list).
    QList<QVariantMap> clusterSubmissions() const;
    void setClusterSubmissions(const QList<QVariantMap>& submissions);
    /// File › Open Recent, newest first (at most kMaxRecent): each entry has "kind" ("inputs": files or folders
    /// that were run; "results": a results folder opened with File › Open Results…) and "paths" (a list).
    static constexpr int kMaxRecent = 10;
    QList<QVariantMap> recentEntries() const;
    /// Puts `paths` of `kind` first in the recent list (an equal entry moves up).
    void addRecent(const QString& kind, const QStringList& paths);
    void clearRecent();
    /// Keep the job list across restarts: the finished jobs are shown again (read from their result folders).
    bool keepJobList() const;
    void setKeepJobList(bool keep);
    /// The jobs saved when the window closed (keepJobList()): "task", "inputs", "resultDir", "state", "summary",
    /// "error", "device", "model", "seconds".
    QList<QVariantMap> savedJobs() const;
    void setSavedJobs(const QList<QVariantMap>& jobs);
    /// A system tray message when a job that ran longer than a few seconds finishes (on by default).
    bool notifyWhenDone() const;
    void setNotifyWhenDone(bool notify);
    /// User interface language, applied at start: "system" (default), "en", "zh_CN" or "zh_TW".
    QString language() const;
    void setLanguage(const QString& language);
    /// CSV files the window exports start with a UTF-8 byte order mark, so that Excel reads non-ASCII names
    /// (on by default).
    bool csvByteOrderMark() const;
    void setCsvByteOrderMark(bool bom);
    /// Hugging Face hub address for downloads; empty = HF_ENDPOINT or https://huggingface.co.
    QString hfEndpoint() const;
    void setHfEndpoint(const QString& endpoint);
    /// Hugging Face offline mode: no request to the hub, only models already present (as HF_HUB_OFFLINE=1).
    bool hfOffline() const;
    void setHfOffline(bool offline);
    /// Folder last used in the open dialogs.
    QString lastOpenFolder() const;
    void setLastOpenFolder(const QString& folder);

    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray& geometry);
    QByteArray windowState() const;
    void setWindowState(const QByteArray& state);

    /// The device request these settings describe (environment overrides are not applied here).
    device::DeviceRequest deviceRequest() const;
    /// Where results for `inputFile` go under these settings.
    QString outputFolderFor(const QString& inputFile) const;

    /// Writes pending changes to permanent storage.
    void sync();

private:
    QSettings m_settings;
};

}  // namespace benchtop::ui
