#include "core/hub/zip_import.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/common/memory_check.h"
#include "core/hub/model_family.h"
#include "core/tensor/zip_archive.h"

namespace fs = std::filesystem;

namespace benchtop::hub {
namespace {

// Unix file type bits, stored by zip tools in the high 16 bits of an entry's external attributes.
constexpr std::uint32_t kUnixTypeMask = 0170000;
constexpr std::uint32_t kUnixSymlink = 0120000;

// Zip names use '/', but archivers on Windows sometimes store '\'; both separate folders on Windows.
std::string withSlashes(std::string name) {
    for (char& c : name)
        if (c == '\\') c = '/';
    return name;
}

std::vector<std::string> parts(const std::string& path) {
    std::vector<std::string> out;
    std::string part;
    for (const char c : path) {
        if (c == '/') {
            if (!part.empty()) out.push_back(part);
            part.clear();
        } else {
            part += c;
        }
    }
    if (!part.empty()) out.push_back(part);
    return out;
}

// macOS Finder adds resource forks under __MACOSX/ and .DS_Store files; they are not part of the model.
bool isPlatformClutter(const std::string& path) {
    const auto p = parts(path);
    return (!p.empty() && p.front() == "__MACOSX") || (!p.empty() && p.back() == ".DS_Store");
}

/// A hidden folder in the store's staging area, removed with everything in it unless released; the staging
/// area goes too when that leaves it empty.
class TempFolder {
public:
    explicit TempFolder(const fs::path& stagingRoot) : m_root(stagingRoot) {
        std::random_device random;
        for (int attempt = 0; attempt < 100; ++attempt) {
            char name[32];
            std::snprintf(name, sizeof name, ".unzip-%08x", static_cast<unsigned>(random()));
            std::error_code ec;
            if (fs::create_directory(m_root / name, ec)) {
                m_path = m_root / name;
                return;
            }
            if (ec && !fs::exists(m_root / name))
                throw Error(m_root.string(), "cannot create a temporary folder: " + ec.message());
        }
        throw Error(m_root.string(), "cannot create a temporary folder.");
    }
    ~TempFolder() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
        fs::remove(m_root, ec);  // only when empty
    }
    const fs::path& path() const { return m_path; }

private:
    fs::path m_root;
    fs::path m_path;
};

}  // namespace

std::string unsafeZipEntryReason(const std::string& name, std::uint32_t externalAttributes) {
    if (name.empty()) return "has an empty name";
    if (name.find('\0') != std::string::npos) return "has a NUL character in its name";
    const std::string path = withSlashes(name);
    if (path.front() == '/') return "is an absolute path, which would be written outside the target folder";
    if (path.size() >= 2 && path[1] == ':' && std::isalpha(static_cast<unsigned char>(path[0])))
        return "starts with a drive letter, which would be written outside the target folder";
    if (path.find(':') != std::string::npos) return "has ':' in its name (a Windows drive or stream name)";
    for (const std::string& part : parts(path))
        if (part == "..") return "climbs out of the target folder with '..'";
    if (((externalAttributes >> 16) & kUnixTypeMask) == kUnixSymlink)
        return "is a symbolic link, which could point outside the target folder";
    return {};
}

LocalModel importModelZip(ModelStore& store, const std::string& zipPath, const std::string& id) {
    const std::string& context = zipPath;
    std::error_code ec;
    if (!fs::is_regular_file(zipPath, ec)) throw Error(context, "no such file.");
    if (store.storeDir().empty()) throw Error(context, "no model store folder is configured.");
    if (fs::file_size(zipPath, ec) == 0) throw Error(context, "is empty (0 bytes); it is not a zip archive.");

    std::unique_ptr<tensor::ZipArchive> archive;
    try {
        archive = std::make_unique<tensor::ZipArchive>(zipPath);
    } catch (const Error& e) {
        std::string why = e.message();
        if (why.rfind("is not a zip archive", 0) == 0)
            why = "no zip signature";
        else if (why.rfind("is a damaged zip archive: ", 0) == 0)
            why = why.substr(26);
        if (!why.empty() && why.back() == '.') why.pop_back();
        throw Error(context, "is not a readable zip archive (" + why + "); download or pack it again.");
    }
    tensor::ZipArchive& zip = *archive;

    // Check every entry before writing anything, so a hostile archive leaves no trace.
    std::uint64_t totalBytes = 0;
    std::set<std::string> topLevel;
    bool fileAtRoot = false;
    for (const auto& entry : zip.entries()) {
        if (const std::string reason = unsafeZipEntryReason(entry.name, entry.externalAttributes); !reason.empty())
            throw Error(context, "refused: entry '" + entry.name + "' " + reason + "; nothing was extracted.");
        const std::string path = withSlashes(entry.name);
        if (isPlatformClutter(path)) continue;
        totalBytes += entry.size;
        const auto p = parts(path);
        if (p.empty()) continue;
        topLevel.insert(p.front());
        if (p.size() == 1 && path.back() != '/') fileAtRoot = true;
    }
    if (topLevel.empty()) throw Error(context, "the archive holds no files.");
    const std::string topFolder = topLevel.size() == 1 && !fileAtRoot ? *topLevel.begin() : std::string();

    // Extract next to the store, on the same volume, so the model moves into place with a rename.
    const fs::path stagingRoot = fs::path(store.storeDir()) / ".downloads";
    fs::create_directories(stagingRoot, ec);
    if (ec) throw Error(stagingRoot.string(), "cannot create the store's staging folder: " + ec.message());
    const fs::space_info space = fs::space(stagingRoot, ec);
    if (!ec && space.available < totalBytes)
        throw Error(context, "needs " + humanBytes(totalBytes) + " unpacked but only " + humanBytes(space.available) +
                                 " is free on the store's volume (" + store.storeDir() + ").");
    TempFolder temp(stagingRoot);
    const fs::path tempRoot = fs::weakly_canonical(temp.path());

    for (const auto& entry : zip.entries()) {
        const std::string path = withSlashes(entry.name);
        if (isPlatformClutter(path)) continue;
        const fs::path target = (tempRoot / fs::u8path(path)).lexically_normal();
        // Belt and braces: the checks above already rule this out.
        const std::string rel = target.lexically_relative(tempRoot).generic_string();
        if (rel.empty() || rel.rfind("..", 0) == 0)
            throw Error(context, "refused: entry '" + entry.name + "' resolves outside the target folder.");
        if (path.back() == '/') {
            fs::create_directories(target, ec);
            if (ec) throw Error(target.string(), "cannot create the folder: " + ec.message());
            continue;
        }
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw Error(target.string(), "cannot create its folder: " + ec.message());
        std::ofstream out(target, std::ios::binary);
        if (!out) throw Error(target.string(), "cannot be written.");
        zip.extract(entry.name, [&](const std::uint8_t* data, std::size_t n) {
            out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n));
            if (!out) throw Error(target.string(), "writing failed; is the disk full?");
        });
        out.close();
        if (!out) throw Error(target.string(), "writing failed; is the disk full?");
    }

    const fs::path modelRoot = topFolder.empty() ? tempRoot : tempRoot / fs::u8path(topFolder);
    std::string storeId = id;
    if (storeId.empty()) {
        std::ifstream record(modelRoot / kStoreRecordName);
        if (record) {
            try {
                storeId = nlohmann::json::parse(record).value("catalog_id", std::string());
            } catch (const std::exception&) {
            }
        }
    }
    if (storeId.empty()) storeId = topFolder;
    if (storeId.empty()) {
        storeId = fs::path(zipPath).filename().string();
        if (storeId.size() > 4 &&
            (storeId.substr(storeId.size() - 4) == ".zip" || storeId.substr(storeId.size() - 4) == ".ZIP"))
            storeId.resize(storeId.size() - 4);
    }

    // Record where the model came from (the hub would otherwise record the temporary folder).
    const fs::path recordPath = modelRoot / kStoreRecordName;
    if (!fs::exists(recordPath)) {
        const CatalogEntry* entry = store.catalog().find(storeId);
        nlohmann::json record;
        record["id"] = storeId;
        record["catalog_id"] = entry ? entry->id : std::string();
        record["repo"] = entry ? entry->repo : std::string();
        record["family"] = toString(entry ? entry->family : detectFamily(modelRoot.string()));
        record["source_type"] = "zip";
        record["imported_from"] = fs::absolute(zipPath).string();
        std::ofstream file(recordPath, std::ios::binary);
        file << record.dump(2);
        if (!file) throw Error(recordPath.string(), "cannot be written.");
    }

    try {
        return store.importFolder(modelRoot.string(), storeId, /*move=*/true);
    } catch (const Error& e) {
        // The hub names the temporary folder; name the archive (and its top folder) instead.
        std::string message = e.context() == modelRoot.string() ? e.message() : std::string(e.what());
        const std::string inArchive =
            fs::path(zipPath).filename().string() + (topFolder.empty() ? "" : "/" + topFolder);
        for (const std::string& prefix : {modelRoot.string() + ": ", modelRoot.string()})
            for (auto at = message.find(prefix); at != std::string::npos; at = message.find(prefix))
                message.replace(at, prefix.size(), prefix.back() == ' ' ? std::string() : inArchive);
        throw Error(context, message);
    }
}

}  // namespace benchtop::hub
