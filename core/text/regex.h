#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace benchtop::text {

/// A small backtracking regular-expression matcher over code points, for the patterns that occur in
/// tokenizer.json files (Split pre-tokenizers, Replace normalizers: GPT-2/GPT-4/Llama-3 style
/// pre-split patterns, ` {2,}`, literal strings). Perl/Oniguruma semantics: leftmost-first alternation.
/// Supported: literals and escapes, `.`, classes `[...]` with ranges and negation, `\s \S \d \D \w \W`,
/// `\p{..}`/`\P{..}` general categories (L, Lu, N, Nd, P, S, Z, M, C and their subcategories), groups
/// `(...)` `(?:...)` `(?i:...)` `(?i)`, lookahead `(?=...)` `(?!...)`, quantifiers `* + ? {n} {n,} {n,m}`
/// (greedy, lazy `?`, possessive `+` treated as greedy), anchors `^ $ \A \z \b \B`.
/// Anything else (backreferences, lookbehind, scripts) throws benchtop::Error naming the pattern.
///
/// Matching is bounded: a search that takes more than kStepBudget steps plus kStepsPerCodePoint per code
/// point of the text (catastrophic backtracking, e.g. `(a*)*b` on a long run of `a`), or that nests deeper
/// than kMaxDepth (a repeated group over a very long text), throws benchtop::Error naming the pattern and
/// its file instead of running for hours or overflowing the stack.
class CodepointRegex {
public:
    /// Compiles `pattern` (UTF-8). `context` names the file for error messages.
    explicit CodepointRegex(const std::string& pattern, const std::string& context = {});
    /// A regex that matches `literal` exactly.
    static CodepointRegex literal(const std::string& literal);
    ~CodepointRegex();
    CodepointRegex(CodepointRegex&&) noexcept;
    CodepointRegex& operator=(CodepointRegex&&) noexcept;

    /// All non-overlapping matches, left to right, as [begin, end) code-point offsets. Empty matches are
    /// reported; the search then resumes one code point further.
    std::vector<std::pair<size_t, size_t>> findAll(const std::u32string& text) const;
    /// Length of the match anchored at `pos`, or -1.
    long matchAt(const std::u32string& text, size_t pos) const;

    static constexpr std::size_t kStepBudget = 20'000'000;
    static constexpr std::size_t kStepsPerCodePoint = 2'000;
    static constexpr std::size_t kMaxDepth = 4'000;
    /// Largest count in `{n}`, `{n,m}` (Oniguruma's limit).
    static constexpr int kMaxRepeat = 100'000;

    /// Changes this regex's step budget (default kStepBudget + kStepsPerCodePoint per code point), e.g. for a
    /// fuzzer whose sanitizers make each step ten times slower.
    void setStepBudget(std::size_t base, std::size_t perCodePoint) {
        m_stepBudget = base;
        m_stepsPerCodePoint = perCodePoint;
    }

    struct Node;

private:
    CodepointRegex() = default;
    long matchAt(const std::u32string& text, size_t pos, std::size_t& steps, std::size_t budget) const;
    std::shared_ptr<const Node> m_root;
    std::string m_pattern;
    std::string m_context;
    std::u32string m_literal;
    bool m_isLiteral = false;
    std::size_t m_stepBudget = kStepBudget;
    std::size_t m_stepsPerCodePoint = kStepsPerCodePoint;
};

}  // namespace benchtop::text
