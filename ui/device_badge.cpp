#include "ui/device_badge.h"

#include <QHBoxLayout>

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
    m_warning->setStyleSheet(QStringLiteral("QLabel { color: #b35c00; font-weight: 600; }"));
    m_warning->hide();
    m_pill->setObjectName(QStringLiteral("deviceBadgePill"));
    layout->addWidget(m_warning);
    layout->addWidget(m_pill);
    setChoice(tr("detecting…"), {}, false);
}

void DeviceBadge::applyStyle(bool warning) {
    const QString colours = warning ? QStringLiteral("background: #fff3e0; color: #b35c00; border: 1px solid #f0a040;")
                                    : QStringLiteral("background: #e8f1fb; color: #1a4f8b; border: 1px solid #9bbfe6;");
    m_pill->setStyleSheet(QStringLiteral("QLabel#deviceBadgePill { %1 border-radius: 9px; padding: 2px 10px; "
                                         "font-weight: 600; }")
                              .arg(colours));
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
}

void DeviceBadge::setError(const QString& message) {
    m_pill->setText(tr("No device"));
    m_pill->setToolTip(message);
    applyStyle(true);
    m_warning->setText(QStringLiteral("⚠ ") + message);
    m_warning->setToolTip(message);
    m_warning->show();
}

}  // namespace benchtop::ui
