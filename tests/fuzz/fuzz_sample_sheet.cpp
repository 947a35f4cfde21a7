// Sample sheets (plain CSV/TSV and Illumina [Data] sheets).
#include <string>

#include "core/common/error.h"
#include "core/methyl/sample_sheet.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    (void)benchtop::methyl::looksLikeSampleSheetText(text);
    try {
        (void)benchtop::methyl::parseSampleSheet(text, "fuzz.csv");
    } catch (const benchtop::Error&) {
    }
    return 0;
}
