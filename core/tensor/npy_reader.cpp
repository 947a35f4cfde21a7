#include "core/tensor/npy_reader.h"

#include <cstring>
#include <limits>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/common/error.h"

namespace benchtop::tensor {

namespace {

// Finds `'key': ` in the header dict and returns the position just after it.
std::size_t findValue(const std::string& header, const std::string& key, const std::string& path) {
    const std::string needle = "'" + key + "':";
    const std::size_t pos = header.find(needle);
    if (pos == std::string::npos) throw Error(path, "the .npy header has no '" + key + "' entry.");
    std::size_t p = pos + needle.size();
    while (p < header.size() && header[p] == ' ') ++p;
    return p;
}

}  // namespace

NpyArray readNpy(const std::string& path) {
    std::ifstream in(std::filesystem::u8path(path), std::ios::binary);
    if (!in) throw Error(path, "cannot open the file.");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) throw Error(path, "is not a .npy file.");
    const auto major = static_cast<unsigned char>(bytes[6]);
    std::size_t headerLen = 0, headerStart = 0;
    if (major == 1) {
        headerLen = static_cast<unsigned char>(bytes[8]) |
                    (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
        headerStart = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) throw Error(path, "is a truncated .npy file.");
        for (int i = 3; i >= 0; --i) headerLen = (headerLen << 8) | static_cast<unsigned char>(bytes[8 + i]);
        headerStart = 12;
    } else {
        throw Error(path, "has unsupported .npy version " + std::to_string(major) + ".");
    }
    if (headerStart + headerLen > bytes.size()) throw Error(path, "is a truncated .npy file.");
    const std::string header = bytes.substr(headerStart, headerLen);

    NpyArray array;
    std::size_t p = findValue(header, "descr", path);
    const std::size_t end = header.find('\'', p + 1);
    if (header[p] != '\'' || end == std::string::npos) throw Error(path, "the .npy descr is not a string.");
    const std::string descr = header.substr(p + 1, end - p - 1);
    if (descr == "<f8")
        array.dtype = DType::F64;
    else if (descr == "<f4")
        array.dtype = DType::F32;
    else if (descr == "<f2")
        array.dtype = DType::F16;
    else if (descr == "<i8")
        array.dtype = DType::I64;
    else if (descr == "<i4")
        array.dtype = DType::I32;
    else if (descr == "<i2")
        array.dtype = DType::I16;
    else if (descr == "|i1")
        array.dtype = DType::I8;
    else if (descr == "|u1")
        array.dtype = DType::U8;
    else if (descr == "|b1")
        array.dtype = DType::Bool;
    else
        throw Error(path, "has unsupported .npy dtype '" + descr + "'.");

    p = findValue(header, "fortran_order", path);
    if (header.compare(p, 5, "False") != 0)
        throw Error(path, "is a Fortran-order .npy array; only C order is supported.");

    p = findValue(header, "shape", path);
    if (header[p] != '(') throw Error(path, "the .npy shape is not a tuple.");
    const std::size_t close = header.find(')', p);
    if (close == std::string::npos) throw Error(path, "the .npy shape is not a tuple.");
    std::string number;
    for (std::size_t i = p + 1; i <= close; ++i) {
        const char c = header[i];
        if (c >= '0' && c <= '9') {
            number += c;
            if (number.size() > 15) throw Error(path, "the .npy shape has a dimension too large to be real.");
        } else if (c == ',' || c == ')') {
            if (!number.empty()) array.shape.push_back(std::stoll(number));
            number.clear();
        } else if (c != ' ' && c != 'L') {
            throw Error(path, "the .npy shape is malformed.");
        }
    }
    const std::uint64_t count = elementCount(array.shape, path);
    if (count > std::numeric_limits<std::uint64_t>::max() / dtypeSize(array.dtype))
        throw Error(path, "the .npy shape " + formatShape(array.shape) + " has more bytes than fit in 64 bits.");
    const std::uint64_t need = count * dtypeSize(array.dtype);
    const std::size_t dataStart = headerStart + headerLen;
    if (bytes.size() - dataStart != need)
        throw Error(path, "holds " + std::to_string(bytes.size() - dataStart) + " data bytes but shape " +
                              formatShape(array.shape) + " needs " + std::to_string(need) + ".");
    array.data.assign(bytes.begin() + static_cast<std::ptrdiff_t>(dataStart), bytes.end());
    return array;
}

std::vector<float> NpyArray::toFloats() const {
    const std::size_t n = data.size() / dtypeSize(dtype);
    std::vector<float> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t* p = data.data() + i * dtypeSize(dtype);
        switch (dtype) {
            case DType::F32:
                std::memcpy(&out[i], p, 4);
                break;
            case DType::F64: {
                double d;
                std::memcpy(&d, p, 8);
                out[i] = static_cast<float>(d);
                break;
            }
            case DType::F16:
                out[i] = halfToFloat(static_cast<std::uint16_t>(p[0] | (p[1] << 8)));
                break;
            default:
                throw Error(std::string("a ") + dtypeName(dtype) + " .npy array cannot be read as floats.");
        }
    }
    return out;
}

}  // namespace benchtop::tensor
