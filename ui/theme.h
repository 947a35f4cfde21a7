#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

class QChart;
class QObject;

namespace benchtop::ui::theme {

/// What a custom colour means; each tone has a light-palette and a dark-palette variant.
enum class Tone { Accent, Success, Warning, Error, Muted };

/// True when the palette's window is darker than its text (a dark theme, the system's or a style's).
bool isDark(const QPalette& palette);
/// The application's palette (QGuiApplication::palette()).
QPalette current();

/// WCAG 2.1 relative luminance of `colour` (alpha ignored), 0 = black, 1 = white.
double relativeLuminance(const QColor& colour);
/// WCAG 2.1 contrast ratio of two colours, 1..21; 4.5 is the AA minimum for body text.
double contrastRatio(const QColor& a, const QColor& b);

/// A text colour of `tone` that reads on `background` (contrast of at least 4.5:1), from the palette's
/// variant of the tone, moved towards the palette's text colour where it would not.
QColor text(Tone tone, const QColor& background, const QPalette& palette = current());
/// text() on the palette's base colour (table cells, text fields).
QColor text(Tone tone, const QPalette& palette = current());
/// A soft background of `tone` for pills, message bars and highlighted cells: the tone blended into the
/// palette's base colour (light on light palettes, dark on dark ones).
QColor tint(Tone tone, const QPalette& palette = current());
/// The border drawn around a tint().
QColor border(Tone tone, const QPalette& palette = current());
/// Colour of the `index`-th chart series (the Tableau 10 cycle, lightened on dark palettes).
QColor series(int index, const QPalette& palette = current());
/// "#rrggbb" for style sheets and rich text.
QString css(const QColor& colour);
/// "QLabel { color: #rrggbb; }": secondary text (notes, captions) that still reads on the window colour.
QString mutedLabelStyle(const QPalette& palette = current());

/// Styles `chart` for the palette: Qt Charts' dark theme on dark palettes, the light one otherwise, with the
/// series coloured by series() from their "seriesIndex" property (set by setSeriesIndex) and bold titles.
void styleChart(QChart* chart, const QPalette& palette = current());
/// Remembers which series() colour (and fill alpha, for scatter points) a chart series has, so styleChart() can
/// colour it again after a theme change.
void setSeriesIndex(QObject* series, int index, int alpha = 255);

}  // namespace benchtop::ui::theme
