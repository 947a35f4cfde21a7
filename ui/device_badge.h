#pragma once

#include <QColor>
#include <QLabel>
#include <QWidget>

namespace benchtop::ui {

/// A compact pill showing the device and precision ("CPU · bf16") with the reason in its tooltip.
/// When the preferred device could not be used, an orange label next to it states why.
class DeviceBadge : public QWidget {
    Q_OBJECT
public:
    explicit DeviceBadge(QWidget* parent = nullptr);

    /// Shows `label` with `reason` as tooltip; `fellBack` adds the visible warning with the reason.
    void setChoice(const QString& label, const QString& reason, bool fellBack);
    /// Shows that the configured device cannot be used at all (`message` says why).
    void setError(const QString& message);

    QString label() const { return m_pill->text(); }
    QString warning() const { return !m_warning->isHidden() ? m_warning->text() : QString(); }
    bool isWarningShown() const { return !m_warning->isHidden(); }
    /// The pill's text and background colours now (from the palette; for contrast checks).
    QColor pillText() const { return m_pillText; }
    QColor pillBackground() const { return m_pillBackground; }
    /// The colour of the warning next to the pill (drawn on the window colour).
    QColor warningText() const { return m_warningText; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyStyle(bool warning);
    void updateAccessibleText();

    QLabel* m_pill;
    QLabel* m_warning;
    bool m_warningStyle = false;
    QColor m_pillText, m_pillBackground, m_warningText;
};

}  // namespace benchtop::ui
