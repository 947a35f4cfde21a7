// The locus import on a dependencies folder laid out as upstream's (sqlitedict indexes + float32 mmap), built
// here from the fixture's locus.csv and dna_embeddings.npy with rows in another order, decoys and gaps.
#include <filesystem>
#include <fstream>
#include <set>

#include <sqlite3.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/methyl/beta_matrix.h"
#include "core/methyl/cpgpt/cpgpt_model.h"
#include "core/methyl/cpgpt/locus_embeddings.h"
#include "tests/core/methyl/cpgpt/cpgpt_test_util.h"

using namespace benchtop;
using namespace benchtop::test;
using namespace benchtop::test::cpgpt;

namespace {

const std::string kLlm = "nucleotide-transformer-v2-500m-multi-species";

// Protocol 4 pickle pieces, the way Python writes a dict of str keys (every string memoized).
std::string str(const std::string& s) {
    REQUIRE(s.size() < 256);
    return "\x8c" + std::string(1, static_cast<char>(s.size())) + s + "\x94";
}
std::string int32(std::int64_t v) {
    std::string out = "J";
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
}
std::string dict(const std::string& items) {
    return "}\x94(" + items + "u";
}

void writeSqliteDict(const std::string& path, const std::string& key, const std::string& pickleBody) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS \"unnamed\" (key TEXT PRIMARY KEY, value BLOB)", nullptr,
                         nullptr, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "REPLACE INTO \"unnamed\" (key, value) VALUES (?, ?)", -1, &stmt, nullptr) ==
            SQLITE_OK);
    const std::string blob = "\x80\x04" + pickleBody + ".";
    sqlite3_bind_text(stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(stmt, 2, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(stmt) == SQLITE_DONE);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

}  // namespace

TEST_CASE("locus import: the vocab's rows come out of upstream's dependency layout", "[cpgpt][import]") {
    const LocusTable truth = fixtureLocusTable();
    const std::size_t n = truth.cpgs.size();
    TempDir deps;
    // Rows of the big file: 5 decoys, then the vocab's CpGs in reverse order. Three CpGs get no location.
    const std::set<std::size_t> unplaced = {3, 77, 150};
    std::string probes, locations;
    std::vector<float> mmap(5 * 1024, 99.0f);
    std::int64_t row = 5;
    for (std::size_t k = n; k-- > 0;) {
        const std::string loc = "chr" + std::to_string(k % 22 + 1) + ":" + std::to_string(truth.positions[k]);
        if (!unplaced.count(k)) probes += str(truth.cpgs[k]) + str(loc.substr(3));
        locations += str(loc.substr(3)) + int32(row++);
        mmap.insert(mmap.end(), truth.embeddings.begin() + static_cast<std::ptrdiff_t>(k * 1024),
                    truth.embeddings.begin() + static_cast<std::ptrdiff_t>((k + 1) * 1024));
    }
    for (int d = 0; d < 50; ++d) probes += str("cg9" + std::to_string(1000000 + d)) + str("2:" + std::to_string(d));
    writeSqliteDict(deps.file("illumina_metadata.db"), "homo_sapiens", dict(probes));
    writeSqliteDict(deps.file("ensembl_metadata.db"), "homo_sapiens",
                    dict(str("vocab") + dict(str("1") + int32(0) + str("2") + int32(1)) + str(kLlm) +
                         dict(int32(2001) + dict(locations))));
    const auto dir = std::filesystem::path(deps.path()) / "dna_embeddings/homo_sapiens" / kLlm;
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "2001bp_dna_embeddings.mmap", std::ios::binary)
        .write(reinterpret_cast<const char*>(mmap.data()), static_cast<std::streamsize>(mmap.size() * 4));

    methyl::cpgpt::LocusImportReport report;
    const LocusTable t =
        methyl::cpgpt::importLocusEmbeddings(deps.path(), truth.cpgs, kLlm, 2001, 1024, "homo_sapiens", &report);
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

    CHECK_THAT(errorOf([&] { methyl::cpgpt::importLocusEmbeddings(deps.path(), truth.cpgs, kLlm, 1000, 1024); }),
               Catch::Matchers::ContainsSubstring("has no 1000 bp embedding index for " + kLlm));
    CHECK_THAT(errorOf([&] { methyl::cpgpt::importLocusEmbeddings(deps.path(), truth.cpgs, kLlm, 2001, 1000); }),
               Catch::Matchers::ContainsSubstring("not a whole number of 1000-float rows"));
    CHECK_THAT(errorOf([&] { methyl::cpgpt::importLocusEmbeddings(deps.path(), {"cgX"}, kLlm, 2001, 1024); }),
               Catch::Matchers::ContainsSubstring("places none of the 1 CpGs"));
}
