#pragma once

#include <QByteArray>
#include <QString>

namespace benchtop::ui {

/// Writes an export (a table, a map, search hits) the way the engine publishes results: through "<path>.part"
/// and a rename (engine::writeFileAtomically), so an interrupted export never leaves a half-written file and an
/// earlier export stays whole. False with the reason (naming the file) in `error` when it cannot.
bool writeExportFile(const QString& path, const QByteArray& bytes, QString* error);

}  // namespace benchtop::ui
