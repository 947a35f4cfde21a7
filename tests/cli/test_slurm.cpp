// A text corpus split across a real single-node Slurm (tools/slurm: Debian's slurm-wlm and munge on loopback)
// gives what one process gives; a cancelled array task is resubmitted and the merge still matches.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <unistd.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "core/tensor/npy_reader.h"
#include "tests/cli/cli_runner.h"
#include "tests/support/local_slurm.h"

namespace fs = std::filesystem;
using benchtop::test::LocalSlurm;
using benchtop::test::runCli;
using benchtop::test::sharedPath;
using Catch::Matchers::ContainsSubstring;

namespace {

/// The submission folder `slurm submit` printed.
std::string submissionFolder(const std::string& out) {
    std::smatch m;
    REQUIRE(std::regex_search(out, m, std::regex("folder ([^\n]+)")));
    return m[1];
}

/// Waits (bounded) until `file` exists.
bool waitFor(const fs::path& file, int seconds) {
    for (int i = 0; i < seconds * 10; ++i) {
        if (fs::exists(file)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

void checkSameAsOneRun(const std::string& merged, const std::string& whole) {
    CHECK(benchtop::test::readFile(merged + "/texts.jsonl") == benchtop::test::readFile(whole + "/texts.jsonl"));
    const auto a = benchtop::tensor::readNpy(whole + "/embeddings.npy");
    const auto b = benchtop::tensor::readNpy(merged + "/embeddings.npy");
    REQUIRE(a.shape == b.shape);
    const auto va = a.toFloats(), vb = b.toFloats();
    double worst = 0;
    for (std::size_t i = 0; i < va.size(); ++i) worst = std::max(worst, double(std::abs(va[i] - vb[i])));
    CHECK(worst <= 1e-6);
}

}  // namespace

/// The fixture corpus run once as one process and submitted split 3 ways.
struct Submitted {
    std::string whole;     ///< the one-process result folder
    std::string folder;    ///< the submission folder
    std::string arrayJob;  ///< the array's job id
    std::string out;       ///< what `slurm submit` printed
};

Submitted submitCorpus(const LocalSlurm& slurm) {
    const fs::path work = slurm.dir() / "work";
    const std::string input = sharedPath("fixtures/text/inputs.txt");
    const std::string common = " --model '" + sharedPath("models/tiny-bert-mean") + "' --device cpu --precision fp32";
    const auto one = runCli("run '" + input + "'" + common + " -o '" + (work / "one").string() + "' -q");
    INFO(one.err);
    REQUIRE(one.exitCode == 0);
    const auto submitted =
        runCli("slurm submit '" + input + "' --shards 3" + common + " -o '" + work.string() + "'", slurm.env());
    INFO(submitted.out << submitted.err);
    REQUIRE(submitted.exitCode == 0);
    std::smatch m;
    REQUIRE(std::regex_search(submitted.out, m, std::regex("array job ([0-9]+)")));
    return {(work / "one" / "inputs").string(), submissionFolder(submitted.out), m[1], submitted.out};
}

TEST_CASE("a text corpus split 3 ways on Slurm merges into one run's result", "[cli][slurm]") {
    LocalSlurm slurm;
    const Submitted run = submitCorpus(slurm);
    REQUIRE(waitFor(fs::path(run.folder) / "merged" / "inputs" / "embedding_info.json", 180));
    checkSameAsOneRun(run.folder + "/merged/inputs", run.whole);
    for (int i = 0; i < 3; ++i)
        CHECK(fs::exists(fs::path(run.folder) / "parts" / ("inputs.shard-" + std::to_string(i) + "-of-3")));
    const auto status = runCli("slurm status '" + run.folder + "'", slurm.env());
    CHECK(status.exitCode == 0);
    CHECK_THAT(status.out, ContainsSubstring("part 2/3"));
    CHECK_THAT(status.out, ContainsSubstring("COMPLETED"));
}

TEST_CASE("a cancelled array task is resubmitted alone and the merge still matches", "[cli][slurm]") {
    LocalSlurm slurm;
    const Submitted run = submitCorpus(slurm);
    const std::string& folder = run.folder;
    // Kill part 1 (pending or running), as a node failure or a time limit would.
    REQUIRE(std::system((slurm.env() + " scancel " + run.arrayJob + "_1").c_str()) == 0);
    // The other parts finish; the merge cannot run.
    std::string status;
    for (int i = 0; i < 300; ++i) {
        status = runCli("slurm status '" + folder + "'", slurm.env()).out;
        if (status.find("part(s) failed") != std::string::npos && status.find("RUNNING") == std::string::npos &&
            std::regex_search(status, std::regex("part 0/3 +[0-9_]+ +COMPLETED")) &&
            std::regex_search(status, std::regex("part 2/3 +[0-9_]+ +COMPLETED")))
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    INFO(status);
    // Cancelled while running: CANCELLED; while pending: Slurm keeps no record of it, so it is MISSING.
    REQUIRE(std::regex_search(status, std::regex("part 1/3 +[0-9_]+ +(CANCELLED|MISSING)")));
    CHECK_FALSE(fs::exists(fs::path(folder) / "merged" / "inputs" / "embedding_info.json"));

    const auto again = runCli("slurm resubmit '" + folder + "'", slurm.env());
    INFO(again.out << again.err);
    REQUIRE(again.exitCode == 0);
    CHECK_THAT(again.out, ContainsSubstring("resubmitted part(s) 1"));
    REQUIRE(waitFor(fs::path(folder) / "merged" / "inputs" / "embedding_info.json", 180));
    checkSameAsOneRun(folder + "/merged/inputs", run.whole);
}

/// Whether two JSON documents agree: the same structure, strings and integers, numbers within `tolerance`.
bool sameJson(const nlohmann::json& a, const nlohmann::json& b, double tolerance, std::string& where) {
    if (a.is_number_float() || b.is_number_float()) {
        if (!a.is_number() || !b.is_number() || std::abs(a.get<double>() - b.get<double>()) > tolerance) {
            where = a.dump() + " against " + b.dump();
            return false;
        }
        return true;
    }
    if (a.type() != b.type() || a.size() != b.size()) {
        where = a.dump().substr(0, 200) + " against " + b.dump().substr(0, 200);
        return false;
    }
    if (a.is_object()) {
        for (auto it = a.begin(); it != a.end(); ++it)
            if (!b.contains(it.key()) || !sameJson(it.value(), b.at(it.key()), tolerance, where)) return false;
        return true;
    }
    if (a.is_array()) {
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!sameJson(a[i], b[i], tolerance, where)) return false;
        return true;
    }
    if (a != b) where = a.dump() + " against " + b.dump();
    return a == b;
}

/// Every file of `whole` (one run's result folder, the job marker included) is in `merged`, byte for byte, and
/// `merged` holds nothing else. With `jsonTolerance`, JSON files may differ in their floating-point numbers by
/// that much (float32 models on a node with another number of threads sum in another order).
void checkSameFiles(const fs::path& merged, const fs::path& whole, double jsonTolerance = 0) {
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(whole)) {
        ++files;
        INFO(entry.path().filename());
        const std::string a = benchtop::test::readFile(entry.path().string());
        const std::string b = benchtop::test::readFile((merged / entry.path().filename()).string());
        if (jsonTolerance > 0 && entry.path().extension() == ".json") {
            std::string where;
            CHECK(sameJson(nlohmann::json::parse(a), nlohmann::json::parse(b), jsonTolerance, where));
            INFO(where);
            CHECK(where.empty());
        } else {
            CHECK(a == b);
        }
    }
    CHECK(files > 1);
    CHECK(static_cast<std::size_t>(std::distance(fs::directory_iterator(merged), fs::directory_iterator())) == files);
}

TEST_CASE("methylation cohorts split 4 ways on Slurm merge into one run's predictions byte for byte",
          "[cli][slurm][methylation]") {
    LocalSlurm slurm;
    const fs::path work = slurm.dir() / "work";
    const std::string methyl = sharedPath("fixtures/methylation");
    // 16 samples with ages (age acceleration regresses over the whole cohort), and 5 samples with missing cells
    // (cohort means and DunedinPACE's imputation use every sample).
    const std::string cohort =
        "'" + methyl + "/A_example55/betas.csv' --sample-sheet '" + methyl + "/E_age_acceleration/sample_sheet.csv'";
    const std::string withNa = "'" + methyl + "/B_dunedinpace_example/betas_with_na.csv'";
    for (const auto& input : {cohort, withNa}) {
        const auto one = runCli("run " + input + " -o '" + (work / "one").string() + "' -q");
        INFO(one.err);
        REQUIRE(one.exitCode == 0);
    }
    // Two submissions at once (the sample sheet belongs to one cohort only).
    std::vector<fs::path> folders;
    for (const auto& input : {cohort, withNa}) {
        const auto submitted =
            runCli("slurm submit " + input + " --shards 4 -o '" + (work / "cluster").string() + "'", slurm.env());
        INFO(submitted.out << submitted.err);
        REQUIRE(submitted.exitCode == 0);
        folders.push_back(submissionFolder(submitted.out));
    }
    REQUIRE(waitFor(folders[0] / "merged" / "betas" / "predictions.json", 180));
    REQUIRE(waitFor(folders[1] / "merged" / "betas_with_na" / "predictions.json", 60));
    for (int i = 0; i < 4; ++i)
        CHECK(fs::exists(folders[0] / "parts" / ("betas.shard-" + std::to_string(i) + "-of-4") /
                         "predictions.shard.json"));
    checkSameFiles(folders[0] / "merged" / "betas", work / "one" / "betas");
    checkSameFiles(folders[1] / "merged" / "betas_with_na", work / "one" / "betas_with_na");
    const fs::path& folder = folders[0];
    CHECK_THAT(benchtop::test::readFile((folder / "merged" / "betas" / "predictions.csv").string()),
               ContainsSubstring("Horvath2013_acc_resid"));
}

TEST_CASE("an audio set split 3 ways on Slurm merges into one run's transcripts", "[cli][slurm][speech]") {
    LocalSlurm slurm;
    const fs::path work = slurm.dir() / "work";
    const std::string audio = sharedPath("fixtures/whisper/audio");
    std::string files;
    for (const char* name : {"jfk.flac", "en_espeak.wav", "long45.wav", "zh_espeak.wav"})
        files += " '" + audio + "/" + name + "'";
    const std::string common =
        " --model '" + sharedPath("models/tiny-whisper-v3") + "' --device cpu --precision fp32 --set formats=all";
    // One process with every file in one job: what a split run's parts add up to.
    const auto one = runCli("run" + files + common + " --batch-files -o '" + (work / "one").string() + "' -q");
    INFO(one.err);
    REQUIRE(one.exitCode == 0);
    const auto submitted =
        runCli("slurm submit" + files + common + " --shards 3 -o '" + work.string() + "'", slurm.env());
    INFO(submitted.out << submitted.err);
    REQUIRE(submitted.exitCode == 0);
    const fs::path folder = submissionFolder(submitted.out);
    const fs::path merged = folder / "merged" / "jfk-and-3-more";
    REQUIRE(waitFor(merged / ".benchtop-job.json", 300));
    // Transcripts byte for byte; JSON numbers (log-probabilities, which the parts' threads sum in another order)
    // within the fixture's recommended avg_logprob tolerance, 1e-4.
    checkSameFiles(merged, work / "one" / "jfk-and-3-more", 1e-4);
    // Whole files, balanced by duration: long45 (45 s) alone, jfk (11 s) alone, the two short ones together.
    const auto partHolds = [&](int i, const char* name) {
        return fs::exists(folder / "parts" / ("jfk-and-3-more.shard-" + std::to_string(i) + "-of-3") / name);
    };
    CHECK(partHolds(0, "long45.txt"));
    CHECK(partHolds(1, "jfk.txt"));
    CHECK(partHolds(2, "en_espeak.txt"));
    CHECK(partHolds(2, "zh_espeak.txt"));
}

TEST_CASE("slurm submit --dry-run writes the array and merge scripts", "[cli][slurm]") {
    const auto dir = fs::temp_directory_path() / ("bt-slurm-dry-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    const auto r = runCli("slurm submit '" + sharedPath("fixtures/text/inputs.txt") +
                          "' --shards 4 --partition gpu --gpus-per-task 1 --time 1:00:00 --mem 8G --dry-run --model '" +
                          sharedPath("models/tiny-bert-mean") + "' -o '" + dir.string() + "'");
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, ContainsSubstring("#SBATCH --array=0-3\n"));
    CHECK_THAT(r.out, ContainsSubstring("#SBATCH --gres=gpu:1\n"));
    CHECK_THAT(r.out, ContainsSubstring("#SBATCH --partition=gpu\n"));
    CHECK_THAT(r.out, ContainsSubstring("#SBATCH --time=1:00:00\n"));
    CHECK_THAT(r.out, ContainsSubstring("--shard \"$SLURM_ARRAY_TASK_ID/4\""));
    CHECK_THAT(r.out, ContainsSubstring("--dependency=afterok"));
    CHECK_THAT(r.out, ContainsSubstring(" merge "));
    CHECK_THAT(r.out, ContainsSubstring("inputs.shard-3-of-4"));
    // A cohort: one part per sample range, the merge after them.
    const auto clocks =
        runCli("slurm submit '" + std::string(BENCHTOP_SOURCE_DIR) +
               "/resources/demo/methylation/cohort.csv' --shards 2 --dry-run -o '" + dir.string() + "'");
    INFO(clocks.err);
    CHECK(clocks.exitCode == 0);
    CHECK_THAT(clocks.out, ContainsSubstring("cohort.shard-1-of-2"));
    fs::remove_all(dir);
}
