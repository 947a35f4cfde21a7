#include "core/engine/task.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <cctype>
#include <filesystem>
#include <fstream>

#include <zlib.h>

#include "core/common/error.h"
#include "core/common/strings.h"

namespace fs = std::filesystem;

namespace benchtop::engine {
namespace {

constexpr std::size_t kProbeBytes = 64 * 1024;

}  // namespace

void Payload::throwTypeMismatch(const std::type_info& wanted) const {
    throw Error("engine", std::string("internal error: an item's payload was read as ") + wanted.name() +
                              " but holds " + (m_type ? m_type->name() : "nothing"));
}

void TaskContext::throwIfCancelled() const {
    if (cancelled()) throw CancelledError();
}

FileProbe probeFile(const std::string& path) {
    FileProbe probe;
    probe.path = path;
    const fs::path p(path);
    probe.fileName = p.filename().string();
    std::error_code ec;
    probe.exists = fs::exists(p, ec);
    probe.isDirectory = probe.exists && fs::is_directory(p, ec);

    std::string ext = toLowerAscii(p.extension().string());
    if (ext == ".gz" || ext == ".bz2" || ext == ".xz") {
        const std::string inner = toLowerAscii(p.stem().extension().string());
        if (!inner.empty()) ext = inner + ext;
    }
    probe.extension = ext;
    if (!probe.exists || probe.isDirectory) return probe;

    if (ext.size() >= 3 && ext.compare(ext.size() - 3, 3, ".gz") == 0) {
        if (gzFile gz = gzopen(path.c_str(), "rb")) {
            probe.head.resize(kProbeBytes);
            const int n = gzread(gz, probe.head.data(), static_cast<unsigned>(kProbeBytes));
            probe.head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
            gzclose(gz);
        }
        return probe;
    }
    std::ifstream in(path, std::ios::binary);
    probe.head.resize(kProbeBytes);
    in.read(probe.head.data(), static_cast<std::streamsize>(kProbeBytes));
    probe.head.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
    return probe;
}

std::string toString(OptionType type) {
    switch (type) {
        case OptionType::Text:
            return "text";
        case OptionType::Switch:
            return "switch";
        case OptionType::Integer:
            return "integer";
        case OptionType::Number:
            return "number";
        case OptionType::Choice:
            return "choice";
        case OptionType::List:
            return "list";
        case OptionType::File:
            return "file";
        case OptionType::Folder:
            return "folder";
    }
    return "text";
}

std::string checkOptionValue(const OptionSpec& option, const std::string& value) {
    const auto joined = [&] {
        std::string out;
        for (const auto& c : option.choices) out += (out.empty() ? "" : ", ") + c;
        return out;
    };
    const auto range = [&](double v) -> std::string {
        if (option.minimum == 0.0 && option.maximum == 0.0) return {};
        if (v < option.minimum || v > option.maximum) {
            std::ostringstream out;
            out << "'" << value << "' is out of range; it must be between " << option.minimum << " and "
                << option.maximum;
            return out.str();
        }
        return {};
    };
    switch (option.type) {
        case OptionType::Text:
        case OptionType::File:
        case OptionType::Folder:
            return {};
        case OptionType::Switch: {
            const std::string v = toLowerAscii(value);
            if (v == "true" || v == "false" || v == "1" || v == "0" || v == "yes" || v == "no" || v == "on" ||
                v == "off")
                return {};
            return "'" + value + "' is not on or off (use true or false)";
        }
        case OptionType::Integer: {
            std::size_t used = 0;
            long long v = 0;
            try {
                v = std::stoll(value, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (value.empty() || used != value.size()) return "'" + value + "' is not a whole number";
            return range(static_cast<double>(v));
        }
        case OptionType::Number: {
            std::size_t used = 0;
            double v = 0;
            try {
                v = std::stod(value, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (value.empty() || used != value.size() || !std::isfinite(v)) return "'" + value + "' is not a number";
            return range(v);
        }
        case OptionType::Choice:
            if (option.choices.empty()) return {};
            for (const auto& c : option.choices)
                if (toLowerAscii(c) == toLowerAscii(value)) return {};
            return "'" + value + "' is not one of " + joined();
        case OptionType::List: {
            if (option.choices.empty()) return {};
            for (const std::string& item : splitCommaList(value)) {
                bool known = false;
                for (const auto& c : option.choices) known = known || toLowerAscii(c) == toLowerAscii(item);
                if (!known) return "'" + item + "' is not one of " + joined();
            }
            return {};
        }
    }
    return {};
}

const OptionSpec* TaskKind::option(const std::string& key) const {
    for (const auto& o : options)
        if (o.key == key) return &o;
    return nullptr;
}

KindPlan planOneJobPerFile(const PlanRequest& request) {
    KindPlan plan;
    for (const std::string& file : request.files) {
        if (request.batchFiles && !plan.jobs.empty()) {
            plan.jobs.front().inputs.push_back(file);
            continue;
        }
        PlannedJob job;
        job.inputs = {file};
        plan.jobs.push_back(std::move(job));
    }
    // Companions: to the jobs of their own folder, or a single companion of the request to every job.
    std::vector<std::vector<std::string>> given(request.companions.size());
    for (PlannedJob& job : plan.jobs) {
        const fs::path folder = fs::absolute(job.inputs.front()).parent_path();
        std::vector<std::size_t> beside;
        for (std::size_t i = 0; i < request.companions.size(); ++i)
            if (fs::absolute(request.companions[i].file).parent_path() == folder) beside.push_back(i);
        std::size_t chosen = request.companions.size();
        if (beside.size() == 1)
            chosen = beside.front();
        else if (request.companions.size() == 1)
            chosen = 0;
        if (chosen == request.companions.size()) continue;
        job.options[request.companions[chosen].option] = request.companions[chosen].file;
        given[chosen].push_back(job.inputs.front());
    }
    for (std::size_t i = 0; i < request.companions.size(); ++i) {
        AttachedCompanion companion{nullptr, request.companions[i].file, request.companions[i].option, given[i]};
        (given[i].empty() ? plan.unassigned : plan.attached).push_back(std::move(companion));
    }
    return plan;
}

void TaskRegistry::add(TaskKind kind) {
    const auto it = std::find_if(m_kinds.begin(), m_kinds.end(), [&](const TaskKind& k) { return k.id == kind.id; });
    if (it != m_kinds.end())
        *it = std::move(kind);
    else
        m_kinds.push_back(std::move(kind));
    std::stable_sort(m_kinds.begin(), m_kinds.end(),
                     [](const TaskKind& a, const TaskKind& b) { return a.order < b.order; });
}

const TaskKind* TaskRegistry::resolve(const std::string& name, std::map<std::string, std::string>& options) const {
    if (const TaskKind* kind = find(name)) return kind;
    const std::string lower = toLowerAscii(name);
    for (const auto& k : m_kinds)
        for (const auto& alias : k.aliases)
            if (toLowerAscii(alias.name) == lower) {
                for (const auto& [key, value] : alias.options) options.emplace(key, value);
                return &k;
            }
    return nullptr;
}

const TaskKind* TaskRegistry::find(const std::string& id) const {
    for (const auto& k : m_kinds)
        if (k.id == id) return &k;
    return nullptr;
}

const TaskKind* TaskRegistry::recognise(const FileProbe& probe) const {
    const TaskKind* best = nullptr;
    int bestScore = 0;
    for (const auto& k : m_kinds) {
        if (!k.recognise) continue;
        const int score = k.recognise(probe);
        if (score > bestScore) {
            best = &k;
            bestScore = score;
        }
    }
    return best;
}

}  // namespace benchtop::engine
