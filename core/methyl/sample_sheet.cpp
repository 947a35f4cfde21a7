#include "core/methyl/sample_sheet.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "core/common/error.h"
#include "core/common/strings.h"

namespace benchtop::methyl {
namespace {

std::string trimQuotes(std::string s) {
    auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && ws(s.back())) s.pop_back();
    std::size_t b = 0;
    while (b < s.size() && ws(s[b])) ++b;
    s.erase(0, b);
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    return s;
}

std::vector<std::string> split(const std::string& line, char d) {
    std::vector<std::string> out;
    std::string cur;
    bool q = false;
    for (char c : line) {
        if (c == '"') q = !q;
        if (c == d && !q) {
            out.push_back(trimQuotes(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(trimQuotes(cur));
    return out;
}

bool isAny(const std::string& h, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (h == n) return true;
    return false;
}

/// Lines of a sheet without a UTF-8 byte order mark and without '\r'.
std::vector<std::string> splitLines(const std::string& textIn) {
    std::string_view text = textIn;
    if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.remove_prefix(3);
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        std::string l(text.substr(pos, e - pos));
        if (!l.empty() && l.back() == '\r') l.pop_back();
        lines.push_back(std::move(l));
        pos = e + 1;
    }
    return lines;
}

/// Where a sheet's table starts and which of its columns Benchtop understands (-1 = absent).
struct SheetLayout {
    std::size_t headerLine = 0;  ///< 0-based index of the header line
    bool illumina = false;       ///< the table follows a "[Data]" line
    char delimiter = ',';
    std::vector<std::string> header;
    int nameCol = -1, gsmCol = -1, ageCol = -1, sexCol = -1, femaleCol = -1, sentrixId = -1, sentrixPos = -1;
    /// Whether rows can be matched to samples (a name or GSM column, or Sentrix id + position).
    bool hasKey() const { return nameCol >= 0 || gsmCol >= 0 || (sentrixId >= 0 && sentrixPos >= 0); }
};

/// The header of the sheet's table (Illumina sheets: the first line after "[Data]"); nullopt when empty.
std::optional<SheetLayout> findLayout(const std::vector<std::string>& lines) {
    SheetLayout layout;
    std::size_t start = 0;
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (toLowerAscii(trimQuotes(lines[i])).rfind("[data]", 0) == 0) {
            start = i + 1;
            layout.illumina = true;
            break;
        }
    while (start < lines.size() && trimQuotes(lines[start]).empty()) ++start;
    if (start >= lines.size()) return std::nullopt;
    layout.headerLine = start;
    const std::string& headerLine = lines[start];
    layout.delimiter = headerLine.find('\t') != std::string::npos                                                 ? '\t'
                       : (headerLine.find(',') == std::string::npos && headerLine.find(';') != std::string::npos) ? ';'
                                                                                                                  : ',';
    layout.header = split(headerLine, layout.delimiter);
    for (std::size_t c = 0; c < layout.header.size(); ++c) {
        const std::string h = toLowerAscii(layout.header[c]);
        const int ci = static_cast<int>(c);
        if (layout.nameCol < 0 && isAny(h, {"sample_name", "sample name", "samplename", "sample_id", "sample id",
                                            "sampleid", "sample", "name", "id", "basename", "sample_title", "title"}))
            layout.nameCol = ci;
        else if (layout.gsmCol < 0 && isAny(h, {"gsm", "geo_accession", "geo accession", "gsm_id", "accession"}))
            layout.gsmCol = ci;
        else if (layout.ageCol < 0 &&
                 isAny(h, {"age", "age_years", "age (years)", "age(years)", "chronological_age", "chronological age"}))
            layout.ageCol = ci;
        else if (layout.sexCol < 0 && isAny(h, {"sex", "gender"}))
            layout.sexCol = ci;
        else if (layout.femaleCol < 0 && h == "female")
            layout.femaleCol = ci;
        else if (layout.sentrixId < 0 && isAny(h, {"sentrix_id", "sentrix id", "slide", "sentrix_barcode"}))
            layout.sentrixId = ci;
        else if (layout.sentrixPos < 0 && isAny(h, {"sentrix_position", "sentrix position", "array"}))
            layout.sentrixPos = ci;
    }
    return layout;
}

}  // namespace

SampleSheet readSampleSheet(const std::string& path) {
    return parseSampleSheet(readTextFile(path), path);
}

SampleSheet parseSampleSheet(const std::string& textIn, const std::string& name) {
    const std::vector<std::string> lines = splitLines(textIn);
    const std::optional<SheetLayout> layout = findLayout(lines);
    if (!layout) throw Error(name, "the sample sheet is empty");
    const std::size_t start = layout->headerLine;
    const char d = layout->delimiter;
    const int nameCol = layout->nameCol, gsmCol = layout->gsmCol, ageCol = layout->ageCol, sexCol = layout->sexCol,
              femaleCol = layout->femaleCol, sentrixId = layout->sentrixId, sentrixPos = layout->sentrixPos;
    if (!layout->hasKey())
        throw Error(name + ":" + std::to_string(start + 1),
                    "the sample sheet has no sample name or id column (expected Sample_Name, Sample_ID, ID or GSM)");
    SampleSheet sheet;
    sheet.path = name;
    for (std::size_t i = start + 1; i < lines.size(); ++i) {
        if (trimQuotes(lines[i]).empty()) continue;
        const auto f = split(lines[i], d);
        auto get = [&](int c) { return c >= 0 && static_cast<std::size_t>(c) < f.size() ? f[c] : std::string(); };
        SampleSheetRow row;
        row.line = i + 1;
        if (!get(nameCol).empty()) row.keys.push_back(get(nameCol));
        if (!get(gsmCol).empty()) row.keys.push_back(get(gsmCol));
        if (!get(sentrixId).empty() && !get(sentrixPos).empty())
            row.keys.push_back(get(sentrixId) + "_" + get(sentrixPos));
        const std::string age = get(ageCol);
        if (!age.empty() && toLowerAscii(age) != "na") {
            double a;
            const auto r = std::from_chars(age.data(), age.data() + age.size(), a);
            if (r.ec != std::errc() || r.ptr != age.data() + age.size())
                throw Error(name + ":" + std::to_string(i + 1), "age '" + age + "' is not a number");
            row.age = a;
        }
        if (sexCol >= 0)
            row.sex = parseSex(get(sexCol));
        else if (femaleCol >= 0) {
            const std::string fv = get(femaleCol);
            row.sex = fv == "1" ? Sex::Female : fv == "0" ? Sex::Male : Sex::Unknown;
        }
        sheet.rows.push_back(std::move(row));
    }
    return sheet;
}

SheetMatch applySampleSheet(const SampleSheet& sheet, std::vector<SampleInfo>& samples) {
    std::unordered_map<std::string, std::size_t> byKey;
    for (std::size_t s = 0; s < samples.size(); ++s) {
        byKey.emplace(samples[s].name, s);
        if (!samples[s].title.empty()) byKey.emplace(samples[s].title, s);
    }
    SheetMatch result;
    std::vector<bool> hit(samples.size(), false);
    for (const auto& row : sheet.rows) {
        std::size_t found = samples.size();
        for (const auto& k : row.keys)
            if (auto it = byKey.find(k); it != byKey.end()) {
                found = it->second;
                break;
            }
        if (found == samples.size()) {
            result.unmatchedRows.push_back("line " + std::to_string(row.line) + ": '" +
                                           (row.keys.empty() ? std::string() : row.keys.front()) +
                                           "' is not a sample of the matrix");
            continue;
        }
        hit[found] = true;
        ++result.matched;
        if (row.age) samples[found].age = row.age;
        if (row.sex != Sex::Unknown) samples[found].sex = row.sex;
    }
    for (std::size_t s = 0; s < samples.size(); ++s)
        if (!hit[s]) result.samplesWithoutRow.push_back(samples[s].name);
    return result;
}

bool looksLikeSampleSheetText(const std::string& head) {
    if (head.find('\0') != std::string::npos) return false;
    const std::vector<std::string> lines = splitLines(head);
    const std::optional<SheetLayout> layout = findLayout(lines);
    if (!layout || !layout->hasKey()) return false;
    // Beta matrices with samples as rows may carry an age column too; their header is full of probe ids.
    int probeColumns = 0;
    for (const std::string& h : layout->header)
        if (isProbeId(h) && ++probeColumns >= 3) return false;
    // CpGs as rows: probe ids start the data lines.
    int probeRows = 0;
    for (std::size_t i = layout->headerLine + 1; i < lines.size(); ++i) {
        const std::string first = split(lines[i], layout->delimiter).front();
        if (isProbeId(first) && ++probeRows >= 3) return false;
    }
    return layout->illumina || layout->ageCol >= 0;
}

bool looksLikeSampleSheet(const std::string& path) {
    constexpr std::size_t kHeadBytes = 64 * 1024;
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::string head(kHeadBytes, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f && static_cast<unsigned char>(head[1]) == 0x8b)
        return false;  // sample sheets are small text files; gzip means a matrix
    if (head.size() == kHeadBytes) {
        // Only whole lines: a cut-off last line could look like anything.
        const std::size_t lastNewline = head.rfind('\n');
        head.resize(lastNewline == std::string::npos ? 0 : lastNewline + 1);
    }
    return looksLikeSampleSheetText(head);
}

}  // namespace benchtop::methyl
