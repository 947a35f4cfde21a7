// Readers: formats of fixture D, malformed files of fixture F, real GEO excerpts, sample sheets.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <zlib.h>

#include "core/common/error.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/line_source.h"
#include "core/methyl/sample_sheet.h"
#include "tests/core/methyl/methyl_test_util.h"

using namespace benchtop::methyl;
using benchtop::test::sharedPath;
using Catch::Matchers::ContainsSubstring;

namespace {

const std::string kD = "fixtures/methylation/D_format_variants/";
const std::string kF = "fixtures/methylation/F_malformed/";

std::string errorOf(const std::string& relative, ReadOptions o = {}) {
    try {
        readBetaMatrix(sharedPath(relative), o);
    } catch (const benchtop::Error& e) {
        return e.what();
    }
    FAIL("no error for " << relative);
    return {};
}

ReadOptions withMValues(MValueMode mode) {
    ReadOptions o;
    o.mvalues = mode;
    return o;
}

/// `rows` CpGs x 16 samples of pseudo-random betas (~146 bytes a row).
std::string largeMatrixText(int rows) {
    std::string text = "ProbeID";
    for (int s = 0; s < 16; ++s) text += ",S" + std::to_string(s);
    text += "\n";
    std::uint64_t x = 88172645463325252ull;
    for (int r = 0; r < rows; ++r) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "cg%08d", r);
        text += buf;
        for (int s = 0; s < 16; ++s) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            std::snprintf(buf, sizeof buf, ",0.%06u", static_cast<unsigned>(x % 1000000));
            text += buf;
        }
        text += "\n";
    }
    return text;
}

void writeGzip(const std::string& path, const std::string& text) {
    gzFile gz = gzopen(path.c_str(), "wb1");
    REQUIRE(gz != nullptr);
    REQUIRE(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
    REQUIRE(gzclose(gz) == Z_OK);
}

/// The first `fraction` of a file's bytes, written to `to`.
void writeCut(const std::string& from, const std::string& to, double fraction) {
    std::ifstream in(from, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ofstream out(to, std::ios::binary);
    out << bytes.substr(0, static_cast<std::size_t>(static_cast<double>(bytes.size()) * fraction));
}

std::string readError(const std::string& path) {
    try {
        readBetaMatrix(path);
    } catch (const benchtop::Error& e) {
        return e.what();
    }
    FAIL("no error for " << path);
    return {};
}

}  // namespace

TEST_CASE("probe ids and EPIC v2 suffixes", "[methyl][reader]") {
    CHECK(isProbeId("cg00000029"));
    CHECK(isProbeId("cg00000029_TC21"));
    CHECK(isProbeId("\"cg00000292\""));
    CHECK(isProbeId("ch.1.1234R"));
    CHECK(isProbeId("rs10796216"));
    CHECK_FALSE(isProbeId("cg0000002"));
    CHECK_FALSE(isProbeId("ProbeID"));
    CHECK_FALSE(isProbeId("GSM946048"));
    CHECK(stripProbeSuffix("cg00000029_TC21") == "cg00000029");
    CHECK(stripProbeSuffix("cg00000029") == "cg00000029");
}

TEST_CASE("D01 reference layout is read completely", "[methyl][reader]") {
    const BetaMatrix m = readBetaMatrix(sharedPath(kD + "D01_cpg_rows.csv"));
    CHECK(m.rows() == 1621);
    CHECK(m.cols() == 16);
    CHECK(m.samples.front().name == "GSM946048");
    CHECK(m.samples.back().name == "GSM946076");
    CHECK(m.report.cpgsAsRows);
    CHECK(m.report.format == "csv");
    CHECK(m.cpgs.front() == "cg00000292");
    CHECK(m.at(0, 0) == 0.705861431);
    CHECK(m.report.missingCells == 0);
}

TEST_CASE("all D variants give the same matrix as D01", "[methyl][reader]") {
    const BetaMatrix ref = readBetaMatrix(sharedPath(kD + "D01_cpg_rows.csv"));
    struct Variant {
        std::string file;
        MValueMode mode;
    };
    const std::vector<Variant> variants = {
        {"D02_sample_rows.csv", MValueMode::Reject},     {"D03_cpg_rows.tsv", MValueMode::Reject},
        {"D04_cpg_rows.csv.gz", MValueMode::Reject},     {"D05_series_matrix.txt.gz", MValueMode::Reject},
        {"D06_epicv2_suffixes.csv", MValueMode::Reject}, {"D07_mvalues.csv", MValueMode::Auto},
        {"D07_mvalues.csv", MValueMode::Always},         {"D10_excel_bom_crlf_quoted.csv", MValueMode::Reject},
    };
    for (const auto& v : variants) {
        INFO(v.file);
        ReadOptions o;
        o.mvalues = v.mode;
        const BetaMatrix m = readBetaMatrix(sharedPath(kD + v.file), o);
        REQUIRE(m.cols() == 16);
        REQUIRE(m.rows() == 1621);
        for (std::size_t s = 0; s < 16; ++s) CHECK(m.samples[s].name == ref.samples[s].name);
        double maxDiff = 0;
        for (std::size_t r = 0; r < ref.rows(); ++r) {
            const int mr = m.row(ref.cpgs[r]);
            REQUIRE(mr >= 0);
            for (std::size_t s = 0; s < 16; ++s) maxDiff = std::max(maxDiff, std::abs(m.at(mr, s) - ref.at(r, s)));
        }
        CHECK(maxDiff <= (v.file == "D07_mvalues.csv" ? 1e-13 : 0.0));
    }
}

TEST_CASE("format details are detected and reported", "[methyl][reader]") {
    SECTION("samples as rows") {
        const BetaMatrix m = readBetaMatrix(sharedPath(kD + "D02_sample_rows.csv"));
        CHECK_FALSE(m.report.cpgsAsRows);
    }
    SECTION("tsv") {
        CHECK(readBetaMatrix(sharedPath(kD + "D03_cpg_rows.tsv")).report.format == "tsv");
    }
    SECTION("gzip") {
        CHECK(readBetaMatrix(sharedPath(kD + "D04_cpg_rows.csv.gz")).report.gzip);
    }
    SECTION("series matrix metadata") {
        const BetaMatrix m = readBetaMatrix(sharedPath(kD + "D05_series_matrix.txt.gz"));
        CHECK(m.report.format == "series-matrix");
        const auto sheet = readSampleSheet(sharedPath("fixtures/methylation/E_age_acceleration/sample_sheet.csv"));
        for (const auto& row : sheet.rows) {
            const auto it = std::find_if(m.samples.begin(), m.samples.end(),
                                         [&](const SampleInfo& s) { return s.name == row.keys.front(); });
            REQUIRE(it != m.samples.end());
            REQUIRE(it->age.has_value());
            CHECK(*it->age == *row.age);
            CHECK(it->sex == Sex::Male);
        }
        CHECK(m.samples[0].title == "Autism_occ_AN09714");
    }
    SECTION("EPIC v2 replicates are averaged and counted") {
        const BetaMatrix m = readBetaMatrix(sharedPath(kD + "D06_epicv2_suffixes.csv"));
        CHECK(m.report.rowsRead == 1853);
        CHECK(m.report.probesInFile == 1621);
        CHECK(m.report.replicatesAveraged == 232);
        CHECK(m.report.suffixedIds == 1853);
    }
    SECTION("M-values are converted only when allowed") {
        const BetaMatrix m = readBetaMatrix(sharedPath(kD + "D07_mvalues.csv"), withMValues(MValueMode::Auto));
        CHECK(m.report.mvaluesConverted);
        const std::string err = errorOf(kD + "D07_mvalues.csv");
        CHECK_THAT(err, ContainsSubstring("outside the beta range"));
        CHECK_THAT(err, ContainsSubstring("M-value"));
        CHECK_THAT(err, ContainsSubstring("D07_mvalues.csv:2"));
    }
    SECTION("NA, NaN and empty cells are missing") {
        const BetaMatrix m = readBetaMatrix(sharedPath(kD + "D08_missing_tokens_in_nonclock_rows.csv"));
        CHECK(m.report.missingCells == 132);
        const BetaMatrix d9 = readBetaMatrix(sharedPath(kD + "D09_missing_in_clock_cpgs.csv"));
        CHECK(d9.report.missingCells == 60);
    }
    SECTION("BOM, CRLF and quotes") {
        const BetaMatrix m = readBetaMatrix(sharedPath(kD + "D10_excel_bom_crlf_quoted.csv"));
        CHECK(m.samples.front().name == "GSM946048");
        CHECK(m.cpgs.front() == "cg00000292");
    }
}

TEST_CASE("keep set stores only the requested CpGs", "[methyl][reader]") {
    ReadOptions o;
    o.keep = std::make_shared<ProbeIndex>(std::vector<std::string>{"cg00002426", "cg99999999", "cg00000292"});
    const BetaMatrix m = readBetaMatrix(sharedPath(kD + "D01_cpg_rows.csv"), o);
    CHECK(m.rows() == 2);
    CHECK(m.report.probesInFile == 1621);
    REQUIRE(m.row("cg00002426") >= 0);
    CHECK(m.at(m.row("cg00002426"), 1) == 0.27398577);
    CHECK(m.row("cg99999999") < 0);
}

TEST_CASE("real GEO series matrix excerpt (GSE41169)", "[methyl][reader]") {
    const std::string dir = kD + "real_geo_excerpt/";
    const BetaMatrix m = readBetaMatrix(sharedPath(dir + "GSE41169_excerpt_series_matrix.txt"));
    const std::vector<std::string> names = {"GSM1009660", "GSM1009661", "GSM1009662", "GSM1009663", "GSM1009664"};
    const std::vector<double> ages = {32, 24, 65, 25, 32};
    const std::vector<Sex> sexes = {Sex::Male, Sex::Male, Sex::Male, Sex::Male, Sex::Female};
    REQUIRE(m.cols() == 5);
    for (std::size_t s = 0; s < 5; ++s) {
        CHECK(m.samples[s].name == names[s]);
        REQUIRE(m.samples[s].age.has_value());
        CHECK(*m.samples[s].age == ages[s]);
        CHECK(m.samples[s].sex == sexes[s]);
    }
    CHECK(m.rows() == 37);
    CHECK(m.cpgs.front() == "cg00000029");
    CHECK(m.cpgs.back() == "cg00001747");
    CHECK(m.at(0, 0) == 0.4549308);
    CHECK(m.report.missingCells == 0);
    double sum = 0;
    for (double v : m.values) sum += v;
    CHECK(std::abs(sum - 99.746045024000011) < 1e-9);

    const BetaMatrix sup = readBetaMatrix(sharedPath(dir + "GSE41169_excerpt_supplementary_value_pvalue.txt"));
    CHECK(sup.report.format == "space-separated");
    REQUIRE(sup.cols() == 5);
    CHECK(sup.samples[0].name == "Test1");
    CHECK(sup.samples[4].name == "Test5");
    CHECK(sup.rows() == 37);
    CHECK(sup.report.missingCells == 8);
}

TEST_CASE("malformed files are rejected with a clear error (F)", "[methyl][reader]") {
    std::string e = errorOf(kF + "F01_ragged_rows.csv");
    CHECK_THAT(e, ContainsSubstring("ragged table: line 4 has 4 fields, expected 5"));
    CHECK_THAT(e, ContainsSubstring("F01_ragged_rows.csv:4"));

    e = errorOf(kF + "F02_non_numeric_value.csv");
    CHECK_THAT(e, ContainsSubstring("non-numeric value 'abc' at line 5, column 3 (cg00005847, GSM946049)"));

    e = errorOf(kF + "F03_beta_out_of_range.csv");
    CHECK_THAT(e, ContainsSubstring("outside the beta range"));
    CHECK_THAT(e, ContainsSubstring("1.7 at line 3, column 2 (GSM946048)"));
    CHECK_THAT(e, ContainsSubstring("-0.3 at line 6, column 5 (GSM946054)"));
    CHECK_THAT(e, ContainsSubstring("select M-value input"));
    // Allowing M-values does not make two stray values an M-value file.
    e = errorOf(kF + "F03_beta_out_of_range.csv", withMValues(MValueMode::Auto));
    CHECK_THAT(e, ContainsSubstring("outside the beta range"));

    CHECK_THAT(errorOf(kF + "F04_duplicate_sample_names.csv"),
               ContainsSubstring("duplicate sample name 'GSM946048' (columns 2 and 4)"));
    CHECK_THAT(errorOf(kF + "F05_empty.csv"), ContainsSubstring("file is empty"));
    CHECK_THAT(errorOf(kF + "F06_binary_garbage.csv"), ContainsSubstring("not a text table (binary data)"));
    CHECK_THAT(errorOf(kF + "F07_header_only.csv"), ContainsSubstring("no CpG rows"));
    CHECK_THAT(errorOf(kF + "F08_truncated.csv.gz"),
               ContainsSubstring("F08_truncated.csv.gz: corrupt or truncated gzip file"));
    e = errorOf(kF + "F09_row_number_first_column.csv");
    CHECK_THAT(e, ContainsSubstring("first column must contain CpG ids"));
    CHECK_THAT(e, ContainsSubstring("F09_row_number_first_column.csv:2"));
    CHECK_THAT(errorOf(kF + "F10_series_matrix_no_table_end.txt"),
               ContainsSubstring("truncated series matrix (no !series_matrix_table_end)"));
}

TEST_CASE("ragged rows are found in any parser thread", "[methyl][reader]") {
    // Large enough to be split across threads; the bad line sits in the second half.
    std::string text = "ProbeID,S1,S2\n";
    for (int i = 0; i < 200000; ++i) {
        char line[64];
        std::snprintf(line, sizeof line, "cg%08d,0.5,0.25\n", i);
        text += line;
        if (i == 150000) text += "cg99999999,0.5\n";
    }
    try {
        parseBetaMatrix(text, "big.csv");
        FAIL("no error");
    } catch (const benchtop::Error& e) {
        CHECK_THAT(std::string(e.what()), ContainsSubstring("big.csv:150003: ragged table: line 150003 has 2 fields"));
    }
    // Without the bad line, duplicates of a plain id are averaged and every row is kept.
    const BetaMatrix m = parseBetaMatrix("ID,S1,S2\ncg00000001,0.2,NA\ncg00000001,0.4,0.6\n", "dup.csv");
    CHECK(m.rows() == 1);
    CHECK(std::abs(m.at(0, 0) - 0.3) < 1e-15);
    CHECK(m.at(0, 1) == 0.6);
    CHECK(m.report.replicatesAveraged == 1);
}

TEST_CASE("sample sheets match by name or GSM id and report unmatched rows", "[methyl][reader]") {
    const BetaMatrix base = readBetaMatrix(sharedPath(kD + "D01_cpg_rows.csv"));
    std::vector<SampleInfo> samples = base.samples;
    const SampleSheet sheet = readSampleSheet(sharedPath("fixtures/methylation/E_age_acceleration/sample_sheet.csv"));
    CHECK(sheet.rows.size() == 16);
    const SheetMatch match = applySampleSheet(sheet, samples);
    CHECK(match.matched == 16);
    CHECK(match.unmatchedRows.empty());
    CHECK(match.samplesWithoutRow.empty());
    CHECK(*samples[0].age == 60);  // GSM946048 is row 10 of the shuffled sheet
    CHECK(samples[0].sex == Sex::Male);

    // An Illumina sheet with a [Data] section, GSM ids and one row for a sample not in the matrix.
    const std::string illumina =
        "[Header]\nInvestigator Name,X\n\n[Data]\nSample_Name,Sample_Well,GSM,Age,Gender\n"
        "brainA,A01,GSM946049,41,Female\nbrainZ,A02,GSM000001,50,M\n";
    std::vector<SampleInfo> s2 = base.samples;
    const SheetMatch m2 = applySampleSheet(parseSampleSheet(illumina, "sheet.csv"), s2);
    CHECK(m2.matched == 1);
    REQUIRE(m2.unmatchedRows.size() == 1);
    CHECK_THAT(m2.unmatchedRows[0], ContainsSubstring("line 7: 'brainZ' is not a sample of the matrix"));
    CHECK(m2.samplesWithoutRow.size() == 15);
    CHECK(*s2[1].age == 41);
    CHECK(s2[1].sex == Sex::Female);
}

TEST_CASE("samples as rows: kept columns only, M-values and range errors", "[methyl][reader]") {
    const std::string text =
        ",cg00000001,cg00000002,cg00000003_TC21,cg00000003_BC21\n"
        "S1,2.0,-3.0,1.0,-1.0\n"
        "S2,-2.0,4.5,NA,0.0\n";
    ReadOptions o;
    o.keep = std::make_shared<ProbeIndex>(std::vector<std::string>{"cg00000001", "cg00000003"});
    o.mvalues = MValueMode::Always;
    const BetaMatrix m = parseBetaMatrix(text, "t.csv", o);
    CHECK_FALSE(m.report.cpgsAsRows);
    CHECK(m.rows() == 2);
    CHECK(m.report.probesInFile == 3);
    CHECK(m.report.replicatesAveraged == 1);
    CHECK(m.report.suffixedIds == 2);
    CHECK(m.at(m.row("cg00000001"), 0) == 0.8);  // 2^2 / (2^2 + 1)
    CHECK(m.at(m.row("cg00000001"), 1) == 0.2);
    CHECK(std::abs(m.at(m.row("cg00000003"), 0) - (2.0 / 3.0 + 1.0 / 3.0) / 2.0) < 1e-15);
    CHECK(m.at(m.row("cg00000003"), 1) == 0.5);
    try {
        parseBetaMatrix(text, "t.csv");
        FAIL("no error");
    } catch (const benchtop::Error& e) {
        CHECK_THAT(std::string(e.what()), ContainsSubstring("t.csv:2: 5 value(s) outside the beta range"));
    }
}

TEST_CASE("plain decimals take the fast path and parse exactly as std::from_chars", "[methyl][reader]") {
    // Tokens the fast path takes (plain decimals up to 2^53) and ones it hands to the general parser
    // (17 significant digits, exponents, '+', NA); every value must be the double std::from_chars gives.
    const std::vector<std::string> tokens = {"0.705861",
                                             "0.000001",
                                             "1",
                                             "0",
                                             "1.0",
                                             "-0.0931",
                                             "0.5",
                                             "0.99999999",
                                             "1.0999999",
                                             "-0.000014",
                                             "0.1",
                                             "0.3",
                                             "0.7",
                                             "4.5e-1",
                                             "+0.25",
                                             "0.123456789012345",
                                             "0.12345678901234567",
                                             "1.00000000000000000000001"};
    std::string text = "ID";
    const std::size_t ns = 4;
    for (std::size_t s = 0; s < ns; ++s) text += ",S" + std::to_string(s);
    text += "\n";
    std::vector<std::string> cells;
    for (std::size_t r = 0; r < tokens.size(); ++r) {
        char id[32];
        std::snprintf(id, sizeof id, "cg%08zu", r);
        text += id;
        for (std::size_t s = 0; s < ns; ++s) {
            const std::string& t = tokens[(r + s * 5) % tokens.size()];
            text += "," + t;
            cells.push_back(t);
        }
        text += "\n";
    }
    // A row with a missing cell still parses (general path) in the same file.
    text += "cg99999999,0.5,NA,,0.25\n";
    const BetaMatrix m = parseBetaMatrix(text, "decimals.csv");
    REQUIRE(m.rows() == tokens.size() + 1);
    for (std::size_t r = 0; r < tokens.size(); ++r)
        for (std::size_t s = 0; s < ns; ++s) {
            const std::string& t = cells[r * ns + s];
            double expected = 0;
            const char* b = t.data() + (t[0] == '+' ? 1 : 0);
            REQUIRE(std::from_chars(b, t.data() + t.size(), expected).ec == std::errc());
            INFO(t);
            CHECK(std::memcmp(&expected, &m.values[r * ns + s], sizeof(double)) == 0);
        }
    CHECK(std::isnan(m.at(m.row("cg99999999"), 1)));
    CHECK(std::isnan(m.at(m.row("cg99999999"), 2)));
    CHECK(m.at(m.row("cg99999999"), 3) == 0.25);
    CHECK(m.report.missingCells == 2);
}

TEST_CASE("a mapped file larger than the page-release step reads like the same text in memory", "[methyl][reader]") {
    // 120,000 CpGs x 16 samples (~17 MB): parsed from the file mapping, whose parsed pages are dropped in 16 MB
    // steps, then re-read for the ids (every row kept) - must equal parsing a copy in memory.
    benchtop::test::TempDir dir;
    const std::string path = dir.file("large.csv");
    const std::string text = largeMatrixText(120000);
    {
        std::ofstream out(path, std::ios::binary);
        out << text;
    }
    REQUIRE(text.size() > (16u << 20));
    ReadOptions o;
    o.computeMoments = true;
    BetaMatrix mapped;
    for (int threads : {2, 1}) {  // one thread crosses a 16 MB release step inside its part
        o.threads = threads;      // the same split in memory: the moment sums then agree to the bit
        const BetaMatrix memory = parseBetaMatrix(text, path, o);
        mapped = readBetaMatrix(path, o);
        REQUIRE(mapped.rows() == 120000);
        CHECK(mapped.cpgs == memory.cpgs);
        CHECK(mapped.values == memory.values);
        REQUIRE(mapped.moments.has_value());
        CHECK(mapped.moments->mean == memory.moments->mean);
    }
    CHECK(mapped.cpgs[119999] == "cg00119999");
    // Spot check against the text: row 100000, sample 7.
    const std::size_t line = text.find("\ncg00100000,") + 1;
    std::size_t field = line;
    for (int k = 0; k < 8; ++k) field = text.find(',', field) + 1;
    double v = 0;
    std::from_chars(text.data() + field, text.data() + text.find(',', field), v);
    CHECK(mapped.at(static_cast<std::size_t>(mapped.row("cg00100000")), 7) == v);
}

TEST_CASE("fuzz regressions: a series matrix whose last line runs into the end marker is an error, not a crash",
          "[methyl][fuzz]") {
    // Found by fuzz_beta_matrix: the table's only line ended without a newline, the reader stepped past it.
    for (const std::string text :
         {std::string("!series_matrix_table_begin\nID_REF\tGSM1!series_matrix_table_end"),
          std::string("!series_matrix_table_begin\n\"ID_REF\"\t\"GSM1\"\n!series_matrix_table_end"),
          std::string("!series_matrix_table_begin")}) {
        INFO(text);
        CHECK_THROWS_AS(parseBetaMatrix(text, "cut.txt"), benchtop::Error);
    }
}

TEST_CASE("gzip matrices are parsed as they inflate and read like the plain file", "[methyl][reader][gzip]") {
    // ~17.5 MB of text: more than one 16 MB block of the gzip stream, so rows are parsed before the rest inflates.
    benchtop::test::TempDir dir;
    const std::string text = largeMatrixText(120000);
    REQUIRE(text.size() > GzipLineBlocks::kDefaultBlockBytes);
    const std::string plain = dir.file("large.csv");
    const std::string gz = dir.file("large.csv.gz");
    {
        std::ofstream out(plain, std::ios::binary);
        out << text;
    }
    writeGzip(gz, text);
    ReadOptions o;
    o.computeMoments = true;
    const BetaMatrix a = readBetaMatrix(plain, o);
    const BetaMatrix b = readBetaMatrix(gz, o);
    CHECK(b.report.gzip);
    CHECK_FALSE(a.report.gzip);
    CHECK(b.report.rowsRead == 120000);
    CHECK(b.cpgs == a.cpgs);
    CHECK(b.values == a.values);
    REQUIRE(b.moments.has_value());
    for (std::size_t s = 0; s < 16; ++s) {
        // Sums are grouped by block, so the last bits may differ.
        CHECK(std::abs(b.moments->mean[s] - a.moments->mean[s]) < 1e-12);
        CHECK(std::abs(b.moments->sd[s] - a.moments->sd[s]) < 1e-12);
        CHECK(b.moments->count[s] == 120000);
    }
    // The fixture pair of a small file (one block): equal to the bit as well.
    const BetaMatrix d01 = readBetaMatrix(sharedPath(kD + "D01_cpg_rows.csv"));
    const BetaMatrix d04 = readBetaMatrix(sharedPath(kD + "D04_cpg_rows.csv.gz"));
    CHECK(d04.cpgs == d01.cpgs);
    CHECK(d04.values == d01.values);
    CHECK(d04.report.format == d01.report.format);
}

TEST_CASE("gzip damage and bad rows are reported with the file and line", "[methyl][reader][gzip]") {
    benchtop::test::TempDir dir;
    std::string text = largeMatrixText(120000);
    SECTION("a truncated stream names the file, after rows of earlier blocks were parsed") {
        writeGzip(dir.file("big.csv.gz"), text);
        writeCut(dir.file("big.csv.gz"), dir.file("cut.csv.gz"), 0.9);
        CHECK_THAT(readError(dir.file("cut.csv.gz")),
                   ContainsSubstring(dir.file("cut.csv.gz") + ": corrupt or truncated gzip file") &&
                       ContainsSubstring("download or copy the file again"));
        // Corrupt bytes in the middle of the stream: the same message.
        std::ifstream in(dir.file("big.csv.gz"), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 64; ++i) bytes[i] = static_cast<char>(~bytes[i]);
        std::ofstream(dir.file("bad.csv.gz"), std::ios::binary) << bytes;
        CHECK_THAT(readError(dir.file("bad.csv.gz")),
                   ContainsSubstring(dir.file("bad.csv.gz") + ": corrupt or truncated gzip file"));
    }
    SECTION("a bad row before the damage: the damage is reported") {
        text.insert(text.find("\ncg00000010,") + 1, "cg99999999,0.5\n");
        writeGzip(dir.file("big.csv.gz"), text);
        writeCut(dir.file("big.csv.gz"), dir.file("cut.csv.gz"), 0.9);
        CHECK_THAT(readError(dir.file("cut.csv.gz")), ContainsSubstring("corrupt or truncated gzip file"));
    }
    SECTION("a bad row in the second block of an intact stream: its line number") {
        text.insert(text.find("\ncg00119000,") + 1, "cg99999999,0.5\n");
        writeGzip(dir.file("big.csv.gz"), text);
        CHECK_THAT(readError(dir.file("big.csv.gz")),
                   ContainsSubstring("big.csv.gz:119002: ragged table: line 119002 has 2 fields, expected 17"));
    }
    SECTION("a gzipped series matrix without its end marker is a truncated download") {
        std::ifstream in(sharedPath(kF + "F10_series_matrix_no_table_end.txt"), std::ios::binary);
        const std::string series((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        writeGzip(dir.file("series.txt.gz"), series);
        const std::string plainError = errorOf(kF + "F10_series_matrix_no_table_end.txt");
        const std::string gzError = readError(dir.file("series.txt.gz"));
        CHECK_THAT(gzError, ContainsSubstring("truncated series matrix (no !series_matrix_table_end)"));
        // The same line as for the plain file.
        CHECK(gzError.substr(gzError.find(".gz:") + 3) == plainError.substr(plainError.find(".txt:") + 4));
    }
}

TEST_CASE("gzip line blocks hold whole lines, however long", "[methyl][reader][gzip]") {
    benchtop::test::TempDir dir;
    std::string text = "\n\nID,S1\n";
    text += "cg00000001," + std::string(100, '1') + "\n";  // longer than a block
    for (int i = 0; i < 50; ++i) text += "cg000000" + std::to_string(10 + i) + ",0.5\n";
    text += "cg00000099,0.25";  // no newline at the end
    writeGzip(dir.file("t.csv.gz"), text);
    GzipLineBlocks source(dir.file("t.csv.gz"), 16);
    std::string joined;
    std::string_view block;
    std::size_t blocks = 0;
    while (source.next(block)) {
        ++blocks;
        joined.append(block);
        if (joined.size() < text.size()) CHECK(block.back() == '\n');
    }
    CHECK(joined == text);
    CHECK(blocks > 10);
    // The line reader looks past blank lines into the next block; line numbers count them.
    GzipLineBlocks again(dir.file("t.csv.gz"), 1);
    LineReader reader(again);
    std::string_view line;
    std::size_t lineNo = 0;
    REQUIRE(reader.peekNonBlank(line, lineNo));
    CHECK(line == "ID,S1");
    CHECK(lineNo == 3);
    REQUIRE(reader.nextLine(line));
    CHECK(line.empty());
    CHECK(reader.lineNo() == 1);
}
