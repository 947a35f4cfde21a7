#include "ui/about_dialog.h"

#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFont>
#include <QFontDatabase>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStringList>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <exception>

#include "core/device/device.h"
#include "core/device/machine_report.h"
#include "core/hub/catalog.h"
#include "core/hub/model_store.h"
#include "ui/theme.h"

#ifndef BENCHTOP_VERSION
#define BENCHTOP_VERSION "dev"
#endif

// The licence texts live in benchtop_ui, a static library: its resources are registered explicitly.
static void initLicenceResources() {
    Q_INIT_RESOURCE(licences);
}

namespace benchtop::ui {

namespace {
QString html(const std::string& text) {
    return QString::fromStdString(text).toHtmlEscaped();
}

// biolearn's licence (clause b): binary redistributions reproduce the notice in their documentation; this box
// and THIRD_PARTY_NOTICES.md are that documentation.
const char* const kBiolearnNotice =
    "Copyright (c) 2023 - 2023 The biolearn developers. All rights reserved.\n\n"
    "Redistribution and use in source and binary forms, with or without modification, are permitted provided that "
    "the following conditions are met:\n"
    "a. Redistributions of source code must retain the above copyright notice, this list of conditions and the "
    "following disclaimer.\n"
    "b. Redistributions in binary form must reproduce the above copyright notice, this list of conditions and the "
    "following disclaimer in the documentation and/or other materials provided with the distribution.\n"
    "c. Neither the name of the biolearn developers nor the names of its contributors may be used to endorse or "
    "promote products derived from this software without specific prior written permission.\n\n"
    "THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS \"AS IS\" AND ANY EXPRESS OR IMPLIED "
    "WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A "
    "PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE REGENTS OR CONTRIBUTORS BE LIABLE FOR ANY DIRECT, "
    "INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT "
    "OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND "
    "ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) "
    "ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.";

/// How many catalog clock tables are bundled, and where; "" when none are found.
QString bundledClocksText() {
    try {
        const hub::ModelStore store(hub::Catalog::loadDefault());
        const auto bundled = store.bundled();
        if (bundled.empty()) return {};
        return QObject::tr("%1 clock coefficient tables ship with Benchtop (%2).")
            .arg(bundled.size())
            .arg(html(store.bundledClocksDir()));
    } catch (const std::exception&) {
        return {};
    }
}
}  // namespace

QString thirdPartyNoticesHtml() {
    QString text = QObject::tr("<p><b>Third-party data</b></p>");
    const QString bundled = bundledClocksText();
    text += QStringLiteral("<p>") + (bundled.isEmpty() ? QString() : bundled + QLatin1Char(' ')) +
            QObject::tr(
                "The clock coefficient tables are published coefficients redistributed by biolearn "
                "(github.com/bio-learn/biolearn) under the BSD-3-Clause licence below; the Horvath "
                "goldstandard2 reference table comes from methylclock (MIT, Copyright (c) 2019 Bioinformatic "
                "Research Group in Epidemiology). Usage: PhenoAge, Skin&amp;Blood and DNAmTL need the owner's "
                "licence for commercial use; DunedinPACE is for research use only. See THIRD_PARTY_NOTICES.md.") +
            QStringLiteral("</p>");
    text += QStringLiteral("<p><small>%1</small></p>")
                .arg(QString::fromLatin1(kBiolearnNotice)
                         .toHtmlEscaped()
                         .replace(QLatin1Char('\n'), QStringLiteral("<br>")));
    return text;
}

QString licenceSummaryHtml() {
    return QObject::tr(
        "<p><b>Licence</b><br>Benchtop is free software: you can redistribute it and/or modify it under the terms of "
        "the GNU General Public License, version 3 or any later version (GPL-3.0-or-later). It comes with "
        "ABSOLUTELY NO WARRANTY.</p>"
        "<p><b>Linked components</b><br>Qt 6 (LGPL-3.0; Qt Charts GPL-3.0) · libtorch (BSD-3-Clause) · "
        "FFmpeg (LGPL-2.1-or-later) · libcurl (curl licence) · OpenSSL (Apache-2.0) · zlib (Zlib) · "
        "utf8proc (MIT) · nlohmann/json (MIT) · CLI11 (BSD-3-Clause). Models keep the licences their catalog "
        "entries record. Help › Licences and Notices shows the full texts.</p>");
}

QString bundledLicenceText(const QString& name) {
    initLicenceResources();
    QFile file(QStringLiteral(":/benchtop/licences/") + name);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(file.readAll());
}

QString aboutText() {
    QStringList parts;
    parts << QObject::tr("<h2>Benchtop %1</h2>").arg(QLatin1String(BENCHTOP_VERSION));
    parts << QObject::tr(
        "<p>Local deep-learning inference for methylation clocks, text embeddings and "
        "speech recognition.</p>");
    parts << QObject::tr("<p>Qt %1 · libtorch %2 (%3)</p>")
                 .arg(QLatin1String(qVersion()), html(device::torchVersion()), html(device::torchBuild()));
    const device::CpuSummary& cpu = device::cpuSummary();
    parts << QObject::tr("<p>CPU: %1 (%2 cores / %3 threads)<br>Features: %4</p>")
                 .arg(html(cpu.model))
                 .arg(cpu.physicalCores)
                 .arg(cpu.logicalCores)
                 .arg(QString::fromStdString([&]() {
                          std::string joined;
                          for (const std::string& name : cpu.features) joined += (joined.empty() ? "" : " ") + name;
                          return joined.empty() ? std::string("—") : joined;
                      }())
                          .toHtmlEscaped());
    QString devices = QObject::tr("<p><b>Devices</b></p><ul>");
    try {
        for (const device::DeviceInfo& info : device::discoverDevices()) {
            devices += QStringLiteral("<li><b>%1</b> %2 — %3%4</li>")
                           .arg(html(info.id), html(info.name),
                                info.usable ? QObject::tr("usable")
                                            : QStringLiteral("<span style='color:%1'>%2</span>")
                                                  .arg(theme::css(theme::text(theme::Tone::Warning)),
                                                       QObject::tr("not usable")),
                                info.reason.empty() ? QString() : QStringLiteral(": ") + html(info.reason));
        }
    } catch (const std::exception& e) {
        devices += QStringLiteral("<li>%1</li>").arg(html(e.what()));
    }
    devices += QStringLiteral("</ul>");
    parts << devices;
    parts << licenceSummaryHtml();
    parts << thirdPartyNoticesHtml();
    return parts.join(QString());
}

void showAboutDialog(QWidget* parent) {
    QMessageBox box(parent);
    box.setWindowTitle(QObject::tr("About Benchtop"));
    box.setTextFormat(Qt::RichText);
    box.setText(aboutText());
    box.setIconPixmap(QApplication::windowIcon().pixmap(64, 64));
    QPushButton* licences = box.addButton(QObject::tr("&Licences..."), QMessageBox::ActionRole);
    box.addButton(QMessageBox::Close);
    box.exec();
    if (box.clickedButton() == licences) showLicencesDialog(parent);
}

void showLicencesDialog(QWidget* parent) {
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Licences and Notices"));
    dialog.resize(760, 560);
    auto* tabs = new QTabWidget(&dialog);

    auto* licence = new QPlainTextEdit(&dialog);
    licence->setReadOnly(true);
    licence->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    licence->setPlainText(bundledLicenceText(QStringLiteral("LICENSE")));
    tabs->addTab(licence, QObject::tr("Benchtop (GPL-3.0-or-later)"));

    auto* notices = new QTextBrowser(&dialog);
    notices->setOpenExternalLinks(true);
    notices->setMarkdown(bundledLicenceText(QStringLiteral("THIRD_PARTY_NOTICES.md")));
    tabs->addTab(notices, QObject::tr("Third-party components and data"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(tabs);
    layout->addWidget(buttons);
    dialog.exec();
}

}  // namespace benchtop::ui
