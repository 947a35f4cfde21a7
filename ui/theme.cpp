#include "ui/theme.h"

#include <QAbstractSeries>
#include <QChart>
#include <QGuiApplication>
#include <QLegend>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QVariant>

#include <algorithm>
#include <cmath>

namespace benchtop::ui::theme {

namespace {

constexpr double kMinimumContrast = 4.5;
constexpr const char* kSeriesIndexProperty = "seriesIndex";
constexpr const char* kSeriesAlphaProperty = "seriesAlpha";

/// The tone as designed for a light background and for a dark one.
QColor baseColour(Tone tone, bool dark) {
    switch (tone) {
        case Tone::Accent:
            return dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x4f, 0x8b);
        case Tone::Success:
            return dark ? QColor(0x81, 0xc9, 0x95) : QColor(0x1b, 0x7f, 0x3b);
        case Tone::Warning:
            return dark ? QColor(0xfd, 0xb8, 0x63) : QColor(0xa3, 0x4f, 0x00);
        case Tone::Error:
            return dark ? QColor(0xf2, 0x8b, 0x82) : QColor(0xb3, 0x26, 0x1e);
        case Tone::Muted:
            return dark ? QColor(0xa8, 0xad, 0xb3) : QColor(0x5f, 0x63, 0x68);
    }
    return {};
}

QColor mix(const QColor& a, const QColor& b, double t) {
    const auto channel = [t](int x, int y) { return int(std::lround(x + (y - x) * t)); };
    return QColor(channel(a.red(), b.red()), channel(a.green(), b.green()), channel(a.blue(), b.blue()));
}

double linear(int channel) {
    const double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

}  // namespace

QPalette current() {
    return QGuiApplication::palette();
}

bool isDark(const QPalette& palette) {
    return relativeLuminance(palette.color(QPalette::Window)) < relativeLuminance(palette.color(QPalette::WindowText));
}

double relativeLuminance(const QColor& colour) {
    const QColor rgb = colour.toRgb();
    return 0.2126 * linear(rgb.red()) + 0.7152 * linear(rgb.green()) + 0.0722 * linear(rgb.blue());
}

double contrastRatio(const QColor& a, const QColor& b) {
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor text(Tone tone, const QColor& background, const QPalette& palette) {
    const QColor designed = baseColour(tone, isDark(palette));
    // The palette's own text colour is the fallback: towards it until the contrast is enough, or towards
    // black / white when even that colour does not read on this background.
    QColor target = palette.color(QPalette::Text);
    if (contrastRatio(target, background) < kMinimumContrast)
        target = relativeLuminance(background) > 0.18 ? QColor(Qt::black) : QColor(Qt::white);
    for (int step = 0; step <= 10; ++step) {
        const QColor candidate = mix(designed, target, step / 10.0);
        if (contrastRatio(candidate, background) >= kMinimumContrast) return candidate;
    }
    return target;
}

QColor text(Tone tone, const QPalette& palette) {
    return text(tone, palette.color(QPalette::Base), palette);
}

QColor tint(Tone tone, const QPalette& palette) {
    const bool dark = isDark(palette);
    return mix(palette.color(QPalette::Base), baseColour(tone, dark), dark ? 0.22 : 0.12);
}

QColor border(Tone tone, const QPalette& palette) {
    const bool dark = isDark(palette);
    return mix(palette.color(QPalette::Base), baseColour(tone, dark), dark ? 0.55 : 0.45);
}

QColor series(int index, const QPalette& palette) {
    static const QColor kTableau[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                      QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                      QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
                                      QColor(0x17, 0xbe, 0xcf)};
    const QColor colour = kTableau[((index % 10) + 10) % 10];
    // On a dark plot area the darker Tableau colours (blue, brown, purple) lose their line: lift them.
    return isDark(palette) ? mix(colour, QColor(Qt::white), 0.3) : colour;
}

QString css(const QColor& colour) {
    return colour.name(QColor::HexRgb);
}

QString mutedLabelStyle(const QPalette& palette) {
    return QStringLiteral("QLabel { color: %1; }")
        .arg(css(text(Tone::Muted, palette.color(QPalette::Window), palette)));
}

void setSeriesIndex(QObject* series, int index, int alpha) {
    series->setProperty(kSeriesIndexProperty, index);
    series->setProperty(kSeriesAlphaProperty, alpha);
}

void styleChart(QChart* chart, const QPalette& palette) {
    const bool dark = isDark(palette);
    const QChart::ChartTheme wanted = dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    // setTheme() resets fonts, pens and series colours: widths and dash styles are kept and put back below.
    const QFont titleFont = chart->titleFont();
    QList<QPen> pens;
    for (QAbstractSeries* s : chart->series()) {
        auto* xy = qobject_cast<QXYSeries*>(s);
        pens << (xy ? xy->pen() : QPen());
    }
    if (chart->theme() != wanted) chart->setTheme(wanted);
    QFont bold = titleFont;
    bold.setBold(true);
    chart->setTitleFont(bold);
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setTitleBrush(palette.color(QPalette::Text));
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    const QList<QAbstractSeries*> all = chart->series();
    for (int i = 0; i < all.size(); ++i) {
        QAbstractSeries* s = all[i];
        const QVariant index = s->property(kSeriesIndexProperty);
        if (!index.isValid()) continue;
        const QColor colour = series(index.toInt(), palette);
        if (auto* scatter = qobject_cast<QScatterSeries*>(s)) {
            QColor fill = colour;
            fill.setAlpha(s->property(kSeriesAlphaProperty).toInt());
            scatter->setColor(fill);
            scatter->setBorderColor(dark ? colour.lighter(130) : colour.darker(160));
        } else if (auto* line = qobject_cast<QXYSeries*>(s)) {
            QPen pen = pens.value(i);
            pen.setColor(colour);
            line->setPen(pen);
        }
    }
}

}  // namespace benchtop::ui::theme
