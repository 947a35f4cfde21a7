#pragma once

// Reading JSON files (model config.json, tokenizer and module configs) with errors that name the file. Internal to
// core: nlohmann_json is a private dependency of benchtop_core, so only core's .cpp files include this.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/common/error.h"

namespace benchtop::json_file {

/// The parsed file; throws Error(path, ...) when it cannot be opened or is not valid JSON.
inline nlohmann::json read(const std::string& path) {
    std::ifstream in(std::filesystem::u8path(path), std::ios::binary);
    if (!in) throw Error(path, "Cannot open the file; check that it exists and is readable.");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::exception& e) {
        throw Error(path, std::string("The file is not valid JSON (") + e.what() + ").");
    }
}

/// A required positive integer field; `what` follows the message ("; this is not a Whisper config.").
inline std::int64_t positiveInt(const nlohmann::json& j, const std::string& key, const std::string& path,
                                const std::string& what = ".") {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer() || it->get<std::int64_t>() <= 0)
        throw Error(path, "config.json has no positive integer \"" + key + "\"" + what);
    return it->get<std::int64_t>();
}

/// An optional integer field, `fallback` when absent or not an integer.
inline std::int64_t intOr(const nlohmann::json& j, const std::string& key, std::int64_t fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}

}  // namespace benchtop::json_file
