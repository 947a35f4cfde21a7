#include "ui/views/methylation_view.h"

#include <QCheckBox>
#include <QChart>
#include <QChartView>
#include <QCollator>
#include <QComboBox>
#include <QCursor>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMessageBox>
#include <QPainter>
#include <QPen>
#include <QPushButton>
#include <QScatterSeries>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include "ui/views/export_file.h"
#include "ui/theme.h"

namespace benchtop::ui {
namespace {

/// Sorts numbers as numbers with empty cells last, and names in natural order (DEMO2 before DEMO10).
class MethylationSortProxy : public QSortFilterProxyModel {
public:
    explicit MethylationSortProxy(QObject* parent) : QSortFilterProxyModel(parent) {
        setSortRole(MethylationTableModel::ValueRole);
        m_collator.setNumericMode(true);
        m_collator.setCaseSensitivity(Qt::CaseInsensitive);
    }

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override {
        const QVariant l = left.data(sortRole());
        const QVariant r = right.data(sortRole());
        const bool lEmpty = !l.isValid() || l.toString().isEmpty();
        const bool rEmpty = !r.isValid() || r.toString().isEmpty();
        if (lEmpty || rEmpty) return !lEmpty && rEmpty;
        if (l.typeId() == QMetaType::Double && r.typeId() == QMetaType::Double) return l.toDouble() < r.toDouble();
        return m_collator.compare(l.toString(), r.toString()) < 0;
    }

private:
    QCollator m_collator;
};

QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

/// The predictions.json of a finished job: listed in its results, else expected in its output folder.
QString predictionsFileOf(const engine::JobSnapshot& job) {
    for (const std::string& file : job.resultFiles) {
        const QString path = QString::fromStdString(file);
        if (QFileInfo(path).fileName() == QLatin1String("predictions.json")) return path;
    }
    if (!job.resultDir.empty()) return QString::fromStdString(job.resultDir) + QStringLiteral("/predictions.json");
    return {};
}

double median(QVector<double> values) {
    if (values.isEmpty()) return MethylationResults::kNaN;
    std::sort(values.begin(), values.end());
    const int n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace

AgeAgreement computeAgeAgreement(const QVector<double>& predicted, const QVector<double>& ages) {
    AgeAgreement agreement;
    QVector<double> x, y, absErrors;
    for (int i = 0; i < predicted.size() && i < ages.size(); ++i) {
        if (std::isnan(predicted[i]) || std::isnan(ages[i])) continue;
        x << ages[i];
        y << predicted[i];
        absErrors << std::abs(predicted[i] - ages[i]);
    }
    agreement.n = x.size();
    agreement.medianAbsError = median(absErrors);
    if (agreement.n < 2) return agreement;
    double mx = 0, my = 0;
    for (int i = 0; i < x.size(); ++i) {
        mx += x[i];
        my += y[i];
    }
    mx /= x.size();
    my /= y.size();
    double sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < x.size(); ++i) {
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    if (sxx > 0 && syy > 0) agreement.pearson = sxy / std::sqrt(sxx * syy);
    return agreement;
}

MethylationResultView::MethylationResultView(QWidget* parent) : ResultView(parent) {
    setObjectName(QStringLiteral("methylationResultView"));
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes = new QLabel(this);
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes->setStyleSheet(theme::mutedLabelStyle());
    m_notes->hide();

    m_content = new QWidget(this);

    // Controls above the table.
    m_accelerationMode = new QComboBox(m_content);
    m_accelerationMode->addItem(tr("Residual"), static_cast<int>(MethylationTableModel::Acceleration::Residual));
    m_accelerationMode->addItem(tr("Difference"), static_cast<int>(MethylationTableModel::Acceleration::Difference));
    m_accelerationMode->addItem(tr("Hidden"), static_cast<int>(MethylationTableModel::Acceleration::Hidden));
    m_accelerationMode->setToolTip(
        tr("Age acceleration next to each age clock: the residual of prediction ~ age over the cohort (intrinsic "
           "age acceleration) or prediction − age"));
    m_accelerationMode->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_accelerationMode->setMinimumContentsLength(8);
    auto* accelerationLabel = new QLabel(tr("Age acceleration:"), m_content);
    accelerationLabel->setBuddy(m_accelerationMode);
    m_hideEmpty = new QCheckBox(m_content);
    m_hideEmpty->setChecked(true);
    m_hideEmpty->setToolTip(tr("Clocks whose CpGs this array or file does not cover enough for any sample"));
    const QString swatch = QStringLiteral("<span style='background:%1;color:%2'>&nbsp;%3&nbsp;</span>");
    const QColor notComputable = theme::tint(theme::Tone::Error), partial = theme::tint(theme::Tone::Warning);
    auto* legend =
        new QLabel(swatch.arg(theme::css(notComputable), theme::css(theme::text(theme::Tone::Error, notComputable)),
                              tr("not computable")) +
                       QLatin1Char(' ') +
                       swatch.arg(theme::css(partial), theme::css(theme::text(theme::Tone::Warning, partial)),
                                  tr("computed with missing CpGs")) +
                       QStringLiteral(" &nbsp;") + tr("Hover a cell for its CpG coverage."),
                   m_content);
    legend->setWordWrap(true);
    m_export = new QPushButton(tr("Export CSV…"), m_content);
    m_export->setToolTip(tr("Save the table as shown (columns and row order) as CSV, numbers at full precision"));
    connect(m_export, &QPushButton::clicked, this, &MethylationResultView::exportWithDialog);

    m_filter = new QLineEdit(m_content);
    m_filter->setObjectName(QStringLiteral("sampleFilter"));
    m_filter->setPlaceholderText(tr("Filter samples… (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter samples"));
    m_filter->setMaximumWidth(260);

    auto* controls = new QHBoxLayout();
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addWidget(accelerationLabel);
    controls->addWidget(m_accelerationMode);
    controls->addSpacing(12);
    controls->addWidget(m_hideEmpty);
    controls->addSpacing(12);
    controls->addWidget(m_filter, 1);
    controls->addStretch(1);
    controls->addWidget(m_export);

    // The table.
    m_model = new MethylationTableModel(this);
    m_proxy = new MethylationSortProxy(this);
    m_proxy->setSourceModel(m_model);
    m_table = new QTableView(m_content);
    m_table->setObjectName(QStringLiteral("methylationTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);  // file order until a header is clicked
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setMinimumSectionSize(48);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setAccessibleName(tr("Predictions"));
    m_table->setAccessibleDescription(tr("One row per sample, one column per clock; sort by clicking a header"));
    m_proxy->setFilterKeyColumn(0);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(m_filter, &QLineEdit::textChanged, this,
            [this](const QString& text) { m_proxy->setFilterFixedString(text.trimmed()); });

    // The scatter of predicted against chronological age.
    m_clock = new QComboBox(m_content);
    m_clock->setObjectName(QStringLiteral("clockSelector"));
    m_clock->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_clock->setToolTip(tr("The age clock plotted against chronological age"));
    auto* clockLabel = new QLabel(tr("Clock:"), m_content);
    clockLabel->setBuddy(m_clock);
    m_chart = new QChart();
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_points = new QScatterSeries();
    m_points->setName(tr("Samples"));
    m_points->setMarkerSize(9.0);
    theme::setSeriesIndex(m_points, 0);
    m_identity = new QLineSeries();
    m_identity->setName(tr("predicted = age"));
    theme::setSeriesIndex(m_identity, 7);
    QPen identityPen(theme::series(7));
    identityPen.setStyle(Qt::DashLine);
    identityPen.setWidthF(1.5);
    m_identity->setPen(identityPen);
    m_chart->addSeries(m_identity);
    m_chart->addSeries(m_points);
    m_axisX = new QValueAxis();
    m_axisX->setTitleText(tr("Chronological age (years)"));
    m_axisX->setLabelFormat(QStringLiteral("%.0f"));
    m_axisY = new QValueAxis();
    m_axisY->setTitleText(tr("Predicted age (years)"));
    m_axisY->setLabelFormat(QStringLiteral("%.0f"));
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    for (QXYSeries* series : {static_cast<QXYSeries*>(m_identity), static_cast<QXYSeries*>(m_points)}) {
        series->attachAxis(m_axisX);
        series->attachAxis(m_axisY);
    }
    theme::styleChart(m_chart);
    m_chartView = new QChartView(m_chart, m_content);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    // Wide enough for the axis labels in every language (narrower, Qt Charts elides them to "…").
    m_chartView->setMinimumSize(340, 240);
    m_chartView->setAccessibleName(tr("Predicted against chronological age"));
    connect(m_points, &QScatterSeries::hovered, this, [this](const QPointF& point, bool entered) {
        if (!entered) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(QCursor::pos(),
                           tr("%1\nage %2, predicted %3")
                               .arg(sampleAt(point), QString::number(point.x(), 'g', 10),
                                    MethylationTableModel::formatValue(point.y(), true)),
                           m_chartView);
    });
    m_caption = new QLabel(m_content);
    m_caption->setObjectName(QStringLiteral("chartCaption"));
    m_caption->setWordWrap(true);
    m_caption->setAlignment(Qt::AlignCenter);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_chartNote = new QLabel(m_content);
    m_chartNote->setWordWrap(true);
    m_chartNote->setAlignment(Qt::AlignCenter);
    m_chartNote->setStyleSheet(theme::mutedLabelStyle());
    m_chartNote->hide();

    auto* chartPanel = new QWidget(m_content);
    auto* clockRow = new QHBoxLayout();
    clockRow->addWidget(clockLabel);
    clockRow->addWidget(m_clock, 1);
    auto* chartLayout = new QVBoxLayout(chartPanel);
    chartLayout->setContentsMargins(0, 0, 0, 0);
    chartLayout->addLayout(clockRow);
    chartLayout->addWidget(m_chartView, 1);
    chartLayout->addWidget(m_caption);
    chartLayout->addWidget(m_chartNote, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, m_content);
    splitter->setObjectName(QStringLiteral("methylationSplitter"));
    auto* tablePanel = new QWidget(m_content);
    auto* tableLayout = new QVBoxLayout(tablePanel);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addWidget(legend);
    splitter->addWidget(tablePanel);
    splitter->addWidget(chartPanel);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({640, 320});
    splitter->setChildrenCollapsible(false);

    auto* contentLayout = new QVBoxLayout(m_content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addLayout(controls);
    contentLayout->addWidget(splitter, 1);
    m_content->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message);
    layout->addWidget(m_notes);
    layout->addWidget(m_content, 1);
    // Table and chart need room; the results pane grows to this when a methylation job is shown.
    setMinimumHeight(400);

    connect(m_accelerationMode, qOverload<int>(&QComboBox::currentIndexChanged), this, [this]() {
        m_model->setAcceleration(
            static_cast<MethylationTableModel::Acceleration>(m_accelerationMode->currentData().toInt()));
        fitColumns();
    });
    connect(m_hideEmpty, &QCheckBox::toggled, this, [this](bool hide) {
        m_model->setHideEmptyClocks(hide);
        fitColumns();
        updateHiddenClocksText();
    });
    connect(m_clock, qOverload<int>(&QComboBox::currentIndexChanged), this, [this]() { updateChart(); });
    updateHiddenClocksText();
}

QString MethylationResultView::message() const {
    return m_message->text();
}
QString MethylationResultView::notes() const {
    return m_notes->isHidden() ? QString() : m_notes->text();
}
QString MethylationResultView::chartCaption() const {
    return m_caption->isHidden() ? QString() : m_caption->text();
}
QString MethylationResultView::chartNote() const {
    return m_chartNote->isHidden() ? QString() : m_chartNote->text();
}

void MethylationResultView::setMessage(const QString& text, bool error) {
    m_message->setText(text);
    m_message->setStyleSheet(
        error ? QStringLiteral("QLabel { color: %1; }")
                    .arg(theme::css(theme::text(theme::Tone::Error, palette().color(QPalette::Window))))
              : QString());
}

void MethylationResultView::showJob(const engine::JobSnapshot& job) {
    const bool sameJob = job.id == m_job;
    m_job = job.id;
    if (job.state != engine::JobState::Done) {
        m_loaded = false;
        m_path.clear();
        m_content->hide();
        m_notes->hide();
        switch (job.state) {
            case engine::JobState::Failed:
                setMessage(tr("The job failed: %1").arg(QString::fromStdString(job.error)), true);
                break;
            case engine::JobState::Cancelled:
                setMessage(tr("The job was cancelled; it wrote no predictions."));
                break;
            case engine::JobState::Running:
                if (job.progress.total > 0) {
                    setMessage(tr("Predicting… (%1 of %2 samples). The table and the age chart appear here when the "
                                  "job finishes.")
                                   .arg(job.progress.done)
                                   .arg(job.progress.total));
                    break;
                }
                [[fallthrough]];
            default:
                setMessage(tr("Reading the matrix… The table and the age chart appear here when the job finishes."));
        }
        return;
    }

    const QString path = predictionsFileOf(job);
    if (sameJob && m_loaded && path == m_path)
        return;  // a fresher snapshot of the job already shown: keep sorting and selection
    m_path = path;
    m_loaded = false;
    m_content->hide();
    m_notes->hide();
    if (path.isEmpty()) {
        setMessage(tr("The job finished without a predictions.json to show."), true);
        return;
    }
    try {
        m_model->setResults(MethylationResults::load(path));
    } catch (const std::exception& e) {
        setMessage(tr("Cannot show the predictions: %1").arg(QString::fromUtf8(e.what())), true);
        return;
    }
    m_loaded = true;
    QString summary =
        job.summary.empty()
            ? tr("%1 samples × %2 clocks").arg(m_model->results().samples.size()).arg(m_model->results().clocks.size())
            : QString::fromStdString(job.summary);
    setMessage(summary);
    showResults();
}

void MethylationResultView::showResults() {
    const MethylationResults& results = m_model->results();
    if (!results.notes.isEmpty()) {
        m_notes->setText(results.notes.join(QStringLiteral(" · ")));
        m_notes->show();
    }
    const bool anyAge = results.anyAge();
    m_accelerationMode->setEnabled(anyAge);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    fitColumns();
    updateHiddenClocksText();
    updateClockSelector();
    m_content->show();
    updateChart();
}

void MethylationResultView::fitColumns() {
    m_table->resizeColumnsToContents();
    // Every column wide enough for its header and values, but no single one taking the whole table.
    for (int c = 0; c < m_proxy->columnCount(); ++c) m_table->setColumnWidth(c, std::min(m_table->columnWidth(c), 220));
}

void MethylationResultView::updateHiddenClocksText() {
    int empty = 0;
    for (int k = 0; k < m_model->results().clocks.size(); ++k)
        if (m_model->results().computedCount(k) == 0) ++empty;
    m_hideEmpty->setText(empty == 0   ? tr("Hide clocks without values")
                         : empty == 1 ? tr("Hide 1 clock without values")
                                      : tr("Hide %1 clocks without values").arg(empty));
    m_hideEmpty->setEnabled(empty > 0);
}

void MethylationResultView::updateClockSelector() {
    const MethylationResults& results = m_model->results();
    const QString previous = m_clock->currentText();
    const QSignalBlocker block(m_clock);
    m_clock->clear();
    if (!results.anyAge()) return;
    for (int k = 0; k < results.clocks.size(); ++k) {
        if (!results.clocks[k].isAgeClock()) continue;
        bool plottable = false;
        for (const MethylationResults::Sample& s : results.samples)
            plottable |= !std::isnan(s.age) && !s.cells[k].isEmpty();
        if (plottable) m_clock->addItem(results.clocks[k].id, k);
    }
    int index = m_clock->findText(previous);
    if (index < 0) index = m_clock->findText(QStringLiteral("Horvath2013"));
    m_clock->setCurrentIndex(std::max(index, 0));
}

void MethylationResultView::updateChart() {
    const MethylationResults& results = m_model->results();
    m_pointPositions.clear();
    m_pointNames.clear();
    QString note;
    if (!results.anyAge())
        note =
            tr("No chronological ages are known. Drop a sample sheet (Sample_Name, Age) together with the matrix "
               "to plot predicted against chronological age and to get age acceleration.");
    else if (m_clock->count() == 0)
        note = tr("No age clock could be computed for a sample with a known age.");
    m_clock->setEnabled(note.isEmpty());
    if (!note.isEmpty()) {
        m_points->clear();
        m_identity->clear();
        m_chartView->hide();
        m_caption->hide();
        m_chartNote->setText(note);
        m_chartNote->show();
        return;
    }
    m_chartNote->hide();
    m_chartView->show();
    m_caption->show();

    const int k = m_clock->currentData().toInt();
    QVector<double> predicted, ages;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const MethylationResults::Sample& s : results.samples) {
        predicted << s.cells[k].value;
        ages << s.age;
        if (std::isnan(s.age) || s.cells[k].isEmpty()) continue;
        m_pointPositions << QPointF(s.age, s.cells[k].value);
        m_pointNames << s.name;
        lo = std::min({lo, s.age, s.cells[k].value});
        hi = std::max({hi, s.age, s.cells[k].value});
    }
    m_points->replace(QList<QPointF>(m_pointPositions.cbegin(), m_pointPositions.cend()));
    // Same range on both axes so that the identity line is the diagonal.
    // Round ticks: a step of 5, 10, 20, ... years that gives at most 8 of them.
    const double pad = std::max(1.0, 0.04 * (hi - lo));
    double step = 5;
    while ((hi - lo + 2 * pad) / step > 7) step *= 2;
    const double from = std::floor((lo - pad) / step) * step;
    const double to = std::ceil((hi + pad) / step) * step;
    m_identity->replace(QList<QPointF>{QPointF(from, from), QPointF(to, to)});
    for (QValueAxis* axis : {m_axisX, m_axisY}) {
        axis->setRange(from, to);
        axis->setTickCount(static_cast<int>(std::lround((to - from) / step)) + 1);
    }

    const AgeAgreement agreement = computeAgeAgreement(predicted, ages);
    const QString r = std::isnan(agreement.pearson) ? tr("undefined") : QString::number(agreement.pearson, 'f', 3);
    m_caption->setText(tr("Pearson r = %1 · median absolute error = %2 years · n = %3")
                           .arg(r, MethylationTableModel::formatValue(agreement.medianAbsError, true))
                           .arg(agreement.n));
}

QString MethylationResultView::sampleAt(const QPointF& point) const {
    int best = -1;
    double bestDistance = std::numeric_limits<double>::infinity();
    for (int i = 0; i < m_pointPositions.size(); ++i) {
        const QPointF d = m_pointPositions[i] - point;
        const double distance = d.x() * d.x() + d.y() * d.y();
        if (distance < bestDistance) {
            bestDistance = distance;
            best = i;
        }
    }
    return best < 0 ? QString() : m_pointNames[best];
}

bool MethylationResultView::exportCsv(const QString& path, QString* error) const {
    auto fail = [&](const QString& why) {
        if (error) *error = tr("%1: %2").arg(path, why);
        return false;
    };
    if (!m_loaded) return fail(tr("there are no predictions to export"));
    QStringList header;
    for (int c = 0; c < m_proxy->columnCount(); ++c)
        header << csvField(m_proxy->headerData(c, Qt::Horizontal).toString().simplified());  // one line per name
    QByteArray text = header.join(QLatin1Char(',')).toUtf8() + '\n';
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        QStringList fields;
        for (int c = 0; c < m_proxy->columnCount(); ++c) {
            const QVariant value = m_proxy->index(row, c).data(MethylationTableModel::ValueRole);
            if (!value.isValid())
                fields << QString();
            else if (value.typeId() == QMetaType::Double)
                fields << QString::number(value.toDouble(), 'g', 17);
            else
                fields << csvField(value.toString());
        }
        text += fields.join(QLatin1Char(',')).toUtf8() + '\n';
    }
    QString why;
    if (!writeCsvExport(path, text, &why)) {
        if (error) *error = why;
        return false;
    }
    return true;
}

void MethylationResultView::exportWithDialog() {
    const QString suggested = m_path.isEmpty()
                                  ? QStringLiteral("predictions-table.csv")
                                  : QFileInfo(m_path).absolutePath() + QStringLiteral("/predictions-table.csv");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Table"), suggested, tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QString error;
    if (!exportCsv(path, &error))
        QMessageBox::warning(this, tr("Export Table"), tr("The table could not be saved.\n%1").arg(error));
}

}  // namespace benchtop::ui
