#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/device/machine_report.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/shared_paths.h"

using benchtop::test::closedPort;
using benchtop::test::offlineEnv;
using benchtop::test::runCli;
using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

/// Splits one CSV line; double-quoted fields may hold commas and "" (as in clocks_manifest.csv).
std::vector<std::string> csvFields(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.emplace_back();
        } else if (c != '\r') {
            fields.back() += c;
        }
    }
    return fields;
}

std::vector<std::vector<std::string>> readCsv(const std::string& path) {
    std::istringstream in(benchtop::test::readFile(path));
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) rows.push_back(csvFields(line));
    return rows;
}

/// A clock's values for the demo cohort, computed here from the published coefficient table in ../shared/clocks and
/// the intercept and transform its manifest row states (not from Benchtop's clock definitions):
/// intercept + sum(weight * beta), then Horvath's anti_trafo where the manifest says so. A CpG the cohort lacks
/// takes Horvath's goldstandard2 reference value where that table has it and is left out otherwise (the default
/// imputation; Hannum's two "ch." probes are neither in the demo cohort nor in goldstandard2).
std::map<std::string, double> expectedDemoValues(const std::string& clockId) {
    const auto manifest = readCsv(benchtop::test::sharedPath("clocks/clocks_manifest.csv"));
    std::map<std::string, std::string> row;
    for (std::size_t r = 1; r < manifest.size(); ++r)
        if (manifest[r][0] == clockId)
            for (std::size_t c = 0; c < manifest[0].size(); ++c) row[manifest[0][c]] = manifest[r].at(c);
    REQUIRE(row.count("file"));
    const double intercept = std::stod(row.at("intercept_full"));
    const bool antiTrafo = row.at("transform").find("anti_trafo") != std::string::npos;

    const auto cohort = readCsv(std::string(BENCHTOP_SOURCE_DIR) + "/resources/demo/methylation/cohort.csv");
    std::map<std::string, std::size_t> rowOfCpg;
    for (std::size_t r = 1; r < cohort.size(); ++r) rowOfCpg[cohort[r][0]] = r;
    std::vector<double> sums(cohort[0].size(), intercept);
    std::map<std::string, double> reference;
    const auto goldstandard = readCsv(benchtop::test::sharedPath("clocks/reference/Horvath2013_goldstandard2.csv"));
    for (std::size_t r = 1; r < goldstandard.size(); ++r) reference[goldstandard[r][0]] = std::stod(goldstandard[r][1]);
    const auto coefficients = readCsv(benchtop::test::sharedPath("clocks/" + row.at("file")));
    int absent = 0;
    for (std::size_t r = 1; r < coefficients.size(); ++r) {
        const std::string& cpg = coefficients[r][0];
        if (cpg == "intercept") continue;  // PhenoAge's file repeats the manifest's intercept as a row
        const double weight = std::stod(coefficients[r][1]);
        if (!rowOfCpg.count(cpg)) {
            ++absent;
            if (auto it = reference.find(cpg); it != reference.end())
                for (std::size_t s = 1; s < sums.size(); ++s) sums[s] += weight * it->second;
            continue;
        }
        for (std::size_t s = 1; s < sums.size(); ++s) sums[s] += weight * std::stod(cohort[rowOfCpg[cpg]][s]);
    }
    // The demo cohort holds every CpG of its clocks but Hannum's two "ch." probes.
    CHECK(absent == (clockId == "Hannum2013" ? 2 : 0));
    std::map<std::string, double> values;
    for (std::size_t s = 1; s < sums.size(); ++s) {
        const double x = sums[s];
        values[cohort[0][s]] = antiTrafo ? (x < 0 ? 21.0 * std::exp(x) - 1.0 : 21.0 * x + 20.0) : x;
    }
    return values;
}

/// Copies tables of resources/clocks into `dir` (a bundle that lacks the others).
std::string partialBundle(const benchtop::test::TempDir& dir, const std::vector<std::string>& tables) {
    const fs::path root = dir.file("bundled");
    for (const auto& table : tables) {
        fs::create_directories((root / table).parent_path());
        fs::copy_file(fs::path(BENCHTOP_SOURCE_DIR) / "resources" / "clocks" / table, root / table);
    }
    return root.string();
}

}  // namespace

TEST_CASE("version, help and unknown commands") {
    const auto version = runCli("--version");
    CHECK(version.exitCode == 0);
    CHECK_THAT(version.out, ContainsSubstring("benchtop-cli 0.1.0") && ContainsSubstring("libtorch") &&
                                ContainsSubstring("License GPL-3.0-or-later") && ContainsSubstring("NO WARRANTY"));
    const auto help = runCli("--help");
    CHECK(help.exitCode == 0);
    CHECK_THAT(help.out, ContainsSubstring("devices") && ContainsSubstring("run"));
    const auto bad = runCli("frobnicate");
    CHECK(bad.exitCode == 2);
}

TEST_CASE("OpenMP threads wait passively unless the user chose otherwise") {
    const auto fresh = runCli("devices --json", "env -u OMP_WAIT_POLICY -u BENCHTOP_OMP_REEXEC");
    REQUIRE(fresh.exitCode == 0);
    CHECK(nlohmann::json::parse(fresh.out)["openmp_wait_policy"] == "passive");
    const auto chosen = runCli("devices --json", "env -u BENCHTOP_OMP_REEXEC OMP_WAIT_POLICY=active");
    REQUIRE(chosen.exitCode == 0);
    CHECK(nlohmann::json::parse(chosen.out)["openmp_wait_policy"] == "active");
}

TEST_CASE("devices --json lists the CPU with its features and the chosen precision") {
    const auto r = runCli("devices --json", "env -u BENCHTOP_DEVICE -u BENCHTOP_PRECISION -u BENCHTOP_THREADS");
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto json = nlohmann::json::parse(r.out);
    const auto& cpu = benchtop::device::cpuSummary();
    CHECK(json["cpu"]["model"] == cpu.model);
    CHECK(json["cpu"]["physical_cores"] == cpu.physicalCores);
    CHECK(json["cpu"]["features"] == cpu.features);
    CHECK(json["devices"][0]["id"] == "cpu");
    CHECK(json["devices"][0]["usable"] == true);
    if (json["selected"]["device"] == "cpu") {
        const bool bf16 = cpu.hasFastBf16;
        CHECK(json["selected"]["precision"] == (bf16 ? "bf16" : "fp32"));
        CHECK_THAT(json["selected"]["precision_reason"].get<std::string>(),
                   ContainsSubstring(bf16 ? "bf16 because the CPU has" : "fp32 because"));
    }
    CHECK(json["selected"]["threads"] == cpu.physicalCores);
    CHECK_FALSE(json["gpu_telemetry"]["status"].get<std::string>().empty());
}

TEST_CASE("tasks lists every workload as it declares itself; run's flags are the declared ones") {
    const auto r = runCli("tasks --json");
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto tasks = nlohmann::json::parse(r.out);
    REQUIRE(tasks.size() == 3);
    CHECK(tasks[0]["id"] == "methylation");  // declaration order
    const auto& speech = tasks[1];
    CHECK(speech["id"] == "speech");
    CHECK(speech["work_unit"] == "audio s");
    CHECK(speech["media_seconds"] == true);
    CHECK(speech["aliases"][0]["name"] == "transcribe");
    bool beam = false;
    for (const auto& option : speech["options"])
        if (option["key"] == "beam-size") {
            beam = true;
            CHECK(option["type"] == "integer");
            CHECK(option["flag"] == "--beam-size");
        }
    CHECK(beam);
    CHECK(tasks[2]["files"]["extensions"].size() == 4);

    const auto text = runCli("tasks");
    CHECK_THAT(text.out, ContainsSubstring("Speech (Whisper) (--task speech | transcribe | translate)") &&
                             ContainsSubstring("--no-temperature-fallback"));
    // A declared number is checked while the command line is read, before any job starts.
    const auto bad = runCli("run nothing.wav --beam-size many");
    CHECK(bad.exitCode == 2);
    CHECK_THAT(bad.err, ContainsSubstring("--beam-size") && ContainsSubstring("not a whole number"));
}

TEST_CASE("BENCHTOP_PRECISION=fp16 on the CPU is a clear error") {
    const auto r = runCli("devices --device cpu", "BENCHTOP_PRECISION=fp16");
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, ContainsSubstring("fp16 is not supported on CPU"));
    CHECK_THAT(r.out, ContainsSubstring("cpu"));  // the device list is still shown
}

TEST_CASE("run reports files no task handles and exits non-zero") {
    benchtop::test::TempDir dir;
    { std::ofstream(dir.file("mystery.xyz")) << "not a known format"; }
    const auto r = runCli("run '" + dir.file("mystery.xyz") + "' -o '" + dir.file("out") + "'");
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err, ContainsSubstring("mystery.xyz") && ContainsSubstring("no task handles this file"));
    CHECK(r.out.empty());

    const auto json = runCli("run --json '" + dir.file("missing.csv") + "'");
    CHECK(json.exitCode == 1);
    const auto summary = nlohmann::json::parse(json.out);
    REQUIRE(summary.size() == 1);
    CHECK(summary[0]["state"] == "failed");
    CHECK_THAT(summary[0]["error"].get<std::string>(), ContainsSubstring("file not found"));
}

TEST_CASE("the demo runs with no network at all and gives the published clocks' values", "[offline][methyl]") {
    benchtop::test::TempDir home;
    const int port = closedPort();
    const std::string env = offlineEnv(home, port);
    const std::string demo = std::string(BENCHTOP_SOURCE_DIR) + "/resources/demo/methylation/";
    // The demo target's job (app/cli/CMakeLists.txt), on a fresh machine.
    const auto r = runCli("run '" + demo + "cohort.csv' --clocks " BENCHTOP_DEMO_CLOCKS " --sample-sheet '" + demo +
                              "sample_sheet.csv' -o '" + home.file("demo-results") + "'",
                          env);
    INFO(r.err);
    INFO(r.out);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.err, !ContainsSubstring("downloading"));
    // Three clock tables and Horvath's goldstandard2 reference (used to impute absent CpGs).
    CHECK_THAT(r.err, ContainsSubstring("clock tables: 4 bundled with Benchtop"));
    // Nothing was put into the (empty) model store.
    CHECK_FALSE(fs::exists(fs::path(home.file("data")) / "benchtop" / "models" / "horvath2013"));
    CHECK(fs::is_regular_file(home.file("demo-results/cohort/predictions.csv")));

    const auto json =
        nlohmann::json::parse(benchtop::test::readFile(home.file("demo-results/cohort/predictions.json")));
    REQUIRE(json["samples"].size() == 12);
    for (const std::string clock : {"Horvath2013", "Hannum2013", "PhenoAge2018"}) {
        const auto expected = expectedDemoValues(clock);
        REQUIRE(expected.size() == 12);
        for (const auto& sample : json["samples"]) {
            const std::string name = sample["sample"].get<std::string>();
            INFO(clock << " " << name);
            REQUIRE(expected.count(name));
            const auto& value = sample["clocks"][clock];
            REQUIRE(value["value"].is_number());
            CHECK(std::abs(value["value"].get<double>() - expected.at(name)) <= 1e-9);
            CHECK(value["imputed"] == 0);  // Hannum's two absent "ch." probes have no reference value: left out
            CHECK(value["present"].get<int>() == value["required"].get<int>() - (clock == "Hannum2013" ? 2 : 0));
        }
    }
    // Ages rise with the sheet's ages: a sanity check on the independent values themselves.
    CHECK(expectedDemoValues("Horvath2013").at("DEMO10") > expectedDemoValues("Horvath2013").at("DEMO01"));

    // The model manager's view of the same machine: bundled, verified against the catalog's SHA-256.
    const auto list = runCli("models list --json", env);
    REQUIRE(list.exitCode == 0);
    const auto models = nlohmann::json::parse(list.out);
    int bundled = 0;
    for (const auto& model : models["models"]) {
        if (model["family"] != "clock") continue;
        CHECK(model["location"] == "bundled");
        CHECK(model["status"] == "ready");
        ++bundled;
    }
    CHECK(bundled == 49);
    const auto verify = runCli("models verify horvath2013", env);
    INFO(verify.err);
    CHECK(verify.exitCode == 0);
    CHECK_THAT(verify.out, ContainsSubstring("Horvath1.csv") && ContainsSubstring("bundled with Benchtop"));
}

TEST_CASE("offline, clocks whose tables are not bundled are named: skipped by default, an error when asked for",
          "[offline][methyl]") {
    benchtop::test::TempDir home;
    const int port = closedPort();
    const std::string env =
        offlineEnv(home, port, "BENCHTOP_BUNDLED_CLOCKS_DIR='" + partialBundle(home, {"biolearn/Horvath1.csv"}) + "'");
    const std::string cohort = std::string(BENCHTOP_SOURCE_DIR) + "/resources/demo/methylation/cohort.csv";

    const auto named =
        runCli("run '" + cohort + "' --clocks horvath2013,phenoage2018 -o '" + home.file("a") + "'", env);
    CHECK(named.exitCode == 1);
    CHECK_THAT(named.err, ContainsSubstring("PhenoAge2018: its coefficient table is neither in the model store") &&
                              ContainsSubstring("nor bundled with Benchtop") &&
                              ContainsSubstring("could not reach 127.0.0.1:" + std::to_string(port)));

    const auto all = runCli("run --json '" + cohort + "' -o '" + home.file("b") + "'", env);
    INFO(all.err);
    REQUIRE(all.exitCode == 0);
    const auto summary = nlohmann::json::parse(all.out);
    REQUIRE(summary.size() == 1);
    CHECK(summary[0]["state"] == "done");
    CHECK_THAT(summary[0]["summary"].get<std::string>(),
               ContainsSubstring("12 samples x 1 clocks") && ContainsSubstring("46 more clocks need a table download"));
    const auto json = nlohmann::json::parse(benchtop::test::readFile(home.file("b/cohort/predictions.json")));
    REQUIRE(json["clocks"].size() == 1);
    CHECK(json["clocks"][0]["id"] == "Horvath2013");
    const auto expected = expectedDemoValues("Horvath2013");
    for (const auto& sample : json["samples"])
        CHECK(std::abs(sample["clocks"]["Horvath2013"]["value"].get<double>() -
                       expected.at(sample["sample"].get<std::string>())) <= 1e-9);
    std::string notes;
    for (const auto& note : json["notes"]) notes += note.get<std::string>() + "\n";
    CHECK_THAT(notes, ContainsSubstring("clock tables: 1 bundled with Benchtop") &&
                          ContainsSubstring("46 clocks not computed because their tables need a download") &&
                          ContainsSubstring("Hannum2013, PhenoAge2018") && ContainsSubstring("DunedinPACE") &&
                          ContainsSubstring("benchtop-cli models pull"));
}

namespace {

/// The demo cohort cut to its first `samples` sample columns.
void writeCohortSubset(const std::string& path, std::size_t samples) {
    const auto rows = readCsv(std::string(BENCHTOP_SOURCE_DIR) + "/resources/demo/methylation/cohort.csv");
    std::ofstream out(path);
    for (const auto& row : rows) {
        for (std::size_t c = 0; c <= samples && c < row.size(); ++c) out << (c ? "," : "") << row[c];
        out << "\n";
    }
}

std::size_t lineCount(const std::string& path) {
    std::ifstream in(path);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) ++n;
    return n;
}

}  // namespace

TEST_CASE("inputs of one folder get result folders of their own; a re-run never overwrites", "[safety]") {
    benchtop::test::TempDir home;
    const int port = closedPort();
    const std::string env = offlineEnv(home, port);

    SECTION("two cohorts and their sample sheet") {
        fs::create_directories(home.file("study"));
        writeCohortSubset(home.file("study/cohort_a.csv"), 12);
        writeCohortSubset(home.file("study/cohort_b.csv"), 5);
        fs::copy_file(std::string(BENCHTOP_SOURCE_DIR) + "/resources/demo/methylation/sample_sheet.csv",
                      home.file("study/sample_sheet.csv"));
        const auto r = runCli("run --json '" + home.file("study") + "' --clocks horvath2013", env);
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        const auto summary = nlohmann::json::parse(r.out);
        // The sheet went to both matrices (as in the window), not into a job of its own.
        REQUIRE(summary.size() == 2);
        CHECK_THAT(r.err, ContainsSubstring("sample_sheet.csv: sample-sheet for"));
        const std::string results = home.file("study/benchtop-results");
        CHECK(summary[0]["result_dir"] == results + "/cohort_a");
        CHECK(summary[1]["result_dir"] == results + "/cohort_b");
        CHECK(lineCount(results + "/cohort_a/predictions.csv") == 13);
        CHECK(lineCount(results + "/cohort_b/predictions.csv") == 6);
        const auto b = nlohmann::json::parse(benchtop::test::readFile(results + "/cohort_b/predictions.json"));
        CHECK(b["samples"].size() == 5);
        // Ages from the sheet give age acceleration.
        CHECK_FALSE(b["samples"][0]["age"].is_null());

        // The same folder again: the results of the first run are not jobs, and they stay as they were.
        const std::string first = benchtop::test::readFile(results + "/cohort_a/predictions.csv");
        const auto again = runCli("run --json '" + home.file("study") + "' --clocks horvath2013", env);
        INFO(again.err);
        REQUIRE(again.exitCode == 0);
        const auto second = nlohmann::json::parse(again.out);
        REQUIRE(second.size() == 2);
        CHECK(second[0]["result_dir"] == results + "/cohort_a-2");
        CHECK(second[1]["result_dir"] == results + "/cohort_b-2");
        CHECK(benchtop::test::readFile(results + "/cohort_a/predictions.csv") == first);
        CHECK(lineCount(results + "/cohort_b-2/predictions.csv") == 6);
    }

    SECTION("two text files, also with one output folder for both") {
        fs::create_directories(home.file("texts"));
        {
            std::ofstream(home.file("texts/short.txt")) << "one\ntwo\nthree\n";
            std::ofstream(home.file("texts/long.txt")) << "a\nb\nc\nd\ne\nf\ng\n";
        }
        const std::string model = benchtop::test::sharedPath("models/tiny-bert-mean");
        const auto r = runCli(
            "run --json '" + home.file("texts") + "' --model '" + model + "' -o '" + home.file("out") + "'", env);
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        CHECK(nlohmann::json::parse(r.out).size() == 2);
        CHECK(lineCount(home.file("out/long/texts.jsonl")) == 7);
        CHECK(lineCount(home.file("out/short/texts.jsonl")) == 3);
        CHECK(fs::is_regular_file(home.file("out/long/embeddings.npy")));
        CHECK(fs::is_regular_file(home.file("out/short/embeddings.npy")));
    }
}

TEST_CASE("bench embed runs text jobs through the engine and compares precisions", "[bench]") {
    const std::string model = benchtop::test::sharedPath("models/tiny-bert-mean");
    const std::string input = benchtop::test::sharedPath("fixtures/text/inputs.txt");
    const auto r = runCli("bench embed --model '" + model + "' --input '" + input + "' --precisions fp32 --runs 1");
    INFO(r.err);
    INFO(r.out);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, ContainsSubstring("tokens/s") && ContainsSubstring("fp32") && ContainsSubstring("of GEMM"));
}

TEST_CASE("bench transcribe measures the model and runs the files as an engine job", "[bench]") {
    const std::string model = benchtop::test::sharedPath("models/tiny-whisper-v3");
    const std::string audio = benchtop::test::sharedPath("fixtures/whisper/audio/jfk.flac");
    const auto r = runCli("bench transcribe --model '" + model + "' --input '" + audio +
                          "' --language en --precisions fp32 --runs 1");
    INFO(r.err);
    INFO(r.out);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, ContainsSubstring("decoder ms/tok") && ContainsSubstring("memory read rate") &&
                          ContainsSubstring("engine job s") && ContainsSubstring("of GEMM"));
}

TEST_CASE("a job killed with SIGKILL leaves nothing that looks finished; the next run succeeds", "[safety]") {
    benchtop::test::TempDir dir;
    {
        std::ofstream out(dir.file("corpus.txt"));
        for (int i = 0; i < 20000; ++i) out << "text number " << i << " about cells, clocks and speech\n";
    }
    const std::string model = benchtop::test::sharedPath("models/tiny-bert-mean");
    const fs::path results = fs::path(dir.path()) / "benchtop-results";
    // Killed as soon as a result file is being written (or, failing that, whenever the job is at); a few
    // tries, each checked: a file without ".part" exists only if the job had finished.
    bool caughtWriting = false;
    for (int attempt = 0; attempt < 3 && !caughtWriting; ++attempt) {
        const pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            const int devnull = ::open("/dev/null", O_WRONLY);
            ::dup2(devnull, 1);
            ::dup2(devnull, 2);
            ::execl(BENCHTOP_CLI, BENCHTOP_CLI, "run", dir.file("corpus.txt").c_str(), "--model", model.c_str(),
                    "--precision", "fp32", "-q", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        int status = 0;
        bool exited = false;
        for (int polls = 0; polls < 120000 && !caughtWriting && !exited; ++polls) {
            std::error_code ec;
            for (fs::recursive_directory_iterator it(results, ec), end; !ec && it != end; it.increment(ec))
                if (it->path().extension() == ".part") caughtWriting = true;
            if (caughtWriting) break;
            exited = ::waitpid(pid, &status, WNOHANG) == pid;
            if (!exited) ::usleep(500);
            if (!caughtWriting && polls == 8000 + 4000 * attempt) break;  // kill mid-run on this attempt
        }
        if (!exited) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
        }
        INFO("attempt " << attempt
                        << (caughtWriting ? ": killed while writing"
                            : exited      ? ": finished"
                                          : ": killed mid-run"));
        std::error_code ec;
        for (fs::recursive_directory_iterator it(results, ec), end; !ec && it != end; it.increment(ec)) {
            if (!it->is_regular_file()) continue;
            INFO(it->path().string());
            // Nothing that looks finished (the hidden job marker only says the folder is Benchtop's).
            if (!exited && it->path().filename() != ".benchtop-job.json") CHECK(it->path().extension() == ".part");
        }
    }
    // A normal run of the same input succeeds, complete, in a folder of its own.
    const auto r = runCli("run --json '" + dir.file("corpus.txt") + "' --model '" + model + "' --precision fp32");
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto summary = nlohmann::json::parse(r.out);
    const std::string folder = summary[0]["result_dir"].get<std::string>();
    std::size_t lines = 0;
    {
        std::ifstream in(folder + "/texts.jsonl");
        for (std::string line; std::getline(in, line);) ++lines;
    }
    CHECK(lines == 20000);
    for (const auto& entry : fs::directory_iterator(folder)) CHECK(entry.path().extension() != ".part");
}

TEST_CASE("predictions.csv starts with a UTF-8 byte order mark for Excel with csv-bom; the rest is unchanged") {
    benchtop::test::TempDir home;
    const std::string cohort = std::string(BENCHTOP_SOURCE_DIR) + "/resources/demo/methylation/cohort.csv";
    const auto plain = runCli("run '" + cohort + "' --clocks horvath2013 -o '" + home.file("plain") + "' -q");
    const auto bom = runCli("run '" + cohort + "' --clocks horvath2013 --csv-bom -o '" + home.file("bom") + "' -q");
    INFO(plain.err << bom.err);
    REQUIRE(plain.exitCode == 0);
    REQUIRE(bom.exitCode == 0);
    const std::string a = benchtop::test::readFile(home.file("plain") + "/cohort/predictions.csv");
    const std::string b = benchtop::test::readFile(home.file("bom") + "/cohort/predictions.csv");
    CHECK(a.rfind("sample,", 0) == 0);
    CHECK(b == "\xEF\xBB\xBF" + a);
}
