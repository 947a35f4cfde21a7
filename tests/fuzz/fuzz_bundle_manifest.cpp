// The manifest.json of a methylation predictor bundle (a bundle is outside input, dropped or downloaded).
#include <string>

#include "core/common/error.h"
#include "core/methyl/predictor_bundle.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)benchtop::methyl::parseBundleManifest(std::string(reinterpret_cast<const char*>(data), size),
                                                    "fuzz/manifest.json");
    } catch (const benchtop::Error&) {
    }
    return 0;
}
