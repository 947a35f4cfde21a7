#include "core/hub/store_status.h"

#include <algorithm>
#include <filesystem>

#include "core/common/error.h"
#include "core/common/strings.h"

namespace fs = std::filesystem;

namespace benchtop::hub {
namespace {

constexpr const char* kIncompleteSuffix = ".incomplete";
constexpr const char* kImportSuffix = ".import";

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Folder size without following symlinks: the store holds real files, and a link must not count twice.
std::uint64_t treeBytes(const fs::path& dir, int* complete = nullptr, int* incomplete = nullptr) {
    std::uint64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
        std::error_code fileEc;
        if (!it->is_regular_file(fileEc) || it->is_symlink(fileEc)) continue;
        const auto size = it->file_size(fileEc);
        if (!fileEc) total += size;
        const auto name = it->path().filename().string();
        if (endsWith(name, kIncompleteSuffix)) {
            if (incomplete) ++*incomplete;
        } else if (name != kStoreRecordName && complete) {
            ++*complete;
        }
    }
    return total;
}

fs::path stagingRoot(const ModelStore& store) {
    return fs::path(store.storeDir()) / ".downloads";
}

}  // namespace

std::vector<PartialDownload> partialDownloads(const ModelStore& store) {
    std::vector<PartialDownload> partials;
    if (store.storeDir().empty()) return partials;
    std::error_code ec;
    for (fs::directory_iterator it(stagingRoot(store), ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        std::error_code dirEc;
        // Hidden names are work folders (removals, zip extraction); ".import" folders belong to a running import.
        if (name.empty() || name.front() == '.' || endsWith(name, kImportSuffix) || it->is_symlink(dirEc) ||
            !it->is_directory(dirEc)) {
            continue;
        }
        PartialDownload partial;
        partial.id = name;
        partial.path = it->path().string();
        partial.bytes = treeBytes(it->path(), &partial.completeFiles, &partial.incompleteFiles);
        if (partial.completeFiles + partial.incompleteFiles == 0) continue;
        partials.push_back(std::move(partial));
    }
    std::sort(partials.begin(), partials.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return partials;
}

void discardPartialDownload(const ModelStore& store, const std::string& id) {
    if (id.empty() || id.front() == '.' || id.find('/') != std::string::npos || id.find('\\') != std::string::npos) {
        throw Error(id, "is not a download id.");
    }
    const fs::path folder = stagingRoot(store) / id;
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) throw Error(folder.string(), "there is no unfinished download to discard.");
    fs::remove_all(folder, ec);
    if (ec) throw Error(folder.string(), "could not delete the unfinished download (" + ec.message() + ").");
}

StoreUsage storeUsage(const ModelStore& store) {
    StoreUsage usage;
    if (store.storeDir().empty()) return usage;
    const fs::path root(store.storeDir());
    std::error_code ec;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        std::error_code dirEc;
        // A link to a folder elsewhere is not the store's space (and would count a model twice).
        if (it->is_symlink(dirEc) || !it->is_directory(dirEc)) continue;
        if (name == ".downloads")
            usage.stagingBytes += treeBytes(it->path());
        else if (!name.empty() && name.front() != '.')
            usage.modelBytes += treeBytes(it->path());
    }
    // The store may not exist before the first download: ask about the volume it will be created on.
    fs::path probe = root;
    while (!probe.empty() && !fs::exists(probe, ec)) {
        const fs::path parent = probe.parent_path();
        if (parent == probe) break;
        probe = parent;
    }
    const auto space = fs::space(probe.empty() ? fs::current_path(ec) : probe, ec);
    if (!ec) {
        usage.freeBytes = space.available;
        usage.capacityBytes = space.capacity;
        usage.volumeKnown = true;
    }
    return usage;
}

std::vector<ModelListing> listModels(const ModelStore& store) {
    std::vector<ModelListing> rows;
    auto find = [&](const std::string& id) -> ModelListing* {
        const std::string key = toLowerAscii(id);
        for (auto& row : rows)
            if (toLowerAscii(row.id) == key) return &row;
        return nullptr;
    };
    for (const CatalogEntry& entry : store.catalog().entries()) {
        ModelListing row;
        row.id = entry.id;
        row.entry = entry;
        rows.push_back(std::move(row));
    }
    // Store copies and HF-cache snapshots: into their catalog row when it has no copy yet, else a row of their own
    // (unless a row of that id already has one: the first copy found is the one used).
    auto addLocal = [&](const LocalModel& model, const std::string& ownId) {
        ModelListing* row = find(model.catalogId.empty() ? ownId : model.catalogId);
        if (row) {
            if (!row->local) row->local = model;
            return;
        }
        ModelListing local;
        local.id = ownId;
        local.local = model;
        rows.push_back(std::move(local));
    };
    for (const LocalModel& model : store.installed()) addLocal(model, model.id);
    for (const LocalModel& model : store.bundled()) {
        ModelListing* row = find(model.catalogId);
        if (row && !row->local) row->local = model;
    }
    for (const LocalModel& model : store.hfCached()) addLocal(model, model.repo);
    for (const PartialDownload& partial : partialDownloads(store)) {
        ModelListing* row = find(partial.id);
        if (!row) {
            ModelListing pending;
            pending.id = partial.id;
            rows.push_back(std::move(pending));
            row = &rows.back();
        }
        if (!row->local) row->partial = partial;  // a leftover beside a whole copy is not shown
    }
    return rows;
}

}  // namespace benchtop::hub
