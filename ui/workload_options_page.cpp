#include "ui/workload_options_page.h"
#include "ui/workload_text.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include <climits>
#include <cmath>

namespace benchtop::ui {
namespace {

QString qs(const std::string& text) {
    return QString::fromStdString(text);
}

bool isOn(const QString& value) {
    const QString v = value.trimmed().toLower();
    return v == QLatin1String("true") || v == QLatin1String("1") || v == QLatin1String("yes") ||
           v == QLatin1String("on");
}

/// A spin box can show an integer option when its range is bounded and fits an int.
bool fitsSpinBox(const engine::OptionSpec& option) {
    return option.type == engine::OptionType::Integer && !(option.minimum == 0.0 && option.maximum == 0.0) &&
           option.minimum > double(INT_MIN) + 1 && option.maximum < double(INT_MAX);
}

}  // namespace

WorkloadOptionsPage::WorkloadOptionsPage(const engine::TaskKind& kind, const QMap<QString, QString>& values,
                                         const QString& model, QWidget* parent)
    : QWidget(parent), m_taskId(qs(kind.id)) {
    setObjectName(QStringLiteral("workloadPage_") + m_taskId);
    auto* form = new QFormLayout(this);
    auto* title = new QLabel(QStringLiteral("<b>%1</b>").arg(workloadText(kind.name).toHtmlEscaped()), this);
    form->addRow(title);
    if (!kind.fileDescription.empty()) {
        auto* files = new QLabel(tr("Files: %1").arg(workloadText(kind.fileDescription)), this);
        files->setWordWrap(true);
        form->addRow(files);
    }
    if (kind.choosesModel) {
        m_model = new QLineEdit(model, this);
        m_model->setObjectName(QStringLiteral("model"));
        m_model->setPlaceholderText(tr("Default model"));
        m_model->setToolTip(tr("Catalog id, Hugging Face repository id or model folder for new %1 jobs; the model "
                               "manager's \"Use for New Jobs\" sets it too.")
                                .arg(workloadText(kind.name)));
        form->addRow(tr("Model:"), m_model);
    }

    for (const engine::OptionSpec& option : kind.options) {
        if (option.perRun) continue;
        const QString key = qs(option.key);
        const QString stored = values.value(key);
        const QString fallback = qs(option.defaultValue);
        const QString current = stored.isEmpty() ? fallback : stored;
        const QString help = workloadText(option.help);
        QWidget* editor = nullptr;
        QWidget* row = nullptr;
        switch (option.type) {
            case engine::OptionType::Switch: {
                auto* box = new QCheckBox(this);
                box->setChecked(isOn(current));
                editor = box;
                break;
            }
            case engine::OptionType::Choice: {
                auto* combo = new QComboBox(this);
                if (fallback.isEmpty()) combo->addItem(tr("Default"), QString());
                for (const std::string& choice : option.choices)
                    combo->addItem(qs(choice) == fallback ? tr("%1 (default)").arg(qs(choice)) : qs(choice),
                                   qs(choice));
                const int at = combo->findData(current, Qt::UserRole, Qt::MatchFixedString);
                combo->setCurrentIndex(at >= 0 ? at : 0);
                editor = combo;
                break;
            }
            case engine::OptionType::Integer:
                if (fitsSpinBox(option)) {
                    // One step below the minimum stands for "not set": the task's default.
                    auto* spin = new QSpinBox(this);
                    spin->setRange(int(option.minimum) - 1, int(option.maximum));
                    spin->setSpecialValueText(fallback.isEmpty() ? tr("Default") : tr("Default (%1)").arg(fallback));
                    bool ok = false;
                    const int value = stored.toInt(&ok);
                    spin->setValue(ok && !stored.isEmpty() ? value : spin->minimum());
                    editor = spin;
                    break;
                }
                [[fallthrough]];
            default: {
                auto* edit = new QLineEdit(stored, this);
                if (!fallback.isEmpty()) edit->setPlaceholderText(tr("Default: %1").arg(fallback));
                editor = edit;
                if (option.type == engine::OptionType::File || option.type == engine::OptionType::Folder) {
                    auto* browse = new QPushButton(tr("Browse…"), this);
                    const bool folder = option.type == engine::OptionType::Folder;
                    connect(browse, &QPushButton::clicked, this,
                            [this, edit, folder, label = workloadText(option.displayLabel())] {
                                const QString chosen =
                                    folder ? QFileDialog::getExistingDirectory(this, label, edit->text())
                                           : QFileDialog::getOpenFileName(this, label, edit->text());
                                if (!chosen.isEmpty()) edit->setText(chosen);
                            });
                    auto* holder = new QWidget(this);
                    auto* layout = new QHBoxLayout(holder);
                    layout->setContentsMargins(0, 0, 0, 0);
                    layout->addWidget(edit, 1);
                    layout->addWidget(browse);
                    row = holder;
                }
                break;
            }
        }
        QString tip = help;
        if (!option.choices.empty() && option.type == engine::OptionType::List) {
            QStringList choices;
            for (const std::string& c : option.choices) choices << qs(c);
            tip += tr("\nValues: %1").arg(choices.join(QStringLiteral(", ")));
        }
        if (option.hasFlag()) tip += tr("\nCommand line: --%1").arg(qs(option.flagName()));
        editor->setToolTip(tip);
        editor->setObjectName(key);
        editor->setAccessibleName(workloadText(option.displayLabel()));
        editor->setAccessibleDescription(help);
        m_editors.insert(key, editor);
        m_options.push_back(option);
        form->addRow(workloadText(option.displayLabel()) + QLatin1Char(':'), row ? row : editor);
    }
    if (m_options.empty() && !kind.choosesModel) form->addRow(new QLabel(tr("This task has no settings."), this));
}

QString WorkloadOptionsPage::valueOf(const engine::OptionSpec& option) const {
    QWidget* editor = m_editors.value(qs(option.key));
    if (auto* box = qobject_cast<QCheckBox*>(editor))
        return box->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (auto* combo = qobject_cast<QComboBox*>(editor)) return combo->currentData().toString();
    if (auto* spin = qobject_cast<QSpinBox*>(editor))
        return spin->value() == spin->minimum() ? QString() : QString::number(spin->value());
    if (auto* edit = qobject_cast<QLineEdit*>(editor)) return edit->text().trimmed();
    return {};
}

QMap<QString, QString> WorkloadOptionsPage::values(const QMap<QString, QString>& stored) const {
    QMap<QString, QString> out = stored;
    for (const engine::OptionSpec& option : m_options) {
        const QString key = qs(option.key);
        const QString value = valueOf(option);
        const bool isDefault = value.isEmpty() || value.compare(qs(option.defaultValue), Qt::CaseInsensitive) == 0 ||
                               (option.type == engine::OptionType::Switch && option.defaultValue.empty() &&
                                value == QLatin1String("false"));
        if (isDefault)
            out.remove(key);
        else
            out.insert(key, value);
    }
    return out;
}

QString WorkloadOptionsPage::model() const {
    return m_model ? m_model->text().trimmed() : QString();
}

QString WorkloadOptionsPage::validationError() const {
    for (const engine::OptionSpec& option : m_options) {
        const QString value = valueOf(option);
        if (value.isEmpty()) continue;
        const std::string why = engine::checkOptionValue(option, value.toStdString());
        if (!why.empty()) return QStringLiteral("%1: %2").arg(workloadText(option.displayLabel()), qs(why));
    }
    return {};
}

}  // namespace benchtop::ui
