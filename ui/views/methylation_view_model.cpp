#include "ui/views/methylation_view_model.h"

#include <QApplication>
#include <QBrush>
#include <QColor>
#include <QIcon>
#include <QStyle>

#include <algorithm>

#include "core/methyl/predictions_reader.h"
#include "ui/theme.h"

namespace benchtop::ui {
namespace {

/// "90%" of present/required; never rounds an incomplete clock up to 100%.
QString percentPresent(int present, int required) {
    if (required <= 0) return QStringLiteral("0%");
    const double pct = 100.0 * present / required;
    const int shown = present >= required ? 100 : std::min(99, static_cast<int>(pct));
    return QStringLiteral("%1%").arg(shown);
}

QString fullPrecision(double value) {
    return QString::number(value, 'g', 15);
}

}  // namespace

bool MethylationResults::anyAge() const {
    return std::any_of(samples.cbegin(), samples.cend(), [](const Sample& s) { return !std::isnan(s.age); });
}

bool MethylationResults::anySex() const {
    return std::any_of(samples.cbegin(), samples.cend(), [](const Sample& s) { return !s.sex.isEmpty(); });
}

int MethylationResults::computedCount(int k) const {
    int n = 0;
    for (const Sample& s : samples)
        if (k < s.cells.size() && !s.cells[k].isEmpty()) ++n;
    return n;
}

bool MethylationResults::hasAcceleration(int k) const {
    for (const Sample& s : samples)
        if (k < s.cells.size() &&
            (!std::isnan(s.cells[k].accelerationDiff) || !std::isnan(s.cells[k].accelerationResid)))
            return true;
    return false;
}

MethylationResults MethylationResults::load(const QString& path) {
    return fromTable(methyl::readPredictions(path.toStdString()));
}

MethylationResults MethylationResults::parse(const QByteArray& json, const QString& name) {
    return fromTable(methyl::parsePredictionsJson(
        std::string_view(json.constData(), static_cast<std::size_t>(json.size())), name.toStdString()));
}

MethylationResults MethylationResults::fromTable(const methyl::PredictionsTable& table) {
    MethylationResults results;
    for (const methyl::PredictionsClock& c : table.clocks) {
        Clock clock;
        clock.id = QString::fromStdString(c.id);
        clock.cpgs = c.cpgs;
        clock.output = QString::fromStdString(c.output);
        clock.tissue = QString::fromStdString(c.tissue);
        clock.missingValues = QString::fromStdString(c.missingValues);
        clock.citation = QString::fromStdString(c.citation);
        clock.hasRegression = c.hasRegression;
        clock.intercept = c.regressionIntercept;
        clock.slope = c.regressionSlope;
        clock.regressionNote = QString::fromStdString(c.regressionNote);
        results.clocks << clock;
    }
    for (const methyl::PredictionsSample& s : table.samples) {
        Sample sample;
        sample.name = QString::fromStdString(s.name);
        sample.title = QString::fromStdString(s.title);
        sample.age = s.age ? *s.age : kNaN;
        sample.sex = QString::fromStdString(methyl::toString(s.sex));
        for (const methyl::PredictionsCell& c : s.cells) {
            Cell cell;
            cell.value = c.value;
            cell.present = c.present;
            cell.required = c.required;
            cell.imputed = c.imputed;
            cell.reason = QString::fromStdString(c.reason);
            cell.accelerationDiff = c.accelerationDiff;
            cell.accelerationResid = c.accelerationResid;
            sample.cells << cell;
        }
        results.samples << sample;
    }
    for (const std::string& note : table.notes) results.notes << QString::fromStdString(note);
    results.device = QString::fromStdString(table.device);
    return results;
}

MethylationTableModel::MethylationTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void MethylationTableModel::setResults(const MethylationResults& results) {
    beginResetModel();
    m_results = results;
    rebuildColumns();
    endResetModel();
}

void MethylationTableModel::setAcceleration(Acceleration mode) {
    if (mode == m_acceleration) return;
    beginResetModel();
    m_acceleration = mode;
    rebuildColumns();
    endResetModel();
}

void MethylationTableModel::setHideEmptyClocks(bool hide) {
    if (hide == m_hideEmpty) return;
    beginResetModel();
    m_hideEmpty = hide;
    rebuildColumns();
    endResetModel();
}

int MethylationTableModel::hiddenClockCount() const {
    if (!m_hideEmpty) return 0;
    int hidden = 0;
    for (int k = 0; k < m_results.clocks.size(); ++k)
        if (m_results.computedCount(k) == 0) ++hidden;
    return hidden;
}

void MethylationTableModel::rebuildColumns() {
    m_columns.clear();
    m_columns.push_back({Column::Sample});
    if (m_results.anyAge()) m_columns.push_back({Column::Age});
    if (m_results.anySex()) m_columns.push_back({Column::Sex});
    for (int k = 0; k < m_results.clocks.size(); ++k) {
        if (m_hideEmpty && m_results.computedCount(k) == 0) continue;
        m_columns.push_back({Column::Value, k});
        if (m_acceleration != Acceleration::Hidden && m_results.hasAcceleration(k))
            m_columns.push_back({Column::Accel, k});
    }
}

int MethylationTableModel::valueColumn(const QString& clockId) const {
    for (int c = 0; c < m_columns.size(); ++c)
        if (m_columns[c].kind == Column::Value && m_results.clocks[m_columns[c].clock].id == clockId) return c;
    return -1;
}

int MethylationTableModel::accelerationColumn(const QString& clockId) const {
    for (int c = 0; c < m_columns.size(); ++c)
        if (m_columns[c].kind == Column::Accel && m_results.clocks[m_columns[c].clock].id == clockId) return c;
    return -1;
}

QString MethylationTableModel::formatValue(double value, bool years) {
    if (std::isnan(value)) return QStringLiteral("—");
    return QString::number(value, 'f', years ? 2 : 3);
}

int MethylationTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_results.samples.size());
}

int MethylationTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QString MethylationTableModel::cellToolTip(const MethylationResults::Sample& sample, int k) const {
    const MethylationResults::Clock& clock = m_results.clocks[k];
    const MethylationResults::Cell& cell = sample.cells[k];
    if (cell.isEmpty()) return tr("%1: %2").arg(clock.id, cell.reason.isEmpty() ? tr("not computable") : cell.reason);
    QString text = tr("%1: %2/%3 CpGs present (%4)")
                       .arg(clock.id)
                       .arg(cell.present)
                       .arg(cell.required)
                       .arg(percentPresent(cell.present, cell.required));
    if (cell.imputed > 0) text += cell.imputed == 1 ? tr(", 1 imputed") : tr(", %1 imputed").arg(cell.imputed);
    if (cell.isPartial() && !clock.missingValues.isEmpty()) text += tr(" (%1)").arg(clock.missingValues);
    return text + tr("\nvalue: %1").arg(fullPrecision(cell.value));
}

QVariant MethylationTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= m_results.samples.size() || index.column() >= m_columns.size()) return {};
    const MethylationResults::Sample& sample = m_results.samples[index.row()];
    const Column& column = m_columns[index.column()];
    if (role == SampleIndexRole) return index.row();

    switch (column.kind) {
        case Column::Sample:
            if (role == Qt::DisplayRole || role == ValueRole) return sample.name;
            if (role == Qt::ToolTipRole && !sample.title.isEmpty()) return tr("%1 (%2)").arg(sample.name, sample.title);
            return {};
        case Column::Age:
            if (role == Qt::DisplayRole)
                return std::isnan(sample.age) ? QString() : QString::number(sample.age, 'g', 10);
            if (role == ValueRole) return std::isnan(sample.age) ? QVariant() : QVariant(sample.age);
            if (role == Qt::TextAlignmentRole) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
            if (role == Qt::ToolTipRole && std::isnan(sample.age))
                return tr("The sample sheet gives no age for %1").arg(sample.name);
            return {};
        case Column::Sex:
            if (role == Qt::DisplayRole || role == ValueRole) return sample.sex;
            if (role == Qt::TextAlignmentRole) return Qt::AlignCenter;
            return {};
        case Column::Value: {
            const MethylationResults::Cell& cell = sample.cells[column.clock];
            const CellState state = cell.isEmpty() ? NotComputable : cell.isPartial() ? Partial : Computed;
            switch (role) {
                case Qt::DisplayRole:
                    return formatValue(cell.value, m_results.clocks[column.clock].isAgeClock());
                case ValueRole:
                    return cell.isEmpty() ? QVariant() : QVariant(cell.value);
                case CellStateRole:
                    return state;
                case Qt::ToolTipRole:
                    return cellToolTip(sample, column.clock);
                case Qt::TextAlignmentRole:
                    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
                case Qt::BackgroundRole:
                    if (state == NotComputable) return QBrush(theme::tint(theme::Tone::Error));
                    if (state == Partial) return QBrush(theme::tint(theme::Tone::Warning));
                    return {};
                case Qt::ForegroundRole:
                    // Tints of the palette (light or dark), with text that reads on them.
                    if (state == NotComputable)
                        return QBrush(theme::text(theme::Tone::Error, theme::tint(theme::Tone::Error)));
                    if (state == Partial)
                        return QBrush(theme::text(theme::Tone::Warning, theme::tint(theme::Tone::Warning)));
                    return {};
                case Qt::DecorationRole:
                    if (state == Computed) return {};
                    return QApplication::style()->standardIcon(state == NotComputable ? QStyle::SP_MessageBoxCritical
                                                                                      : QStyle::SP_MessageBoxWarning);
                default:
                    return {};
            }
        }
        case Column::Accel: {
            const MethylationResults::Cell& cell = sample.cells[column.clock];
            const double value =
                m_acceleration == Acceleration::Difference ? cell.accelerationDiff : cell.accelerationResid;
            switch (role) {
                case Qt::DisplayRole:
                    return formatValue(value, true);
                case ValueRole:
                    return std::isnan(value) ? QVariant() : QVariant(value);
                case CellStateRole:
                    return std::isnan(value) ? NotComputable : Computed;
                case Qt::TextAlignmentRole:
                    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
                case Qt::ToolTipRole: {
                    const MethylationResults::Clock& clock = m_results.clocks[column.clock];
                    if (cell.isEmpty())
                        return tr("No %1 prediction for %2, so no age acceleration").arg(clock.id, sample.name);
                    if (std::isnan(sample.age)) return tr("No chronological age for %1").arg(sample.name);
                    QString text = tr("%1 − age = %2 years").arg(clock.id, fullPrecision(cell.accelerationDiff));
                    if (!std::isnan(cell.accelerationResid))
                        text += tr("\nresidual of %1 ~ age = %2 years")
                                    .arg(clock.id, fullPrecision(cell.accelerationResid));
                    else if (!clock.regressionNote.isEmpty())
                        text += tr("\nno residual: %1").arg(clock.regressionNote);
                    return text;
                }
                default:
                    return {};
            }
        }
    }
    return {};
}

QVariant MethylationTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= m_columns.size())
        return QAbstractTableModel::headerData(section, orientation, role);
    const Column& column = m_columns[section];
    if (role == Qt::DisplayRole) {
        switch (column.kind) {
            case Column::Sample:
                return tr("Sample");
            case Column::Age:
                return tr("Age");
            case Column::Sex:
                return tr("Sex");
            case Column::Value:
                return m_results.clocks[column.clock].id;
            case Column::Accel:
                return m_acceleration == Acceleration::Difference
                           ? tr("%1\nacc. diff").arg(m_results.clocks[column.clock].id)
                           : tr("%1\nacc. resid").arg(m_results.clocks[column.clock].id);
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (column.kind) {
            case Column::Sample:
                return tr("Sample name (matrix column)");
            case Column::Age:
                return tr("Chronological age in years, from the sample sheet");
            case Column::Sex:
                return tr("Sex from the sample sheet");
            case Column::Value: {
                const MethylationResults::Clock& clock = m_results.clocks[column.clock];
                QStringList lines;
                lines << tr("%1: %2, %3 CpGs")
                             .arg(clock.id, clock.output.isEmpty() ? tr("prediction") : clock.output)
                             .arg(clock.cpgs);
                if (!clock.tissue.isEmpty()) lines << tr("Tissue: %1").arg(clock.tissue);
                if (!clock.missingValues.isEmpty()) lines << tr("Missing values: %1").arg(clock.missingValues);
                lines << tr("Computed for %1 of %2 samples")
                             .arg(m_results.computedCount(column.clock))
                             .arg(m_results.samples.size());
                if (!clock.citation.isEmpty()) lines << clock.citation;
                return lines.join(QLatin1Char('\n'));
            }
            case Column::Accel: {
                const MethylationResults::Clock& clock = m_results.clocks[column.clock];
                if (m_acceleration == Acceleration::Difference)
                    return tr("Age acceleration of %1: prediction − chronological age (years)").arg(clock.id);
                if (clock.hasRegression)
                    return tr("Age acceleration of %1: residual of the least-squares fit prediction = a + b·age over "
                              "the "
                              "cohort (a = %2, b = %3); it changes when samples are added or removed")
                        .arg(clock.id, QString::number(clock.intercept, 'f', 3), QString::number(clock.slope, 'f', 3));
                return tr("Age acceleration of %1: no residual (%2)").arg(clock.id, clock.regressionNote);
            }
        }
    }
    return {};
}

}  // namespace benchtop::ui
