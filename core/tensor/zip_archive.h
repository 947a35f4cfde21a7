#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/tensor/dtype.h"
#include "core/tensor/mapped_file.h"

namespace benchtop::tensor {

/// A minimal read-only zip reader over a memory-mapped file, enough for PyTorch's zip checkpoints
/// (stored entries, 64-byte aligned; deflate is inflated with zlib; zip64 for archives over 4 GB).
/// Core is Qt-free, so QuaZip is not an option here.
class ZipArchive {
public:
    struct Entry {
        std::string name;
        std::uint16_t method = 0;  ///< 0 stored, 8 deflated
        std::uint32_t crc32 = 0;
        std::uint64_t compressedSize = 0;
        std::uint64_t size = 0;
        std::uint64_t localHeaderOffset = 0;
        std::uint32_t externalAttributes = 0;  ///< unix mode in the high 16 bits when made on unix
    };

    /// Maps `path` and reads its central directory. Throws benchtop::Error naming the file when it is
    /// not a zip archive or the directory is damaged.
    explicit ZipArchive(const std::string& path);

    const std::string& path() const { return m_file.path(); }
    const std::vector<Entry>& entries() const { return m_entries; }
    /// nullptr when absent.
    const Entry* find(const std::string& name) const;
    /// The entry's bytes, CRC-checked: a view into the mapping for stored entries, an inflated buffer
    /// owned by the archive for deflated ones. Throws when absent or damaged. Not thread-safe (caches).
    ByteView read(const std::string& name);
    /// Streams the entry's bytes to `sink` in chunks (at most 1 MiB inflated at a time), checking that it
    /// holds exactly the size its header declares and its CRC; throws naming the archive and the entry.
    void extract(const std::string& name, const std::function<void(const std::uint8_t*, std::size_t)>& sink) const;

private:
    /// Where the entry's (compressed) bytes start, after its local header; throws when they lie outside the file.
    const std::uint8_t* dataOf(const Entry& e) const;

    MappedFile m_file;
    std::vector<Entry> m_entries;
    std::map<std::string, std::size_t> m_index;
    std::map<std::string, std::vector<std::uint8_t>> m_inflated;
};

}  // namespace benchtop::tensor
