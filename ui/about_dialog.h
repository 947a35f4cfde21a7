#pragma once

#include <QString>

class QWidget;

namespace benchtop::ui {

/// Rich text for the About box: version, libtorch version and build, CPU, devices with reasons, and the notices of
/// the bundled third-party data (thirdPartyNoticesHtml()).
QString aboutText();

/// The bundled clock tables (how many, where) with biolearn's BSD-3-Clause notice and the clocks' usage flags.
QString thirdPartyNoticesHtml();

/// Benchtop's licence and the components it links, each with its licence (short HTML for the About box).
QString licenceSummaryHtml();

/// A text compiled into Benchtop from resources/licences.qrc: "LICENSE" or "THIRD_PARTY_NOTICES.md"; "" if absent.
QString bundledLicenceText(const QString& name);

/// Shows the About box (with a Licences... button).
void showAboutDialog(QWidget* parent);

/// Shows Benchtop's licence (GPL-3.0-or-later) and the third-party notices, one tab each.
void showLicencesDialog(QWidget* parent);

}  // namespace benchtop::ui
