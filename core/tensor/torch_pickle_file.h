#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/tensor/dtype.h"
#include "core/tensor/zip_archive.h"

namespace benchtop::tensor {

/// One tensor of a PyTorch state dict: a strided view into a storage (several tensors may share one,
/// e.g. tied embeddings). Offsets and strides are in elements, as torch counts them.
struct PickledTensor {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::vector<std::int64_t> strides;
    std::int64_t storageOffset = 0;
    std::string storageKey;  ///< the "<archive>/data/<key>" entry holding the storage
    ByteView storage;        ///< the whole storage's bytes (valid while the file object lives)
};

/// A PyTorch zip checkpoint holding a state dict (`pytorch_model.bin`, FlagEmbedding's
/// `colbert_linear.pt`), read WITHOUT executing Python: data.pkl runs on a tiny pickle machine that
/// knows only the opcodes torch.save emits and only the globals collections.OrderedDict,
/// torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and torch.<Type>Storage. Anything
/// else is refused with an error naming it. Tensors are the dict's tensor values, by key. Const methods
/// are thread-safe.
class TorchPickleFile {
public:
    /// Throws benchtop::Error naming the file: not a zip, no data.pkl, unsupported opcode, forbidden
    /// global, storage missing or too small, tensor view outside its storage.
    explicit TorchPickleFile(const std::string& path);

    const std::string& path() const { return m_zip.path(); }
    /// Tensor names in the order the dict stores them.
    const std::vector<std::string>& names() const { return m_names; }
    bool contains(const std::string& name) const { return m_index.count(name) != 0; }
    /// Throws benchtop::Error("<path>", "tensor 'x' not found.") when absent.
    const PickledTensor& info(const std::string& name) const;
    /// True when the tensor is C-contiguous (its bytes are one run inside the storage).
    bool isContiguous(const std::string& name) const;
    /// The tensor's elements in C order (copied and gathered when strided).
    std::vector<std::uint8_t> contiguousBytes(const std::string& name) const;
    /// Throws "<path>: tensor 'x' has shape [2,3], expected [4,3]." (-1 in `expected` matches anything).
    void checkShape(const std::string& name, const std::vector<std::int64_t>& expected) const;
    /// The archive's root folder inside the zip ("pytorch_model", "archive").
    const std::string& archiveName() const { return m_root; }

private:
    ZipArchive m_zip;
    std::string m_root;
    std::vector<std::string> m_names;
    std::vector<PickledTensor> m_tensors;
    std::unordered_map<std::string, std::size_t> m_index;
};

}  // namespace benchtop::tensor
