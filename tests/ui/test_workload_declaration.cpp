// A workload declared only here - no other file of Benchtop names it - gets everything a built-in one has:
// recognition and planning in core, flags on the command line, a Settings › Workloads page, the drop zone's
// file list, and jobs in the window that run with the options stored on its page.
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QListWidget>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabWidget>

#include <CLI/CLI.hpp>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/cli/workload_flags.h"
#include "core/common/error.h"
#include "core/engine/engine.h"
#include "core/engine/input_plan.h"
#include "core/workloads/builtin_workloads.h"
#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/drop_zone.h"
#include "ui/job_list_model.h"
#include "ui/main_window.h"
#include "ui/settings.h"
#include "ui/settings_dialog.h"
#include "ui/workload_options_page.h"

using Catch::Matchers::ContainsSubstring;
using namespace benchtop;

namespace {

/// The toy: a ".beads" file holds one number per line; the task multiplies each by `level` and writes the
/// products (and "!" after each with `shout`) to products.txt.
class BeadTask : public engine::Task {
public:
    explicit BeadTask(engine::JobSpec spec) : m_spec(std::move(spec)) {}
    void read(engine::TaskContext& ctx, const std::function<void(engine::Item&&)>& emit) override {
        for (const std::string& input : ctx.spec().inputs) {
            std::ifstream in(input);
            long value = 0;
            while (in >> value) {
                engine::Item item;
                item.id = input;
                item.data = std::make_shared<long>(value);
                emit(std::move(item));
            }
        }
    }
    void run(engine::TaskContext&, const std::vector<engine::Item*>&) override {}
    void finish(engine::TaskContext& ctx, std::vector<engine::Item>& items) override {
        const long level = std::stol(m_spec.option("level", "3"));
        const bool shout = m_spec.option("shout") == "true";
        std::ofstream out(ctx.outputPath("products.txt"));
        for (const auto& item : items) out << item.as<long>() * level << (shout ? "!" : "") << "\n";
        out << "partner=" << m_spec.option("partner") << "\n";
        ctx.setSummary(std::to_string(items.size()) + " beads");
    }

private:
    engine::JobSpec m_spec;
};

engine::TaskKind beadKind() {
    using engine::OptionType;
    engine::TaskKind kind;
    kind.id = "beads";
    kind.name = "Bead counter";
    kind.order = 5;
    kind.fileDescription = "bead lists (.beads)";
    kind.extensions = {".beads"};
    kind.mimeTypes = {"application/x-beads"};
    kind.workUnit = {"beads", false};
    kind.options = {
        {"level", OptionType::Integer, "Level", "multiplier for every bead", "3", {}, 1, 9, "bead-level"},
        {"shout", OptionType::Switch, "Shout", "append ! to every product", "false"},
        {"colour", OptionType::Choice, "Colour", "bead colour", "red", {"red", "green", "blue"}},
        {"ratio", OptionType::Number, "Ratio", "a fraction", "", {}, 0.0, 1.0},
        {"partner",
         OptionType::File,
         "Partner list",
         "the .partner file that goes with the beads",
         "",
         {},
         0,
         0,
         "",
         false,
         true},
    };
    kind.recognise = [](const engine::FileProbe& probe) { return probe.extension == ".beads" ? 60 : 0; };
    kind.create = engine::createTask<BeadTask>;
    kind.companionOption = [](const engine::FileProbe& probe) -> std::string {
        return probe.extension == ".partner" ? "partner" : "";
    };
    kind.companionExtensions = {".partner"};
    // Its own planning: every .beads file of one folder is one job.
    kind.planJobs = [](const engine::PlanRequest& request) {
        engine::KindPlan plan = engine::planOneJobPerFile(request);
        std::vector<engine::PlannedJob> merged;
        for (auto& job : plan.jobs) {
            const auto folder = std::filesystem::path(job.inputs.front()).parent_path();
            auto it = std::find_if(merged.begin(), merged.end(), [&](const engine::PlannedJob& m) {
                return std::filesystem::path(m.inputs.front()).parent_path() == folder;
            });
            if (it == merged.end())
                merged.push_back(std::move(job));
            else
                it->inputs.push_back(job.inputs.front());
        }
        plan.jobs = std::move(merged);
        return plan;
    };
    return kind;
}

engine::TaskRegistry toyRegistry() {
    engine::TaskRegistry registry;
    registry.add(test::sleepTaskKind(1));
    registry.add(beadKind());
    return registry;
}

void writeFile(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    test::writeTextFile(path, text);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("a toy workload is recognised and planned by core from its declaration", "[ui][workloads]") {
    test::TempDir dir;
    writeFile(dir.file("run/a.beads"), "1\n2\n");
    writeFile(dir.file("run/b.beads"), "5\n");
    writeFile(dir.file("run/a.partner"), "x\n");
    writeFile(dir.file("other/c.beads"), "7\n");
    writeFile(dir.file("run/nap.sleep"), "1\n");
    const engine::TaskRegistry registry = toyRegistry();

    REQUIRE(registry.kinds().front().id == "beads");  // order 5 sorts before the sleep task
    CHECK(registry.recognise(engine::probeFile(dir.file("run/a.beads")))->id == "beads");
    CHECK(registry.recognise(engine::probeFile(dir.file("run/a.partner"))) == nullptr);

    const engine::InputPlan plan = engine::planInputs({dir.file("run"), dir.file("other")}, registry);
    REQUIRE(plan.jobs.size() == 3);  // run/*.beads together, nap.sleep, other/c.beads
    CHECK(plan.jobs[0].kind->id == "beads");
    CHECK(plan.jobs[0].inputs == std::vector<std::string>{dir.file("run/a.beads"), dir.file("run/b.beads")});
    CHECK(plan.jobs[0].options.at("partner") == dir.file("run/a.partner"));
    CHECK(plan.jobs[1].kind->id == "sleep");
    CHECK(plan.jobs[2].inputs == std::vector<std::string>{dir.file("other/c.beads")});
    // The paths hold a single companion of the task: it goes to every job of the task.
    CHECK(plan.jobs[2].options.at("partner") == dir.file("run/a.partner"));
    REQUIRE(plan.attached.size() == 1);
    CHECK(plan.attached[0].kind->id == "beads");
    CHECK(plan.attached[0].file == dir.file("run/a.partner"));

    // Values are checked against the declaration.
    const engine::OptionSpec& level = *registry.find("beads")->option("level");
    CHECK(engine::checkOptionValue(level, "4").empty());
    CHECK_THAT(engine::checkOptionValue(level, "12"), ContainsSubstring("between 1 and 9"));
    CHECK_THAT(engine::checkOptionValue(level, "four"), ContainsSubstring("not a whole number"));
    CHECK_THAT(engine::checkOptionValue(*registry.find("beads")->option("colour"), "pink"),
               ContainsSubstring("not one of red, green, blue"));
}

TEST_CASE("a toy workload gets command-line flags from its declaration", "[ui][workloads][cli]") {
    const engine::TaskRegistry registry = toyRegistry();
    CLI::App app{"toy"};
    auto values = std::make_shared<cli::OptionValues>();
    cli::addWorkloadFlags(app, registry, values);
    app.parse("--bead-level 4 --shout --colour blue --partner p.partner", false);
    CHECK(values->at("level") == "4");
    CHECK(values->at("shout") == "true");
    CHECK(values->at("colour") == "blue");
    CHECK(values->at("partner") == "p.partner");
    CHECK(values->count("ratio") == 0);
    CHECK_THAT(app.help(), ContainsSubstring("Bead counter options") && ContainsSubstring("--bead-level") &&
                               ContainsSubstring("beads: multiplier for every bead (default 3)"));
    CHECK_THAT(cli::taskFlagHelp(registry), ContainsSubstring("beads, sleep"));

    CLI::App strict{"toy"};
    auto ignored = std::make_shared<cli::OptionValues>();
    cli::addWorkloadFlags(strict, registry, ignored);
    CHECK_THROWS_AS(strict.parse("--bead-level 12", false), CLI::ValidationError);
}

TEST_CASE("a toy workload gets a Settings page whose values reach its jobs in the window", "[ui][workloads]") {
    test::uiApp();
    test::resetSettings();
    test::TempDir dir;
    writeFile(dir.file("in/a.beads"), "1\n2\n");
    writeFile(dir.file("in/a.partner"), "x\n");

    engine::Engine engine(toyRegistry());
    ui::MainWindow window(engine);
    window.settings().setOutputFolder(QString::fromStdString(dir.file("out")));

    // The drop zone lists the toy's files from its declaration.
    const QList<QLabel*> labels = window.dropZone()->findChildren<QLabel*>();
    CHECK(std::any_of(labels.begin(), labels.end(), [](const QLabel* l) {
        return l->text().contains(QStringLiteral("Bead counter: bead lists (.beads)"));
    }));

    {
        device::DeviceInfo cpu;
        cpu.kind = device::DeviceKind::Cpu;
        cpu.id = "cpu";
        cpu.usable = true;
        ui::SettingsDialog dialog(window.settings(), {cpu}, &engine.registry());
        REQUIRE(dialog.tabs()->count() == 4);  // General, Workloads, Models, Server
        ui::WorkloadOptionsPage* page = dialog.workloadPage(QStringLiteral("beads"));
        REQUIRE(page);
        auto* level = qobject_cast<QSpinBox*>(page->editor(QStringLiteral("level")));
        auto* shout = qobject_cast<QCheckBox*>(page->editor(QStringLiteral("shout")));
        auto* colour = qobject_cast<QComboBox*>(page->editor(QStringLiteral("colour")));
        auto* ratio = qobject_cast<QLineEdit*>(page->editor(QStringLiteral("ratio")));
        REQUIRE(level);
        REQUIRE(shout);
        REQUIRE(colour);
        REQUIRE(ratio);
        CHECK(page->editor(QStringLiteral("partner")) == nullptr);  // per run only: no stored setting
        CHECK(level->toolTip().contains(QStringLiteral("--bead-level")));
        CHECK(colour->currentData().toString() == QStringLiteral("red"));

        // A value outside the declared range is refused with the option's name, and nothing is stored.
        ratio->setText(QStringLiteral("2"));
        QString error;
        CHECK_FALSE(dialog.apply(&error));
        CHECK_THAT(error.toStdString(), ContainsSubstring("Ratio") && ContainsSubstring("between 0 and 1"));
        CHECK(window.settings().optionsFor(QStringLiteral("beads")).isEmpty());

        ratio->clear();
        level->setValue(7);
        shout->setChecked(true);
        colour->setCurrentIndex(colour->findData(QStringLiteral("red")));  // the default: not stored
        REQUIRE(dialog.apply(&error));
    }
    const QMap<QString, QString> stored = window.settings().optionsFor(QStringLiteral("beads"));
    CHECK(stored == QMap<QString, QString>{{QStringLiteral("level"), QStringLiteral("7")},
                                           {QStringLiteral("shout"), QStringLiteral("true")}});

    // A drop runs the toy with those options; its companion goes with it.
    const QList<engine::JobId> ids = window.addPaths({QString::fromStdString(dir.file("in"))});
    REQUIRE(ids.size() == 1);
    ui::JobListModel& jobs = *window.jobModel();
    REQUIRE(test::waitUntil([&] { return jobs.rowCount() == 1 && engine::isFinished(jobs.jobAt(0).state); }, 20000));
    const engine::JobSnapshot& job = jobs.jobAt(0);
    INFO(job.error);
    REQUIRE(job.state == engine::JobState::Done);
    CHECK(job.taskName == "Bead counter");
    CHECK(job.progress.unit == "beads");
    CHECK(job.summary == "2 beads");
    REQUIRE(job.resultFiles.size() == 1);
    CHECK(readFile(job.resultFiles.front()) == "7!\n14!\npartner=" + dir.file("in/a.partner") + "\n");
}

// Not run by default: `test_ui_workloads "[.screenshot]"` with BENCHTOP_SCREENSHOTS=DIR saves the Workloads page
// of the built-in speech task (docs/screenshots/settings-workloads.png).
TEST_CASE("screenshot of Settings › Workloads", "[.screenshot]") {
    const char* dir = std::getenv("BENCHTOP_SCREENSHOTS");
    if (!dir) SKIP("BENCHTOP_SCREENSHOTS is not set");
    test::uiApp();
    test::resetSettings();
    ui::Settings settings;
    const engine::TaskRegistry registry = workloads::builtinTasks();
    ui::SettingsDialog dialog(settings, {}, &registry);
    dialog.resize(860, 640);
    dialog.tabs()->setCurrentIndex(1);
    auto* list = dialog.findChild<QListWidget*>(QStringLiteral("workloadList"));
    REQUIRE(list);
    list->setCurrentRow(1);  // Speech (Whisper)
    dialog.show();
    test::waitUntil([] { return false; }, 300);
    CHECK(dialog.grab().save(QString::fromUtf8(dir) + QStringLiteral("/settings-workloads.png")));
}
