#pragma once

#include <QDockWidget>
#include <QHash>
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

/// Live hardware charts: CPU and GPU utilisation, process RAM and GPU memory, the throughput of the
/// running jobs, while speech jobs run their real-time factor and, from the first start of the local server
/// on, the requests it answers per second and holds in flight. Keeps a ring buffer of the last
/// kCapacity samples and redraws each series with one QLineSeries::replace() per sample (no OpenGL, so
/// it works in remote sessions and offscreen).
///
/// Real-time factor follows whisper.cpp / faster-whisper: processing seconds per second of audio (lower
/// is faster; 0.05 = 20x faster than real time). It is the inverse of the speech jobs' throughput in
/// "audio s" per second, which the engine measures from the audio each job has transcribed so far.
class ChartsDock : public QDockWidget {
    Q_OBJECT
public:
    static constexpr int kCapacity = 120;

    enum class Metric {
        CpuPercent,
        GpuPercent,
        ProcessRam,
        GpuMemory,
        Throughput,
        RealTimeFactor,
        ServerRequestsPerSecond,
        ServerInFlight
    };

    /// "RTF 0.050 (20× real time)": the factor and how many times faster (or slower) than real time.
    static QString realTimeFactorText(double rtf);

    explicit ChartsDock(QWidget* parent = nullptr);

    /// Number of samples in the ring buffer (at most kCapacity).
    int sampleCount() const { return int(m_samples.size()); }
    /// The series that draws `metric` (for tests and for theming).
    QLineSeries* series(Metric metric) const;
    /// The chart that shows `metric` (light or dark theme after the palette).
    QChart* chart(Metric metric) const;
    /// The text summary of the latest values of the chart showing `metric` ("CPU 12 %, GPU 80 %"): the chart
    /// view's accessible description, read by screen readers.
    QString summary(Metric metric) const;

public Q_SLOTS:
    /// Appends a sample and redraws; the current throughput is recorded with it.
    void addSample(const benchtop::ui::TelemetrySample& sample);
    /// Throughput of the running jobs in `unit`/s (0 when idle); shown from the next sample on. When the unit
    /// is seconds of media (the task kind says so: speech's "audio s") the real-time factor 1 / throughput is
    /// recorded with the next sample as well.
    void setThroughput(double unitsPerSecond, const QString& unit, bool mediaSeconds = false);
    /// The local server's activity, recorded with the next sample: requests answered per second and requests
    /// admitted but not yet answered. `running` false: the server is off (no point drawn). The first running
    /// call shows the "Server requests" chart.
    void setServerActivity(bool running, double requestsPerSecond = 0.0, double inFlight = 0.0);
    /// Shows the GPU monitor's state; hides the GPU series when no GPU can be read.
    void setGpuStatus(const QString& backend, const QString& status, bool available);
    void clear();

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Point {
        double time = 0.0;
        TelemetrySample sample;
        double throughput = 0.0;
        double realTimeFactor = 0.0;  ///< 0 = no speech job ran during this sample
        bool serverRunning = false;   ///< the local server ran during this sample
        double serverRate = 0.0;
        double serverInFlight = 0.0;
    };
    struct Chart {
        QChart* chart = nullptr;
        QChartView* view = nullptr;
        QValueAxis* x = nullptr;
        QValueAxis* y = nullptr;
    };

    Chart makeChart(const QString& title, const QString& yTitle);
    QLineSeries* addSeries(Chart& chart, const QString& name, int colourIndex);
    void redraw();
    void applyPalette();
    void updateSummaries();
    void setSummary(const Chart& chart, const QString& text);

    std::deque<Point> m_samples;
    double m_throughput = 0.0;
    QString m_throughputUnit;
    bool m_mediaSeconds = false;
    // A job that ends between two samples still gets its final rate drawn at the next sample: the latest
    // non-zero throughput since the previous sample, with its unit. The speech RTF is derived from that same
    // number (1 / audio seconds per second), so the two charts always agree.
    double m_lastThroughput = 0.0;
    QString m_lastThroughputUnit;
    bool m_lastMediaSeconds = false;
    double m_windowSeconds = 30.0;
    bool m_gpuAvailable = false;
    bool m_serverRunning = false;
    double m_serverRate = 0.0;
    double m_serverInFlight = 0.0;

    QLabel* m_gpuLabel = nullptr;
    Chart m_utilisation, m_memory, m_rate, m_speech, m_server;
    QLineSeries* m_cpu = nullptr;
    QLineSeries* m_gpu = nullptr;
    QLineSeries* m_ram = nullptr;
    QLineSeries* m_gpuMemory = nullptr;
    QLineSeries* m_throughputSeries = nullptr;
    QLineSeries* m_rtfSeries = nullptr;
    QLineSeries* m_serverRateSeries = nullptr;
    QLineSeries* m_serverInFlightSeries = nullptr;
    QHash<const QChart*, QString> m_summaries;
};

}  // namespace benchtop::ui
