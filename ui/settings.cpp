#include "ui/settings.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace benchtop::ui {

namespace {
const char* const kDevice = "compute/device";
const char* const kPrecision = "compute/precision";
const char* const kThreads = "compute/threads";
const char* const kOutputFolder = "output/folder";
const char* const kTelemetryInterval = "telemetry/intervalMs";
const char* const kLastOpenFolder = "ui/lastOpenFolder";
const char* const kGeometry = "ui/geometry";
const char* const kState = "ui/state";
const char* const kServerHost = "server/host";
const char* const kServerPort = "server/port";
const char* const kServerApiKeyFile = "server/apiKeyFile";
const char* const kServerMaxQueue = "server/maxQueue";
const char* const kServerCrossBatching = "server/crossBatching";
const char* const kClusterParts = "cluster/parts";
const char* const kClusterPartition = "cluster/partition";
const char* const kClusterTime = "cluster/time";
const char* const kClusterMemory = "cluster/memory";
const char* const kClusterCpus = "cluster/cpusPerTask";
const char* const kClusterGpus = "cluster/gpusPerTask";
const char* const kClusterOutputFolder = "cluster/outputFolder";
const char* const kClusterCliPath = "cluster/cliPath";
const char* const kClusterSubmissions = "cluster/submissions";
const char* const kRecent = "history/recent";
const char* const kKeepJobList = "history/keepJobList";
const char* const kSavedJobs = "history/jobs";
const char* const kNotifyWhenDone = "history/notifyWhenDone";
const char* const kLanguage = "ui/language";
const char* const kCsvBom = "export/csvByteOrderMark";
const char* const kHfEndpoint = "hub/endpoint";
const char* const kHfOffline = "hub/offline";
}  // namespace

Settings::Settings() : m_settings(QSettings::NativeFormat, QSettings::UserScope, kOrganisation, kApplication) {}

QString Settings::device() const {
    const QString value = m_settings.value(kDevice).toString().trimmed();
    return value.isEmpty() ? QStringLiteral("auto") : value;
}
void Settings::setDevice(const QString& device) {
    m_settings.setValue(kDevice, device);
}

QString Settings::precision() const {
    const QString value = m_settings.value(kPrecision).toString().trimmed();
    return value.isEmpty() ? QStringLiteral("auto") : value;
}
void Settings::setPrecision(const QString& precision) {
    m_settings.setValue(kPrecision, precision);
}

int Settings::threads() const {
    return std::max(0, m_settings.value(kThreads, 0).toInt());
}
void Settings::setThreads(int threads) {
    m_settings.setValue(kThreads, std::max(0, threads));
}

QString Settings::outputFolder() const {
    return m_settings.value(kOutputFolder).toString();
}
void Settings::setOutputFolder(const QString& folder) {
    m_settings.setValue(kOutputFolder, folder);
}

int Settings::telemetryIntervalMs() const {
    return std::clamp(m_settings.value(kTelemetryInterval, 250).toInt(), 200, 2000);
}
void Settings::setTelemetryIntervalMs(int ms) {
    m_settings.setValue(kTelemetryInterval, std::clamp(ms, 200, 2000));
}

QString Settings::modelFor(const QString& taskId) const {
    return m_settings.value(QStringLiteral("models/") + taskId).toString().trimmed();
}
void Settings::setModelFor(const QString& taskId, const QString& model) {
    if (model.trimmed().isEmpty())
        m_settings.remove(QStringLiteral("models/") + taskId);
    else
        m_settings.setValue(QStringLiteral("models/") + taskId, model.trimmed());
}

QMap<QString, QString> Settings::optionsFor(const QString& taskId) const {
    QMap<QString, QString> options;
    const QStringList pairs = m_settings.value(QStringLiteral("options/") + taskId).toStringList();
    for (const QString& pair : pairs) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq > 0) options.insert(pair.left(eq), pair.mid(eq + 1));
    }
    return options;
}
void Settings::setOptionsFor(const QString& taskId, const QMap<QString, QString>& options) {
    QStringList pairs;
    for (auto it = options.cbegin(); it != options.cend(); ++it) pairs << it.key() + QLatin1Char('=') + it.value();
    if (pairs.isEmpty())
        m_settings.remove(QStringLiteral("options/") + taskId);
    else
        m_settings.setValue(QStringLiteral("options/") + taskId, pairs);
}

QString Settings::serverHost() const {
    const QString value = m_settings.value(kServerHost).toString().trimmed();
    return value.isEmpty() ? QStringLiteral("127.0.0.1") : value;
}
void Settings::setServerHost(const QString& host) {
    m_settings.setValue(kServerHost, host.trimmed());
}

int Settings::serverPort() const {
    return std::clamp(m_settings.value(kServerPort, 8080).toInt(), 0, 65535);
}
void Settings::setServerPort(int port) {
    m_settings.setValue(kServerPort, std::clamp(port, 0, 65535));
}

QString Settings::serverApiKeyFile() const {
    return m_settings.value(kServerApiKeyFile).toString().trimmed();
}
void Settings::setServerApiKeyFile(const QString& path) {
    m_settings.setValue(kServerApiKeyFile, path.trimmed());
}

QString Settings::serverModel(const QString& kind) const {
    // An empty value stored on purpose means "not served"; no value at all follows the jobs' model.
    const QString key = QStringLiteral("server/models/") + kind;
    return m_settings.contains(key) ? m_settings.value(key).toString().trimmed() : modelFor(kind);
}
void Settings::setServerModel(const QString& kind, const QString& model) {
    m_settings.setValue(QStringLiteral("server/models/") + kind, model.trimmed());
}

int Settings::serverMaxQueue() const {
    return std::clamp(m_settings.value(kServerMaxQueue, 64).toInt(), 1, 100000);
}
void Settings::setServerMaxQueue(int requests) {
    m_settings.setValue(kServerMaxQueue, std::clamp(requests, 1, 100000));
}

bool Settings::serverCrossBatching() const {
    return m_settings.value(kServerCrossBatching, true).toBool();
}
void Settings::setServerCrossBatching(bool on) {
    m_settings.setValue(kServerCrossBatching, on);
}

ClusterSettings Settings::cluster() const {
    ClusterSettings c;
    c.parts = std::clamp(m_settings.value(kClusterParts, 4).toInt(), 1, 10000);
    c.partition = m_settings.value(kClusterPartition).toString().trimmed();
    c.timeLimit = m_settings.value(kClusterTime).toString().trimmed();
    c.memory = m_settings.value(kClusterMemory).toString().trimmed();
    c.cpusPerTask = std::max(0, m_settings.value(kClusterCpus, 0).toInt());
    c.gpusPerTask = std::max(0, m_settings.value(kClusterGpus, 0).toInt());
    c.outputFolder = m_settings.value(kClusterOutputFolder).toString().trimmed();
    c.cliPath = m_settings.value(kClusterCliPath).toString().trimmed();
    return c;
}
void Settings::setCluster(const ClusterSettings& c) {
    m_settings.setValue(kClusterParts, std::clamp(c.parts, 1, 10000));
    m_settings.setValue(kClusterPartition, c.partition.trimmed());
    m_settings.setValue(kClusterTime, c.timeLimit.trimmed());
    m_settings.setValue(kClusterMemory, c.memory.trimmed());
    m_settings.setValue(kClusterCpus, std::max(0, c.cpusPerTask));
    m_settings.setValue(kClusterGpus, std::max(0, c.gpusPerTask));
    m_settings.setValue(kClusterOutputFolder, c.outputFolder.trimmed());
    m_settings.setValue(kClusterCliPath, c.cliPath.trimmed());
}

QList<QVariantMap> Settings::clusterSubmissions() const {
    QList<QVariantMap> submissions;
    for (const QVariant& entry : m_settings.value(kClusterSubmissions).toList())
        if (!entry.toMap().value(QStringLiteral("dir")).toString().isEmpty()) submissions << entry.toMap();
    return submissions;
}
void Settings::setClusterSubmissions(const QList<QVariantMap>& submissions) {
    QVariantList list;
    for (const QVariantMap& entry : submissions) list << entry;
    if (list.isEmpty())
        m_settings.remove(kClusterSubmissions);
    else
        m_settings.setValue(kClusterSubmissions, list);
}

QList<QVariantMap> Settings::recentEntries() const {
    QList<QVariantMap> entries;
    for (const QVariant& entry : m_settings.value(kRecent).toList()) {
        const QVariantMap map = entry.toMap();
        const QString kind = map.value(QStringLiteral("kind")).toString();
        if ((kind == QLatin1String("inputs") || kind == QLatin1String("results")) &&
            !map.value(QStringLiteral("paths")).toStringList().isEmpty())
            entries << map;
    }
    return entries;
}
void Settings::addRecent(const QString& kind, const QStringList& paths) {
    if (paths.isEmpty()) return;
    QVariantList list{QVariantMap{{QStringLiteral("kind"), kind}, {QStringLiteral("paths"), paths}}};
    for (const QVariantMap& entry : recentEntries()) {
        if (entry.value(QStringLiteral("kind")).toString() == kind &&
            entry.value(QStringLiteral("paths")).toStringList() == paths)
            continue;
        if (list.size() < kMaxRecent) list << entry;
    }
    m_settings.setValue(kRecent, list);
}
void Settings::clearRecent() {
    m_settings.remove(kRecent);
}

bool Settings::keepJobList() const {
    return m_settings.value(kKeepJobList, false).toBool();
}
void Settings::setKeepJobList(bool keep) {
    m_settings.setValue(kKeepJobList, keep);
    if (!keep) m_settings.remove(kSavedJobs);
}
QList<QVariantMap> Settings::savedJobs() const {
    QList<QVariantMap> jobs;
    for (const QVariant& entry : m_settings.value(kSavedJobs).toList()) jobs << entry.toMap();
    return jobs;
}
void Settings::setSavedJobs(const QList<QVariantMap>& jobs) {
    QVariantList list;
    for (const QVariantMap& job : jobs) list << job;
    if (list.isEmpty())
        m_settings.remove(kSavedJobs);
    else
        m_settings.setValue(kSavedJobs, list);
}

bool Settings::notifyWhenDone() const {
    return m_settings.value(kNotifyWhenDone, true).toBool();
}
void Settings::setNotifyWhenDone(bool notify) {
    m_settings.setValue(kNotifyWhenDone, notify);
}

QString Settings::language() const {
    const QString value = m_settings.value(kLanguage).toString().trimmed();
    for (const char* known : {"en", "zh_CN", "zh_TW"})
        if (value == QLatin1String(known)) return value;
    return QStringLiteral("system");
}
void Settings::setLanguage(const QString& language) {
    m_settings.setValue(kLanguage, language);
}

bool Settings::csvByteOrderMark() const {
    return m_settings.value(kCsvBom, true).toBool();
}
void Settings::setCsvByteOrderMark(bool bom) {
    m_settings.setValue(kCsvBom, bom);
}

QString Settings::hfEndpoint() const {
    return m_settings.value(kHfEndpoint).toString().trimmed();
}
void Settings::setHfEndpoint(const QString& endpoint) {
    QString value = endpoint.trimmed();
    while (value.endsWith(QLatin1Char('/'))) value.chop(1);
    if (value.isEmpty())
        m_settings.remove(kHfEndpoint);
    else
        m_settings.setValue(kHfEndpoint, value);
}
bool Settings::hfOffline() const {
    return m_settings.value(kHfOffline, false).toBool();
}
void Settings::setHfOffline(bool offline) {
    m_settings.setValue(kHfOffline, offline);
}

QString Settings::lastOpenFolder() const {
    return m_settings.value(kLastOpenFolder, QDir::homePath()).toString();
}
void Settings::setLastOpenFolder(const QString& folder) {
    m_settings.setValue(kLastOpenFolder, folder);
}

QByteArray Settings::windowGeometry() const {
    return m_settings.value(kGeometry).toByteArray();
}
void Settings::setWindowGeometry(const QByteArray& geometry) {
    m_settings.setValue(kGeometry, geometry);
}
QByteArray Settings::windowState() const {
    return m_settings.value(kState).toByteArray();
}
void Settings::setWindowState(const QByteArray& state) {
    m_settings.setValue(kState, state);
}

device::DeviceRequest Settings::deviceRequest() const {
    device::DeviceRequest request;
    request.device = device().toStdString();
    request.precision = precision().toStdString();
    request.threads = threads();
    return request;
}

QString Settings::outputFolderFor(const QString& inputFile) const {
    const QString configured = outputFolder().trimmed();
    if (!configured.isEmpty()) return QDir::cleanPath(configured);
    return QDir::cleanPath(QFileInfo(inputFile).absolutePath() + QLatin1Char('/') + QLatin1String(kResultsFolderName));
}

void Settings::sync() {
    m_settings.sync();
}

}  // namespace benchtop::ui
