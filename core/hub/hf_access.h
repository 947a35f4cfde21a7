#pragma once

#include <optional>
#include <string>

namespace benchtop::hub {

/// How Benchtop talks to the Hugging Face hub: the address, the access token and offline mode. Resolved as
/// huggingface_hub does, so a machine set up for Python works unchanged; the window passes its settings on top.
struct HfAccess {
    std::string endpoint;     ///< without a trailing slash
    std::string token;        ///< empty = anonymous
    std::string tokenSource;  ///< where the token came from ("HF_TOKEN", a file path, "settings"); for messages
    bool offline = false;     ///< no request at all: only models already present are used
};

/// What is set explicitly (settings, command line); unset fields come from the environment.
struct HfAccessOverrides {
    std::optional<std::string> endpoint;
    std::optional<std::string> token;
    std::optional<bool> offline;
};

/// The default Hugging Face home: $HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface.
std::string hfHome();
/// The token file: $HF_TOKEN_PATH, else $HF_HOME/token (hfHome()/token).
std::string hfTokenPath();
/// The token in `path` (first line, trimmed); empty when the file is missing or empty.
std::string readHfTokenFile(const std::string& path);
/// Writes `token` to `path` as huggingface_hub's `login` does (folders created, owner-only permissions); an
/// empty token removes the file. Throws benchtop::Error when it cannot.
void writeHfTokenFile(const std::string& path, const std::string& token);
/// True for the values huggingface_hub reads as true ("1", "ON", "YES", "TRUE", any case).
bool isTruthy(const std::string& value);

/// endpoint: override, else $HF_ENDPOINT, else https://huggingface.co. token: override, else $HF_TOKEN, else the
/// token file. offline: override, else $HF_HUB_OFFLINE.
HfAccess resolveHfAccess(const HfAccessOverrides& overrides = {});

/// The mirror offered as a preset in Settings › Models (mainland China's common hub mirror).
inline constexpr const char* kHfMirrorEndpoint = "https://hf-mirror.com";
inline constexpr const char* kHfDefaultEndpoint = "https://huggingface.co";

}  // namespace benchtop::hub
