#pragma once

// The only header of core/tensor that includes libtorch: include it from core .cpp files only.
#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "core/tensor/dtype.h"
#include "core/tensor/safetensors_file.h"
#include "core/tensor/torch_pickle_file.h"

namespace benchtop::tensor {

/// libtorch's scalar type for a stored dtype.
torch::ScalarType toScalarType(DType dtype);

/// Copies tensor `name` out of the mapped file onto `device`. When `dtype` is given, floating-point
/// tensors are converted to it (F16/BF16 -> F32, F32 -> F16, ...); integer and bool tensors such as
/// position_ids keep their type. Throws "<file>: tensor 'x' not found." when absent.
torch::Tensor toTorch(const SafetensorsFile& file, const std::string& name, torch::Device device = torch::kCPU,
                      c10::optional<torch::ScalarType> dtype = c10::nullopt);

/// The same for a tensor of a PyTorch state dict (strided views are gathered into contiguous tensors).
torch::Tensor toTorch(const TorchPickleFile& file, const std::string& name, torch::Device device = torch::kCPU,
                      c10::optional<torch::ScalarType> dtype = c10::nullopt);

/// Every tensor of the file, by name, with the same conversion rules as toTorch().
std::map<std::string, torch::Tensor> loadAll(const SafetensorsFile& file, torch::Device device = torch::kCPU,
                                             c10::optional<torch::ScalarType> dtype = c10::nullopt);
std::map<std::string, torch::Tensor> loadAll(const TorchPickleFile& file, torch::Device device = torch::kCPU,
                                             c10::optional<torch::ScalarType> dtype = c10::nullopt);

/// Loads a weights file of either kind, recognised by its content (a zip is a PyTorch checkpoint,
/// anything else is tried as safetensors).
std::map<std::string, torch::Tensor> loadWeightsFile(const std::string& path, torch::Device device = torch::kCPU,
                                                     c10::optional<torch::ScalarType> dtype = c10::nullopt);

/// Throws benchtop::Error("<context>", "tensor 'x' has shape [2,3], expected [4,3].") on mismatch; -1
/// in `expected` matches any extent.
void checkShape(const std::string& context, const std::string& name, const torch::Tensor& tensor,
                const std::vector<std::int64_t>& expected);

}  // namespace benchtop::tensor
