#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/tensor/dtype.h"
#include "core/tensor/mapped_file.h"

namespace benchtop::tensor {

/// Where one tensor lives in a safetensors file. `offset` is relative to the start of the data
/// section (as in the header's data_offsets); `size` is in bytes.
struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
};

/// A safetensors file, memory-mapped and validated on open. The header is checked strictly (sizes,
/// dtypes, shapes, offsets inside the data section, byte sizes matching shape x dtype, no overlap;
/// gaps are allowed), so every view handed out afterwards is in bounds. Const methods are thread-safe.
class SafetensorsFile {
public:
    /// Opens and validates `path`. Throws benchtop::Error("<path>", "<what is wrong>") on a bad file.
    explicit SafetensorsFile(const std::string& path);

    const std::string& path() const { return m_file.path(); }
    /// Tensor names in data order (by byte offset).
    const std::vector<std::string>& names() const { return m_names; }
    bool contains(const std::string& name) const { return m_index.count(name) != 0; }
    /// Throws benchtop::Error("<path>", "tensor 'x' not found.") when absent.
    const TensorInfo& info(const std::string& name) const;
    /// The tensor's raw little-endian bytes inside the mapping (valid while this object lives).
    ByteView bytes(const std::string& name) const;
    /// The optional "__metadata__" string map ({"format": "pt"}).
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    /// Header length in bytes (the u64 at the start of the file).
    std::uint64_t headerSize() const { return m_headerSize; }
    /// Throws "<path>: tensor 'x' has shape [2,3], expected [4,3]." (-1 in `expected` matches anything).
    void checkShape(const std::string& name, const std::vector<std::int64_t>& expected) const;

private:
    MappedFile m_file;
    std::uint64_t m_headerSize = 0;
    const std::uint8_t* m_dataStart = nullptr;
    std::vector<std::string> m_names;
    std::vector<TensorInfo> m_tensors;
    std::unordered_map<std::string, std::size_t> m_index;
    std::map<std::string, std::string> m_metadata;
};

}  // namespace benchtop::tensor
