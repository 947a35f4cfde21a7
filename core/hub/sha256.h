#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace benchtop::hub {

/// Incremental SHA-256 (FIPS 180-4). Self-contained so the model store needs no crypto library.
class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    /// Finishes the digest and returns it as 64 lower-case hex digits; the object must not be updated afterwards.
    std::string hexDigest();

private:
    void compress(const std::uint8_t* block);

    std::uint32_t m_state[8];
    std::uint8_t m_buffer[64];
    std::size_t m_buffered = 0;
    std::uint64_t m_length = 0;
};

/// SHA-256 of a string, as lower-case hex.
std::string sha256Hex(const std::string& data);
/// SHA-256 of a file's contents, as lower-case hex. Throws benchtop::Error naming the file when it cannot be read.
std::string sha256File(const std::string& path);
/// True for 64 hex digits (an LFS oid / a SHA-256 hex digest).
bool isSha256Hex(const std::string& text);

}  // namespace benchtop::hub
