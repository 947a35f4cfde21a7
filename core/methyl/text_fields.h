#pragma once
// Tokenising shared by the beta-matrix readers (delimited_reader, series_matrix_reader): fields, cells, lines.
// Internal to core/methyl; the hot functions are inline because the row parsers call them per cell.

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace benchtop::methyl::text {

constexpr double kBetaLow = -0.1;  // methylclock's accepted range: real normalised data stray slightly
constexpr double kBetaHigh = 1.1;

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

inline std::string_view unquote(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return s;
}

inline std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Splits one line into fields; quotes may wrap a field (delimiters inside quotes are kept).
/// `space` treats runs of spaces as one delimiter (GenomeStudio exports).
inline void splitLine(std::string_view line, char delim, std::vector<std::string_view>& out) {
    out.clear();
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const bool space = delim == ' ';
    std::size_t i = 0;
    const std::size_t n = line.size();
    if (space)
        while (i < n && line[i] == ' ') ++i;
    while (true) {
        const std::size_t start = i;
        if (i < n && line[i] == '"') {
            ++i;
            while (i < n) {
                if (line[i] == '"') {
                    if (i + 1 < n && line[i + 1] == '"') {
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                ++i;
            }
            while (i < n && line[i] != delim) ++i;
        } else {
            const void* p = i < n ? std::memchr(line.data() + i, delim, n - i) : nullptr;
            i = p ? static_cast<std::size_t>(static_cast<const char*>(p) - line.data()) : n;
        }
        out.push_back(line.substr(start, i - start));
        if (i >= n) break;
        ++i;  // delimiter
        if (space) {
            while (i < n && line[i] == ' ') ++i;
            if (i >= n) break;
        }
    }
}

enum class Cell { Value, Missing, Bad };

/// Parses a value token; NA, NaN, empty (and quoted forms) are missing.
inline Cell parseCell(std::string_view tok, double& value) {
    while (!tok.empty() && (tok.front() == ' ' || tok.front() == '"')) tok.remove_prefix(1);
    while (!tok.empty() && (tok.back() == ' ' || tok.back() == '"' || tok.back() == '\r')) tok.remove_suffix(1);
    if (tok.empty()) return Cell::Missing;
    const char c0 = tok.front();
    if (c0 == 'N' || c0 == 'n') {
        const std::string l = lowerAscii(tok);
        if (l == "na" || l == "nan" || l == "null" || l == "n/a") return Cell::Missing;
        return Cell::Bad;
    }
    const char* b = tok.data();
    const char* e = b + tok.size();
    if (*b == '+') ++b;
    const auto r = std::from_chars(b, e, value);
    if (r.ec != std::errc() || r.ptr != e || !std::isfinite(value)) return Cell::Bad;
    return Cell::Value;
}

constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/// Fast path for the common cell: a plain decimal ("0.705861", "-1.25", "1") ending at `delim` or the end
/// of the line. Returns the end of the number, or nullptr when the cell needs parseCell() (quotes, spaces,
/// NA, exponents, too many digits). Mantissas up to 2^53 over powers of ten up to 1e22 are exact doubles,
/// so one division is correctly rounded: the result equals std::from_chars bit for bit (Clinger's fast path).
inline const char* parsePlainDecimal(const char* p, const char* end, char delim, double& value) {
    const bool negative = p < end && *p == '-';
    if (negative) ++p;
    std::uint64_t mantissa = 0;
    const char* start = p;
    while (p < end && static_cast<unsigned>(*p - '0') < 10u)
        mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
    std::ptrdiff_t digits = p - start, fraction = 0;
    if (p < end && *p == '.') {
        const char* point = ++p;
        while (p < end && static_cast<unsigned>(*p - '0') < 10u)
            mantissa = mantissa * 10 + static_cast<unsigned>(*p++ - '0');
        fraction = p - point;
        digits += fraction;
    }
    if (digits == 0 || digits > 19 || fraction > 22 || mantissa > (std::uint64_t(1) << 53)) return nullptr;
    if (p < end && *p != delim) return nullptr;
    const double v = static_cast<double>(mantissa) / kPow10[fraction];
    value = negative ? -v : v;
    return p;
}

/// Detection p-value tokens: "<1E-16" means below that.
inline bool parsePValue(std::string_view tok, double& value) {
    tok = unquote(tok);
    if (!tok.empty() && tok.front() == '<') {
        value = 0.0;
        return true;
    }
    const auto r = std::from_chars(tok.data(), tok.data() + tok.size(), value);
    return r.ec == std::errc() && r.ptr == tok.data() + tok.size();
}

inline bool isPValueHeader(std::string_view name) {
    const std::string l = lowerAscii(unquote(name));
    auto ends = [&](const char* suf) {
        const std::size_t k = std::strlen(suf);
        return l.size() >= k && l.compare(l.size() - k, k, suf) == 0;
    };
    return ends("_pval") || ends(".pval") || ends("detection pval") || ends("detection.pval") ||
           ends("detection_pval") || ends("_detp") || ends("pval");
}

inline double mToBeta(double m) {
    if (m > 1000) return 1.0;
    if (m < -1000) return 0.0;
    const double p = std::exp2(m);
    return p / (p + 1.0);
}

inline char detectDelimiter(std::string_view header) {
    std::array<std::size_t, 5> counts{};
    const char cands[5] = {'\t', ',', ';', '|', ' '};
    bool inQuote = false;
    for (char c : header) {
        if (c == '"') inQuote = !inQuote;
        if (inQuote) continue;
        for (int k = 0; k < 5; ++k)
            if (c == cands[k]) ++counts[k];
    }
    for (int k = 0; k < 4; ++k)
        if (counts[k] > 0) {
            // pick the most frequent of the non-space candidates
            int best = 0;
            for (int j = 1; j < 4; ++j)
                if (counts[j] > counts[best]) best = j;
            return cands[best];
        }
    return counts[4] > 0 ? ' ' : ',';
}

inline std::string delimiterName(char d) {
    switch (d) {
        case ',':
            return "csv";
        case '\t':
            return "tsv";
        case ' ':
            return "space-separated";
        default:
            return std::string("delimited ('") + d + "')";
    }
}

inline std::string fmtNum(double v) {
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
}

/// Lines of a text with their 1-based numbers.
struct LineCursor {
    std::string_view text;
    std::size_t pos = 0;
    std::size_t lineNo = 0;
    bool next(std::string_view& line) {
        if (pos >= text.size()) return false;
        const void* p = std::memchr(text.data() + pos, '\n', text.size() - pos);
        const std::size_t end = p ? static_cast<std::size_t>(static_cast<const char*>(p) - text.data()) : text.size();
        line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos = p ? end + 1 : text.size();  // never past the end: callers take text.substr(pos)
        ++lineNo;
        return true;
    }
};

inline bool looksBinary(std::string_view text) {
    const std::size_t n = std::min<std::size_t>(text.size(), 64 * 1024);
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == 0) return true;
        if (c < 0x80) {
            if (c < 0x09 || (c > 0x0d && c < 0x20 && c != 0x1b)) return true;
            ++i;
            continue;
        }
        int len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (len == 0) return true;
        if (i + len > n) break;  // cut at the probe boundary
        for (int k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return true;
        i += len;
    }
    return false;
}

}  // namespace benchtop::methyl::text
