#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/tensor/dtype.h"

namespace benchtop::tensor {

/// A whole file mapped read-only into memory (mmap on POSIX, a file mapping on Windows). Weights are
/// read straight out of the page cache this way, so a multi-GB model costs no heap until it is copied
/// to its device. Move-only; the mapping lives as long as the object.
class MappedFile {
public:
    MappedFile() = default;
    /// Maps `path` (UTF-8). Throws benchtop::Error naming the file when it cannot be opened or mapped.
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const std::string& path() const { return m_path; }
    const std::uint8_t* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    ByteView bytes() const { return {m_data, m_size}; }

private:
    void release() noexcept;

    std::string m_path;
    const std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
#ifdef _WIN32
    void* m_file = nullptr;     // HANDLE
    void* m_mapping = nullptr;  // HANDLE
#endif
};

}  // namespace benchtop::tensor
