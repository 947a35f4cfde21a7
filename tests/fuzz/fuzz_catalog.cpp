// The model catalog JSON (a user may point BENCHTOP_CATALOG at their own).
#include <string>

#include "core/common/error.h"
#include "core/hub/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)benchtop::hub::Catalog::parse(std::string(reinterpret_cast<const char*>(data), size),
                                            "fuzz/catalog.json");
    } catch (const benchtop::Error&) {
    }
    return 0;
}
