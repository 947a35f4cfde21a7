#include "core/hub/catalog.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/strings.h"

#if defined(_WIN32)
#include <windows.h>
#elif defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

namespace fs = std::filesystem;

namespace benchtop::hub {
namespace {

std::string textOf(const nlohmann::json& json) {
    if (json.is_string()) return json.get<std::string>();
    if (json.is_null()) return {};
    return json.dump();
}

std::string stringField(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? std::string() : textOf(*it);
}

std::uint64_t sizeField(const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

bool fileExists(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
}

}  // namespace

std::string executableDir() {
#if defined(_WIN32)
    std::wstring buffer(32768, L'\0');
    const DWORD n = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    if (n == 0) return {};
    buffer.resize(n);
    return fs::path(buffer).parent_path().u8string();
#elif defined(__APPLE__)
    std::uint32_t size = 0;
    _NSGetExecutablePath(nullptr, &size);
    std::string buffer(size, '\0');
    if (_NSGetExecutablePath(buffer.data(), &size) != 0) return {};
    std::error_code ec;
    const auto resolved = fs::weakly_canonical(fs::path(buffer.c_str()), ec);
    return (ec ? fs::path(buffer.c_str()) : resolved).parent_path().string();
#else
    std::error_code ec;
    const auto exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
#endif
}

std::string buildTreeSourceDir() {
    const std::string exeDir = executableDir();
    if (exeDir.empty()) return {};
    fs::path dir(exeDir);
    for (int level = 0; level <= 6 && !dir.empty(); ++level) {
        const fs::path marker = dir / "benchtop-source-dir.txt";
        if (fileExists(marker)) {
            std::ifstream in(marker, std::ios::binary);
            std::string line;
            std::getline(in, line);
            while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) line.pop_back();
            return line;
        }
        if (dir == dir.parent_path()) break;
        dir = dir.parent_path();
    }
    return {};
}

std::string Catalog::findCatalogPath() {
    if (const char* env = std::getenv("BENCHTOP_CATALOG"); env && *env) return env;
    const std::string exeDir = executableDir();
    if (!exeDir.empty()) {
        const fs::path dir(exeDir);
        for (const auto& candidate : {dir / ".." / "share" / "benchtop" / "catalog.json", dir / "catalog.json",
                                      // macOS bundle: Benchtop.app/Contents/MacOS/benchtop -> Contents/Resources
                                      dir / ".." / "Resources" / "catalog.json"}) {
            if (fileExists(candidate)) return candidate.lexically_normal().string();
        }
    }
    if (const std::string source = buildTreeSourceDir(); !source.empty()) {
        const fs::path candidate = fs::path(source) / "resources" / "catalog" / "catalog.json";
        if (fileExists(candidate)) return candidate.string();
    }
    return {};
}

Catalog Catalog::loadDefault() {
    const auto path = findCatalogPath();
    if (path.empty()) {
        throw Error(
            "catalog.json",
            "the model catalog was not found; set BENCHTOP_CATALOG to the path of resources/catalog/catalog.json.");
    }
    return load(path);
}

Catalog Catalog::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open the model catalog.");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

Catalog Catalog::parse(const std::string& jsonText, const std::string& origin) {
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(jsonText);
    } catch (const std::exception& e) {
        throw Error(origin, std::string("the model catalog is not valid JSON (") + e.what() + ").");
    }
    if (!root.is_object() || !root.contains("models") || !root["models"].is_array()) {
        throw Error(origin, "the model catalog has no \"models\" array.");
    }
    Catalog catalog;
    catalog.m_origin = origin;
    for (const auto& model : root["models"]) {
        const std::string id = model.is_object() ? stringField(model, "id") : std::string();
        const std::string context = origin + ": model '" + id + "'";
        if (id.empty()) throw Error(origin, "a catalog entry has no \"id\".");
        if (catalog.find(id)) throw Error(context, "the id is used twice.");
        CatalogEntry entry;
        entry.id = id;
        entry.task = toLowerAscii(stringField(model, "task"));
        entry.family = parseFamily(stringField(model, "family"));
        if (entry.family == ModelFamily::Unknown) {
            throw Error(context, "\"family\" must be clock, torchscript, whisper, bert or xlm-roberta.");
        }
        if (entry.task != taskOf(entry.family)) {
            throw Error(context, "\"task\" must be \"" + taskOf(entry.family) + "\" for a " + toString(entry.family) +
                                     " model (got \"" + entry.task + "\").");
        }
        entry.displayName = stringField(model, "name");
        if (entry.displayName.empty()) entry.displayName = id;
        entry.licence = stringField(model, "licence");
        entry.citation = stringField(model, "citation");
        entry.notes = stringField(model, "notes");
        entry.sizeBytes = sizeField(model, "size_bytes");
        if (auto usage = model.find("usage"); usage != model.end() && usage->is_object()) {
            entry.researchOnly = usage->value("research_only", false);
            if (auto flags = usage->find("flags"); flags != usage->end() && flags->is_array()) {
                for (const auto& f : *flags) entry.usageFlags.push_back(textOf(f));
            }
        }
        if (auto extra = model.find("details"); extra != model.end() && extra->is_object()) {
            for (auto it = extra->begin(); it != extra->end(); ++it) entry.extra[it.key()] = textOf(it.value());
        }
        const auto source = model.find("source");
        if (source == model.end() || !source->is_object()) throw Error(context, "\"source\" is missing.");
        entry.sourceType = stringField(*source, "type");
        if (entry.sourceType == "huggingface") {
            entry.repo = stringField(*source, "repo");
            entry.revision = stringField(*source, "revision");
            if (entry.revision.empty()) entry.revision = "main";
            if (entry.repo.find('/') == std::string::npos) throw Error(context, "\"source.repo\" must be org/name.");
        } else if (entry.sourceType != "url") {
            throw Error(context, "\"source.type\" must be huggingface or url.");
        }
        if (auto files = source->find("files"); files != source->end() && files->is_array()) {
            for (const auto& f : *files) {
                CatalogFile file;
                file.path = stringField(f, "path");
                file.url = stringField(f, "url");
                file.bytes = sizeField(f, "bytes");
                file.sha256 = toLowerAscii(stringField(f, "sha256"));
                if (file.path.empty() && !file.url.empty()) file.path = file.url.substr(file.url.rfind('/') + 1);
                if (file.path.empty()) throw Error(context, "a file has neither \"path\" nor \"url\".");
                if (entry.sourceType == "url" && file.url.empty()) {
                    throw Error(context, "file " + file.path + " needs a \"url\".");
                }
                entry.files.push_back(std::move(file));
            }
        }
        if (entry.files.empty()) throw Error(context, "\"source.files\" is empty.");
        if (entry.sizeBytes == 0) {
            for (const auto& f : entry.files) entry.sizeBytes += f.bytes;
        }
        catalog.m_entries.push_back(std::move(entry));
    }
    return catalog;
}

const CatalogEntry* Catalog::find(const std::string& id) const {
    const auto key = toLowerAscii(id);
    for (const auto& e : m_entries) {
        if (toLowerAscii(e.id) == key) return &e;
    }
    return nullptr;
}

const CatalogEntry* Catalog::findByRepo(const std::string& repo) const {
    const auto key = toLowerAscii(repo);
    for (const auto& e : m_entries) {
        if (!e.repo.empty() && toLowerAscii(e.repo) == key) return &e;
    }
    return nullptr;
}

const CatalogEntry* Catalog::findClockTable(const std::string& relativeFile) const {
    const std::string name = fs::path(relativeFile).filename().string();
    const CatalogEntry* byName = nullptr;
    for (const auto& e : m_entries) {
        if (e.family != ModelFamily::Clock) continue;
        if (clockTablePath(e) == relativeFile) return &e;
        if (!byName && clockTableFile(e) == name) byName = &e;
    }
    return byName;
}

namespace {
std::string extraField(const CatalogEntry& entry, const char* key) {
    const auto it = entry.extra.find(key);
    return it == entry.extra.end() ? std::string() : it->second;
}
}  // namespace

std::string clockTablePath(const CatalogEntry& entry) {
    if (entry.family != ModelFamily::Clock) return {};
    auto path = extraField(entry, "shared_file");
    if (path.empty() && !entry.files.empty()) path = clockTableFile(entry);
    return path;
}

std::string clockTableFile(const CatalogEntry& entry) {
    if (auto converted = extraField(entry, "converted_file"); !converted.empty()) return converted;
    return entry.files.empty() ? std::string() : entry.files.front().path;
}

std::string clockTableSha256(const CatalogEntry& entry) {
    if (!extraField(entry, "converted_file").empty()) return toLowerAscii(extraField(entry, "converted_sha256"));
    return entry.files.empty() ? std::string() : entry.files.front().sha256;
}

std::uint64_t clockTableBytes(const CatalogEntry& entry) {
    if (!extraField(entry, "converted_file").empty()) {
        try {
            return std::stoull(extraField(entry, "converted_bytes"));
        } catch (const std::exception&) {
            return 0;
        }
    }
    return entry.files.empty() ? 0 : entry.files.front().bytes;
}

}  // namespace benchtop::hub
