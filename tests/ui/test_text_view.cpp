// The text result view driven through the real main window offscreen: drop a text file with a model
// selected, wait for the embedding job, read the header, search, check the map and export.
#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QDropEvent>
#include <QFile>
#include <QLineEdit>
#include <QMimeData>
#include <QScatterSeries>
#include <QTableWidget>
#include <QTest>
#include <QToolTip>
#include <QUrl>

#include <catch2/catch_test_macros.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/engine/engine.h"
#include "core/text/embedding_task.h"
#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/drop_zone.h"
#include "ui/job_list_model.h"
#include "ui/job_list_view.h"
#include "ui/main_window.h"
#include "ui/results_pane.h"
#include "ui/views/text_view.h"

using benchtop::engine::Engine;
using benchtop::engine::JobState;
using benchtop::engine::TaskRegistry;
using benchtop::test::TempDir;
using benchtop::test::uiApp;
using benchtop::test::waitUntil;
using benchtop::ui::MainWindow;
using benchtop::ui::TextResultView;

namespace {

const std::vector<std::string> kLines = {
    "The cat sat on the mat.",
    "Stock markets fell sharply on Monday.",
    "A recipe for bread needs flour, water and yeast.",
    "The football match ended in a draw.",
    "Quantum computers use qubits.",
    "She played the violin at the concert.",
    "Heavy rain is expected tomorrow.",
    "The museum opens at nine.",
    "Photosynthesis turns light into chemical energy.",
    "He forgot his umbrella on the train.",
};

void dropFile(QWidget* target, const QString& path) {
    benchtop::test::dropFiles(target, {path});
}

QStringList readLines(const QString& path) {
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly | QIODevice::Text));
    return QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

/// Drops `file` on a window whose text model is `model` and returns the view showing the finished job.
TextResultView* runTextJob(MainWindow& window, const std::string& file) {
    dropFile(window.dropZone(), QString::fromStdString(file));
    auto& jobs = *window.jobModel();
    REQUIRE(jobs.rowCount() == 1);
    REQUIRE(waitUntil([&]() { return benchtop::engine::isFinished(jobs.jobAt(0).state); }, 120000));
    window.jobView()->selectRow(0);
    auto* view = qobject_cast<TextResultView*>(window.resultsPane()->currentView());
    REQUIRE(view != nullptr);
    return view;
}

}  // namespace

TEST_CASE("a dropped text file shows its count, finds a line by search and maps every text", "[ui][text]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    std::string corpus;
    for (const auto& line : kLines) corpus += line + "\n";
    benchtop::test::writeTextFile(dir.file("notes.txt"), corpus);

    TaskRegistry registry;
    registry.add(benchtop::text::embeddingTaskKind());
    Engine engine{registry};
    MainWindow window(engine);
    window.settings().setModelFor(QStringLiteral("text"),
                                  QString::fromStdString(benchtop::test::sharedPath("models/tiny-bert-mean")));
    TextResultView* view = runTextJob(window, dir.file("notes.txt"));
    INFO(window.jobModel()->jobAt(0).error);
    REQUIRE(window.jobModel()->jobAt(0).state == JobState::Done);

    REQUIRE(waitUntil([&]() { return view->textCount() > 0 || view->statusText().startsWith("Cannot"); }, 60000));
    INFO(view->statusText().toStdString());
    CHECK(view->textCount() == 10);
    CHECK(view->countText() == "10 texts");
    CHECK(view->mapPointCount() == 10);
    CHECK(view->mapSeries()->count() == 10);
    for (int i = 0; i < 10; ++i) CHECK(view->rowNear(view->mapSeries()->at(i)) == i);  // every text drawn, in order

    // Hovering a point shows its text.
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    QChartView* chart = view->mapView();
    const QPointF inChart = chart->chart()->mapToPosition(view->mapSeries()->at(6), view->mapSeries());
    const QPoint inView = chart->mapFromScene(chart->chart()->mapToScene(inChart));
    QTest::mouseMove(chart->viewport(), inView + QPoint(-3, 0));
    QTest::mouseMove(chart->viewport(), inView);
    CHECK(waitUntil([]() { return QToolTip::isVisible(); }, 3000));
    CHECK(QToolTip::text().startsWith(QString::fromStdString(kLines[6])));

    // Enter in the search box runs the query on the worker thread; an exact line is its own best match.
    view->searchBox()->setText(QString::fromStdString(kLines[4]));
    QTest::keyClick(view->searchBox(), Qt::Key_Return);
    REQUIRE(waitUntil([&]() { return view->hitCount() > 0 && !view->busy(); }, 60000));
    INFO(view->statusText().toStdString());
    CHECK(view->hitCount() == 10);  // top 10 by default, here every text
    CHECK(view->hitText(0).toStdString() == kLines[4]);
    CHECK(view->hitScore(0) >= 0.999);  // the query is embedded at the job's precision, on its device
    CHECK(view->hitScore(0) > view->hitScore(1));
    // The query went through the engine with the encoder the job left in its model cache: no second load.
    CHECK(engine.models().stats().loads == 1);
    CHECK(engine.models().stats().hits >= 1);
    // Every hit is highlighted on the map and the best one is marked; choosing another hit moves the mark.
    REQUIRE(view->hitSeries()->count() == 10);
    REQUIRE(view->selectedSeries()->count() == 1);
    CHECK(view->selectedSeries()->at(0) == view->hitSeries()->at(0));
    auto* list = view->findChild<QTableWidget*>();
    REQUIRE(list != nullptr);
    REQUIRE(list->rowCount() == 10);
    CHECK(list->item(0, 2)->text().toStdString() == kLines[4]);
    list->setCurrentCell(3, 2);
    REQUIRE(view->selectedSeries()->count() == 1);
    CHECK(view->selectedSeries()->at(0) == view->hitSeries()->at(3));

    // A second query reuses the cached encoder.
    view->search(QString::fromStdString(kLines[8]));
    REQUIRE(waitUntil([&]() { return !view->busy() && view->hitText(0).toStdString() == kLines[8]; }, 60000));

    // Export writes the hits and the map as CSV.
    REQUIRE(view->exportHits(QString::fromStdString(dir.file("hits.csv"))));
    const QStringList hits = readLines(QString::fromStdString(dir.file("hits.csv")));
    REQUIRE(hits.size() == 11);
    CHECK(hits[0] == "rank,score,row,source,text");
    CHECK(hits[1].startsWith("1,"));
    CHECK(hits[1].endsWith(",notes.txt:9," + QString::fromStdString(kLines[8])));
    REQUIRE(view->exportMap(QString::fromStdString(dir.file("map.csv"))));
    const QStringList map = readLines(QString::fromStdString(dir.file("map.csv")));
    REQUIRE(map.size() == 11);
    CHECK(map[3].startsWith("3,"));
    CHECK(map[3].endsWith(",notes.txt:3,\"" + QString::fromStdString(kLines[2]) + "\""));  // has a comma: quoted
}

TEST_CASE("two text files of one folder: each job shows its own texts; a re-dropped folder adds the same jobs",
          "[ui][text][safety]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    std::filesystem::create_directories(dir.file("texts"));
    benchtop::test::writeTextFile(dir.file("texts/few.txt"), "alpha\nbeta\ngamma\n");
    benchtop::test::writeTextFile(dir.file("texts/more.txt"), "one\ntwo\nthree\nfour\nfive\nsix\n");

    TaskRegistry registry;
    registry.add(benchtop::text::embeddingTaskKind());
    Engine engine{registry};
    MainWindow window(engine);
    window.settings().setModelFor(QStringLiteral("text"),
                                  QString::fromStdString(benchtop::test::sharedPath("models/tiny-bert-mean")));
    auto& jobs = *window.jobModel();
    const auto runAll = [&](int expectedRows) {
        REQUIRE(window.addPaths({QString::fromStdString(dir.file("texts"))}).size() == 2);
        REQUIRE(jobs.rowCount() == expectedRows);
        REQUIRE(waitUntil(
            [&]() {
                for (int row = 0; row < jobs.rowCount(); ++row)
                    if (!benchtop::engine::isFinished(jobs.jobAt(row).state)) return false;
                return true;
            },
            120000));
    };
    runAll(2);
    // One view serves every text job; selecting a job loads that job's results (the counts differ, so a view
    // still showing the previous job's texts would be caught).
    const auto countOf = [&](int row, int expected) {
        INFO(jobs.jobAt(row).error);
        REQUIRE(jobs.jobAt(row).state == JobState::Done);
        window.jobView()->selectRow(row);
        auto* view = qobject_cast<TextResultView*>(window.resultsPane()->currentView());
        REQUIRE(view != nullptr);
        waitUntil([&]() { return view->textCount() == expected || view->statusText().startsWith("Cannot"); }, 60000);
        INFO(view->statusText().toStdString());
        return view->textCount();
    };
    CHECK(countOf(0, 3) == 3);
    CHECK(countOf(1, 6) == 6);
    CHECK(jobs.jobAt(0).resultDir == dir.file("texts/benchtop-results/few"));
    CHECK(jobs.jobAt(1).resultDir == dir.file("texts/benchtop-results/more"));

    // Dropped again: two more jobs (the first run's texts.jsonl are not inputs), into folders of their own.
    runAll(4);
    CHECK(jobs.jobAt(2).resultDir == dir.file("texts/benchtop-results/few-2"));
    CHECK(jobs.jobAt(3).resultDir == dir.file("texts/benchtop-results/more-2"));
    CHECK(countOf(2, 3) == 3);
    CHECK(countOf(3, 6) == 6);
    CHECK(countOf(0, 3) == 3);  // the first job still shows its own results
}

TEST_CASE("a text job without a model shows why it failed", "[ui][text]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir dir;
    benchtop::test::writeTextFile(dir.file("notes.txt"), "one\ntwo\n");
    TaskRegistry registry;
    registry.add(benchtop::text::embeddingTaskKind());
    Engine engine{registry};
    MainWindow window(engine);
    window.settings().setModelFor(QStringLiteral("text"), QString());
    TextResultView* view = runTextJob(window, dir.file("notes.txt"));
    CHECK(window.jobModel()->jobAt(0).state == JobState::Failed);
    CHECK(view->statusText().startsWith("Failed:"));
    CHECK(view->statusText().contains("no model"));
    CHECK(view->textCount() == 0);
    CHECK(view->mapPointCount() == 0);
}
