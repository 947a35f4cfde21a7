// GEO series matrices: '!Sample_*' metadata, then the table up to its end marker, read block by block.
#include "core/methyl/series_matrix_reader.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "core/common/error.h"
#include "core/methyl/delimited_reader.h"
#include "core/methyl/line_source.h"
#include "core/methyl/text_fields.h"

namespace benchtop::methyl {
namespace {

using namespace text;

constexpr std::string_view kTableBegin = "!series_matrix_table_begin";
constexpr std::string_view kTableEnd = "!series_matrix_table_end";

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

/// The blocks of the table: the rest of `reader` up to the end marker (wherever it stands, as GEO writes it at
/// the start of a line). Reaching the end of the text without the marker throws the truncation error.
class SeriesTable : public LineBlockSource {
public:
    SeriesTable(LineReader& reader, const std::string& name, std::size_t beginLine)
        : m_reader(reader), m_name(name), m_lines(beginLine) {}

    bool next(std::string_view& block) override {
        if (m_done) return false;
        std::string_view b;
        if (!m_reader.nextBlock(b)) {
            m_done = true;
            // Lines of the whole text, counted as a text editor does (a last line without '\n' counts).
            throw Error(m_name + ":" + std::to_string(m_lines + (m_lastChar != '\n' && m_lastChar != 0 ? 1 : 0)),
                        "truncated series matrix (no !series_matrix_table_end): the download is incomplete");
        }
        const std::size_t end = b.find(kTableEnd);
        if (end != std::string_view::npos) {
            m_done = true;
            b = b.substr(0, end);
        } else {
            m_lines += static_cast<std::size_t>(std::count(b.begin(), b.end(), '\n'));
            m_lastChar = b.empty() ? m_lastChar : b.back();
        }
        block = b;
        return true;
    }
    bool isFileMapping() const override { return m_reader.blockIsFileMapping(); }

    /// Reads to the end marker (throws the truncation error when there is none).
    void finish() {
        std::string_view b;
        while (next(b)) {
        }
    }

private:
    LineReader& m_reader;
    const std::string& m_name;
    std::size_t m_lines;  // lines up to the begin marker, then up to the end of the blocks read
    char m_lastChar = '\n';
    bool m_done = false;
};

}  // namespace

BetaMatrix readSeriesMatrix(LineReader& reader, const std::string& name, const ReadOptions& opt, LoadReport report) {
    SeriesMeta meta;
    std::string_view line;
    std::vector<std::string_view> fields;
    std::size_t beginLine = 0;
    while (reader.nextLine(line)) {
        if (line.rfind(kTableBegin, 0) == 0) {
            beginLine = reader.lineNo();
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
        throw Error(name + ":" + std::to_string(reader.lineNo()),
                    "series matrix without a data table (no !series_matrix_table_begin); download the series matrix "
                    "file that includes the beta values or the supplementary beta matrix");
    report.format = "series-matrix";
    // A declared M-value series ("M values" in data processing) is converted.
    ReadOptions o = opt;
    for (const auto& d : meta.dataProcessing)
        if (o.mvalues == MValueMode::Auto && lowerAscii(d).find("m value") != std::string::npos)
            o.mvalues = MValueMode::Always;

    SeriesTable tableBlocks(reader, name, beginLine);
    LineReader table(tableBlocks);
    BetaMatrix m;
    try {
        std::string_view headerLine;
        while (table.nextLine(headerLine) && trim(headerLine).empty()) {
        }
        if (trim(headerLine).empty())
            throw Error(name + ":" + std::to_string(beginLine), "no CpG rows: the series matrix table is empty");
        splitLine(headerLine, '\t', fields);
        const std::vector<std::string> headerText(fields.begin(), fields.end());
        const std::vector<std::string_view> header(headerText.begin(), headerText.end());
        m = readCpgRows(table, beginLine + table.lineNo(), name, header, '\t', o, report,
                        meta.accessions.empty() ? nullptr : &meta.accessions);
        tableBlocks.finish();
    } catch (const Error&) {
        tableBlocks.finish();  // a missing end marker explains a bad row: the download is incomplete
        throw;
    }
    applyCharacteristics(meta, m.samples);
    return m;
}

}  // namespace benchtop::methyl
