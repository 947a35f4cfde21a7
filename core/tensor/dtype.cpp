#include "core/tensor/dtype.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "core/common/error.h"

namespace benchtop::tensor {

namespace {
struct DTypeEntry {
    DType dtype;
    const char* name;
    std::size_t size;
};
constexpr DTypeEntry kDTypes[] = {
    {DType::F64, "F64", 8}, {DType::F32, "F32", 4},   {DType::F16, "F16", 2}, {DType::BF16, "BF16", 2},
    {DType::I64, "I64", 8}, {DType::I32, "I32", 4},   {DType::I16, "I16", 2}, {DType::I8, "I8", 1},
    {DType::U8, "U8", 1},   {DType::Bool, "BOOL", 1},
};
}  // namespace

std::size_t dtypeSize(DType dtype) {
    for (const auto& e : kDTypes)
        if (e.dtype == dtype) return e.size;
    return 0;
}

const char* dtypeName(DType dtype) {
    for (const auto& e : kDTypes)
        if (e.dtype == dtype) return e.name;
    return "?";
}

bool parseDType(const std::string& name, DType& out) {
    for (const auto& e : kDTypes) {
        if (name == e.name) {
            out = e.dtype;
            return true;
        }
    }
    return false;
}

bool isFloatingPoint(DType dtype) {
    return dtype == DType::F64 || dtype == DType::F32 || dtype == DType::F16 || dtype == DType::BF16;
}

float halfToFloat(std::uint16_t bits) {
    const std::uint32_t sign = static_cast<std::uint32_t>(bits & 0x8000u) << 16;
    std::uint32_t exponent = (bits >> 10) & 0x1fu;
    std::uint32_t mantissa = bits & 0x3ffu;
    std::uint32_t out;
    if (exponent == 0x1f) {
        out = sign | 0x7f800000u | (mantissa << 13);  // inf / nan
    } else if (exponent != 0) {
        out = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        out = sign;
    } else {
        // Subnormal half: normalise into a float exponent.
        exponent = 113;
        while ((mantissa & 0x400u) == 0) {
            mantissa <<= 1;
            --exponent;
        }
        out = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
    }
    float f;
    std::memcpy(&f, &out, sizeof f);
    return f;
}

std::uint16_t floatToHalf(float value) {
    std::uint32_t x;
    std::memcpy(&x, &value, 4);
    std::uint32_t sign = (x >> 16) & 0x8000u;
    std::uint32_t absx = x & 0x7fffffffu;
    if (absx >= 0x7f800000u) return static_cast<std::uint16_t>(sign | (absx > 0x7f800000u ? 0x7e00u : 0x7c00u));
    if (absx >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // overflow -> inf
    if (absx < 0x38800000u) {                                                    // subnormal half
        float f;
        std::memcpy(&f, &absx, 4);
        std::uint32_t h = static_cast<std::uint32_t>(std::nearbyint(f * 16777216.0f));  // 2^24
        return static_cast<std::uint16_t>(sign | h);
    }
    std::uint32_t mant = absx & 0x7fffffu;
    std::uint32_t exp = (absx >> 23) - 112;
    std::uint32_t h = (exp << 10) | (mant >> 13);
    std::uint32_t rest = mant & 0x1fffu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;
    return static_cast<std::uint16_t>(sign | h);
}

float bfloat16ToFloat(std::uint16_t bits) {
    const std::uint32_t out = static_cast<std::uint32_t>(bits) << 16;
    float f;
    std::memcpy(&f, &out, sizeof f);
    return f;
}

std::uint64_t elementCount(const std::vector<std::int64_t>& shape, const std::string& context) {
    std::uint64_t count = 1;
    for (std::int64_t d : shape) {
        if (d < 0) throw Error(context, "shape " + formatShape(shape) + " has a negative extent.");
        const auto ud = static_cast<std::uint64_t>(d);
        if (ud != 0 && count > std::numeric_limits<std::uint64_t>::max() / ud)
            throw Error(context, "shape " + formatShape(shape) + " has more elements than fit in 64 bits.");
        count *= ud;
    }
    return count;
}

std::string formatShape(const std::vector<std::int64_t>& shape) {
    std::string s = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ',';
        s += std::to_string(shape[i]);
    }
    return s + "]";
}

void checkShape(const std::string& context, const std::string& name, const std::vector<std::int64_t>& actual,
                const std::vector<std::int64_t>& expected) {
    bool ok = actual.size() == expected.size();
    for (std::size_t i = 0; ok && i < actual.size(); ++i) ok = expected[i] == -1 || expected[i] == actual[i];
    if (!ok)
        throw Error(context, "tensor '" + name + "' has shape " + formatShape(actual) + ", expected " +
                                 formatShape(expected) + ".");
}

}  // namespace benchtop::tensor
