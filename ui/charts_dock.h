#pragma once

#include <QDockWidget>
#include <QPointF>
#include <QString>
#include <QVector>

#include <deque>

#include "ui/telemetry_sampler.h"

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace benchtop::ui {

/// Live hardware charts: CPU and GPU utilisation, process RAM and GPU memory, and the throughput of
/// the running jobs. Keeps a ring buffer of the last kCapacity samples and redraws each series with
/// one QLineSeries::replace() per sample (no OpenGL, so it works in remote sessions and offscreen).
class ChartsDock : public QDockWidget {
    Q_OBJECT
public:
    static constexpr int kCapacity = 120;

    enum class Metric { CpuPercent, GpuPercent, ProcessRam, GpuMemory, Throughput };

    explicit ChartsDock(QWidget* parent = nullptr);

    /// Number of samples in the ring buffer (at most kCapacity).
    int sampleCount() const { return int(m_samples.size()); }
    /// The series that draws `metric` (for tests and for theming).
    QLineSeries* series(Metric metric) const;

public Q_SLOTS:
    /// Appends a sample and redraws; the current throughput is recorded with it.
    void addSample(const benchtop::ui::TelemetrySample& sample);
    /// Throughput of the running jobs in `unit`/s (0 when idle); shown from the next sample on.
    void setThroughput(double unitsPerSecond, const QString& unit);
    /// Shows the GPU monitor's state; hides the GPU series when no GPU can be read.
    void setGpuStatus(const QString& backend, const QString& status, bool available);
    void clear();

private:
    struct Point {
        double time = 0.0;
        TelemetrySample sample;
        double throughput = 0.0;
    };
    struct Chart {
        QChart* chart = nullptr;
        QChartView* view = nullptr;
        QValueAxis* x = nullptr;
        QValueAxis* y = nullptr;
    };

    Chart makeChart(const QString& title, const QString& yTitle);
    QLineSeries* addSeries(Chart& chart, const QString& name, const QColor& colour);
    void redraw();

    std::deque<Point> m_samples;
    double m_throughput = 0.0;
    QString m_throughputUnit;
    double m_windowSeconds = 30.0;
    bool m_gpuAvailable = false;

    QLabel* m_gpuLabel = nullptr;
    Chart m_utilisation, m_memory, m_rate;
    QLineSeries* m_cpu = nullptr;
    QLineSeries* m_gpu = nullptr;
    QLineSeries* m_ram = nullptr;
    QLineSeries* m_gpuMemory = nullptr;
    QLineSeries* m_throughputSeries = nullptr;
};

}  // namespace benchtop::ui
