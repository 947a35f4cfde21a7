// Desktop integration, derived from the task registry: every extension a workload accepts must reach the Linux
// desktop entry (through a MIME type), the macOS bundle's document types and the Windows installer's file
// associations; the reverse-DNS application id must be the same everywhere; the icons must exist in every size.
#include <catch2/catch_test_macros.hpp>

#include <QApplication>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QIcon>
#include <QImage>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QSet>
#include <QXmlStreamReader>

#include <string>
#include <vector>

#include "core/workloads/builtin_workloads.h"
#include "core/engine/task.h"
#include "tests/ui/ui_test_support.h"
#include "ui/app_identity.h"

namespace {

const QString kBuild = QStringLiteral(BENCHTOP_PACKAGING_BUILD_DIR);
const QString kSource = QStringLiteral(BENCHTOP_SOURCE_DIR);
const QString kAppId = QStringLiteral(BENCHTOP_APP_ID);

QString readText(const QString& path) {
    QFile file(path);
    INFO(path.toStdString());
    REQUIRE(file.open(QIODevice::ReadOnly));
    return QString::fromUtf8(file.readAll());
}

struct AcceptedExtension {
    std::string task;
    QString extension;  ///< ".csv.gz"
    /// What a file manager or Finder matches on: the last suffix without the dot ("gz" for ".csv.gz").
    QString lastSuffix() const { return extension.mid(extension.lastIndexOf(QLatin1Char('.')) + 1); }
};

std::vector<AcceptedExtension> acceptedExtensions() {
    std::vector<AcceptedExtension> out;
    const auto registry = benchtop::workloads::builtinTasks();
    for (const auto& kind : registry.kinds())
        for (const std::string& ext : kind.extensions) out.push_back({kind.id, QString::fromStdString(ext)});
    REQUIRE(out.size() >= 3);
    return out;
}

/// The desktop entry's MimeType list.
QSet<QString> desktopMimeTypes(const QString& desktop) {
    const QRegularExpression line(QStringLiteral("^MimeType=(.*)$"), QRegularExpression::MultilineOption);
    const auto match = line.match(desktop);
    REQUIRE(match.hasMatch());
    QSet<QString> types;
    for (const QString& type : match.captured(1).split(QLatin1Char(';'), Qt::SkipEmptyParts)) types.insert(type);
    return types;
}

/// Benchtop's own shared-mime-info package: glob -> MIME type.
QList<QPair<QString, QString>> ownMimeGlobs() {
    QList<QPair<QString, QString>> globs;
    QXmlStreamReader xml(readText(kBuild + QStringLiteral("/linux/") + kAppId + QStringLiteral(".mime.xml")));
    QString type;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement) continue;
        if (xml.name() == QLatin1String("mime-type")) type = xml.attributes().value(QLatin1String("type")).toString();
        if (xml.name() == QLatin1String("glob"))
            globs.append({xml.attributes().value(QLatin1String("pattern")).toString(), type});
    }
    REQUIRE_FALSE(xml.hasError());
    return globs;
}

/// Every MIME type a file named "sample<ext>" may have: the system database's (with aliases and parents) and
/// Benchtop's own package's.
QSet<QString> mimeTypesOf(const QString& extension) {
    static const QMimeDatabase db;
    static const auto own = ownMimeGlobs();
    const QString name = QStringLiteral("sample") + extension;
    QSet<QString> types;
    for (const QMimeType& type : db.mimeTypesForFileName(name)) {
        types.insert(type.name());
        for (const QString& alias : type.aliases()) types.insert(alias);
    }
    for (const auto& [glob, type] : own) {
        const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(glob));
        if (re.match(name).hasMatch()) types.insert(type);
    }
    return types;
}

/// Strings of the plist array that follows <key>`key`</key>, for every occurrence of the key.
QStringList plistArrayStrings(const QString& plist, const QString& key) {
    QXmlStreamReader xml(plist);
    QStringList values;
    bool afterKey = false;
    int arrayDepth = 0;
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            if (xml.name() == QLatin1String("key")) {
                afterKey = xml.readElementText() == key;
            } else if (xml.name() == QLatin1String("array") && (afterKey || arrayDepth > 0)) {
                ++arrayDepth;
                afterKey = false;
            } else if (xml.name() == QLatin1String("string") && arrayDepth > 0) {
                values << xml.readElementText();
            } else {
                afterKey = false;
            }
        } else if (token == QXmlStreamReader::EndElement && xml.name() == QLatin1String("array") && arrayDepth > 0) {
            --arrayDepth;
        }
    }
    REQUIRE_FALSE(xml.hasError());
    return values;
}

/// The string that follows <key>`key`</key> at the top level of a plist.
QString plistString(const QString& plist, const QString& key) {
    QXmlStreamReader xml(plist);
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("key") &&
            xml.readElementText() == key) {
            while (!xml.atEnd() && xml.readNext() != QXmlStreamReader::StartElement) {
            }
            return xml.readElementText();
        }
    }
    return {};
}

}  // namespace

TEST_CASE("every file a task accepts has a MIME type in the desktop entry, and no other is listed", "[packaging]") {
    const QSet<QString> listed =
        desktopMimeTypes(readText(kBuild + QStringLiteral("/linux/") + kAppId + QStringLiteral(".desktop")));
    QSet<QString> used;
    for (const auto& accepted : acceptedExtensions()) {
        const QSet<QString> types = mimeTypesOf(accepted.extension);
        INFO(accepted.task << " accepts " << accepted.extension.toStdString() << ", MIME types "
                           << QStringList(types.values()).join(QLatin1Char(' ')).toStdString());
        CHECK(types.intersects(listed));
        used.unite(types);
    }
    for (const QString& type : listed) {
        INFO("the desktop entry lists " << type.toStdString() << ", which no task's files have");
        CHECK(used.contains(type));
    }
}

TEST_CASE("the MIME types each task kind declares are in the desktop entry", "[packaging]") {
    const QSet<QString> listed =
        desktopMimeTypes(readText(kBuild + QStringLiteral("/linux/") + kAppId + QStringLiteral(".desktop")));
    const auto registry = benchtop::workloads::builtinTasks();
    for (const auto& kind : registry.kinds()) {
        CHECK_FALSE(kind.mimeTypes.empty());
        for (const std::string& type : kind.mimeTypes) {
            INFO(kind.id << " declares " << type);
            CHECK(listed.contains(QString::fromStdString(type)));
        }
        // Each declared extension has one of the kind's declared MIME types (as the system or Benchtop's own
        // shared-mime-info package names it), so the declaration and the files agree.
        for (const std::string& ext : kind.extensions) {
            const QSet<QString> types = mimeTypesOf(QString::fromStdString(ext));
            bool declared = false;
            for (const std::string& type : kind.mimeTypes)
                declared = declared || types.contains(QString::fromStdString(type));
            INFO(kind.id << " accepts " << ext << " but declares none of its MIME types "
                         << QStringList(types.values()).join(QLatin1Char(' ')).toStdString());
            CHECK(declared);
        }
    }
}

TEST_CASE("the macOS bundle declares every file a task accepts as a document type", "[packaging]") {
    const QString plist = readText(kBuild + QStringLiteral("/macos/Info.plist"));
    const QStringList declared = plistArrayStrings(plist, QStringLiteral("CFBundleTypeExtensions"));
    REQUIRE_FALSE(declared.isEmpty());
    for (const auto& accepted : acceptedExtensions()) {
        INFO(accepted.task << " accepts " << accepted.extension.toStdString());
        CHECK(declared.contains(accepted.lastSuffix()));
    }
}

TEST_CASE("the Windows installer associates every file a task accepts with Benchtop", "[packaging]") {
    const QString nsh = readText(kBuild + QStringLiteral("/windows/file_associations.nsh"));
    for (const auto& accepted : acceptedExtensions()) {
        INFO(accepted.task << " accepts " << accepted.extension.toStdString());
        // The installer registers Benchtop under Software\Classes\.<ext>\OpenWithProgids.
        const QString key =
            QStringLiteral("Software\\Classes\\.") + accepted.lastSuffix() + QStringLiteral("\\OpenWithProgids");
        CHECK(nsh.contains(key));
    }
}

TEST_CASE("one reverse-DNS application id: Qt, desktop entry, AppStream, icon and macOS bundle", "[packaging]") {
    benchtop::test::uiApp();
    benchtop::ui::setApplicationIdentity();
    CHECK(kAppId == QStringLiteral("org.benchtop.Benchtop"));
    CHECK(benchtop::ui::applicationId() == kAppId);
    CHECK(QGuiApplication::desktopFileName() == kAppId);
    // The window icon: the installed theme icon, else every size compiled in from resources/benchtop.qrc.
    const QIcon icon = QGuiApplication::windowIcon();
    REQUIRE_FALSE(icon.isNull());
    if (icon.name().isEmpty()) CHECK(icon.availableSizes().size() >= 8);  // not a theme icon: the compiled-in set

    const QString desktop = readText(kBuild + QStringLiteral("/linux/") + kAppId + QStringLiteral(".desktop"));
    CHECK(desktop.contains(QStringLiteral("\nIcon=") + kAppId + QLatin1Char('\n')));
    const QString metainfo = readText(kBuild + QStringLiteral("/linux/") + kAppId + QStringLiteral(".metainfo.xml"));
    CHECK(metainfo.contains(QStringLiteral("<id>") + kAppId + QStringLiteral("</id>")));
    CHECK(metainfo.contains(QStringLiteral("<launchable type=\"desktop-id\">") + kAppId +
                            QStringLiteral(".desktop</launchable>")));
    CHECK(metainfo.contains(QStringLiteral("<icon type=\"stock\">") + kAppId + QStringLiteral("</icon>")));
    const QString plist = readText(kBuild + QStringLiteral("/macos/Info.plist"));
    CHECK(plistString(plist, QStringLiteral("CFBundleIdentifier")) == kAppId);
}

TEST_CASE("the application icon exists in every hicolor size and for macOS and Windows", "[packaging]") {
    for (const int size : {16, 24, 32, 48, 64, 128, 256, 512}) {
        const QString path = kSource + QStringLiteral("/resources/icons/benchtop-%1.png").arg(size);
        INFO(path.toStdString());
        const QImage image(path);
        REQUIRE_FALSE(image.isNull());
        CHECK(image.size() == QSize(size, size));
        CHECK(image.hasAlphaChannel());
    }
    const QString svg = readText(kSource + QStringLiteral("/resources/icons/benchtop.svg"));
    CHECK(svg.contains(QStringLiteral("<svg")));
    for (const char* name : {"benchtop.icns", "benchtop.ico"}) {
        const QFileInfo file(kSource + QStringLiteral("/resources/icons/") + QLatin1String(name));
        INFO(file.filePath().toStdString());
        CHECK(file.size() > 1000);
    }
}
