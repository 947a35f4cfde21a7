#include "ui/device_badge.h"

#include <QEvent>
#include <QHBoxLayout>

#include "ui/theme.h"

namespace benchtop::ui {

namespace {
/// "cpu · bf16" -> "CPU · bf16": the device part reads better upper-case, the dtype stays as typed.
QString prettyLabel(const QString& label) {
    const qsizetype dot = label.indexOf(QStringLiteral(" · "));
    if (dot < 0) return label.toUpper();
    return label.left(dot).toUpper() + label.mid(dot);
}
}  // namespace

DeviceBadge::DeviceBadge(QWidget* parent) : QWidget(parent), m_pill(new QLabel(this)), m_warning(new QLabel(this)) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(8);
    m_warning->setWordWrap(false);
    m_warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->setObjectName(QStringLiteral("deviceBadgeWarning"));
    m_warning->hide();
    m_pill->setObjectName(QStringLiteral("deviceBadgePill"));
    layout->addWidget(m_warning);
    layout->addWidget(m_pill);
    setChoice(tr("detecting…"), {}, false);
}

void DeviceBadge::applyStyle(bool warning) {
    m_warningStyle = warning;
    // From the palette, so the pill reads in dark themes too: a tint of the tone with text that has enough
    // contrast on it.
    const QPalette palette = this->palette();
    const theme::Tone tone = warning ? theme::Tone::Warning : theme::Tone::Accent;
    m_pillBackground = theme::tint(tone, palette);
    m_pillText = theme::text(tone, m_pillBackground, palette);
    m_pill->setStyleSheet(
        QStringLiteral("QLabel#deviceBadgePill { background: %1; color: %2; border: 1px solid %3; "
                       "border-radius: 9px; padding: 2px 10px; font-weight: 600; }")
            .arg(theme::css(m_pillBackground), theme::css(m_pillText), theme::css(theme::border(tone, palette))));
    m_warningText = theme::text(theme::Tone::Warning, palette.color(QPalette::Window), palette);
    m_warning->setStyleSheet(QStringLiteral("QLabel { color: %1; font-weight: 600; }").arg(theme::css(m_warningText)));
}

void DeviceBadge::updateAccessibleText() {
    setAccessibleName(tr("Device: %1").arg(m_pill->text()));
    m_pill->setAccessibleName(accessibleName());
    const QString why = m_pill->toolTip();
    setAccessibleDescription(isWarningShown() ? tr("Warning: %1").arg(why) : why);
    m_pill->setAccessibleDescription(accessibleDescription());
}

void DeviceBadge::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) applyStyle(m_warningStyle);
}

void DeviceBadge::setChoice(const QString& label, const QString& reason, bool fellBack) {
    m_pill->setText(prettyLabel(label));
    m_pill->setToolTip(reason);
    applyStyle(fellBack);
    if (fellBack && !reason.isEmpty()) {
        m_warning->setText(QStringLiteral("⚠ ") + reason);
        m_warning->setToolTip(reason);
        m_warning->show();
    } else {
        m_warning->hide();
    }
    updateAccessibleText();
}

void DeviceBadge::setError(const QString& message) {
    m_pill->setText(tr("No device"));
    m_pill->setToolTip(message);
    applyStyle(true);
    m_warning->setText(QStringLiteral("⚠ ") + message);
    m_warning->setToolTip(message);
    m_warning->show();
    updateAccessibleText();
}

}  // namespace benchtop::ui
