// Hostile input: benchtop-cli over the corpus in tests/data/hostile (written by make_corpus.py) plus inputs
// made here (too large to commit, or broken copies of a shared model). Every case states its decision: fail
// with a one-line error that names the file and the problem, or succeed (odd but valid input). Always: no
// crash, no hang, and a failed job leaves nothing in the output folder.

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using Catch::Matchers::ContainsSubstring;

namespace {

struct Case {
    std::string file;                ///< under tests/data/hostile, or an absolute path made by the test
    std::string args;                ///< task and options
    bool succeeds = false;           ///< the decision
    std::vector<std::string> error;  ///< what the error must say (besides the file name)
    std::string why;                 ///< the reason for the decision
    bool namesInput = true;          ///< the error names the input (else the broken model file, in `error`)
};

std::string corpus(const std::string& relative) {
    return std::string(BENCHTOP_SOURCE_DIR) + "/tests/data/hostile/" + relative;
}

std::size_t filesUnder(const fs::path& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file()) ++n;
    return n;
}

/// Runs one case and checks the decision and the invariants.
void check(const Case& c, const benchtop::test::TempDir& home, const std::string& env) {
    const std::string path = fs::path(c.file).is_absolute() ? c.file : corpus(c.file);
    const std::string name = fs::path(path).filename().string();
    const fs::path out = fs::path(home.path()) / "out" / name;
    INFO(name << ": " << c.why);
    const auto r = benchtop::test::runCli("run --json '" + path + "' " + c.args + " -o '" + out.string() + "'",
                                          "timeout 300 " + env);
    INFO("stderr: " << r.err);
    REQUIRE(r.signal == 0);      // no crash
    REQUIRE(r.exitCode != 124);  // no hang (timeout's code)
    REQUIRE_FALSE(r.out.empty());
    const auto summary = nlohmann::json::parse(r.out);
    REQUIRE(summary.size() == 1);
    const std::string error = summary[0]["error"].get<std::string>();
    INFO("error: " << error);
    if (c.succeeds) {
        CHECK(r.exitCode == 0);
        CHECK(summary[0]["state"] == "done");
        CHECK(filesUnder(out) > 0);
        return;
    }
    CHECK(r.exitCode == 1);
    CHECK(summary[0]["state"] == "failed");
    CHECK(error.find('\n') == std::string::npos);  // one line
    if (c.namesInput) CHECK_THAT(error, ContainsSubstring(name));
    for (const auto& part : c.error) CHECK_THAT(error, ContainsSubstring(part));
    CHECK(filesUnder(out) == 0);  // nothing left behind
}

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

/// A copy of a shared model folder that a case breaks.
std::string copyModel(const benchtop::test::TempDir& dir, const std::string& name, const std::string& as) {
    const fs::path target = fs::path(dir.path()) / as;
    fs::copy(benchtop::test::sharedPath("models/" + name), target, fs::copy_options::recursive);
    return target.string();
}

std::string le64(std::uint64_t v) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
    return s;
}

struct ZipMember {
    std::string name;
    std::string bytes;
    std::uint32_t externalAttributes = 0;
};

/// An uncompressed zip as torch.save and most tools write it (stored entries, no data descriptors).
std::string storedZip(const std::vector<ZipMember>& members) {
    std::string local, central;
    for (const auto& m : members) {
        std::uint32_t crc = 0xFFFFFFFFu;
        for (const unsigned char ch : m.bytes) {
            crc ^= ch;
            for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
        crc ^= 0xFFFFFFFFu;
        const std::string crcBytes = le64(crc).substr(0, 4), size = le64(m.bytes.size()).substr(0, 4);
        const std::string nameLength = le64(m.name.size()).substr(0, 2);
        const std::string offset = le64(local.size()).substr(0, 4);
        // version, flags, method (stored), time, date; then crc, sizes, name length, extra length
        local += std::string("PK\x03\x04", 4) + std::string("\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00", 10) + crcBytes +
                 size + size + nameLength + std::string(2, '\0') + m.name + m.bytes;
        // made by (unix), needed, flags, method, time, date; crc, sizes; name, extra, comment, disk, internal
        // attributes; external attributes; local header offset
        central += std::string("PK\x01\x02", 4) + std::string("\x14\x03\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00", 12) +
                   crcBytes + size + size + nameLength + std::string(8, '\0') +
                   le64(m.externalAttributes).substr(0, 4) + offset + m.name;
    }
    const std::string count = le64(members.size()).substr(0, 2);
    return local + central + std::string("PK\x05\x06", 4) + std::string(4, '\0') + count + count +
           le64(central.size()).substr(0, 4) + le64(local.size()).substr(0, 4) + std::string(2, '\0');
}

}  // namespace

TEST_CASE("hostile methylation files fail with the file and the problem, or are read as decided", "[hostile][methyl]") {
    benchtop::test::TempDir home;
    const std::string env = benchtop::test::offlineEnv(home, benchtop::test::closedPort());
    const std::string clocks = "--task methylation --clocks horvath2013,hannum2013";
    // The corpus matrices hold a handful of CpGs: readable ones are computed with any coverage.
    const std::string valid = clocks + " --min-coverage 0";
    // A 1 MB header line without a newline: the header never ends.
    const std::string longHeader = home.file("long_header.csv");
    {
        std::string header = "ID_REF";
        while (header.size() < (1u << 20)) header += ",S" + std::to_string(header.size());
        writeBytes(longHeader, header);
    }
    const std::vector<Case> cases = {
        {"methylation/empty.csv", clocks, false, {"empty"}, "nothing to read"},
        {"methylation/header_only.csv", clocks, false, {"no CpG rows"}, "a header without data"},
        {"methylation/binary_garbage.csv", clocks, false, {"binary"}, "random bytes named .csv"},
        {"methylation/non_numeric.csv", clocks, false, {"non-numeric value 'abc'", "line 4"}, "a typo in a beta"},
        {"methylation/out_of_range.csv",
         clocks,
         false,
         {"outside the beta range", "mvalues"},
         "betas outside [0, 1] without --mvalues: M-values or a wrong file"},
        {"methylation/nan_column.csv",
         clocks,
         false,
         {"non-numeric value 'inf'"},
         "inf is no measurement; NaN/NA cells are missing values"},
        {"methylation/all_nan.csv",
         clocks,
         false,
         {"no clock value could be computed"},
         "every value missing: a table of empty cells helps nobody"},
        {"methylation/no_clock_cpgs.csv",
         clocks,
         false,
         {"no clock value could be computed", "probe ids"},
         "none of the clocks' CpGs: not the matrix the user meant"},
        {"methylation/ragged.csv", clocks, false, {"ragged", "line 5"}, "a row with a missing field"},
        {"methylation/duplicate_samples.csv",
         clocks,
         false,
         {"duplicate sample name 'S1'"},
         "results per sample would be ambiguous"},
        {"methylation/truncated.csv.gz", clocks, false, {"truncated gzip"}, "a cut download"},
        {"methylation/fake.csv.gz", valid, true, {}, "plain text named .gz: read as the text it is"},
        {"methylation/nul_bytes.csv", clocks, false, {"binary"}, "NUL bytes in a table"},
        {"methylation/utf16_bom.csv", clocks, false, {"UTF-16", "UTF-8"}, "Excel's Unicode text: say how to save it"},
        {"methylation/crlf_semicolon.csv", valid, true, {}, "Windows line ends and ';' are common exports"},
        {"methylation/series_matrix_cut.txt",
         clocks,
         false,
         {"series_matrix_table_end"},
         "a GEO download cut before its end"},
        {longHeader, clocks, false, {}, "a 1 MB header line and no rows"},
    };
    for (const auto& c : cases) check(c, home, env);
}

TEST_CASE("hostile text files fail with the file, line and problem, or are embedded as decided", "[hostile][text]") {
    benchtop::test::TempDir home;
    const std::string env = benchtop::test::offlineEnv(home, benchtop::test::closedPort());
    const std::string text = "--task text --model '" + benchtop::test::sharedPath("models/tiny-bert-mean") + "'";
    // One 2 MB line: embedded, truncated to the model's length.
    const std::string longLine = home.file("long_line.txt");
    writeBytes(longLine, std::string(2u << 20, 'a') + "\nshort\n");
    const std::vector<Case> cases = {
        {"text/empty.txt", text, false, {"is empty"}, "nothing to embed"},
        {"text/blank_lines.txt", text, false, {"only blank lines"}, "nothing to embed"},
        {"text/latin1.txt", text, false, {":3", "not valid UTF-8", "0xE9", "column 4"}, "Latin-1 text: say which line"},
        {"text/nul_bytes.txt", text, false, {":2", "NUL byte"}, "binary data or UTF-16"},
        {"text/broken.jsonl", text, false, {":2", "not valid JSON"}, "a line cut in the middle"},
        {"text/missing_field.jsonl", text, false, {":2", "no string field 'text'"}, "a record without the text"},
        {"text/missing_column.csv",
         text,
         false,
         {"no column named text", "columns: id, body"},
         "guessing a column would embed ids"},
        {"text/missing_column.csv",
         text + " --column text",
         false,
         {"no column named 'text'"},
         "the named column is absent"},
        {"text/unicode.txt", text, true, {}, "emoji, RTL, combining marks, zero-width characters and a BOM are text"},
        {"text/lone_surrogate.jsonl",
         text,
         false,
         {":1", "surrogate"},
         "an escaped lone surrogate is no Unicode text; the JSON reader refuses it"},
        {longLine, text, true, {}, "long texts are truncated to the model's maximum length"},
    };
    for (const auto& c : cases) check(c, home, env);
}

TEST_CASE("hostile audio files fail naming the file, or are transcribed as far as they go", "[hostile][audio]") {
    benchtop::test::TempDir home;
    const std::string env = benchtop::test::offlineEnv(home, benchtop::test::closedPort());
    const std::string speech =
        "--task speech --language en --model '" + benchtop::test::sharedPath("models/tiny-whisper-v3") + "'";
    // 40 s of digital silence: transcribed (whatever a random-weight model says) and finished in bounded time.
    const std::string silence = home.file("silence_40s.wav");
    {
        const std::uint32_t bytes = 40 * 16000 * 2;
        std::string wav = "RIFF" + le64(36 + bytes).substr(0, 4) + "WAVEfmt " + le64(16).substr(0, 4);
        wav += std::string("\x01\x00\x01\x00", 4) + le64(16000).substr(0, 4) + le64(32000).substr(0, 4);
        wav += std::string("\x02\x00\x10\x00", 4) + "data" + le64(bytes).substr(0, 4) + std::string(bytes, '\0');
        writeBytes(silence, wav);
    }
    const std::vector<Case> cases = {
        {"speech/empty.wav", speech, false, {"empty"}, "no audio at all"},
        {"speech/header_only.wav", speech, false, {"no audio samples"}, "a header without samples"},
        {"speech/cut_mid_data.wav", speech, true, {}, "a cut file: transcribe what is there"},
        {"speech/lying_sizes.wav",
         speech,
         true,
         {},
         "sizes larger than the file: transcribe what is there, with a note"},
        {"speech/random_bytes.mp3", speech, false, {"not a media file"}, "random bytes named .mp3"},
        {"speech/text.flac", speech, false, {"no audio stream"}, "text named .flac"},
        {"speech/ten_ms.wav", speech, true, {}, "10 ms is short but valid audio"},
        {"speech/clipped_noise.wav", speech, true, {}, "clipped noise is valid audio"},
        {silence, speech, true, {}, "silence is valid audio; decoding stops at the window limits"},
    };
    for (const auto& c : cases) check(c, home, env);
    // The cut file's note says what happened.
    const auto r = benchtop::test::runCli(
        "run '" + corpus("speech/lying_sizes.wav") + "' " + speech + " -o '" + home.file("again") + "'", env);
    CHECK_THAT(r.err, ContainsSubstring("ends early") && ContainsSubstring("transcribing what is there"));
}

TEST_CASE("broken model folders fail naming the file and the problem; a pickle that runs code is refused",
          "[hostile][models]") {
    benchtop::test::TempDir home;
    const std::string env = benchtop::test::offlineEnv(home, benchtop::test::closedPort());
    const std::string input = home.file("texts.txt");
    writeBytes(input, "one text\nanother text\n");
    const std::string weights = "model.safetensors";
    const auto broken = [&](const std::string& as, const std::string& file, const std::string& bytes) {
        const std::string folder = copyModel(home, "tiny-bert-mean", as);
        writeBytes(folder + "/" + file, bytes);
        return folder;
    };
    // The real header with one tensor's offsets moved past the end of the file, or its shape transposed.
    std::string header, data;
    {
        const std::string original =
            benchtop::test::readFile(benchtop::test::sharedPath("models/tiny-bert-mean/" + weights));
        std::uint64_t n = 0;
        for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(original[static_cast<std::size_t>(i)]);
        header = original.substr(8, n);
        data = original.substr(8 + n);
    }
    auto json = nlohmann::json::parse(header);
    auto pastEnd = json;
    pastEnd["embeddings.LayerNorm.bias"]["data_offsets"] = {data.size() + 1000, data.size() + 1256};
    auto reshaped = json;
    reshaped["embeddings.LayerNorm.bias"]["shape"] = {8, 8};
    const auto withHeader = [&](const nlohmann::json& h) {
        std::string text = h.dump();
        text.append((8 - text.size() % 8) % 8, ' ');
        return le64(text.size()) + text + data;
    };
    // A pickle that calls posix.system (what a malicious pytorch_model.bin does): it would create `marker`.
    const std::string marker = home.file("pwned");
    std::string pickle =
        "\x80\x02"
        "cposix\nsystem\n"
        "X";
    const std::string command = "touch '" + marker + "'";
    pickle += le64(command.size()).substr(0, 4) + command +
              "\x85"
              "R"
              ".";
    const std::string pickleModel = copyModel(home, "tiny-bert-mean", "pickle-model");
    fs::remove(pickleModel + "/" + weights);
    writeBytes(pickleModel + "/pytorch_model.bin", storedZip({{"archive/data.pkl", pickle}}));
    const auto text = [&](const std::string& folder) { return "--task text --model '" + folder + "'"; };
    const std::vector<Case> cases = {
        {input,
         text(broken("huge-header", weights, le64(std::uint64_t(1) << 62) + "{}")),
         false,
         {weights},
         "a 2^62-byte header length",
         false},
        {input,
         text(broken("not-json", weights, le64(16) + "this is not JSON")),
         false,
         {weights, "JSON"},
         "a header that is not JSON",
         false},
        {input,
         text(broken("past-end", weights, withHeader(pastEnd))),
         false,
         {weights, "embeddings.LayerNorm.bias"},
         "offsets past the end of the file",
         false},
        {input,
         text(broken("reshaped", weights, withHeader(reshaped))),
         false,
         {"embeddings.LayerNorm.bias"},
         "a tensor of the wrong shape",
         false},
        {input, text(broken("empty-weights", weights, "")), false, {weights}, "an empty weights file", false},
        {input,
         text(broken("bad-config", "config.json", "{\"hidden_size\": 64,")),
         false,
         {"config.json"},
         "a config.json cut in the middle",
         false},
        {input,
         text(broken("bad-tokenizer", "tokenizer.json", "{\"model\": {\"type\": \"WordPiece\", \"vocab\": [")),
         false,
         {"tokenizer.json"},
         "a tokenizer.json cut in the middle",
         false},
        {input,
         text(pickleModel),
         false,
         {"pytorch_model.bin", "refusing"},
         "a pickle that runs a shell command",
         false},
    };
    for (const auto& c : cases) check(c, home, env);
    CHECK_FALSE(fs::exists(marker));  // nothing was executed
}

TEST_CASE("hostile archives for models import are refused before anything is written", "[hostile][models]") {
    benchtop::test::TempDir home;
    const std::string env = benchtop::test::offlineEnv(home, benchtop::test::closedPort());
    const fs::path store = fs::path(home.path()) / "data" / "benchtop" / "models";
    // A real model, zipped: the shared tiny BERT's files under one top folder.
    std::vector<ZipMember> model;
    for (const auto& entry : fs::recursive_directory_iterator(benchtop::test::sharedPath("models/tiny-bert-mean"))) {
        if (!entry.is_regular_file()) continue;
        const std::string rel =
            fs::relative(entry.path(), benchtop::test::sharedPath("models/tiny-bert-mean")).generic_string();
        model.push_back({"tiny-bert-mean/" + rel, benchtop::test::readFile(entry.path().string()), 0100644u << 16});
    }
    const auto withExtra = [&](const ZipMember& extra) {
        auto members = model;
        members.push_back(extra);
        return storedZip(members);
    };
    const std::string escape = home.file("escaped.txt");
    struct ArchiveCase {
        std::string name;
        std::string bytes;
        std::vector<std::string> error;
    };
    const std::string good = storedZip(model);
    const std::vector<ArchiveCase> cases = {
        {"zip-slip.zip", withExtra({"tiny-bert-mean/../../../escaped.txt", "x"}), {"refused", "'..'"}},
        {"absolute.zip", withExtra({escape, "x"}), {"refused", "absolute path"}},
        {"link.zip",
         withExtra({"tiny-bert-mean/vocab-link.txt", "/etc/passwd", 0120777u << 16}),
         {"refused", "symbolic link"}},
        {"empty.zip", storedZip({}), {"holds no files"}},
        {"zero-bytes.zip", "", {"is empty"}},
        {"truncated.zip", good.substr(0, good.size() / 2), {"not a readable zip archive"}},
        {"not-a-model.zip", storedZip({{"notes/readme.txt", "hello"}}), {"not imported"}},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        writeBytes(home.file(c.name), c.bytes);
        const auto r = benchtop::test::runCli("models import '" + home.file(c.name) + "'", env);
        INFO(r.err);
        CHECK(r.signal == 0);
        CHECK(r.exitCode != 0);
        CHECK_THAT(r.err, ContainsSubstring(c.name));
        for (const auto& part : c.error) CHECK_THAT(r.err, ContainsSubstring(part));
        CHECK(filesUnder(store) == 0);  // nothing extracted, nothing staged
        CHECK_FALSE(fs::exists(escape));
    }
    // The same archive without the hostile entry imports, and the model is used from the store.
    writeBytes(home.file("good.zip"), good);
    const auto ok = benchtop::test::runCli("models import '" + home.file("good.zip") + "'", env);
    INFO(ok.err);
    REQUIRE(ok.exitCode == 0);
    CHECK(fs::is_regular_file(store / "tiny-bert-mean" / "model.safetensors"));
    const auto listed = benchtop::test::runCli("models list --json", env);
    CHECK_THAT(listed.out, ContainsSubstring("tiny-bert-mean"));
}

TEST_CASE("files larger than the memory at hand fail before they are read", "[hostile][memory]") {
    benchtop::test::TempDir home;
    // BENCHTOP_MEMORY_LIMIT caps the memory a job counts on: 100 kB makes these small files "too large".
    const std::string env =
        benchtop::test::offlineEnv(home, benchtop::test::closedPort(), "BENCHTOP_MEMORY_LIMIT=100000");
    std::string texts, matrix = "ID_REF,S1,S2\n";
    for (int i = 0; i < 2000; ++i) texts += "a text of some length, number " + std::to_string(i) + "\n";
    for (int i = 0; i < 6000; ++i) matrix += "cg" + std::to_string(10000000 + i) + ",0.5,0.6\n";
    writeBytes(home.file("big.txt"), texts);
    writeBytes(home.file("big.csv"), matrix);
    const std::vector<Case> cases = {
        {home.file("big.txt"),
         "--task text --model '" + benchtop::test::sharedPath("models/tiny-bert-mean") + "'",
         false,
         {"of memory", "is available", "split the file"},
         "would need more memory than there is"},
        {home.file("big.csv"),
         "--task methylation --clocks horvath2013",
         false,
         {"as a beta matrix", "of memory"},
         "would need more memory than there is"},
    };
    for (const auto& c : cases) check(c, home, env);
}
