// .npy headers byte-identical to numpy's, streaming writes, row-count checks and the reader.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/common/error.h"
#include "core/tensor/dtype.h"
#include "core/tensor/npy_reader.h"
#include "core/tensor/npy_writer.h"
#include "tests/support/shared_paths.h"

namespace fs = std::filesystem;
using benchtop::Error;
using benchtop::test::readFile;
using benchtop::test::TempDir;
using namespace benchtop::tensor;
using Catch::Matchers::ContainsSubstring;

namespace {

struct NumpyHeader {
    DType dtype;
    std::vector<std::int64_t> shape;
    std::string bytes;
};

// Produced by numpy 1.24.2: np.save(np.zeros(shape, dtype)) headers.
const std::vector<NumpyHeader> kNumpyHeaders = {
    {DType::F32,
     {3},
     std::string("\223NUMPY\001\000v\000{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }                      "
                 "                                      \012",
                 128)},
    {DType::F32,
     {2, 3},
     std::string("\223NUMPY\001\000v\000{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }                    "
                 "                                      \012",
                 128)},
    {DType::F16,
     {5, 4},
     std::string("\223NUMPY\001\000v\000{'descr': '<f2', 'fortran_order': False, 'shape': (5, 4), }                    "
                 "                                      \012",
                 128)},
    {DType::F64,
     {},
     std::string("\223NUMPY\001\000v\000{'descr': '<f8', 'fortran_order': False, 'shape': (), }                        "
                 "                                      \012",
                 128)},
    {DType::I64,
     {1, 2, 3},
     std::string("\223NUMPY\001\000v\000{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2, 3), }                 "
                 "                                      \012",
                 128)},
    {DType::F32,
     {0, 8},
     std::string("\223NUMPY\001\000v\000{'descr': '<f4', 'fortran_order': False, 'shape': (0, 8), }                    "
                 "                                      \012",
                 128)},
    {DType::F32,
     {123456789012, 1024},
     std::string("\223NUMPY\001\000v\000{'descr': '<f4', 'fortran_order': False, 'shape': (123456789012, 1024), }      "
                 "                                      \012",
                 128)},
};
// np.save(np.arange(6, dtype="<f4").reshape(2, 3) / 4 - 0.5)
const std::string kNumpyArangeFile(
    "\223NUMPY\001\000v\000{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }                                 "
    "                         \012\000\000\000\277\000\000\200\276\000\000\000\000\000\000\200>\000\000\000?\000\000@?",
    152);
// np.save(np.arange(4, dtype="<f2") - 1.5)
const std::string kNumpyHalfFile(
    "\223NUMPY\001\000v\000{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }                                   "
    "                         \012\000\276\000\270\0008\000>",
    136);

}  // namespace

TEST_CASE("npy headers are byte-identical to numpy's", "[tensor][npy]") {
    for (const NumpyHeader& h : kNumpyHeaders) {
        INFO(formatShape(h.shape));
        const std::string header = npyHeader(h.dtype, h.shape);
        CHECK(header == h.bytes);
        CHECK(header.size() % 64 == 0);
    }
    CHECK_THROWS_AS(npyHeader(DType::BF16, {2}), Error);  // numpy has no bfloat16
}

TEST_CASE("writeNpy produces numpy's exact files", "[tensor][npy]") {
    TempDir dir;
    const std::vector<float> values = {-0.5f, -0.25f, 0.f, 0.25f, 0.5f, 0.75f};
    const std::string path = dir.file("a.npy");
    writeNpy(path, DType::F32, {2, 3}, {reinterpret_cast<const std::uint8_t*>(values.data()), 24});
    CHECK(readFile(path) == kNumpyArangeFile);

    const std::vector<std::uint16_t> halves = {0xbe00, 0xb800, 0x3800, 0x3e00};  // -1.5 -0.5 0.5 1.5
    const std::string half = dir.file("h.npy");
    writeNpy(half, DType::F16, {4}, {reinterpret_cast<const std::uint8_t*>(halves.data()), 8});
    CHECK(readFile(half) == kNumpyHalfFile);
}

TEST_CASE("NpyWriter streams rows and renames on close", "[tensor][npy]") {
    TempDir dir;
    const std::string path = dir.file("emb.npy");
    {
        NpyWriter writer(path, DType::F32, {3, 2});
        CHECK(writer.rowBytes() == 8);
        writer.appendRows(std::vector<float>{1.f, 2.f});
        CHECK(fs::exists(path + ".part"));
        CHECK_FALSE(fs::exists(path));
        writer.appendRows(std::vector<float>{3.f, 4.f, 5.f, 6.f});
        CHECK(writer.rowsWritten() == 3);
        writer.close();
    }
    CHECK_FALSE(fs::exists(path + ".part"));
    const NpyArray array = readNpy(path);
    CHECK(array.dtype == DType::F32);
    CHECK(array.shape == std::vector<std::int64_t>{3, 2});
    CHECK(array.toFloats() == std::vector<float>{1.f, 2.f, 3.f, 4.f, 5.f, 6.f});
}

TEST_CASE("NpyWriter checks the row count and never leaves a partial file", "[tensor][npy]") {
    TempDir dir;
    const std::string path = dir.file("short.npy");
    SECTION("too few rows") {
        NpyWriter writer(path, DType::F32, {3, 2});
        writer.appendRows(std::vector<float>{1.f, 2.f});
        CHECK_THROWS_WITH(writer.close(),
                          path + ": only 1 of the declared 3 rows were written; the file was discarded.");
    }
    SECTION("too many rows") {
        NpyWriter writer(path, DType::F32, {1, 2});
        CHECK_THROWS_WITH(writer.appendRows(std::vector<float>{1.f, 2.f, 3.f, 4.f}),
                          path + ": appending 2 rows after 0 would exceed the declared 1 rows.");
    }
    SECTION("partial rows") {
        NpyWriter writer(path, DType::F32, {2, 3});
        CHECK_THROWS_WITH(writer.appendRows(std::vector<float>{1.f, 2.f}),
                          path + ": 2 values are not a whole number of rows of 3.");
    }
    SECTION("abandoned without close") {
        NpyWriter writer(path, DType::I64, {2});
        const std::int64_t one = 1;
        writer.appendRows(&one, 1);
    }
    CHECK_FALSE(fs::exists(path));
    CHECK_FALSE(fs::exists(path + ".part"));
}

TEST_CASE("NpyWriter Direct mode writes the given path (engine outputs are already .part files)", "[tensor][npy]") {
    TempDir dir;
    const std::string path = dir.file("ids.npy.part");
    NpyWriter writer(path, DType::I64, {2, 1}, NpyWriter::Mode::Direct);
    const std::int64_t ids[2] = {7, -9};
    writer.appendRows(ids, 2);
    writer.close();
    const NpyArray array = readNpy(path);
    CHECK(array.dtype == DType::I64);
    CHECK(array.shape == std::vector<std::int64_t>{2, 1});
    std::int64_t back[2];
    std::memcpy(back, array.data.data(), 16);
    CHECK(back[0] == 7);
    CHECK(back[1] == -9);
}

TEST_CASE("readNpy reads numpy's files and rejects others", "[tensor][npy]") {
    TempDir dir;
    const std::string half = dir.file("h.npy");
    std::ofstream(half, std::ios::binary) << kNumpyHalfFile;
    const NpyArray array = readNpy(half);
    CHECK(array.dtype == DType::F16);
    CHECK(array.toFloats() == std::vector<float>{-1.5f, -0.5f, 0.5f, 1.5f});

    const std::string bad = dir.file("bad.npy");
    std::ofstream(bad, std::ios::binary) << "not numpy at all";
    CHECK_THROWS_WITH(readNpy(bad), bad + ": is not a .npy file.");
    const std::string cut = dir.file("cut.npy");
    std::ofstream(cut, std::ios::binary) << kNumpyArangeFile.substr(0, kNumpyArangeFile.size() - 4);
    CHECK_THROWS_WITH(readNpy(cut), cut + ": holds 20 data bytes but shape [2,3] needs 24.");
}

TEST_CASE("fuzz regressions: .npy shapes with absurd extents are errors, not crashes", "[tensor][npy][fuzz]") {
    // Found by fuzz_npy: a 20-digit extent overflowed std::stoll (an uncaught std::out_of_range).
    TempDir dir;
    for (const std::string shape : {"(0,99999999999999999999)", "(4611686018427387904,4)"}) {
        std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        header += std::string((64 - (10 + header.size() + 1) % 64) % 64, ' ') + "\n";
        std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
        bytes += static_cast<char>(header.size() & 0xff);
        bytes += static_cast<char>(header.size() >> 8);
        bytes += header;
        std::ofstream(dir.file("bad.npy"), std::ios::binary) << bytes;
        INFO(shape);
        CHECK_THROWS_WITH(readNpy(dir.file("bad.npy")), ContainsSubstring("bad.npy") && ContainsSubstring("shape"));
    }
}

TEST_CASE("float to half and back: exact for every half, nearest-even rounding, overflow and NaN", "[tensor]") {
    // Every finite half value survives the round trip bit for bit.
    int checked = 0;
    for (std::uint32_t bits = 0; bits < 0x10000u; ++bits) {
        const auto h = static_cast<std::uint16_t>(bits);
        const float f = benchtop::tensor::halfToFloat(h);
        if (std::isnan(f)) {
            CHECK(std::isnan(benchtop::tensor::halfToFloat(benchtop::tensor::floatToHalf(f))));
            continue;
        }
        if (benchtop::tensor::floatToHalf(f) != h)
            FAIL("half " << bits << " came back as " << benchtop::tensor::floatToHalf(f));
        ++checked;
    }
    CHECK(checked == 65536 - 2046);                                          // every pattern but the 2 x 1023 NaNs
    CHECK(benchtop::tensor::floatToHalf(1.0f + 2.0f / 4096.0f) == 0x3c00u);  // a tie rounds to even (down)
    CHECK(benchtop::tensor::floatToHalf(1.0f + 6.0f / 4096.0f) == 0x3c02u);  // a tie rounds to even (up)
    CHECK(benchtop::tensor::floatToHalf(70000.0f) == 0x7c00u);               // beyond the largest half: infinity
    CHECK(benchtop::tensor::floatToHalf(-1e-8f) == 0x8000u);                 // below the smallest subnormal: -0
}
