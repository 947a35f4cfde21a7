#pragma once

#include <QByteArray>
#include <QString>

namespace benchtop::ui {

/// Writes an export (a table, a map, search hits) the way the engine publishes results: through "<path>.part"
/// and a rename (engine::writeFileAtomically), so an interrupted export never leaves a half-written file and an
/// earlier export stays whole. False with the reason (naming the file) in `error` when it cannot.
bool writeExportFile(const QString& path, const QByteArray& bytes, QString* error);

/// writeExportFile() for CSV in UTF-8: with Settings' csvByteOrderMark() (on by default) the file starts with the
/// UTF-8 byte order mark, without which Excel reads it in the legacy code page and garbles non-ASCII sample names.
bool writeCsvExport(const QString& path, const QByteArray& utf8, QString* error);

}  // namespace benchtop::ui
