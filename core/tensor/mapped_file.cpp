#include "core/tensor/mapped_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "core/common/error.h"

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace benchtop::tensor {

#ifdef _WIN32

MappedFile::MappedFile(const std::string& path) : m_path(path) {
    const std::wstring wide = std::filesystem::u8path(path).wstring();
    HANDLE file = CreateFileW(wide.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                              FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE)
        throw Error(path, "cannot open the file (Windows error " + std::to_string(GetLastError()) + ").");
    LARGE_INTEGER size;
    if (!GetFileSizeEx(file, &size)) {
        CloseHandle(file);
        throw Error(path, "cannot read the file size.");
    }
    m_file = file;
    m_size = static_cast<std::size_t>(size.QuadPart);
    if (m_size == 0) return;  // an empty file cannot be mapped; callers see size() == 0
    HANDLE mapping = CreateFileMappingW(file, nullptr, PAGE_READONLY, 0, 0, nullptr);
    if (!mapping) {
        release();
        throw Error(path, "cannot map the file into memory (Windows error " + std::to_string(GetLastError()) + ").");
    }
    m_mapping = mapping;
    void* view = MapViewOfFile(mapping, FILE_MAP_READ, 0, 0, 0);
    if (!view) {
        release();
        throw Error(path, "cannot map the file into memory (Windows error " + std::to_string(GetLastError()) + ").");
    }
    m_data = static_cast<const std::uint8_t*>(view);
}

void MappedFile::release() noexcept {
    if (m_data) UnmapViewOfFile(m_data);
    if (m_mapping) CloseHandle(static_cast<HANDLE>(m_mapping));
    if (m_file) CloseHandle(static_cast<HANDLE>(m_file));
    m_data = nullptr;
    m_mapping = nullptr;
    m_file = nullptr;
    m_size = 0;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_data(std::exchange(other.m_data, nullptr)),
      m_size(std::exchange(other.m_size, 0)),
      m_file(std::exchange(other.m_file, nullptr)),
      m_mapping(std::exchange(other.m_mapping, nullptr)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        release();
        m_path = std::move(other.m_path);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
        m_file = std::exchange(other.m_file, nullptr);
        m_mapping = std::exchange(other.m_mapping, nullptr);
    }
    return *this;
}

#else

MappedFile::MappedFile(const std::string& path) : m_path(path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(path, std::string("cannot open the file: ") + std::strerror(errno) + ".");
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(path, "is not a regular file.");
    }
    m_size = static_cast<std::size_t>(st.st_size);
    if (m_size > 0) {
        void* addr = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (addr == MAP_FAILED) {
            const int err = errno;
            ::close(fd);
            m_size = 0;
            throw Error(path, std::string("cannot map the file into memory: ") + std::strerror(err) + ".");
        }
        m_data = static_cast<const std::uint8_t*>(addr);
    }
    ::close(fd);  // the mapping keeps the file alive
}

void MappedFile::release() noexcept {
    if (m_data) ::munmap(const_cast<std::uint8_t*>(m_data), m_size);
    m_data = nullptr;
    m_size = 0;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : m_path(std::move(other.m_path)),
      m_data(std::exchange(other.m_data, nullptr)),
      m_size(std::exchange(other.m_size, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        release();
        m_path = std::move(other.m_path);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

#endif

MappedFile::~MappedFile() {
    release();
}

}  // namespace benchtop::tensor
