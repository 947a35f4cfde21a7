#pragma once

#include <QString>

class QWidget;

namespace benchtop::ui {

/// Rich text for the About box: version, libtorch version and build, CPU, devices with reasons.
QString aboutText();

/// Shows the About box.
void showAboutDialog(QWidget* parent);

}  // namespace benchtop::ui
