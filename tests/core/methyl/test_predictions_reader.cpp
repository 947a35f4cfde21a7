// predictions_reader: what the writers put in predictions.json / predictions.csv comes back typed and equal;
// malformed files fail with errors that name the file and the place.
#include <cmath>
#include <cstring>
#include <fstream>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/common/error.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/clock_engine.h"
#include "core/methyl/clock_library.h"
#include "core/methyl/predictions_reader.h"
#include "core/methyl/predictions_writer.h"
#include "core/methyl/sample_sheet.h"
#include "tests/core/methyl/methyl_test_util.h"

using namespace benchtop::methyl;
using benchtop::test::sharedPath;
using Catch::Matchers::ContainsSubstring;

namespace {

/// Bit-equal doubles, NaN equal to NaN (both writers keep every digit).
bool same(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || std::memcmp(&a, &b, sizeof a) == 0;
}

std::string errorOfJson(const std::string& text) {
    try {
        parsePredictionsJson(text, "p.json");
    } catch (const benchtop::Error& e) {
        return e.what();
    }
    FAIL("no error for " << text);
    return {};
}

std::string errorOfCsv(const std::string& text) {
    try {
        parsePredictionsCsv(text, "p.csv");
    } catch (const benchtop::Error& e) {
        return e.what();
    }
    FAIL("no error for " << text);
    return {};
}

}  // namespace

TEST_CASE("predictions written as JSON and CSV read back equal", "[methyl][predictions]") {
    // D09 (missing values in clock CpGs: partial and imputed cells) with the ages of fixture E.
    const ClockLibrary lib = ClockLibrary::load(sharedPath("clocks"), {"Horvath2013", "Hannum2013", "EpiTOC2"});
    ReadOptions ro;
    ro.keep = lib.requiredProbes();
    BetaMatrix m =
        readBetaMatrix(sharedPath("fixtures/methylation/D_format_variants/D09_missing_in_clock_cpgs.csv"), ro);
    applySampleSheet(readSampleSheet(sharedPath("fixtures/methylation/E_age_acceleration/sample_sheet.csv")),
                     m.samples);
    m.samples[3].age.reset();  // one sample without an age
    PredictionOutput out = makePredictionOutput(m.samples, predictClocks(m, lib), lib);
    out.notes = {"a reader note", "a sheet note"};
    benchtop::test::TempDir dir;
    writePredictionsJson(dir.file("predictions.json"), out, lib);
    writePredictionsCsv(dir.file("predictions.csv"), out, lib);
    const auto& clocks = out.predictions.clocks;
    REQUIRE(clocks.size() == 3);

    SECTION("json") {
        const PredictionsTable t = readPredictions(dir.file("predictions.json"));
        CHECK(t.format == "json");
        REQUIRE(t.clocks.size() == 3);
        REQUIRE(t.samples.size() == 16);
        CHECK(t.notes == out.notes);
        CHECK(t.device == out.predictions.device);
        for (std::size_t k = 0; k < 3; ++k) {
            INFO(clocks[k].clockId);
            const PredictionsClock& c = t.clocks[k];
            CHECK(c.id == clocks[k].clockId);
            CHECK(c.cpgs == static_cast<int>(clocks[k].required));
            CHECK(c.citation == lib.find(c.id)->def.citation);
            CHECK(c.output == lib.find(c.id)->def.output);
            CHECK(c.missingValues == clocks[k].method);
            CHECK(c.hasRegression == out.acceleration[k].valid);
            CHECK(same(c.regressionSlope, out.acceleration[k].slope));
            CHECK(same(c.regressionIntercept, out.acceleration[k].intercept));
            for (std::size_t s = 0; s < 16; ++s) {
                const PredictionsCell& cell = t.samples[s].cells[k];
                CHECK(same(cell.value, clocks[k].values[s]));
                CHECK(cell.present == static_cast<int>(clocks[k].present[s]));
                CHECK(cell.required == static_cast<int>(clocks[k].required));
                CHECK(cell.imputed == static_cast<int>(clocks[k].imputed[s]));
                CHECK(cell.reason == clocks[k].reasons[s]);
                if (out.acceleration[k].valid) {
                    CHECK(same(cell.accelerationResid, out.acceleration[k].resid[s]));
                    CHECK(same(cell.accelerationDiff, out.acceleration[k].diff[s]));
                }
            }
        }
        CHECK(t.clocks[0].isAgeClock());  // Horvath2013: age acceleration
        CHECK(t.clocks[0].hasRegression);
        CHECK_FALSE(t.clocks[2].isAgeClock());  // EpiTOC2: none
        for (std::size_t s = 0; s < 16; ++s) {
            CHECK(t.samples[s].name == m.samples[s].name);
            CHECK(t.samples[s].age == m.samples[s].age);
            CHECK(t.samples[s].sex == m.samples[s].sex);
        }
        CHECK_FALSE(t.samples[3].age.has_value());
        CHECK(std::isnan(t.samples[3].cells[0].accelerationDiff));
    }
    SECTION("csv") {
        const PredictionsTable t = readPredictions(dir.file("predictions.csv"));
        CHECK(t.format == "csv");
        REQUIRE(t.clocks.size() == 3);
        REQUIRE(t.samples.size() == 16);
        CHECK(t.clocks[1].id == "Hannum2013");
        CHECK(t.clocks[1].citation == lib.find("Hannum2013")->def.citation);  // from the clock definitions
        for (std::size_t k = 0; k < 3; ++k)
            for (std::size_t s = 0; s < 16; ++s) {
                INFO(clocks[k].clockId << " sample " << s);
                const PredictionsCell& cell = t.samples[s].cells[k];
                CHECK(same(cell.value, clocks[k].values[s]));
                CHECK(same(cell.coverage, static_cast<double>(clocks[k].present[s]) / clocks[k].required));
                CHECK(cell.imputed == static_cast<int>(clocks[k].imputed[s]));
                if (out.acceleration[k].valid) CHECK(same(cell.accelerationResid, out.acceleration[k].resid[s]));
            }
        for (std::size_t s = 0; s < 16; ++s) {
            CHECK(t.samples[s].name == m.samples[s].name);
            CHECK(t.samples[s].age == m.samples[s].age);
            CHECK(t.samples[s].sex == m.samples[s].sex);
        }
    }
}

TEST_CASE("malformed predictions files name the file and the place", "[methyl][predictions]") {
    CHECK_THAT(errorOfJson("{\"samples\": ["), ContainsSubstring("p.json: is not valid JSON ("));
    CHECK_THAT(errorOfJson("{\"segments\": []}"),
               ContainsSubstring("p.json: is not a methylation predictions file (it needs \"samples\" and \"clocks\""));
    CHECK_THAT(errorOfJson(R"({"samples": [], "clocks": [{"cpgs": 3}]})"),
               ContainsSubstring("p.json: clock 1 has no id"));
    CHECK_THAT(errorOfJson(R"({"samples": [{"age": 3}], "clocks": []})"),
               ContainsSubstring("p.json: sample 1 has no name"));
    CHECK_THAT(errorOfJson(R"({"clocks": [{"id": "Hannum2013"}],
                               "samples": [{"sample": "S1", "clocks": {"Hannum2013": {"value": 1, "present": "x"}}}]})"),
               ContainsSubstring("p.json: sample S1, clock Hannum2013: \"present\" is not a count"));
    CHECK_THAT(errorOfJson(R"({"clocks": [], "samples": [{"sample": "S1", "age": "old"}]})"),
               ContainsSubstring("p.json: sample S1: \"age\" is not a number"));

    CHECK_THAT(errorOfCsv("name,sex\nS1,F\n"), ContainsSubstring("p.csv:1: is not a methylation predictions table"));
    CHECK_THAT(errorOfCsv("sample,sex,Hannum2013,Hannum2013_coverage,Hannum2013_imputed\nS1,F,30.5,1,0\nS2,M,31\n"),
               ContainsSubstring("p.csv:3: line 3 has 3 fields, expected 5"));
    CHECK_THAT(errorOfCsv("sample,sex,Hannum2013,Hannum2013_coverage,Hannum2013_imputed\nS1,F,thirty,1,0\n"),
               ContainsSubstring("p.csv:2: 'thirty' in column 3 ('Hannum2013') is not a number"));
    CHECK_THAT(errorOfCsv("sample,sex,Hannum2013,Horvath2013_coverage\nS1,F,30,1\n"),
               ContainsSubstring("p.csv:1: column 4 ('Horvath2013_coverage') does not follow the value column"));
    // A clock the CSV names but Benchtop does not know still reads (without a description).
    const PredictionsTable t = parsePredictionsCsv("sample,sex,MyClock,MyClock_coverage\n\"S,1\",,2.5,0.5\n", "p.csv");
    REQUIRE(t.samples.size() == 1);
    CHECK(t.samples[0].name == "S,1");
    CHECK(t.samples[0].sex == Sex::Unknown);
    CHECK(t.samples[0].cells[0].value == 2.5);
    CHECK(t.samples[0].cells[0].coverage == 0.5);
    CHECK(t.clocks[0].citation.empty());
    try {
        readPredictions("/nonexistent/predictions.json");
        FAIL("no error");
    } catch (const benchtop::Error& e) {
        CHECK_THAT(std::string(e.what()), ContainsSubstring("/nonexistent/predictions.json: cannot open"));
    }
}
