// Sample sheet detection: what the UI uses to attach a dropped sheet to the matrices dropped with it.
#include <fstream>
#include <string>

#include <catch2/catch_test_macros.hpp>

#include "core/engine/task.h"
#include "core/methyl/methylation_task.h"
#include "core/methyl/sample_sheet.h"
#include "tests/support/shared_paths.h"

using namespace benchtop::methyl;
using benchtop::test::sharedPath;
using benchtop::test::TempDir;

namespace {

const std::string kFixtures = "fixtures/methylation/";

}  // namespace

TEST_CASE("sample sheets are told apart from beta matrices", "[methyl][sample_sheet]") {
    SECTION("the fixture sheet (Sample_Name, Age, Sex) is a sheet and not a matrix") {
        const std::string sheet = sharedPath(kFixtures + "E_age_acceleration/sample_sheet.csv");
        CHECK(looksLikeSampleSheet(sheet));
        // The matrix recogniser must not claim it either.
        CHECK(recogniseMethylationFile(benchtop::engine::probeFile(sheet)) == 0);
    }
    SECTION("beta matrices in every layout are not sheets") {
        for (const char* matrix :
             {"A_example55/betas.csv", "D_format_variants/D01_cpg_rows.csv", "D_format_variants/D02_sample_rows.csv",
              "D_format_variants/D03_cpg_rows.tsv", "D_format_variants/D04_cpg_rows.csv.gz",
              "D_format_variants/D05_series_matrix.txt.gz", "D_format_variants/D10_excel_bom_crlf_quoted.csv",
              "D_format_variants/real_geo_excerpt/GSE41169_excerpt_series_matrix.txt"}) {
            INFO(matrix);
            const std::string path = sharedPath(kFixtures + matrix);
            CHECK_FALSE(looksLikeSampleSheet(path));
            CHECK(recogniseMethylationFile(benchtop::engine::probeFile(path)) > 0);
        }
    }
    SECTION("plain sheets need a sample id and an age column") {
        CHECK(looksLikeSampleSheetText("Sample_Name,Age,Sex\nS1,40,F\nS2,51,M\n"));
        CHECK(looksLikeSampleSheetText("\xEF\xBB\xBF\"ID\"\t\"age (years)\"\r\nS1\t40\r\n"));
        CHECK(looksLikeSampleSheetText("GSM;Chronological_Age\nGSM1;40\n"));
        CHECK(looksLikeSampleSheetText("Sample_Name,Age\n"));  // header only: still a sheet, rows are checked later
        CHECK_FALSE(looksLikeSampleSheetText("Sample_Name,Sex\nS1,F\n"));  // nothing for the clocks
        CHECK_FALSE(looksLikeSampleSheetText("Age,Sex\n40,F\n"));          // rows cannot be matched
        CHECK_FALSE(looksLikeSampleSheetText("a text per line\nanother one\n"));
        CHECK_FALSE(looksLikeSampleSheetText(""));
        CHECK_FALSE(looksLikeSampleSheetText(std::string("ID,Age\n\0\x01\x02", 10)));
    }
    SECTION("Illumina sheets only need a sample column after [Data]") {
        CHECK(
            looksLikeSampleSheetText("[Header]\nInvestigator Name,X\n\n[Data]\nSample_Name,Sample_Well,Sentrix_ID\n"
                                     "brainA,A01,2001\n"));
        CHECK_FALSE(looksLikeSampleSheetText("[Header]\nInvestigator Name,X\n[Data]\nWell,Plate\nA01,1\n"));
    }
    SECTION("matrices that happen to have an id and an age column are not sheets") {
        // Samples as rows with the age in the file.
        CHECK_FALSE(looksLikeSampleSheetText("Sample_Name,Age,cg00000292,cg00002426,cg00003994\nS1,40,0.1,0.2,0.3\n"));
        // CpGs as rows under an "ID" column.
        CHECK_FALSE(looksLikeSampleSheetText("ID,Age\ncg00000292,0.1\ncg00002426,0.2\ncg00003994,0.3\n"));
    }
    SECTION("only the head of a file is read, and unreadable files are not sheets") {
        TempDir dir;
        std::string big = "Sample_Name,Age,Sex\n";
        for (int i = 0; big.size() < 200 * 1024; ++i)
            big += "S" + std::to_string(i) + "," + std::to_string(i % 90) + ",F\n";
        std::ofstream(dir.file("big.csv"), std::ios::binary) << big;
        CHECK(looksLikeSampleSheet(dir.file("big.csv")));
        CHECK_FALSE(looksLikeSampleSheet(dir.file("missing.csv")));
        CHECK_FALSE(looksLikeSampleSheet(dir.path()));
    }
}
