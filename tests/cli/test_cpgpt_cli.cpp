// CpGPT from the command line: `models import-cpgpt` makes a model of the fixture's tiny CpGPT and a dependencies
// folder in upstream's layout, and `run --predictor` puts its outputs into predictions.csv/json beside the clocks,
// equal to upstream CpGPT's own outputs.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"
#include "tests/core/methyl/cpgpt/cpgpt_test_util.h"

namespace fs = std::filesystem;
using benchtop::test::runCli;
using benchtop::test::TempDir;
using Catch::Matchers::ContainsSubstring;

namespace {

/// sample -> column -> value of a CSV with a header row.
std::map<std::string, std::map<std::string, std::string>> readCsv(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header;
    std::stringstream hs(line);
    for (std::string cell; std::getline(hs, cell, ',');) header.push_back(cell);
    std::map<std::string, std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::vector<std::string> cells;
        for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
        for (std::size_t i = 1; i < cells.size() && i < header.size(); ++i) rows[cells[0]][header[i]] = cells[i];
    }
    return rows;
}

}  // namespace

TEST_CASE("a CpGPT model imported from its files runs beside the clocks and gives upstream's outputs", "[cli][cpgpt]") {
    TempDir home;
    TempDir deps;
    benchtop::test::cpgpt::writeFixtureDependencies(deps.path(), benchtop::test::cpgpt::fixtureLocusTable());
    const std::string env = "BENCHTOP_MODELS_DIR='" + home.file("models") + "'";
    const std::string tiny = benchtop::test::cpgpt::fixture("tiny_model");

    const auto imported =
        runCli("models import-cpgpt '" + tiny + "' --dependencies '" + deps.path() + "' --name fixture", env);
    INFO(imported.err);
    REQUIRE(imported.exitCode == 0);
    CHECK_THAT(imported.err, ContainsSubstring("200 of 200 input CpGs placed"));
    CHECK_THAT(imported.err, ContainsSubstring("non-commercial"));
    const fs::path model = fs::path(home.file("models")) / "cpgpt-fixture";
    CHECK(fs::exists(model / "locus_embeddings.safetensors"));
    CHECK(fs::exists(model / "model.safetensors"));
    // A second import into the same name is refused; nothing is overwritten.
    const auto again =
        runCli("models import-cpgpt '" + tiny + "' --dependencies '" + deps.path() + "' --name fixture", env);
    CHECK(again.exitCode == 1);
    CHECK_THAT(again.err, ContainsSubstring("already holds files"));

    // By store id, with two clocks: CpGPT's columns join the clocks' in one table.
    const auto run =
        runCli("run '" + benchtop::test::cpgpt::fixture("inputs/betas.csv") +
                   "' --predictor cpgpt-fixture --clocks horvath2013,hannum2013 -o '" + home.file("out") + "' -q",
               env);
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    const auto got = readCsv(home.file("out") + "/betas/predictions.csv");
    const auto want = readCsv(benchtop::test::cpgpt::fixture("expected/pred_conditions.csv"));
    REQUIRE(got.size() == want.size());
    for (const auto& [sample, columns] : want) {
        INFO(sample);
        REQUIRE(got.count(sample));
        // The fixture's 205 CpGs are too few for Horvath's 353 (an empty cell), but the column is there.
        CHECK(got.at(sample).count("Horvath2013") == 1);
        for (const auto& [column, value] : columns) {
            INFO(column);
            const double w = std::stod(value);
            const double g = std::stod(got.at(sample).at(column));
            CHECK(std::abs(g - w) <= 1e-5 + 1e-5 * std::abs(w));
        }
    }
    std::ifstream json(home.file("out") + "/betas/predictions.json");
    const auto doc = nlohmann::json::parse(json);
    bool described = false;
    for (const auto& c : doc.at("clocks"))
        if (c.at("id") == "fx_cond0") described = c.value("kind", "") == "CpGPT foundation model";
    CHECK(described);
    std::string notes;
    for (const auto& n : doc.at("notes")) notes += n.get<std::string>() + "\n";
    CHECK_THAT(notes, ContainsSubstring("masked, not imputed"));
}

TEST_CASE("a CpGPT import without its dependencies fails naming what is missing", "[cli][cpgpt]") {
    TempDir home, deps;
    const auto r = runCli("models import-cpgpt '" + benchtop::test::cpgpt::fixture("tiny_model") +
                              "' --dependencies '" + deps.path() + "' --name fixture",
                          "BENCHTOP_MODELS_DIR='" + home.file("models") + "'");
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err, ContainsSubstring("illumina_metadata.db"));
    CHECK_FALSE(fs::exists(fs::path(home.file("models")) / "cpgpt-fixture"));
    CHECK_FALSE(fs::exists(fs::path(home.file("models")) / "cpgpt-fixture.part"));
}

TEST_CASE("a CpGPT import takes the catalog's declaration of its outputs", "[cli][cpgpt]") {
    TempDir home, deps;
    benchtop::test::cpgpt::writeFixtureDependencies(deps.path(), benchtop::test::cpgpt::fixtureLocusTable());
    const std::string env = "BENCHTOP_MODELS_DIR='" + home.file("models") + "'";
    const std::string import = "models import-cpgpt '" + benchtop::test::cpgpt::fixture("tiny_model") +
                               "' --dependencies '" + deps.path() + "' --name fixture --id ";
    // Imported under the cancer model's id: every output is a logit made a probability.
    const auto cancer = runCli(import + "cpgpt-cancer", env);
    INFO(cancer.err);
    REQUIRE(cancer.exitCode == 0);
    const auto run = runCli("run '" + benchtop::test::cpgpt::fixture("inputs/betas.csv") +
                                "' --predictor cpgpt-cancer --clocks none -o '" + home.file("out") + "' -q",
                            env);
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    const auto got = readCsv(home.file("out") + "/betas/predictions.csv");
    const auto want = readCsv(benchtop::test::cpgpt::fixture("expected/pred_conditions.csv"));
    for (const auto& [sample, columns] : want)
        for (const auto& [column, value] : columns) {
            INFO(sample << " " << column);
            const double p = 1.0 / (1.0 + std::exp(-std::stod(value)));
            CHECK(std::abs(std::stod(got.at(sample).at(column)) - p) <= 1e-5);
        }
    // The clock proxies' declaration names outputs this model does not have: refused, nothing written.
    const auto proxies = runCli(import + "cpgpt-clock_proxies", env);
    CHECK(proxies.exitCode == 1);
    CHECK_THAT(proxies.err, ContainsSubstring("has no output 'altumage' (the catalog declares it)"));
    CHECK_FALSE(fs::exists(fs::path(home.file("models")) / "cpgpt-clock_proxies"));
}

TEST_CASE("a cohort with a CpGPT model split into parts merges into one run's predictions byte for byte",
          "[cli][cpgpt][shard]") {
    TempDir home, deps;
    benchtop::test::cpgpt::writeFixtureDependencies(deps.path(), benchtop::test::cpgpt::fixtureLocusTable());
    const std::string env = "BENCHTOP_MODELS_DIR='" + home.file("models") + "'";
    REQUIRE(runCli("models import-cpgpt '" + benchtop::test::cpgpt::fixture("tiny_model") + "' --dependencies '" +
                       deps.path() + "' --name fixture --id cpgpt-age_cot",
                   env)
                .exitCode == 0);
    const std::string input = "run '" + benchtop::test::cpgpt::fixture("inputs/betas.csv") +
                              "' --predictor cpgpt-age_cot --clocks horvath2013 --threads 1 -q -o '";
    const auto whole = runCli(input + home.file("whole") + "'", env);
    INFO(whole.err);
    REQUIRE(whole.exitCode == 0);
    std::string parts;
    for (int i = 0; i < 3; ++i) {
        const auto part = runCli(input + home.file("parts") + "' --shard " + std::to_string(i) + "/3", env);
        INFO(part.err);
        REQUIRE(part.exitCode == 0);
        parts += " '" + home.file("parts") + "/betas.shard-" + std::to_string(i) + "-of-3'";
    }
    const auto merged = runCli("merge '" + home.file("merged") + "'" + parts, env);
    INFO(merged.err);
    REQUIRE(merged.exitCode == 0);
    for (const char* file : {"predictions.csv", "predictions.json"}) {
        INFO(file);
        CHECK(benchtop::test::readFile(home.file("merged") + "/" + file) ==
              benchtop::test::readFile(home.file("whole") + "/betas/" + file));
    }
    // CpGPT's columns are in it, and each part read only its samples (2 of 6).
    CHECK_THAT(benchtop::test::readFile(home.file("merged") + "/predictions.csv"),
               ContainsSubstring("fx_cond0,fx_cond0_coverage"));
    const auto part0 = nlohmann::json::parse(
        benchtop::test::readFile(home.file("parts") + "/betas.shard-0-of-3/predictions.shard.json"));
    CHECK(part0.at("samples").size() == 2);
}
