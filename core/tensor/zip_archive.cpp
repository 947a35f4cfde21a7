#include "core/tensor/zip_archive.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

#include "core/common/error.h"

namespace benchtop::tensor {

namespace {

constexpr std::uint32_t kEndOfCentralDir = 0x06054b50;
constexpr std::uint32_t kZip64EndLocator = 0x07064b50;
constexpr std::uint32_t kZip64End = 0x06064b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kLocalHeader = 0x04034b50;

std::uint64_t le(const std::uint8_t* p, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// crc32() takes a uInt length; large stored entries are checked in chunks.
std::uint32_t crcOf(const std::uint8_t* data, std::uint64_t size) {
    uLong crc = ::crc32(0L, Z_NULL, 0);
    while (size > 0) {
        const auto chunk = static_cast<uInt>(std::min<std::uint64_t>(size, 1u << 30));
        crc = ::crc32(crc, data, chunk);
        data += chunk;
        size -= chunk;
    }
    return static_cast<std::uint32_t>(crc);
}

}  // namespace

ZipArchive::ZipArchive(const std::string& path) : m_file(path) {
    const std::uint8_t* base = m_file.data();
    const std::uint64_t size = m_file.size();
    const auto damaged = [&](const std::string& what) {
        return Error(path, "is a damaged zip archive: " + what + ".");
    };
    // An archive starts with a local header, or - holding no entries - with the end record itself.
    if (size < 22 || (le(base, 4) != kLocalHeader && le(base, 4) != kEndOfCentralDir))
        throw Error(path, "is not a zip archive (PyTorch checkpoints saved since torch 1.6 are zip files).");

    // The end-of-central-directory record sits at the end, before an optional comment of up to 64 kB.
    std::uint64_t eocd = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t lowest = size > 22 + 0xffff ? size - 22 - 0xffff : 0;
    for (std::uint64_t pos = size - 22 + 1; pos-- > lowest;) {
        if (le(base + pos, 4) == kEndOfCentralDir) {
            eocd = pos;
            break;
        }
    }
    if (eocd == std::numeric_limits<std::uint64_t>::max())
        throw damaged("no end-of-central-directory record (truncated?)");
    std::uint64_t count = le(base + eocd + 10, 2);
    std::uint64_t cdSize = le(base + eocd + 12, 4);
    std::uint64_t cdOffset = le(base + eocd + 16, 4);
    if (count == 0xffff || cdSize == 0xffffffffu || cdOffset == 0xffffffffu) {
        if (eocd < 20 || le(base + eocd - 20, 4) != kZip64EndLocator) throw damaged("zip64 locator missing");
        const std::uint64_t z64 = le(base + eocd - 20 + 8, 8);
        if (size < 56 || z64 > size - 56 || le(base + z64, 4) != kZip64End)
            throw damaged("zip64 directory record missing");
        count = le(base + z64 + 32, 8);
        cdSize = le(base + z64 + 40, 8);
        cdOffset = le(base + z64 + 48, 8);
    }
    if (cdOffset > size || cdSize > size - cdOffset) throw damaged("central directory outside the file");

    std::uint64_t pos = cdOffset;
    const std::uint64_t cdEnd = cdOffset + cdSize;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (pos + 46 > cdEnd || le(base + pos, 4) != kCentralHeader)
            throw damaged("central directory entry " + std::to_string(i) + " is malformed");
        Entry e;
        const auto flags = static_cast<std::uint16_t>(le(base + pos + 8, 2));
        e.method = static_cast<std::uint16_t>(le(base + pos + 10, 2));
        e.crc32 = static_cast<std::uint32_t>(le(base + pos + 16, 4));
        e.compressedSize = le(base + pos + 20, 4);
        e.size = le(base + pos + 24, 4);
        const std::uint64_t nameLen = le(base + pos + 28, 2);
        const std::uint64_t extraLen = le(base + pos + 30, 2);
        const std::uint64_t commentLen = le(base + pos + 32, 2);
        e.externalAttributes = static_cast<std::uint32_t>(le(base + pos + 38, 4));
        e.localHeaderOffset = le(base + pos + 42, 4);
        if (pos + 46 + nameLen + extraLen + commentLen > cdEnd)
            throw damaged("central directory entry " + std::to_string(i) + " is malformed");
        e.name.assign(reinterpret_cast<const char*>(base + pos + 46), nameLen);
        if (flags & 1u)
            throw Error(path, "zip entry '" + e.name + "' is encrypted; encrypted archives are not supported.");
        // Zip64 extra field: the 64-bit values of whichever fields were saturated, in this order.
        const std::uint8_t* extra = base + pos + 46 + nameLen;
        for (std::uint64_t x = 0; x + 4 <= extraLen;) {
            const std::uint64_t id = le(extra + x, 2);
            const std::uint64_t len = le(extra + x + 2, 2);
            if (x + 4 + len > extraLen) break;
            if (id == 0x0001) {
                std::uint64_t f = x + 4;
                const auto take = [&](std::uint64_t& field) {
                    if (field == 0xffffffffu && f + 8 <= x + 4 + len) {
                        field = le(extra + f, 8);
                        f += 8;
                    }
                };
                take(e.size);
                take(e.compressedSize);
                take(e.localHeaderOffset);
            }
            x += 4 + len;
        }
        m_index[e.name] = m_entries.size();
        m_entries.push_back(std::move(e));
        pos += 46 + nameLen + extraLen + commentLen;
    }
}

const ZipArchive::Entry* ZipArchive::find(const std::string& name) const {
    const auto it = m_index.find(name);
    return it == m_index.end() ? nullptr : &m_entries[it->second];
}

const std::uint8_t* ZipArchive::dataOf(const Entry& e) const {
    const std::uint8_t* base = m_file.data();
    const std::uint64_t size = m_file.size();
    const auto damaged = [&](const std::string& what) {
        return Error(path(), "zip entry '" + e.name + "' is damaged: " + what + ".");
    };
    if (e.localHeaderOffset > size || size - e.localHeaderOffset < 30 ||
        le(base + e.localHeaderOffset, 4) != kLocalHeader)
        throw damaged("bad local header");
    const std::uint64_t dataOffset =
        e.localHeaderOffset + 30 + le(base + e.localHeaderOffset + 26, 2) + le(base + e.localHeaderOffset + 28, 2);
    if (dataOffset > size || e.compressedSize > size - dataOffset)
        throw damaged("data runs past the end of the file (truncated?)");
    return base + dataOffset;
}

ByteView ZipArchive::read(const std::string& name) {
    const Entry* e = find(name);
    if (!e) throw Error(path(), "zip entry '" + name + "' not found.");
    const auto inflated = m_inflated.find(name);
    if (inflated != m_inflated.end()) return {inflated->second.data(), inflated->second.size()};
    const auto damaged = [&](const std::string& what) {
        return Error(path(), "zip entry '" + name + "' is damaged: " + what + ".");
    };
    const std::uint8_t* data = dataOf(*e);

    if (e->method == 0) {
        if (e->compressedSize != e->size) throw damaged("stored sizes disagree");
        if (crcOf(data, e->size) != e->crc32) throw damaged("CRC mismatch (corrupt download?)");
        return {data, static_cast<std::size_t>(e->size)};
    }
    if (e->method != 8)
        throw Error(path(), "zip entry '" + name + "' uses compression method " + std::to_string(e->method) +
                                "; only stored and deflated entries are supported.");
    // Deflate expands at most ~1032:1; a header declaring more is lying (or a zip bomb): refuse it before
    // allocating what it claims.
    if (e->size / 1032 > e->compressedSize + 1)
        throw damaged("it declares " + std::to_string(e->size) + " bytes from " + std::to_string(e->compressedSize) +
                      " compressed, more than deflate can expand");
    std::vector<std::uint8_t> out(static_cast<std::size_t>(e->size));
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) throw damaged("zlib could not start");
    std::uint64_t inLeft = e->compressedSize, outLeft = e->size;
    zs.next_in = const_cast<Bytef*>(data);
    zs.next_out = out.data();
    int rc = Z_OK;
    while (rc == Z_OK) {
        const auto inChunk = static_cast<uInt>(std::min<std::uint64_t>(inLeft, 1u << 30));
        const auto outChunk = static_cast<uInt>(std::min<std::uint64_t>(outLeft, 1u << 30));
        zs.avail_in = inChunk;
        zs.avail_out = outChunk;
        rc = inflate(&zs, Z_NO_FLUSH);
        inLeft -= inChunk - zs.avail_in;
        outLeft -= outChunk - zs.avail_out;
        if (rc == Z_OK && zs.avail_in == inChunk && zs.avail_out == outChunk) rc = Z_BUF_ERROR;  // no progress
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || outLeft != 0) throw damaged("deflate data is corrupt");
    if (crcOf(out.data(), out.size()) != e->crc32) throw damaged("CRC mismatch (corrupt download?)");
    auto& stored = m_inflated[name] = std::move(out);
    return {stored.data(), stored.size()};
}

void ZipArchive::extract(const std::string& name,
                         const std::function<void(const std::uint8_t*, std::size_t)>& sink) const {
    const Entry* e = find(name);
    if (!e) throw Error(path(), "zip entry '" + name + "' not found.");
    const auto damaged = [&](const std::string& what) {
        return Error(path(), "zip entry '" + name + "' is damaged: " + what + ".");
    };
    const std::uint8_t* data = dataOf(*e);
    constexpr std::size_t kChunk = 1u << 20;
    uLong crc = ::crc32(0L, Z_NULL, 0);

    if (e->method == 0) {
        if (e->compressedSize != e->size) throw damaged("stored sizes disagree");
        for (std::uint64_t done = 0; done < e->size;) {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, e->size - done));
            crc = ::crc32(crc, data + done, static_cast<uInt>(n));
            sink(data + done, n);
            done += n;
        }
        if (static_cast<std::uint32_t>(crc) != e->crc32) throw damaged("CRC mismatch (corrupt download?)");
        return;
    }
    if (e->method != 8)
        throw Error(path(), "zip entry '" + name + "' uses compression method " + std::to_string(e->method) +
                                "; only stored and deflated entries are supported.");
    std::vector<std::uint8_t> out(kChunk);
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) throw damaged("zlib could not start");
    std::uint64_t inLeft = e->compressedSize, produced = 0;
    zs.next_in = const_cast<Bytef*>(data);
    int rc = Z_OK;
    try {
        while (rc == Z_OK) {
            const auto inChunk = static_cast<uInt>(std::min<std::uint64_t>(inLeft, 1u << 30));
            zs.avail_in = inChunk;
            zs.next_out = out.data();
            zs.avail_out = static_cast<uInt>(out.size());
            rc = inflate(&zs, Z_NO_FLUSH);
            inLeft -= inChunk - zs.avail_in;
            const std::size_t n = out.size() - zs.avail_out;
            produced += n;
            // The header's size is what callers trusted (free space, memory): never inflate beyond it.
            if (produced > e->size)
                throw damaged("it inflates to more than the " + std::to_string(e->size) + " bytes its header declares");
            crc = ::crc32(crc, out.data(), static_cast<uInt>(n));
            if (n > 0) sink(out.data(), n);
            if (rc == Z_OK && n == 0 && zs.avail_in == inChunk) rc = Z_BUF_ERROR;  // no progress
        }
    } catch (...) {
        inflateEnd(&zs);
        throw;
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END || produced != e->size) throw damaged("deflate data is corrupt or truncated");
    if (static_cast<std::uint32_t>(crc) != e->crc32) throw damaged("CRC mismatch (corrupt download?)");
}

}  // namespace benchtop::tensor
