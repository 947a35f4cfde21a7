#include "ui/models/zip_import.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <QStorageInfo>
#include <QTemporaryDir>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipfileinfo.h>

#include <fstream>

#include "core/common/error.h"
#include "core/hub/model_family.h"

namespace benchtop::ui {

namespace {

// Unix file type bits, stored by zip tools in the high 16 bits of an entry's external attributes.
constexpr std::uint32_t kUnixTypeMask = 0170000;
constexpr std::uint32_t kUnixSymlink = 0120000;
constexpr qint64 kChunkBytes = 1 << 20;

std::string str(const QString& text) {
    return text.toStdString();
}

// Zip names use '/', but archivers on Windows sometimes store '\'; both separate folders on Windows.
QString withSlashes(QString name) {
    return name.replace(QLatin1Char('\\'), QLatin1Char('/'));
}

// macOS Finder adds resource forks under __MACOSX/ and .DS_Store files; they are not part of the model.
bool isPlatformClutter(const QString& name) {
    return name == QLatin1String("__MACOSX") || name.startsWith(QLatin1String("__MACOSX/")) ||
           QFileInfo(name).fileName() == QLatin1String(".DS_Store");
}

QString sizeText(quint64 bytes) {
    return QLocale::c().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeSIFormat);
}

/// Removes `<store>/.downloads` when an import left it empty (it only ever holds work in progress).
struct RemoveIfEmpty {
    QString folder;
    ~RemoveIfEmpty() { QDir().rmdir(folder); }
};

/// The catalog id a model folder records about itself, if any.
QString recordedCatalogId(const QString& folder) {
    QFile record(folder + QLatin1Char('/') + QLatin1String(hub::kStoreRecordName));
    if (!record.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(record.readAll()).object().value(QLatin1String("catalog_id")).toString();
}

/// Copies the current entry of `zip` to `target`, checking its size and CRC.
void extractCurrentEntry(QuaZip& zip, const QuaZipFileInfo64& info, const QString& target, const std::string& context) {
    QuaZipFile in(&zip);
    if (!in.open(QIODevice::ReadOnly)) {
        throw Error(context, "entry '" + str(info.name) + "' cannot be read (zip error " +
                                 std::to_string(in.getZipError()) + "); the archive may be damaged.");
    }
    QFile out(target);
    if (!out.open(QIODevice::WriteOnly)) {
        throw Error(str(target), "cannot be written (" + str(out.errorString()) + ").");
    }
    QByteArray buffer;
    quint64 written = 0;
    while (true) {
        buffer = in.read(kChunkBytes);
        if (buffer.isEmpty()) break;
        written += quint64(buffer.size());
        // The header's size is what the free-space check trusted: an entry may not inflate beyond it.
        if (written > info.uncompressedSize) {
            throw Error(context, "entry '" + str(info.name) + "' holds more data than its header declares (" +
                                     std::to_string(info.uncompressedSize) + " bytes); the archive was refused.");
        }
        if (out.write(buffer) != buffer.size()) {
            throw Error(str(target), "writing failed (" + str(out.errorString()) + "); is the disk full?");
        }
    }
    out.close();
    in.close();
    if (in.getZipError() != UNZ_OK || written != info.uncompressedSize) {
        throw Error(context, "entry '" + str(info.name) +
                                 "' is damaged (CRC mismatch or truncated data); the archive was refused.");
    }
}

}  // namespace

QString unsafeZipEntryReason(const QString& name, std::uint32_t externalAttributes) {
    if (name.isEmpty()) return QStringLiteral("has an empty name");
    if (name.contains(QChar(0))) return QStringLiteral("has a NUL character in its name");
    const QString path = withSlashes(name);
    if (path.startsWith(QLatin1Char('/')))
        return QStringLiteral("is an absolute path, which would be written outside the target folder");
    if (path.size() >= 2 && path.at(1) == QLatin1Char(':') && path.at(0).isLetter())
        return QStringLiteral("starts with a drive letter, which would be written outside the target folder");
    if (path.contains(QLatin1Char(':'))) return QStringLiteral("has ':' in its name (a Windows drive or stream name)");
    for (const QString& part : path.split(QLatin1Char('/'))) {
        if (part == QLatin1String("..")) return QStringLiteral("climbs out of the target folder with '..'");
    }
    if (((externalAttributes >> 16) & kUnixTypeMask) == kUnixSymlink)
        return QStringLiteral("is a symbolic link, which could point outside the target folder");
    return {};
}

hub::LocalModel importModelZip(hub::ModelStore& store, const QString& zipPath, const QString& id) {
    const std::string context = str(zipPath);
    const QFileInfo zipInfo(zipPath);
    if (!zipInfo.isFile()) throw Error(context, "no such file.");
    if (store.storeDir().empty()) throw Error(context, "no model store folder is configured.");

    QuaZip zip(zipPath);
    if (!zip.open(QuaZip::mdUnzip)) {
        throw Error(context, "is not a readable zip archive (zip error " + std::to_string(zip.getZipError()) + ").");
    }
    const QList<QuaZipFileInfo64> entries = zip.getFileInfoList64();
    if (zip.getZipError() != UNZ_OK) {
        throw Error(context,
                    "the archive's directory is damaged (zip error " + std::to_string(zip.getZipError()) + ").");
    }

    // Check every entry before writing anything, so a hostile archive leaves no trace.
    quint64 totalBytes = 0;
    QSet<QString> topLevel;
    bool fileAtRoot = false;
    for (const QuaZipFileInfo64& entry : entries) {
        const QString reason = unsafeZipEntryReason(entry.name, entry.externalAttr);
        if (!reason.isEmpty()) {
            throw Error(context,
                        "refused: entry '" + str(entry.name) + "' " + str(reason) + "; nothing was extracted.");
        }
        if (entry.isEncrypted()) {
            throw Error(context,
                        "entry '" + str(entry.name) + "' is encrypted; Benchtop imports unencrypted archives only.");
        }
        const QString path = withSlashes(entry.name);
        if (isPlatformClutter(path)) continue;
        totalBytes += entry.uncompressedSize;
        const QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        if (parts.isEmpty()) continue;
        topLevel.insert(parts.first());
        if (parts.size() == 1 && !path.endsWith(QLatin1Char('/'))) fileAtRoot = true;
    }
    if (topLevel.isEmpty()) throw Error(context, "the archive holds no files.");
    const QString topFolder = (topLevel.size() == 1 && !fileAtRoot) ? *topLevel.begin() : QString();

    // Extract next to the store, on the same volume, so the model moves into place with a rename.
    const QString stagingRoot = QString::fromStdString(store.storeDir()) + QStringLiteral("/.downloads");
    if (!QDir().mkpath(stagingRoot)) throw Error(str(stagingRoot), "cannot create the store's staging folder.");
    RemoveIfEmpty cleanStaging{stagingRoot};
    const QStorageInfo volume(stagingRoot);
    if (volume.isValid() && quint64(volume.bytesAvailable()) < totalBytes) {
        throw Error(context, "needs " + str(sizeText(totalBytes)) + " unpacked but only " +
                                 str(sizeText(quint64(volume.bytesAvailable()))) + " is free on " +
                                 str(volume.rootPath()) + ".");
    }
    QTemporaryDir temp(stagingRoot + QStringLiteral("/.unzip-XXXXXX"));
    if (!temp.isValid())
        throw Error(str(stagingRoot), "cannot create a temporary folder (" + str(temp.errorString()) + ").");
    const QString tempRoot = QDir(temp.path()).canonicalPath();

    for (bool more = zip.goToFirstFile(); more; more = zip.goToNextFile()) {
        QuaZipFileInfo64 info;
        if (!zip.getCurrentFileInfo(&info)) {
            throw Error(context, "an entry cannot be read (zip error " + std::to_string(zip.getZipError()) + ").");
        }
        const QString path = withSlashes(info.name);
        if (!unsafeZipEntryReason(info.name, info.externalAttr).isEmpty()) {
            throw Error(context, "refused: entry '" + str(info.name) + "' is unsafe; nothing was imported.");
        }
        if (isPlatformClutter(path)) continue;
        const QString target = QDir::cleanPath(tempRoot + QLatin1Char('/') + path);
        // Belt and braces: the checks above already rule this out.
        if (!target.startsWith(tempRoot + QLatin1Char('/'))) {
            throw Error(context, "refused: entry '" + str(info.name) + "' resolves outside the target folder.");
        }
        if (path.endsWith(QLatin1Char('/'))) {
            if (!QDir().mkpath(target)) throw Error(str(target), "cannot create the folder.");
            continue;
        }
        if (!QDir().mkpath(QFileInfo(target).path())) throw Error(str(target), "cannot create its folder.");
        extractCurrentEntry(zip, info, target, context);
    }
    if (zip.getZipError() != UNZ_OK) {
        throw Error(context, "reading the archive failed (zip error " + std::to_string(zip.getZipError()) + ").");
    }
    zip.close();

    const QString modelRoot = topFolder.isEmpty() ? tempRoot : tempRoot + QLatin1Char('/') + topFolder;
    QString storeId = id;
    if (storeId.isEmpty()) storeId = recordedCatalogId(modelRoot);
    if (storeId.isEmpty()) storeId = topFolder;
    if (storeId.isEmpty()) {
        storeId = zipInfo.fileName();
        if (storeId.endsWith(QLatin1String(".zip"), Qt::CaseInsensitive)) storeId.chop(4);
    }

    // Record where the model came from (the hub would otherwise record the temporary folder).
    const QString recordPath = modelRoot + QLatin1Char('/') + QLatin1String(hub::kStoreRecordName);
    if (!QFileInfo::exists(recordPath)) {
        const hub::CatalogEntry* entry = store.catalog().find(str(storeId));
        QJsonObject record;
        record.insert(QStringLiteral("id"), storeId);
        record.insert(QStringLiteral("catalog_id"), entry ? QString::fromStdString(entry->id) : QString());
        record.insert(QStringLiteral("repo"), entry ? QString::fromStdString(entry->repo) : QString());
        record.insert(QStringLiteral("family"),
                      QString::fromStdString(hub::toString(entry ? entry->family : hub::detectFamily(str(modelRoot)))));
        record.insert(QStringLiteral("source_type"), QStringLiteral("zip"));
        record.insert(QStringLiteral("imported_from"), zipInfo.absoluteFilePath());
        QFile file(recordPath);
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(record).toJson()) < 0) {
            throw Error(str(recordPath), "cannot be written (" + str(file.errorString()) + ").");
        }
    }

    try {
        return store.importFolder(str(modelRoot), str(storeId), /*move=*/true);
    } catch (const Error& e) {
        // The hub names the temporary folder; name the archive (and its top folder) instead.
        std::string message = e.context() == str(modelRoot) ? e.message() : std::string(e.what());
        const std::string inArchive = str(zipInfo.fileName() + (topFolder.isEmpty() ? QString() : "/" + topFolder));
        for (const std::string& prefix : {str(modelRoot) + ": ", str(modelRoot)}) {
            for (auto at = message.find(prefix); at != std::string::npos; at = message.find(prefix)) {
                message.replace(at, prefix.size(), prefix.back() == ' ' ? std::string() : inArchive);
            }
        }
        throw Error(context, message);
    }
}

}  // namespace benchtop::ui
