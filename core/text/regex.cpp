#include "core/text/regex.h"

#include "core/common/error.h"
#include "core/text/unicode.h"

#include <utf8proc.h>

#include <functional>
#include <limits>

namespace benchtop::text {

namespace {

constexpr int kUnbounded = std::numeric_limits<int>::max();

// Character-set items: a code-point range, a set of general categories, or one of the Perl classes.
struct ClassItem {
    enum Kind { Range, Categories, Space, Word, Digit } kind = Range;
    char32_t lo = 0, hi = 0;
    uint32_t categories = 0;  // bit i = utf8proc category i
    bool negated = false;
};

uint32_t bit(int c) {
    return 1u << c;
}

uint32_t categoryMask(const std::string& name) {
    using namespace std;
    const uint32_t letters = bit(UTF8PROC_CATEGORY_LU) | bit(UTF8PROC_CATEGORY_LL) | bit(UTF8PROC_CATEGORY_LT) |
                             bit(UTF8PROC_CATEGORY_LM) | bit(UTF8PROC_CATEGORY_LO);
    if (name == "L" || name == "Letter") return letters;
    if (name == "LC" || name == "L&")
        return bit(UTF8PROC_CATEGORY_LU) | bit(UTF8PROC_CATEGORY_LL) | bit(UTF8PROC_CATEGORY_LT);
    if (name == "M" || name == "Mark")
        return bit(UTF8PROC_CATEGORY_MN) | bit(UTF8PROC_CATEGORY_MC) | bit(UTF8PROC_CATEGORY_ME);
    if (name == "N" || name == "Number")
        return bit(UTF8PROC_CATEGORY_ND) | bit(UTF8PROC_CATEGORY_NL) | bit(UTF8PROC_CATEGORY_NO);
    if (name == "P" || name == "Punctuation") {
        uint32_t m = 0;
        for (int c = UTF8PROC_CATEGORY_PC; c <= UTF8PROC_CATEGORY_PO; ++c) m |= bit(c);
        return m;
    }
    if (name == "S" || name == "Symbol")
        return bit(UTF8PROC_CATEGORY_SM) | bit(UTF8PROC_CATEGORY_SC) | bit(UTF8PROC_CATEGORY_SK) |
               bit(UTF8PROC_CATEGORY_SO);
    if (name == "Z" || name == "Separator")
        return bit(UTF8PROC_CATEGORY_ZS) | bit(UTF8PROC_CATEGORY_ZL) | bit(UTF8PROC_CATEGORY_ZP);
    if (name == "C" || name == "Other")
        return bit(UTF8PROC_CATEGORY_CN) | bit(UTF8PROC_CATEGORY_CC) | bit(UTF8PROC_CATEGORY_CF) |
               bit(UTF8PROC_CATEGORY_CS) | bit(UTF8PROC_CATEGORY_CO);
    static const char* const kNames[] = {"Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd",
                                         "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm",
                                         "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co"};
    for (int i = 0; i < 30; ++i)
        if (name == kNames[i]) return bit(i);
    return 0;
}

bool itemMatches(const ClassItem& item, char32_t c) {
    bool r = false;
    switch (item.kind) {
        case ClassItem::Range:
            r = c >= item.lo && c <= item.hi;
            break;
        case ClassItem::Categories:
            r = (item.categories & bit(unicode::category(c))) != 0;
            break;
        case ClassItem::Space:
            r = unicode::isWhitespace(c);
            break;
        case ClassItem::Word:
            r = unicode::isOnigWordChar(c);
            break;
        case ClassItem::Digit:
            r = unicode::category(c) == UTF8PROC_CATEGORY_ND;
            break;
    }
    return r != item.negated;
}

char32_t lower(char32_t c) {
    return static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
}
char32_t upper(char32_t c) {
    return static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c)));
}

}  // namespace

struct CodepointRegex::Node {
    enum Kind { Char, Class, Any, Seq, Alt, Repeat, Look, TextStart, TextEnd, WordBoundary, NotWordBoundary };
    Kind kind = Seq;
    char32_t ch = 0;
    bool icase = false;
    std::vector<ClassItem> items;
    bool negated = false;
    std::vector<std::shared_ptr<Node>> children;
    int min = 0, max = 0;
    bool greedy = true;

    bool single() const { return kind == Char || kind == Class || kind == Any; }

    bool matchesChar(char32_t c) const {
        switch (kind) {
            case Char:
                return c == ch || (icase && (lower(c) == lower(ch) || upper(c) == upper(ch)));
            case Any:
                return c != U'\n';
            case Class: {
                bool in = false;
                for (const auto& item : items) {
                    if (itemMatches(item, c) ||
                        (icase && (itemMatches(item, lower(c)) || itemMatches(item, upper(c))))) {
                        in = true;
                        break;
                    }
                }
                return in != negated;
            }
            default:
                return false;
        }
    }
};

namespace {

using Node = CodepointRegex::Node;
using NodePtr = std::shared_ptr<Node>;
using Cont = std::function<bool(size_t)>;

class Parser {
public:
    Parser(const std::u32string& p, const std::string& original, const std::string& context)
        : m_p(p), m_original(original), m_context(context) {}

    NodePtr parse() {
        NodePtr n = parseAlt();
        if (m_i < m_p.size()) fail("unbalanced ')'");
        return n;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw Error(m_context, "Unsupported or invalid regular expression \"" + m_original + "\" (" + what +
                                   " at position " + std::to_string(m_i) + ").");
    }
    bool eof() const { return m_i >= m_p.size(); }
    char32_t peek() const { return m_p[m_i]; }

    NodePtr parseAlt() {
        auto alt = std::make_shared<Node>();
        alt->kind = Node::Alt;
        alt->children.push_back(parseSeq());
        while (!eof() && peek() == U'|') {
            ++m_i;
            alt->children.push_back(parseSeq());
        }
        if (alt->children.size() == 1) return alt->children[0];
        return alt;
    }

    NodePtr parseSeq() {
        auto seq = std::make_shared<Node>();
        seq->kind = Node::Seq;
        while (!eof() && peek() != U'|' && peek() != U')') {
            NodePtr atom = parseAtom();
            if (!atom) continue;
            atom = parseQuantifier(atom);
            seq->children.push_back(atom);
        }
        if (seq->children.size() == 1) return seq->children[0];
        return seq;
    }

    bool parseInt(int& v) {
        size_t start = m_i;
        v = 0;
        while (!eof() && peek() >= U'0' && peek() <= U'9') {
            v = v * 10 + static_cast<int>(peek() - U'0');
            if (v > CodepointRegex::kMaxRepeat)
                fail("repeat count above " + std::to_string(CodepointRegex::kMaxRepeat));
            ++m_i;
        }
        return m_i > start;
    }

    NodePtr parseQuantifier(NodePtr atom) {
        while (!eof()) {
            int mn = 0, mx = 0;
            const char32_t q = peek();
            if (q == U'*') {
                mn = 0, mx = kUnbounded, ++m_i;
            } else if (q == U'+') {
                mn = 1, mx = kUnbounded, ++m_i;
            } else if (q == U'?') {
                mn = 0, mx = 1, ++m_i;
            } else if (q == U'{') {
                const size_t save = m_i;
                ++m_i;
                if (!parseInt(mn)) {
                    m_i = save;  // a literal '{'
                    return atom;
                }
                mx = mn;
                if (!eof() && peek() == U',') {
                    ++m_i;
                    if (!parseInt(mx)) mx = kUnbounded;
                }
                if (eof() || peek() != U'}') fail("malformed {n,m}");
                ++m_i;
            } else {
                return atom;
            }
            auto rep = std::make_shared<Node>();
            rep->kind = Node::Repeat;
            rep->min = mn;
            rep->max = mx;
            rep->children.push_back(atom);
            if (!eof() && peek() == U'?') {
                rep->greedy = false;
                ++m_i;
            } else if (!eof() && peek() == U'+') {
                ++m_i;  // possessive: treated as greedy (no pattern in the wild depends on the difference)
            }
            atom = rep;
        }
        return atom;
    }

    NodePtr charNode(char32_t c) {
        auto n = std::make_shared<Node>();
        n->kind = Node::Char;
        n->ch = c;
        n->icase = m_icase;
        return n;
    }

    uint32_t hex(size_t digits) {
        uint32_t v = 0;
        for (size_t k = 0; k < digits; ++k) {
            if (eof()) fail("short hex escape");
            const char32_t c = peek();
            int d = -1;
            if (c >= U'0' && c <= U'9')
                d = static_cast<int>(c - U'0');
            else if (c >= U'a' && c <= U'f')
                d = static_cast<int>(c - U'a' + 10);
            else if (c >= U'A' && c <= U'F')
                d = static_cast<int>(c - U'A' + 10);
            if (d < 0) fail("bad hex escape");
            v = v * 16 + static_cast<uint32_t>(d);
            ++m_i;
        }
        return v;
    }

    // Parses an escape after '\'. Returns true with `item` set for class escapes, else sets `literal`.
    bool parseEscape(ClassItem& item, char32_t& literal, bool& anchorSet, Node::Kind& anchor) {
        if (eof()) fail("trailing backslash");
        const char32_t c = peek();
        ++m_i;
        anchorSet = false;
        switch (c) {
            case U'n':
                literal = U'\n';
                return false;
            case U'r':
                literal = U'\r';
                return false;
            case U't':
                literal = U'\t';
                return false;
            case U'f':
                literal = U'\f';
                return false;
            case U'v':
                literal = U'\v';
                return false;
            case U'a':
                literal = 0x07;
                return false;
            case U'e':
                literal = 0x1B;
                return false;
            case U'0':
                literal = 0;
                return false;
            case U'x':
                if (!eof() && peek() == U'{') {
                    ++m_i;
                    uint32_t v = 0;
                    while (!eof() && peek() != U'}') v = v * 16 + hex(1);
                    if (eof()) fail("unterminated \\x{");
                    ++m_i;
                    literal = v;
                } else {
                    literal = hex(2);
                }
                return false;
            case U'u':
                literal = hex(4);
                return false;
            case U's':
            case U'S':
                item.kind = ClassItem::Space;
                item.negated = c == U'S';
                return true;
            case U'w':
            case U'W':
                item.kind = ClassItem::Word;
                item.negated = c == U'W';
                return true;
            case U'd':
            case U'D':
                item.kind = ClassItem::Digit;
                item.negated = c == U'D';
                return true;
            case U'p':
            case U'P': {
                std::string name;
                if (!eof() && peek() == U'{') {
                    ++m_i;
                    while (!eof() && peek() != U'}') name.push_back(static_cast<char>(peek())), ++m_i;
                    if (eof()) fail("unterminated \\p{");
                    ++m_i;
                } else if (!eof()) {
                    name.push_back(static_cast<char>(peek()));
                    ++m_i;
                }
                bool negated = c == U'P';
                if (!name.empty() && name[0] == '^') {
                    negated = !negated;
                    name.erase(0, 1);
                }
                const uint32_t mask = categoryMask(name);
                if (!mask) fail("unknown Unicode property \\p{" + name + "}");
                item.kind = ClassItem::Categories;
                item.categories = mask;
                item.negated = negated;
                return true;
            }
            case U'b':
                anchorSet = true;
                anchor = Node::WordBoundary;
                return false;
            case U'B':
                anchorSet = true;
                anchor = Node::NotWordBoundary;
                return false;
            case U'A':
                anchorSet = true;
                anchor = Node::TextStart;
                return false;
            case U'z':
            case U'Z':
                anchorSet = true;
                anchor = Node::TextEnd;
                return false;
            default:
                if ((c >= U'1' && c <= U'9') || c == U'k' || c == U'g') fail("backreferences are not supported");
                literal = c;
                return false;
        }
    }

    NodePtr parseClass() {
        auto n = std::make_shared<Node>();
        n->kind = Node::Class;
        n->icase = m_icase;
        if (!eof() && peek() == U'^') {
            n->negated = true;
            ++m_i;
        }
        bool first = true;
        while (true) {
            if (eof()) fail("unterminated character class");
            char32_t c = peek();
            if (c == U']' && !first) {
                ++m_i;
                break;
            }
            first = false;
            if (c == U'[') fail("nested character classes are not supported");
            ++m_i;
            char32_t lo = c;
            if (c == U'\\') {
                ClassItem item;
                bool anchorSet = false;
                Node::Kind anchor{};
                if (parseEscape(item, lo, anchorSet, anchor)) {
                    n->items.push_back(item);
                    continue;
                }
                if (anchorSet) lo = 0x08;  // \b inside a class is backspace
            }
            char32_t hi = lo;
            if (m_i + 1 < m_p.size() && peek() == U'-' && m_p[m_i + 1] != U']') {
                ++m_i;
                hi = peek();
                ++m_i;
                if (hi == U'\\') {
                    ClassItem item;
                    bool anchorSet = false;
                    Node::Kind anchor{};
                    if (parseEscape(item, hi, anchorSet, anchor)) fail("class escape as range end");
                }
                if (hi < lo) fail("reversed range");
            }
            ClassItem range;
            range.kind = ClassItem::Range;
            range.lo = lo;
            range.hi = hi;
            n->items.push_back(range);
        }
        return n;
    }

    NodePtr parseAtom() {
        const char32_t c = peek();
        ++m_i;
        switch (c) {
            case U'(': {
                const bool savedIcase = m_icase;
                NodePtr inner;
                if (!eof() && peek() == U'?') {
                    ++m_i;
                    if (eof()) fail("bad group");
                    const char32_t g = peek();
                    if (g == U':') {
                        ++m_i;
                        inner = parseAlt();
                    } else if (g == U'=' || g == U'!') {
                        ++m_i;
                        auto look = std::make_shared<Node>();
                        look->kind = Node::Look;
                        look->negated = g == U'!';
                        look->children.push_back(parseAlt());
                        inner = look;
                    } else if (g == U'<' && m_i + 1 < m_p.size() && (m_p[m_i + 1] == U'=' || m_p[m_i + 1] == U'!')) {
                        fail("lookbehind is not supported");
                    } else if (g == U'<' || g == U'P' || g == U'\'') {
                        while (!eof() && peek() != U'>' && peek() != U'\'') ++m_i;
                        if (eof()) fail("bad named group");
                        ++m_i;
                        inner = parseAlt();
                    } else {
                        // Inline flags: (?i) (?i:...) (?-i:...)
                        bool on = true, icase = m_icase;
                        while (!eof() && peek() != U':' && peek() != U')') {
                            const char32_t f = peek();
                            if (f == U'-')
                                on = false;
                            else if (f == U'i')
                                icase = on;
                            else if (f != U'm' && f != U's' && f != U'x' && f != U'u')
                                fail("unsupported flag");
                            ++m_i;
                        }
                        if (eof()) fail("bad flags");
                        if (peek() == U')') {
                            ++m_i;
                            m_icase = icase;  // applies to the rest of the enclosing group
                            return nullptr;
                        }
                        ++m_i;
                        m_icase = icase;
                        inner = parseAlt();
                    }
                } else {
                    inner = parseAlt();
                }
                if (eof() || peek() != U')') fail("missing ')'");
                ++m_i;
                m_icase = savedIcase;
                return inner;
            }
            case U'[':
                return parseClass();
            case U'.': {
                auto n = std::make_shared<Node>();
                n->kind = Node::Any;
                return n;
            }
            case U'^': {
                auto n = std::make_shared<Node>();
                n->kind = Node::TextStart;
                return n;
            }
            case U'$': {
                auto n = std::make_shared<Node>();
                n->kind = Node::TextEnd;
                return n;
            }
            case U'\\': {
                ClassItem item;
                char32_t literal = 0;
                bool anchorSet = false;
                Node::Kind anchor{};
                if (parseEscape(item, literal, anchorSet, anchor)) {
                    auto n = std::make_shared<Node>();
                    n->kind = Node::Class;
                    n->icase = m_icase;
                    n->items.push_back(item);
                    return n;
                }
                if (anchorSet) {
                    auto n = std::make_shared<Node>();
                    n->kind = anchor;
                    return n;
                }
                return charNode(literal);
            }
            case U'*':
            case U'+':
            case U'?':
                fail("quantifier without operand");
            default:
                return charNode(c);
        }
    }

    const std::u32string& m_p;
    const std::string& m_original;
    const std::string& m_context;
    size_t m_i = 0;
    bool m_icase = false;
};

/// Thrown inside the matcher when a search runs out of steps or depth; turned into benchtop::Error outside.
struct LimitReached {
    bool depth = false;
};

class Matcher {
public:
    Matcher(const std::u32string& s, std::size_t& steps, std::size_t budget)
        : m_s(s), m_steps(steps), m_budget(budget) {}

    bool match(const Node* n, size_t pos, const Cont& k) const {
        if (++m_steps > m_budget) throw LimitReached{false};
        if (m_depth >= CodepointRegex::kMaxDepth) throw LimitReached{true};
        ++m_depth;
        struct Leave {
            std::size_t& depth;
            ~Leave() { --depth; }
        } leave{m_depth};
        switch (n->kind) {
            case Node::Char:
            case Node::Class:
            case Node::Any:
                if (pos < m_s.size() && n->matchesChar(m_s[pos])) return k(pos + 1);
                return false;
            case Node::Seq:
                return matchSeq(n, 0, pos, k);
            case Node::Alt:
                for (const auto& c : n->children)
                    if (match(c.get(), pos, k)) return true;
                return false;
            case Node::Repeat: {
                const Node* child = n->children[0].get();
                if (child->single()) {
                    // Iterative for single-character operands: no recursion depth on long runs.
                    size_t run = 0;
                    const size_t limit = n->max == kUnbounded ? m_s.size() - pos : static_cast<size_t>(n->max);
                    while (run < limit && pos + run < m_s.size() && child->matchesChar(m_s[pos + run])) ++run;
                    // The scan is work too: counted, so nested repeats over long runs meet the budget in time.
                    m_steps += run;
                    if (m_steps > m_budget) throw LimitReached{false};
                    if (run < static_cast<size_t>(n->min)) return false;
                    if (n->greedy) {
                        for (size_t r = run + 1; r-- > static_cast<size_t>(n->min);)
                            if (k(pos + r)) return true;
                    } else {
                        for (size_t r = static_cast<size_t>(n->min); r <= run; ++r)
                            if (k(pos + r)) return true;
                    }
                    return false;
                }
                return matchRepeat(n, 0, pos, k);
            }
            case Node::Look: {
                const bool found = match(n->children[0].get(), pos, [](size_t) { return true; });
                return found != n->negated ? k(pos) : false;
            }
            case Node::TextStart:
                return pos == 0 ? k(pos) : false;
            case Node::TextEnd:
                return pos == m_s.size() ? k(pos) : false;
            case Node::WordBoundary:
            case Node::NotWordBoundary: {
                const bool before = pos > 0 && unicode::isOnigWordChar(m_s[pos - 1]);
                const bool after = pos < m_s.size() && unicode::isOnigWordChar(m_s[pos]);
                const bool boundary = before != after;
                return boundary == (n->kind == Node::WordBoundary) ? k(pos) : false;
            }
        }
        return false;
    }

private:
    bool matchSeq(const Node* n, size_t idx, size_t pos, const Cont& k) const {
        if (idx == n->children.size()) return k(pos);
        return match(n->children[idx].get(), pos, [&](size_t p) { return matchSeq(n, idx + 1, p, k); });
    }

    bool matchRepeat(const Node* n, int count, size_t pos, const Cont& k) const {
        const Node* child = n->children[0].get();
        auto next = [&](size_t p) {
            if (p == pos && count >= n->min) return false;  // an empty iteration makes no progress
            return matchRepeat(n, count + 1, p, k);
        };
        if (n->greedy) {
            if (count < n->max && match(child, pos, next)) return true;
            return count >= n->min && k(pos);
        }
        if (count >= n->min && k(pos)) return true;
        return count < n->max && match(child, pos, next);
    }

    const std::u32string& m_s;
    std::size_t& m_steps;
    std::size_t m_budget;
    mutable std::size_t m_depth = 0;
};

}  // namespace

CodepointRegex::CodepointRegex(const std::string& pattern, const std::string& context) {
    const std::u32string p = unicode::decode(pattern);
    Parser parser(p, pattern, context);
    m_root = parser.parse();
    m_pattern = pattern;
    m_context = context;
}

CodepointRegex CodepointRegex::literal(const std::string& literal) {
    CodepointRegex r;
    r.m_literal = unicode::decode(literal);
    r.m_isLiteral = true;
    return r;
}

CodepointRegex::~CodepointRegex() = default;
CodepointRegex::CodepointRegex(CodepointRegex&&) noexcept = default;
CodepointRegex& CodepointRegex::operator=(CodepointRegex&&) noexcept = default;

long CodepointRegex::matchAt(const std::u32string& text, size_t pos) const {
    std::size_t steps = 0;
    return matchAt(text, pos, steps, m_stepBudget + m_stepsPerCodePoint * text.size());
}

long CodepointRegex::matchAt(const std::u32string& text, size_t pos, std::size_t& steps, std::size_t budget) const {
    if (m_isLiteral) {
        if (m_literal.empty()) return -1;
        return text.compare(pos, m_literal.size(), m_literal) == 0 ? static_cast<long>(m_literal.size()) : -1;
    }
    Matcher m(text, steps, budget);
    size_t end = 0;
    try {
        if (m.match(m_root.get(), pos, [&](size_t p) {
                end = p;
                return true;
            }))
            return static_cast<long>(end - pos);
    } catch (const LimitReached& limit) {
        const std::string where = m_context.empty() ? std::string("regex") : m_context;
        throw Error(where,
                    "the pattern '" + m_pattern + "' " +
                        (limit.depth ? "nests too deeply on a text of " + std::to_string(text.size()) + " characters"
                                     : "needs more than " + std::to_string(budget) + " steps on a text of " +
                                           std::to_string(text.size()) + " characters (catastrophic backtracking)") +
                        "; the text was not processed.");
    }
    return -1;
}

std::vector<std::pair<size_t, size_t>> CodepointRegex::findAll(const std::u32string& text) const {
    std::vector<std::pair<size_t, size_t>> out;
    if (m_isLiteral) {
        if (m_literal.empty()) return out;
        size_t pos = 0;
        while ((pos = text.find(m_literal, pos)) != std::u32string::npos) {
            out.emplace_back(pos, pos + m_literal.size());
            pos += m_literal.size();
        }
        return out;
    }
    // One budget for the whole search: a pattern that backtracks at every start position is caught too.
    std::size_t steps = 0;
    const std::size_t budget = m_stepBudget + m_stepsPerCodePoint * text.size();
    size_t pos = 0;
    while (pos <= text.size()) {
        bool found = false;
        for (size_t start = pos; start <= text.size(); ++start) {
            const long len = matchAt(text, start, steps, budget);
            if (len >= 0) {
                out.emplace_back(start, start + static_cast<size_t>(len));
                pos = len > 0 ? start + static_cast<size_t>(len) : start + 1;
                found = true;
                break;
            }
        }
        if (!found) break;
    }
    return out;
}

}  // namespace benchtop::text
