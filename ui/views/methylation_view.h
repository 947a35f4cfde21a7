#pragma once

#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include "ui/views/methylation_view_model.h"
#include "ui/views/result_view.h"

class QCheckBox;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QPushButton;
class QScatterSeries;
class QSortFilterProxyModel;
class QLineEdit;
class QTableView;
class QValueAxis;

namespace benchtop::ui {

/// How well one clock's predictions agree with chronological age.
struct AgeAgreement {
    int n = 0;                                         ///< samples with both a prediction and an age
    double pearson = MethylationResults::kNaN;         ///< Pearson r (NaN below 2 samples or without spread)
    double medianAbsError = MethylationResults::kNaN;  ///< median |prediction - age|, years
};

/// Agreement over the samples where both `predicted` and `ages` are known (NaN = unknown).
AgeAgreement computeAgeAgreement(const QVector<double>& predicted, const QVector<double>& ages);

/// The result view of methylation jobs: reads the job's predictions.json and shows a sortable sample x
/// clock table (coverage problems highlighted and explained in tooltips, age acceleration when ages
/// are known), a scatter of predicted against chronological age for the clock chosen in a combo box
/// with the identity line, Pearson r, median absolute error and n, and exports the table as CSV.
class MethylationResultView : public ResultView {
    Q_OBJECT
public:
    explicit MethylationResultView(QWidget* parent = nullptr);
    void showJob(const engine::JobSnapshot& job) override;

    /// Writes the table as it is shown (its columns, its rows in their current order; numbers at full
    /// precision, empty cells empty) to `path` through a temporary file renamed when complete. Returns
    /// false and sets `error` when it cannot.
    bool exportCsv(const QString& path, QString* error = nullptr) const;

    /// Whether predictions are loaded and shown.
    bool hasResults() const { return m_loaded; }
    /// The line above the table: job state, the summary, or why the predictions cannot be shown.
    QString message() const;
    /// The job's notes under that line (where the clock tables came from, clocks that need a download, reader
    /// notes), joined by " · "; empty when none are shown.
    QString notes() const;
    /// The predictions.json shown (empty when none).
    QString predictionsPath() const { return m_path; }

    MethylationTableModel* tableModel() const { return m_model; }
    /// The sorted model the table view shows.
    QSortFilterProxyModel* sortedModel() const { return m_proxy; }
    QTableView* tableView() const { return m_table; }
    /// Shows only the samples whose name contains its text (Ctrl+F).
    QLineEdit* sampleFilter() const { return m_filter; }
    QLineEdit* searchField() const override { return m_filter; }
    QComboBox* accelerationSelector() const { return m_accelerationMode; }
    QCheckBox* hideEmptyClocksBox() const { return m_hideEmpty; }
    QPushButton* exportButton() const { return m_export; }
    /// The clock plotted against age; disabled (with chartNote() saying why) when no ages are known.
    QComboBox* clockSelector() const { return m_clock; }
    QChartView* chartView() const { return m_chartView; }
    QScatterSeries* scatterSeries() const { return m_points; }
    QLineSeries* identityLine() const { return m_identity; }
    /// "Pearson r = 0.934 · median absolute error = 4.21 years · n = 16".
    QString chartCaption() const;
    /// Why there is no scatter (empty while one is shown).
    QString chartNote() const;
    /// Name of the sample drawn nearest to `point` of the scatter (shown when hovering over it).
    QString sampleAt(const QPointF& point) const;

private:
    void setMessage(const QString& text, bool error = false);
    void showResults();
    void updateClockSelector();
    void updateChart();
    void updateHiddenClocksText();
    void fitColumns();
    void exportWithDialog();

    QLabel* m_message = nullptr;
    QLabel* m_notes = nullptr;
    QWidget* m_content = nullptr;
    QComboBox* m_accelerationMode = nullptr;
    QCheckBox* m_hideEmpty = nullptr;
    QLineEdit* m_filter = nullptr;
    QPushButton* m_export = nullptr;
    QTableView* m_table = nullptr;
    MethylationTableModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QComboBox* m_clock = nullptr;
    QChart* m_chart = nullptr;
    QChartView* m_chartView = nullptr;
    QScatterSeries* m_points = nullptr;
    QLineSeries* m_identity = nullptr;
    QValueAxis* m_axisX = nullptr;
    QValueAxis* m_axisY = nullptr;
    QLabel* m_caption = nullptr;
    QLabel* m_chartNote = nullptr;
    QVector<QPointF> m_pointPositions;
    QStringList m_pointNames;

    engine::JobId m_job = 0;
    QString m_path;
    bool m_loaded = false;
};

}  // namespace benchtop::ui
