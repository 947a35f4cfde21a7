// The planner the window and `benchtop-cli run` share: which jobs a folder or a set of files becomes.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>

#include "core/workloads/builtin_workloads.h"
#include "core/engine/input_plan.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using namespace benchtop;

namespace {

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    REQUIRE(out.good());
}

const std::string kMatrix = "ID_REF,S1,S2\ncg00000029,0.51,0.62\ncg00000108,0.11,0.12\ncg00000109,0.81,0.72\n";
const std::string kSheet = "Sample_Name,Age,Sex\nS1,40,F\nS2,52,M\n";

std::vector<std::string> firstInputs(const engine::InputPlan& plan) {
    std::vector<std::string> out;
    for (const auto& job : plan.jobs) out.push_back(job.inputs.front());
    return out;
}

std::string taskOf(const engine::InputPlan& plan, const std::string& input) {
    for (const auto& job : plan.jobs)
        if (job.inputs.front() == input) return job.kind ? job.kind->id : "(none)";
    return "(not planned)";
}

}  // namespace

TEST_CASE("a folder plans its inputs, attaches its sample sheet and skips Benchtop's own results", "[engine][plan]") {
    test::TempDir dir;
    const auto registry = workloads::builtinTasks();
    fs::create_directories(dir.file("study/deeper"));
    writeFile(dir.file("study/cohort1.csv"), kMatrix);
    writeFile(dir.file("study/deeper/cohort2.csv"), kMatrix);
    writeFile(dir.file("study/sample_sheet.csv"), kSheet);
    writeFile(dir.file("study/notes.txt"), "a first text\na second text\n");
    writeFile(dir.file("study/.hidden.txt"), "not for Benchtop\n");
    writeFile(dir.file("study/photo.png"), "not a handled extension");
    // What an earlier run wrote: results, and an unfinished file of a job that was killed.
    fs::create_directories(dir.file("study/benchtop-results/notes"));
    writeFile(dir.file("study/benchtop-results/notes/texts.jsonl"), "{\"text\":\"x\"}\n");
    fs::create_directories(dir.file("study/deeper/benchtop-results/cohort2"));
    writeFile(dir.file("study/deeper/benchtop-results/cohort2/predictions.csv"), "sample,x\n");
    writeFile(dir.file("study/stray.csv.part"), "half");
    // Results written into a folder of another name (a configured output folder): marked by the engine.
    fs::create_directories(dir.file("study/my-results/notes"));
    writeFile(dir.file("study/my-results/notes/.benchtop-job.json"), "{}");
    writeFile(dir.file("study/my-results/notes/texts.jsonl"), "{\"text\":\"x\"}\n");

    const auto plan = engine::planInputs({dir.file("study")}, registry);
    // Sorted, recursive, only handled extensions, no hidden files and none of the outputs.
    CHECK(firstInputs(plan) == std::vector<std::string>{dir.file("study/cohort1.csv"),
                                                        dir.file("study/deeper/cohort2.csv"),
                                                        dir.file("study/notes.txt")});
    CHECK(taskOf(plan, dir.file("study/cohort1.csv")) == "methylation");
    CHECK(taskOf(plan, dir.file("study/notes.txt")) == "text");
    CHECK(plan.skippedOutputs == 4);
    // A job's result folder dropped itself is no input either.
    CHECK(engine::planInputs({dir.file("study/my-results/notes")}, registry).jobs.empty());
    // The only sheet of the drop goes to both matrices (the deeper one has none of its own).
    for (const auto& job : plan.jobs) {
        if (job.kind && job.kind->id == "methylation") {
            REQUIRE(job.options.count("sample-sheet"));
            CHECK(job.options.at("sample-sheet") == dir.file("study/sample_sheet.csv"));
        } else {
            CHECK(job.options.empty());
        }
    }
    REQUIRE(plan.attached.size() == 1);
    CHECK(plan.attached[0].inputs.size() == 2);
    CHECK(plan.unassigned.empty());

    // The same folder twice, or a file of it named again: the same jobs, not more.
    const auto twice =
        engine::planInputs({dir.file("study"), dir.file("study/"), dir.file("study/notes.txt")}, registry);
    CHECK(twice.jobs.size() == plan.jobs.size());
    // Planning again after the results of this plan were written plans the same jobs.
    fs::create_directories(dir.file("study/benchtop-results/cohort1"));
    writeFile(dir.file("study/benchtop-results/cohort1/predictions.csv"), "sample,x\n");
    CHECK(firstInputs(engine::planInputs({dir.file("study")}, registry)) == firstInputs(plan));
}

TEST_CASE("sample sheets go to the matrices of their own folder; a sheet without a matrix is an input",
          "[engine][plan]") {
    test::TempDir dir;
    const auto registry = workloads::builtinTasks();
    for (const std::string folder : {"a", "b"}) {
        fs::create_directories(dir.file(folder));
        writeFile(dir.file(folder + "/matrix.csv"), kMatrix);
        writeFile(dir.file(folder + "/sheet.csv"), kSheet);
    }
    fs::create_directories(dir.file("c"));
    writeFile(dir.file("c/matrix.csv"), kMatrix);  // no sheet beside it, and two in the drop

    const auto plan = engine::planInputs({dir.file("a"), dir.file("b"), dir.file("c")}, registry);
    REQUIRE(plan.jobs.size() == 3);
    CHECK(plan.jobs[0].options.at("sample-sheet") == dir.file("a/sheet.csv"));
    CHECK(plan.jobs[1].options.at("sample-sheet") == dir.file("b/sheet.csv"));
    CHECK(plan.jobs[2].options.count("sample-sheet") == 0);

    // Alone, a sheet is a file like any other (the text task reads CSV columns).
    const auto alone = engine::planInputs({dir.file("a/sheet.csv")}, registry);
    REQUIRE(alone.jobs.size() == 1);
    CHECK(alone.attached.empty());

    // Two sheets and a matrix in a folder of neither: the sheets belong to no single matrix.
    test::TempDir other;
    fs::create_directories(other.file("x"));
    fs::create_directories(other.file("y"));
    fs::create_directories(other.file("z"));
    writeFile(other.file("x/sheet.csv"), kSheet);
    writeFile(other.file("y/sheet.csv"), kSheet);
    writeFile(other.file("z/matrix.csv"), kMatrix);
    const auto ambiguous = engine::planInputs({other.file("x"), other.file("y"), other.file("z")}, registry);
    REQUIRE(ambiguous.jobs.size() == 1);
    CHECK(ambiguous.unassigned.size() == 2);
}

TEST_CASE("named files are always planned; batch mode makes one job; result stems", "[engine][plan]") {
    test::TempDir dir;
    const auto registry = workloads::builtinTasks();
    writeFile(dir.file("one.txt"), "x\n");
    writeFile(dir.file("two.txt"), "y\n");
    const auto plan = engine::planInputs({dir.file("one.txt"), dir.file("missing.wav"), dir.file("odd.xyz")}, registry);
    REQUIRE(plan.jobs.size() == 3);  // the missing and the unknown file fail as jobs, with the reason
    CHECK(plan.jobs[1].inputs.front() == dir.file("missing.wav"));

    engine::PlanOptions batch;
    batch.batchFiles = true;
    const auto one = engine::planInputs({dir.file("one.txt"), dir.file("two.txt")}, registry, batch);
    REQUIRE(one.jobs.size() == 1);
    CHECK(one.jobs[0].inputs.size() == 2);

    CHECK(engine::resultStem({"/x/cohort.csv"}) == "cohort");
    CHECK(engine::resultStem({"/x/GSE40279_series_matrix.txt.gz"}) == "GSE40279_series_matrix");
    CHECK(engine::resultStem({"/x/talk.en.flac"}) == "talk.en");
    CHECK(engine::resultStem({"/x/.csv"}) == "results.csv");
    CHECK(engine::resultStem({"/x/a.wav", "/x/b.wav", "/x/c.wav"}) == "a-and-2-more");
    CHECK(engine::isBenchtopOutput("/data/benchtop-results/cohort/predictions.csv"));
    CHECK(engine::isBenchtopOutput("/data/predictions.csv.part"));
    CHECK_FALSE(engine::isBenchtopOutput("/data/cohort.csv"));
}
