// The locus import on a dependencies folder laid out as upstream's (sqlitedict indexes + float32 mmap), built
// here from the fixture's locus.csv and dna_embeddings.npy with rows in another order, decoys and gaps.
#include <filesystem>
#include <fstream>
#include <set>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/methyl/beta_matrix.h"
#include "core/methyl/cpgpt/cpgpt_model.h"
#include "core/methyl/cpgpt/locus_embeddings.h"
#include "tests/core/methyl/cpgpt/cpgpt_test_util.h"

using namespace benchtop;
using namespace benchtop::test;
using namespace benchtop::test::cpgpt;

TEST_CASE("locus import: the vocab's rows come out of upstream's dependency layout", "[cpgpt][import]") {
    const LocusTable truth = fixtureLocusTable();
    const std::size_t n = truth.cpgs.size();
    TempDir deps;
    // Rows of the big file: 5 decoys, then the vocab's CpGs in reverse order. Three CpGs get no location.
    const std::set<std::size_t> unplaced = {3, 77, 150};
    writeFixtureDependencies(deps.path(), truth, unplaced);

    methyl::cpgpt::LocusImportReport report;
    const LocusTable t =
        methyl::cpgpt::importLocusEmbeddings(deps.path(), truth.cpgs, kFixtureLlm, 2001, 1024, "homo_sapiens", &report);
    CHECK(report.requested == 200);
    CHECK(report.located == 197);
    CHECK(report.embedded == 197);
    CHECK(report.missing == std::vector<std::string>{truth.cpgs[3], truth.cpgs[77], truth.cpgs[150]});
    CHECK(t.cpgs == truth.cpgs);
    for (std::size_t k = 0; k < n; ++k) {
        INFO(truth.cpgs[k]);
        if (unplaced.count(k)) {
            CHECK(t.positions[k] == -1);
            continue;
        }
        CHECK(t.positions[k] == truth.positions[k]);
        CHECK(std::equal(t.embeddings.begin() + static_cast<std::ptrdiff_t>(k * 1024),
                         t.embeddings.begin() + static_cast<std::ptrdiff_t>((k + 1) * 1024),
                         truth.embeddings.begin() + static_cast<std::ptrdiff_t>(k * 1024)));
    }

    // A model with the imported table treats the three unplaced CpGs as unmeasured.
    TempDir a, b;
    const auto imported = methyl::cpgpt::CpgptModel::load(modelFolder(a, "model.safetensors", t));
    const auto full = methyl::cpgpt::CpgptModel::load(modelFolder(b, "model.safetensors", truth));
    CHECK(imported.locatedCpgs() == 197);
    const auto matrix = methyl::readBetaMatrix(fixture("inputs/betas.csv"));
    const auto p = imported.predict(matrix);
    REQUIRE(p.notes.size() == 1);
    CHECK(p.notes[0] == "3 of 200 vocab CpGs have no DNA embedding and count as unmeasured");
    for (std::size_t s = 0; s < 6; ++s) {
        std::vector<double> betas;
        for (std::size_t k = 0; k < n; ++k) {
            const int r = matrix.row(truth.cpgs[k]);
            betas.push_back(r < 0 || unplaced.count(k) ? std::nan("") : matrix.at(static_cast<std::size_t>(r), s));
        }
        std::vector<float> c, e;
        full.encode(betas, c, e);
        for (std::size_t k = 0; k < 3; ++k) CHECK(std::fabs(p.outputs[k].values[s] - c[k]) <= 1e-6);
    }

    CHECK_THAT(errorOf([&] { methyl::cpgpt::importLocusEmbeddings(deps.path(), truth.cpgs, kFixtureLlm, 1000, 1024); }),
               Catch::Matchers::ContainsSubstring("has no 1000 bp embedding index for " + kFixtureLlm));
    CHECK_THAT(errorOf([&] { methyl::cpgpt::importLocusEmbeddings(deps.path(), truth.cpgs, kFixtureLlm, 2001, 1000); }),
               Catch::Matchers::ContainsSubstring("not a whole number of 1000-float rows"));
    CHECK_THAT(errorOf([&] { methyl::cpgpt::importLocusEmbeddings(deps.path(), {"cgX"}, kFixtureLlm, 2001, 1024); }),
               Catch::Matchers::ContainsSubstring("places none of the 1 CpGs"));
}
