#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/tensor/dtype.h"

namespace benchtop::tensor {

/// One tensor to write: little-endian C-order bytes (`bytes.size` must equal product(shape) x dtype size).
struct TensorToWrite {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    ByteView bytes;
};

/// Writes a safetensors file that this reader and Python's safetensors accept: JSON header with
/// "__metadata__" first, then the tensors in data order (largest element size first, then by name, so
/// every tensor is aligned to its element size, as Python's safetensors orders them), header padded with
/// spaces to a multiple of 8 bytes. Written to "<path>.part" and renamed, so `path` is either the old
/// file or the complete new one. Throws benchtop::Error on duplicate names, size mismatches and I/O errors.
void writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace benchtop::tensor
