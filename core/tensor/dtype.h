#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace benchtop::tensor {

/// Element types of stored tensors (the safetensors spelling; torch pickles map onto the same set).
enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

/// Bytes per element.
std::size_t dtypeSize(DType dtype);

/// The safetensors name: "F32", "BF16", "BOOL".
const char* dtypeName(DType dtype);

/// Parses a safetensors dtype name; returns false for names this reader does not support.
bool parseDType(const std::string& name, DType& out);

/// True for F64/F32/F16/BF16.
bool isFloatingPoint(DType dtype);

/// IEEE half (F16) bits to float, exact.
float halfToFloat(std::uint16_t bits);
/// Float to IEEE half bits, rounded to nearest even (overflow to infinity, subnormals kept, NaN stays NaN).
std::uint16_t floatToHalf(float value);
/// bfloat16 bits to float, exact.
float bfloat16ToFloat(std::uint16_t bits);

/// A read-only view of bytes owned by someone else (a mapped file, a buffer).
struct ByteView {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;
};

/// Number of elements of `shape`; throws benchtop::Error(context, ...) when the product overflows.
std::uint64_t elementCount(const std::vector<std::int64_t>& shape, const std::string& context = {});

/// "[2,3]" - the spelling used in shape error messages.
std::string formatShape(const std::vector<std::int64_t>& shape);

/// Throws benchtop::Error(context, "tensor 'name' has shape [2,3], expected [4,3]") on mismatch. A -1 in
/// `expected` matches any extent.
void checkShape(const std::string& context, const std::string& name, const std::vector<std::int64_t>& actual,
                const std::vector<std::int64_t>& expected);

}  // namespace benchtop::tensor
