// .npy files (embeddings written by earlier runs are read back by search and the text view).
#include "core/common/error.h"
#include "core/tensor/npy_reader.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto array = benchtop::tensor::readNpy(benchtop::fuzz::scratchFile(data, size, ".npy"));
        (void)array.toFloats();
    } catch (const benchtop::Error&) {
    }
    return 0;
}
