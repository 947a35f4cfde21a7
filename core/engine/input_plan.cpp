#include "core/engine/input_plan.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/common/strings.h"

namespace fs = std::filesystem;

namespace benchtop::engine {
namespace {

bool handledExtension(const std::string& name, const TaskRegistry& registry) {
    for (const TaskKind& kind : registry.kinds())
        for (const auto* list : {&kind.extensions, &kind.companionExtensions})
            for (const std::string& extension : *list)
                if (endsWithNoCase(name, extension)) return true;
    return false;
}

/// The same file reached twice (named twice, through "." or a link) has one key.
std::string identityOf(const fs::path& path) {
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? fs::absolute(path).lexically_normal().string() : canonical.string();
}

std::string lowerPath(const std::string& path) {
    return toLowerAscii(path);
}

}  // namespace

void writeJobMarker(const std::string& dir, const std::string& task, const std::vector<std::string>& inputs) {
    const nlohmann::json marker = {{"task", task}, {"inputs", inputs}};
    std::ofstream(fs::u8path(dir) / kJobMarkerName, std::ios::binary) << marker.dump(2) << "\n";
}

bool isBenchtopOutput(const std::string& path) {
    const fs::path p(path);
    if (endsWithNoCase(p.filename().string(), ".part")) return true;
    for (const auto& part : p.lexically_normal())
        if (part == kResultsFolderName) return true;
    return false;
}

std::string resultStem(const std::vector<std::string>& inputs) {
    if (inputs.empty()) return "results";
    std::string name = fs::path(inputs.front()).filename().string();
    for (const char* compressed : {".gz", ".bz2", ".xz", ".zst"})
        if (endsWithNoCase(name, compressed)) {
            name.resize(name.size() - std::string(compressed).size());
            break;
        }
    if (const auto dot = name.rfind('.'); dot != std::string::npos && dot > 0) name.resize(dot);
    for (char& c : name)
        if (c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|' ||
            static_cast<unsigned char>(c) < 0x20)
            c = '_';
    while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.pop_back();  // Windows folder names
    if (name.empty() || name.front() == '.') name = "results" + name;
    if (inputs.size() > 1) name += "-and-" + std::to_string(inputs.size() - 1) + "-more";
    return name;
}

InputPlan planInputs(const std::vector<std::string>& paths, const TaskRegistry& registry, const PlanOptions& options) {
    InputPlan plan;

    // 1. Files: named ones as given, folders walked (sorted, hidden entries and own outputs skipped).
    std::vector<std::string> files;
    std::set<std::string> seen;
    const auto add = [&](const std::string& file) {
        if (seen.insert(identityOf(file)).second) files.push_back(file);
    };
    for (const std::string& path : paths) {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            add(path);  // missing and unknown files still become jobs, which fail with the reason
            continue;
        }
        if (fs::exists(fs::path(path) / kJobMarkerName, ec)) {  // a job's result folder itself
            ++plan.skippedOutputs;
            continue;
        }
        std::vector<std::string> found;
        fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            const std::string name = it->path().filename().string();
            std::error_code typeEc;
            const bool isDir = it->is_directory(typeEc);
            if (name.empty() || name.front() == '.') {
                if (isDir) it.disable_recursion_pending();
                continue;
            }
            if (isDir) {
                std::error_code markerEc;
                if (name == kResultsFolderName || fs::exists(it->path() / kJobMarkerName, markerEc)) {
                    it.disable_recursion_pending();
                    ++plan.skippedOutputs;
                }
                continue;
            }
            if (!it->is_regular_file(typeEc)) continue;
            if (endsWithNoCase(name, ".part")) {
                ++plan.skippedOutputs;
                continue;
            }
            if (handledExtension(name, registry)) found.push_back(it->path().string());
        }
        std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
            const std::string la = lowerPath(a), lb = lowerPath(b);
            return la != lb ? la < lb : a < b;
        });
        for (const std::string& file : found) add(file);
    }

    // 2. Each file's task, and whether it is a companion (a sample sheet) of another task's files.
    const bool forced = !options.task.empty() && options.task != "auto";
    const TaskKind* forcedKind = forced ? registry.find(options.task) : nullptr;
    struct Entry {
        std::string file;
        const TaskKind* kind = nullptr;  // the job's task
        const TaskKind* companionOf = nullptr;
        std::string option;
    };
    std::vector<Entry> entries;
    for (const std::string& file : files) {
        Entry e;
        e.file = file;
        const FileProbe probe = probeFile(file);
        const TaskKind* recognised = registry.recognise(probe);
        e.kind = forced ? forcedKind : recognised;
        if (probe.exists && !probe.isDirectory)
            for (const TaskKind& kind : registry.kinds()) {
                if (!kind.companionOption || &kind == recognised) continue;
                if (std::string option = kind.companionOption(probe); !option.empty()) {
                    e.companionOf = &kind;
                    e.option = std::move(option);
                    break;
                }
            }
        entries.push_back(std::move(e));
    }
    // A companion only counts as one when the paths hold a job of its task; otherwise it is an input itself.
    const auto hasJobOf = [&](const TaskKind* kind) {
        return std::any_of(entries.begin(), entries.end(),
                           [&](const Entry& e) { return !e.companionOf && e.kind == kind; });
    };
    for (Entry& e : entries)
        if (e.companionOf && !hasJobOf(e.companionOf)) e.companionOf = nullptr;

    // 3. Jobs: each task kind plans its own files (and the companions meant for it); files no task handles
    //    become jobs of their own, which fail with the reason. Jobs keep the order of their first input.
    std::vector<const TaskKind*> kindsInOrder;
    std::map<const TaskKind*, PlanRequest> requests;
    std::map<std::string, std::size_t> position;
    for (std::size_t i = 0; i < entries.size(); ++i) position.emplace(entries[i].file, i);
    std::vector<PlannedJob> unknown;
    for (const Entry& e : entries) {
        if (e.companionOf) {
            requests[e.companionOf].companions.push_back({e.file, e.option});
            continue;
        }
        if (!e.kind) {
            PlannedJob job;
            job.inputs = {e.file};
            unknown.push_back(std::move(job));
            continue;
        }
        if (std::find(kindsInOrder.begin(), kindsInOrder.end(), e.kind) == kindsInOrder.end())
            kindsInOrder.push_back(e.kind);
        requests[e.kind].files.push_back(e.file);
    }
    for (const TaskKind* kind : kindsInOrder) {
        PlanRequest& request = requests[kind];
        request.batchFiles = options.batchFiles || (options.split && kind->sharding.unit == "files");
        KindPlan part = kind->planJobs ? kind->planJobs(request) : planOneJobPerFile(request);
        for (PlannedJob& job : part.jobs) {
            job.kind = kind;
            plan.jobs.push_back(std::move(job));
        }
        for (auto& a : part.attached) {
            a.kind = kind;
            plan.attached.push_back(std::move(a));
        }
        for (auto& u : part.unassigned) {
            u.kind = kind;
            plan.unassigned.push_back(std::move(u));
        }
    }
    for (auto& job : unknown) plan.jobs.push_back(std::move(job));
    std::stable_sort(plan.jobs.begin(), plan.jobs.end(), [&](const PlannedJob& a, const PlannedJob& b) {
        const auto pa = a.inputs.empty() ? entries.size() : position[a.inputs.front()];
        const auto pb = b.inputs.empty() ? entries.size() : position[b.inputs.front()];
        return pa < pb;
    });
    return plan;
}

}  // namespace benchtop::engine
