#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/tensor/dtype.h"

namespace benchtop::tensor {

/// A .npy file read back (tests, small outputs). Data is little-endian C order.
struct NpyArray {
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::vector<std::uint8_t> data;

    /// The values as floats (F32/F16/F64 converted); throws for integer arrays.
    std::vector<float> toFloats() const;
};

/// Reads a version 1.x/2.x .npy file with a little-endian (or byte-order-free) dtype in C order.
/// Throws benchtop::Error naming the file on anything else.
NpyArray readNpy(const std::string& path);

}  // namespace benchtop::tensor
