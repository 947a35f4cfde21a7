#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/hub/model_family.h"

namespace benchtop::hub {

/// One file of a catalog model. For a Hugging Face source `path` is the file inside the repository; for a
/// plain-URL source `url` is where it comes from and `path` the name it gets in the model folder.
struct CatalogFile {
    std::string path;
    std::string url;
    std::uint64_t bytes = 0;  ///< 0 when unknown
    std::string sha256;       ///< lower-case hex; empty when unknown
};

/// A model Benchtop knows how to get and run (resources/catalog/catalog.json).
struct CatalogEntry {
    std::string id;    ///< "bge-small-en-v1.5", "whisper-tiny", "horvath2013"
    std::string task;  ///< the task kind whose jobs use it ("methylation", "speech", "text")
    ModelFamily family = ModelFamily::Unknown;
    std::string displayName;
    std::string sourceType;  ///< "huggingface" or "url"
    std::string repo;        ///< Hugging Face repository id ("BAAI/bge-small-en-v1.5"); empty for URL sources
    std::string revision;    ///< branch, tag or commit; "main" when not pinned
    std::vector<CatalogFile> files;
    std::uint64_t sizeBytes = 0;  ///< total download size (approximate for hub models)
    std::string licence;
    std::string citation;
    std::string notes;
    bool researchOnly = false;
    std::vector<std::string> usageFlags;  ///< e.g. "commercial-use-needs-licence"
    /// Family-specific facts kept as text (clocks: kind, intercept, transform, output, tissue, n_cpgs).
    std::map<std::string, std::string> extra;

    bool isHuggingFace() const { return sourceType == "huggingface"; }
};

/// The built-in list of models. Loaded from JSON; lookups by id (case-insensitive) or repository id.
class Catalog {
public:
    Catalog() = default;
    /// Parses a catalog file. Throws benchtop::Error naming the file (and entry) when it is malformed.
    static Catalog load(const std::string& path);
    /// Parses catalog JSON text; `origin` names it in errors.
    static Catalog parse(const std::string& jsonText, const std::string& origin);
    /// Loads the catalog found by findCatalogPath(); throws when none is found.
    static Catalog loadDefault();
    /// Where the catalog is: $BENCHTOP_CATALOG, else <exe>/../share/benchtop/catalog.json, else <exe dir>/catalog.json,
    /// else the source tree's resources/catalog/catalog.json. Empty when none exists.
    static std::string findCatalogPath();

    const std::vector<CatalogEntry>& entries() const { return m_entries; }
    /// The entry with this id (case-insensitive), or nullptr.
    const CatalogEntry* find(const std::string& id) const;
    /// The entry whose Hugging Face repository is `repo` (case-insensitive), or nullptr.
    const CatalogEntry* findByRepo(const std::string& repo) const;
    /// The clock entry that provides the table `relativeFile` of the clocks folder layout ("biolearn/Hannum.csv",
    /// matched against details.shared_file, else by file name), or nullptr.
    const CatalogEntry* findClockTable(const std::string& relativeFile) const;
    const std::string& origin() const { return m_origin; }

private:
    std::vector<CatalogEntry> m_entries;
    std::string m_origin;
};

/// Where a clock entry's table sits in the clocks folder layout ("biolearn/Horvath1.csv"; details.shared_file),
/// which is also its path among the tables bundled with Benchtop. Empty for other entries.
std::string clockTablePath(const CatalogEntry& entry);
/// The name of the readable clock table in a model folder: the entry's file, or for a table the catalog
/// converted from an R data file the converted CSV (details.converted_file).
std::string clockTableFile(const CatalogEntry& entry);
/// SHA-256 (lower-case hex) and size of that readable table; empty / 0 when the catalog does not say.
std::string clockTableSha256(const CatalogEntry& entry);
std::uint64_t clockTableBytes(const CatalogEntry& entry);

/// The folder holding the running executable ("" when the OS does not say).
std::string executableDir();

/// In a build tree: the source tree, read from the "benchtop-source-dir.txt" that CMake writes into the build
/// folder (looked for beside the executable and up to six folders above it); "" for an installed or unpacked
/// Benchtop. Lets uninstalled builds and tests find resources/ without compiling a source path into binaries.
std::string buildTreeSourceDir();

}  // namespace benchtop::hub
