#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/tensor/dtype.h"

namespace benchtop::tensor {

/// The exact .npy version 1.0 header numpy 1.24 writes for a little-endian C-order array (magic,
/// version, length, the dict padded with spaces - including numpy's growth padding - and '\n', to a
/// multiple of 64 bytes). Supported dtypes: F64 '<f8', F32 '<f4', F16 '<f2', I64 '<i8', I32 '<i4',
/// U8 '|u1', BOOL '|b1'.
std::string npyHeader(DType dtype, const std::vector<std::int64_t>& shape);

/// Streams a .npy array row by row so large embedding matrices never sit in memory: open with the
/// full shape, append rows (shape[0] of them in total, each product(shape[1:]) elements), close. close()
/// fails when the row count differs from shape[0]. In Atomic mode the data goes to "<path>.part" and is
/// renamed on close; Direct writes `path` itself (for engine outputs, which already are .part files).
/// A writer destroyed without close() removes its unfinished file.
class NpyWriter {
public:
    enum class Mode { Atomic, Direct };

    NpyWriter(const std::string& path, DType dtype, std::vector<std::int64_t> shape, Mode mode = Mode::Atomic);
    ~NpyWriter();
    NpyWriter(const NpyWriter&) = delete;
    NpyWriter& operator=(const NpyWriter&) = delete;

    /// Appends `rows` rows of raw little-endian bytes (rows x rowBytes()).
    void appendRows(const void* data, std::int64_t rows);
    /// Convenience for F32 arrays: appends values.size() / rowElements() rows.
    void appendRows(const std::vector<float>& values);
    /// Checks the row count, flushes and (Atomic) renames. Throws benchtop::Error on a short or long file.
    void close();

    std::int64_t rowsWritten() const { return m_rowsWritten; }
    std::uint64_t rowElements() const { return m_rowElements; }
    std::uint64_t rowBytes() const { return m_rowElements * dtypeSize(m_dtype); }
    const std::string& path() const { return m_path; }

private:
    void abandon() noexcept;

    std::string m_path;
    std::string m_writePath;
    DType m_dtype;
    std::vector<std::int64_t> m_shape;
    std::uint64_t m_rowElements = 1;
    std::int64_t m_rowsWritten = 0;
    std::FILE* m_file = nullptr;
};

/// Writes a whole array at once (Atomic). `bytes.size` must match shape x dtype.
void writeNpy(const std::string& path, DType dtype, const std::vector<std::int64_t>& shape, ByteView bytes);

}  // namespace benchtop::tensor
