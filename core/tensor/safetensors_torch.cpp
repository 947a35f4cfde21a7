#include "core/tensor/safetensors_torch.h"

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/common/error.h"

namespace benchtop::tensor {

namespace {

torch::ScalarType targetType(DType stored, c10::optional<torch::ScalarType> requested) {
    if (requested && isFloatingPoint(stored) && c10::isFloatingType(*requested)) return *requested;
    return toScalarType(stored);
}

// Copies `count` elements at `data` into a new tensor on `device`. from_blob needs an element-aligned
// pointer; foreign files may not align their tensors, so such data is first copied into a fresh buffer.
torch::Tensor copyOut(const std::uint8_t* data, const std::vector<std::int64_t>& shape, DType stored,
                      torch::Device device, c10::optional<torch::ScalarType> dtype) {
    const auto options = torch::TensorOptions().dtype(toScalarType(stored)).device(torch::kCPU);
    const torch::ScalarType target = targetType(stored, dtype);
    const std::size_t bytes = static_cast<std::size_t>(elementCount(shape)) * dtypeSize(stored);
    if (reinterpret_cast<std::uintptr_t>(data) % dtypeSize(stored) == 0) {
        // The blob is read only: .to(..., copy=true) always makes a new tensor that owns its memory.
        torch::Tensor view = torch::from_blob(const_cast<std::uint8_t*>(data), shape, options);
        return view.to(device, target, /*non_blocking=*/false, /*copy=*/true);
    }
    torch::Tensor owned = torch::empty(shape, options);
    if (bytes) std::memcpy(owned.data_ptr(), data, bytes);
    return owned.to(device, target);
}

}  // namespace

torch::ScalarType toScalarType(DType dtype) {
    switch (dtype) {
        case DType::F64:
            return torch::kFloat64;
        case DType::F32:
            return torch::kFloat32;
        case DType::F16:
            return torch::kFloat16;
        case DType::BF16:
            return torch::kBFloat16;
        case DType::I64:
            return torch::kInt64;
        case DType::I32:
            return torch::kInt32;
        case DType::I16:
            return torch::kInt16;
        case DType::I8:
            return torch::kInt8;
        case DType::U8:
            return torch::kUInt8;
        case DType::Bool:
            return torch::kBool;
    }
    return torch::kFloat32;
}

torch::Tensor toTorch(const SafetensorsFile& file, const std::string& name, torch::Device device,
                      c10::optional<torch::ScalarType> dtype) {
    const TensorInfo& info = file.info(name);
    return copyOut(file.bytes(name).data, info.shape, info.dtype, device, dtype);
}

torch::Tensor toTorch(const TorchPickleFile& file, const std::string& name, torch::Device device,
                      c10::optional<torch::ScalarType> dtype) {
    const PickledTensor& t = file.info(name);
    if (file.isContiguous(name))
        return copyOut(t.storage.data + static_cast<std::size_t>(t.storageOffset) * dtypeSize(t.dtype), t.shape,
                       t.dtype, device, dtype);
    const std::vector<std::uint8_t> gathered = file.contiguousBytes(name);
    torch::Tensor owned = torch::empty(t.shape, torch::TensorOptions().dtype(toScalarType(t.dtype)));
    if (!gathered.empty()) std::memcpy(owned.data_ptr(), gathered.data(), gathered.size());
    return owned.to(device, targetType(t.dtype, dtype));
}

std::map<std::string, torch::Tensor> loadAll(const SafetensorsFile& file, torch::Device device,
                                             c10::optional<torch::ScalarType> dtype) {
    std::map<std::string, torch::Tensor> out;
    for (const std::string& name : file.names()) out.emplace(name, toTorch(file, name, device, dtype));
    return out;
}

std::map<std::string, torch::Tensor> loadAll(const TorchPickleFile& file, torch::Device device,
                                             c10::optional<torch::ScalarType> dtype) {
    std::map<std::string, torch::Tensor> out;
    for (const std::string& name : file.names()) out.emplace(name, toTorch(file, name, device, dtype));
    return out;
}

std::map<std::string, torch::Tensor> loadWeightsFile(const std::string& path, torch::Device device,
                                                     c10::optional<torch::ScalarType> dtype) {
    char magic[2] = {0, 0};
    {
        std::ifstream in(std::filesystem::u8path(path), std::ios::binary);
        if (!in) throw Error(path, "cannot open the weights file.");
        in.read(magic, 2);
    }
    if (magic[0] == 'P' && magic[1] == 'K') return loadAll(TorchPickleFile(path), device, dtype);
    return loadAll(SafetensorsFile(path), device, dtype);
}

void checkShape(const std::string& context, const std::string& name, const torch::Tensor& tensor,
                const std::vector<std::int64_t>& expected) {
    const auto sizes = tensor.sizes();
    checkShape(context, name, std::vector<std::int64_t>(sizes.begin(), sizes.end()), expected);
}

}  // namespace benchtop::tensor
