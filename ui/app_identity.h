#pragma once

#include <QString>

namespace benchtop::ui {

/// Benchtop's reverse-DNS application id, "org.benchtop.Benchtop": the desktop entry and AppStream metainfo are
/// installed under this name, the hicolor icon has it, the macOS bundle identifier is it, and Qt reports it as
/// the desktop file name (the Wayland app id, so the compositor pairs windows with the desktop entry).
QString applicationId();

/// Before the QApplication exists: organisation, application name and version (they locate the settings).
void setApplicationNames(const QString& version);

/// After the QApplication exists: display name, desktop file name and window icon.
void setApplicationIdentity();

}  // namespace benchtop::ui
