// Dark mode and accessibility: custom colours keep their contrast under a dark palette, charts follow the
// palette, key widgets carry accessible names, and the keyboard reaches cancel and search.
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenuBar>
#include <QPalette>
#include <QSet>
#include <QTest>
#include <QVBoxLayout>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cstdlib>

#include "core/engine/engine.h"
#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/charts_dock.h"
#include "ui/device_badge.h"
#include "ui/drop_zone.h"
#include "ui/job_list_model.h"
#include "ui/job_list_view.h"
#include "ui/main_window.h"
#include "ui/results_pane.h"
#include "ui/theme.h"
#include "ui/views/result_view.h"

using benchtop::engine::Engine;
using benchtop::engine::JobSnapshot;
using benchtop::engine::JobState;
using benchtop::engine::TaskRegistry;
using benchtop::test::darkPalette;
using benchtop::test::TempDir;
using benchtop::test::uiApp;
using benchtop::test::waitUntil;
using benchtop::ui::ChartsDock;
using benchtop::ui::JobListModel;
using benchtop::ui::MainWindow;
namespace theme = benchtop::ui::theme;

namespace {

/// Sets the application palette for one scope and puts the previous one back.
struct PaletteScope {
    explicit PaletteScope(const QPalette& palette) : saved(QApplication::palette()) {
        QApplication::setPalette(palette);
    }
    ~PaletteScope() { QApplication::setPalette(saved); }
    QPalette saved;
};

QColor brushColour(const QVariant& value) {
    return value.value<QBrush>().color();
}

QString accessibleName(QObject* object) {
    QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(object);
    return iface ? iface->text(QAccessible::Name) : QString();
}

QString accessibleDescription(QObject* object) {
    QAccessibleInterface* iface = QAccessible::queryAccessibleInterface(object);
    return iface ? iface->text(QAccessible::Description) : QString();
}

JobSnapshot finishedJob(benchtop::engine::JobId id, JobState state, bool fellBack) {
    JobSnapshot job;
    job.id = id;
    job.task = "text";
    job.spec.inputs = {"/data/a.txt"};
    job.state = state;
    job.deviceLabel = "cpu · fp32";
    job.deviceFellBack = fellBack;
    if (state == JobState::Failed) job.error = "The model folder has no tokenizer.json.";
    return job;
}

/// A result view with a search field, for a test task.
class FindableView : public benchtop::ui::ResultView {
public:
    explicit FindableView(QWidget* parent) : ResultView(parent), m_field(new QLineEdit(this)) {
        m_field->setObjectName(QStringLiteral("findableField"));
        (new QVBoxLayout(this))->addWidget(m_field);
    }
    void showJob(const JobSnapshot&) override {}
    QLineEdit* searchField() const override { return m_field; }

private:
    QLineEdit* m_field;
};

}  // namespace

TEST_CASE("custom colours keep a 4.5:1 contrast under light and dark palettes", "[ui][theme]") {
    uiApp();
    const QPalette light = QApplication::palette();
    REQUIRE_FALSE(theme::isDark(light));
    for (const QPalette& palette : {light, darkPalette()}) {
        INFO("dark palette: " << theme::isDark(palette));
        const QColor base = palette.color(QPalette::Base), window = palette.color(QPalette::Window);
        for (const theme::Tone tone : {theme::Tone::Accent, theme::Tone::Success, theme::Tone::Warning,
                                       theme::Tone::Error, theme::Tone::Muted}) {
            INFO("tone " << int(tone));
            CHECK(theme::contrastRatio(theme::text(tone, palette), base) >= 4.5);
            CHECK(theme::contrastRatio(theme::text(tone, window, palette), window) >= 4.5);
            const QColor tint = theme::tint(tone, palette);
            CHECK(theme::contrastRatio(theme::text(tone, tint, palette), tint) >= 4.5);
            // The palette's own text reads on the tints (message bars show it).
            CHECK(theme::contrastRatio(palette.color(QPalette::Text), tint) >= 4.5);
        }
    }
    // The formula itself: black on white is 21:1, a colour on itself 1:1.
    CHECK(theme::contrastRatio(Qt::black, Qt::white) > 20.99);
    CHECK(theme::contrastRatio(QColor(0x77, 0x77, 0x77), QColor(0x77, 0x77, 0x77)) == 1.0);
}

TEST_CASE("under a dark palette the window's colours read and the charts switch to the dark theme", "[ui][theme]") {
    uiApp();
    benchtop::test::resetSettings();
    Engine engine{TaskRegistry{}};
    PaletteScope dark(darkPalette());
    MainWindow window(engine);
    const QPalette palette = window.palette();
    REQUIRE(theme::isDark(palette));

    // The job table's state colours on the table's base colour.
    JobListModel& model = *window.jobModel();
    model.upsert(finishedJob(1, JobState::Failed, true));
    model.upsert(finishedJob(2, JobState::Done, false));
    const QColor base = window.jobView()->palette().color(QPalette::Base);
    const QColor failed = brushColour(model.index(0, JobListModel::StateColumn).data(Qt::ForegroundRole));
    const QColor done = brushColour(model.index(1, JobListModel::StateColumn).data(Qt::ForegroundRole));
    const QColor fellBack = brushColour(model.index(0, JobListModel::DeviceColumn).data(Qt::ForegroundRole));
    CHECK(theme::contrastRatio(failed, base) >= 4.5);
    CHECK(theme::contrastRatio(done, base) >= 4.5);
    CHECK(theme::contrastRatio(fellBack, base) >= 4.5);
    // Still red, green and orange: the hue says what the state is.
    CHECK(failed.red() > failed.green());
    CHECK(done.green() > done.red());
    CHECK(fellBack.red() > fellBack.blue());

    // The device badge: a dark pill (not the light one of the light theme) with readable text, and its warning.
    benchtop::ui::DeviceBadge* badge = window.deviceBadge();
    badge->setChoice(QStringLiteral("cpu · fp32"), QStringLiteral("CUDA unavailable: no GPU"), true);
    CHECK(theme::relativeLuminance(badge->pillBackground()) < 0.1);
    CHECK(theme::contrastRatio(badge->pillText(), badge->pillBackground()) >= 4.5);
    CHECK(theme::contrastRatio(badge->warningText(), palette.color(QPalette::Window)) >= 4.5);

    // Charts: Qt Charts' dark theme with the window's base colour behind the lines.
    ChartsDock* charts = window.chartsDock();
    for (const ChartsDock::Metric metric : {ChartsDock::Metric::CpuPercent, ChartsDock::Metric::ProcessRam,
                                            ChartsDock::Metric::Throughput, ChartsDock::Metric::ServerInFlight}) {
        QChart* chart = charts->chart(metric);
        REQUIRE(chart);
        CHECK(chart->theme() == QChart::ChartThemeDark);
        CHECK(chart->backgroundBrush().color() == palette.color(QPalette::Base));
        CHECK(theme::contrastRatio(charts->series(metric)->pen().color(), palette.color(QPalette::Base)) >= 3.0);
    }
    // A switch back to a light palette while the window is open: the charts and the badge follow.
    QApplication::setPalette(dark.saved);
    QCoreApplication::processEvents();
    CHECK(charts->chart(ChartsDock::Metric::CpuPercent)->theme() == QChart::ChartThemeLight);
    CHECK(theme::relativeLuminance(badge->pillBackground()) > 0.7);
    CHECK(theme::contrastRatio(badge->pillText(), badge->pillBackground()) >= 4.5);
}

TEST_CASE("the drop zone, badge, job table and charts have accessible names; charts describe their values",
          "[ui][accessibility]") {
    uiApp();
    benchtop::test::resetSettings();
    Engine engine{TaskRegistry{}};
    MainWindow window(engine);
    CHECK(accessibleName(window.dropZone()) == "Drop zone");
    CHECK_THAT(accessibleDescription(window.dropZone()).toStdString(),
               Catch::Matchers::ContainsSubstring("Drop files or folders"));
    window.deviceBadge()->setChoice(QStringLiteral("cpu · bf16"), QStringLiteral("AMX present"), false);
    CHECK(accessibleName(window.deviceBadge()) == "Device: CPU · bf16");
    CHECK(accessibleDescription(window.deviceBadge()) == "AMX present");
    CHECK(accessibleName(window.jobView()) == "Jobs");
    for (QChartView* view : window.chartsDock()->findChildren<QChartView*>()) {
        INFO("chart " << view->objectName().toStdString());
        CHECK_FALSE(accessibleName(view).isEmpty());
    }

    ChartsDock charts;
    benchtop::ui::TelemetrySample sample;
    sample.timeSeconds = 1.0;
    sample.cpuPercent = 42.4;
    sample.processRssBytes = std::uint64_t(1.5 * 1024 * 1024 * 1024);
    sample.gpuAvailable = true;
    sample.gpuUtilizationPercent = 87.0;
    sample.gpuMemoryUsedBytes = std::uint64_t(3) * 1024 * 1024 * 1024;
    charts.setThroughput(12.5, QStringLiteral("texts"));
    charts.addSample(sample);
    CHECK(charts.summary(ChartsDock::Metric::CpuPercent) == "CPU 42 %, GPU 87 %");
    CHECK(charts.summary(ChartsDock::Metric::GpuMemory) == "Process RAM 1.50 GiB, GPU memory 3.00 GiB");
    CHECK(charts.summary(ChartsDock::Metric::Throughput) == "Running jobs: 12.5 texts/s");
    CHECK(charts.summary(ChartsDock::Metric::ServerInFlight) == "The local server is off.");
    auto* utilisation = charts.findChild<QChartView*>(QStringLiteral("utilisationChart"));
    REQUIRE(utilisation);
    CHECK(accessibleDescription(utilisation) == "CPU 42 %, GPU 87 %");
}

TEST_CASE("Delete in the job table cancels the selected job; Ctrl+F focuses the results' search field",
          "[ui][accessibility][keyboard]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    benchtop::test::writeTextFile(dir.file("long.sleep"), "400\n");
    benchtop::test::writeTextFile(dir.file("short.findable"), "1\n");
    benchtop::ui::registerResultView(QStringLiteral("findable"),
                                     [](QWidget* parent) { return new FindableView(parent); });
    TaskRegistry registry;
    registry.add(benchtop::test::sleepTaskKind(25));
    benchtop::engine::TaskKind findable = benchtop::test::sleepTaskKind(1);
    findable.id = "findable";
    findable.extensions = {".findable"};
    findable.recognise = [](const benchtop::engine::FileProbe& probe) {
        return probe.extension == ".findable" ? 10 : 0;
    };
    registry.add(findable);
    Engine engine{registry};
    MainWindow window(engine);
    window.show();
    REQUIRE(QTest::qWaitForWindowActive(&window));

    const QList<benchtop::engine::JobId> ids = window.addPaths(
        {QString::fromStdString(dir.file("long.sleep")), QString::fromStdString(dir.file("short.findable"))});
    REQUIRE(ids.size() == 2);
    JobListModel& model = *window.jobModel();
    REQUIRE(waitUntil([&]() { return model.jobAt(0).state == JobState::Running; }));

    window.jobView()->selectRow(model.rowOf(ids[0]));
    window.jobView()->setFocus();
    REQUIRE(waitUntil([&]() { return window.jobView()->hasFocus(); }, 2000));
    QTest::keyClick(window.jobView(), Qt::Key_Delete);
    REQUIRE(waitUntil([&]() { return benchtop::engine::isFinished(model.jobAt(0).state); }));
    CHECK(model.jobAt(0).state == JobState::Cancelled);

    // Ctrl+F: the selected job's view gets the focus in its search field.
    REQUIRE(waitUntil([&]() { return model.job(ids[1])->state == JobState::Done; }));
    window.jobView()->selectRow(model.rowOf(ids[1]));
    auto* search = window.findChild<QLineEdit*>(QStringLiteral("findableField"));
    REQUIRE(search);
    QTest::keyClick(window.jobView(), Qt::Key_F, Qt::ControlModifier);
    CHECK(waitUntil([&]() { return search->hasFocus(); }, 2000));
}

TEST_CASE("no two actions of the window share a shortcut, and none takes the platform's own", "[ui][accessibility]") {
    uiApp();
    benchtop::test::resetSettings();
    Engine engine{TaskRegistry{}};
    MainWindow window(engine);
    QSet<QString> seen;
    for (QAction* action : window.findChildren<QAction*>()) {
        for (const QKeySequence& key : action->shortcuts()) {
            const QString text = key.toString(QKeySequence::PortableText);
            INFO("shortcut " << text.toStdString() << " of " << action->text().toStdString());
            CHECK_FALSE(seen.contains(text));
            seen.insert(text);
        }
    }
    auto* models = window.findChild<QAction*>(QStringLiteral("modelsAction"));
    REQUIRE(models);
#ifdef Q_OS_MACOS
    CHECK(models->shortcut() != QKeySequence(Qt::CTRL | Qt::Key_M));  // Cmd+M minimises
#endif
    CHECK(window.findChild<QAction*>(QStringLiteral("findAction"))->shortcut() == QKeySequence(QKeySequence::Find));
    CHECK(window.findChild<QAction*>(QStringLiteral("cancelJobAction"))->shortcut() ==
          QKeySequence(QKeySequence::Delete));
}
