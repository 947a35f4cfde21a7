#pragma once

#include <QMap>
#include <QString>
#include <QWidget>

#include "core/engine/task.h"

class QLineEdit;

namespace benchtop::ui {

/// One task's settings page (Settings › Workloads), generated from the task kind's declared options: a check
/// box per switch, a spin box per bounded whole number, a combo box per choice, a line edit per text, list,
/// number or path (with Browse… for paths), each with the option's help as tooltip and its default shown.
/// Options that are per run only (a sample sheet) are left out. Values are read back as task options; a value
/// equal to the declared default is not stored, so a changed default in a later version takes effect.
class WorkloadOptionsPage : public QWidget {
    Q_OBJECT
public:
    /// `values`: the stored options of this task; `model`: the stored model (pages of tasks that choose one).
    WorkloadOptionsPage(const engine::TaskKind& kind, const QMap<QString, QString>& values, const QString& model,
                        QWidget* parent = nullptr);

    const QString& taskId() const { return m_taskId; }
    /// The options as edited: `stored` with every declared option replaced by the page's value (absent when
    /// default or empty); options the page does not show are kept.
    QMap<QString, QString> values(const QMap<QString, QString>& stored = {}) const;
    /// The model field ("" = the task's default); empty when the task chooses no model.
    QString model() const;
    /// "Beam size: 'x' is not a whole number", or "" when every value is acceptable.
    QString validationError() const;
    /// The editor of option `key` (QCheckBox, QSpinBox, QComboBox or QLineEdit), or nullptr.
    QWidget* editor(const QString& key) const { return m_editors.value(key); }

private:
    /// The editor's value as a task option value ("" = default / empty).
    QString valueOf(const engine::OptionSpec& option) const;

    QString m_taskId;
    std::vector<engine::OptionSpec> m_options;  ///< the options shown
    QMap<QString, QWidget*> m_editors;
    QLineEdit* m_model = nullptr;
};

}  // namespace benchtop::ui
