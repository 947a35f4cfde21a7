#include "ui/charts_dock.h"

#include <QAccessible>
#include <QChart>
#include <QEvent>
#include <QChartView>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLocale>
#include <QLineSeries>
#include <QPainter>
#include <QPen>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/theme.h"

namespace benchtop::ui {

namespace {
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

/// A "nice" axis maximum (1, 2, 2.5, 5 x 10^k) at or above `value`.
double niceCeiling(double value) {
    if (!(value > 0)) return 1.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (step * magnitude >= value) return step * magnitude;
    return 10.0 * magnitude;
}
}  // namespace

ChartsDock::ChartsDock(QWidget* parent) : QDockWidget(tr("Live hardware"), parent) {
    setObjectName(QStringLiteral("chartsDock"));
    setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);

    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    layout->setContentsMargins(6, 4, 6, 6);
    layout->setSpacing(2);
    m_gpuLabel = new QLabel(tr("GPU: checking…"), body);
    m_gpuLabel->setWordWrap(true);
    m_gpuLabel->setStyleSheet(theme::mutedLabelStyle());
    layout->addWidget(m_gpuLabel);

    m_utilisation = makeChart(tr("Utilisation"), tr("%"));
    m_utilisation.y->setRange(0, 100);
    m_cpu = addSeries(m_utilisation, tr("CPU"), 0);
    m_gpu = addSeries(m_utilisation, tr("GPU"), 2);

    m_memory = makeChart(tr("Memory"), tr("GiB"));
    m_ram = addSeries(m_memory, tr("Process RAM"), 4);
    m_gpuMemory = addSeries(m_memory, tr("GPU memory"), 1);

    m_rate = makeChart(tr("Throughput"), tr("items/s"));
    m_throughputSeries = addSeries(m_rate, tr("Running jobs"), 3);
    m_rate.chart->legend()->hide();

    // Shown from the first speech job on: processing seconds per audio second (log scale would hide the
    // interesting range 0.01-1, so the axis is linear from 0 and follows the largest value shown).
    m_speech = makeChart(tr("Real-time factor"), tr("s per media s"));
    m_rtfSeries = addSeries(m_speech, tr("Audio/video jobs"), 9);
    m_speech.chart->legend()->hide();
    m_speech.view->setToolTip(
        tr("Real-time factor of the running audio/video jobs (speech): processing seconds "
           "per second of media (lower is faster; 0.05 = 20× faster than real time)."));
    m_speech.view->setVisible(false);

    // Shown from the first start of the local server on (Server › Local Server).
    m_server = makeChart(tr("Server requests"), tr("req"));
    m_serverRateSeries = addSeries(m_server, tr("Answered/s"), 5);
    m_serverInFlightSeries = addSeries(m_server, tr("In flight"), 6);
    m_server.view->setObjectName(QStringLiteral("serverChart"));
    m_server.view->setToolTip(
        tr("The local server: requests answered per second and requests admitted but not yet answered."));
    m_server.view->setVisible(false);

    m_utilisation.view->setObjectName(QStringLiteral("utilisationChart"));
    m_memory.view->setObjectName(QStringLiteral("memoryChart"));
    m_rate.view->setObjectName(QStringLiteral("throughputChart"));
    m_speech.view->setObjectName(QStringLiteral("realTimeFactorChart"));
    for (const Chart* chart : {&m_utilisation, &m_memory, &m_rate, &m_speech, &m_server})
        layout->addWidget(chart->view, 1);
    setWidget(body);
    applyPalette();
    setGpuStatus(QString(), tr("checking…"), false);
    redraw();
}

ChartsDock::Chart ChartsDock::makeChart(const QString& title, const QString& yTitle) {
    Chart c;
    c.chart = new QChart();
    c.chart->setTitle(title);
    QFont titleFont = c.chart->titleFont();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.05);
    c.chart->setTitleFont(titleFont);
    c.chart->setMargins(QMargins(4, 2, 4, 2));
    c.chart->setBackgroundRoundness(4);
    c.chart->legend()->setAlignment(Qt::AlignTop);
    c.chart->setAnimationOptions(QChart::NoAnimation);
    c.x = new QValueAxis();
    c.x->setRange(-m_windowSeconds, 0);
    c.x->setLabelFormat(QStringLiteral("%.0f s"));
    c.x->setTickCount(4);
    c.y = new QValueAxis();
    c.y->setTitleText(yTitle);
    c.y->setLabelFormat(QStringLiteral("%g"));
    c.y->setTickCount(5);
    c.y->setRange(0, 1);
    c.chart->addAxis(c.x, Qt::AlignBottom);
    c.chart->addAxis(c.y, Qt::AlignLeft);
    c.view = new QChartView(c.chart);
    c.view->setRenderHint(QPainter::Antialiasing);
    c.view->setAccessibleName(title);
    c.view->setFocusPolicy(Qt::TabFocus);  // reachable by keyboard, so a screen reader reads its summary
    c.view->setMinimumHeight(150);
    return c;
}

QLineSeries* ChartsDock::addSeries(Chart& chart, const QString& name, int colourIndex) {
    auto* series = new QLineSeries();
    series->setName(name);
    series->setUseOpenGL(false);
    theme::setSeriesIndex(series, colourIndex);
    QPen pen(theme::series(colourIndex));
    pen.setWidthF(2.0);
    series->setPen(pen);
    chart.chart->addSeries(series);
    series->attachAxis(chart.x);
    series->attachAxis(chart.y);
    return series;
}

QString ChartsDock::realTimeFactorText(double rtf) {
    if (!(rtf > 0)) return tr("RTF –");
    const QString factor = QString::number(rtf, 'f', rtf < 0.01 ? 4 : 3);
    if (rtf <= 1.0)
        return tr("RTF %1 (%2× real time)").arg(factor, QString::number(1.0 / rtf, 'f', 1 / rtf < 10 ? 1 : 0));
    return tr("RTF %1 (%2× slower than real time)").arg(factor, QString::number(rtf, 'f', 1));
}

QLineSeries* ChartsDock::series(Metric metric) const {
    switch (metric) {
        case Metric::CpuPercent:
            return m_cpu;
        case Metric::GpuPercent:
            return m_gpu;
        case Metric::ProcessRam:
            return m_ram;
        case Metric::GpuMemory:
            return m_gpuMemory;
        case Metric::Throughput:
            return m_throughputSeries;
        case Metric::RealTimeFactor:
            return m_rtfSeries;
        case Metric::ServerRequestsPerSecond:
            return m_serverRateSeries;
        case Metric::ServerInFlight:
            return m_serverInFlightSeries;
    }
    return nullptr;
}

QChart* ChartsDock::chart(Metric metric) const {
    QLineSeries* line = series(metric);
    return line ? line->chart() : nullptr;
}

QString ChartsDock::summary(Metric metric) const {
    QLineSeries* line = series(metric);
    return line && line->chart() ? m_summaries.value(line->chart()) : QString();
}

void ChartsDock::applyPalette() {
    for (const Chart* chart : {&m_utilisation, &m_memory, &m_rate, &m_speech, &m_server})
        theme::styleChart(chart->chart, palette());
    m_gpuLabel->setStyleSheet(theme::mutedLabelStyle(palette()));
}

void ChartsDock::changeEvent(QEvent* event) {
    QDockWidget::changeEvent(event);
    // The system switched between light and dark (or the style changed): the charts follow.
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange) applyPalette();
}

void ChartsDock::setSummary(const Chart& chart, const QString& text) {
    if (m_summaries.value(chart.chart) == text) return;
    m_summaries.insert(chart.chart, text);
    chart.view->setAccessibleDescription(text);
    QAccessibleEvent event(chart.view, QAccessible::DescriptionChanged);
    QAccessible::updateAccessibility(&event);
}

void ChartsDock::addSample(const TelemetrySample& sample) {
    if (sample.gpuAvailable && !m_gpuAvailable) {
        m_gpuAvailable = true;
        m_gpu->setVisible(true);
        m_gpuMemory->setVisible(true);
    }
    const bool running = m_throughput > 0;
    const double throughput = running ? m_throughput : m_lastThroughput;
    const bool mediaSeconds = running ? m_mediaSeconds : m_lastMediaSeconds;
    const double rtf = throughput > 0 && mediaSeconds ? 1.0 / throughput : 0.0;
    m_lastThroughput = 0.0;
    if (rtf > 0 && m_speech.view->isHidden()) m_speech.view->show();
    m_samples.push_back(
        Point{sample.timeSeconds, sample, throughput, rtf, m_serverRunning, m_serverRate, m_serverInFlight});
    while (int(m_samples.size()) > kCapacity) m_samples.pop_front();
    if (m_samples.size() >= 2) {
        // The visible window covers the whole ring buffer, whatever the sampling rate.
        const double span = m_samples.back().time - m_samples.front().time;
        const double interval = span / double(m_samples.size() - 1);
        // Whole tens of seconds keep the tick labels round ("-30 s", "-20 s", ...).
        m_windowSeconds = std::max(10.0, std::ceil(interval * kCapacity / 10.0 - 0.05) * 10.0);
    }
    redraw();
}

void ChartsDock::setThroughput(double unitsPerSecond, const QString& unit, bool mediaSeconds) {
    m_throughput = unitsPerSecond > 0 ? unitsPerSecond : 0.0;
    m_mediaSeconds = mediaSeconds;
    if (!unit.isEmpty() && unit != m_throughputUnit) {
        m_throughputUnit = unit;
        m_rate.y->setTitleText(tr("%1/s").arg(unit));
    }
    if (m_throughput > 0) {
        m_lastThroughput = m_throughput;
        m_lastThroughputUnit = m_throughputUnit;
        m_lastMediaSeconds = m_mediaSeconds;
    }
}

void ChartsDock::setServerActivity(bool running, double requestsPerSecond, double inFlight) {
    m_serverRunning = running;
    m_serverRate = running && requestsPerSecond > 0 ? requestsPerSecond : 0.0;
    m_serverInFlight = running && inFlight > 0 ? inFlight : 0.0;
    if (running && m_server.view->isHidden()) m_server.view->show();
}

void ChartsDock::setGpuStatus(const QString& backend, const QString& status, bool available) {
    m_gpuAvailable = available;
    m_gpuLabel->setText(available ? tr("GPU: %1").arg(status) : tr("GPU telemetry unavailable: %1").arg(status));
    m_gpuLabel->setToolTip(backend.isEmpty() ? status : tr("%1 backend: %2").arg(backend, status));
    m_gpu->setVisible(available);
    m_gpuMemory->setVisible(available);
    // A hidden series still shows a legend marker; hide the markers too so the legend does not lie.
    for (QLegendMarker* marker : m_utilisation.chart->legend()->markers(m_gpu)) marker->setVisible(available);
    for (QLegendMarker* marker : m_memory.chart->legend()->markers(m_gpuMemory)) marker->setVisible(available);
}

void ChartsDock::clear() {
    m_samples.clear();
    redraw();
}

void ChartsDock::redraw() {
    QList<QPointF> cpu, gpu, ram, gpuMemory, rate, rtf, serverRate, serverInFlight;
    cpu.reserve(int(m_samples.size()));
    gpu.reserve(int(m_samples.size()));
    ram.reserve(int(m_samples.size()));
    gpuMemory.reserve(int(m_samples.size()));
    rate.reserve(int(m_samples.size()));
    const double now = m_samples.empty() ? 0.0 : m_samples.back().time;
    double memoryMax = 0.0, rateMax = 0.0, rtfMax = 0.0, rtfLatest = 0.0, serverMax = 0.0;
    for (const Point& p : m_samples) {
        const double x = p.time - now;  // seconds ago, so the axis stays fixed at [-window, 0]
        cpu.append({x, std::clamp(p.sample.cpuPercent, 0.0, 100.0)});
        const double ramGiB = double(p.sample.processRssBytes) / kGiB;
        ram.append({x, ramGiB});
        memoryMax = std::max(memoryMax, ramGiB);
        if (p.sample.gpuAvailable) {
            gpu.append({x, std::clamp(p.sample.gpuUtilizationPercent, 0.0, 100.0)});
            const double usedGiB = double(p.sample.gpuMemoryUsedBytes) / kGiB;
            gpuMemory.append({x, usedGiB});
            memoryMax = std::max(memoryMax, usedGiB);
        }
        rate.append({x, p.throughput});
        rateMax = std::max(rateMax, p.throughput);
        // Only samples taken while a speech job ran: a gap is "no speech", not "infinitely fast".
        if (p.realTimeFactor > 0) {
            rtf.append({x, p.realTimeFactor});
            rtfMax = std::max(rtfMax, p.realTimeFactor);
            rtfLatest = p.realTimeFactor;
        }
        // Only samples taken while the server ran: a stopped server leaves a gap, not a line at zero.
        if (p.serverRunning) {
            serverRate.append({x, p.serverRate});
            serverInFlight.append({x, p.serverInFlight});
            serverMax = std::max({serverMax, p.serverRate, p.serverInFlight});
        }
    }
    m_cpu->replace(cpu);
    m_gpu->replace(gpu);
    m_ram->replace(ram);
    m_gpuMemory->replace(gpuMemory);
    m_throughputSeries->replace(rate);
    m_rtfSeries->replace(rtf);
    m_serverRateSeries->replace(serverRate);
    m_serverInFlightSeries->replace(serverInFlight);
    m_speech.chart->setTitle(rtfLatest > 0 ? tr("Real-time factor: %1").arg(realTimeFactorText(rtfLatest))
                                           : tr("Real-time factor"));

    for (const Chart* chart : {&m_utilisation, &m_memory, &m_rate, &m_speech, &m_server})
        chart->x->setRange(-m_windowSeconds, 0);
    // Four equal nice steps, so every tick label is a short round number.
    m_memory.y->setRange(0, 4.0 * niceCeiling(memoryMax * 1.15 / 4.0));
    m_rate.y->setRange(0, 4.0 * niceCeiling(rateMax * 1.15 / 4.0));
    m_speech.y->setRange(0, 4.0 * niceCeiling(rtfMax * 1.15 / 4.0));
    m_server.y->setRange(0, 4.0 * niceCeiling(serverMax * 1.15 / 4.0));
    updateSummaries();
}

void ChartsDock::updateSummaries() {
    // What a screen reader says for each chart: the latest values, as the charts draw them.
    if (m_samples.empty()) {
        for (const Chart* chart : {&m_utilisation, &m_memory, &m_rate, &m_speech, &m_server})
            setSummary(*chart, tr("No samples yet."));
        return;
    }
    const Point& p = m_samples.back();
    const QLocale locale;
    QString utilisation = tr("CPU %1 %").arg(locale.toString(std::clamp(p.sample.cpuPercent, 0.0, 100.0), 'f', 0));
    QString memory = tr("Process RAM %1 GiB").arg(locale.toString(double(p.sample.processRssBytes) / kGiB, 'f', 2));
    if (p.sample.gpuAvailable) {
        utilisation +=
            tr(", GPU %1 %").arg(locale.toString(std::clamp(p.sample.gpuUtilizationPercent, 0.0, 100.0), 'f', 0));
        memory += tr(", GPU memory %1 GiB").arg(locale.toString(double(p.sample.gpuMemoryUsedBytes) / kGiB, 'f', 2));
    }
    setSummary(m_utilisation, utilisation);
    setSummary(m_memory, memory);
    setSummary(m_rate, p.throughput > 0 ? tr("Running jobs: %1 %2/s")
                                              .arg(locale.toString(p.throughput, 'g', 3),
                                                   m_throughputUnit.isEmpty() ? tr("items") : m_throughputUnit)
                                        : tr("No job running."));
    setSummary(m_speech, p.realTimeFactor > 0 ? realTimeFactorText(p.realTimeFactor) : tr("No speech job running."));
    setSummary(m_server, p.serverRunning ? tr("%1 requests answered per second, %2 in flight")
                                               .arg(locale.toString(p.serverRate, 'g', 3),
                                                    locale.toString(p.serverInFlight, 'g', 3))
                                         : tr("The local server is off."));
}

}  // namespace benchtop::ui
