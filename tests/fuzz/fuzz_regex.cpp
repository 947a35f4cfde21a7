// The tokenizer regex engine: the first line is the pattern, the rest the text searched.
#include <string>

#include "core/common/error.h"
#include "core/text/regex.h"
#include "core/text/unicode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    if (newline == std::string::npos) return 0;
    try {
        const benchtop::text::CodepointRegex regex(input.substr(0, newline), "fuzz");
        (void)regex.findAll(benchtop::text::unicode::decode(input.substr(newline + 1)));
    } catch (const benchtop::Error&) {
    }
    return 0;
}
