// The methylation result view, driven through the real main window offscreen: drop a fixture matrix with
// its sample sheet, wait for the job, read the table, the age scatter and the exported CSV.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QIcon>
#include <QLineSeries>
#include <QMimeData>
#include <QScatterSeries>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QUrl>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/workloads/builtin_workloads.h"
#include "core/engine/engine.h"
#include "tests/support/scoped_env.h"
#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/drop_zone.h"
#include "ui/job_list_model.h"
#include "ui/job_list_view.h"
#include "ui/main_window.h"
#include "ui/results_pane.h"
#include "ui/views/methylation_view.h"

using benchtop::engine::Engine;
using benchtop::engine::JobSnapshot;
using benchtop::engine::JobState;
using benchtop::engine::TaskRegistry;
using benchtop::test::dropFiles;
using benchtop::test::sharedPath;
using benchtop::test::TempDir;
using benchtop::test::uiApp;
using benchtop::test::waitUntil;
using benchtop::ui::MainWindow;
using benchtop::ui::MethylationResultView;
using benchtop::ui::MethylationTableModel;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;

namespace {

// README of fixtures/methylation: absolute tolerance for double-precision implementations.
constexpr double kTolerance = 1e-9;
const std::string kMatrix = "fixtures/methylation/A_example55/betas.csv";
const std::string kSheet = "fixtures/methylation/E_age_acceleration/sample_sheet.csv";
const std::string kExpected = "fixtures/methylation/E_age_acceleration/expected_age_acceleration.csv";

/// A CSV of numbers keyed by its first column (the fixtures' expected files; also the exported table).
struct Csv {
    QStringList header;
    QList<QStringList> rows;
};

Csv readCsv(const QString& path) {
    QFile file(path);
    REQUIRE(file.open(QIODevice::ReadOnly));
    Csv csv;
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray& line : lines) {
        if (line.trimmed().isEmpty()) continue;
        const QStringList fields = QString::fromUtf8(line).trimmed().split(QLatin1Char(','));
        if (csv.header.isEmpty())
            csv.header = fields;
        else
            csv.rows << fields;
    }
    return csv;
}

/// Expected values by sample and column ("Age", "Horvath2013", "Horvath2013_resid", ...).
std::map<QString, std::map<QString, double>> readExpectedValues() {
    const Csv csv = readCsv(QString::fromStdString(sharedPath(kExpected)));
    std::map<QString, std::map<QString, double>> values;
    for (const QStringList& row : csv.rows)
        for (int c = 1; c < csv.header.size() && c < row.size(); ++c)
            values[row[0]][csv.header[c]] = row[c] == QLatin1String("NA") ? std::nan("") : row[c].toDouble();
    return values;
}

bool allFinished(const benchtop::ui::JobListModel& model) {
    for (int row = 0; row < model.rowCount(); ++row)
        if (!benchtop::engine::isFinished(model.jobAt(row).state)) return false;
    return model.rowCount() > 0;
}

/// Row of `sample` in the sorted table, -1 when absent.
int rowOf(const QAbstractItemModel& table, const QString& sample) {
    for (int row = 0; row < table.rowCount(); ++row)
        if (table.index(row, 0).data().toString() == sample) return row;
    return -1;
}

/// Column whose header is `title` (its lines joined by a space), -1 when absent.
int columnOf(const QAbstractItemModel& table, const QString& title) {
    for (int c = 0; c < table.columnCount(); ++c)
        if (table.headerData(c, Qt::Horizontal).toString().simplified() == title) return c;
    return -1;
}

double valueAt(const QAbstractItemModel& table, int row, int column) {
    const QVariant v = table.index(row, column).data(MethylationTableModel::ValueRole);
    REQUIRE(v.isValid());
    return v.toDouble();
}

/// Pearson r and median |prediction - age|, computed here independently of the view.
std::pair<double, double> agreement(const std::vector<double>& predicted, const std::vector<double>& ages) {
    const double n = static_cast<double>(predicted.size());
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    std::vector<double> errors;
    for (std::size_t i = 0; i < predicted.size(); ++i) {
        sx += ages[i];
        sy += predicted[i];
        sxx += ages[i] * ages[i];
        syy += predicted[i] * predicted[i];
        sxy += ages[i] * predicted[i];
        errors.push_back(std::abs(predicted[i] - ages[i]));
    }
    const double r = (n * sxy - sx * sy) / std::sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    std::sort(errors.begin(), errors.end());
    const std::size_t m = errors.size();
    const double median = m % 2 ? errors[m / 2] : (errors[m / 2 - 1] + errors[m / 2]) / 2;
    return {r, median};
}

/// A main window on the built-in tasks, clocks from ../shared/clocks, results in `out`.
struct Fixture {
    explicit Fixture(const TempDir& out) : engine(benchtop::workloads::builtinTasks()), window(engine) {
        window.settings().setOutputFolder(QString::fromStdString(out.path()));
    }
    Engine engine;
    MainWindow window;
};

void useSharedClocks() {
    uiApp();
    benchtop::test::resetSettings();
    qputenv("BENCHTOP_CLOCKS_DIR", QByteArray::fromStdString(sharedPath("clocks")));
}

MethylationResultView* finishedView(MainWindow& window) {
    benchtop::ui::JobListModel& jobs = *window.jobModel();
    REQUIRE(waitUntil([&]() { return allFinished(jobs); }, 120000));
    for (int row = 0; row < jobs.rowCount(); ++row) {
        INFO(jobs.jobAt(row).error);
        REQUIRE(jobs.jobAt(row).state == JobState::Done);
    }
    auto* view = qobject_cast<MethylationResultView*>(window.resultsPane()->currentView());
    REQUIRE(view != nullptr);
    INFO(view->message().toStdString());
    REQUIRE(view->hasResults());
    return view;
}

}  // namespace

TEST_CASE("a matrix dropped with its sample sheet shows predictions, age acceleration and the age scatter",
          "[ui][methylation]") {
    useSharedClocks();
    TempDir out;
    Fixture f(out);
    const QString matrix = QString::fromStdString(sharedPath(kMatrix));
    const QString sheet = QString::fromStdString(sharedPath(kSheet));
    dropFiles(f.window.dropZone(), {matrix, sheet});

    // The sheet is an option of the matrix's job, not a job of its own.
    REQUIRE(f.window.jobModel()->rowCount() == 1);
    CHECK(f.window.jobModel()->jobAt(0).task == "methylation");
    CHECK(f.window.jobModel()->jobAt(0).spec.option("sample-sheet") == sheet.toStdString());
    CHECK_THAT(f.window.statusBar()->currentMessage().toStdString(),
               ContainsSubstring("Attached sample_sheet.csv to betas.csv"));

    MethylationResultView* view = finishedView(f.window);
    CHECK(view->predictionsPath() == QString::fromStdString(out.file("betas/predictions.json")));
    const auto expected = readExpectedValues();
    REQUIRE(expected.size() == 16);
    const QAbstractItemModel& table = *view->sortedModel();
    REQUIRE(table.rowCount() == 16);
    CHECK(table.headerData(0, Qt::Horizontal).toString() == "Sample");
    CHECK(table.headerData(1, Qt::Horizontal).toString() == "Age");
    CHECK(table.headerData(2, Qt::Horizontal).toString() == "Sex");

    const QStringList clocks = {"Horvath2013", "PhenoAge2018", "Lin2016"};
    SECTION("the table shows every sample's prediction, age and residual age acceleration") {
        // Rows keep the matrix's column order until a header is clicked (the sheet is shuffled).
        CHECK(table.index(0, 0).data().toString() == "GSM946048");
        for (const auto& [sample, values] : expected) {
            const int row = rowOf(table, sample);
            INFO(sample.toStdString());
            REQUIRE(row >= 0);
            CHECK(valueAt(table, row, 1) == values.at("Age"));
            CHECK(table.index(row, 1).data().toString() == QString::number(values.at("Age")));
            CHECK(table.index(row, 2).data().toString() == "M");
            for (const QString& clock : clocks) {
                INFO(clock.toStdString());
                const int value = columnOf(table, clock);
                const int resid = columnOf(table, clock + " acc. resid");
                REQUIRE(value > 0);
                REQUIRE(resid == value + 1);
                CHECK(std::abs(valueAt(table, row, value) - values.at(clock)) <= kTolerance);
                CHECK(table.index(row, value).data().toString() == QString::number(values.at(clock), 'f', 2));
                CHECK(std::abs(valueAt(table, row, resid) - values.at(clock + "_resid")) <= kTolerance);
                CHECK(table.index(row, value).data(MethylationTableModel::CellStateRole).toInt() ==
                      MethylationTableModel::Computed);
            }
        }
        const int horvath = columnOf(table, "Horvath2013");
        CHECK(table.index(0, horvath)
                  .data(Qt::ToolTipRole)
                  .toString()
                  .startsWith("Horvath2013: 353/353 CpGs present (100%)"));

        // The difference instead of the residual.
        view->accelerationSelector()->setCurrentIndex(view->accelerationSelector()->findText("Difference"));
        for (const auto& [sample, values] : expected) {
            const int row = rowOf(table, sample);
            for (const QString& clock : clocks) {
                const int diff = columnOf(table, clock + " acc. diff");
                REQUIRE(diff > 0);
                CHECK(std::abs(valueAt(table, row, diff) - values.at(clock + "_diff")) <= kTolerance);
            }
        }
        view->accelerationSelector()->setCurrentIndex(view->accelerationSelector()->findText("Hidden"));
        CHECK(columnOf(table, "Horvath2013 acc. diff") < 0);
        CHECK(columnOf(table, "Horvath2013 acc. resid") < 0);
        CHECK(columnOf(table, "Horvath2013") == 3);
    }

    SECTION("clocks the 27k array does not cover are hidden, and explained when shown") {
        // Fixture A's coverage.csv: Hannum2013 has 7 of its 71 CpGs on this array; 10 clocks are computed.
        CHECK(columnOf(table, "Hannum2013") < 0);
        QCheckBox* hide = view->hideEmptyClocksBox();
        CHECK(hide->isChecked());
        CHECK(hide->text() == "Hide 37 clocks without values");
        hide->setChecked(false);
        const int hannum = columnOf(table, "Hannum2013");
        REQUIRE(hannum > 0);
        const QModelIndex cell = table.index(0, hannum);
        CHECK(cell.data().toString() == "—");
        CHECK_FALSE(cell.data(MethylationTableModel::ValueRole).isValid());
        CHECK(cell.data(MethylationTableModel::CellStateRole).toInt() == MethylationTableModel::NotComputable);
        CHECK_THAT(cell.data(Qt::ToolTipRole).toString().toStdString(),
                   StartsWith("Hannum2013: 7 of 71 CpGs present") && ContainsSubstring("80"));
        CHECK(cell.data(Qt::BackgroundRole).isValid());
        CHECK_FALSE(cell.data(Qt::DecorationRole).value<QIcon>().isNull());
        // An age clock with no value has no acceleration column.
        CHECK(columnOf(table, "Hannum2013 acc. resid") < 0);
    }

    SECTION("the scatter has one point per sample and its caption matches r and the median error") {
        QComboBox* clock = view->clockSelector();
        CHECK(clock->isEnabled());
        CHECK(clock->currentText() == "Horvath2013");
        // Age clocks with values only: Horvath2013, PhenoAge2018, Lin2016, Knight2016, Mayne2017, ... but no Hannum.
        CHECK(clock->findText("PhenoAge2018") >= 0);
        CHECK(clock->findText("Hannum2013") < 0);
        CHECK(view->chartNote().isEmpty());
        for (const QString& id : clocks) {
            INFO(id.toStdString());
            clock->setCurrentIndex(clock->findText(id));
            const QScatterSeries* points = view->scatterSeries();
            REQUIRE(points->count() == 16);
            std::vector<double> predicted, ages;
            for (const auto& [sample, values] : expected) {
                predicted.push_back(values.at(id));
                ages.push_back(values.at("Age"));
            }
            for (int i = 0; i < points->count(); ++i) {
                const QPointF p = points->at(i);
                const QString sample = view->sampleAt(p);
                INFO(sample.toStdString());
                REQUIRE(expected.count(sample) == 1);
                CHECK(p.x() == expected.at(sample).at("Age"));
                CHECK(std::abs(p.y() - expected.at(sample).at(id)) <= kTolerance);
            }
            const auto [r, mae] = agreement(predicted, ages);
            CHECK(view->chartCaption() == QString("Pearson r = %1 · median absolute error = %2 years · n = 16")
                                              .arg(QString::number(r, 'f', 3), QString::number(mae, 'f', 2)));
            // The identity line spans the plotted range on both axes.
            const QLineSeries* identity = view->identityLine();
            REQUIRE(identity->count() == 2);
            CHECK(identity->at(0).x() == identity->at(0).y());
            CHECK(identity->at(1).x() == identity->at(1).y());
            const double lo = std::min(*std::min_element(predicted.begin(), predicted.end()),
                                       *std::min_element(ages.begin(), ages.end()));
            const double hi = std::max(*std::max_element(predicted.begin(), predicted.end()),
                                       *std::max_element(ages.begin(), ages.end()));
            CHECK(identity->at(0).x() < lo);
            CHECK(identity->at(1).x() > hi);
        }
    }

    SECTION("sorting by a clock and exporting writes the table as shown") {
        const int horvath = columnOf(table, "Horvath2013");
        view->tableView()->sortByColumn(horvath, Qt::DescendingOrder);
        for (int row = 1; row < table.rowCount(); ++row)
            CHECK(valueAt(table, row - 1, horvath) >= valueAt(table, row, horvath));
        // The oldest predicted brain of fixture A.
        std::pair<QString, double> oldest{QString(), -1e9};
        for (const auto& [sample, values] : expected)
            if (values.at("Horvath2013") > oldest.second) oldest = {sample, values.at("Horvath2013")};
        CHECK(table.index(0, 0).data().toString() == oldest.first);

        TempDir exportDir;
        const QString path = QString::fromStdString(exportDir.file("table.csv"));
        QString error;
        REQUIRE(view->exportCsv(path, &error));
        CHECK(error.isEmpty());
        CHECK(QDir(QString::fromStdString(exportDir.path())).entryList(QDir::Files) == QStringList{"table.csv"});
        const Csv csv = readCsv(path);
        REQUIRE(csv.header.size() == table.columnCount());
        for (int c = 0; c < table.columnCount(); ++c)
            CHECK(csv.header[c] == table.headerData(c, Qt::Horizontal).toString().simplified());
        REQUIRE(csv.rows.size() == table.rowCount());
        for (int row = 0; row < table.rowCount(); ++row) {
            REQUIRE(csv.rows[row].size() == table.columnCount());
            CHECK(csv.rows[row][0] == table.index(row, 0).data().toString());
            CHECK(csv.rows[row][2] == table.index(row, 2).data().toString());
            for (int c = 3; c < table.columnCount(); ++c)
                CHECK(csv.rows[row][c].toDouble() == valueAt(table, row, c));  // full precision round trip
        }

        // Export into a folder that does not exist fails with the path in the message and leaves nothing.
        const QString bad = QString::fromStdString(exportDir.file("missing/table.csv"));
        CHECK_FALSE(view->exportCsv(bad, &error));
        CHECK_THAT(error.toStdString(), ContainsSubstring(bad.toStdString()));
    }
}

using benchtop::test::ScopedEnv;

TEST_CASE("on a fresh install without network a dropped matrix gets every bundled clock and names the others",
          "[ui][methylation][offline]") {
    uiApp();
    benchtop::test::resetSettings();
    TempDir home;
    // A fresh machine: no clocks folder given, an empty model store, every download endpoint unreachable.
    ScopedEnv noClocksDir("BENCHTOP_CLOCKS_DIR", {});
    ScopedEnv store("BENCHTOP_MODELS_DIR", home.file("store"));
    ScopedEnv mirror("BENCHTOP_URL_MIRROR", "http://127.0.0.1:9");
    ScopedEnv endpoint("HF_ENDPOINT", "http://127.0.0.1:9");
    ScopedEnv proxy("http_proxy", {});
    ScopedEnv secureProxy("https_proxy", {});
    const auto expected = readExpectedValues();
    const QString matrix = QString::fromStdString(sharedPath(kMatrix));

    SECTION("with the tables Benchtop ships, every clock is computed and nothing is downloaded") {
        ScopedEnv bundled("BENCHTOP_BUNDLED_CLOCKS_DIR", {});
        TempDir out;
        Fixture f(out);
        dropFiles(f.window.dropZone(), {matrix});
        MethylationResultView* view = finishedView(f.window);
        CHECK_THAT(view->message().toStdString(), StartsWith("16 samples x 47 clocks"));
        CHECK_THAT(view->message().toStdString(), !ContainsSubstring("download"));
        CHECK_THAT(view->notes().toStdString(), ContainsSubstring("clock tables: 49 bundled with Benchtop"));
        CHECK_FALSE(std::filesystem::exists(home.file("store")));
        const QAbstractItemModel& table = *view->sortedModel();
        for (const QString& clock : {QStringLiteral("Horvath2013"), QStringLiteral("PhenoAge2018")}) {
            const int column = columnOf(table, clock);
            REQUIRE(column > 0);
            for (const auto& [sample, values] : expected) {
                INFO(clock.toStdString() << " " << sample.toStdString());
                CHECK(std::abs(valueAt(table, rowOf(table, sample), column) - values.at(clock)) <= kTolerance);
            }
        }
    }

    SECTION("clocks whose tables are not bundled are named with how to get them") {
        // An install that lacks two tables (e.g. a package built before the catalog gained them).
        const std::filesystem::path bundle = home.file("bundled");
        std::filesystem::copy(BENCHTOP_TEST_BUNDLED_CLOCKS, bundle, std::filesystem::copy_options::recursive);
        std::filesystem::remove(bundle / "biolearn" / "Lin.csv");
        std::filesystem::remove(bundle / "biolearn" / "DunedinPACE.csv");
        ScopedEnv bundled("BENCHTOP_BUNDLED_CLOCKS_DIR", bundle.string());
        TempDir out;
        Fixture f(out);
        dropFiles(f.window.dropZone(), {matrix});
        MethylationResultView* view = finishedView(f.window);
        CHECK_THAT(view->message().toStdString(),
                   StartsWith("16 samples x 45 clocks") && ContainsSubstring("2 more clocks need a table download"));
        const std::string notes = view->notes().toStdString();
        CHECK_THAT(notes, ContainsSubstring("clock tables: 46 bundled with Benchtop"));
        CHECK_THAT(notes, ContainsSubstring("2 clocks not computed because their tables need a download") &&
                              ContainsSubstring("could not reach 127.0.0.1:9") &&
                              ContainsSubstring("Lin2016, DunedinPACE") &&
                              ContainsSubstring("File > Models > Download"));
        // The bundled clocks still give the fixture's values.
        const QAbstractItemModel& table = *view->sortedModel();
        const int horvath = columnOf(table, "Horvath2013");
        REQUIRE(horvath > 0);
        for (const auto& [sample, values] : expected)
            CHECK(std::abs(valueAt(table, rowOf(table, sample), horvath) - values.at("Horvath2013")) <= kTolerance);
    }
}

TEST_CASE("a matrix alone still runs; the scatter says why it needs ages", "[ui][methylation]") {
    useSharedClocks();
    TempDir out;
    Fixture f(out);
    f.window.settings().setOptionsFor("methylation", {{"clocks", "Horvath2013,Hannum2013"}});
    dropFiles(f.window.dropZone(), {QString::fromStdString(sharedPath(kMatrix))});
    REQUIRE(f.window.jobModel()->rowCount() == 1);
    CHECK(f.window.jobModel()->jobAt(0).spec.option("sample-sheet").empty());
    CHECK(f.window.statusBar()->currentMessage() == "Queued betas.csv");

    MethylationResultView* view = finishedView(f.window);
    const QAbstractItemModel& table = *view->sortedModel();
    REQUIRE(table.columnCount() == 2);  // no ages or sexes known; Hannum2013 not computable for any sample
    CHECK(table.headerData(1, Qt::Horizontal).toString() == "Horvath2013");
    CHECK(view->message() == "16 samples x 2 clocks (16 values not computable: low CpG coverage)");
    CHECK_FALSE(view->clockSelector()->isEnabled());
    CHECK_FALSE(view->accelerationSelector()->isEnabled());
    CHECK(view->scatterSeries()->count() == 0);
    CHECK_THAT(view->chartNote().toStdString(), ContainsSubstring("No chronological ages are known"));
    CHECK(view->chartCaption().isEmpty());
}

TEST_CASE("one sample sheet dropped with two matrices goes to both", "[ui][methylation]") {
    useSharedClocks();
    TempDir out;
    Fixture f(out);
    f.window.settings().setOptionsFor("methylation", {{"clocks", "Horvath2013"}});
    const QString sheet = QString::fromStdString(sharedPath(kSheet));
    dropFiles(f.window.dropZone(),
              {QString::fromStdString(sharedPath("fixtures/methylation/D_format_variants/D01_cpg_rows.csv")), sheet,
               QString::fromStdString(sharedPath("fixtures/methylation/D_format_variants/D03_cpg_rows.tsv"))});
    benchtop::ui::JobListModel& jobs = *f.window.jobModel();
    REQUIRE(jobs.rowCount() == 2);
    for (int row = 0; row < 2; ++row) CHECK(jobs.jobAt(row).spec.option("sample-sheet") == sheet.toStdString());
    CHECK_THAT(f.window.statusBar()->currentMessage().toStdString(),
               ContainsSubstring("Queued 2 files · Attached sample_sheet.csv to D01_cpg_rows.csv, D03_cpg_rows.tsv"));
    REQUIRE(waitUntil([&]() { return allFinished(jobs); }, 60000));
    for (int row = 0; row < 2; ++row) {
        INFO(jobs.jobAt(row).error);
        CHECK(jobs.jobAt(row).state == JobState::Done);
    }
}

TEST_CASE("with several sheets in a drop, each matrix gets the sheet of its own folder", "[ui][methylation]") {
    useSharedClocks();
    TempDir out;
    TempDir dir;
    Fixture f(out);
    f.window.settings().setOptionsFor("methylation", {{"clocks", "Horvath2013"}});
    for (const char* folder : {"a", "b", "c"}) std::filesystem::create_directories(dir.file(folder));
    const std::string matrix = "ID_REF,S1,S2\ncg00000292,0.5,0.6\ncg00002426,0.4,0.3\ncg00003994,0.3,0.2\n";
    benchtop::test::writeTextFile(dir.file("a/cohort.csv"), matrix);
    benchtop::test::writeTextFile(dir.file("b/cohort.csv"), matrix);
    for (const char* sheet : {"a/ages.csv", "c/ages.csv", "c/more_ages.csv"})
        benchtop::test::writeTextFile(dir.file(sheet), "Sample_Name,Age\nS1,40\nS2,50\n");
    dropFiles(f.window.dropZone(), {QString::fromStdString(dir.file("a")), QString::fromStdString(dir.file("b")),
                                    QString::fromStdString(dir.file("c"))});

    benchtop::ui::JobListModel& jobs = *f.window.jobModel();
    REQUIRE(jobs.rowCount() == 2);  // the two matrices; no sheet became a job
    CHECK(jobs.jobAt(0).spec.inputs.front() == dir.file("a/cohort.csv"));
    CHECK(jobs.jobAt(0).spec.option("sample-sheet") == dir.file("a/ages.csv"));
    // b has no sheet of its own and the drop has three: which one is meant cannot be told.
    CHECK(jobs.jobAt(1).spec.inputs.front() == dir.file("b/cohort.csv"));
    CHECK(jobs.jobAt(1).spec.option("sample-sheet").empty());
    const std::string message = f.window.statusBar()->currentMessage().toStdString();
    CHECK_THAT(message, ContainsSubstring("Queued 2 files · Attached ages.csv to cohort.csv · ages.csv looks like a "
                                          "sample sheet but belongs to no single file of the drop"));
    CHECK_THAT(message, ContainsSubstring("more_ages.csv looks like a sample sheet"));
    REQUIRE(waitUntil([&]() { return allFinished(jobs); }, 60000));
}

TEST_CASE("the view explains running, failed, partly imputed and unreadable predictions", "[ui][methylation]") {
    uiApp();
    TempDir dir;
    MethylationResultView view;
    JobSnapshot job;
    job.id = 7;
    job.task = "methylation";
    job.state = JobState::Running;
    job.progress.total = 12;
    job.progress.done = 0;
    view.showJob(job);
    CHECK_FALSE(view.hasResults());
    CHECK_THAT(view.message().toStdString(), ContainsSubstring("appear here when the job finishes"));

    job.state = JobState::Failed;
    job.error = "cohort.csv:3: value 'abc' is not a number";
    view.showJob(job);
    CHECK(view.message() == "The job failed: cohort.csv:3: value 'abc' is not a number");

    // A cohort where one clock was computed from imputed CpGs and another could not be computed.
    benchtop::test::writeTextFile(dir.file("predictions.json"), R"json({
 "clocks": [
  {"id": "Horvath2013", "cpgs": 353, "output": "age, years", "missing_values":
   "missing cells -> cohort mean; absent CpGs -> Horvath goldstandard2", "age_regression_note":
   "age acceleration needs at least 3 samples with a known age and a prediction"},
  {"id": "DunedinPACE", "cpgs": 173, "output": "pace of ageing, years per year"}],
 "samples": [
  {"sample": "S1", "age": 40, "sex": "F", "clocks": {
    "Horvath2013": {"value": 43.5, "present": 318, "required": 353, "coverage": 0.9, "imputed": 35,
                    "age_acceleration_diff": 3.5},
    "DunedinPACE": {"value": null, "present": 6, "required": 173, "coverage": 0.03, "imputed": 0,
                    "reason": "6 of 173 CpGs present (3 % < 80 % required)"
}
}
},
  {"sample": "S2", "age": null, "sex": "", "clocks": {
    "Horvath2013": {"value": 51.25, "present": 353, "required": 353, "coverage": 1, "imputed": 0},
    "DunedinPACE": {"value": 1.0375, "present": 150, "required": 173, "coverage": 0.87, "imputed": 0}}}],
 "notes": ["sample sheet: 1 of 2 rows matched"], "device": "cpu"
})json");
    job.state = JobState::Done;
    job.resultFiles = {dir.file("predictions.json")};
    job.summary = "2 samples x 2 clocks";
    view.showJob(job);
    REQUIRE(view.hasResults());
    CHECK(view.message() == "2 samples x 2 clocks");
    const QAbstractItemModel& table = *view.sortedModel();
    REQUIRE(table.columnCount() == 6);  // Sample, Age, Sex, Horvath2013, its difference-only acceleration, DunedinPACE
    CHECK(table.headerData(4, Qt::Horizontal).toString() == "Horvath2013\nacc. resid");
    const QModelIndex horvath = table.index(0, 3);
    CHECK(horvath.data().toString() == "43.50");
    CHECK(horvath.data(MethylationTableModel::CellStateRole).toInt() == MethylationTableModel::Partial);
    CHECK_THAT(horvath.data(Qt::ToolTipRole).toString().toStdString(),
               StartsWith("Horvath2013: 318/353 CpGs present (90%), 35 imputed (missing cells -> cohort mean; "
                          "absent CpGs -> Horvath goldstandard2)"));
    // Without a regression there is no residual; the tooltip says why.
    CHECK(table.index(0, 4).data().toString() == "—");
    CHECK_THAT(table.index(0, 4).data(Qt::ToolTipRole).toString().toStdString(),
               ContainsSubstring("needs at least 3 samples"));
    const QModelIndex pace = table.index(0, 5);
    CHECK(pace.data(MethylationTableModel::CellStateRole).toInt() == MethylationTableModel::NotComputable);
    CHECK(pace.data(Qt::ToolTipRole).toString() == "DunedinPACE: 6 of 173 CpGs present (3 % < 80 % required)");
    // Partly measured without imputation is still flagged; non-age values get 3 decimals.
    CHECK(table.index(1, 5).data().toString() == "1.038");
    CHECK(table.index(1, 5).data(MethylationTableModel::CellStateRole).toInt() == MethylationTableModel::Partial);
    CHECK_THAT(table.index(1, 5).data(Qt::ToolTipRole).toString().toStdString(),
               StartsWith("DunedinPACE: 150/173 CpGs present (86%)"));
    // One sample with an age: a one-point scatter, r undefined.
    CHECK(view.scatterSeries()->count() == 1);
    CHECK(view.chartCaption() == "Pearson r = undefined · median absolute error = 3.50 years · n = 1");

    // Unreadable and foreign files: a clear message naming the file, no table.
    std::filesystem::create_directories(dir.file("broken"));
    std::filesystem::create_directories(dir.file("other"));
    benchtop::test::writeTextFile(dir.file("broken/predictions.json"), "{\"samples\": [");
    job.id = 8;
    job.resultFiles = {dir.file("broken/predictions.json")};
    view.showJob(job);
    CHECK_FALSE(view.hasResults());
    CHECK_THAT(view.message().toStdString(),
               StartsWith("Cannot show the predictions: " + dir.file("broken/predictions.json")) &&
                   ContainsSubstring("not valid JSON"));
    benchtop::test::writeTextFile(dir.file("other/predictions.json"), "{\"segments\": []}");
    job.resultFiles = {dir.file("other/predictions.json")};
    view.showJob(job);
    CHECK_THAT(view.message().toStdString(), ContainsSubstring("is not a methylation predictions file"));
    job.resultFiles = {dir.file("other/transcript.txt")};
    view.showJob(job);
    CHECK(view.message() == "The job finished without a predictions.json to show.");
    QString error;
    CHECK_FALSE(view.exportCsv(dir.file("x.csv").c_str(), &error));
    CHECK_THAT(error.toStdString(), ContainsSubstring("no predictions to export"));
}

TEST_CASE("two cohorts of the same name into one output folder: each job's view shows its own samples",
          "[ui][methylation][safety]") {
    useSharedClocks();
    TempDir out;
    Fixture f(out);  // one output folder for every job
    f.window.settings().setOptionsFor("methylation", {{"clocks", "Horvath2013"}});
    TempDir in;
    // cohort.csv twice, in two folders: the demo cohort's 12 samples and its first 5.
    const auto rows =
        benchtop::test::readFile(std::string(BENCHTOP_SOURCE_DIR) + "/resources/demo/methylation/cohort.csv");
    std::filesystem::create_directories(in.file("a"));
    std::filesystem::create_directories(in.file("b"));
    benchtop::test::writeTextFile(in.file("a/cohort.csv"), rows);
    {
        std::istringstream lines(rows);
        std::string line, cut;
        while (std::getline(lines, line)) {
            std::size_t comma = 0;
            for (int field = 0; field < 6 && comma != std::string::npos; ++field) comma = line.find(',', comma + 1);
            cut += line.substr(0, comma) + "\n";
        }
        benchtop::test::writeTextFile(in.file("b/cohort.csv"), cut);
    }
    dropFiles(f.window.dropZone(), {QString::fromStdString(in.file("a")), QString::fromStdString(in.file("b"))});
    benchtop::ui::JobListModel& jobs = *f.window.jobModel();
    REQUIRE(jobs.rowCount() == 2);
    finishedView(f.window);
    // Two jobs run at once: which one reserves "cohort" first is up to the scheduler; neither overwrites the other.
    CHECK(std::set<std::string>{jobs.jobAt(0).resultDir, jobs.jobAt(1).resultDir} ==
          std::set<std::string>{out.file("cohort"), out.file("cohort-2")});
    // The one view loads the selected job's predictions: 12 rows, then 5, then 12 again.
    for (const auto& [row, samples] : std::vector<std::pair<int, int>>{{0, 12}, {1, 5}, {0, 12}}) {
        f.window.jobView()->selectRow(row);
        auto* view = qobject_cast<MethylationResultView*>(f.window.resultsPane()->currentView());
        REQUIRE(view != nullptr);
        INFO("row " << row);
        CHECK(waitUntil([&]() { return view->tableView()->model()->rowCount() == samples; }, 20000));
        CHECK(view->predictionsPath() == QString::fromStdString(jobs.jobAt(row).resultDir + "/predictions.json"));
    }
}
