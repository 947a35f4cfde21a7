// Model store, catalog and downloads, against a local HTTP server that serves ../shared in the hub's layout.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/hub/catalog.h"
#include "core/hub/downloader.h"
#include "core/hub/model_family.h"
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

/// Sets an environment variable for one test and restores the previous value.

const std::string kRepo = "benchtop-test/tiny-bert-mean";
// A repo outside the catalog has its config.json read once more to learn its family.
std::uint64_t configBytes() {
    return fs::file_size(test::sharedPath("models/tiny-bert-mean/config.json"));
}

std::string sharedRoot() {
    return fs::path(test::sharedPath("models/tiny-bert-mean")).parent_path().parent_path().string();
}

/// A store in a temp folder that sees no real Hugging Face cache and no bundled clock tables (downloads are what
/// these tests exercise; test_bundled_clocks.cpp covers the bundled tables).
ModelStore makeStore(const test::TempDir& dir, Catalog catalog = {}) {
    ModelStore store(std::move(catalog));
    store.setStoreDir(dir.file("store"));
    store.setHfCacheDirs({dir.file("hf-empty")});
    store.setBundledClocksDir({});
    return store;
}

DownloadOptions fastOptions() {
    DownloadOptions options;
    options.retryDelayMs = 10;
    options.maxRetries = 2;
    options.stallTimeoutSeconds = 5;
    return options;
}

/// Files Benchtop must fetch for the tiny BERT (everything in the shared folder).
std::vector<std::string> tinyBertFiles() {
    std::vector<std::string> names;
    const fs::path dir = test::sharedPath("models/tiny-bert-mean");
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) names.push_back(fs::relative(entry.path(), dir).generic_string());
    }
    return names;
}

void requireSameFiles(const std::string& folder) {
    const fs::path source = test::sharedPath("models/tiny-bert-mean");
    for (const auto& name : tinyBertFiles()) {
        INFO(name);
        REQUIRE(fs::is_regular_file(fs::path(folder) / name));
        CHECK(test::readFile((fs::path(folder) / name).string()) == test::readFile((source / name).string()));
    }
}

std::uint64_t tinyBertBytes() {
    std::uint64_t total = 0;
    for (const auto& name : tinyBertFiles())
        total += fs::file_size(fs::path(test::sharedPath("models/tiny-bert-mean")) / name);
    return total;
}

std::size_t countFiles(const fs::path& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file()) ++n;
    }
    return n;
}

using benchtop::test::errorOf;

}  // namespace

TEST_CASE("SHA-256 matches FIPS 180-4 vectors and the clock manifest", "[hub]") {
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    CHECK(sha256File(test::sharedPath("clocks/biolearn/Horvath1.csv")) ==
          "c35043ada7c3daec3ed604cbd18aa5098e9ab4e63a6f585608c4fcc70bbad861");
}

TEST_CASE("The built-in catalog lists every clock table and the speech and text models", "[hub]") {
    const auto catalog = Catalog::load(BENCHTOP_TEST_CATALOG);
    // One clock entry per row of the manifest (49 tables, including the two reference tables).
    std::size_t clocks = 0;
    for (const auto& e : catalog.entries()) clocks += e.family == ModelFamily::Clock;
    CHECK(clocks == 49);
    CHECK(catalog.entries().size() == 71);
    // CpGPT's model zoo: the Hugging Face files of each model, both licences, and the declared outputs.
    const auto* cancer = catalog.find("cpgpt-cancer");
    REQUIRE(cancer);
    CHECK(cancer->family == ModelFamily::Cpgpt);
    CHECK(cancer->task == "methylation");
    CHECK(cancer->repo == "lucascamillomd/cpgpt-models");
    REQUIRE(cancer->files.size() == 3);
    CHECK(cancer->files[1].path == "weights/cancer.ckpt");
    CHECK(cancer->licence.find("competitions") != std::string::npos);
    CHECK(cancer->licence.find("non-commercial") != std::string::npos);
    CHECK(cancer->extra.at("outputs_default") == R"({"transform":"sigmoid","unit":"probability of cancer"})");

    const auto* horvath = catalog.find("horvath2013");
    REQUIRE(horvath);
    CHECK(horvath->task == "methylation");
    REQUIRE(horvath->files.size() == 1);
    CHECK(horvath->files[0].path == "Horvath1.csv");
    CHECK(horvath->files[0].sha256 == "c35043ada7c3daec3ed604cbd18aa5098e9ab4e63a6f585608c4fcc70bbad861");
    CHECK(horvath->files[0].bytes == 8336);
    CHECK(horvath->extra.at("intercept") == "0.695507258");
    CHECK(catalog.find("PhenoAge2018")->usageFlags == std::vector<std::string>{"commercial-use-needs-licence"});
    CHECK(catalog.find("dunedinpace")->researchOnly);
    CHECK(catalog.find("dunedinpace_gold_means"));
    CHECK(catalog.find("horvath2013_goldstandard2"));

    const auto* bge = catalog.findByRepo("baai/BGE-small-en-v1.5");
    REQUIRE(bge);
    CHECK(bge->id == "bge-small-en-v1.5");
    CHECK(bge->family == ModelFamily::Bert);
    CHECK(catalog.find("bge-m3")->family == ModelFamily::XlmRoberta);
    CHECK(catalog.find("whisper-large-v3-turbo")->repo == "openai/whisper-large-v3-turbo");
    CHECK(catalog.find("all-minilm-l6-v2")->task == "text");
}

TEST_CASE("The catalog is found through BENCHTOP_CATALOG and malformed ones are rejected", "[hub]") {
    {
        ScopedEnv env("BENCHTOP_CATALOG", BENCHTOP_TEST_CATALOG);
        CHECK(Catalog::findCatalogPath() == BENCHTOP_TEST_CATALOG);
        CHECK(Catalog::loadDefault().find("whisper-tiny"));
    }
    CHECK_THAT(errorOf([] { Catalog::parse(R"({"models":[{"id":"x","task":"text","family":"gpt"}]})", "c.json"); }),
               ContainsSubstring("model 'x'") && ContainsSubstring("\"family\" must be"));
    CHECK_THAT(errorOf([] { Catalog::parse("{", "c.json"); }), ContainsSubstring("not valid JSON"));
    // The task is the engine's task id that serves the family.
    CHECK_THAT(errorOf([] { Catalog::parse(R"({"models":[{"id":"x","task":"speech","family":"bert"}]})", "c.json"); }),
               ContainsSubstring("model 'x'") && ContainsSubstring("\"task\" must be \"text\" for a bert model"));
    CHECK(taskOf(ModelFamily::Whisper) == "speech");
    CHECK(taskOf(ModelFamily::Unknown).empty());
}

TEST_CASE("Only the files a family needs are fetched, one weight format", "[hub]") {
    const std::vector<std::string> siblings = {"README.md",         "config.json",        "model.safetensors",
                                               "pytorch_model.bin", "onnx/model.onnx",    "tf_model.h5",
                                               "tokenizer.json",    "vocab.txt",          "1_Pooling/config.json",
                                               "modules.json",      "flax_model.msgpack", "colbert_linear.pt"};
    CHECK(selectFilesForFamily(ModelFamily::Bert, siblings) ==
          std::vector<std::string>{"config.json", "tokenizer.json", "vocab.txt", "modules.json",
                                   "1_Pooling/config.json", "colbert_linear.pt", "model.safetensors"});
    CHECK(selectFilesForFamily(ModelFamily::Whisper, {"config.json", "pytorch_model.bin", "merges.txt", "vocab.json",
                                                      "normalizer.json", "tokenizer.json"}) ==
          std::vector<std::string>{"config.json", "tokenizer.json", "vocab.json", "merges.txt", "normalizer.json",
                                   "pytorch_model.bin"});
}

TEST_CASE("Model folders are validated with the reason they are unusable", "[hub]") {
    CHECK(validateModelFolder(test::sharedPath("models/tiny-bert-mean")).family == ModelFamily::Bert);
    CHECK(validateModelFolder(test::sharedPath("models/tiny-bert-mean")).ok);
    CHECK(validateModelFolder(test::sharedPath("models/tiny-whisper-v3")).family == ModelFamily::Whisper);
    CHECK(validateModelFolder(test::sharedPath("models/tiny-xlmr-m3")).family == ModelFamily::XlmRoberta);
    CHECK(validateModelFolder(test::sharedPath("models/tiny-bert-cls")).ok);  // pytorch_model.bin fallback

    test::TempDir dir;
    fs::copy_file(test::sharedPath("models/tiny-bert-mean/config.json"), dir.file("config.json"));
    auto v = validateModelFolder(dir.path());
    CHECK_FALSE(v.ok);
    CHECK_THAT(v.problem, ContainsSubstring("no weights found"));
    std::ofstream(dir.file("model.safetensors")) << "not a safetensors file";
    fs::copy_file(test::sharedPath("models/tiny-bert-mean/tokenizer.json"), dir.file("tokenizer.json"));
    v = validateModelFolder(dir.path());
    CHECK_FALSE(v.ok);
    CHECK_THAT(v.problem, ContainsSubstring("model.safetensors is not readable"));
}

TEST_CASE("A tiny model downloads from HF_ENDPOINT byte-identical and appears whole in the store", "[hub]") {
    TestHttpServer server(sharedRoot());
    server.setRedirect(true);
    server.setLinkedEtag(true);
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    test::TempDir dir;
    auto store = makeStore(dir);
    Downloader downloader(store, fastOptions());
    std::vector<DownloadProgress> events;
    downloader.setProgressCallback([&](const DownloadProgress& p) { events.push_back(p); });

    const auto path = downloader.pull(kRepo);
    CHECK(path == (fs::path(dir.file("store")) / "benchtop-test--tiny-bert-mean").string());
    requireSameFiles(path);
    // The files in the folder, plus the download record; nothing left in staging.
    CHECK(countFiles(path) == tinyBertFiles().size() + 1);
    CHECK(countFiles(fs::path(dir.file("store")) / ".downloads") == 0);
    // One API call, config.json read once to learn the family, then a 302 and a CDN request per file;
    // onnx and README were skipped.
    CHECK(server.requestCount() == 1 + 2 + 2 * static_cast<int>(tinyBertFiles().size()));
    CHECK(server.fileBytesServed() == tinyBertBytes() + configBytes());
    for (const auto& r : server.requests()) CHECK(r.path.find("onnx") == std::string::npos);

    REQUIRE_FALSE(events.empty());
    CHECK(events.back().modelBytes == tinyBertBytes());
    CHECK(events.back().modelTotal == tinyBertBytes());
    CHECK(events.back().fileCount == static_cast<int>(tinyBertFiles().size()));

    CHECK(store.resolve(kRepo) == path);
    const auto installed = store.installed();
    REQUIRE(installed.size() == 1);
    CHECK(installed[0].repo == kRepo);
    CHECK(installed[0].validation.ok);
    CHECK(installed[0].validation.family == ModelFamily::Bert);
    CHECK(store.verify(kRepo).ok);

    // The record carries digests, so verify() notices a damaged file.
    {
        std::fstream f(fs::path(path) / "vocab.txt", std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(10);
        f.put('#');
    }
    CHECK_THAT(store.verify(kRepo).problem, ContainsSubstring("vocab.txt: SHA-256 is"));

    // A second pull finds it and sends nothing.
    const int before = server.requestCount();
    CHECK(downloader.pull(kRepo) == path);
    CHECK(server.requestCount() == before);

    store.remove(kRepo);
    CHECK_FALSE(fs::exists(path));
    CHECK(store.installed().empty());
}

TEST_CASE("HF_TOKEN goes to the hub as a Bearer token, never to plain URLs", "[hub]") {
    TestHttpServer server(sharedRoot());
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    ScopedEnv token("HF_TOKEN", "hf_test_token");
    ScopedEnv mirror("BENCHTOP_URL_MIRROR", server.baseUrl());
    test::TempDir dir;
    auto store = makeStore(dir, Catalog::load(BENCHTOP_TEST_CATALOG));
    Downloader downloader(store, fastOptions());
    downloader.pull(kRepo);
    const int hubRequests = server.requestCount();
    REQUIRE(hubRequests > 0);
    for (const auto& r : server.requests()) CHECK(r.authorization == "Bearer hf_test_token");
    downloader.pull("hannum2013");
    REQUIRE(server.requestCount() == hubRequests + 1);
    CHECK(server.requests().back().authorization.empty());
}

TEST_CASE("A download cut mid-file resumes with Range instead of starting over", "[hub]") {
    TestHttpServer server(sharedRoot());
    server.cutConnectionOnceAfter(300000);  // only model.safetensors (689,864 bytes) is larger
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    test::TempDir dir;
    auto store = makeStore(dir);
    Downloader downloader(store, fastOptions());

    const auto path = downloader.pull(kRepo);
    requireSameFiles(path);
    std::vector<TestHttpServer::Request> weights;
    for (const auto& r : server.requests()) {
        if (r.path.find("model.safetensors") != std::string::npos) weights.push_back(r);
    }
    REQUIRE(weights.size() == 2);
    CHECK(weights[0].range.empty());
    CHECK(weights[0].bodyBytes == 300000);
    CHECK(weights[1].range == "bytes=300000-");
    CHECK(weights[1].status == 206);
    CHECK(weights[1].bodyBytes == 689864 - 300000);
    // Every byte was sent exactly once (config.json twice: once to learn the family).
    CHECK(server.fileBytesServed() == tinyBertBytes() + configBytes());
}

TEST_CASE("Transient server errors are retried with back-off, then give up with a clear error", "[hub]") {
    TestHttpServer server(sharedRoot());
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    test::TempDir dir;
    auto store = makeStore(dir);
    Downloader downloader(store, fastOptions());  // 2 retries
    server.failNextFileRequests(2);
    requireSameFiles(downloader.pull(kRepo));
    int unavailable = 0;
    for (const auto& r : server.requests()) unavailable += r.status == 503;
    CHECK(unavailable == 2);

    store.remove(kRepo);
    server.failNextFileRequests(3);
    CHECK_THAT(errorOf([&] { downloader.pull(kRepo); }), ContainsSubstring("kept failing (HTTP 503) after 3 attempts"));
}

TEST_CASE("A server that ignores Range makes the download restart cleanly", "[hub]") {
    TestHttpServer server(sharedRoot());
    server.cutConnectionOnceAfter(300000);
    server.setIgnoreRange(true);
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    test::TempDir dir;
    auto store = makeStore(dir);
    Downloader downloader(store, fastOptions());

    const auto path = downloader.pull(kRepo);
    requireSameFiles(path);
    std::vector<TestHttpServer::Request> weights;
    for (const auto& r : server.requests()) {
        if (r.path.find("model.safetensors") != std::string::npos) weights.push_back(r);
    }
    REQUIRE(weights.size() == 2);
    CHECK(weights[1].range == "bytes=300000-");
    CHECK(weights[1].status == 200);
    CHECK(server.fileBytesServed() == tinyBertBytes() + configBytes() + 300000);
}

TEST_CASE("Missing files and repositories give a clear error and leave nothing in the store", "[hub]") {
    TestHttpServer server(sharedRoot());
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    test::TempDir dir;
    auto store = makeStore(dir);
    Downloader downloader(store, fastOptions());

    CHECK_THAT(errorOf([&] { downloader.pull("benchtop-test/no-such-model"); }),
               ContainsSubstring("repository not found") && ContainsSubstring("HF_TOKEN"));
    server.setNotFound(true);
    CHECK_THAT(errorOf([&] { downloader.pull(kRepo); }),
               ContainsSubstring("config.json") && ContainsSubstring("not found (HTTP 404)"));
    CHECK(store.installed().empty());
    // 404 is not retried: one API call each, one file request.
    CHECK(server.requestCount() == 3);
}

TEST_CASE("A file whose SHA-256 does not match is deleted and reported", "[hub]") {
    TestHttpServer server(sharedRoot());
    server.setLinkedEtag(true);
    server.setWrongContent(true);
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    test::TempDir dir;
    auto store = makeStore(dir);
    Downloader downloader(store, fastOptions());

    const auto message = errorOf([&] { downloader.pull(kRepo); });
    CHECK_THAT(message, ContainsSubstring("config.json: SHA-256 mismatch: expected " +
                                          sha256File(test::sharedPath("models/tiny-bert-mean/config.json"))));
    CHECK_THAT(message, ContainsSubstring("deleted"));
    CHECK(store.installed().empty());
    CHECK(countFiles(dir.file("store")) == 0);
}

TEST_CASE("Cancelling a pull leaves no model in the store", "[hub]") {
    TestHttpServer server(sharedRoot());
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    test::TempDir dir;
    auto store = makeStore(dir);
    Downloader downloader(store, fastOptions());
    int reports = 0;
    downloader.setProgressCallback([&](const DownloadProgress&) {
        ++reports;
        downloader.cancel();
    });
    CHECK_THROWS_AS(downloader.pull(kRepo), CancelledError);
    CHECK(reports >= 1);
    CHECK_FALSE(fs::exists(fs::path(dir.file("store")) / "benchtop-test--tiny-bert-mean"));
    CHECK(store.installed().empty());
    CHECK_THAT(errorOf([&] { store.resolve(kRepo); }), ContainsSubstring("models pull " + kRepo));
}

TEST_CASE("A clock table comes through BENCHTOP_URL_MIRROR, checked against the catalog's SHA-256", "[hub]") {
    TestHttpServer server(sharedRoot());
    ScopedEnv mirror("BENCHTOP_URL_MIRROR", server.baseUrl() + "/");
    CHECK(Downloader::mirrorUrl("https://example.org/a/b.csv") == server.baseUrl() + "/example.org/a/b.csv");
    test::TempDir dir;
    auto store = makeStore(dir, Catalog::load(BENCHTOP_TEST_CATALOG));
    Downloader downloader(store, fastOptions());

    CHECK_THAT(errorOf([&] { store.resolve("horvath2013"); }),
               ContainsSubstring("not downloaded: run `benchtop-cli models pull horvath2013`"));
    const auto path = downloader.pull("Horvath2013");
    CHECK(fs::path(path).filename() == "horvath2013");
    CHECK(test::readFile(path + "/Horvath1.csv") == test::readFile(test::sharedPath("clocks/biolearn/Horvath1.csv")));
    REQUIRE(server.requestCount() == 1);
    CHECK(server.requests()[0].path ==
          "/raw.githubusercontent.com/bio-learn/biolearn/180852e2bab473303cb85da627178b1695ee9d86/biolearn/data/"
          "Horvath1.csv");
    CHECK(store.resolve("horvath2013") == path);
    CHECK(store.verify("horvath2013").ok);
    const auto record = nlohmann::json::parse(test::readFile(path + "/" + kStoreRecordName));
    CHECK(record["files"][0]["sha256"] == "c35043ada7c3daec3ed604cbd18aa5098e9ab4e63a6f585608c4fcc70bbad861");

    // The same table against a catalog that expects other bytes.
    const std::string wrong = R"({"models":[{"id":"bad-clock","task":"methylation","family":"clock",
        "source":{"type":"url","files":[{"url":"https://raw.githubusercontent.com/bio-learn/biolearn/c/biolearn/data/Hannum.csv",
        "sha256":"0000000000000000000000000000000000000000000000000000000000000000"}]}}]})";
    auto badStore = makeStore(dir, Catalog::parse(wrong, "test"));
    badStore.setStoreDir(dir.file("store2"));
    Downloader bad(badStore, fastOptions());
    CHECK_THAT(errorOf([&] { bad.pull("bad-clock"); }),
               ContainsSubstring("Hannum.csv: SHA-256 mismatch") &&
                   ContainsSubstring("got f37744fa9ea9a18ad419b7dcf02085f1a3ba7e97b6ea3caaf0c4337c7bd37a88"));
    CHECK_FALSE(fs::exists(fs::path(dir.file("store2")) / ".downloads" / "bad-clock" / "Hannum.csv.incomplete"));
}

TEST_CASE("Models in the Hugging Face cache are found in place and never downloaded again", "[hub]") {
    test::TempDir dir;
    // The real layout: blobs named by digest, refs/main naming the commit, snapshot files as symlinks.
    const fs::path repoDir = fs::path(dir.file("hf")) / "models--benchtop-test--tiny-bert-mean";
    const std::string commit = "3f1c2e9a7b6d5c4b3a29187f6e5d4c3b2a190817";
    fs::create_directories(repoDir / "blobs");
    fs::create_directories(repoDir / "refs");
    std::ofstream(repoDir / "refs" / "main") << commit;
    const fs::path snapshot = repoDir / "snapshots" / commit;
    for (const auto& name : tinyBertFiles()) {
        const auto source = fs::path(test::sharedPath("models/tiny-bert-mean")) / name;
        const auto blob = sha256File(source.string());
        fs::copy_file(source, repoDir / "blobs" / blob, fs::copy_options::overwrite_existing);
        fs::create_directories((snapshot / name).parent_path());
        const auto depth = std::count(name.begin(), name.end(), '/');
        std::string up = "../../";
        for (int i = 0; i < depth; ++i) up += "../";
        fs::create_symlink(up + "blobs/" + blob, snapshot / name);
    }

    ModelStore store;
    store.setStoreDir(dir.file("store"));
    store.setHfCacheDirs({dir.file("hf")});
    const auto cached = store.hfCached();
    REQUIRE(cached.size() == 1);
    CHECK(cached[0].repo == kRepo);
    CHECK(cached[0].revision == commit);
    CHECK(cached[0].location == ModelLocation::HfCache);
    CHECK(cached[0].validation.ok);
    CHECK(cached[0].bytes == tinyBertBytes());
    CHECK(store.resolve(kRepo) == snapshot.string());
    CHECK(fs::is_symlink(snapshot / "model.safetensors"));

    // {HF_HOME}/hub is where the default search looks.
    {
        ScopedEnv hubCache("HF_HUB_CACHE", std::nullopt);
        ScopedEnv home("HF_HOME", dir.path());
        ::rename(dir.file("hf").c_str(), dir.file("hub").c_str());
        CHECK(ModelStore::defaultHfCacheDirs() == std::vector<std::string>{(fs::path(dir.path()) / "hub").string()});
        ::rename(dir.file("hub").c_str(), dir.file("hf").c_str());
    }

    TestHttpServer server(sharedRoot());
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    Downloader downloader(store, fastOptions());
    CHECK(downloader.pull(kRepo) == snapshot.string());
    CHECK(server.requestCount() == 0);
    CHECK_FALSE(fs::exists(dir.file("store")));

    CHECK_THAT(errorOf([&] { store.remove(kRepo); }), ContainsSubstring("never deletes"));
    CHECK(fs::exists(snapshot / "model.safetensors"));
}

TEST_CASE("A catalog model pinned to a commit still uses a complete cached copy at another commit", "[hub]") {
    test::TempDir dir;
    const fs::path repoDir = fs::path(dir.file("hf")) / "models--benchtop-test--tiny-bert-mean";
    auto addSnapshot = [&](const std::string& commit) {
        const fs::path snapshot = repoDir / "snapshots" / commit;
        for (const auto& name : tinyBertFiles()) {
            fs::create_directories((snapshot / name).parent_path());
            fs::copy_file(fs::path(test::sharedPath("models/tiny-bert-mean")) / name, snapshot / name);
        }
        return snapshot;
    };
    const std::string pinned = "1111111111111111111111111111111111111111";
    const std::string older = "2222222222222222222222222222222222222222";
    const fs::path olderSnapshot = addSnapshot(older);
    fs::create_directories(repoDir / "refs");
    std::ofstream(repoDir / "refs" / "main") << older;

    const std::string catalogJson = R"({"models":[{"id":"tiny-bert-mean","task":"text","family":"bert",
        "name":"tiny","source":{"type":"huggingface","repo":")" +
                                    std::string(kRepo) + R"(","revision":")" + pinned +
                                    R"(","files":[{"path":"config.json"}]}}]})";
    auto store = makeStore(dir, Catalog::parse(catalogJson, "test"));
    store.setHfCacheDirs({dir.file("hf")});
    CHECK(store.resolve("tiny-bert-mean") == olderSnapshot.string());

    // With the pinned commit in the cache too, the pinned one wins.
    const fs::path pinnedSnapshot = addSnapshot(pinned);
    CHECK(store.resolve("tiny-bert-mean") == pinnedSnapshot.string());

    // An incomplete copy at another commit is not used.
    fs::remove_all(pinnedSnapshot);
    fs::remove(olderSnapshot / "model.safetensors");
    const auto incomplete = store.find("tiny-bert-mean");
    CHECK_FALSE((incomplete && incomplete->location == ModelLocation::HfCache && incomplete->validation.ok));
    CHECK_THROWS(store.resolve("tiny-bert-mean"));
}

TEST_CASE("A folder is imported into the store and removed again", "[hub]") {
    test::TempDir dir;
    auto store = makeStore(dir);
    const auto model = store.importFolder(test::sharedPath("models/tiny-whisper-v3"));
    CHECK(model.id == "tiny-whisper-v3");
    CHECK(model.location == ModelLocation::Store);
    CHECK(model.validation.ok);
    CHECK(model.validation.family == ModelFamily::Whisper);
    CHECK(store.resolve("tiny-whisper-v3") == (fs::path(dir.file("store")) / "tiny-whisper-v3").string());
    CHECK(test::readFile(model.path + "/model.safetensors") ==
          test::readFile(test::sharedPath("models/tiny-whisper-v3/model.safetensors")));
    CHECK_THAT(errorOf([&] { store.importFolder(test::sharedPath("models/tiny-whisper-v3")); }),
               ContainsSubstring("already in the store"));

    fs::create_directories(dir.file("broken"));
    fs::copy_file(test::sharedPath("models/tiny-whisper-v3/config.json"), dir.file("broken/config.json"));
    CHECK_THAT(errorOf([&] { store.importFolder(dir.file("broken")); }),
               ContainsSubstring("not imported") && ContainsSubstring("no weights found"));
    CHECK(store.installed().size() == 1);
    store.remove("tiny-whisper-v3");
    CHECK(store.installed().empty());
    CHECK_THAT(errorOf([&] { store.remove("tiny-whisper-v3"); }),
               ContainsSubstring("is not in Benchtop's model store"));
}

TEST_CASE("An unreachable host names the host and how to import instead", "[hub]") {
    // A port that was just free: nothing listens there.
    int port = 0;
    {
        TestHttpServer probe(sharedRoot());
        port = probe.port();
    }
    ScopedEnv endpoint("HF_ENDPOINT", "http://127.0.0.1:" + std::to_string(port));
    test::TempDir dir;
    auto store = makeStore(dir);
    auto options = fastOptions();
    options.maxRetries = 1;
    Downloader downloader(store, options);
    CHECK_THAT(errorOf([&] { downloader.pull(kRepo); }),
               ContainsSubstring("could not reach 127.0.0.1:" + std::to_string(port)) &&
                   ContainsSubstring("benchtop-cli models import PATH"));
}

TEST_CASE("A stalled transfer fails with a clear error and keeps the partial file", "[hub]") {
    TestHttpServer server(sharedRoot());
    server.stallAfter(100000, 10);
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    test::TempDir dir;
    auto store = makeStore(dir);
    auto options = fastOptions();
    options.stallTimeoutSeconds = 1;
    options.maxRetries = 0;
    Downloader downloader(store, options);
    CHECK_THAT(errorOf([&] { downloader.pull(kRepo); }),
               ContainsSubstring("model.safetensors: the download from 127.0.0.1") &&
                   ContainsSubstring("stalled: no data for 1 s"));
    const auto partial =
        fs::path(store.stagingDirFor("benchtop-test--tiny-bert-mean")) / "model.safetensors.incomplete";
    REQUIRE(fs::exists(partial));
    CHECK(fs::file_size(partial) == 100000);
    CHECK(store.installed().empty());
}
