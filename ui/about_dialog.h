#pragma once

#include <QString>

class QWidget;

namespace benchtop::ui {

/// Rich text for the About box: version, libtorch version and build, CPU, devices with reasons, and the notices of
/// the bundled third-party data (thirdPartyNoticesHtml()).
QString aboutText();

/// The bundled clock tables (how many, where) with biolearn's BSD-3-Clause notice and the clocks' usage flags.
QString thirdPartyNoticesHtml();

/// Shows the About box.
void showAboutDialog(QWidget* parent);

}  // namespace benchtop::ui
