// tokenizer.json loading (the input is the JSON) and encoding with what loaded.
#include <string>

#include "core/common/error.h"
#include "core/text/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string json(reinterpret_cast<const char*>(data), size);
    try {
        const auto tokenizer = benchtop::text::Tokenizer::fromJson(json, "fuzz/tokenizer.json");
        (void)tokenizer.encode("Hello, world! Grüße 123 \xF0\x9F\xA7\xAC  tabs\tand\nlines");
    } catch (const benchtop::Error&) {
    }
    return 0;
}
