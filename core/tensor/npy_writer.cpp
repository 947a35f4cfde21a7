#include "core/tensor/npy_writer.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "core/common/error.h"

namespace benchtop::tensor {

namespace fs = std::filesystem;

namespace {

const char* npyDescr(DType dtype) {
    switch (dtype) {
        case DType::F64:
            return "<f8";
        case DType::F32:
            return "<f4";
        case DType::F16:
            return "<f2";
        case DType::I64:
            return "<i8";
        case DType::I32:
            return "<i4";
        case DType::U8:
            return "|u1";
        case DType::Bool:
            return "|b1";
        default:
            return nullptr;
    }
}

// numpy 1.23+ pads the header so the first axis can grow to 21 digits in place.
constexpr std::size_t kGrowthAxisMaxDigits = 21;
constexpr std::size_t kArrayAlign = 64;

std::FILE* openForWriting(const std::string& path) {
#ifdef _WIN32
    return _wfopen(fs::u8path(path).wstring().c_str(), L"wb");
#else
    return std::fopen(path.c_str(), "wb");
#endif
}

}  // namespace

std::string npyHeader(DType dtype, const std::vector<std::int64_t>& shape) {
    const char* descr = npyDescr(dtype);
    if (!descr) throw Error(std::string("dtype ") + dtypeName(dtype) + " cannot be written to .npy.");
    // Python's repr of a tuple: "()", "(3,)", "(2, 3)".
    std::string shapeText = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) shapeText += ", ";
        shapeText += std::to_string(shape[i]);
    }
    if (shape.size() == 1) shapeText += ',';
    shapeText += ')';
    std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    if (!shape.empty()) {
        const std::size_t digits = std::to_string(shape[0]).size();
        if (digits < kGrowthAxisMaxDigits) dict.append(kGrowthAxisMaxDigits - digits, ' ');
    }
    // numpy's _wrap_header: magic(6) + version(2) + u16 length(2) + dict + padding + '\n'; when the
    // unpadded size is already aligned numpy still adds a full 64 bytes of padding.
    const std::size_t hlen = dict.size() + 1;
    const std::size_t padlen = kArrayAlign - ((10 + hlen) % kArrayAlign);
    const std::size_t total = hlen + padlen;
    if (total > 0xffff)
        throw Error("the .npy shape " + formatShape(shape) + " needs a header too long for version 1.0.");
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(total & 0xff);
    out += static_cast<char>((total >> 8) & 0xff);
    out += dict;
    out.append(padlen, ' ');
    out += '\n';
    return out;
}

NpyWriter::NpyWriter(const std::string& path, DType dtype, std::vector<std::int64_t> shape, Mode mode)
    : m_path(path),
      m_writePath(mode == Mode::Atomic ? path + ".part" : path),
      m_dtype(dtype),
      m_shape(std::move(shape)) {
    if (m_shape.empty()) throw Error(path, "a streamed .npy array needs at least one dimension (the rows).");
    const std::string header = npyHeader(m_dtype, m_shape);
    std::vector<std::int64_t> rowShape(m_shape.begin() + 1, m_shape.end());
    m_rowElements = elementCount(rowShape, path);
    elementCount(m_shape, path);  // rejects negative extents and overflow
    m_file = openForWriting(m_writePath);
    if (!m_file) throw Error(m_writePath, std::string("cannot create the file: ") + std::strerror(errno) + ".");
    if (std::fwrite(header.data(), 1, header.size(), m_file) != header.size()) {
        abandon();
        throw Error(m_writePath, "writing the .npy header failed (disk full?).");
    }
}

NpyWriter::~NpyWriter() {
    abandon();
}

void NpyWriter::abandon() noexcept {
    if (!m_file) return;
    std::fclose(m_file);
    m_file = nullptr;
    std::error_code ec;
    fs::remove(fs::u8path(m_writePath), ec);
}

void NpyWriter::appendRows(const void* data, std::int64_t rows) {
    if (!m_file) throw Error(m_path, "the .npy writer is already closed.");
    if (rows < 0 || m_rowsWritten + rows > m_shape[0])
        throw Error(m_path, "appending " + std::to_string(rows) + " rows after " + std::to_string(m_rowsWritten) +
                                " would exceed the declared " + std::to_string(m_shape[0]) + " rows.");
    const std::size_t bytes = static_cast<std::size_t>(rows) * rowBytes();
    if (bytes && std::fwrite(data, 1, bytes, m_file) != bytes) {
        abandon();
        throw Error(m_writePath, "writing .npy rows failed (disk full?).");
    }
    m_rowsWritten += rows;
}

void NpyWriter::appendRows(const std::vector<float>& values) {
    if (m_dtype != DType::F32)
        throw Error(m_path, std::string("float rows given to a ") + dtypeName(m_dtype) + " .npy array.");
    if (m_rowElements == 0 || values.size() % m_rowElements != 0)
        throw Error(m_path, std::to_string(values.size()) + " values are not a whole number of rows of " +
                                std::to_string(m_rowElements) + ".");
    appendRows(values.data(), static_cast<std::int64_t>(values.size() / m_rowElements));
}

void NpyWriter::close() {
    if (!m_file) throw Error(m_path, "the .npy writer is already closed.");
    if (m_rowsWritten != m_shape[0]) {
        const std::int64_t written = m_rowsWritten;
        abandon();
        throw Error(m_path, "only " + std::to_string(written) + " of the declared " + std::to_string(m_shape[0]) +
                                " rows were written; the file was discarded.");
    }
    const bool flushed = std::fflush(m_file) == 0;
    const bool closed = std::fclose(m_file) == 0;
    m_file = nullptr;
    if (!flushed || !closed) {
        std::error_code ec;
        fs::remove(fs::u8path(m_writePath), ec);
        throw Error(m_writePath, "writing the .npy file failed (disk full?).");
    }
    if (m_writePath != m_path) {
        std::error_code ec;
        fs::rename(fs::u8path(m_writePath), fs::u8path(m_path), ec);
        if (ec) {
            const std::string reason = ec.message();
            fs::remove(fs::u8path(m_writePath), ec);
            throw Error(m_path, "cannot replace the file with the finished " + m_writePath + ": " + reason + ".");
        }
    }
}

void writeNpy(const std::string& path, DType dtype, const std::vector<std::int64_t>& shape, ByteView bytes) {
    const std::uint64_t count = elementCount(shape, path);
    if (count * dtypeSize(dtype) != bytes.size)
        throw Error(path, std::to_string(bytes.size) + " bytes do not match shape " + formatShape(shape) + " of " +
                              dtypeName(dtype) + ".");
    // A 0-d array has no row axis to stream along, so it is written in one go.
    if (shape.empty()) {
        const std::string header = npyHeader(dtype, shape);
        const std::string part = path + ".part";
        std::FILE* f = openForWriting(part);
        if (!f) throw Error(part, std::string("cannot create the file: ") + std::strerror(errno) + ".");
        const bool ok = std::fwrite(header.data(), 1, header.size(), f) == header.size() &&
                        std::fwrite(bytes.data, 1, bytes.size, f) == bytes.size;
        const bool closed = std::fclose(f) == 0;
        std::error_code ec;
        if (!ok || !closed) {
            fs::remove(fs::u8path(part), ec);
            throw Error(part, "writing the .npy file failed (disk full?).");
        }
        fs::rename(fs::u8path(part), fs::u8path(path), ec);
        if (ec) throw Error(path, "cannot replace the file with the finished " + part + ": " + ec.message() + ".");
        return;
    }
    NpyWriter writer(path, dtype, shape);
    writer.appendRows(bytes.data, shape[0]);
    writer.close();
}

}  // namespace benchtop::tensor
