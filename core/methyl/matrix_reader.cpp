// Beta-matrix readers: delimited text (optionally gzip), both orientations, GEO series matrices.
#include <algorithm>
#include <filesystem>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <unordered_map>

#include <zlib.h>

#if !defined(_WIN32)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "core/common/error.h"
#include "core/common/memory_check.h"
#include "core/methyl/beta_matrix.h"

namespace benchtop::methyl {
namespace {

constexpr double kBetaLow = -0.1;  // methylclock's accepted range: real normalised data stray slightly
constexpr double kBetaHigh = 1.1;
constexpr std::size_t kParallelBytes = 4u << 20;
constexpr std::size_t kReleaseBytes = 16u << 20;  // parsed input of a mapped file is dropped in steps of this

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string_view unquote(std::string_view s) {
    s = trim(s);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return s;
}

std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::uint64_t hashId(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

/// Splits one line into fields; quotes may wrap a field (delimiters inside quotes are kept).
/// `space` treats runs of spaces as one delimiter (GenomeStudio exports).
void splitLine(std::string_view line, char delim, std::vector<std::string_view>& out) {
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

bool isPValueHeader(std::string_view name) {
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

char detectDelimiter(std::string_view header) {
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

std::string delimiterName(char d) {
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

std::string fmtNum(double v) {
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

bool looksBinary(std::string_view text) {
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

/// Column roles of a CpGs-as-rows table.
struct Layout {
    std::vector<int> sampleOfField;  ///< field -> sample index, -1 = not a sample
    std::vector<int> pvalOfField;    ///< field -> sample whose detection p-value it holds, -1 otherwise
    std::size_t fields = 0;
    std::size_t samples = 0;
};

struct RangeViolation {
    std::size_t line;
    std::size_t field;
    double value;
};

struct ParseError {
    std::size_t line = 0;  ///< local line (1-based within the chunk)
    std::string message;   ///< may contain "{line}" placeholders resolved later
};

/// Per-thread results of parsing a block of CpG rows.
struct Chunk {
    std::size_t lines = 0;
    std::vector<std::int32_t> keptIndex;
    std::vector<double> keptValues;
    std::vector<std::uint64_t> idHashes;
    std::size_t rows = 0, suffixed = 0, missing = 0, outOfUnit = 0, outOfRange = 0;
    std::vector<RangeViolation> violations;  ///< the first few, local lines
    std::vector<double> n, s1, s2;           ///< moment sums (shifted by 0.5)
    std::optional<ParseError> error;
    std::size_t blankLines = 0;
};

struct RowParser {
    const Layout& layout;
    const std::vector<std::string>& sampleNames;
    const ReadOptions& opt;
    bool convertM = false;
    double pThreshold = 0.05;
    /// Every field after the id is a sample column and cells are unquoted: lines can take parseFastRow().
    bool fastRows = false;
    /// The text is a read-only file mapping: parsed pages may be dropped to keep the resident set small.
    bool releaseInput = false;

    /// One pass over a line of plain decimals: id, then exactly one number per sample column. False when
    /// anything is unusual (quotes, NA, ragged, exponents); the general path then parses the line again.
    bool parseFastRow(std::string_view line, std::vector<double>& row, std::string_view& id) const {
        const char* p = line.data();
        const char* end = p + line.size();
        if (p == end) return false;
        if (*p == '"') {  // a quoted id (GEO series matrices)
            const void* close = std::memchr(p + 1, '"', static_cast<std::size_t>(end - p - 1));
            const char* c = static_cast<const char*>(close);
            if (!c || c + 1 >= end || c[1] != delim) return false;
            id = std::string_view(p + 1, static_cast<std::size_t>(c - p - 1));
            p = c + 2;
        } else {
            const void* q = std::memchr(p, delim, static_cast<std::size_t>(end - p));
            if (!q) return false;
            id = unquote(std::string_view(p, static_cast<std::size_t>(static_cast<const char*>(q) - p)));
            p = static_cast<const char*>(q) + 1;
        }
        for (std::size_t f = 1; f < layout.fields; ++f) {
            p = parsePlainDecimal(p, end, delim, row[static_cast<std::size_t>(layout.sampleOfField[f])]);
            if (!p) return false;
            if (f + 1 < layout.fields) {
                if (p == end) return false;
                ++p;  // the delimiter
            }
        }
        return p == end;
    }

    /// Range check / M-value conversion of a parsed value of field `f`.
    void checkValue(double& v, std::size_t f, std::size_t lineNo, Chunk& out) const {
        if (convertM) {
            v = mToBeta(v);
        } else if (opt.checkRange && (v < kBetaLow || v > kBetaHigh)) {
            if (out.violations.size() < 3) out.violations.push_back({lineNo, f, v});
            ++out.outOfRange;
        } else if (v < 0.0 || v > 1.0) {
            ++out.outOfUnit;
        }
    }

#if !defined(_WIN32)
    /// Drops the pages of [from, upTo) (whole pages only) from a read-only private file mapping; reading them
    /// again faults them back in from the file, so this never changes what the text says.
    static void releasePages(const char*& from, const char* upTo) {
        static const std::uintptr_t page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
        const std::uintptr_t a = (reinterpret_cast<std::uintptr_t>(from) + page - 1) & ~(page - 1);
        const std::uintptr_t b = reinterpret_cast<std::uintptr_t>(upTo) & ~(page - 1);
        if (b > a) ::madvise(reinterpret_cast<void*>(a), b - a, MADV_DONTNEED);
        from = upTo;
    }
#endif

    void parse(std::string_view text, Chunk& out) const {
        const std::size_t ns = layout.samples;
        std::vector<std::string_view> fields;
        std::vector<double> row(ns);
        std::vector<double> pv(ns);
        if (opt.computeMoments) {
            out.n.assign(ns, 0.0);
            out.s1.assign(ns, 0.0);
            out.s2.assign(ns, 0.0);
        }
        LineCursor cur{text};
        std::string_view line;
        const char* released = text.data();
        while (cur.next(line)) {
#if !defined(_WIN32)
            if (releaseInput && static_cast<std::size_t>(line.data() - released) >= kReleaseBytes)
                releasePages(released, line.data());
#endif
            std::string_view id;
            if (fastRows && parseFastRow(line, row, id)) {
                ++out.rows;
                for (std::size_t f = 1; f < layout.fields; ++f)
                    checkValue(row[static_cast<std::size_t>(layout.sampleOfField[f])], f, cur.lineNo, out);
                keepRow(id, row, out);
                continue;
            }
            if (trim(line).empty()) {
                ++out.blankLines;
                continue;
            }
            splitLine(line, delim, fields);
            if (fields.size() != layout.fields) {
                // a trailing delimiter (one empty extra field) is tolerated
                if (!(fields.size() == layout.fields + 1 && trim(fields.back()).empty())) {
                    out.error = ParseError{cur.lineNo, "ragged table: line {line} has " +
                                                           std::to_string(fields.size()) + " fields, expected " +
                                                           std::to_string(layout.fields) + " (as in the header)"};
                    out.lines = cur.lineNo;
                    return;
                }
            }
            ++out.rows;
            id = unquote(fields[0]);
            bool anyP = false;
            for (std::size_t f = 1; f < layout.fields; ++f) {
                const int s = layout.sampleOfField[f];
                if (s >= 0) {
                    double v;
                    const Cell c = parseCell(fields[f], v);
                    if (c == Cell::Bad) {
                        out.error = ParseError{cur.lineNo, "non-numeric value '" + std::string(trim(fields[f])) +
                                                               "' at line {line}, column " + std::to_string(f + 1) +
                                                               " (" + std::string(id) + ", " + sampleNames[s] + ")"};
                        out.lines = cur.lineNo;
                        return;
                    }
                    if (c == Cell::Missing) {
                        ++out.missing;
                        row[s] = kMissing;
                        continue;
                    }
                    checkValue(v, f, cur.lineNo, out);
                    row[s] = v;
                } else if (layout.pvalOfField[f] >= 0) {
                    double p;
                    if (!parsePValue(fields[f], p)) p = 0.0;
                    pv[layout.pvalOfField[f]] = p;
                    anyP = true;
                }
            }
            if (anyP) {
                for (std::size_t s = 0; s < ns; ++s)
                    if (pv[s] > pThreshold && !std::isnan(row[s])) {
                        row[s] = kMissing;
                        ++out.missing;
                    }
                std::fill(pv.begin(), pv.end(), 0.0);
            }
            keepRow(id, row, out);
        }
        out.lines = cur.lineNo;
#if !defined(_WIN32)
        if (releaseInput) releasePages(released, text.data() + text.size());
#endif
    }

    /// Bookkeeping of a parsed row: id statistics, moments, and the values when the row is kept.
    void keepRow(std::string_view id, const std::vector<double>& row, Chunk& out) const {
        const std::string_view base = stripProbeSuffix(id);
        if (base.size() != id.size()) ++out.suffixed;
        out.idHashes.push_back(hashId(base));
        if (opt.computeMoments) accumulate(row, out);
        const int k = opt.keep ? opt.keep->find(base) : -2;
        if (k != -1) {
            out.keptIndex.push_back(k);
            out.keptValues.insert(out.keptValues.end(), row.begin(), row.end());
            if (k == -2) out.keptIndex.back() = -2;  // "keep all": resolved after the merge
        }
    }

    static void accumulate(const std::vector<double>& row, Chunk& out) {
        double sum = 0;
        std::size_t cnt = 0;
        for (double v : row)
            if (!std::isnan(v)) {
                sum += v;
                ++cnt;
            }
        if (cnt == 0) return;  // all-missing probes are dropped, as Zhang's code does
        const double mean = sum / static_cast<double>(cnt);
        for (std::size_t s = 0; s < row.size(); ++s) {
            const double d = (std::isnan(row[s]) ? mean : row[s]) - 0.5;
            out.n[s] += 1.0;
            out.s1[s] += d;
            out.s2[s] += d * d;
        }
    }

    char delim = ',';
};

/// Metadata collected from a GEO series matrix header.
struct SeriesMeta {
    std::vector<std::string> titles;
    std::vector<std::string> accessions;
    std::vector<std::vector<std::pair<std::string, std::string>>> characteristics;  // per sample
    std::vector<std::string> dataProcessing;
};

void applyCharacteristics(const SeriesMeta& meta, std::vector<SampleInfo>& samples) {
    for (std::size_t s = 0; s < samples.size(); ++s) {
        if (s < meta.titles.size()) samples[s].title = meta.titles[s];
        if (s >= meta.characteristics.size()) continue;
        for (const auto& [key, value] : meta.characteristics[s]) {
            const std::string k = lowerAscii(key);
            if (k == "age" || k.rfind("age ", 0) == 0 || k.rfind("age(", 0) == 0 || k == "age_years") {
                double a;
                const std::string_view v = trim(value);
                const auto r = std::from_chars(v.data(), v.data() + v.size(), a);
                if (r.ec == std::errc()) samples[s].age = a;
            } else if (k == "sex" || k == "gender" || k.rfind("sex ", 0) == 0 || k.rfind("gender ", 0) == 0) {
                samples[s].sex = parseSex(value);
            }
        }
    }
}

std::vector<std::string> sampleNamesOf(const std::vector<SampleInfo>& s) {
    std::vector<std::string> out;
    out.reserve(s.size());
    for (const auto& x : s) out.push_back(x.name);
    return out;
}

/// Parses the CpGs-as-rows table in `text` (the header line already consumed).
/// `releaseInput`: the body is a read-only file mapping whose parsed pages may be dropped.
BetaMatrix parseCpgRows(std::string_view body, std::size_t bodyFirstLine, const std::string& name,
                        const std::vector<std::string_view>& header, char delim, const ReadOptions& opt,
                        LoadReport report, const std::vector<std::string>* overrideNames, bool releaseInput) {
    Layout layout;
    layout.fields = header.size();
    layout.sampleOfField.assign(header.size(), -1);
    layout.pvalOfField.assign(header.size(), -1);
    std::vector<SampleInfo> samples;
    std::unordered_map<std::string, std::size_t> seen;
    for (std::size_t f = 1; f < header.size(); ++f) {
        std::string col(unquote(header[f]));
        if (isPValueHeader(col) && !samples.empty() && layout.sampleOfField[f - 1] >= 0) {
            layout.pvalOfField[f] = layout.sampleOfField[f - 1];
            continue;
        }
        if (col.empty() && f + 1 == header.size()) {  // trailing delimiter on the header
            layout.fields = header.size();
            continue;
        }
        if (col.empty()) col = "sample" + std::to_string(samples.size() + 1);
        if (auto it = seen.find(col); it != seen.end())
            throw Error(name + ":" + std::to_string(bodyFirstLine - 1),
                        "duplicate sample name '" + col + "' (columns " + std::to_string(it->second + 1) + " and " +
                            std::to_string(f + 1) + "); sample names must be unique");
        seen.emplace(col, f);
        layout.sampleOfField[f] = static_cast<int>(samples.size());
        SampleInfo info;
        info.name = col;
        samples.push_back(std::move(info));
    }
    if (overrideNames && overrideNames->size() == samples.size())
        for (std::size_t s = 0; s < samples.size(); ++s)
            if (!(*overrideNames)[s].empty()) samples[s].name = (*overrideNames)[s];
    layout.samples = samples.size();
    if (samples.empty())
        throw Error(name + ":" + std::to_string(bodyFirstLine - 1), "the header names no sample columns");
    const std::vector<std::string> names = sampleNamesOf(samples);
    const bool pvalPairs =
        std::any_of(layout.pvalOfField.begin(), layout.pvalOfField.end(), [](int v) { return v >= 0; });

    RowParser parser{layout, names, opt};
    parser.delim = delim;
    parser.convertM = opt.mvalues == MValueMode::Always;
    parser.fastRows = delim != ' ' && std::all_of(layout.sampleOfField.begin() + 1, layout.sampleOfField.end(),
                                                  [](int s) { return s >= 0; });
    parser.releaseInput = releaseInput;
    if (opt.mvalues == MValueMode::Auto) {
        // Decide from the first rows: M-values spread far outside [0, 1] on both sides.
        std::size_t total = 0, outside = 0;
        double lo = 0, hi = 0;
        LineCursor cur{body};
        std::string_view line;
        std::vector<std::string_view> fields;
        for (int r = 0; r < 2000 && cur.next(line);) {
            if (trim(line).empty()) continue;
            ++r;
            splitLine(line, delim, fields);
            for (std::size_t f = 1; f < fields.size() && f < layout.fields; ++f) {
                if (layout.sampleOfField[f] < 0) continue;
                double v;
                if (parseCell(fields[f], v) != Cell::Value) continue;
                ++total;
                if (v < 0 || v > 1) ++outside;
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
        parser.convertM = total > 0 && outside * 10 >= total && lo < -1.0 && hi > 1.0;
    }

    // Split into chunks at line ends; each thread parses one.
    const int threads = std::max(1, body.size() >= kParallelBytes ? opt.threads : 1);
    std::vector<std::string_view> parts;
    {
        std::size_t start = 0;
        for (int t = 0; t < threads; ++t) {
            std::size_t end = t + 1 == threads ? body.size() : std::max(start, body.size() * (t + 1) / threads);
            if (end < body.size()) {
                const void* p = std::memchr(body.data() + end, '\n', body.size() - end);
                end = p ? static_cast<std::size_t>(static_cast<const char*>(p) - body.data()) + 1 : body.size();
            }
            parts.push_back(body.substr(start, end - start));
            start = end;
        }
    }
    std::vector<Chunk> chunks(parts.size());
    if (parts.size() == 1) {
        parser.parse(parts[0], chunks[0]);
    } else {
        std::vector<std::thread> pool;
        for (std::size_t t = 1; t < parts.size(); ++t) pool.emplace_back([&, t] { parser.parse(parts[t], chunks[t]); });
        parser.parse(parts[0], chunks[0]);
        for (auto& th : pool) th.join();
    }
    // A chunk's local line 1 is global line `base`.
    std::vector<std::size_t> base(chunks.size());
    {
        std::size_t b = bodyFirstLine;
        for (std::size_t t = 0; t < chunks.size(); ++t) {
            base[t] = b;
            // lines counted by the cursor; a chunk ends with '\n' so the next starts on a new line
            b += chunks[t].lines;
        }
    }
    auto global = [&](std::size_t t, std::size_t local) { return base[t] + local - 1; };
    for (std::size_t t = 0; t < chunks.size(); ++t) {
        if (!chunks[t].error) continue;
        const std::size_t line = global(t, chunks[t].error->line);
        std::string msg = chunks[t].error->message;
        const auto at = msg.find("{line}");
        if (at != std::string::npos) msg.replace(at, 6, std::to_string(line));
        throw Error(name + ":" + std::to_string(line), msg);
    }
    std::size_t rows = 0, outOfRange = 0;
    std::vector<RangeViolation> violations;
    for (std::size_t t = 0; t < chunks.size(); ++t) {
        rows += chunks[t].rows;
        outOfRange += chunks[t].outOfRange;
        for (auto v : chunks[t].violations) {
            v.line = global(t, v.line);
            violations.push_back(v);
        }
    }
    if (rows == 0)
        throw Error(name + ":" + std::to_string(bodyFirstLine - 1), "no CpG rows: the file has a header but no data");
    if (outOfRange > 0) {
        std::string ex;
        for (std::size_t i = 0; i < violations.size() && i < 3; ++i) {
            const auto& v = violations[i];
            if (!ex.empty()) ex += "; ";
            ex += fmtNum(v.value) + " at line " + std::to_string(v.line) + ", column " + std::to_string(v.field + 1) +
                  " (" + names[layout.sampleOfField[v.field]] + ")";
        }
        throw Error(name + ":" + std::to_string(violations.front().line),
                    std::to_string(outOfRange) + " value(s) outside the beta range [-0.1, 1.1] (" + ex +
                        "); these are not beta values - if the file holds M-values, select M-value input "
                        "(mvalues=true)");
    }

    BetaMatrix m;
    m.samples = std::move(samples);
    const std::size_t ns = m.samples.size();
    report.cpgsAsRows = true;
    report.rowsRead = rows;
    report.mvaluesConverted = parser.convertM;
    std::vector<std::uint64_t> hashes;
    for (auto& c : chunks) {
        report.suffixedIds += c.suffixed;
        report.missingCells += c.missing;
        report.outOfUnitRange += c.outOfUnit;
        hashes.insert(hashes.end(), c.idHashes.begin(), c.idHashes.end());
        c.idHashes.clear();
        c.idHashes.shrink_to_fit();
    }
    std::sort(hashes.begin(), hashes.end());
    report.probesInFile = static_cast<std::size_t>(std::unique(hashes.begin(), hashes.end()) - hashes.begin());
    report.replicatesAveraged = rows - report.probesInFile;

    // Merge kept rows; duplicates (EPIC v2 replicates) are averaged over their non-missing values.
    std::vector<double> sum;
    std::vector<std::uint32_t> cnt;
    std::vector<std::size_t> rowOf;  // keep index -> matrix row (or ProbeIndex order when keeping all)
    auto addRow = [&](std::size_t r, const double* v) {
        if ((r + 1) * ns > sum.size()) {
            sum.resize((r + 1) * ns, 0.0);
            cnt.resize((r + 1) * ns, 0);
        }
        for (std::size_t s = 0; s < ns; ++s)
            if (!std::isnan(v[s])) {
                sum[r * ns + s] += v[s];
                ++cnt[r * ns + s];
            }
    };
    std::vector<std::uint32_t> rowHits;
    for (std::size_t t = 0; t < chunks.size(); ++t) {
        auto& c = chunks[t];
        std::size_t pos = 0;
        // ids of kept rows are re-derived from the text only when keeping all rows
        std::vector<std::string_view> keptIds;
        if (!opt.keep) {
            LineCursor cur{parts[t]};
            std::string_view line;
            std::vector<std::string_view> fields;
            while (cur.next(line)) {
                if (trim(line).empty()) continue;
                const std::size_t cut = line.find(delim == ' ' ? ' ' : delim);
                keptIds.push_back(stripProbeSuffix(unquote(line.substr(0, cut))));
            }
        }
        for (std::size_t i = 0; i < c.keptIndex.size(); ++i, pos += ns) {
            int r;
            if (opt.keep) {
                r = m.index.add(opt.keep->ids()[static_cast<std::size_t>(c.keptIndex[i])]);
            } else {
                r = m.index.add(keptIds[i]);
            }
            if (static_cast<std::size_t>(r) >= rowHits.size()) rowHits.resize(r + 1, 0);
            ++rowHits[r];
            addRow(static_cast<std::size_t>(r), c.keptValues.data() + pos);
        }
        c.keptValues.clear();
        c.keptValues.shrink_to_fit();
    }
    m.cpgs = m.index.ids();
    m.values.assign(m.cpgs.size() * ns, kMissing);
    for (std::size_t i = 0; i < m.values.size() && i < sum.size(); ++i)
        if (cnt[i] > 0) m.values[i] = cnt[i] == 1 ? sum[i] : sum[i] / cnt[i];

    if (opt.computeMoments) {
        SampleMoments mo;
        mo.count.assign(ns, 0);
        mo.mean.assign(ns, 0);
        mo.sd.assign(ns, 0);
        std::vector<double> s1(ns, 0.0), s2(ns, 0.0);
        for (auto& c : chunks)
            for (std::size_t s = 0; s < ns && s < c.n.size(); ++s) {
                mo.count[s] += c.n[s];
                s1[s] += c.s1[s];
                s2[s] += c.s2[s];
            }
        for (std::size_t s = 0; s < ns; ++s) {
            const double n = mo.count[s];
            mo.mean[s] = 0.5 + s1[s] / n;
            mo.sd[s] = n > 1 ? std::sqrt(std::max(0.0, (s2[s] - s1[s] * s1[s] / n) / (n - 1))) : kMissing;
        }
        m.moments = std::move(mo);
    }
    if (report.suffixedIds > 0)
        report.notes.push_back(std::to_string(report.suffixedIds) +
                               " EPIC v2 probe ids with suffixes collapsed to their cg id");
    if (report.replicatesAveraged > 0)
        report.notes.push_back(std::to_string(report.replicatesAveraged) + " replicate probe rows averaged (" +
                               std::to_string(rows) + " rows -> " + std::to_string(report.probesInFile) + " probes)");
    if (report.mvaluesConverted) report.notes.push_back("M-values converted to betas (beta = 2^M / (2^M + 1))");
    if (pvalPairs) report.notes.push_back("detection p-value columns found: values with p > 0.05 treated as missing");
    if (report.outOfUnitRange > 0)
        report.notes.push_back(std::to_string(report.outOfUnitRange) +
                               " beta values slightly outside [0, 1] kept as they are (normalised data)");
    m.report = std::move(report);
    return m;
}

/// Samples as rows: header = [empty/label, cpg ids...], each line = sample name + values.
BetaMatrix parseSampleRows(std::string_view body, std::size_t bodyFirstLine, const std::string& name,
                           const std::vector<std::string_view>& header, char delim, const ReadOptions& opt,
                           LoadReport report) {
    const std::size_t nf = header.size();
    std::vector<std::string> ids;
    ids.reserve(nf);
    for (std::size_t f = 1; f < nf; ++f) ids.emplace_back(stripProbeSuffix(unquote(header[f])));
    std::vector<std::vector<double>> perSample;
    // Only the kept columns are stored unless moments over every probe are needed (memory of wide files).
    const bool filter = opt.keep && !opt.computeMoments;
    std::vector<int> slotOfField(ids.size(), -1);
    std::vector<std::size_t> fieldOfSlot;
    for (std::size_t j = 0; j < ids.size(); ++j)
        if (!filter || opt.keep->find(ids[j]) >= 0) {
            slotOfField[j] = static_cast<int>(fieldOfSlot.size());
            fieldOfSlot.push_back(j);
        }
    std::vector<SampleInfo> samples;
    std::unordered_map<std::string, std::size_t> seen;
    std::vector<std::string_view> fields;
    LineCursor cur{body};
    std::string_view line;
    std::size_t outOfRange = 0;
    std::vector<RangeViolation> violations;
    double lo = 0, hi = 0;
    std::size_t total = 0, outside = 0;
    while (cur.next(line)) {
        if (trim(line).empty()) continue;
        const std::size_t lineNo = bodyFirstLine + cur.lineNo - 1;
        splitLine(line, delim, fields);
        if (fields.size() != nf)
            throw Error(name + ":" + std::to_string(lineNo), "ragged table: line " + std::to_string(lineNo) + " has " +
                                                                 std::to_string(fields.size()) + " fields, expected " +
                                                                 std::to_string(nf) + " (as in the header)");
        std::string sname(unquote(fields[0]));
        if (sname.empty()) sname = "sample" + std::to_string(samples.size() + 1);
        if (auto it = seen.find(sname); it != seen.end())
            throw Error(name + ":" + std::to_string(lineNo),
                        "duplicate sample name '" + sname + "' (lines " + std::to_string(it->second) + " and " +
                            std::to_string(lineNo) + "); sample names must be unique");
        seen.emplace(sname, lineNo);
        std::vector<double> vals(fieldOfSlot.size());
        for (std::size_t f = 1; f < nf; ++f) {
            double v;
            const Cell c = parseCell(fields[f], v);
            if (c == Cell::Bad)
                throw Error(name + ":" + std::to_string(lineNo), "non-numeric value '" + std::string(trim(fields[f])) +
                                                                     "' at line " + std::to_string(lineNo) +
                                                                     ", column " + std::to_string(f + 1) + " (" +
                                                                     ids[f - 1] + ", " + sname + ")");
            if (c == Cell::Missing) {
                ++report.missingCells;
                v = kMissing;
            } else {
                ++total;
                if (v < 0 || v > 1) ++outside;
                lo = std::min(lo, v);
                hi = std::max(hi, v);
                if (opt.checkRange && (v < kBetaLow || v > kBetaHigh)) {
                    if (violations.size() < 3) violations.push_back({lineNo, f, v});
                    ++outOfRange;
                }
            }
            if (slotOfField[f - 1] >= 0) vals[static_cast<std::size_t>(slotOfField[f - 1])] = v;
        }
        SampleInfo info;
        info.name = sname;
        samples.push_back(std::move(info));
        perSample.push_back(std::move(vals));
    }
    if (samples.empty())
        throw Error(name + ":" + std::to_string(bodyFirstLine - 1),
                    "no sample rows: the file has a header but no data");
    const bool convert = opt.mvalues == MValueMode::Always ||
                         (opt.mvalues == MValueMode::Auto && outside * 10 >= total && lo < -1.0 && hi > 1.0);
    if (!convert && outOfRange > 0) {
        std::string ex;
        for (const auto& v : violations) {
            if (!ex.empty()) ex += "; ";
            ex += fmtNum(v.value) + " at line " + std::to_string(v.line) + ", column " + std::to_string(v.field + 1);
        }
        throw Error(name + ":" + std::to_string(violations.front().line),
                    std::to_string(outOfRange) + " value(s) outside the beta range [-0.1, 1.1] (" + ex +
                        "); these are not beta values - if the file holds M-values, select M-value input "
                        "(mvalues=true)");
    }
    const std::size_t ns = samples.size();
    BetaMatrix m;
    m.samples = std::move(samples);
    // Build rows (averaging duplicate ids) for every CpG, then compute moments, then filter.
    ProbeIndex all;
    std::vector<int> rowOfSlot(fieldOfSlot.size());
    for (std::size_t k = 0; k < fieldOfSlot.size(); ++k) rowOfSlot[k] = all.add(ids[fieldOfSlot[k]]);
    std::vector<double> sum(all.size() * ns, 0.0);
    std::vector<std::uint32_t> cnt(all.size() * ns, 0);
    for (std::size_t s = 0; s < ns; ++s)
        for (std::size_t k = 0; k < fieldOfSlot.size(); ++k) {
            const double v = perSample[s][k];
            if (std::isnan(v)) continue;
            const std::size_t i = static_cast<std::size_t>(rowOfSlot[k]) * ns + s;
            sum[i] += convert ? mToBeta(v) : v;
            ++cnt[i];
            if (!convert && (v < 0 || v > 1)) ++report.outOfUnitRange;
        }
    perSample.clear();
    report.cpgsAsRows = false;
    report.rowsRead = ns;
    if (filter) {
        ProbeIndex distinct;
        for (const auto& id : ids) distinct.add(id);
        report.probesInFile = distinct.size();
    } else {
        report.probesInFile = all.size();
    }
    report.replicatesAveraged = ids.size() - report.probesInFile;
    report.mvaluesConverted = convert;
    for (std::size_t f = 1; f < nf; ++f)
        if (stripProbeSuffix(unquote(header[f])).size() != unquote(header[f]).size()) ++report.suffixedIds;
    BetaMatrix full;
    full.samples = m.samples;
    full.cpgs = all.ids();
    full.values.assign(sum.size(), kMissing);
    for (std::size_t i = 0; i < sum.size(); ++i)
        if (cnt[i] > 0) full.values[i] = sum[i] / cnt[i];
    if (opt.computeMoments) full.computeMomentsFromRows();
    if (opt.keep) {
        for (std::size_t r = 0; r < full.cpgs.size(); ++r) {
            if (opt.keep->find(full.cpgs[r]) < 0) continue;
            m.index.add(full.cpgs[r]);
            m.values.insert(m.values.end(), full.values.begin() + r * ns, full.values.begin() + (r + 1) * ns);
        }
        m.cpgs = m.index.ids();
    } else {
        m.cpgs = full.cpgs;
        m.values = std::move(full.values);
        m.index = ProbeIndex(m.cpgs);
    }
    m.moments = std::move(full.moments);
    if (report.suffixedIds > 0)
        report.notes.push_back(std::to_string(report.suffixedIds) +
                               " EPIC v2 probe ids with suffixes collapsed to their cg id");
    if (report.replicatesAveraged > 0)
        report.notes.push_back(std::to_string(report.replicatesAveraged) + " replicate probe columns averaged");
    if (convert) report.notes.push_back("M-values converted to betas (beta = 2^M / (2^M + 1))");
    m.report = std::move(report);
    return m;
}

BetaMatrix parseSeriesMatrix(std::string_view text, const std::string& name, const ReadOptions& opt, LoadReport report,
                             bool releaseInput) {
    SeriesMeta meta;
    LineCursor cur{text};
    std::string_view line;
    std::vector<std::string_view> fields;
    std::size_t beginLine = 0;
    std::size_t bodyStart = 0;
    while (cur.next(line)) {
        if (line.rfind("!series_matrix_table_begin", 0) == 0) {
            beginLine = cur.lineNo;
            bodyStart = cur.pos;
            break;
        }
        if (line.empty() || line[0] != '!') continue;
        splitLine(line, '\t', fields);
        const std::string_view key = fields[0];
        auto values = [&] {
            std::vector<std::string> v;
            for (std::size_t i = 1; i < fields.size(); ++i) v.emplace_back(unquote(fields[i]));
            return v;
        };
        if (key == "!Sample_title") {
            meta.titles = values();
        } else if (key == "!Sample_geo_accession") {
            meta.accessions = values();
        } else if (key == "!Sample_characteristics_ch1") {
            const auto v = values();
            if (meta.characteristics.size() < v.size()) meta.characteristics.resize(v.size());
            for (std::size_t s = 0; s < v.size(); ++s) {
                const auto colon = v[s].find(':');
                if (colon == std::string::npos) continue;
                meta.characteristics[s].emplace_back(std::string(trim(std::string_view(v[s]).substr(0, colon))),
                                                     std::string(trim(std::string_view(v[s]).substr(colon + 1))));
            }
        } else if (key == "!Sample_data_processing") {
            meta.dataProcessing = values();
        }
    }
    if (beginLine == 0)
        throw Error(name + ":" + std::to_string(cur.lineNo),
                    "series matrix without a data table (no !series_matrix_table_begin); download the series matrix "
                    "file that includes the beta values or the supplementary beta matrix");
    const std::size_t endMarker = text.find("!series_matrix_table_end", bodyStart);
    if (endMarker == std::string_view::npos) {
        const std::size_t lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) +
                                  (text.empty() || text.back() == '\n' ? 0 : 1);
        throw Error(name + ":" + std::to_string(lines),
                    "truncated series matrix (no !series_matrix_table_end): the download is incomplete");
    }
    std::string_view table = text.substr(bodyStart, endMarker - bodyStart);
    LineCursor tc{table};
    std::string_view headerLine;
    while (tc.next(headerLine) && trim(headerLine).empty()) {
    }
    if (trim(headerLine).empty())
        throw Error(name + ":" + std::to_string(beginLine), "no CpG rows: the series matrix table is empty");
    std::vector<std::string_view> header;
    splitLine(headerLine, '\t', header);
    report.format = "series-matrix";
    // A declared M-value series ("M values" in data processing) is converted.
    ReadOptions o = opt;
    for (const auto& d : meta.dataProcessing)
        if (o.mvalues == MValueMode::Auto && lowerAscii(d).find("m value") != std::string::npos)
            o.mvalues = MValueMode::Always;
    BetaMatrix m = parseCpgRows(table.substr(tc.pos), beginLine + tc.lineNo + 1, name, header, '\t', o, report,
                                meta.accessions.empty() ? nullptr : &meta.accessions, releaseInput);
    applyCharacteristics(meta, m.samples);
    return m;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
bool isProbeId(std::string_view t) {
    t = unquote(t);
    if (t.size() >= 10 && t[0] == 'c' && t[1] == 'g') {
        for (int i = 2; i < 10; ++i)
            if (t[i] < '0' || t[i] > '9') return false;
        return t.size() == 10 || t[10] == '_';
    }
    if (t.size() > 3 && t[0] == 'c' && t[1] == 'h' && t[2] == '.') return true;
    if (t.size() > 2 && t[0] == 'r' && t[1] == 's' && t[2] >= '0' && t[2] <= '9') return true;
    return false;
}

std::string_view stripProbeSuffix(std::string_view id) {
    const auto u = id.find('_');
    return u == std::string_view::npos ? id : id.substr(0, u);
}

ProbeIndex::ProbeIndex(std::vector<std::string> ids) {
    rehash(std::max<std::size_t>(16, ids.size() * 2));
    for (auto& id : ids) add(id);
}

void ProbeIndex::rehash(std::size_t buckets) {
    std::size_t n = 16;
    while (n < buckets) n <<= 1;
    m_table.assign(n, -1);
    for (std::size_t i = 0; i < m_ids.size(); ++i) {
        std::size_t h = hashId(m_ids[i]) & (n - 1);
        while (m_table[h] >= 0) h = (h + 1) & (n - 1);
        m_table[h] = static_cast<std::int32_t>(i);
    }
}

int ProbeIndex::find(std::string_view id) const {
    if (m_table.empty()) return -1;
    const std::size_t mask = m_table.size() - 1;
    std::size_t h = hashId(id) & mask;
    while (true) {
        const std::int32_t v = m_table[h];
        if (v < 0) return -1;
        if (m_ids[static_cast<std::size_t>(v)] == id) return v;
        h = (h + 1) & mask;
    }
}

int ProbeIndex::add(std::string_view id) {
    const int existing = find(id);
    if (existing >= 0) return existing;
    if ((m_ids.size() + 1) * 2 > m_table.size()) rehash(std::max<std::size_t>(16, m_table.size() * 2));
    m_ids.emplace_back(id);
    const std::size_t mask = m_table.size() - 1;
    std::size_t h = hashId(id) & mask;
    while (m_table[h] >= 0) h = (h + 1) & mask;
    m_table[h] = static_cast<std::int32_t>(m_ids.size() - 1);
    return static_cast<int>(m_ids.size() - 1);
}

std::string toString(Sex sex) {
    switch (sex) {
        case Sex::Female:
            return "F";
        case Sex::Male:
            return "M";
        default:
            return "";
    }
}

Sex parseSex(std::string_view text) {
    const std::string l = lowerAscii(unquote(text));
    if (l == "m" || l == "male" || l == "man") return Sex::Male;
    if (l == "f" || l == "female" || l == "woman") return Sex::Female;
    return Sex::Unknown;
}

void BetaMatrix::computeMomentsFromRows() {
    const std::size_t ns = samples.size();
    SampleMoments mo;
    mo.count.assign(ns, 0);
    mo.mean.assign(ns, 0);
    mo.sd.assign(ns, 0);
    // two passes per sample, as R's scale()
    std::vector<double> rowMean(rows(), kMissing);
    for (std::size_t r = 0; r < rows(); ++r) {
        double s = 0;
        std::size_t c = 0;
        for (std::size_t j = 0; j < ns; ++j)
            if (!std::isnan(at(r, j))) {
                s += at(r, j);
                ++c;
            }
        if (c > 0) rowMean[r] = s / c;
    }
    for (std::size_t j = 0; j < ns; ++j) {
        double s = 0, n = 0;
        for (std::size_t r = 0; r < rows(); ++r) {
            if (std::isnan(rowMean[r])) continue;
            s += std::isnan(at(r, j)) ? rowMean[r] : at(r, j);
            n += 1;
        }
        const double mean = s / n;
        double ss = 0;
        for (std::size_t r = 0; r < rows(); ++r) {
            if (std::isnan(rowMean[r])) continue;
            const double d = (std::isnan(at(r, j)) ? rowMean[r] : at(r, j)) - mean;
            ss += d * d;
        }
        mo.count[j] = n;
        mo.mean[j] = mean;
        mo.sd[j] = n > 1 ? std::sqrt(ss / (n - 1)) : kMissing;
    }
    moments = std::move(mo);
}

std::string readTextFile(const std::string& path, bool* wasGzip) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path, "cannot open the file (missing or not readable)");
    std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const bool gz =
        raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f && static_cast<unsigned char>(raw[1]) == 0x8b;
    if (wasGzip) *wasGzip = gz;
    if (!gz) return raw;
    std::string out;
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 32) != Z_OK) throw Error(path, "cannot initialise gzip decompression");
    zs.next_in = reinterpret_cast<Bytef*>(raw.data());
    zs.avail_in = static_cast<uInt>(raw.size());
    std::vector<char> buf(1 << 20);
    int rc = Z_OK;
    while (true) {
        zs.next_out = reinterpret_cast<Bytef*>(buf.data());
        zs.avail_out = static_cast<uInt>(buf.size());
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf.data(), buf.size() - zs.avail_out);
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0) break;
            // concatenated gzip members
            if (inflateReset(&zs) != Z_OK) break;
            continue;
        }
        if (rc != Z_OK) break;
        if (zs.avail_in == 0 && zs.avail_out != 0) {
            rc = Z_BUF_ERROR;
            break;
        }
    }
    inflateEnd(&zs);
    if (rc != Z_STREAM_END)
        throw Error(path,
                    "corrupt or truncated gzip file (the compressed stream ends early or is damaged); "
                    "download or copy the file again");
    return out;
}

namespace {

/// parseBetaMatrix() with `releaseInput` for text that is a read-only file mapping (see RowParser).
BetaMatrix parseText(std::string_view text, const std::string& name, const ReadOptions& opt, bool releaseInput) {
    LoadReport report;
    if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
        static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF)
        text.remove_prefix(3);
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) throw Error(name, "file is empty");
    const auto byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
    if ((byte(0) == 0xFF && byte(1) == 0xFE) || (byte(0) == 0xFE && byte(1) == 0xFF))
        throw Error(name, "is UTF-16 text (as Excel's \"Unicode text\" saves it); save it as CSV UTF-8 and try again");
    if (looksBinary(text))
        throw Error(name, "not a text table (binary data): expected a CSV/TSV beta matrix or a GEO series matrix");
    if (text[0] == '!' || text.substr(0, 1 << 16).find("\n!series_matrix_table_begin") != std::string_view::npos ||
        text.rfind("!series_matrix_table_begin", 0) == 0)
        return parseSeriesMatrix(text, name, opt, report, releaseInput);

    LineCursor cur{text};
    std::string_view headerLine;
    while (cur.next(headerLine)) {
        if (!trim(headerLine).empty() && headerLine[0] != '#') break;
    }
    const std::size_t headerNo = cur.lineNo;
    const char delim = opt.delimiter ? opt.delimiter : detectDelimiter(headerLine);
    report.format = delimiterName(delim);
    std::vector<std::string_view> header;
    splitLine(headerLine, delim, header);
    const std::string_view body = text.substr(std::min(cur.pos, text.size()));

    // Orientation: probe ids in the header -> samples as rows; in the first column -> CpGs as rows.
    std::size_t headerProbes = 0;
    for (std::size_t f = 1; f < header.size() && f < 50; ++f)
        if (isProbeId(header[f])) ++headerProbes;
    const std::size_t checked = std::min<std::size_t>(header.size(), 50) - (header.empty() ? 0 : 1);
    if (checked > 0 && headerProbes * 2 > checked)
        return parseSampleRows(body, headerNo + 1, name, header, delim, opt, report);

    LineCursor peek{body};
    std::string_view first;
    std::size_t firstNo = 0;
    while (peek.next(first))
        if (!trim(first).empty()) {
            firstNo = headerNo + peek.lineNo;
            break;
        }
    if (trim(first).empty()) {
        if (header.size() > 1 && !isProbeId(header[0]))
            throw Error(name + ":" + std::to_string(headerNo), "no CpG rows: the file has a header but no data");
        throw Error(name + ":" + std::to_string(headerNo), "no CpG rows / no data");
    }
    std::vector<std::string_view> fields;
    splitLine(first, delim, fields);
    if (!isProbeId(fields[0])) {
        for (std::size_t f = 1; f < fields.size(); ++f)
            if (isProbeId(fields[f]))
                throw Error(name + ":" + std::to_string(firstNo),
                            "first column must contain CpG ids, but it holds '" + std::string(unquote(fields[0])) +
                                "' and column " + std::to_string(f + 1) +
                                " holds the probe ids (a row-number column, as written by R's write.csv?); remove "
                                "the extra column");
        throw Error(name + ":" + std::to_string(firstNo),
                    "no CpG probe ids found: the first column ('" + std::string(unquote(fields[0])) +
                        "') and the header hold no Illumina ids (cg########, ch.*, rs*)");
    }
    return parseCpgRows(body, headerNo + 1, name, header, delim, opt, report, nullptr, releaseInput);
}

}  // namespace

BetaMatrix parseBetaMatrix(std::string_view text, const std::string& name, const ReadOptions& opt) {
    return parseText(text, name, opt, false);
}

BetaMatrix readBetaMatrix(const std::string& path, const ReadOptions& opt) {
#if !defined(_WIN32)
    // Plain files are mapped: no copy of a 400 MB matrix, pages dropped after parsing.
    {
        const int fd = ::open(path.c_str(), O_RDONLY);
        if (fd < 0) throw Error(path, "cannot open the file (missing or not readable)");
        struct stat st {};
        ::fstat(fd, &st);
        const std::size_t size = static_cast<std::size_t>(st.st_size);
        unsigned char magic[2] = {0, 0};
        const bool gz = size >= 2 && ::pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        // The values (float64) take about as much as their text; a .gz file is first inflated in memory
        // (beta matrices compress ~4-5x).
        try {
            requireMemoryFor(path, gz ? std::uint64_t(size) * 7 : std::uint64_t(size) * 3 / 2, "a beta matrix");
        } catch (...) {
            ::close(fd);
            throw;
        }
        if (!gz && size > 0) {
            void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
            ::close(fd);
            if (p == MAP_FAILED) throw Error(path, "cannot map the file into memory");
            ::madvise(p, size, MADV_SEQUENTIAL);
            struct Unmap {
                void* p;
                std::size_t n;
                ~Unmap() { ::munmap(p, n); }
            } guard{p, size};
            return parseText(std::string_view(static_cast<const char*>(p), size), path, opt, true);
        }
        ::close(fd);
    }
#else
    {
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        if (!ec) requireMemoryFor(path, std::uint64_t(size) * 7, "a beta matrix");
    }
#endif
    bool gz = false;
    const std::string text = readTextFile(path, &gz);
    BetaMatrix m = parseBetaMatrix(text, path, opt);
    m.report.gzip = gz;
    return m;
}

}  // namespace benchtop::methyl
