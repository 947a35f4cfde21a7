#pragma once

#include <cstdint>
#include <string>

#include "core/hub/model_store.h"

namespace benchtop::hub {

/// Why a zip entry may not be extracted: it names a path outside the target folder (`../x`, `/x`, `C:x`,
/// `\\server\x`), has a NUL or ':' in its name, or is a symbolic link (unix mode in the high 16 bits of the
/// external attributes). Empty when the entry is safe. `name` is the entry name exactly as stored.
std::string unsafeZipEntryReason(const std::string& name, std::uint32_t externalAttributes);

/// Imports a model packed as a .zip into `store` - what `benchtop-cli models import x.zip` and the window's
/// Import… both do: checks every entry first (unsafeZipEntryReason, encryption, sizes: an unsafe entry refuses
/// the whole archive before anything is written), checks the free space, extracts into a hidden temporary
/// folder in the store's staging area (same volume, so the final move is a rename), streaming and CRC-checked,
/// and moves the model into the store with ModelStore::importFolder, which validates it. The files may sit at
/// the archive's root or inside one top-level folder (`__MACOSX/` and `.DS_Store` are ignored).
///
/// `id` defaults to the catalog id recorded in the model's `.benchtop-model.json`, else the top-level folder
/// name, else the archive's name without `.zip`. Throws benchtop::Error naming the archive (and the entry or the
/// missing file) on any problem; nothing is left behind then.
LocalModel importModelZip(ModelStore& store, const std::string& zipPath, const std::string& id = {});

}  // namespace benchtop::hub
