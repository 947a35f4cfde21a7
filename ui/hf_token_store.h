#pragma once

#include <QString>

#include "core/hub/hf_access.h"

namespace benchtop::ui {

class Settings;

/// Where Settings › Models keeps the Hugging Face access token: the platform keychain (macOS Keychain, Windows
/// Credential Manager, Secret Service on Linux, through QtKeychain) where Benchtop was built with it and the
/// keychain answers, else the token file huggingface_hub uses (HF_TOKEN_PATH or $HF_HOME/token), which Python tools
/// share.
class HfTokenStore {
public:
    /// Whether this build can use the platform keychain at all (QtKeychain found at build time).
    static bool keychainBuiltIn();
    /// Use the token file only (tests; machines whose keychain prompts).
    static void setKeychainEnabled(bool enabled);

    /// The stored token (keychain first, then the token file); empty when none. `where` says where it was found.
    static QString load(QString* where = nullptr);
    /// Stores `token` (an empty one removes it from both places). Returns false with `error` when neither place
    /// took it; `where` says where it went.
    static bool save(const QString& token, QString* where = nullptr, QString* error = nullptr);
};

/// What Settings › Models passes to downloads on top of the environment: its endpoint, offline mode when checked
/// (unchecked, HF_HUB_OFFLINE still decides) and the keychain's token (a token file is read by the downloader
/// itself, after HF_TOKEN, as huggingface_hub does).
hub::HfAccessOverrides hubAccessFrom(const Settings& settings);

}  // namespace benchtop::ui
