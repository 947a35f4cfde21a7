#include "core/hub/licence_notices.h"

#include <algorithm>

#include "core/common/strings.h"

namespace benchtop::hub {

std::vector<UsageNotice> usageNotices(bool researchOnly, const std::vector<std::string>& usageFlags,
                                      const std::string& licence) {
    std::vector<UsageNotice> notices;
    const auto add = [&](std::string code, std::string text) {
        const bool seen =
            std::any_of(notices.begin(), notices.end(), [&](const UsageNotice& n) { return n.code == code; });
        if (!seen) notices.push_back({std::move(code), std::move(text)});
    };
    if (researchOnly) add("research-only", "Research use only: not for clinical, diagnostic or commercial use.");
    for (const std::string& flag : usageFlags) {
        if (flag == "commercial-use-needs-licence")
            add(flag, "Commercial use needs a licence from the rights holder.");
        else if (flag == "check-licence")
            add(flag, "The terms of use are unclear upstream; check them before relying on this model.");
        else if (flag == "upstream-has-no-licence")
            add(flag, "The upstream source publishes no licence, so reuse rights are unclear.");
        else if (!flag.empty() && flag != "none stated")
            add(flag, flag);
    }
    const std::string lower = toLowerAscii(licence);
    if (lower.find("non-commercial") != std::string::npos || lower.find("noncommercial") != std::string::npos ||
        lower.find("-nc") != std::string::npos)
        add("non-commercial", "The licence (" + licence + ") does not allow commercial use.");
    return notices;
}

std::vector<UsageNotice> usageNotices(const CatalogEntry& entry) {
    return usageNotices(entry.researchOnly, entry.usageFlags, entry.licence);
}

std::string licenceNoticeText(const CatalogEntry& entry) {
    const auto notices = usageNotices(entry);
    if (notices.empty()) return {};
    std::string text = (entry.displayName.empty() ? entry.id : entry.displayName) + " (" + entry.id +
                       ") is distributed under: " + (entry.licence.empty() ? "no stated licence" : entry.licence) + ".";
    for (const auto& notice : notices) text += "\n - " + notice.text;
    if (!entry.notes.empty()) text += "\n" + entry.notes;
    return text;
}

}  // namespace benchtop::hub
