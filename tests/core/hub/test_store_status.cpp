// Partial downloads and disk usage of a model store (what the model manager shows in its table and footer).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/hub/licence_notices.h"
#include "core/common/error.h"
#include "core/hub/catalog.h"
#include "core/hub/model_store.h"
#include "core/hub/store_status.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using namespace benchtop;
using namespace benchtop::hub;
using Catch::Matchers::ContainsSubstring;

namespace {

void writeBytes(const fs::path& path, std::size_t count) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << std::string(count, 'x');
}

ModelStore storeIn(const test::TempDir& dir) {
    ModelStore store;
    store.setStoreDir(dir.file("store"));
    store.setHfCacheDirs({dir.file("hf-empty")});
    return store;
}

}  // namespace

TEST_CASE("Unfinished pulls are listed with their staged bytes; imports and work folders are not", "[hub]") {
    test::TempDir dir;
    const ModelStore store = storeIn(dir);
    CHECK(partialDownloads(store).empty());  // no store folder yet

    const fs::path staging = fs::path(store.storeDir()) / ".downloads";
    writeBytes(staging / "whisper-tiny" / "config.json", 100);
    writeBytes(staging / "whisper-tiny" / "model.safetensors.incomplete", 2500);
    writeBytes(staging / "BAAI--bge-m3" / "tokenizer.json.incomplete", 40);
    writeBytes(staging / "bge-small-en-v1.5.import" / "config.json", 10);  // an import in progress
    writeBytes(staging / ".trash-old" / "model.safetensors", 10);          // a removal in progress
    writeBytes(staging / ".unzip-abc123" / "config.json", 10);             // a zip being unpacked
    fs::create_directories(staging / "empty-attempt");                     // a pull that failed before any byte

    const auto partials = partialDownloads(store);
    REQUIRE(partials.size() == 2);
    CHECK(partials[0].id == "BAAI--bge-m3");
    CHECK(partials[0].bytes == 40);
    CHECK(partials[0].completeFiles == 0);
    CHECK(partials[0].incompleteFiles == 1);
    CHECK(partials[1].id == "whisper-tiny");
    CHECK(partials[1].bytes == 2600);
    CHECK(partials[1].completeFiles == 1);
    CHECK(partials[1].incompleteFiles == 1);
    CHECK(partials[1].path == (staging / "whisper-tiny").string());

    discardPartialDownload(store, "whisper-tiny");
    CHECK_FALSE(fs::exists(staging / "whisper-tiny"));
    REQUIRE(partialDownloads(store).size() == 1);
    CHECK_THROWS_WITH(discardPartialDownload(store, "whisper-tiny"),
                      ContainsSubstring("no unfinished download to discard"));
    CHECK_THROWS_WITH(discardPartialDownload(store, "../store"), ContainsSubstring("is not a download id"));
    CHECK(fs::exists(store.storeDir()));
}

TEST_CASE("Store usage counts model folders and staging apart and reports the volume", "[hub]") {
    test::TempDir dir;
    const ModelStore store = storeIn(dir);

    // Before the first download the store folder does not exist; the volume is still known.
    StoreUsage empty = storeUsage(store);
    CHECK(empty.modelBytes == 0);
    CHECK(empty.stagingBytes == 0);
    CHECK(empty.volumeKnown);
    CHECK(empty.capacityBytes > 0);
    CHECK(empty.freeBytes <= empty.capacityBytes);

    const fs::path root(store.storeDir());
    writeBytes(root / "horvath2013" / "Horvath1.csv", 8336);
    writeBytes(root / "horvath2013" / kStoreRecordName, 64);
    writeBytes(root / "tiny" / "1_Pooling" / "config.json", 200);
    writeBytes(root / ".downloads" / "whisper-tiny" / "model.safetensors.incomplete", 1000);
    fs::create_directory_symlink(root / "horvath2013", root / "link-to-horvath");  // not counted twice

    const StoreUsage usage = storeUsage(store);
    CHECK(usage.modelBytes == 8336 + 64 + 200);
    CHECK(usage.stagingBytes == 1000);
    CHECK(usage.volumeKnown);
    // Other processes write to the same volume: compare with a margin.
    const auto available = fs::space(root).available;
    const auto margin = std::uint64_t(256) << 20;
    CHECK(usage.freeBytes + margin >= available);
    CHECK(usage.freeBytes <= available + margin);
}

TEST_CASE("The model list joins the catalog with the store, the bundled tables and unfinished pulls", "[hub]") {
    test::TempDir dir;
    ModelStore store(Catalog::loadDefault());
    store.setStoreDir(dir.file("store"));
    store.setHfCacheDirs({dir.file("hf-empty")});
    const std::size_t catalogSize = store.catalog().entries().size();
    store.importFolder(test::sharedPath("models/tiny-bert-cls"), "tiny-bert-cls");
    const fs::path staging = fs::path(store.storeDir()) / ".downloads";
    writeBytes(staging / "whisper-tiny" / "model.safetensors.incomplete", 300);
    writeBytes(staging / "someone--other-model" / "config.json.incomplete", 20);

    const auto rows = listModels(store);
    REQUIRE(rows.size() == catalogSize + 2);
    // Catalog entries first, in catalog order.
    for (std::size_t i = 0; i < catalogSize; ++i) {
        REQUIRE(rows[i].entry);
        CHECK(rows[i].id == store.catalog().entries()[i].id);
    }
    auto byId = [&](const std::string& id) -> const ModelListing& {
        for (const auto& row : rows)
            if (row.id == id) return row;
        FAIL("no row " << id);
        return rows.front();
    };
    const ModelListing& horvath = byId("horvath2013");
    REQUIRE(horvath.local);
    CHECK(horvath.local->location == ModelLocation::Bundled);
    const ModelListing& whisper = byId("whisper-tiny");
    CHECK_FALSE(whisper.local);
    REQUIRE(whisper.partial);
    CHECK(whisper.partial->bytes == 300);
    // Then the store's own model, then the pull of a model the catalog does not know.
    CHECK(rows[catalogSize].id == "tiny-bert-cls");
    CHECK_FALSE(rows[catalogSize].entry);
    REQUIRE(rows[catalogSize].local);
    CHECK(rows[catalogSize].local->location == ModelLocation::Store);
    CHECK(rows[catalogSize + 1].id == "someone--other-model");
    CHECK_FALSE(rows[catalogSize + 1].local);
    REQUIRE(rows[catalogSize + 1].partial);
}

TEST_CASE("the terms of a catalog model are explained once each, for the CLI and the window alike", "[hub]") {
    const hub::Catalog catalog = hub::Catalog::load(BENCHTOP_TEST_CATALOG);
    const hub::CatalogEntry* dunedin = catalog.find("dunedinpace");
    REQUIRE(dunedin);
    const auto notices = hub::usageNotices(*dunedin);
    REQUIRE(notices.size() == 2);
    CHECK(notices[0].code == "research-only");
    CHECK(notices[1].code == "commercial-use-needs-licence");
    const std::string text = hub::licenceNoticeText(*dunedin);
    CHECK(text.rfind(dunedin->displayName + " (dunedinpace) is distributed under: " + dunedin->licence + ".", 0) == 0);
    CHECK(text.find("\n - Research use only") != std::string::npos);

    // A permissive model needs no confirmation.
    const hub::CatalogEntry* horvath = catalog.find("horvath2013");
    REQUIRE(horvath);
    CHECK(hub::usageNotices(*horvath).empty());
    CHECK(hub::licenceNoticeText(*horvath).empty());

    // Non-commercial licences are recognised from the licence text; flags are not repeated.
    const auto nc = hub::usageNotices(false, {"check-licence", "check-licence"}, "CC-BY-NC-4.0");
    REQUIRE(nc.size() == 2);
    CHECK(nc[0].code == "check-licence");
    CHECK(nc[1].code == "non-commercial");
    CHECK(nc[1].text == "The licence (CC-BY-NC-4.0) does not allow commercial use.");
}
