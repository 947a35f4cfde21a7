// The methylation Task through the core engine interfaces: recognition, read -> run -> finish, outputs.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/engine/engine.h"
#include "core/engine/task.h"
#include "core/methyl/methylation_task.h"
#include "tests/core/methyl/methyl_test_util.h"

using namespace benchtop;
using benchtop::test::readExpected;
using benchtop::test::sharedPath;
using Catch::Matchers::ContainsSubstring;

namespace {

/// A TaskContext without an engine: writes "<dir>/<name>.part" like the engine does.
class FakeContext : public engine::TaskContext {
public:
    FakeContext(engine::JobSpec spec, std::string dir) : m_spec(std::move(spec)), m_dir(std::move(dir)) {
        m_device.device.id = "cpu";
        m_device.device.kind = device::DeviceKind::Cpu;
    }
    engine::JobId jobId() const override { return 1; }
    const engine::JobSpec& spec() const override { return m_spec; }
    const device::DeviceChoice& device() const override { return m_device; }
    bool cancelled() const override { return false; }
    void setExpectedTotal(double total) override { expected = total; }
    void addProgress(double) override {}
    std::string outputPath(const std::string& fileName) override { return m_dir + "/" + fileName + ".part"; }
    void setSummary(const std::string& s) override { summary = s; }
    void log(const std::string& message) override { logs.push_back(message); }

    double expected = 0;
    std::string summary;
    std::vector<std::string> logs;

private:
    engine::JobSpec m_spec;
    std::string m_dir;
    device::DeviceChoice m_device;
};

engine::FileProbe probeOf(const std::string& path, const std::string& ext, const std::string& head) {
    engine::FileProbe p;
    p.path = path;
    p.fileName = std::filesystem::path(path).filename().string();
    p.extension = ext;
    p.head = head;
    p.exists = true;
    return p;
}

std::string headOf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string s(65536, '\0');
    in.read(s.data(), static_cast<std::streamsize>(s.size()));
    s.resize(static_cast<std::size_t>(in.gcount()));
    return s;
}

}  // namespace

TEST_CASE("methylation files are recognised", "[methyl][task]") {
    const engine::TaskKind kind = methyl::methylationTaskKind();
    CHECK(kind.id == "methylation");
    const std::string a = sharedPath("fixtures/methylation/A_example55/betas.csv");
    CHECK(kind.recognise(probeOf(a, ".csv", headOf(a))) == 80);
    const std::string d2 = sharedPath("fixtures/methylation/D_format_variants/D02_sample_rows.csv");
    CHECK(kind.recognise(probeOf(d2, ".csv", headOf(d2))) == 80);
    const std::string geo =
        sharedPath("fixtures/methylation/D_format_variants/real_geo_excerpt/GSE41169_excerpt_series_matrix.txt");
    CHECK(kind.recognise(probeOf(geo, ".txt", headOf(geo))) == 90);
    CHECK(kind.recognise(probeOf("notes.txt", ".txt", "hello world\nsecond line\n")) == 0);
    CHECK(kind.recognise(probeOf("texts.csv", ".csv", "id,text\n1,a sentence\n2,another\n")) == 0);
}

TEST_CASE("the task reads, runs the cohort in one batch and writes predictions", "[methyl][task]") {
    test::TempDir dir;
    engine::JobSpec spec;
    spec.task = "methylation";
    spec.inputs = {sharedPath("fixtures/methylation/A_example55/betas.csv")};
    spec.model = sharedPath("clocks");
    spec.options["clocks"] = "Horvath2013,PhenoAge2018,Lin2016,Hannum2013";
    spec.options["sample-sheet"] = sharedPath("fixtures/methylation/E_age_acceleration/sample_sheet.csv");
    spec.outputDir = dir.path();
    FakeContext ctx(spec, dir.path());
    const engine::TaskKind kind = methyl::methylationTaskKind();
    std::unique_ptr<engine::Task> task = kind.create(spec);
    CHECK(kind.workUnit.name == "samples");
    std::vector<engine::Item> items;
    task->read(ctx, [&](engine::Item&& item) { items.push_back(std::move(item)); });
    REQUIRE(items.size() == 16);
    CHECK(ctx.expected == 16);
    CHECK(items[0].id == "GSM946048");
    const auto plan = engine::BatchLimits(task->batchLimits());
    CHECK(plan.maxItems >= 16);
    std::vector<engine::Item*> batch;
    for (auto& it : items) batch.push_back(&it);
    task->run(ctx, batch);
    task->finish(ctx, items);
    CHECK(ctx.summary == "16 samples x 4 clocks (16 values not computable: low CpG coverage)");
    REQUIRE_FALSE(ctx.logs.empty());
    CHECK_THAT(ctx.logs.back(), ContainsSubstring("sample sheet: 16 of 16 rows matched"));

    // CSV: values and age acceleration as fixture E.
    const auto expected = readExpected("fixtures/methylation/E_age_acceleration/expected_age_acceleration.csv");
    const auto rows = test::readCsvRows(dir.file("predictions.csv.part"));
    REQUIRE(rows.size() == 17);
    const auto& h = rows[0];
    auto col = [&](const std::string& name) {
        const auto it = std::find(h.begin(), h.end(), name);
        REQUIRE(it != h.end());
        return static_cast<std::size_t>(it - h.begin());
    };
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const std::string& sample = rows[r][0];
        for (const std::string c : {"Horvath2013", "PhenoAge2018", "Lin2016"}) {
            CHECK(std::abs(std::stod(rows[r][col(c)]) - expected.at(sample, c)) <= 1e-9);
            CHECK(std::abs(std::stod(rows[r][col(c + "_acc_diff")]) - expected.at(sample, c + "_diff")) <= 1e-9);
            CHECK(std::abs(std::stod(rows[r][col(c + "_acc_resid")]) - expected.at(sample, c + "_resid")) <= 1e-9);
        }
        CHECK(rows[r][col("Horvath2013_coverage")] == "1");
        CHECK(rows[r][col("Hannum2013")].empty());  // 7 of 71 CpGs: not computable
        CHECK(std::stod(rows[r][col("age")]) == expected.at(sample, "Age"));
    }

    // JSON: reasons, coverage and clock metadata.
    std::ifstream jf(dir.file("predictions.json.part"));
    const nlohmann::json j = nlohmann::json::parse(jf);
    REQUIRE(j["samples"].size() == 16);
    const auto& hannum = j["samples"][0]["clocks"]["Hannum2013"];
    CHECK(hannum["value"].is_null());
    CHECK(hannum["present"] == 7);
    CHECK(hannum["required"] == 71);
    CHECK_THAT(hannum["reason"].get<std::string>(), ContainsSubstring("7 of 71 CpGs present"));
    CHECK(j["clocks"][0]["id"] == "Horvath2013");
    CHECK(std::abs(j["clocks"][0]["age_regression"]["slope"].get<double>() - 0.87973202958002772) <= 1e-9);
    CHECK_THAT(j["clocks"][1]["usage_flag"].get<std::string>(), ContainsSubstring("Clock Foundation"));
}

TEST_CASE("task options are validated with actionable errors", "[methyl][task]") {
    test::TempDir dir;
    engine::JobSpec spec;
    spec.inputs = {sharedPath("fixtures/methylation/F_malformed/F03_beta_out_of_range.csv")};
    spec.model = sharedPath("clocks");
    FakeContext ctx(spec, dir.path());
    auto emit = [](engine::Item&&) {};
    {
        auto task = methyl::methylationTaskKind().create(spec);
        CHECK_THROWS_WITH(task->read(ctx, emit), ContainsSubstring("outside the beta range"));
    }
    spec.options["clocks"] = "NoSuchClock";
    {
        auto task = methyl::methylationTaskKind().create(spec);
        CHECK_THROWS_WITH(task->read(ctx, emit), ContainsSubstring("unknown clock 'NoSuchClock'"));
    }
    spec.options.erase("clocks");
    spec.options["imputation"] = "magic";
    {
        auto task = methyl::methylationTaskKind().create(spec);
        CHECK_THROWS_WITH(task->read(ctx, emit), ContainsSubstring("unknown imputation 'magic'"));
    }
}

TEST_CASE("end to end: the engine runs a methylation job", "[methyl][task][engine]") {
    test::TempDir dir;
    engine::TaskRegistry registry;
    registry.add(methyl::methylationTaskKind());
    engine::Engine eng(registry);
    engine::JobSpec spec;  // task left empty: recognised from the file
    spec.inputs = {sharedPath("fixtures/methylation/D_format_variants/D05_series_matrix.txt.gz")};
    spec.model = sharedPath("clocks");
    spec.options["clocks"] = "Horvath2013,Lin2016";
    spec.outputDir = dir.path();
    spec.device = "cpu";
    const engine::JobId id = eng.submit(spec);
    REQUIRE(eng.wait(id, 120.0));
    const auto snap = eng.snapshot(id);
    REQUIRE(snap.has_value());
    INFO(snap->error);
    REQUIRE(snap->state == engine::JobState::Done);
    CHECK(snap->task == "methylation");
    CHECK(snap->summary == "16 samples x 2 clocks");
    CHECK(snap->resultDir == dir.file("D05_series_matrix"));
    const std::string results = snap->resultDir + "/";
    CHECK(std::filesystem::exists(results + "predictions.csv"));
    CHECK(std::filesystem::exists(results + "predictions.json"));
    CHECK_FALSE(std::filesystem::exists(results + "predictions.csv.part"));
    // Ages come from the series matrix characteristics: age acceleration is present.
    const auto rows = test::readCsvRows(results + "predictions.csv");
    REQUIRE(rows.size() == 17);
    const auto expected = readExpected("fixtures/methylation/E_age_acceleration/expected_age_acceleration.csv");
    const auto& h = rows[0];
    const auto col = static_cast<std::size_t>(std::find(h.begin(), h.end(), "Horvath2013_acc_resid") - h.begin());
    REQUIRE(col < h.size());
    for (std::size_t r = 1; r < rows.size(); ++r)
        CHECK(std::abs(std::stod(rows[r][col]) - expected.at(rows[r][0], "Horvath2013_resid")) <= 1e-9);
}
