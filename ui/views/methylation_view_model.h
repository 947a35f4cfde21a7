#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <QStringList>
#include <QVector>

#include <cmath>
#include <limits>

namespace benchtop::methyl {
struct PredictionsTable;
}

namespace benchtop::ui {

/// The contents of a methylation job's predictions.json (read by core/methyl/predictions_reader.h), as the
/// methylation result view shows them. NaN marks a value that is unknown or was not computable.
struct MethylationResults {
    static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

    struct Clock {
        QString id;      ///< "Horvath2013"
        int cpgs = 0;    ///< CpGs of the clock
        QString output;  ///< what it predicts ("age, years", "pace of ageing", ...)
        QString tissue;
        QString missingValues;  ///< how missing CpGs were handled
        QString citation;
        bool hasRegression = false;  ///< an OLS fit of prediction on age exists (residuals were computed)
        double intercept = kNaN;
        double slope = kNaN;
        QString regressionNote;  ///< why there is no fit
        /// Predicts an age in years (the clocks that get age acceleration and the age scatter).
        bool isAgeClock() const { return output.contains(QLatin1String("age, years")); }
    };

    /// One clock for one sample.
    struct Cell {
        double value = kNaN;
        int present = 0;                  ///< measured CpGs
        int required = 0;                 ///< CpGs of the clock
        int imputed = 0;                  ///< values filled by the imputation policy
        QString reason;                   ///< why the value is empty
        double accelerationDiff = kNaN;   ///< prediction - age
        double accelerationResid = kNaN;  ///< residual of prediction ~ age over the cohort
        bool isEmpty() const { return std::isnan(value); }
        /// Computed, but not from every CpG of the clock.
        bool isPartial() const { return !isEmpty() && (present < required || imputed > 0); }
    };

    struct Sample {
        QString name;
        QString title;
        double age = kNaN;
        QString sex;          ///< "F", "M" or "" when unknown
        QVector<Cell> cells;  ///< per clock, in the order of `clocks`
    };

    QVector<Clock> clocks;
    QVector<Sample> samples;
    QStringList notes;  ///< reader and sample-sheet notes
    QString device;

    bool anyAge() const;
    bool anySex() const;
    /// Samples with a value for clock `k`.
    int computedCount(int k) const;
    /// Whether any sample of clock `k` has an age acceleration.
    bool hasAcceleration(int k) const;

    /// Reads predictions.json (or .csv) with methyl::readPredictions(); throws benchtop::Error(path, problem)
    /// when the file cannot be read or is not a methylation predictions file.
    static MethylationResults load(const QString& path);
    /// Same on the JSON text (`name` is used in messages).
    static MethylationResults parse(const QByteArray& json, const QString& name);
    /// The table core read, in the view's types.
    static MethylationResults fromTable(const methyl::PredictionsTable& table);
};

/// The sample x clock table: sample, age and sex (when known), then per clock its value and, when ages
/// are known, its age acceleration. Cells that were not computable or not computed from every CpG are
/// coloured, carry an icon and explain themselves in the tooltip.
class MethylationTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    /// Which age acceleration the table shows next to each age clock.
    enum class Acceleration { Residual, Difference, Hidden };
    /// How a cell came about (CellStateRole).
    enum CellState { Computed = 0, Partial = 1, NotComputable = 2 };
    enum Roles {
        /// The cell's value for sorting and export: double (invalid when empty) or text (sample, sex).
        ValueRole = Qt::UserRole + 1,
        CellStateRole,
        /// Index of the sample (rows) in MethylationResults::samples.
        SampleIndexRole,
    };

    explicit MethylationTableModel(QObject* parent = nullptr);

    void setResults(const MethylationResults& results);
    const MethylationResults& results() const { return m_results; }
    void setAcceleration(Acceleration mode);
    Acceleration acceleration() const { return m_acceleration; }
    /// Hides the clocks that no sample could compute (they still count in hiddenClockCount()).
    void setHideEmptyClocks(bool hide);
    bool hideEmptyClocks() const { return m_hideEmpty; }
    int hiddenClockCount() const;

    /// Column of clock `clockId`'s value (or of its acceleration), -1 when not shown.
    int valueColumn(const QString& clockId) const;
    int accelerationColumn(const QString& clockId) const;

    /// Text of a number as the table shows it (2 decimals for ages in years, 3 otherwise; "—" when empty).
    static QString formatValue(double value, bool years);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Column {
        enum Kind { Sample, Age, Sex, Value, Accel } kind;
        int clock = -1;
    };
    void rebuildColumns();
    QString cellToolTip(const MethylationResults::Sample& sample, int clock) const;

    MethylationResults m_results;
    QVector<Column> m_columns;
    Acceleration m_acceleration = Acceleration::Residual;
    bool m_hideEmpty = true;
};

}  // namespace benchtop::ui
