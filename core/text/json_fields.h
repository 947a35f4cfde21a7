#pragma once

// Small helpers for reading tokenizer.json objects with errors that name the file and the field.
// Internal to core/text.

#include "core/common/error.h"

#include <nlohmann/json.hpp>

#include <string>

namespace benchtop::text::json_fields {

using nlohmann::json;

inline std::string typeOf(const json& j) {
    if (j.is_object() && j.contains("type") && j["type"].is_string()) return j["type"].get<std::string>();
    return {};
}

inline const json& required(const json& j, const char* name, const std::string& context, const std::string& owner) {
    if (!j.is_object() || !j.contains(name) || j[name].is_null())
        throw Error(context, owner + " has no \"" + name + "\" field.");
    return j[name];
}

inline bool boolOr(const json& j, const char* name, bool fallback) {
    if (!j.is_object() || !j.contains(name) || !j[name].is_boolean()) return fallback;
    return j[name].get<bool>();
}

inline std::string stringOr(const json& j, const char* name, const std::string& fallback) {
    if (!j.is_object() || !j.contains(name) || !j[name].is_string()) return fallback;
    return j[name].get<std::string>();
}

inline std::string requiredString(const json& j, const char* name, const std::string& context,
                                  const std::string& owner) {
    const json& v = required(j, name, context, owner);
    if (!v.is_string()) throw Error(context, owner + " field \"" + name + "\" is not a string.");
    return v.get<std::string>();
}

}  // namespace benchtop::text::json_fields
