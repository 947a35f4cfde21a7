#include "core/hub/model_store.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/strings.h"
#include "core/hub/sha256.h"

namespace fs = std::filesystem;

namespace benchtop::hub {
namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value ? std::string(value) : std::string();
}

std::string homeDir() {
#ifdef _WIN32
    if (auto profile = env("USERPROFILE"); !profile.empty()) return profile;
#endif
    return env("HOME");
}

bool isDir(const fs::path& path) {
    std::error_code ec;
    return fs::is_directory(path, ec);
}

std::string readSmallFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::uint64_t folderBytes(const fs::path& dir) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        std::error_code sizeEc;
        if (fs::is_regular_file(it->path(), sizeEc)) {
            const auto size = fs::file_size(it->path(), sizeEc);  // follows HF cache symlinks into blobs/
            if (!sizeEc) total += size;
        }
    }
    return total;
}

nlohmann::json readRecord(const fs::path& folder) {
    const auto text = readSmallFile(folder / kStoreRecordName);
    if (text.empty()) return nlohmann::json::object();
    try {
        auto json = nlohmann::json::parse(text);
        return json.is_object() ? json : nlohmann::json::object();
    } catch (const std::exception&) {
        return nlohmann::json::object();
    }
}

std::string hfFolderName(const std::string& repo) {
    std::string name = "models--";
    for (char c : repo) {
        if (c == '/')
            name += "--";
        else
            name += c;
    }
    return name;
}

// Removes a folder so that it disappears at once: renamed aside first, then deleted.
void removeFolderAtomically(const fs::path& folder, const fs::path& trashParent) {
    std::error_code ec;
    fs::create_directories(trashParent, ec);
    const fs::path trash = trashParent / (".trash-" + folder.filename().string());
    fs::remove_all(trash, ec);
    fs::rename(folder, trash, ec);
    if (ec) {
        fs::remove_all(folder, ec);
        if (ec) throw Error(folder.string(), "could not delete the model folder (" + ec.message() + ").");
        return;
    }
    fs::remove_all(trash, ec);
}

// Copies a model folder: symlinks followed (an HF cache snapshot becomes real files), folders created with
// default permissions and files made writable, so a read-only source still gives a store folder we can delete.
void copyTree(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    for (fs::recursive_directory_iterator it(from, fs::directory_options::follow_directory_symlink), end; it != end;
         ++it) {
        const fs::path target = to / fs::relative(it->path(), from);
        if (fs::is_directory(it->path())) {
            fs::create_directories(target);
        } else if (fs::is_regular_file(it->path())) {
            fs::copy_file(it->path(), target, fs::copy_options::overwrite_existing);
            fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
        }
    }
}

}  // namespace

std::string toString(ModelLocation location) {
    switch (location) {
        case ModelLocation::Store:
            return "store";
        case ModelLocation::HfCache:
            return "hf-cache";
        case ModelLocation::Bundled:
            return "bundled";
        default:
            return "folder";
    }
}

bool looksLikeRepoId(const std::string& ref) {
    if (ref.empty() || std::count(ref.begin(), ref.end(), '/') != 1) return false;
    if (ref.front() == '.' || ref.front() == '/' || ref.front() == '~' || ref.back() == '/') return false;
    return ref.find('\\') == std::string::npos && ref.find(':') == std::string::npos &&
           ref.find("..") == std::string::npos && ref.find(' ') == std::string::npos;
}

ModelStore::ModelStore(Catalog catalog)
    : m_catalog(std::move(catalog)),
      m_storeDir(defaultStoreDir()),
      m_hfCacheDirs(defaultHfCacheDirs()),
      m_bundledClocksDir(defaultBundledClocksDir()) {}

std::string ModelStore::defaultStoreDir() {
    if (auto dir = env("BENCHTOP_MODELS_DIR"); !dir.empty()) return dir;
#if defined(_WIN32)
    if (auto local = env("LOCALAPPDATA"); !local.empty()) return (fs::path(local) / "Benchtop" / "models").string();
    return (fs::path(homeDir()) / "AppData" / "Local" / "Benchtop" / "models").string();
#elif defined(__APPLE__)
    return (fs::path(homeDir()) / "Library" / "Application Support" / "Benchtop" / "models").string();
#else
    if (auto xdg = env("XDG_DATA_HOME"); !xdg.empty()) return (fs::path(xdg) / "benchtop" / "models").string();
    return (fs::path(homeDir()) / ".local" / "share" / "benchtop" / "models").string();
#endif
}

std::vector<std::string> ModelStore::defaultHfCacheDirs() {
    if (auto dir = env("HF_HUB_CACHE"); !dir.empty()) return {dir};
    if (auto dir = env("HUGGINGFACE_HUB_CACHE"); !dir.empty()) return {dir};  // older huggingface_hub name
    if (auto home = env("HF_HOME"); !home.empty()) return {(fs::path(home) / "hub").string()};
    if (auto xdg = env("XDG_CACHE_HOME"); !xdg.empty()) return {(fs::path(xdg) / "huggingface" / "hub").string()};
    return {(fs::path(homeDir()) / ".cache" / "huggingface" / "hub").string()};
}

std::string ModelStore::defaultBundledClocksDir() {
    if (auto dir = env("BENCHTOP_BUNDLED_CLOCKS_DIR"); !dir.empty()) return dir;
    if (const std::string exeDir = executableDir(); !exeDir.empty()) {
        const fs::path dir(exeDir);
        for (const auto& candidate : {dir / ".." / "share" / "benchtop" / "clocks", dir / "clocks",
                                      // macOS bundle: Benchtop.app/Contents/MacOS/benchtop -> Contents/Resources
                                      dir / ".." / "Resources" / "clocks"}) {
            if (isDir(candidate)) return candidate.lexically_normal().string();
        }
    }
    if (const std::string source = buildTreeSourceDir(); !source.empty()) {
        const fs::path candidate = fs::path(source) / "resources" / "clocks";
        if (isDir(candidate)) return candidate.string();
    }
    return {};
}

const CatalogEntry* ModelStore::catalogEntryFor(const std::string& ref) const {
    if (const auto* entry = m_catalog.find(ref)) return entry;
    return m_catalog.findByRepo(ref);
}

std::string ModelStore::storeIdFor(const std::string& ref) const {
    if (const auto* entry = catalogEntryFor(ref)) return entry->id;
    std::string id;
    for (char c : ref) {
        if (c == '/')
            id += "--";
        else
            id += c;
    }
    return id;
}

std::string ModelStore::stagingDirFor(const std::string& id) const {
    return (fs::path(m_storeDir) / ".downloads" / id).string();
}

LocalModel ModelStore::describeStoreFolder(const std::string& id) const {
    const fs::path folder = fs::path(m_storeDir) / id;
    LocalModel model;
    model.id = id;
    model.path = folder.string();
    model.location = ModelLocation::Store;
    const auto record = readRecord(folder);
    model.repo = record.value("repo", std::string());
    model.revision = record.value("revision", std::string());
    const CatalogEntry* entry = m_catalog.find(record.value("catalog_id", id));
    if (!entry && !model.repo.empty()) entry = m_catalog.findByRepo(model.repo);
    ModelFamily family = parseFamily(record.value("family", std::string()));
    std::string clockFile;
    if (entry) {
        model.catalogId = entry->id;
        if (model.repo.empty()) model.repo = entry->repo;
        family = entry->family;
        if (family == ModelFamily::Clock && !entry->files.empty()) clockFile = entry->files.front().path;
    }
    model.validation = validateModelFolder(model.path, family, clockFile);
    model.bytes = folderBytes(folder);
    return model;
}

std::vector<LocalModel> ModelStore::installed() const {
    std::vector<LocalModel> models;
    std::error_code ec;
    for (fs::directory_iterator it(m_storeDir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.empty() || name.front() == '.' || !isDir(it->path())) continue;
        models.push_back(describeStoreFolder(name));
    }
    std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return models;
}

std::optional<LocalModel> ModelStore::findInStore(const std::string& id) const {
    if (id.empty() || m_storeDir.empty() || !isDir(fs::path(m_storeDir) / id)) return std::nullopt;
    return describeStoreFolder(id);
}

std::optional<LocalModel> ModelStore::findInHfCache(const std::string& repo, const std::string& revision) const {
    for (const auto& cache : m_hfCacheDirs) {
        const fs::path repoDir = fs::path(cache) / hfFolderName(repo);
        const fs::path snapshots = repoDir / "snapshots";
        if (!isDir(snapshots)) continue;
        std::string commit;
        const std::string wanted = revision.empty() ? "main" : revision;
        if (isDir(snapshots / wanted)) {
            commit = wanted;  // a pinned commit
        } else {
            commit = trimWhitespace(readSmallFile(repoDir / "refs" / wanted));
        }
        if (commit.empty() || !isDir(snapshots / commit)) {
            if (!revision.empty() && revision != "main") continue;
            // No usable ref: take the most recently written snapshot.
            fs::file_time_type newest{};
            std::error_code ec;
            for (fs::directory_iterator it(snapshots, ec), end; !ec && it != end; it.increment(ec)) {
                std::error_code timeEc;
                const auto time = fs::last_write_time(it->path(), timeEc);
                if (!timeEc && (commit.empty() || time > newest)) {
                    newest = time;
                    commit = it->path().filename().string();
                }
            }
            if (commit.empty()) continue;
        }
        LocalModel model;
        model.id = repo;
        model.repo = repo;
        model.revision = commit;
        model.path = (snapshots / commit).string();
        model.location = ModelLocation::HfCache;
        ModelFamily family = ModelFamily::Unknown;
        if (const auto* entry = m_catalog.findByRepo(repo)) {
            model.catalogId = entry->id;
            family = entry->family;
        }
        model.validation = validateModelFolder(model.path, family);
        model.bytes = folderBytes(model.path);
        return model;
    }
    return std::nullopt;
}

std::optional<LocalModel> ModelStore::findBundled(const CatalogEntry& entry) const {
    if (entry.family != ModelFamily::Clock || m_bundledClocksDir.empty()) return std::nullopt;
    const std::string relative = clockTablePath(entry);
    if (relative.empty()) return std::nullopt;
    const fs::path file = fs::path(m_bundledClocksDir) / fs::u8path(relative);
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
    LocalModel model;
    model.id = entry.id;
    model.catalogId = entry.id;
    model.path = file.parent_path().lexically_normal().string();
    model.location = ModelLocation::Bundled;
    if (const auto it = entry.extra.find("upstream_commit"); it != entry.extra.end()) model.revision = it->second;
    model.validation = validateModelFolder(model.path, ModelFamily::Clock, file.filename().string());
    model.bytes = fs::file_size(file, ec);
    // A cheap check on every lookup; `verify` hashes the file.
    const std::uint64_t expected = clockTableBytes(entry);
    if (model.validation.ok && expected != 0 && model.bytes != expected) {
        model.validation.ok = false;
        model.validation.problem = file.lexically_normal().string() + " has " + std::to_string(model.bytes) +
                                   " bytes, the catalog says " + std::to_string(expected) +
                                   "; reinstall Benchtop or run `benchtop-cli models pull " + entry.id + "`.";
    }
    return model;
}

std::vector<LocalModel> ModelStore::bundled() const {
    std::vector<LocalModel> models;
    for (const auto& entry : m_catalog.entries()) {
        if (auto model = findBundled(entry)) models.push_back(std::move(*model));
    }
    std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return models;
}

std::optional<ClockTable> ModelStore::findClockTable(const std::string& id) const {
    const CatalogEntry* entry = m_catalog.find(id);
    if (!entry || entry->family != ModelFamily::Clock) return std::nullopt;
    const std::string name = clockTableFile(*entry);
    // The store first: a table pulled there (a newer one, or one the user imported) wins over the bundled copy.
    // (Pulls and imports of a catalog entry are stored under its id.)
    std::vector<LocalModel> candidates;
    if (auto stored = findInStore(entry->id)) candidates.push_back(std::move(*stored));
    if (auto bundledCopy = findBundled(*entry)) candidates.push_back(std::move(*bundledCopy));
    for (const auto& model : candidates) {
        const fs::path file = fs::path(model.path) / fs::u8path(name);
        std::error_code ec;
        // A store folder of a converted table may hold only the upstream R file: not readable, look further.
        if (model.validation.ok && fs::is_regular_file(file, ec))
            return ClockTable{entry->id, file.string(), model.location};
    }
    return std::nullopt;
}

std::vector<LocalModel> ModelStore::hfCached() const {
    std::vector<LocalModel> models;
    for (const auto& cache : m_hfCacheDirs) {
        std::error_code ec;
        for (fs::directory_iterator it(cache, ec), end; !ec && it != end; it.increment(ec)) {
            const auto name = it->path().filename().string();
            if (name.rfind("models--", 0) != 0) continue;
            std::string repo = name.substr(8);
            const auto sep = repo.find("--");
            if (sep == std::string::npos) continue;
            repo.replace(sep, 2, "/");
            const bool seen = std::any_of(models.begin(), models.end(), [&](const auto& m) { return m.repo == repo; });
            if (seen) continue;
            if (auto model = findInHfCache(repo, {})) models.push_back(std::move(*model));
        }
    }
    std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return models;
}

std::optional<LocalModel> ModelStore::find(const std::string& ref) const {
    if (ref.empty()) return std::nullopt;
    const bool pathLike = ref.find('/') != std::string::npos || ref.find('\\') != std::string::npos;
    auto asFolder = [&]() -> std::optional<LocalModel> {
        if (!isDir(ref)) return std::nullopt;
        LocalModel model;
        model.path = fs::absolute(ref).lexically_normal().string();
        model.id = fs::path(model.path).filename().string();
        model.location = ModelLocation::Folder;
        const auto record = readRecord(model.path);
        model.repo = record.value("repo", std::string());
        ModelFamily family = ModelFamily::Unknown;
        if (const auto* entry = model.repo.empty() ? nullptr : m_catalog.findByRepo(model.repo)) {
            model.catalogId = entry->id;
            family = entry->family;
        }
        model.validation = validateModelFolder(model.path, family);
        model.bytes = folderBytes(model.path);
        return model;
    };
    if (pathLike) {
        if (auto folder = asFolder()) return folder;
    }
    const CatalogEntry* entry = catalogEntryFor(ref);
    if (auto stored = findInStore(storeIdFor(ref))) return stored;
    // A store folder pulled under another name but recording this repo.
    // Clock tables share their repository (bio-learn/biolearn), so for them only the catalog id identifies a copy.
    if (looksLikeRepoId(ref) || entry) {
        const bool byRepo = !entry || clockTableFile(*entry).empty();
        for (auto& model : installed()) {
            if ((byRepo && !model.repo.empty() &&
                 toLowerAscii(model.repo) == toLowerAscii(entry ? entry->repo : ref)) ||
                (entry && model.catalogId == entry->id)) {
                return model;
            }
        }
    }
    if (entry) {
        if (auto bundledCopy = findBundled(*entry)) return bundledCopy;
    }
    const std::string repo = entry ? entry->repo : (looksLikeRepoId(ref) ? ref : std::string());
    if (!repo.empty()) {
        const std::string revision = entry && entry->revision != "main" ? entry->revision : std::string();
        if (auto cached = findInHfCache(repo, revision)) return cached;
        // The catalog pins a commit, but a complete copy of the same repo at another commit (what
        // `huggingface-cli download` fetched on another day) is still used rather than downloaded again.
        if (!revision.empty()) {
            if (auto cached = findInHfCache(repo, {}); cached && cached->validation.ok) return cached;
        }
    }
    if (!pathLike) return asFolder();
    return std::nullopt;
}

std::string ModelStore::resolve(const std::string& ref) const {
    if (auto model = find(ref)) {
        if (!model->validation.ok) {
            throw Error(ref, "the model at " + model->path + " is not usable: " + model->validation.problem +
                                 (model->location == ModelLocation::Store
                                      ? " Run `benchtop-cli models rm " + model->id + "` and pull it again."
                                      : ""));
        }
        return model->path;
    }
    if (const auto* entry = catalogEntryFor(ref)) {
        throw Error(ref, "not downloaded: run `benchtop-cli models pull " + entry->id +
                             "`, or import a folder with `benchtop-cli models import PATH`.");
    }
    if (looksLikeRepoId(ref)) {
        throw Error(ref,
                    "not downloaded and not in the Hugging Face cache: run `benchtop-cli models pull " + ref + "`.");
    }
    throw Error(ref,
                "no such model: not a catalog id (see `benchtop-cli models list`), not a Hugging Face repo id "
                "(org/name) and not an existing folder.");
}

Validation ModelStore::verify(const std::string& ref) const {
    const auto model = find(ref);
    if (!model) resolve(ref);  // throws the "not downloaded" message
    Validation result = model->validation;
    if (!result.ok) return result;
    // Known digests: the download record first, then the catalog.
    std::vector<std::pair<std::string, std::string>> digests;
    if (model->location == ModelLocation::Bundled) {
        // The bundled folder holds many tables and no record: only this entry's table is checked.
        const CatalogEntry* entry = m_catalog.find(model->catalogId);
        const std::string sha = entry ? clockTableSha256(*entry) : std::string();
        if (isSha256Hex(sha)) digests.emplace_back(clockTableFile(*entry), sha);
    }
    const auto record = model->location == ModelLocation::Bundled ? nlohmann::json::object() : readRecord(model->path);
    if (record.contains("files") && record["files"].is_array()) {
        for (const auto& f : record["files"]) {
            const auto sha = f.value("sha256", std::string());
            if (isSha256Hex(sha)) digests.emplace_back(f.value("path", std::string()), toLowerAscii(sha));
        }
    }
    if (const auto* entry = m_catalog.find(model->catalogId); entry && model->location != ModelLocation::Bundled) {
        for (const auto& f : entry->files) {
            const bool listed =
                std::any_of(digests.begin(), digests.end(), [&](const auto& d) { return d.first == f.path; });
            if (!listed && isSha256Hex(f.sha256)) digests.emplace_back(f.path, f.sha256);
        }
    }
    for (const auto& [path, sha] : digests) {
        const fs::path file = fs::path(model->path) / path;
        std::error_code ec;
        if (!fs::is_regular_file(file, ec)) {
            result.ok = false;
            result.problem = file.string() + " is missing.";
            return result;
        }
        const auto actual = sha256File(file.string());
        if (actual != sha) {
            result.ok = false;
            result.problem = file.string() + ": SHA-256 is " + actual + ", expected " + sha + "; the file is corrupt.";
            return result;
        }
    }
    return result;
}

LocalModel ModelStore::importFolder(const std::string& path, const std::string& id, bool move) {
    if (!isDir(path)) throw Error(path, "is not a folder; import a model folder (or unzip the archive first).");
    const auto record = readRecord(path);
    std::string storeId = id;
    if (storeId.empty()) storeId = record.value("catalog_id", std::string());
    if (storeId.empty()) {
        storeId = fs::path(path).lexically_normal().filename().string();
        if (storeId.empty()) storeId = fs::path(path).lexically_normal().parent_path().filename().string();
    }
    if (storeId.empty() || storeId.front() == '.' || storeId.find('/') != std::string::npos) {
        throw Error(path, "cannot derive a model id from the folder name; pass an id.");
    }
    const CatalogEntry* entry = m_catalog.find(storeId);
    ModelFamily family = entry ? entry->family : ModelFamily::Unknown;
    const auto validation =
        validateModelFolder(path, family, entry && family == ModelFamily::Clock ? entry->files.front().path : "");
    if (!validation.ok) throw Error(path, "not imported: " + validation.problem);

    const fs::path target = fs::path(m_storeDir) / storeId;
    if (isDir(target)) {
        throw Error(target.string(), "a model '" + storeId +
                                         "' is already in the store; remove it first with `benchtop-cli models rm " +
                                         storeId + "`.");
    }
    const fs::path staging = fs::path(stagingDirFor(storeId + ".import"));
    std::error_code ec;
    fs::remove_all(staging, ec);
    fs::create_directories(staging.parent_path(), ec);
    bool moved = false;
    if (move) {
        fs::rename(path, staging, ec);
        moved = !ec;
    }
    if (!moved) {
        try {
            copyTree(path, staging);
        } catch (const fs::filesystem_error& e) {
            fs::remove_all(staging, ec);
            throw Error(path, std::string("copying into the store failed (") + e.what() + ").");
        }
    }
    if (!fs::exists(staging / kStoreRecordName)) {
        nlohmann::json out = {{"id", storeId},
                              {"catalog_id", entry ? entry->id : std::string()},
                              {"repo", entry ? entry->repo : std::string()},
                              {"family", toString(validation.family)},
                              {"source_type", "import"},
                              {"imported_from", fs::absolute(path).string()}};
        std::ofstream(staging / kStoreRecordName) << out.dump(2);
    }
    fs::rename(staging, target, ec);
    if (ec) throw Error(target.string(), "could not move the imported model into place (" + ec.message() + ").");
    if (move && !moved) fs::remove_all(path, ec);
    return describeStoreFolder(storeId);
}

void ModelStore::remove(const std::string& ref) {
    const auto* entry = catalogEntryFor(ref);
    std::string id = storeIdFor(ref);
    if (!isDir(fs::path(m_storeDir) / id)) {
        // Maybe stored under another name but recording this catalog entry or repo. Clock tables share their
        // repository (bio-learn/biolearn) with the others, so for them only the catalog id identifies the copy.
        const bool byRepo = !entry || clockTableFile(*entry).empty();
        for (const auto& model : installed()) {
            if ((byRepo && toLowerAscii(model.repo) == toLowerAscii(entry ? entry->repo : ref)) ||
                (entry && model.catalogId == entry->id)) {
                id = model.id;
                break;
            }
        }
    }
    const fs::path folder = fs::path(m_storeDir) / id;
    if (!isDir(folder)) {
        if (auto model = find(ref); model && model->location == ModelLocation::HfCache) {
            throw Error(ref, "is in the Hugging Face cache (" + model->path +
                                 "), which Benchtop never deletes from; use `huggingface-cli delete-cache`.");
        } else if (model && model->location == ModelLocation::Bundled) {
            throw Error(ref, "is bundled with Benchtop (" + model->path +
                                 ") and cannot be removed; a copy pulled into the store is used instead of it.");
        }
        throw Error(ref, "is not in Benchtop's model store (" + m_storeDir + ").");
    }
    removeFolderAtomically(folder, fs::path(m_storeDir) / ".downloads");
}

}  // namespace benchtop::hub
