// Unit tests of the tokenizer stages: regex matcher, GPT-2 split, split behaviours, Unicode helpers,
// precompiled charsmap parsing. Expected values were checked against the Rust tokenizers 0.23.2.

#include "core/common/error.h"
#include "core/text/regex.h"
#include "core/text/tokenizer_components.h"
#include "core/text/unicode.h"

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

using namespace benchtop::text;
using Catch::Matchers::ContainsSubstring;

namespace {

std::vector<std::string> matches(const std::string& pattern, const std::string& text) {
    const CodepointRegex re(pattern);
    const std::u32string s = unicode::decode(text);
    std::vector<std::string> out;
    for (const auto& [b, e] : re.findAll(s)) out.push_back(unicode::encode(s.substr(b, e - b)));
    return out;
}

std::vector<std::string> gpt2(const std::string& text) {
    const std::u32string s = unicode::decode(text);
    std::vector<std::string> out;
    for (const auto& [b, e] : splitGpt2(s)) out.push_back(unicode::encode(s.substr(b, e - b)));
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("code-point regex handles the patterns of tokenizer.json files", "[text][regex]") {
    CHECK(matches(" {2,}", "a  b   c d") == V{"  ", "   "});
    CHECK(matches("\\p{L}+|\\p{N}+", "abc123 déf") == V{"abc", "123", "déf"});
    CHECK(matches("[^\\s\\p{L}\\p{N}]+", "a, b!! c") == V{",", "!!"});
    CHECK(matches("\\s+(?!\\S)|\\s+", "a   b") == V{"  ", " "});
    CHECK(matches("(?i:'s|'t)", "IT'S it's") == V{"'S", "'s"});
    CHECK(matches("\\p{N}{1,3}", "1234567") == V{"123", "456", "7"});
    CHECK(matches("a*?b", "aab") == V{"aab"});
    CHECK(matches("[a-c]+", "xxabcabx") == V{"abcab"});
    CHECK(matches("^a|b$", "aab") == V{"a", "b"});
    // GPT-4 / Llama 3 pre-split pattern.
    const std::string llama3 =
        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| "
        "?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    CHECK(matches(llama3, "Hello, WORLD'S 12345 !!\n\nok") ==
          V{"Hello", ",", " WORLD", "'S", " ", "123", "45", " !!\n\n", "ok"});
    CHECK_THROWS_AS(CodepointRegex("(?<=a)b"), benchtop::Error);
    CHECK_THROWS_AS(CodepointRegex("(a"), benchtop::Error);
}

TEST_CASE("the regex engine stops pathological patterns and deep nesting with an error", "[text][regex]") {
    using benchtop::text::unicode::decode;
    // Catastrophic backtracking: (a*)*b on a run of 'a' with no 'b' is exponential without a budget.
    const CodepointRegex evil("(a*)*b", "evil/tokenizer.json");
    const std::u32string run = decode(std::string(40, 'a'));
    CHECK_THROWS_WITH(evil.findAll(run), ContainsSubstring("evil/tokenizer.json") && ContainsSubstring("(a*)*b") &&
                                             ContainsSubstring("catastrophic backtracking"));
    CHECK_THROWS_WITH(evil.matchAt(run, 0), ContainsSubstring("catastrophic backtracking"));
    // The same pattern on a text where it matches fast is fine.
    CHECK(matches("(a*)*b", "aab") == V{"aab"});
    // A repeated group over a long text nests one level per repetition: bounded by depth, not the stack.
    const CodepointRegex groups("(?:ab)+", "groups.json");
    std::string longText;
    for (int i = 0; i < 100000; ++i) longText += "ab";
    CHECK_THROWS_WITH(groups.findAll(decode(longText)), ContainsSubstring("nests too deeply"));
    CHECK(matches("(?:ab)+", "xxababx") == V{"abab"});
    // Single-character repeats run iteratively: a 1 MB run is matched whole.
    const std::string spaces(1 << 20, ' ');
    CHECK(CodepointRegex("\\s+").findAll(decode(spaces)).size() == 1);
    // Found by fuzz_regex: a lazy single-character repeat inside a greedy one (`[...]+?+`) rescans its run for
    // every split; the scans count as steps, so the search ends in a clear error (or a result) within the budget.
    const std::string fuzzed = "'s|'t|'re~|'ve|'m|'l+| ?[^\\=s\\\x97\x84Z\x00Up{N}]+?+(\\|s!\\S)|\\s+";
    try {
        const CodepointRegex nested(fuzzed, "fuzzed.json");
        (void)nested.findAll(decode("Hello wo're~|'ve|'m|'l+| ?[\xbc\xc3\x9fe 123 " + std::string(200, '!')));
    } catch (const benchtop::Error& e) {
        CHECK_THAT(std::string(e.what()), ContainsSubstring("fuzzed.json"));
    }
    // Repeat counts are bounded like Oniguruma's (the parser used to overflow an int on {888888888888}).
    CHECK_THROWS_WITH(CodepointRegex("a{888888888888}", "counts.json"),
                      ContainsSubstring("counts.json") && ContainsSubstring("repeat count above 100000"));
    CHECK(matches("a{2,3}", "aaaa") == V{"aaa"});
}

TEST_CASE("GPT-2 pre-split follows the regex on Unicode classes", "[text][bpe]") {
    CHECK(gpt2("Hello world") == V{"Hello", " world"});
    CHECK(gpt2("I'm sure they'll") == V{"I", "'m", " sure", " they", "'ll"});
    CHECK(gpt2("DON'T") == V{"DON", "'", "T"});
    CHECK(gpt2("  two  spaces  ") == V{" ", " two", " ", " spaces", "  "});
    CHECK(gpt2("a\n\nb") == V{"a", "\n", "\n", "b"});
    CHECK(gpt2("3.14 x") == V{"3", ".", "14", " x"});
    CHECK(gpt2("non\xC2\xA0"
               "breaking") == V{"non", "\xC2\xA0", "breaking"});
    CHECK(gpt2("") == V{});
}

TEST_CASE("split behaviours match HF SplitDelimiterBehavior", "[text][tokenizer]") {
    // "a-b--c" split on '-' (each '-' is its own match).
    const std::vector<std::tuple<size_t, size_t, bool>> runs{{0, 1, false}, {1, 2, true}, {2, 3, false},
                                                             {3, 4, true},  {4, 5, true}, {5, 6, false}};
    using R = std::vector<std::pair<size_t, size_t>>;
    CHECK(applySplitBehavior(runs, SplitBehavior::Removed) == R{{0, 1}, {2, 3}, {5, 6}});
    CHECK(applySplitBehavior(runs, SplitBehavior::Isolated) == R{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 6}});
    CHECK(applySplitBehavior(runs, SplitBehavior::Contiguous) == R{{0, 1}, {1, 2}, {2, 3}, {3, 5}, {5, 6}});
    CHECK(applySplitBehavior(runs, SplitBehavior::MergedWithPrevious) == R{{0, 2}, {2, 4}, {4, 5}, {5, 6}});
    CHECK(applySplitBehavior(runs, SplitBehavior::MergedWithNext) == R{{0, 1}, {1, 3}, {3, 4}, {4, 6}});
}

TEST_CASE("Unicode helpers", "[text][unicode]") {
    CHECK(unicode::lossy("a\xFF"
                         "b") ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(unicode::lossy("\xE2\x82") == "\xEF\xBF\xBD");                     // a truncated sequence is one U+FFFD
    CHECK(unicode::normalize("\xEF\xAC\x81", unicode::Form::Nfkc) == "fi");  // U+FB01 ligature
    CHECK(unicode::normalize("e\xCC\x81", unicode::Form::Nfc) == "\xC3\xA9");
    CHECK(unicode::pythonStrip("\xC2\xA0 a b\xE3\x80\x80\t") == "a b");  // NBSP, U+3000
    CHECK(unicode::pythonStrip("\xE2\x80\x8B"
                               "a") ==
          "\xE2\x80\x8B"
          "a");  // ZWSP is not space
    CHECK(unicode::graphemes("e\xCC\x81x").size() == 2);
    std::u32string lower;
    unicode::appendLowercase(lower, 0x130);
    CHECK(lower == U"i\u0307");
}
