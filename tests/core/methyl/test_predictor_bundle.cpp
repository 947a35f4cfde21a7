// TorchScript predictor bundles: the committed test bundle (tools/methylation/make_test_bundle.py) against the
// outputs Python computed for fixture D09, zips made here, malformed bundles, and the methylation task.
//
// Tolerance: |value - expected| <= 1e-5 * max(1, |expected|). The network runs in float32 both here and in
// Python and the inputs are built in float64 the same way, so only the float32 summation order of the GEMM
// may differ between builds (measured here with libtorch 1.13: max |diff| 1.1e-16, i.e. identical floats).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include <zlib.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/engine/engine.h"
#include "core/engine/task.h"
#include "core/hub/catalog.h"
#include "core/hub/model_store.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/methylation_task.h"
#include "core/methyl/predictor_bundle.h"
#include "tests/core/methyl/methyl_test_util.h"

using namespace benchtop;
using benchtop::test::sharedPath;
using Catch::Matchers::ContainsSubstring;

namespace {
/// float32 outputs of the same network on another batch shape or CPU kernel differ in summation order:
/// allow a few float32 ulps of relative error (values here are ages ~50 and probabilities).
bool sameFloat32(double a, double b) {
    if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
    return std::abs(a - b) <= 64 * 1.1920929e-7 * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}
}  // namespace
namespace fs = std::filesystem;

namespace {

const std::string kBundle = std::string(BENCHTOP_TEST_DATA_DIR) + "/methylation/test-bundle";
const char* kD09 = "fixtures/methylation/D_format_variants/D09_missing_in_clock_cpgs.csv";
const std::vector<std::string> kOutputs = {"TestMlpAge", "TestMlpRisk"};
constexpr double kRelTol = 1e-5;

bool close(double value, double expected) {
    return std::abs(value - expected) <= kRelTol * std::max(1.0, std::abs(expected));
}

/// expected.csv / expected_variants.csv: (variant, sample) -> outputs.
std::map<std::pair<std::string, std::string>, std::vector<double>> readBundleExpected(const std::string& file) {
    std::map<std::pair<std::string, std::string>, std::vector<double>> out;
    const auto rows = test::readCsvRows(kBundle + "/" + file);
    REQUIRE(rows.size() > 1);
    const bool variants = rows[0][0] == "variant";
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::size_t first = variants ? 2 : 1;
        std::vector<double> v;
        for (std::size_t k = first; k < row.size(); ++k) v.push_back(std::stod(row[k]));
        out[{variants ? row[0] : std::string(), row[first - 1]}] = v;
    }
    return out;
}

methyl::BetaMatrix readD09() {
    return methyl::readBetaMatrix(sharedPath(kD09));
}

/// A copy of the test bundle in `dir`, with its manifest changed by `edit`.
std::string copyBundle(const std::string& dir, const std::function<void(nlohmann::json&)>& edit = {}) {
    const fs::path to = fs::path(dir) / "bundle";
    fs::create_directories(to);
    for (const char* f : {"manifest.json", "cpgs.txt", "model.pt"}) fs::copy_file(fs::path(kBundle) / f, to / f);
    if (edit) {
        std::ifstream in(to / "manifest.json");
        nlohmann::json j = nlohmann::json::parse(in);
        in.close();
        edit(j);
        std::ofstream(to / "manifest.json") << j.dump(2);
    }
    return to.string();
}

void writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// A minimal zip writer (stored or raw-deflated members) for bundles made at test time.
void writeZip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& members, bool deflate) {
    std::string out, central;
    auto u16 = [](std::string& s, unsigned v) {
        s += static_cast<char>(v & 0xff);
        s += static_cast<char>((v >> 8) & 0xff);
    };
    auto u32 = [&](std::string& s, unsigned long v) {
        u16(s, static_cast<unsigned>(v & 0xffff));
        u16(s, static_cast<unsigned>((v >> 16) & 0xffff));
    };
    for (const auto& [name, data] : members) {
        const auto crc = ::crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size()));
        std::string payload = data;
        if (deflate) {
            z_stream zs{};
            REQUIRE(deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
            payload.assign(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
            zs.avail_in = static_cast<uInt>(data.size());
            zs.next_out = reinterpret_cast<Bytef*>(payload.data());
            zs.avail_out = static_cast<uInt>(payload.size());
            REQUIRE(::deflate(&zs, Z_FINISH) == Z_STREAM_END);
            payload.resize(zs.total_out);
            deflateEnd(&zs);
        }
        const unsigned long offset = out.size();
        const unsigned method = deflate ? 8 : 0;
        std::string local;
        u32(local, 0x04034b50);
        u16(local, 20);
        u16(local, 0);
        u16(local, method);
        u16(local, 0);
        u16(local, 0x21);
        u32(local, crc);
        u32(local, payload.size());
        u32(local, data.size());
        u16(local, static_cast<unsigned>(name.size()));
        u16(local, 0);
        out += local + name + payload;
        u32(central, 0x02014b50);
        u16(central, 20);
        u16(central, 20);
        u16(central, 0);
        u16(central, method);
        u16(central, 0);
        u16(central, 0x21);
        u32(central, crc);
        u32(central, payload.size());
        u32(central, data.size());
        u16(central, static_cast<unsigned>(name.size()));
        u16(central, 0);
        u16(central, 0);
        u16(central, 0);
        u16(central, 0);
        u32(central, 0);
        u32(central, offset);
        central += name;
    }
    const unsigned long cdOffset = out.size();
    out += central;
    u32(out, 0x06054b50);
    u16(out, 0);
    u16(out, 0);
    u16(out, static_cast<unsigned>(members.size()));
    u16(out, static_cast<unsigned>(members.size()));
    u32(out, central.size());
    u32(out, cdOffset);
    u16(out, 0);
    writeText(path, out);
}

std::vector<std::pair<std::string, std::string>> bundleMembers(const std::string& prefix = {},
                                                               const std::string& skip = {}) {
    std::vector<std::pair<std::string, std::string>> m;
    for (const char* f : {"manifest.json", "cpgs.txt", "model.pt"})
        if (skip != f) m.emplace_back(prefix + f, test::readFile(kBundle + "/" + f));
    return m;
}

/// Checks every sample's outputs against a variant of the Python expectations.
void checkAgainst(const std::vector<methyl::ClockResult>& results, const methyl::BetaMatrix& m, const std::string& file,
                  const std::string& variant) {
    const auto expected = readBundleExpected(file);
    REQUIRE(results.size() == kOutputs.size());
    double maxDiff = 0;
    for (std::size_t k = 0; k < kOutputs.size(); ++k) {
        CHECK(results[k].clockId == kOutputs[k]);
        REQUIRE(results[k].values.size() == m.cols());
        for (std::size_t s = 0; s < m.cols(); ++s) {
            const auto it = expected.find({variant, m.samples[s].name});
            REQUIRE(it != expected.end());
            INFO(variant << " " << kOutputs[k] << " " << m.samples[s].name);
            CHECK(close(results[k].values[s], it->second[k]));
            maxDiff = std::max(maxDiff, std::abs(results[k].values[s] - it->second[k]));
        }
    }
    UNSCOPED_INFO(variant << ": max |diff| vs Python " << maxDiff);
}

/// A TaskContext without an engine, as in test_methyl_task.cpp.
class BundleContext : public engine::TaskContext {
public:
    BundleContext(engine::JobSpec spec, std::string dir) : m_spec(std::move(spec)), m_dir(std::move(dir)) {
        m_device.device.id = "cpu";
        m_device.device.kind = device::DeviceKind::Cpu;
        m_device.precision = device::Precision::Fp32;
    }
    engine::JobId jobId() const override { return 1; }
    const engine::JobSpec& spec() const override { return m_spec; }
    const device::DeviceChoice& device() const override { return m_device; }
    bool cancelled() const override { return false; }
    void setExpectedTotal(double) override {}
    void addProgress(double) override {}
    std::string outputPath(const std::string& fileName) override { return m_dir + "/" + fileName + ".part"; }
    void setSummary(const std::string& s) override { summary = s; }
    void log(const std::string& message) override { logs.push_back(message); }
    std::string summary;
    std::vector<std::string> logs;

private:
    engine::JobSpec m_spec;
    std::string m_dir;
    device::DeviceChoice m_device;
};

/// Runs the methylation task like the engine does (load, read, one batch, finish, unload).
void runTask(const engine::JobSpec& spec, BundleContext& ctx) {
    auto task = methyl::methylationTaskKind().create(spec);
    task->load(ctx);
    std::vector<engine::Item> items;
    task->read(ctx, [&](engine::Item&& item) { items.push_back(std::move(item)); });
    std::vector<engine::Item*> batch;
    for (auto& it : items) batch.push_back(&it);
    task->run(ctx, batch);
    task->finish(ctx, items);
    task->unload(ctx);
}

}  // namespace

TEST_CASE("the test bundle reproduces the outputs computed in Python", "[methyl][bundle]") {
    const auto bundle = methyl::PredictorBundle::load(kBundle);
    CHECK(bundle.manifest().name == "benchtop-test-mlp");
    CHECK(bundle.cpgs().size() == 200);
    CHECK(bundle.manifest().inputKind == methyl::BundleInputKind::Beta);
    CHECK(bundle.manifest().imputation == methyl::BundleImputation::CohortMean);
    REQUIRE(bundle.manifest().outputs.size() == 2);
    CHECK(bundle.manifest().outputs[1].transform == methyl::Transform::Sigmoid);

    const auto m = readD09();
    REQUIRE(m.cols() == 16);
    methyl::BundleRunOptions o;
    std::string note;
    const auto results = bundle.predict(m, o, &note);
    CHECK(note == "fp32");
    checkAgainst(results, m, "expected.csv", "");

    // Coverage per sample, counted independently: the bundle CpGs of D09 minus the fixture's missing cells.
    std::set<std::string> inFile(m.cpgs.begin(), m.cpgs.end());
    int inBundleAndFile = 0;
    for (const auto& c : bundle.cpgs()) inBundleAndFile += inFile.count(c) ? 1 : 0;
    CHECK(inBundleAndFile == 190);
    const std::set<std::string> bundleCpgs(bundle.cpgs().begin(), bundle.cpgs().end());
    std::map<std::string, int> missingPerSample;
    for (const auto& row :
         test::readCsvRows(sharedPath("fixtures/methylation/D_format_variants/D09_missing_cells.csv")))
        if (row[0] != "cpg" && bundleCpgs.count(row[0])) ++missingPerSample[row[1]];
    int totalMissing = 0;
    for (std::size_t s = 0; s < m.cols(); ++s) {
        const int present = 190 - missingPerSample[m.samples[s].name];
        totalMissing += missingPerSample[m.samples[s].name];
        for (const auto& r : results) {
            CHECK(r.required == 200);
            CHECK(r.present[s] == present);
            CHECK(r.imputed[s] == 200 - present);
            CHECK(r.reasons[s].empty());
        }
    }
    CHECK(totalMissing == 60);  // every missing cell of D09 lies in a bundle CpG (the generator picks them all)

    // Batching does not change the values: one sample per forward pass, and all at once.
    for (int batch : {1, 5, 64}) {
        o.batchSize = batch;
        const auto again = bundle.predict(m, o);
        for (std::size_t k = 0; k < results.size(); ++k)
            for (std::size_t s = 0; s < m.cols(); ++s) CHECK(close(again[k].values[s], results[k].values[s]));
    }
}

TEST_CASE("imputation methods and M-value input follow the manifest", "[methyl][bundle]") {
    const auto m = readD09();
    struct Variant {
        const char* name;
        const char* method;
        const char* kind;
    };
    for (const Variant v : {Variant{"reference", "reference", "beta"}, Variant{"sample_mean", "sample_mean", "beta"},
                            Variant{"m_input", "cohort_mean", "m"}}) {
        test::TempDir dir;
        const std::string path = copyBundle(dir.path(), [&](nlohmann::json& j) {
            j["input"]["imputation"]["method"] = v.method;
            j["input"]["kind"] = v.kind;
        });
        const auto bundle = methyl::PredictorBundle::load(path);
        checkAgainst(bundle.predict(m, {}), m, "expected_variants.csv", v.name);
    }
}

TEST_CASE("samples below the coverage threshold get no value and a reason", "[methyl][bundle]") {
    const auto bundle = methyl::PredictorBundle::load(kBundle);
    const auto m = readD09();
    const auto all = bundle.predict(m, {});
    const int best = *std::max_element(all[0].present.begin(), all[0].present.end());
    methyl::BundleRunOptions o;
    o.minCoverage = best / 200.0;  // only the samples with the fewest missing cells pass
    const auto results = bundle.predict(m, o);
    int empty = 0;
    for (std::size_t s = 0; s < m.cols(); ++s) {
        const int present = all[0].present[s];
        CHECK(std::isnan(results[0].values[s]) == (present < best));
        if (present < best) {
            ++empty;
            CHECK_THAT(results[1].reasons[s], ContainsSubstring(std::to_string(present) + " of 200 CpGs present"));
            CHECK_THAT(results[1].reasons[s], ContainsSubstring("required)"));
        } else {
            CHECK(sameFloat32(results[0].values[s], all[0].values[s]));
        }
    }
    CHECK(empty > 0);
    CHECK(empty < 16);
}

TEST_CASE("a zipped bundle gives the same outputs as the folder", "[methyl][bundle]") {
    test::TempDir dir;
    const auto m = readD09();
    const auto folder = methyl::PredictorBundle::load(kBundle).predict(m, {});
    const std::vector<std::pair<std::string, bool>> zips = {
        {dir.file("stored.zip"), false}, {dir.file("deflated.zip"), true}, {dir.file("nested.zip"), true}};
    writeZip(zips[0].first, bundleMembers(), false);
    writeZip(zips[1].first, bundleMembers(), true);
    writeZip(zips[2].first, bundleMembers("test-bundle/"), true);
    for (const auto& [path, deflated] : zips) {
        INFO(path);
        CHECK(methyl::looksLikeBundle(path));
        CHECK(methyl::resolveBundlePath(path) == path);
        const auto bundle = methyl::PredictorBundle::load(path);
        const auto results = bundle.predict(m, {});
        for (std::size_t k = 0; k < results.size(); ++k)
            for (std::size_t s = 0; s < m.cols(); ++s) CHECK(sameFloat32(results[k].values[s], folder[k].values[s]));
    }
}

TEST_CASE("malformed bundles are rejected with the file and the problem", "[methyl][bundle]") {
    test::TempDir dir;
    auto loadError = [](const std::string& path) {
        try {
            methyl::PredictorBundle::load(path);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        FAIL("no error for " << path);
        return std::string();
    };
    SECTION("manifest: not JSON") {
        const auto b = copyBundle(dir.path());
        writeText(b + "/manifest.json", "{\"name\": \"x\",");
        const auto e = loadError(b);
        CHECK_THAT(e, ContainsSubstring("manifest.json"));
        CHECK_THAT(e, ContainsSubstring("is not valid JSON"));
    }
    SECTION("manifest: missing key") {
        const auto e = loadError(copyBundle(dir.path(), [](nlohmann::json& j) { j.erase("outputs"); }));
        CHECK_THAT(e, ContainsSubstring("manifest.json"));
        CHECK_THAT(e, ContainsSubstring("missing key 'outputs'"));
    }
    SECTION("manifest: wrong type") {
        const auto e = loadError(copyBundle(dir.path(), [](nlohmann::json& j) { j["batch_size"] = "8"; }));
        CHECK_THAT(e, ContainsSubstring("key 'batch_size' must be a positive integer"));
        const auto e2 = loadError(copyBundle(dir.path() + "/2", [](nlohmann::json& j) { j["input"]["kind"] = 1; }));
        CHECK_THAT(e2, ContainsSubstring("key 'input.kind' must be a string (got an integer)"));
    }
    SECTION("manifest: unknown transform") {
        const auto e =
            loadError(copyBundle(dir.path(), [](nlohmann::json& j) { j["outputs"][1]["transform"] = "softmax"; }));
        CHECK_THAT(e, ContainsSubstring("manifest.json"));
        CHECK_THAT(e, ContainsSubstring("key 'outputs[1].transform' has the unknown transform 'softmax'"));
    }
    SECTION("manifest: unknown key") {
        const auto e = loadError(copyBundle(dir.path(), [](nlohmann::json& j) { j["input"]["knd"] = "beta"; }));
        CHECK_THAT(e, ContainsSubstring("unknown key 'input.knd'"));
    }
    SECTION("manifest: task is not methylation") {
        const auto e = loadError(copyBundle(dir.path(), [](nlohmann::json& j) { j["task"] = "text"; }));
        CHECK_THAT(e, ContainsSubstring("key 'task' is 'text'"));
        CHECK_THAT(e, ContainsSubstring("not a methylation predictor"));
    }
    SECTION("manifest: imputation values do not match cpgs.txt") {
        const auto e = loadError(copyBundle(dir.path(), [](nlohmann::json& j) {
            j["input"]["imputation"]["values"] = nlohmann::json::array({0.5, 0.5, 0.5});
        }));
        CHECK_THAT(e, ContainsSubstring("key 'input.imputation.values' has 3 values but cpgs.txt lists 200 CpGs"));
    }
    SECTION("manifest: more outputs than the network returns") {
        const auto e = loadError(copyBundle(dir.path(), [](nlohmann::json& j) {
            j["outputs"].push_back({{"name", "Extra"}, {"unit", "score"}});
        }));
        CHECK_THAT(e, ContainsSubstring("key 'outputs' lists 3 outputs but model.pt returns 2 values per sample"));
    }
    SECTION("missing cpgs.txt") {
        const auto b = copyBundle(dir.path());
        fs::remove(b + "/cpgs.txt");
        const auto e = loadError(b);
        CHECK_THAT(e, ContainsSubstring("cpgs.txt"));
        CHECK_THAT(e, ContainsSubstring("missing from the bundle"));
    }
    SECTION("cpgs.txt: fewer CpGs than the network's input width") {
        // Without per-CpG imputation values, so that the count check against them does not fire first.
        const auto b = copyBundle(dir.path(), [](nlohmann::json& j) { j["input"]["imputation"].erase("values"); });
        std::string cpgs = test::readFile(b + "/cpgs.txt");
        cpgs.erase(cpgs.rfind('\n', cpgs.size() - 2) + 1);  // drop the last id
        writeText(b + "/cpgs.txt", cpgs);
        const auto e = loadError(b);
        CHECK_THAT(e, ContainsSubstring("model.pt: does not accept 2 samples x 199 CpGs"));
        CHECK_THAT(e, ContainsSubstring("cpgs.txt lists 199"));
    }
    SECTION("cpgs.txt: a header line") {
        const auto b = copyBundle(dir.path());
        writeText(b + "/cpgs.txt", "probe\n" + test::readFile(kBundle + "/cpgs.txt"));
        const auto e = loadError(b);
        CHECK_THAT(e, ContainsSubstring("cpgs.txt:1"));
        CHECK_THAT(e, ContainsSubstring("'probe' is not an Illumina probe id"));
    }
    SECTION("corrupt model.pt") {
        const auto b = copyBundle(dir.path());
        const std::string model = test::readFile(b + "/model.pt");
        writeText(b + "/model.pt", model.substr(0, model.size() / 2));  // a truncated download
        const auto e = loadError(b);
        CHECK_THAT(e, ContainsSubstring("model.pt"));
        CHECK_THAT(e, ContainsSubstring("is not a TorchScript module"));
        writeText(b + "/model.pt", "not a model at all");
        CHECK_THAT(loadError(b), ContainsSubstring("is not a TorchScript module"));
    }
    SECTION("zip with a missing member") {
        writeZip(dir.file("no-model.zip"), bundleMembers("", "model.pt"), true);
        const auto e = loadError(dir.file("no-model.zip"));
        CHECK_THAT(e, ContainsSubstring("no-model.zip"));
        CHECK_THAT(e, ContainsSubstring("the zip has no member 'model.pt'"));
        writeZip(dir.file("no-manifest.zip"), bundleMembers("", "manifest.json"), false);
        CHECK_THAT(loadError(dir.file("no-manifest.zip")), ContainsSubstring("the zip has no member manifest.json"));
    }
    SECTION("not a bundle at all") {
        CHECK_THROWS_WITH(methyl::resolveBundlePath(sharedPath("clocks")), ContainsSubstring("without manifest.json"));
        CHECK_THROWS_WITH(methyl::resolveBundlePath(sharedPath(kD09)), ContainsSubstring("is not a predictor bundle"));
        writeText(dir.file("junk.zip"), "PK but not really a zip archive");
        CHECK_THROWS_WITH(methyl::PredictorBundle::load(dir.file("junk.zip")), ContainsSubstring("junk.zip"));
    }
}

TEST_CASE("reduced precision only where the manifest allows it", "[methyl][bundle]") {
    const auto m = readD09();
    const auto fp32 = methyl::PredictorBundle::load(kBundle).predict(m, {});
    methyl::BundleRunOptions o;
    o.precision = device::Precision::Bf16;
    {
        // The shipped manifest keeps fp32 whatever the job asks for.
        const auto strict = methyl::PredictorBundle::load(kBundle);
        CHECK_FALSE(strict.manifest().reducedPrecision);
        std::string note;
        const auto r = strict.predict(m, o, &note);
        CHECK_THAT(note, ContainsSubstring("fp32 (the bundle's manifest does not allow reduced precision"));
        for (std::size_t s = 0; s < m.cols(); ++s) CHECK(sameFloat32(r[0].values[s], fp32[0].values[s]));
    }
    // Opted in: bf16 keeps 8 significant bits, including the output (0.25-year steps around 50 years). The
    // 200-CpG network's age stays within 1 year and the probability within 0.05 of fp32 on this fixture
    // (measured on an AMX CPU: 0.29 years, 0.010).
    test::TempDir dir;
    const auto bundle =
        methyl::PredictorBundle::load(copyBundle(dir.path(), [](nlohmann::json& j) { j["reduced_precision"] = true; }));
    std::string note;
    const auto r = bundle.predict(m, o, &note);
    CHECK_THAT(note, ContainsSubstring("bf16"));
    double maxAge = 0, maxRisk = 0;
    for (std::size_t s = 0; s < m.cols(); ++s) {
        maxAge = std::max(maxAge, std::abs(r[0].values[s] - fp32[0].values[s]));
        maxRisk = std::max(maxRisk, std::abs(r[1].values[s] - fp32[1].values[s]));
    }
    UNSCOPED_INFO("bf16 vs fp32: age " << maxAge << " years, probability " << maxRisk);
    CHECK(maxAge < 1.0);
    CHECK(maxRisk < 0.05);
    CHECK(maxAge > 0.0);  // it really ran in bf16
}

TEST_CASE("the methylation task runs a bundle given as the model", "[methyl][bundle][task]") {
    test::TempDir dir;
    engine::JobSpec spec;
    spec.task = "methylation";
    spec.inputs = {sharedPath(kD09)};
    spec.model = kBundle;
    spec.options["sample-sheet"] = sharedPath("fixtures/methylation/E_age_acceleration/sample_sheet.csv");
    spec.outputDir = dir.path();
    BundleContext ctx(spec, dir.path());
    runTask(spec, ctx);
    CHECK(ctx.summary == "16 samples x 2 predictor outputs");

    const auto expected = readBundleExpected("expected.csv");
    const auto rows = test::readCsvRows(dir.file("predictions.csv.part"));
    REQUIRE(rows.size() == 17);
    const auto& h = rows[0];
    CHECK(h == std::vector<std::string>{"sample", "age", "sex", "TestMlpAge", "TestMlpAge_coverage",
                                        "TestMlpAge_imputed", "TestMlpAge_acc_diff", "TestMlpAge_acc_resid",
                                        "TestMlpRisk", "TestMlpRisk_coverage", "TestMlpRisk_imputed"});
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& e = expected.at({"", rows[r][0]});
        CHECK(close(std::stod(rows[r][3]), e[0]));
        CHECK(close(std::stod(rows[r][8]), e[1]));
        // Age acceleration (difference) for the years output, as for clocks.
        CHECK(std::abs(std::stod(rows[r][6]) - (std::stod(rows[r][3]) - std::stod(rows[r][1]))) < 1e-9);
    }

    std::ifstream jf(dir.file("predictions.json.part"));
    const nlohmann::json j = nlohmann::json::parse(jf);
    REQUIRE(j["clocks"].size() == 2);
    CHECK(j["clocks"][0]["id"] == "TestMlpAge");
    CHECK(j["clocks"][0]["kind"] == "TorchScript predictor bundle");
    CHECK(j["clocks"][0]["output"] == "predicted age, years");
    CHECK(j["clocks"][0].contains("age_regression"));
    CHECK(j["clocks"][1]["output"] == "probability");
    CHECK(j["clocks"][1]["transform"] == "sigmoid");
    CHECK_THAT(j["clocks"][1]["missing_values"].get<std::string>(), ContainsSubstring("cohort mean"));
    CHECK(j["samples"][0]["clocks"]["TestMlpRisk"]["required"] == 200);
    bool noted = false;
    for (const auto& n : j["notes"]) noted |= n.get<std::string>().find("ran on cpu in fp32") != std::string::npos;
    CHECK(noted);
}

TEST_CASE("predictors run beside clocks; store ids resolve; errors stop the job", "[methyl][bundle][task]") {
    test::TempDir dir;
    const auto m = readD09();
    SECTION("predictors option with clocks") {
        writeZip(dir.file("bundle.zip"), bundleMembers(), true);
        engine::JobSpec spec;
        spec.inputs = {sharedPath(kD09)};
        spec.model = sharedPath("clocks");
        spec.options["clocks"] = "Horvath2013,Lin2016";
        spec.options["predictors"] = dir.file("bundle.zip");
        BundleContext ctx(spec, dir.path());
        runTask(spec, ctx);
        CHECK(ctx.summary == "16 samples x 2 clocks + 2 predictor outputs");
        const auto rows = test::readCsvRows(dir.file("predictions.csv.part"));
        REQUIRE(rows.size() == 17);
        const auto& h = rows[0];
        for (const char* c : {"Horvath2013", "Lin2016", "TestMlpAge", "TestMlpRisk"})
            CHECK(std::find(h.begin(), h.end(), c) != h.end());
    }
    SECTION("a model-store id") {
        const std::string store = dir.file("store");
        ::setenv("BENCHTOP_MODELS_DIR", store.c_str(), 1);
        hub::ModelStore(hub::Catalog()).importFolder(copyBundle(dir.path()), "my-test-bundle");
        CHECK(methyl::resolveBundlePath("my-test-bundle") == (fs::path(store) / "my-test-bundle").string());
        engine::JobSpec spec;
        spec.inputs = {sharedPath(kD09)};
        spec.model = "my-test-bundle";
        BundleContext ctx(spec, dir.path());
        runTask(spec, ctx);
        ::unsetenv("BENCHTOP_MODELS_DIR");
        CHECK(ctx.summary == "16 samples x 2 predictor outputs");
        CHECK_THROWS_WITH(methyl::resolveBundlePath("no-such-bundle-id"), ContainsSubstring("no such bundle"));
    }
    SECTION("a catalog entry of family torchscript") {
        const std::string store = dir.file("store");
        const std::string catalog = dir.file("catalog.json");
        writeText(catalog, R"({"schema": 1, "models": [
            {"id": "demo-mlp", "task": "methylation", "family": "torchscript",
             "source": {"type": "url", "files": [{"path": "model.pt", "url": "https://example.invalid/model.pt"}]}},
            {"id": "demo-clock", "task": "methylation", "family": "clock",
             "source": {"type": "url", "files": [{"path": "c.csv", "url": "https://example.invalid/c.csv"}]}}]})");
        ::setenv("BENCHTOP_MODELS_DIR", store.c_str(), 1);
        ::setenv("BENCHTOP_CATALOG", catalog.c_str(), 1);
        CHECK_THROWS_WITH(methyl::resolveBundlePath("demo-mlp"),
                          ContainsSubstring("not downloaded: run `benchtop-cli models pull demo-mlp`"));
        CHECK_THROWS_WITH(methyl::resolveBundlePath("demo-clock"),
                          ContainsSubstring("is a clock model of the catalog, not a TorchScript predictor bundle"));
        // Pulled: the store folder named after the catalog id.
        fs::create_directories(store);
        fs::copy(copyBundle(dir.path()), fs::path(store) / "demo-mlp");
        const std::string resolved = methyl::resolveBundlePath("demo-mlp");
        ::unsetenv("BENCHTOP_MODELS_DIR");
        ::unsetenv("BENCHTOP_CATALOG");
        CHECK(resolved == (fs::path(store) / "demo-mlp").string());
        CHECK(methyl::PredictorBundle::load(resolved).manifest().name == "benchtop-test-mlp");
    }
    SECTION("duplicate outputs and corrupt bundles fail the job") {
        engine::JobSpec spec;
        spec.inputs = {sharedPath(kD09)};
        spec.model = kBundle;
        spec.options["predictors"] = kBundle;
        BundleContext ctx(spec, dir.path());
        auto task = methyl::methylationTaskKind().create(spec);
        CHECK_THROWS_WITH(task->load(ctx), ContainsSubstring("output 'TestMlpAge' is also an output of"));
        const auto b = copyBundle(dir.path());
        writeText(b + "/model.pt", "garbage");
        spec.options["predictors"] = b;
        spec.model.clear();
        auto task2 = methyl::methylationTaskKind().create(spec);
        CHECK_THROWS_WITH(task2->load(ctx), ContainsSubstring("model.pt: is not a TorchScript module"));
    }
}
