#pragma once

#include <QPalette>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "core/engine/task.h"

class QApplication;
class QWidget;

namespace benchtop::test {

/// The QApplication shared by every UI test (created on first use, offscreen, settings in a temp folder).
QApplication& uiApp();

/// Clears the user settings (stored in a temp folder for the whole test run).
void resetSettings();

/// Processes events until `done` returns true or `timeoutMs` passes; returns done().
bool waitUntil(const std::function<bool()>& done, int timeoutMs = 10000);

/// A test workload for files ending in ".sleep": the file holds the number of items; each item sleeps
/// `msPerItem` in run() (one item per batch) so progress and cancellation can be observed. finish()
/// writes "<stem>.result.txt" with the item count.
engine::TaskKind sleepTaskKind(int msPerItem);

/// A dark palette like the ones macOS, Windows and GNOME give in dark mode (dark-mode tests and screenshots).
QPalette darkPalette();

/// Sends a drop of `paths` to `target` the way a file manager would (drag enter, then drop); checks that
/// both were accepted.
void dropFiles(QWidget* target, const QStringList& paths);

/// Writes `text` to `path` (fails the test when it cannot).
void writeTextFile(const std::string& path, const std::string& text);

}  // namespace benchtop::test
