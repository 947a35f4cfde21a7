// The clock tables shipped with Benchtop (resources/clocks): what is bundled, the lookup order
// store -> bundled -> download, and `verify` on a bundled table.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/hub/catalog.h"
#include "core/hub/downloader.h"
#include "core/hub/model_store.h"
#include "core/hub/sha256.h"
#include "tests/core/hub/test_http_server.h"
#include "tests/support/scoped_env.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using namespace benchtop;
using namespace benchtop::hub;
using Catch::Matchers::ContainsSubstring;
using test::TestHttpServer;

using benchtop::test::ScopedEnv;

namespace {

const std::string kHorvathSha = "c35043ada7c3daec3ed604cbd18aa5098e9ab4e63a6f585608c4fcc70bbad861";

std::string sharedRoot() {
    return fs::path(test::sharedPath("clocks")).parent_path().string();
}

/// A bundled-tables folder holding copies of the given tables of ../shared/clocks ("biolearn/Hannum.csv").
std::string makeBundle(const test::TempDir& dir, const std::vector<std::string>& tables) {
    const fs::path root = dir.file("bundled");
    for (const auto& table : tables) {
        fs::create_directories((root / table).parent_path());
        fs::copy_file(test::sharedPath("clocks/" + table), root / table);
    }
    return root.string();
}

ModelStore makeStore(const test::TempDir& dir, const std::string& bundled) {
    ModelStore store(Catalog::load(BENCHTOP_TEST_CATALOG));
    store.setStoreDir(dir.file("store"));
    store.setHfCacheDirs({dir.file("hf-empty")});
    store.setBundledClocksDir(bundled);
    return store;
}

DownloadOptions fastOptions() {
    DownloadOptions options;
    options.retryDelayMs = 10;
    options.maxRetries = 1;
    options.stallTimeoutSeconds = 5;
    return options;
}

using benchtop::test::errorOf;

}  // namespace

TEST_CASE("Every catalog clock table is bundled byte-identical, with its provenance in index.json", "[hub][bundled]") {
    const auto catalog = Catalog::load(BENCHTOP_TEST_CATALOG);
    const fs::path bundled = BENCHTOP_TEST_BUNDLED_CLOCKS;
    const auto index = nlohmann::json::parse(test::readFile((bundled / "index.json").string()));
    REQUIRE(index["tables"].size() == 49);
    std::set<std::string> indexed;
    for (const auto& e : catalog.entries()) {
        if (e.family != ModelFamily::Clock) continue;
        INFO(e.id);
        const std::string relative = clockTablePath(e);
        REQUIRE_FALSE(relative.empty());
        const fs::path file = bundled / relative;
        REQUIRE(fs::is_regular_file(file));
        // The catalog's digest, and the very bytes of the shared copy the bundle was made from.
        CHECK(sha256File(file.string()) == clockTableSha256(e));
        CHECK(fs::file_size(file) == clockTableBytes(e));
        CHECK(test::readFile(file.string()) == test::readFile(test::sharedPath("clocks/" + relative)));
        const auto it = std::find_if(index["tables"].begin(), index["tables"].end(),
                                     [&](const auto& t) { return t["id"] == e.id; });
        REQUIRE(it != index["tables"].end());
        CHECK((*it)["file"] == relative);
        CHECK((*it)["sha256"] == clockTableSha256(e));
        CHECK((*it)["source_url"] == e.files.front().url);
        CHECK((*it)["upstream_commit"] == e.extra.at("upstream_commit"));
        CHECK((*it)["licence"] == e.licence);
        CHECK((*it)["citation"] == e.citation);
        CHECK((*it)["usage_flag"] == e.extra.at("usage_flag"));
        CHECK((*it)["research_only"] == e.researchOnly);
        CHECK((*it)["usage_flags"].get<std::vector<std::string>>() == e.usageFlags);
        indexed.insert(e.id);
    }
    CHECK(indexed.size() == 49);
    // The usage flags the issue names travel with the tables.
    const auto flagsOf = [&](const std::string& id) {
        for (const auto& t : index["tables"])
            if (t["id"] == id) return t["usage_flags"].get<std::vector<std::string>>();
        return std::vector<std::string>{"(absent)"};
    };
    for (const char* id : {"phenoage2018", "horvathskinblood2018", "dnamtl2019"})
        CHECK(flagsOf(id) == std::vector<std::string>{"commercial-use-needs-licence"});
    for (const auto& t : index["tables"])
        if (t["id"] == "dunedinpace") CHECK(t["research_only"] == true);
    CHECK(fs::is_regular_file(bundled / "LICENSES" / "biolearn_LICENSE.txt"));
    CHECK(fs::is_regular_file(bundled / "LICENSES" / "methylclock_LICENSE.txt"));
}

TEST_CASE("The bundled tables are found beside the executable, in the source tree, or at the override",
          "[hub][bundled]") {
    {
        ScopedEnv unset("BENCHTOP_BUNDLED_CLOCKS_DIR", std::nullopt);
        // The test binary has no share/benchtop/clocks beside it: the source tree's folder is used.
        CHECK(fs::equivalent(ModelStore::defaultBundledClocksDir(), BENCHTOP_TEST_BUNDLED_CLOCKS));
        const ModelStore store(Catalog::load(BENCHTOP_TEST_CATALOG));
        CHECK(store.bundled().size() == 49);
    }
    ScopedEnv override("BENCHTOP_BUNDLED_CLOCKS_DIR", std::string("/nonexistent/clocks"));
    CHECK(ModelStore::defaultBundledClocksDir() == "/nonexistent/clocks");
    const ModelStore store(Catalog::load(BENCHTOP_TEST_CATALOG));
    CHECK(store.bundled().empty());
    CHECK_FALSE(store.findClockTable("horvath2013"));
}

TEST_CASE("Lookup order: the store beats a bundled table, which beats a download", "[hub][bundled]") {
    TestHttpServer server(sharedRoot());
    ScopedEnv mirror("BENCHTOP_URL_MIRROR", server.baseUrl());
    test::TempDir dir;
    const std::string bundled = makeBundle(dir, {"biolearn/Horvath1.csv", "biolearn/Hannum.csv"});
    auto store = makeStore(dir, bundled);

    // Bundled, nothing in the store: the bundled copy, without any request.
    auto horvath = store.findClockTable("Horvath2013");
    REQUIRE(horvath);
    CHECK(horvath->location == ModelLocation::Bundled);
    CHECK(horvath->catalogId == "horvath2013");
    CHECK(fs::equivalent(horvath->file, fs::path(bundled) / "biolearn" / "Horvath1.csv"));
    const auto found = store.find("horvath2013");
    REQUIRE(found);
    CHECK(found->location == ModelLocation::Bundled);
    CHECK(found->validation.ok);
    CHECK(found->bytes == 8336);
    CHECK(found->revision == "180852e2bab473303cb85da627178b1695ee9d86");
    CHECK(fs::equivalent(store.resolve("horvath2013"), fs::path(bundled) / "biolearn"));
    CHECK(store.installed().empty());
    REQUIRE(store.bundled().size() == 2);
    CHECK(store.bundled()[0].id == "hannum2013");
    CHECK(store.bundled()[1].id == "horvath2013");

    // Neither in the store nor bundled: it has to be downloaded.
    CHECK_FALSE(store.findClockTable("phenoage2018"));
    CHECK_THAT(errorOf([&] { store.resolve("phenoage2018"); }), ContainsSubstring("not downloaded"));
    Downloader downloader(store, fastOptions());
    downloader.pull("phenoage2018");
    CHECK(server.requestCount() == 1);
    auto pheno = store.findClockTable("phenoage2018");
    REQUIRE(pheno);
    CHECK(pheno->location == ModelLocation::Store);
    CHECK(pheno->file == (fs::path(store.storeDir()) / "phenoage2018" / "PhenoAge.csv").string());
    CHECK(server.requestCount() == 1);
    // Both tables come from bio-learn/biolearn: the stored PhenoAge table is never taken for Horvath's.
    CHECK(store.find("horvath2013")->location == ModelLocation::Bundled);
    CHECK(store.find("phenoage2018")->location == ModelLocation::Store);

    // A bundled table can still be pulled; the store copy then wins.
    const std::string pulled = downloader.pull("horvath2013");
    REQUIRE(server.requestCount() == 2);
    CHECK_THAT(server.requests()[1].path, ContainsSubstring("/biolearn/data/Horvath1.csv"));
    CHECK(pulled == (fs::path(store.storeDir()) / "horvath2013").string());
    horvath = store.findClockTable("horvath2013");
    REQUIRE(horvath);
    CHECK(horvath->location == ModelLocation::Store);
    CHECK(horvath->file == (fs::path(pulled) / "Horvath1.csv").string());
    CHECK(store.find("horvath2013")->location == ModelLocation::Store);
    // Pulling again is a no-op now that the store has it.
    downloader.pull("horvath2013");
    CHECK(server.requestCount() == 2);

    // Removing the store copy falls back to the bundled one; the bundled one itself cannot be removed.
    store.remove("horvath2013");
    CHECK(store.findClockTable("horvath2013")->location == ModelLocation::Bundled);
    CHECK(store.findClockTable("phenoage2018")->location == ModelLocation::Store);
    CHECK_THAT(errorOf([&] { store.remove("horvath2013"); }),
               ContainsSubstring("is bundled with Benchtop") && ContainsSubstring("cannot be removed"));
    CHECK(fs::is_regular_file(fs::path(bundled) / "biolearn" / "Horvath1.csv"));
}

TEST_CASE("A reference table converted from R data is bundled as its CSV", "[hub][bundled]") {
    test::TempDir dir;
    auto store = makeStore(dir, makeBundle(dir, {"reference/Horvath2013_goldstandard2.csv"}));
    const auto* entry = store.catalog().findClockTable("reference/Horvath2013_goldstandard2.csv");
    REQUIRE(entry);
    CHECK(entry->id == "horvath2013_goldstandard2");
    CHECK(entry->files.front().path == "probeAnnotation21kdatMethUsed.rda");
    CHECK(clockTableFile(*entry) == "Horvath2013_goldstandard2.csv");
    const auto table = store.findClockTable(entry->id);
    REQUIRE(table);
    CHECK(table->location == ModelLocation::Bundled);
    CHECK(fs::path(table->file).filename() == "Horvath2013_goldstandard2.csv");
    const auto result = store.verify(entry->id);
    INFO(result.problem);
    CHECK(result.ok);
    // Looked up by the table's path in the clocks layout, and by its bare name.
    CHECK(store.catalog().findClockTable("biolearn/Horvath1.csv")->id == "horvath2013");
    CHECK(store.catalog().findClockTable("Hannum.csv")->id == "hannum2013");
    CHECK(store.catalog().findClockTable("biolearn/NoSuchClock.csv") == nullptr);
}

TEST_CASE("verify re-hashes a bundled table and names one whose SHA-256 is wrong", "[hub][bundled]") {
    test::TempDir dir;
    const std::string bundled = makeBundle(dir, {"biolearn/Horvath1.csv"});
    auto store = makeStore(dir, bundled);
    auto result = store.verify("horvath2013");
    INFO(result.problem);
    REQUIRE(result.ok);
    CHECK(result.files == std::vector<std::string>{"Horvath1.csv"});

    // Same size, one byte changed: only the digest can tell.
    const fs::path file = fs::path(bundled) / "biolearn" / "Horvath1.csv";
    fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
    std::string bytes = test::readFile(file.string());
    bytes[bytes.size() - 2] = bytes[bytes.size() - 2] == '1' ? '2' : '1';
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
    REQUIRE(fs::file_size(file) == 8336);
    CHECK(store.find("horvath2013")->validation.ok);  // a lookup checks only the size
    result = store.verify("horvath2013");
    CHECK_FALSE(result.ok);
    CHECK_THAT(result.problem, ContainsSubstring(file.string()) &&
                                   ContainsSubstring("SHA-256 is " + sha256File(file.string())) &&
                                   ContainsSubstring("expected " + kHorvathSha));

    // A truncated table is unusable at once: the job looks further (store, download) instead of reading it.
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes.substr(0, 100);
    const auto broken = store.find("horvath2013");
    REQUIRE(broken);
    CHECK_FALSE(broken->validation.ok);
    CHECK_THAT(broken->validation.problem, ContainsSubstring("has 100 bytes, the catalog says 8336") &&
                                               ContainsSubstring("benchtop-cli models pull horvath2013"));
    CHECK_FALSE(store.findClockTable("horvath2013"));
    CHECK_FALSE(store.verify("horvath2013").ok);
}
