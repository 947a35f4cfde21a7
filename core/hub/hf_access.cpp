#include "core/hub/hf_access.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "core/common/error.h"

namespace fs = std::filesystem;

namespace benchtop::hub {

namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

std::string trim(std::string text) {
    const auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), notSpace));
    text.erase(std::find_if(text.rbegin(), text.rend(), notSpace).base(), text.end());
    return text;
}

std::string withoutTrailingSlashes(std::string text) {
    while (!text.empty() && text.back() == '/') text.pop_back();
    return text;
}

std::string homeDir() {
    std::string home = env("HOME");
    if (home.empty()) home = env("USERPROFILE");
    return home;
}

}  // namespace

bool isTruthy(const std::string& value) {
    std::string lower = trim(value);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return lower == "1" || lower == "on" || lower == "yes" || lower == "true";
}

std::string hfHome() {
    if (const std::string home = env("HF_HOME"); !home.empty()) return home;
    if (const std::string cache = env("XDG_CACHE_HOME"); !cache.empty())
        return (fs::u8path(cache) / "huggingface").u8string();
    return (fs::u8path(homeDir()) / ".cache" / "huggingface").u8string();
}

std::string hfTokenPath() {
    if (const std::string path = env("HF_TOKEN_PATH"); !path.empty()) return path;
    return (fs::u8path(hfHome()) / "token").u8string();
}

std::string readHfTokenFile(const std::string& path) {
    std::ifstream in(fs::u8path(path), std::ios::binary);
    std::string line;
    if (!in || !std::getline(in, line)) return {};
    return trim(line);
}

void writeHfTokenFile(const std::string& path, const std::string& token) {
    const fs::path file = fs::u8path(path);
    std::error_code ec;
    if (trim(token).empty()) {
        fs::remove(file, ec);
        if (ec) throw Error(path, "cannot remove the Hugging Face token file (" + ec.message() + ").");
        return;
    }
    if (file.has_parent_path()) {
        fs::create_directories(file.parent_path(), ec);
        if (ec) throw Error(path, "cannot create the folder of the Hugging Face token file (" + ec.message() + ").");
    }
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(path, "cannot write the Hugging Face token file.");
        // Owner-only before the secret goes in.
        fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ec);
        out << trim(token);
        if (!out.flush()) throw Error(path, "cannot write the Hugging Face token file.");
    }
}

HfAccess resolveHfAccess(const HfAccessOverrides& overrides) {
    HfAccess access;
    std::string endpoint = overrides.endpoint ? trim(*overrides.endpoint) : std::string();
    if (endpoint.empty()) endpoint = trim(env("HF_ENDPOINT"));
    access.endpoint = withoutTrailingSlashes(endpoint.empty() ? std::string(kHfDefaultEndpoint) : endpoint);
    if (overrides.token) {
        access.token = trim(*overrides.token);
        access.tokenSource = "settings";
    } else if (const std::string token = trim(env("HF_TOKEN")); !token.empty()) {
        access.token = token;
        access.tokenSource = "HF_TOKEN";
    } else {
        const std::string path = hfTokenPath();
        access.token = readHfTokenFile(path);
        if (!access.token.empty()) access.tokenSource = path;
    }
    access.offline = overrides.offline ? *overrides.offline : isTruthy(env("HF_HUB_OFFLINE"));
    return access;
}

}  // namespace benchtop::hub
