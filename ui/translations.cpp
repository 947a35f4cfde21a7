#include "ui/translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace benchtop::ui {

namespace {

// Object names of the translators installTranslations() owns, so that a later call can replace them.
const char* const kBenchtopTranslator = "benchtopTranslator";
const char* const kQtTranslator = "benchtopQtTranslator";

QString languageOfLocale(const QLocale& locale) {
    if (locale.language() != QLocale::Chinese) return QStringLiteral("en");
    const bool traditional = locale.script() == QLocale::TraditionalChineseScript ||
                             (locale.script() == QLocale::AnyScript &&
                              (locale.territory() == QLocale::Taiwan || locale.territory() == QLocale::HongKong ||
                               locale.territory() == QLocale::Macau));
    return traditional ? QStringLiteral("zh_TW") : QStringLiteral("zh_CN");
}

void removeOwnTranslators() {
    QCoreApplication* app = QCoreApplication::instance();
    for (const char* name : {kBenchtopTranslator, kQtTranslator}) {
        for (QTranslator* translator : app->findChildren<QTranslator*>(QString::fromLatin1(name))) {
            QCoreApplication::removeTranslator(translator);
            delete translator;
        }
    }
}

}  // namespace

QString resolveUiLanguage(const QString& setting) {
    if (setting == QLatin1String("en") || setting == QLatin1String("zh_CN") || setting == QLatin1String("zh_TW"))
        return setting;
    // The first of the system's UI languages decides: a user who prefers English over Chinese gets English.
    const QStringList preferred = QLocale::system().uiLanguages();
    if (preferred.isEmpty()) return languageOfLocale(QLocale::system());
    return languageOfLocale(QLocale(preferred.front()));
}

QStringList qtTranslationDirs() {
    const QString exeDir = QCoreApplication::applicationDirPath();
    QStringList dirs{exeDir + QStringLiteral("/translations"), exeDir + QStringLiteral("/../translations"),
                     exeDir + QStringLiteral("/../share/benchtop/translations"),
                     exeDir + QStringLiteral("/../Resources/translations"),
                     QLibraryInfo::path(QLibraryInfo::TranslationsPath)};
    for (QString& dir : dirs) dir = QDir::cleanPath(dir);
    dirs.removeDuplicates();
    return dirs;
}

InstalledTranslations installTranslations(const QString& setting) {
    InstalledTranslations installed;
    installed.language = resolveUiLanguage(setting);
    QCoreApplication* app = QCoreApplication::instance();
    if (!app) return installed;
    removeOwnTranslators();
    if (installed.language == QLatin1String("en")) return installed;

    // Benchtop's catalogue is compiled in (qt_add_translations in ui/CMakeLists.txt), so no install path matters.
    auto* own = new QTranslator(app);
    own->setObjectName(QString::fromLatin1(kBenchtopTranslator));
    if (own->load(QStringLiteral(":/i18n/benchtop_") + installed.language + QStringLiteral(".qm"))) {
        QCoreApplication::installTranslator(own);
        installed.benchtop = true;
    } else {
        delete own;
    }

    // Qt's own strings (Cancel, Open, the file dialog) come from qtbase_<language>.qm where Qt or a deployment put it.
    const QString qtFile = QStringLiteral("qtbase_") + installed.language + QStringLiteral(".qm");
    for (const QString& dir : qtTranslationDirs()) {
        const QString path = dir + QLatin1Char('/') + qtFile;
        if (!QFile::exists(path)) continue;
        auto* qt = new QTranslator(app);
        qt->setObjectName(QString::fromLatin1(kQtTranslator));
        if (qt->load(path)) {
            QCoreApplication::installTranslator(qt);
            installed.qtbasePath = path;
            break;
        }
        delete qt;
    }
    return installed;
}

}  // namespace benchtop::ui
