#pragma once

// Small helpers for reading tokenizer.json objects with errors that name the file and the field.
// Internal to core/text.

#include "core/common/error.h"
#include "core/text/regex.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

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

/// A tokenizer.json pattern: {"String": "..."} (matched literally) or {"Regex": "..."} (Oniguruma syntax).
inline CodepointRegex patternOf(const json& p, const std::string& context) {
    if (p.is_object() && p.contains("String") && p["String"].is_string())
        return CodepointRegex::literal(p["String"].get<std::string>());
    if (p.is_object() && p.contains("Regex") && p["Regex"].is_string())
        return CodepointRegex(p["Regex"].get<std::string>(), context);
    throw Error(context, "A pattern must be {\"String\": ...} or {\"Regex\": ...}.");
}

/// The parts of a Sequence component (normalizer, pre-tokenizer, decoder): `field` must be a list; `make` builds
/// each part (a null result is skipped).
template <class T, class Make>
std::vector<std::unique_ptr<T>> sequenceParts(const json& j, const char* field, const std::string& context,
                                              const std::string& owner, Make make) {
    const json& list = required(j, field, context, owner);
    if (!list.is_array()) throw Error(context, owner + " field \"" + field + "\" is not a list.");
    std::vector<std::unique_ptr<T>> parts;
    for (const json& item : list)
        if (auto part = make(item)) parts.push_back(std::move(part));
    return parts;
}

}  // namespace benchtop::text::json_fields
