// safetensors header and tensor table: every tensor the header lists is read.
#include "core/common/error.h"
#include "core/tensor/safetensors_file.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        benchtop::tensor::SafetensorsFile file(benchtop::fuzz::scratchFile(data, size, ".safetensors"));
        for (const auto& name : file.names()) (void)file.bytes(name);
    } catch (const benchtop::Error&) {
    }
    return 0;
}
