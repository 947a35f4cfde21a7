// Delimited-text beta matrices: header and orientation detection, CpGs-as-rows tables parsed block by block
// across threads (with EPIC v2 replicate averaging, detection p-values, M-value conversion and per-sample
// moments), and samples-as-rows tables.
#include "core/methyl/delimited_reader.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <optional>
#include <thread>
#include <unordered_map>

#if !defined(_WIN32)
#include <sys/mman.h>
#include <unistd.h>
#endif

#include "core/common/error.h"
#include "core/methyl/line_source.h"
#include "core/methyl/text_fields.h"

namespace benchtop::methyl {
namespace {

using namespace text;

constexpr std::size_t kParallelBytes = 4u << 20;
constexpr std::size_t kReleaseBytes = 16u << 20;  // parsed input of a mapped file is dropped in steps of this

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
        out.idHashes.push_back(hashProbeId(base));
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

std::vector<std::string> sampleNamesOf(const std::vector<SampleInfo>& s) {
    std::vector<std::string> out;
    out.reserve(s.size());
    for (const auto& x : s) out.push_back(x.name);
    return out;
}

/// Splits a block at line ends into `threads` parts of about equal size (fewer lines: some parts empty).
std::vector<std::string_view> splitBlock(std::string_view block, int threads) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (int t = 0; t < threads; ++t) {
        std::size_t end = t + 1 == threads ? block.size() : std::max(start, block.size() * (t + 1) / threads);
        if (end < block.size()) {
            const void* p = std::memchr(block.data() + end, '\n', block.size() - end);
            end = p ? static_cast<std::size_t>(static_cast<const char*>(p) - block.data()) + 1 : block.size();
        }
        parts.push_back(block.substr(start, end - start));
        start = end;
    }
    return parts;
}

/// Samples as rows: header = [empty/label, cpg ids...], each line = sample name + values.
BetaMatrix readSampleRows(LineReader& body, std::size_t headerNo, const std::string& name,
                          const std::vector<std::string_view>& header, char delim, const ReadOptions& opt,
                          LoadReport report) {
    const std::size_t bodyFirstLine = headerNo + 1;
    const std::size_t nf = header.size();
    std::vector<std::string> ids;
    ids.reserve(nf);
    std::size_t suffixedIds = 0;
    for (std::size_t f = 1; f < nf; ++f) {
        const std::string_view id = unquote(header[f]);
        ids.emplace_back(stripProbeSuffix(id));
        if (ids.back().size() != id.size()) ++suffixedIds;
    }
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
    std::size_t outOfRange = 0;
    std::vector<RangeViolation> violations;
    double lo = 0, hi = 0;
    std::size_t total = 0, outside = 0;
    std::string_view block;
    for (std::size_t blockFirstLine = bodyFirstLine; body.nextBlock(block);) {
        LineCursor cur{block};
        std::string_view line;
        while (cur.next(line)) {
            if (trim(line).empty()) continue;
            const std::size_t lineNo = blockFirstLine + cur.lineNo - 1;
            splitLine(line, delim, fields);
            if (fields.size() != nf)
                throw Error(name + ":" + std::to_string(lineNo),
                            "ragged table: line " + std::to_string(lineNo) + " has " + std::to_string(fields.size()) +
                                " fields, expected " + std::to_string(nf) + " (as in the header)");
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
                    throw Error(name + ":" + std::to_string(lineNo),
                                "non-numeric value '" + std::string(trim(fields[f])) + "' at line " +
                                    std::to_string(lineNo) + ", column " + std::to_string(f + 1) + " (" + ids[f - 1] +
                                    ", " + sname + ")");
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
        blockFirstLine += cur.lineNo;
    }
    if (samples.empty())
        throw Error(name + ":" + std::to_string(headerNo), "no sample rows: the file has a header but no data");
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
    report.suffixedIds += suffixedIds;
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

}  // namespace

BetaMatrix readCpgRows(LineReader& body, std::size_t headerNo, const std::string& name,
                       const std::vector<std::string_view>& header, char delim, const ReadOptions& opt,
                       LoadReport report, const std::vector<std::string>* overrideNames) {
    const std::string headerAt = name + ":" + std::to_string(headerNo);
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
            throw Error(headerAt, "duplicate sample name '" + col + "' (columns " + std::to_string(it->second + 1) +
                                      " and " + std::to_string(f + 1) + "); sample names must be unique");
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
    if (samples.empty()) throw Error(headerAt, "the header names no sample columns");
    const std::vector<std::string> names = sampleNamesOf(samples);
    const bool pvalPairs =
        std::any_of(layout.pvalOfField.begin(), layout.pvalOfField.end(), [](int v) { return v >= 0; });
    const std::size_t ns = samples.size();

    RowParser parser{layout, names, opt};
    parser.delim = delim;
    parser.convertM = opt.mvalues == MValueMode::Always;
    parser.fastRows = delim != ' ' && std::all_of(layout.sampleOfField.begin() + 1, layout.sampleOfField.end(),
                                                  [](int s) { return s >= 0; });
    std::string_view block;
    bool haveBlock = body.nextBlock(block);
    if (opt.mvalues == MValueMode::Auto) {
        // Decide from the first rows: M-values spread far outside [0, 1] on both sides.
        std::size_t total = 0, outside = 0;
        double lo = 0, hi = 0;
        LineCursor cur{haveBlock ? block : std::string_view()};
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

    // Per block: parse its parts in parallel, then fold them in order into the totals and the matrix rows.
    BetaMatrix m;
    std::size_t rows = 0, outOfRange = 0;
    std::vector<RangeViolation> violations;
    std::vector<std::uint64_t> hashes;
    std::vector<double> momentN(ns, 0.0), momentS1(ns, 0.0), momentS2(ns, 0.0);
    // Kept rows are summed; duplicates (EPIC v2 replicates) are averaged over their non-missing values.
    std::vector<double> sum;
    std::vector<std::uint32_t> cnt;
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
    for (std::size_t blockFirstLine = headerNo + 1; haveBlock; haveBlock = body.nextBlock(block)) {
        parser.releaseInput = body.blockIsFileMapping();
        // The pieces depend on the block alone, never on the thread count: the per-sample sums (moments) then add
        // up in the same order with any number of threads, so a part of a split job (--shard) on a node with
        // other cores reads exactly the values a whole run reads.
        const int pieces = block.size() >= kParallelBytes
                               ? static_cast<int>(std::clamp<std::size_t>(block.size() / kParallelBytes, 2, 64))
                               : 1;
        const std::vector<std::string_view> parts = splitBlock(block, pieces);
        std::vector<Chunk> chunks(parts.size());
        const int workers = std::max(1, std::min(opt.threads, pieces));
        if (workers == 1) {
            for (std::size_t t = 0; t < parts.size(); ++t) parser.parse(parts[t], chunks[t]);
        } else {
            std::atomic<std::size_t> next{0};
            const auto work = [&] {
                for (std::size_t t = next++; t < parts.size(); t = next++) parser.parse(parts[t], chunks[t]);
            };
            std::vector<std::thread> pool;
            for (int w = 1; w < workers; ++w) pool.emplace_back(work);
            work();
            for (auto& th : pool) th.join();
        }
        // A chunk's local line 1 is global line `base`; a part ends with '\n', so the next starts a new line.
        std::vector<std::size_t> base(chunks.size());
        for (std::size_t t = 0; t < chunks.size(); ++t) {
            base[t] = blockFirstLine;
            blockFirstLine += chunks[t].lines;
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
        for (std::size_t t = 0; t < chunks.size(); ++t) {
            Chunk& c = chunks[t];
            rows += c.rows;
            outOfRange += c.outOfRange;
            for (auto v : c.violations) {
                v.line = global(t, v.line);
                violations.push_back(v);
            }
            report.suffixedIds += c.suffixed;
            report.missingCells += c.missing;
            report.outOfUnitRange += c.outOfUnit;
            hashes.insert(hashes.end(), c.idHashes.begin(), c.idHashes.end());
            for (std::size_t s = 0; s < ns && s < c.n.size(); ++s) {
                momentN[s] += c.n[s];
                momentS1[s] += c.s1[s];
                momentS2[s] += c.s2[s];
            }
            // ids of kept rows are re-derived from the text only when keeping all rows
            std::vector<std::string_view> keptIds;
            if (!opt.keep) {
                LineCursor cur{parts[t]};
                std::string_view line;
                while (cur.next(line)) {
                    if (trim(line).empty()) continue;
                    const std::size_t cut = line.find(delim == ' ' ? ' ' : delim);
                    keptIds.push_back(stripProbeSuffix(unquote(line.substr(0, cut))));
                }
            }
            std::size_t pos = 0;
            for (std::size_t i = 0; i < c.keptIndex.size(); ++i, pos += ns) {
                const int r = opt.keep ? m.index.add(opt.keep->ids()[static_cast<std::size_t>(c.keptIndex[i])])
                                       : m.index.add(keptIds[i]);
                addRow(static_cast<std::size_t>(r), c.keptValues.data() + pos);
            }
        }
    }
    if (rows == 0) throw Error(headerAt, "no CpG rows: the file has a header but no data");
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

    m.samples = std::move(samples);
    report.cpgsAsRows = true;
    report.rowsRead = rows;
    report.mvaluesConverted = parser.convertM;
    std::sort(hashes.begin(), hashes.end());
    report.probesInFile = static_cast<std::size_t>(std::unique(hashes.begin(), hashes.end()) - hashes.begin());
    report.replicatesAveraged = rows - report.probesInFile;
    m.cpgs = m.index.ids();
    m.values.assign(m.cpgs.size() * ns, kMissing);
    for (std::size_t i = 0; i < m.values.size() && i < sum.size(); ++i)
        if (cnt[i] > 0) m.values[i] = cnt[i] == 1 ? sum[i] : sum[i] / cnt[i];

    if (opt.computeMoments) {
        SampleMoments mo;
        mo.count = momentN;
        mo.mean.assign(ns, 0);
        mo.sd.assign(ns, 0);
        for (std::size_t s = 0; s < ns; ++s) {
            const double n = mo.count[s];
            mo.mean[s] = 0.5 + momentS1[s] / n;
            mo.sd[s] =
                n > 1 ? std::sqrt(std::max(0.0, (momentS2[s] - momentS1[s] * momentS1[s] / n) / (n - 1))) : kMissing;
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

BetaMatrix readDelimitedMatrix(LineReader& reader, const std::string& name, const ReadOptions& opt, LoadReport report) {
    std::string_view headerLine;
    while (reader.nextLine(headerLine)) {
        if (!trim(headerLine).empty() && headerLine[0] != '#') break;
    }
    const std::size_t headerNo = reader.lineNo();
    const char delim = opt.delimiter ? opt.delimiter : detectDelimiter(headerLine);
    report.format = delimiterName(delim);
    // The header is kept as text: peeking at the first row may read the next block of a stream.
    std::vector<std::string_view> fields;
    splitLine(headerLine, delim, fields);
    const std::vector<std::string> headerText(fields.begin(), fields.end());
    const std::vector<std::string_view> header(headerText.begin(), headerText.end());

    // Orientation: probe ids in the header -> samples as rows; in the first column -> CpGs as rows.
    std::size_t headerProbes = 0;
    for (std::size_t f = 1; f < header.size() && f < 50; ++f)
        if (isProbeId(header[f])) ++headerProbes;
    const std::size_t checked = std::min<std::size_t>(header.size(), 50) - (header.empty() ? 0 : 1);
    if (checked > 0 && headerProbes * 2 > checked)
        return readSampleRows(reader, headerNo, name, header, delim, opt, report);

    std::string_view first;
    std::size_t firstNo = 0;
    if (!reader.peekNonBlank(first, firstNo)) {
        if (header.size() > 1 && !isProbeId(header[0]))
            throw Error(name + ":" + std::to_string(headerNo), "no CpG rows: the file has a header but no data");
        throw Error(name + ":" + std::to_string(headerNo), "no CpG rows / no data");
    }
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
    return readCpgRows(reader, headerNo, name, header, delim, opt, report, nullptr);
}

}  // namespace benchtop::methyl
