// Hugging Face access as huggingface_hub resolves it (HF_ENDPOINT, HF_TOKEN, HF_TOKEN_PATH, $HF_HOME/token,
// HF_HUB_OFFLINE) and as the window passes it (DownloadOptions::hub), against the local test server.
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/common/error.h"
#include "core/hub/downloader.h"
#include "core/hub/hf_access.h"
#include "core/hub/model_store.h"
#include "tests/core/hub/test_http_server.h"
#include "tests/support/scoped_env.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using namespace benchtop;
using namespace benchtop::hub;
using benchtop::test::ScopedEnv;
using Catch::Matchers::ContainsSubstring;
using test::TestHttpServer;

namespace {

const std::string kRepo = "benchtop-test/tiny-bert-mean";

std::string sharedRoot() {
    return fs::path(test::sharedPath("models/tiny-bert-mean")).parent_path().parent_path().string();
}

ModelStore makeStore(const test::TempDir& dir) {
    ModelStore store;
    store.setStoreDir(dir.file("store"));
    store.setHfCacheDirs({dir.file("hf-empty")});
    store.setBundledClocksDir({});
    return store;
}

DownloadOptions fastOptions() {
    DownloadOptions options;
    options.retryDelayMs = 10;
    options.maxRetries = 1;
    options.connectTimeoutSeconds = 5;
    options.stallTimeoutSeconds = 5;
    return options;
}

void writeFile(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

/// No variable of the machine running the tests leaks in.
struct CleanHfEnvironment {
    ScopedEnv endpoint{"HF_ENDPOINT", std::nullopt};
    ScopedEnv token{"HF_TOKEN", std::nullopt};
    ScopedEnv tokenPath{"HF_TOKEN_PATH", std::nullopt};
    ScopedEnv home{"HF_HOME", std::nullopt};
    ScopedEnv offline{"HF_HUB_OFFLINE", std::nullopt};
};

}  // namespace

TEST_CASE("The token comes from HF_TOKEN, else HF_TOKEN_PATH, else $HF_HOME/token, as huggingface_hub reads it",
          "[hub][hf_access]") {
    CleanHfEnvironment clean;
    test::TempDir dir;
    clean.home.set(dir.file("hf-home"));
    CHECK(hfTokenPath() == dir.file("hf-home") + "/token");
    CHECK(resolveHfAccess().token.empty());

    writeFile(dir.file("hf-home/token"), "hf_from_home_file\n");
    HfAccess access = resolveHfAccess();
    CHECK(access.token == "hf_from_home_file");
    CHECK(access.tokenSource == dir.file("hf-home/token"));

    writeFile(dir.file("elsewhere/my-token"), "  hf_from_token_path  \n");
    clean.tokenPath.set(dir.file("elsewhere/my-token"));
    CHECK(hfTokenPath() == dir.file("elsewhere/my-token"));
    CHECK(resolveHfAccess().token == "hf_from_token_path");

    clean.token.set("hf_from_env");
    access = resolveHfAccess();
    CHECK(access.token == "hf_from_env");
    CHECK(access.tokenSource == "HF_TOKEN");

    // Set by the window: beats them all (an empty one means "anonymous").
    HfAccessOverrides overrides;
    overrides.token = "hf_from_settings";
    CHECK(resolveHfAccess(overrides).token == "hf_from_settings");
    overrides.token = "";
    CHECK(resolveHfAccess(overrides).token.empty());

    // Endpoint and offline mode.
    CHECK(resolveHfAccess().endpoint == "https://huggingface.co");
    clean.endpoint.set("https://hf-mirror.com///");
    CHECK(resolveHfAccess().endpoint == "https://hf-mirror.com");
    overrides.endpoint = "http://127.0.0.1:9/";
    CHECK(resolveHfAccess(overrides).endpoint == "http://127.0.0.1:9");
    for (const char* truthy : {"1", "ON", "yes", "True"}) {
        clean.offline.set(truthy);
        CHECK(resolveHfAccess().offline);
    }
    for (const char* falsy : {"0", "off", "", "no"}) {
        clean.offline.set(falsy);
        CHECK_FALSE(resolveHfAccess().offline);
    }
    overrides.offline = true;
    CHECK(resolveHfAccess(overrides).offline);
}

TEST_CASE("The token file is written owner-only and removed with an empty token", "[hub][hf_access]") {
    test::TempDir dir;
    const std::string path = dir.file("new/folder/token");
    writeHfTokenFile(path, " hf_written\n");
    CHECK(readHfTokenFile(path) == "hf_written");
#ifndef _WIN32
    const fs::perms perms = fs::status(path).permissions();
    CHECK((perms & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
#endif
    writeHfTokenFile(path, "");
    CHECK_FALSE(fs::exists(path));
    CHECK(readHfTokenFile(path).empty());
}

TEST_CASE("The downloader sends the token file's token and uses the endpoint of its options", "[hub][hf_access]") {
    CleanHfEnvironment clean;
    TestHttpServer server(sharedRoot());
    test::TempDir dir;
    clean.home.set(dir.file("hf-home"));
    writeFile(dir.file("hf-home/token"), "hf_from_file\n");
    // HF_ENDPOINT names a port where nothing listens: the options' endpoint is the one used.
    clean.endpoint.set("http://127.0.0.1:9");
    auto store = makeStore(dir);
    DownloadOptions options = fastOptions();
    options.hub.endpoint = server.baseUrl();
    Downloader downloader(store, options);
    CHECK(downloader.access().endpoint == server.baseUrl());
    const std::string path = downloader.pull(kRepo);
    CHECK(fs::exists(fs::path(path) / "config.json"));
    REQUIRE(server.requestCount() > 0);
    CHECK(server.requests().front().path.rfind("/api/models/" + kRepo, 0) == 0);
    for (const auto& r : server.requests()) CHECK(r.authorization == "Bearer hf_from_file");

    // A token in the options replaces the file's.
    test::TempDir other;
    auto otherStore = makeStore(other);
    options.hub.token = "hf_from_settings";
    Downloader withToken(otherStore, options);
    const int before = server.requestCount();
    withToken.pull(kRepo);
    const auto requests = server.requests();
    REQUIRE(int(requests.size()) > before);
    for (std::size_t i = std::size_t(before); i < requests.size(); ++i)
        CHECK(requests[i].authorization == "Bearer hf_from_settings");
}

TEST_CASE("Offline mode sends no request and says why; options turn it on or off over HF_HUB_OFFLINE",
          "[hub][hf_access]") {
    CleanHfEnvironment clean;
    TestHttpServer server(sharedRoot());
    clean.endpoint.set(server.baseUrl());
    test::TempDir dir;
    auto store = makeStore(dir);

    clean.offline.set("1");
    {
        Downloader downloader(store, fastOptions());
        CHECK(downloader.access().offline);
        const std::string error = test::errorOf([&] { downloader.pull(kRepo); });
        CHECK_THAT(error, ContainsSubstring("offline mode is on") && ContainsSubstring(kRepo));
        DownloadItem item{server.baseUrl() + "/" + kRepo + "/resolve/main/config.json", "config.json", 0, "", true};
        CHECK_THROWS_AS(downloader.downloadFile(item, dir.file("config.json")), Error);
    }
    CHECK(server.requestCount() == 0);
    CHECK_FALSE(fs::exists(dir.file("store/benchtop-test--tiny-bert-mean")));

    // The window's setting beats the environment, both ways.
    DownloadOptions online = fastOptions();
    online.hub.offline = false;
    Downloader downloader(store, online);
    const std::string path = downloader.pull(kRepo);
    CHECK(server.requestCount() > 0);
    clean.offline.set(std::nullopt);
    DownloadOptions offline = fastOptions();
    offline.hub.offline = true;
    const int before = server.requestCount();
    Downloader offlineDownloader(store, offline);
    // What is already in the store is still found offline.
    CHECK(offlineDownloader.pull(kRepo) == path);
    CHECK_THAT(test::errorOf([&] { offlineDownloader.pull("benchtop-test/tiny-whisper"); }),
               ContainsSubstring("offline mode is on"));
    CHECK(server.requestCount() == before);
}
