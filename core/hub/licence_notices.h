#pragma once

#include <string>
#include <vector>

#include "core/hub/catalog.h"

namespace benchtop::hub {

/// One term of use a person should see before downloading or using a model.
struct UsageNotice {
    /// Stable code for front ends that translate: "research-only", "commercial-use-needs-licence",
    /// "check-licence", "upstream-has-no-licence", "non-commercial"; other catalog usage flags as they are.
    std::string code;
    std::string text;  ///< the English sentence
};

/// The terms of a model: research-only, its catalog usage flags explained, and a non-commercial licence.
/// Empty when the model carries none (a permissive licence needs no confirmation). No duplicates.
std::vector<UsageNotice> usageNotices(bool researchOnly, const std::vector<std::string>& usageFlags,
                                      const std::string& licence);
std::vector<UsageNotice> usageNotices(const CatalogEntry& entry);

/// "Horvath 2013 (horvath2013) is distributed under: CC-BY-NC-4.0.\n - Research use only..." plus the entry's
/// notes; empty when usageNotices(entry) is empty. What the CLI prints before a download.
std::string licenceNoticeText(const CatalogEntry& entry);

}  // namespace benchtop::hub
