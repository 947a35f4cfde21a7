#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/hub/catalog.h"
#include "core/hub/model_family.h"

namespace benchtop::hub {

/// Where a local model was found. Bundled: a clock table shipped with Benchtop (ModelStore::bundledClocksDir()).
enum class ModelLocation { Store, HfCache, Folder, Bundled };
std::string toString(ModelLocation location);

/// A model folder on this machine.
struct LocalModel {
    std::string id;        ///< store folder name (catalog id or org--name), or the repo id for HF cache entries
    std::string repo;      ///< Hugging Face repository id when known
    std::string revision;  ///< HF cache: the snapshot's commit; store: the revision it was pulled at
    std::string path;      ///< the folder to load from (an HF cache snapshot is used in place, never copied; for a
                           ///< bundled clock table the folder holding the table)
    ModelLocation location = ModelLocation::Folder;
    std::string catalogId;  ///< matching catalog entry, if any
    Validation validation;
    std::uint64_t bytes = 0;  ///< size of the files in the folder (symlinks followed)
};

/// A catalog clock's coefficient table on this machine.
struct ClockTable {
    std::string catalogId;
    std::string file;  ///< the readable table (CSV)
    ModelLocation location = ModelLocation::Store;
};

/// Finds models in Benchtop's own store, in the user's Hugging Face cache (read-only) and at plain paths.
/// Store layout: <store>/<id>/ (files as in the hub repository) plus <store>/<id>/.benchtop-model.json
/// describing where it came from; downloads and imports are staged in <store>/.downloads/ and renamed into
/// place when complete, so a folder in the store is always whole.
class ModelStore {
public:
    explicit ModelStore(Catalog catalog = {});

    /// $BENCHTOP_MODELS_DIR, else the platform data folder: $XDG_DATA_HOME/benchtop/models or
    /// ~/.local/share/benchtop/models (Linux), ~/Library/Application Support/Benchtop/models (macOS),
    /// %LOCALAPPDATA%/Benchtop/models (Windows).
    static std::string defaultStoreDir();
    /// $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
    static std::vector<std::string> defaultHfCacheDirs();
    /// The clock tables shipped with Benchtop (laid out like ../shared/clocks: biolearn/, reference/):
    /// $BENCHTOP_BUNDLED_CLOCKS_DIR, else <exe dir>/../share/benchtop/clocks (installed layout), <exe dir>/clocks,
    /// the app bundle's Resources/clocks, else the source tree's resources/clocks. Empty when none exists.
    static std::string defaultBundledClocksDir();

    const Catalog& catalog() const { return m_catalog; }
    const std::string& storeDir() const { return m_storeDir; }
    void setStoreDir(const std::string& dir) { m_storeDir = dir; }
    const std::vector<std::string>& hfCacheDirs() const { return m_hfCacheDirs; }
    void setHfCacheDirs(std::vector<std::string> dirs) { m_hfCacheDirs = std::move(dirs); }
    const std::string& bundledClocksDir() const { return m_bundledClocksDir; }
    void setBundledClocksDir(const std::string& dir) { m_bundledClocksDir = dir; }

    /// Models in the store (validated; invalid ones are listed with their problem).
    std::vector<LocalModel> installed() const;
    /// Models in the Hugging Face cache(s), one per repository (the snapshot refs/main points to, else the newest).
    std::vector<LocalModel> hfCached() const;
    /// Catalog clock tables bundled with Benchtop, one per catalog entry whose table is in bundledClocksDir(),
    /// sorted by id. A table whose size is not the catalog's is listed with the problem.
    std::vector<LocalModel> bundled() const;

    /// Looks `ref` up without throwing: an existing folder path, a catalog id, or a repo id ("org/name"),
    /// in the store first, then among the bundled clock tables, then in the HF cache.
    std::optional<LocalModel> find(const std::string& ref) const;
    /// The coefficient table of catalog clock `id`, from the first place that has a usable copy: the store,
    /// then the tables bundled with Benchtop. nullopt when neither has it (it must be downloaded).
    std::optional<ClockTable> findClockTable(const std::string& id) const;
    /// The folder to load `ref` from. Throws benchtop::Error saying how to get it when it is not here
    /// ("not downloaded: run `benchtop-cli models pull bge-small-en-v1.5`") or why the folder is unusable.
    std::string resolve(const std::string& ref) const;
    /// Re-validates a local model and re-hashes every file whose SHA-256 is known (catalog or download record;
    /// for a bundled clock table the catalog's digest). Returns the validation; `problem` names the first file
    /// that does not match.
    Validation verify(const std::string& ref) const;

    /// Copies (or moves) a model folder into the store after validating it; returns the stored model.
    /// `id` defaults to the catalog id matching the folder's record, else the folder name.
    LocalModel importFolder(const std::string& path, const std::string& id = {}, bool move = false);
    /// Deletes a model from the store. Never touches the Hugging Face cache or the bundled clock tables (throws,
    /// naming the path).
    void remove(const std::string& ref);

    /// The store folder name for a catalog id or repo id ("BAAI/bge-m3" -> catalog id, else "BAAI--bge-m3").
    std::string storeIdFor(const std::string& ref) const;
    /// <store>/.downloads/<id>: where pulls and imports are staged.
    std::string stagingDirFor(const std::string& id) const;
    /// The catalog entry for a ref (id or repo), or nullptr.
    const CatalogEntry* catalogEntryFor(const std::string& ref) const;

private:
    std::optional<LocalModel> findInStore(const std::string& id) const;
    std::optional<LocalModel> findInHfCache(const std::string& repo, const std::string& revision) const;
    LocalModel describeStoreFolder(const std::string& id) const;
    std::optional<LocalModel> findBundled(const CatalogEntry& entry) const;

    Catalog m_catalog;
    std::string m_storeDir;
    std::vector<std::string> m_hfCacheDirs;
    std::string m_bundledClocksDir;
};

/// True for "org/name" (one slash, no path-like prefix).
bool looksLikeRepoId(const std::string& ref);
/// Name of the record file each store folder carries.
inline constexpr const char* kStoreRecordName = ".benchtop-model.json";

}  // namespace benchtop::hub
