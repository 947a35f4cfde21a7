#pragma once

#include <QString>

#include <cstdint>

#include "core/hub/model_store.h"

namespace benchtop::ui {

/// Why a zip entry may not be extracted: it names a path outside the target folder (`../x`, `/x`, `C:x`,
/// `\\server\x`) or is a symbolic link (unix mode in the high 16 bits of the external attributes). Empty when
/// the entry is safe. `name` is the entry name exactly as stored in the archive.
QString unsafeZipEntryReason(const QString& name, std::uint32_t externalAttributes);

/// Imports a model packed as a .zip into `store`: checks every entry first (see unsafeZipEntryReason; an
/// unsafe entry refuses the whole archive before anything is written), extracts into a hidden temporary
/// folder in the store's staging area (same volume, so the final move is a rename), validates the model the
/// way the hub does and moves it into the store with ModelStore::importFolder. The files may sit at the
/// archive's root or inside one top-level folder (a `__MACOSX/` folder is ignored).
///
/// `id` defaults to the catalog id recorded in the model's `.benchtop-model.json`, else the top-level folder
/// name, else the archive's name without `.zip`. Throws benchtop::Error naming the archive (and the entry or the
/// missing file) on any problem; nothing is left behind then.
hub::LocalModel importModelZip(hub::ModelStore& store, const QString& zipPath, const QString& id = {});

}  // namespace benchtop::ui
