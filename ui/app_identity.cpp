#include "ui/app_identity.h"

#include <QApplication>
#include <QDir>
#include <QGuiApplication>
#include <QIcon>

#include "ui/settings.h"

#ifndef BENCHTOP_APP_ID
#error "BENCHTOP_APP_ID is set by CMake (the top-level CMakeLists.txt)"
#endif

namespace benchtop::ui {

QString applicationId() {
    return QStringLiteral(BENCHTOP_APP_ID);
}

void setApplicationNames(const QString& version) {
    QApplication::setOrganizationName(QString::fromLatin1(Settings::kOrganisation));
    QApplication::setApplicationName(QString::fromLatin1(Settings::kApplication));
    QApplication::setApplicationVersion(version);
}

void setApplicationIdentity() {
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Benchtop"));
    QGuiApplication::setDesktopFileName(applicationId());
    // The installed theme icon when there is one (it follows the user's icon theme), else the compiled-in sizes.
    QIcon icon = QIcon::fromTheme(applicationId());
    if (icon.isNull()) {
        const QDir icons(QStringLiteral(":/benchtop/icons"));
        for (const QString& file : icons.entryList({QStringLiteral("benchtop-*.png")}, QDir::Files))
            icon.addFile(icons.filePath(file));
    }
    QGuiApplication::setWindowIcon(icon);
}

}  // namespace benchtop::ui
