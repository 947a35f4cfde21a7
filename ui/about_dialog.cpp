#include "ui/about_dialog.h"

#include <QMessageBox>
#include <QStringList>

#include <exception>

#include "core/device/device.h"
#include "platform/cpu/cpu_info.h"

#ifndef BENCHTOP_VERSION
#define BENCHTOP_VERSION "dev"
#endif

namespace benchtop::ui {

namespace {
QString html(const std::string& text) { return QString::fromStdString(text).toHtmlEscaped(); }
}  // namespace

QString aboutText() {
    QStringList parts;
    parts << QObject::tr("<h2>Benchtop %1</h2>").arg(QLatin1String(BENCHTOP_VERSION));
    parts << QObject::tr("<p>Local deep-learning inference for methylation clocks, text embeddings and "
                         "speech recognition.</p>");
    parts << QObject::tr("<p>Qt %1 · libtorch %2 (%3)</p>")
                 .arg(QLatin1String(qVersion()), html(device::torchVersion()), html(device::torchBuild()));
    const platform::CpuInfo& cpu = platform::cpuInfo();
    parts << QObject::tr("<p>CPU: %1 (%2 cores / %3 threads)<br>Features: %4</p>")
                 .arg(html(cpu.modelName))
                 .arg(cpu.physicalCores)
                 .arg(cpu.logicalCores)
                 .arg(QString::fromStdString([&]() {
                     std::string joined;
                     for (const std::string& name : platform::featureNames(cpu.features))
                         joined += (joined.empty() ? "" : " ") + name;
                     return joined.empty() ? std::string("—") : joined;
                 }()).toHtmlEscaped());
    QString devices = QObject::tr("<p><b>Devices</b></p><ul>");
    try {
        for (const device::DeviceInfo& info : device::discoverDevices()) {
            devices += QStringLiteral("<li><b>%1</b> %2 — %3%4</li>")
                           .arg(html(info.id), html(info.name),
                                info.usable ? QObject::tr("usable") : QObject::tr("<span style='color:#b35c00'>not usable</span>"),
                                info.reason.empty() ? QString() : QStringLiteral(": ") + html(info.reason));
        }
    } catch (const std::exception& e) {
        devices += QStringLiteral("<li>%1</li>").arg(html(e.what()));
    }
    devices += QStringLiteral("</ul>");
    parts << devices;
    return parts.join(QString());
}

void showAboutDialog(QWidget* parent) { QMessageBox::about(parent, QObject::tr("About Benchtop"), aboutText()); }

}  // namespace benchtop::ui
