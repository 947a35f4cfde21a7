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
        benchtop::text::CodepointRegex regex(input.substr(0, newline), "fuzz");
        // A twentieth of the normal budget: under ASan + UBSan a step costs ~10x, and the budget's logic is
        // the same (a pathological pattern must end in a benchtop::Error, not run past libFuzzer's timeout).
        regex.setStepBudget(benchtop::text::CodepointRegex::kStepBudget / 20,
                            benchtop::text::CodepointRegex::kStepsPerCodePoint / 20);
        (void)regex.findAll(benchtop::text::unicode::decode(input.substr(newline + 1)));
    } catch (const benchtop::Error&) {
    }
    return 0;
}
