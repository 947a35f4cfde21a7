// PyTorch zip checkpoints: the zip directory, the pickle machine and the tensor storages.
#include "core/common/error.h"
#include "core/tensor/torch_pickle_file.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        benchtop::tensor::TorchPickleFile file(benchtop::fuzz::scratchFile(data, size, ".bin"));
        for (const auto& name : file.names()) (void)file.contiguousBytes(name);
    } catch (const benchtop::Error&) {
    }
    return 0;
}
