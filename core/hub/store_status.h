#pragma once

#include <cstdint>
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
