#pragma once

#include <QString>
#include <QStringList>

namespace benchtop::ui {

/// What installTranslations() put into the application.
struct InstalledTranslations {
    QString language;       ///< "en", "zh_CN" or "zh_TW": the language the window shows.
    bool benchtop = false;  ///< Benchtop's own catalogue (compiled into the program).
    QString qtbasePath;     ///< Qt's catalogue for the standard dialogs and buttons; empty when none was found.
};

/// The UI language a Language setting ("system", "en", "zh_CN", "zh_TW") means here: "system" follows the
/// system's UI languages (Chinese in Traditional script or of Taiwan, Hong Kong or Macau gives "zh_TW", other
/// Chinese "zh_CN", anything else "en").
QString resolveUiLanguage(const QString& setting);

/// Folders searched for Qt's own qtbase_<language>.qm, deployed copies first: beside the executable
/// (translations/, ../translations, ../share/benchtop/translations, ../Resources/translations in a macOS
/// bundle), then Qt's translations folder (QLibraryInfo::TranslationsPath).
QStringList qtTranslationDirs();

/// Installs the catalogues for `setting` into the running QApplication, replacing any installed by an earlier
/// call; "en" (or a system language Benchtop has no catalogue for) installs none. Call once at start, after
/// the QApplication exists and before any window is built.
InstalledTranslations installTranslations(const QString& setting);

}  // namespace benchtop::ui
