#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/hub/model_store.h"

namespace benchtop::hub {

/// A pull that stopped before its model was complete; its files wait in <store>/.downloads/<id>/.
struct PartialDownload {
    std::string id;           ///< the store id the model will get (catalog id, or org--name)
    std::string path;         ///< the staging folder
    std::uint64_t bytes = 0;  ///< bytes on disk so far: finished files and `.incomplete` parts
    int completeFiles = 0;    ///< files already verified and given their final name
    int incompleteFiles = 0;  ///< files with an `.incomplete` part a pull resumes from
};

/// Pulls that stopped part-way (cancelled, failed, or the app was closed), sorted by id. Staging folders of
/// imports (`<id>.import`), hidden work folders and empty folders are not listed.
std::vector<PartialDownload> partialDownloads(const ModelStore& store);

/// Deletes the staged files of an unfinished pull of `id`. Throws benchtop::Error when there is none.
void discardPartialDownload(const ModelStore& store, const std::string& id);

/// One row of the model list that the model manager and `benchtop-cli models list` both show: a catalog entry
/// and/or a model on this machine, and/or an unfinished pull.
struct ModelListing {
    std::string id;                     ///< catalog id; else the store folder / HF repo id; else the pull's id
    std::optional<CatalogEntry> entry;  ///< when the catalog knows the model
    std::optional<LocalModel> local;    ///< the copy Benchtop uses: the store's, a bundled clock table, the HF cache's
    std::optional<PartialDownload> partial;  ///< an unfinished pull, when no whole copy is here
};

/// The catalog joined with what is on this machine: catalog entries in catalog order, then models of the store and
/// of the Hugging Face cache the catalog does not know, then unfinished pulls of neither. A local model belongs to
/// the row of its catalog id, else of its store id (HF cache: its repo id), compared without case; the store's
/// copy wins over a bundled clock table, which wins over the HF cache's.
std::vector<ModelListing> listModels(const ModelStore& store);

/// Disk space the store takes and what is left on its volume.
struct StoreUsage {
    std::uint64_t modelBytes = 0;    ///< installed model folders
    std::uint64_t stagingBytes = 0;  ///< unfinished downloads and imports in .downloads/
    std::uint64_t freeBytes = 0;     ///< available to this user on the store's volume
    std::uint64_t capacityBytes = 0;
    bool volumeKnown = false;  ///< false when the volume could not be queried
};

/// Measures the store. A store folder that does not exist yet counts as empty; the volume is the one of its
/// nearest existing parent folder.
StoreUsage storeUsage(const ModelStore& store);

}  // namespace benchtop::hub
