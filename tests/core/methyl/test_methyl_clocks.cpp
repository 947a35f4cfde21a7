// Clocks against the oracle cases A-E of ../shared/fixtures/methylation (tolerance 1e-9 absolute).
#include <algorithm>
#include <cmath>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/common/error.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/clock_engine.h"
#include "core/methyl/clock_library.h"
#include "core/methyl/predictions_writer.h"
#include "core/methyl/sample_sheet.h"
#include "tests/core/methyl/methyl_test_util.h"

using namespace benchtop::methyl;
using benchtop::test::ExpectedTable;
using benchtop::test::readExpected;
using benchtop::test::sharedPath;
using Catch::Matchers::ContainsSubstring;

namespace {

constexpr double kTol = 1e-9;
const std::string kA = "fixtures/methylation/A_example55/";
const std::string kD = "fixtures/methylation/D_format_variants/";

std::string clocksDir() {
    return sharedPath("clocks");
}

/// Adds the "_biolearn_intercept" variants of the fixtures (biolearn's rounded intercepts).
void addBiolearnVariants(ClockLibrary& lib, bool horvathOnly = false) {
    const std::vector<std::pair<std::string, double>> variants = {
        {"Horvath2013", 0.696}, {"Knight2016", 41.7}, {"PedBE2019", -2.1}};
    for (const auto& [id, intercept] : variants) {
        if (horvathOnly && id != "Horvath2013") continue;
        ClockDefinition d = *findClockDefinition(id);
        d.id = id + "_biolearn_intercept";
        d.intercept = intercept;
        lib.add(ClockLibrary::loadClock(clocksDir(), d));
    }
}

/// Compares every column of `expected` that names a clock in `p` (sample order of the matrix).
std::size_t compareColumns(const Predictions& p, const ExpectedTable& expected, double tol = kTol) {
    std::size_t compared = 0;
    for (const auto& col : expected.columns) {
        const ClockResult* c = p.find(col);
        if (!c) continue;
        for (std::size_t s = 0; s < p.samples.size(); ++s) {
            const double want = expected.at(p.samples[s], col);
            INFO(col << " " << p.samples[s] << " reason: " << c->reasons[s]);
            REQUIRE_FALSE(std::isnan(c->values[s]));
            CHECK(std::abs(c->values[s] - want) <= tol);
            ++compared;
        }
    }
    return compared;
}

ClockLibrary libraryFor(const std::vector<std::string>& ids) {
    return ClockLibrary::load(clocksDir(), ids);
}

}  // namespace

TEST_CASE("clock definitions cover every table of CLOCKS.md", "[methyl][clocks]") {
    CHECK(clockDefinitions().size() == 47);
    const ClockLibrary lib = ClockLibrary::load(clocksDir());
    CHECK(lib.clocks().size() == 47);
    CHECK(lib.find("Horvath2013")->cpgs.size() == 353);
    CHECK(lib.find("DNAmTL2019")->cpgs.size() == 140);
    CHECK(lib.find("DunedinPACE")->cpgs.size() == 173);
    CHECK(lib.find("DunedinPACE")->def.intercept == -1.9498585554021499);
    CHECK(lib.find("Knight2016")->def.intercept == 41.725797590);
    CHECK(lib.dunedinGoldProbes().size() == 20000);
    CHECK(lib.goldstandard2().size() == 21368);
    CHECK(lib.find("EpiTOC2")->extraA.size() == 163);
    CHECK(lib.find("MiAge")->extraB.size() == 268);
    CHECK(findClockDefinition("phenoage2018")->usageFlag.find("Clock Foundation") != std::string::npos);
    CHECK(ClockLibrary::parseClockList("horvath2013, PhenoAge2018") ==
          std::vector<std::string>{"Horvath2013", "PhenoAge2018"});
    CHECK_THROWS_WITH(ClockLibrary::parseClockList("Horvath2099"), ContainsSubstring("unknown clock 'Horvath2099'"));
    CHECK(antiTrafo(-1.0) == 21.0 * std::exp(-1.0) - 1.0);
    CHECK(antiTrafo(0.5) == 30.5);
}

TEST_CASE("A: fully covered clocks match the published implementations", "[methyl][clocks]") {
    ClockLibrary lib = ClockLibrary::load(clocksDir());
    addBiolearnVariants(lib);
    ReadOptions ro;
    ro.keep = lib.requiredProbes();
    const BetaMatrix m = readBetaMatrix(sharedPath(kA + "betas.csv"), ro);
    CHECK(m.report.probesInFile == 27578);
    CHECK(m.report.outOfUnitRange == 97 + 25);
    const Predictions p = predictClocks(m, lib);
    const ExpectedTable expected = readExpected(kA + "expected.csv");
    CHECK(compareColumns(p, expected) == 12 * 16);

    // The 80 % rule: the other clocks are empty with the reason, and counts match coverage.csv.
    const auto rows = benchtop::test::readCsvRows(sharedPath(kA + "coverage.csv"));
    std::size_t checked = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const ClockResult* c = p.find(rows[i][0]);
        REQUIRE(c != nullptr);
        INFO(rows[i][0]);
        CHECK(c->required == std::stoi(rows[i][2]));
        CHECK(c->present[0] == std::stoi(rows[i][3]));
        if (rows[i][5] == "NA") {
            CHECK(std::isnan(c->values[0]));
            CHECK_THAT(c->reasons[0],
                       ContainsSubstring(rows[i][3] + " of " + rows[i][2]) || ContainsSubstring("DunedinPACE needs"));
        } else {
            CHECK_FALSE(std::isnan(c->values[0]));
        }
        ++checked;
    }
    CHECK(checked == 45);

    // Published methylclock vignette values (3 significant digits).
    const ExpectedTable vignette = readExpected(kA + "published_vignette_values.csv");
    for (std::size_t s = 0; s < p.samples.size(); ++s) {
        CHECK(std::abs(p.find("Horvath2013")->values[s] - vignette.at(p.samples[s], "Horvath")) < 0.051);
        CHECK(std::abs(p.find("PhenoAge2018")->values[s] - vignette.at(p.samples[s], "Levine")) < 0.051);
    }
}

TEST_CASE("A: partially covered clocks, present_only arithmetic and Zhang EN", "[methyl][clocks]") {
    ClockLibrary lib = libraryFor({"HorvathSkinBlood2018", "Hannum2013", "PedBE2019", "DNAmTL2019", "CorticalClock2020",
                                   "HRSInCHPhenoAge", "ZhangEN2019"});
    addBiolearnVariants(lib);
    const ExpectedTable expected = readExpected(kA + "expected_present_only.csv");
    PredictOptions o;
    o.imputation = Imputation::PresentOnly;
    o.minCoverage = 0.0;

    SECTION("streamed moments over all probes (reader keeps only clock CpGs)") {
        ReadOptions ro;
        ro.keep = lib.requiredProbes();
        ro.computeMoments = true;
        const BetaMatrix m = readBetaMatrix(sharedPath(kA + "betas.csv"), ro);
        CHECK(m.rows() < 2000);
        Predictions p = predictClocks(m, lib, o);
        CHECK(compareColumns(p, expected) == 7 * 16);
        const ClockResult* z = p.find("ZhangEN2019");
        for (std::size_t s = 0; s < 16; ++s) {
            CHECK(z->present[s] == 38);
            CHECK(std::abs(z->values[s] - expected.at(p.samples[s], "ZhangEN2019_zscore_all_probes")) <= kTol);
        }
    }
    SECTION("moments from the stored matrix, and pyaging's clock-probe scaling") {
        const BetaMatrix m = readBetaMatrix(sharedPath(kA + "betas.csv"));
        Predictions all = predictClocks(m, lib, o);
        o.zhang = ZhangScaling::ClockProbes;
        Predictions clockOnly = predictClocks(m, lib, o);
        for (std::size_t s = 0; s < 16; ++s) {
            CHECK(std::abs(all.find("ZhangEN2019")->values[s] -
                           expected.at(all.samples[s], "ZhangEN2019_zscore_all_probes")) <= kTol);
            CHECK(std::abs(clockOnly.find("ZhangEN2019")->values[s] -
                           expected.at(all.samples[s], "ZhangEN2019_zscore_clock_probes")) <= kTol);
        }
    }
}

TEST_CASE("B: DunedinPACE equals the official PACEProjector", "[methyl][clocks]") {
    const std::string dir = "fixtures/methylation/B_dunedinpace_example/";
    const ClockLibrary lib = libraryFor({"DunedinPACE"});
    const ExpectedTable expected = readExpected(dir + "expected.csv");
    ReadOptions ro;
    ro.keep = lib.requiredProbes();
    struct Case {
        std::string file, column;
    };
    for (const Case& c : {Case{"betas_with_na.csv", "DunedinPACE_official_with_na"},
                          Case{"betas_rowmean_filled.csv", "DunedinPACE_official_rowmean_filled"},
                          Case{"betas_with_na_epicv2_suffixes.csv.gz", "DunedinPACE_official_with_na"}}) {
        INFO(c.file);
        const BetaMatrix m = readBetaMatrix(sharedPath(dir + c.file), ro);
        const Predictions p = predictClocks(m, lib);
        const ClockResult* r = p.find("DunedinPACE");
        REQUIRE(p.samples.size() == 5);
        for (std::size_t s = 0; s < 5; ++s) {
            INFO(p.samples[s] << " " << r->reasons[s]);
            CHECK(std::abs(r->values[s] - expected.at(p.samples[s], c.column)) <= kTol);
            CHECK(r->present[s] == 173);
        }
        if (c.file.find("epicv2") != std::string::npos) {
            CHECK(m.report.replicatesAveraged == 998);
            CHECK(m.report.probesInFile == 20000);
        }
    }
}

TEST_CASE("B: quantile normalisation follows preprocessCore", "[methyl][clocks]") {
    const std::vector<double> target = {1, 2, 3, 4};
    std::vector<double> tied = {0.3, 0.1, 0.3, 0.9};  // ranks 2.5, 1, 2.5, 4 -> frac 0.5 > 0.4
    normalizeQuantilesToTarget(tied, target);
    CHECK(tied == std::vector<double>{2.5, 1, 2.5, 4});
    std::vector<double> withNa = {0.3, std::nan(""), 0.1, 0.9};  // n = 3: positions 1, 2.5, 4
    normalizeQuantilesToTarget(withNa, target);
    CHECK(withNa[0] == 2.5);
    CHECK(std::isnan(withNa[1]));
    CHECK(withNa[2] == 1);
    CHECK(withNa[3] == 4);
}

TEST_CASE("C: pyaging gold standard with reference fill", "[methyl][clocks]") {
    const std::string dir = "fixtures/methylation/C_pyaging_gold/";
    const auto rows = benchtop::test::readCsvRows(sharedPath(dir + "expected.csv"));
    const ExpectedTable valid = readExpected(dir + "expected_valid_range.csv");  // keys = clock
    const auto validRows = benchtop::test::readCsvRows(sharedPath(dir + "expected_valid_range.csv"));
    PredictOptions o;
    o.imputation = Imputation::Reference;
    o.minCoverage = 0.0;
    ReadOptions ro;
    ro.checkRange = false;  // |N(0.5, 1)| values are not betas; they test the arithmetic only
    std::size_t clocks = 0, validChecked = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const std::string name = rows[i][0];
        const std::string file = "biolearn/" + rows[i][1];
        const ClockDefinition* def = nullptr;
        for (const auto& d : clockDefinitions())
            if (d.file == file) def = &d;
        REQUIRE(def != nullptr);
        INFO(name << " -> " << def->id);
        const ClockLibrary lib = libraryFor({def->id});
        const BetaMatrix m = readBetaMatrix(sharedPath(dir + "inputs/" + name + ".csv"), ro);
        CHECK(m.rows() == static_cast<std::size_t>(std::stoi(rows[i][3])));
        const Predictions p = predictClocks(m, lib, o);
        const double want = std::stod(rows[i][9]);
        REQUIRE_FALSE(std::isnan(p.clocks[0].values[0]));
        CHECK(std::abs(p.clocks[0].values[0] - want) <= kTol);
        ++clocks;

        const BetaMatrix mv = readBetaMatrix(sharedPath(dir + "inputs_valid_range/" + name + ".csv"));
        const Predictions pv = predictClocks(mv, lib, o);
        for (const auto& vr : validRows) {
            if (vr[0] != name) continue;
            const auto it = std::find(pv.samples.begin(), pv.samples.end(), vr[1]);
            REQUIRE(it != pv.samples.end());
            const std::size_t s = static_cast<std::size_t>(it - pv.samples.begin());
            CHECK(std::abs(pv.clocks[0].values[s] - std::stod(vr[2])) <= kTol);
            ++validChecked;
        }
    }
    CHECK(clocks == 27);
    CHECK(validChecked == 81);
}

TEST_CASE("D: every format variant gives the same predictions", "[methyl][clocks]") {
    ClockLibrary lib = ClockLibrary::load(clocksDir());
    addBiolearnVariants(lib);
    const ExpectedTable expected = readExpected(kD + "expected.csv");
    const ExpectedTable presentOnly = readExpected(kD + "expected_present_only.csv");
    ReadOptions ro;
    ro.keep = lib.requiredProbes();
    ro.mvalues = MValueMode::Auto;
    PredictOptions po;
    po.imputation = Imputation::PresentOnly;
    po.minCoverage = 0;
    for (const char* f : {"D01_cpg_rows.csv", "D02_sample_rows.csv", "D03_cpg_rows.tsv", "D04_cpg_rows.csv.gz",
                          "D05_series_matrix.txt.gz", "D06_epicv2_suffixes.csv", "D07_mvalues.csv",
                          "D08_missing_tokens_in_nonclock_rows.csv", "D10_excel_bom_crlf_quoted.csv"}) {
        INFO(f);
        const BetaMatrix m = readBetaMatrix(sharedPath(kD + f), ro);
        CHECK(compareColumns(predictClocks(m, lib), expected) == 12 * 16);
        CHECK(compareColumns(predictClocks(m, lib, po), presentOnly) == 7 * 16);
    }
}

TEST_CASE("D09: missing cells of clock CpGs take the cohort mean", "[methyl][clocks]") {
    ClockLibrary lib = ClockLibrary::load(clocksDir());
    addBiolearnVariants(lib);
    const ExpectedTable expected = readExpected(kD + "expected_D09_cohort_mean_imputed.csv");
    const BetaMatrix m = readBetaMatrix(sharedPath(kD + "D09_missing_in_clock_cpgs.csv"));
    for (Imputation imp : {Imputation::CohortMean, Imputation::Auto}) {
        PredictOptions o;
        o.imputation = imp;
        const Predictions p = predictClocks(m, lib, o);
        CHECK(compareColumns(p, expected) == 12 * 16);
        // imputed counts = missing cells (D09_missing_cells.csv) that fall on each clock's CpGs
        const auto cells = benchtop::test::readCsvRows(sharedPath(kD + "D09_missing_cells.csv"));
        REQUIRE(cells.size() == 61);
        for (const char* id : {"Horvath2013", "PhenoAge2018", "Lin2016", "StocH"}) {
            const Clock& clock = *lib.find(id);
            const ClockResult& r = *p.find(id);
            for (std::size_t s = 0; s < 16; ++s) {
                int want = 0;
                for (std::size_t i = 1; i < cells.size(); ++i)
                    if (cells[i][1] == p.samples[s] &&
                        std::find(clock.cpgs.begin(), clock.cpgs.end(), cells[i][0]) != clock.cpgs.end())
                        ++want;
                CHECK(r.imputed[s] == want);
                CHECK(r.present[s] == r.required - want);
            }
        }
    }
    // With imputation off the affected samples are empty and say why.
    PredictOptions none;
    none.imputation = Imputation::None;
    const Predictions p = predictClocks(m, lib, none);
    const ClockResult* h = p.find("Horvath2013");
    int empty = 0;
    for (std::size_t s = 0; s < 16; ++s)
        if (std::isnan(h->values[s])) {
            ++empty;
            CHECK_THAT(h->reasons[s], ContainsSubstring("imputation is off"));
        }
    CHECK(empty > 0);
}

TEST_CASE("E: age acceleration from a shuffled sample sheet", "[methyl][clocks]") {
    const std::string dir = "fixtures/methylation/E_age_acceleration/";
    ClockLibrary lib = libraryFor({"Horvath2013", "PhenoAge2018", "Lin2016"});
    addBiolearnVariants(lib, true);
    ReadOptions ro;
    ro.keep = lib.requiredProbes();
    BetaMatrix m = readBetaMatrix(sharedPath(kA + "betas.csv"), ro);
    const SheetMatch match = applySampleSheet(readSampleSheet(sharedPath(dir + "sample_sheet.csv")), m.samples);
    CHECK(match.matched == 16);
    const PredictionOutput out = makePredictionOutput(m.samples, predictClocks(m, lib), lib);
    const ExpectedTable expected = readExpected(dir + "expected_age_acceleration.csv");
    const ExpectedTable coef = readExpected(dir + "expected_regression_coefficients.csv");
    std::size_t checked = 0;
    for (std::size_t k = 0; k < out.predictions.clocks.size(); ++k) {
        const auto& c = out.predictions.clocks[k];
        const auto& a = out.acceleration[k];
        INFO(c.clockId);
        REQUIRE(a.valid);
        for (std::size_t s = 0; s < 16; ++s) {
            const std::string& name = out.samples[s].name;
            CHECK(std::abs(c.values[s] - expected.at(name, c.clockId)) <= kTol);
            CHECK(std::abs(a.diff[s] - expected.at(name, c.clockId + "_diff")) <= kTol);
            CHECK(std::abs(a.resid[s] - expected.at(name, c.clockId + "_resid")) <= kTol);
            checked += 3;
        }
        if (coef.values.count(c.clockId)) {
            const auto& row = coef.values.at(c.clockId);
            for (const auto& [col, v] : row) {
                if (col.find("intercept") != std::string::npos || col == "a") CHECK(std::abs(a.intercept - v) <= kTol);
                if (col.find("slope") != std::string::npos || col == "b") CHECK(std::abs(a.slope - v) <= kTol);
            }
        }
    }
    CHECK(checked == 4 * 16 * 3);
    const auto& h = out.acceleration[0];
    CHECK(std::abs(h.intercept - 3.4487614705918879) <= kTol);
    CHECK(std::abs(h.slope - 0.87973202958002772) <= kTol);
}

TEST_CASE("EpiTOC2 and MiAge run on measured CpGs", "[methyl][clocks]") {
    // No oracle output exists for these two; check the formula on a hand-made matrix.
    const ClockLibrary lib = libraryFor({"EpiTOC2", "MiAge"});
    const Clock& e = *lib.find("EpiTOC2");
    const Clock& mi = *lib.find("MiAge");
    std::string text = "ID,S1\n";
    double sum = 0;
    for (std::size_t j = 0; j < e.cpgs.size(); ++j) {
        const double beta = 0.3;
        text += e.cpgs[j] + ",0.3\n";
        sum += (beta - e.extraA[j]) / (e.weights[j] * (1 - e.extraA[j]));
    }
    // MiAge CpGs generated from n = 100 divisions exactly: beta = c + b^(n-1) d
    std::string miText = "ID,S1\n";
    for (std::size_t j = 0; j < mi.cpgs.size(); ++j) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", mi.extraA[j] + std::pow(mi.weights[j], 99.0) * mi.extraB[j]);
        miText += mi.cpgs[j] + "," + buf + "\n";
    }
    ReadOptions ro;
    ro.checkRange = false;
    const Predictions p = predictClocks(parseBetaMatrix(text, "epitoc.csv", ro), lib);
    const Predictions pm = predictClocks(parseBetaMatrix(miText, "miage.csv", ro), lib);
    CHECK(std::abs(p.find("EpiTOC2")->values[0] - 2.0 * sum / e.cpgs.size()) < 1e-9);
    CHECK(std::abs(pm.find("MiAge")->values[0] - 100.0) < 0.05);
}
