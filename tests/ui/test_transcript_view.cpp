// Speech in the real main window, offscreen: drop an audio file with a Whisper model chosen, wait for the
// job, read the transcript view and the real-time factor series of the live charts.
#include <QApplication>
#include <QClipboard>
#include <QDropEvent>
#include <QFile>
#include <QLineEdit>
#include <QLineSeries>
#include <QMimeData>
#include <QTreeWidget>
#include <QUrl>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "core/workloads/builtin_workloads.h"
#include "core/audio/transcript_writer.h"
#include "core/engine/engine.h"
#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/charts_dock.h"
#include "ui/drop_zone.h"
#include "ui/job_list_model.h"
#include "ui/main_window.h"
#include "ui/results_pane.h"
#include "ui/telemetry_sampler.h"
#include "ui/views/transcript_view.h"

using benchtop::engine::JobSnapshot;
using benchtop::engine::JobState;
using benchtop::test::sharedPath;
using benchtop::test::TempDir;
using benchtop::test::uiApp;
using benchtop::test::waitUntil;
using benchtop::ui::ChartsDock;
using benchtop::ui::MainWindow;
using benchtop::ui::TranscriptView;

using benchtop::test::dropFiles;

namespace {

std::string stripped(const std::string& text) {
    const auto begin = text.find_first_not_of(' ');
    return begin == std::string::npos ? std::string() : text.substr(begin);
}

}  // namespace

TEST_CASE("a dropped audio file with a Whisper model shows openai's segments in the transcript view", "[ui][speech]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir out;
    const nlohmann::json golden = nlohmann::json::parse(
        benchtop::test::readFile(sharedPath("fixtures/whisper/expected/tiny-whisper-v3/transcribe.jfk.en.words.json")));
    const auto& segments = golden.at("segments");

    benchtop::engine::Engine engine(benchtop::workloads::builtinTasks());
    MainWindow window(engine);
    window.settings().setModelFor(QStringLiteral("speech"),
                                  QString::fromStdString(sharedPath("models/tiny-whisper-v3")));
    // The options the golden was made with: openai's transcribe(language="en", word_timestamps=True,
    // temperature=0, condition_on_previous_text=False).
    window.settings().setOptionsFor(QStringLiteral("speech"),
                                    {{QStringLiteral("language"), QStringLiteral("en")},
                                     {QStringLiteral("word-timestamps"), QStringLiteral("true")},
                                     {QStringLiteral("temperature"), QStringLiteral("0")},
                                     {QStringLiteral("condition-on-previous-text"), QStringLiteral("false")}});
    window.settings().setOutputFolder(QString::fromStdString(out.path()));
    window.settings().setDevice(QStringLiteral("cpu"));
    window.settings().setPrecision(QStringLiteral("fp32"));
    window.settings().setTelemetryIntervalMs(200);
    window.applySettings();

    const QString audio = QString::fromStdString(sharedPath("fixtures/whisper/audio/jfk.flac"));
    dropFiles(window.dropZone(), {audio});
    REQUIRE(window.jobModel()->rowCount() == 1);
    REQUIRE(waitUntil([&]() { return benchtop::engine::isFinished(window.jobModel()->jobAt(0).state); }, 180000));
    const JobSnapshot job = window.jobModel()->jobAt(0);
    INFO(job.error);
    REQUIRE(job.state == JobState::Done);
    CHECK(job.task == "speech");
    // One more telemetry sample after the job, so the last rate reported while it ran is on the chart.
    int samplesAfter = 0;
    QObject::connect(window.sampler(), &benchtop::ui::TelemetrySampler::sampled, window.chartsDock(),
                     [&samplesAfter]() { ++samplesAfter; });
    REQUIRE(waitUntil([&]() { return samplesAfter > 0; }, 5000));

    auto* view = qobject_cast<TranscriptView*>(window.resultsPane()->currentView());
    REQUIRE(view != nullptr);
    REQUIRE(view->transcript() != nullptr);
    CHECK(view->transcriptNames() == QStringList{QStringLiteral("jfk")});

    // Segments: openai's times (golden tolerance 1e-6 s) and text, shown with [start → end].
    REQUIRE(view->segmentCount() == int(segments.size()));
    REQUIRE(view->visibleSegmentCount() == int(segments.size()));
    const QTreeWidget* list = view->segmentList();
    for (std::size_t i = 0; i < segments.size(); ++i) {
        CAPTURE(i);
        const auto& e = segments[i];
        const benchtop::audio::TranscriptSegment& s = view->transcript()->segments[i];
        CHECK(std::abs(s.start - e.at("start").get<double>()) <= 1e-6);
        CHECK(std::abs(s.end - e.at("end").get<double>()) <= 1e-6);
        CHECK(s.text == e.at("text").get<std::string>());
        CHECK(s.words.size() == e.at("words").size());
        const QTreeWidgetItem* item = list->topLevelItem(int(i));
        CHECK(item->text(0) == TranscriptView::timeRange(e.at("start").get<double>(), e.at("end").get<double>()));
        CHECK(item->text(1).toStdString() == stripped(e.at("text").get<std::string>()));
        // Segments with words carry their timings as the tooltip shown on click.
        if (!e.at("words").empty())
            CHECK(item->toolTip(1).contains(
                QString::fromStdString(e.at("words")[0].at("word").get<std::string>()).trimmed().toHtmlEscaped()));
    }
    CHECK(list->topLevelItem(0)->text(0) == QStringLiteral("[00:00.000 → 00:10.380]"));

    // Header: file, duration, given language, model, device and the job's real-time factor.
    const QString header = view->headerText();
    INFO(header.toStdString());
    CHECK(header.contains(QStringLiteral("jfk.flac")));
    CHECK(header.contains(QStringLiteral("11.0 s of audio")));
    CHECK(header.contains(QStringLiteral("language en (given)")));
    CHECK(header.contains(QStringLiteral("model tiny-whisper-v3")));
    CHECK(header.contains(QStringLiteral("CPU · fp32")));
    CHECK(header.contains(QStringLiteral("RTF ")));

    // Search filters to the segments whose text has the word, case-insensitively.
    const QString needle = QStringLiteral("ethiopia");
    std::vector<int> expected;
    for (std::size_t i = 0; i < segments.size(); ++i)
        if (QString::fromStdString(segments[i].at("text").get<std::string>()).contains(needle, Qt::CaseInsensitive))
            expected.push_back(int(i));
    REQUIRE(!expected.empty());
    REQUIRE(expected.size() < segments.size());
    view->setSearchText(needle);
    CHECK(view->visibleSegments() == expected);
    CHECK(view->searchBox()->text() == needle);
    view->setSearchText(QStringLiteral("no such words here"));
    CHECK(view->visibleSegmentCount() == 0);
    view->setSearchText(QString());
    CHECK(view->visibleSegmentCount() == int(segments.size()));

    // Copy: every segment with openai's verbose times; a selection copies only itself.
    view->copySegments();
    const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    REQUIRE(lines.size() == int(segments.size()));
    CHECK(lines[0].startsWith(QStringLiteral("[00:00.000 --> 00:10.380] ")));
    view->segmentList()->topLevelItem(1)->setSelected(true);
    CHECK(view->copyText() == QStringLiteral("[00:10.380 --> 00:10.560] %1\n")
                                  .arg(QString::fromStdString(stripped(segments[1].at("text").get<std::string>()))));

    // Export re-renders through core's writers: the same subtitles the job wrote.
    const QString srt = QString::fromStdString(out.file("exported.srt"));
    QString error;
    REQUIRE(view->exportTranscript(srt, QStringLiteral("srt"), &error));
    CHECK(benchtop::test::readFile(srt.toStdString()) == benchtop::test::readFile(out.file("jfk/jfk.srt")));
    CHECK_FALSE(QFile::exists(srt + QStringLiteral(".part")));
    CHECK_FALSE(view->exportTranscript(QString::fromStdString(out.file("x.docx")), QStringLiteral("docx"), &error));
    CHECK(error.contains(QStringLiteral("docx")));
    CHECK_FALSE(QFile::exists(QString::fromStdString(out.file("x.docx"))));

    // The live charts got the job's real-time factor (processing s per audio s) while it ran.
    const QLineSeries* rtf = window.chartsDock()->series(ChartsDock::Metric::RealTimeFactor);
    REQUIRE(rtf->count() > 0);
    for (int i = 0; i < rtf->count(); ++i) {
        CHECK(rtf->at(i).y() > 0.0);
        CHECK(std::isfinite(rtf->at(i).y()));
    }
}

TEST_CASE("the charts dock turns speech throughput into a real-time factor series", "[ui][charts][speech]") {
    uiApp();
    ChartsDock dock;
    benchtop::ui::TelemetrySample sample;
    dock.setThroughput(120.0, QStringLiteral("tokens"));
    sample.timeSeconds = 0.0;
    dock.addSample(sample);
    CHECK(dock.series(ChartsDock::Metric::RealTimeFactor)->count() == 0);  // not a speech job
    dock.setThroughput(20.0, QStringLiteral("audio s"), true);             // 20 audio seconds per second
    sample.timeSeconds = 0.5;
    dock.addSample(sample);
    REQUIRE(dock.series(ChartsDock::Metric::RealTimeFactor)->count() == 1);
    CHECK(dock.series(ChartsDock::Metric::RealTimeFactor)->at(0).y() == 0.05);
    // A job that ends between two samples still leaves its last factor on the chart...
    dock.setThroughput(10.0, QStringLiteral("audio s"), true);
    dock.setThroughput(0.0, QString());
    sample.timeSeconds = 1.0;
    dock.addSample(sample);
    REQUIRE(dock.series(ChartsDock::Metric::RealTimeFactor)->count() == 2);
    CHECK(dock.series(ChartsDock::Metric::RealTimeFactor)->at(1).y() == 0.1);
    // ...and idle samples add no points.
    sample.timeSeconds = 1.5;
    dock.addSample(sample);
    CHECK(dock.series(ChartsDock::Metric::RealTimeFactor)->count() == 2);
    CHECK(ChartsDock::realTimeFactorText(0.05) == QStringLiteral("RTF 0.050 (20× real time)"));
    CHECK(ChartsDock::realTimeFactorText(2.0) == QStringLiteral("RTF 2.000 (2.0× slower than real time)"));
}
