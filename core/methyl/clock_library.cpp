#include "core/methyl/clock_library.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/common/error.h"
#include "core/common/strings.h"

namespace benchtop::methyl {
namespace {

std::string clean(std::string s) {
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
    std::size_t b = 0;
    while (b < s.size() && s[b] == ' ') ++b;
    s.erase(0, b);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return s;
}

/// A small coefficient table: header + rows of id,number,number...
struct Table {
    std::vector<std::string> header;
    std::vector<std::string> ids;
    std::vector<std::vector<double>> cols;
};

Table readTable(const std::string& path, std::size_t numericCols) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open the clock coefficient table (is the clocks folder complete?)");
    Table t;
    t.cols.resize(numericCols);
    std::string line;
    std::size_t lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (lineNo == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
        if (clean(line).empty()) continue;
        std::vector<std::string> f;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) f.push_back(clean(cell));
        if (t.header.empty()) {
            t.header = f;
            continue;
        }
        if (f.size() < numericCols + 1)
            throw Error(path + ":" + std::to_string(lineNo), "expected " + std::to_string(numericCols + 1) + " fields");
        t.ids.push_back(f[0]);
        for (std::size_t c = 0; c < numericCols; ++c) {
            double v = 0;
            const std::string& s = f[c + 1];
            const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
            if (r.ec != std::errc() || r.ptr != s.data() + s.size())
                throw Error(path + ":" + std::to_string(lineNo), "coefficient '" + s + "' is not a number");
            t.cols[c].push_back(v);
        }
    }
    return t;
}

}  // namespace

std::string toString(ClockKind kind) {
    switch (kind) {
        case ClockKind::Linear:
            return "linear";
        case ClockKind::DunedinPace:
            return "quantile-normalised linear (DunedinPACE)";
        case ClockKind::ZhangEn:
            return "per-sample standardised linear (Zhang EN)";
        case ClockKind::EpiToc2:
            return "epiTOC2";
        case ClockKind::MiAge:
            return "MiAge";
        case ClockKind::TorchScript:
            return "TorchScript predictor bundle";
        case ClockKind::Cpgpt:
            return "CpGPT foundation model";
    }
    return "";
}

std::string toString(Transform t) {
    switch (t) {
        case Transform::Identity:
            return "identity";
        case Transform::AntiTrafo:
            return "anti_trafo";
        case Transform::Sigmoid:
            return "sigmoid";
    }
    return "";
}

std::string toString(Reference r) {
    switch (r) {
        case Reference::None:
            return "none";
        case Reference::Goldstandard2:
            return "Horvath 2013 goldstandard2";
        case Reference::DunedinGoldMeans:
            return "DunedinPACE gold-standard means";
    }
    return "";
}

const ClockDefinition* findClockDefinition(const std::string& id) {
    const std::string l = toLowerAscii(id);
    for (const auto& d : clockDefinitions())
        if (toLowerAscii(d.id) == l) return &d;
    return nullptr;
}

std::vector<std::string> ClockLibrary::parseClockList(const std::string& text) {
    std::vector<std::string> out;
    const std::string t = toLowerAscii(clean(text));
    if (t.empty() || t == "all") {
        for (const auto& d : clockDefinitions()) out.push_back(d.id);
        return out;
    }
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        item = clean(item);
        if (item.empty()) continue;
        const ClockDefinition* d = findClockDefinition(item);
        if (!d) {
            std::string known;
            for (const auto& k : clockDefinitions()) known += (known.empty() ? "" : ", ") + k.id;
            throw Error("clocks", "unknown clock '" + item + "'; known clocks: " + known);
        }
        if (std::find(out.begin(), out.end(), d->id) == out.end()) out.push_back(d->id);
    }
    if (out.empty()) throw Error("clocks", "no clock selected");
    return out;
}

Clock ClockLibrary::loadClock(const std::string& folder, const ClockDefinition& def) {
    return loadClockFile((std::filesystem::path(folder) / def.file).string(), def);
}

Clock ClockLibrary::loadClockFile(const std::string& path, const ClockDefinition& def) {
    Clock c;
    c.def = def;
    switch (def.kind) {
        case ClockKind::EpiToc2: {
            Table t = readTable(path, 2);
            c.cpgs = std::move(t.ids);
            c.weights = std::move(t.cols[0]);
            c.extraA = std::move(t.cols[1]);
            break;
        }
        case ClockKind::MiAge: {
            Table t = readTable(path, 3);
            c.cpgs = std::move(t.ids);
            c.weights = std::move(t.cols[0]);
            c.extraA = std::move(t.cols[1]);
            c.extraB = std::move(t.cols[2]);
            break;
        }
        default: {
            Table t = readTable(path, 1);
            for (std::size_t i = 0; i < t.ids.size(); ++i) {
                // The file's own 'intercept' row is rounded in places; the definition carries the full value.
                if (toLowerAscii(t.ids[i]) == "intercept" || toLowerAscii(t.ids[i]) == "(intercept)") continue;
                c.cpgs.push_back(t.ids[i]);
                c.weights.push_back(t.cols[0][i]);
            }
        }
    }
    if (c.cpgs.empty()) throw Error(path, "the clock table has no CpG rows");
    return c;
}

void ClockLibrary::add(Clock clock) {
    m_clocks.push_back(std::move(clock));
    loadReferences();
}

ClockLibrary ClockLibrary::load(const std::string& folder, const std::vector<std::string>& ids) {
    ClockLibrary lib;
    lib.m_folder = folder;
    if (!std::filesystem::is_directory(folder))
        throw Error(folder, "the clocks folder does not exist (it should hold biolearn/*.csv and reference/*.csv)");
    std::vector<std::string> wanted = ids;
    if (wanted.empty() || (wanted.size() == 1 && toLowerAscii(wanted[0]) == "all")) wanted = parseClockList("all");
    for (const auto& id : wanted) {
        const ClockDefinition* d = findClockDefinition(id);
        if (!d) throw Error("clocks", "unknown clock '" + id + "'");
        lib.m_clocks.push_back(loadClock(folder, *d));
    }
    lib.loadReferences();
    return lib;
}

ClockLibrary ClockLibrary::load(TableLocator locate, const std::vector<std::string>& ids,
                                const std::string& description) {
    ClockLibrary lib;
    lib.m_folder = description;
    lib.m_locate = std::move(locate);
    std::vector<std::string> wanted = ids;
    if (wanted.empty() || (wanted.size() == 1 && toLowerAscii(wanted[0]) == "all")) wanted = parseClockList("all");
    for (const auto& id : wanted) {
        const ClockDefinition* d = findClockDefinition(id);
        if (!d) throw Error("clocks", "unknown clock '" + id + "'");
        const std::string path = lib.m_locate(d->file);
        if (path.empty()) throw Error(d->file, "the coefficient table of " + d->id + " is not available");
        lib.m_clocks.push_back(loadClockFile(path, *d));
    }
    lib.loadReferences();
    return lib;
}

void ClockLibrary::loadReferences() {
    if (m_folder.empty() && !m_locate) return;
    bool gs2 = false, gold = false;
    for (const auto& c : m_clocks) {
        gs2 |= c.def.reference == Reference::Goldstandard2;
        gold |= c.def.kind == ClockKind::DunedinPace || c.def.reference == Reference::DunedinGoldMeans;
    }
    namespace fs = std::filesystem;
    if (gs2 && m_goldstandard2.empty()) {
        const std::string path = m_locate ? m_locate("reference/Horvath2013_goldstandard2.csv")
                                          : (fs::path(m_folder) / "reference/Horvath2013_goldstandard2.csv").string();
        Table t = path.empty() ? Table{} : readTable(path, 1);
        for (std::size_t i = 0; i < t.ids.size(); ++i) m_goldstandard2.emplace(t.ids[i], t.cols[0][i]);
    }
    if (gold && m_goldProbes.empty()) {
        const std::string path = m_locate ? m_locate("biolearn/DunedinPACE_Gold_Means.csv")
                                          : (fs::path(m_folder) / "biolearn/DunedinPACE_Gold_Means.csv").string();
        if (path.empty()) throw Error("DunedinPACE", "the DunedinPACE gold-standard means table is not available");
        Table t = readTable(path, 1);
        m_goldProbes = std::move(t.ids);
        m_goldMeans = std::move(t.cols[0]);
        for (std::size_t i = 0; i < m_goldProbes.size(); ++i) m_goldMap.emplace(m_goldProbes[i], m_goldMeans[i]);
    }
}

const Clock* ClockLibrary::find(const std::string& id) const {
    const std::string l = toLowerAscii(id);
    for (const auto& c : m_clocks)
        if (toLowerAscii(c.def.id) == l) return &c;
    return nullptr;
}

double ClockLibrary::referenceValue(const Clock& clock, const std::string& cpg) const {
    if (clock.def.reference == Reference::Goldstandard2) {
        const auto it = m_goldstandard2.find(cpg);
        return it == m_goldstandard2.end() ? kMissing : it->second;
    }
    if (clock.def.reference == Reference::DunedinGoldMeans) {
        const auto it = m_goldMap.find(cpg);
        return it == m_goldMap.end() ? kMissing : it->second;
    }
    return kMissing;
}

std::shared_ptr<const ProbeIndex> ClockLibrary::requiredProbes() const {
    auto index = std::make_shared<ProbeIndex>();
    for (const auto& c : m_clocks)
        for (const auto& id : c.cpgs) index->add(id);
    for (const auto& id : m_goldProbes) index->add(id);
    return index;
}

bool ClockLibrary::needsSampleMoments() const {
    return std::any_of(m_clocks.begin(), m_clocks.end(),
                       [](const Clock& c) { return c.def.kind == ClockKind::ZhangEn; });
}

}  // namespace benchtop::methyl
