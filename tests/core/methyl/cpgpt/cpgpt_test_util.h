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
