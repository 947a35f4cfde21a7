// Beta matrices in every layout the reader accepts, GEO series matrices included.
#include <string_view>

#include "core/common/error.h"
#include "core/methyl/beta_matrix.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)benchtop::methyl::parseBetaMatrix(std::string_view(reinterpret_cast<const char*>(data), size),
                                                "fuzz.csv");
    } catch (const benchtop::Error&) {
    }
    return 0;
}
