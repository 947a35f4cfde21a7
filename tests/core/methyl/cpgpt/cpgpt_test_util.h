#pragma once

// Shared by the CpGPT tests: the fixture's tiny model assembled into model folders, and tolerance checks.

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <set>

#include <sqlite3.h>

#include <catch2/catch_test_macros.hpp>

#include "core/methyl/cpgpt/locus_embeddings.h"
#include "core/tensor/npy_reader.h"
#include "tests/support/shared_paths.h"

namespace benchtop::test::cpgpt {

namespace fs = std::filesystem;
using methyl::cpgpt::LocusTable;

inline std::string fixture(const std::string& relative) {
    return sharedPath("fixtures/cpgpt/" + relative);
}

/// The fixture's stand-in for the import step: inputs/locus.csv positions + inputs/dna_embeddings.npy rows.
inline LocusTable fixtureLocusTable() {
    LocusTable t;
    std::ifstream in(fixture("inputs/locus.csv"));
    std::string line;
    std::getline(in, line);
    REQUIRE(line == "index,cpg_id,chrom_index,chrom,position");
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
        REQUIRE(f.size() == 5);
        t.cpgs.push_back(f[1]);
        t.positions.push_back(std::stoll(f[4]));
    }
    const tensor::NpyArray dna = tensor::readNpy(fixture("inputs/dna_embeddings.npy"));
    REQUIRE(dna.shape == std::vector<std::int64_t>{static_cast<std::int64_t>(t.cpgs.size()), 1024});
    t.dim = 1024;
    t.embeddings = dna.toFloats();
    t.dnaLlm = "fixture";
    t.contextLen = 2001;
    return t;
}

/// The DNA language model the fixture's dependencies folder is laid out for.
inline const std::string kFixtureLlm = "nucleotide-transformer-v2-500m-multi-species";

namespace detail {
// Protocol 4 pickle pieces, the way Python writes a dict of str keys (every string memoized).
inline std::string str(const std::string& s) {
    REQUIRE(s.size() < 256);
    return "\x8c" + std::string(1, static_cast<char>(s.size())) + s + "\x94";
}
inline std::string int32(std::int64_t v) {
    std::string out = "J";
    for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
}
inline std::string dict(const std::string& items) {
    return "}\x94(" + items + "u";
}
inline void writeSqliteDict(const std::string& path, const std::string& key, const std::string& pickleBody) {
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
}  // namespace detail

/// A CpGPT dependencies folder in upstream's layout (sqlitedict indexes + float32 mmap) at `dir`, holding `truth`'s
/// rows: 5 decoy rows, then the CpGs in reverse order; the CpGs at `unplaced` get no location; 50 decoy probes.
inline void writeFixtureDependencies(const std::string& dir, const LocusTable& truth,
                                     const std::set<std::size_t>& unplaced = {}) {
    using namespace detail;
    const std::size_t n = truth.cpgs.size();
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
    writeSqliteDict((fs::path(dir) / "illumina_metadata.db").string(), "homo_sapiens", dict(probes));
    writeSqliteDict((fs::path(dir) / "ensembl_metadata.db").string(), "homo_sapiens",
                    dict(str("vocab") + dict(str("1") + int32(0) + str("2") + int32(1)) + str(kFixtureLlm) +
                         dict(int32(2001) + dict(locations))));
    const auto emb = fs::path(dir) / "dna_embeddings/homo_sapiens" / kFixtureLlm;
    fs::create_directories(emb);
    std::ofstream(emb / "2001bp_dna_embeddings.mmap", std::ios::binary)
        .write(reinterpret_cast<const char*>(mmap.data()), static_cast<std::streamsize>(mmap.size() * 4));
}

/// A model folder in `dir`: config.yaml and vocab.json copied (or given), the weights file `weights`
/// ("model.ckpt" / "model.safetensors") linked from the fixture, and the locus table written.
inline std::string modelFolder(const TempDir& dir, const std::string& weights, const LocusTable& locus,
                               const std::string& vocabJson = {}, const std::string& configYaml = {}) {
    const fs::path out = fs::path(dir.path()) / "model";
    fs::create_directories(out);
    const fs::path tiny = fixture("tiny_model");
    std::ofstream(out / "config.yaml") << (configYaml.empty() ? readFile((tiny / "config.yaml").string()) : configYaml);
    std::ofstream(out / "vocab.json") << (vocabJson.empty() ? readFile((tiny / "vocab.json").string()) : vocabJson);
    if (!weights.empty()) fs::create_symlink(tiny / weights, out / weights);
    methyl::cpgpt::writeLocusTable((out / "locus_embeddings.safetensors").string(), locus);
    return out.string();
}

/// Expected values of an .npy of the fixture (float64 holding fp32 results).
inline std::vector<double> expected(const std::string& relative, std::vector<std::int64_t>* shape = nullptr) {
    const tensor::NpyArray a = tensor::readNpy(fixture("expected/" + relative));
    REQUIRE(a.dtype == tensor::DType::F64);
    if (shape) *shape = a.shape;
    std::vector<double> v(a.data.size() / 8);
    std::memcpy(v.data(), a.data.data(), a.data.size());
    return v;
}

/// The largest |got - want| and whether every element is within atol + 1e-5 |want| (the README's rule).
struct Closeness {
    double maxAbs = 0;
    bool within = true;
};
template <typename A, typename B>
Closeness compare(const A& got, const B& want, double atol, std::size_t offsetGot = 0, std::size_t offsetWant = 0,
                  std::size_t count = static_cast<std::size_t>(-1)) {
    Closeness c;
    const std::size_t n = std::min(count, want.size() - offsetWant);
    REQUIRE(got.size() >= offsetGot + n);
    for (std::size_t i = 0; i < n; ++i) {
        const double g = got[offsetGot + i], w = want[offsetWant + i];
        const double d = std::fabs(g - w);
        c.maxAbs = std::max(c.maxAbs, d);
        if (!(d <= atol + 1e-5 * std::fabs(w))) c.within = false;
    }
    return c;
}

}  // namespace benchtop::test::cpgpt
