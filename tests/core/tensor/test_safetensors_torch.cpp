// Conversion of stored tensors to libtorch (the only test TU here that includes torch).
#include "core/tensor/safetensors_torch.h"

#include <catch2/catch_approx.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/common/error.h"
#include "core/tensor/safetensors_writer.h"
#include "tests/support/shared_paths.h"

using benchtop::test::sharedPath;
using benchtop::test::TempDir;
using namespace benchtop::tensor;

TEST_CASE("toTorch copies safetensors data and converts floating types on request", "[tensor][torch]") {
    const SafetensorsFile file(sharedPath("models/tiny-xlmr-m3/model.safetensors"));
    const std::string name = "embeddings.word_embeddings.weight";
    const torch::Tensor half = toTorch(file, name);
    CHECK(half.scalar_type() == torch::kFloat16);
    CHECK(half.sizes() == torch::IntArrayRef({802, 48}));
    const torch::Tensor f32 = toTorch(file, name, torch::kCPU, torch::kFloat32);
    CHECK(f32.scalar_type() == torch::kFloat32);
    // Every element equals the exact F16 -> F32 widening of the stored bits.
    const ByteView raw = file.bytes(name);
    const float* values = f32.data_ptr<float>();
    bool allEqual = true;
    for (std::int64_t i = 0; i < 802 * 48; ++i) {
        const auto bits = static_cast<std::uint16_t>(raw.data[2 * i] | (raw.data[2 * i + 1] << 8));
        allEqual = allEqual && values[i] == halfToFloat(bits);
    }
    CHECK(allEqual);
    // The copy owns its memory: it does not point into the mapping.
    CHECK(static_cast<const void*>(half.data_ptr()) != static_cast<const void*>(raw.data));

    // loadAll converts floating tensors only; position ids stay int64.
    const auto all = loadAll(file, torch::kCPU, torch::kFloat32);
    CHECK(all.size() == 40);
    CHECK(all.at("embeddings.position_ids").scalar_type() == torch::kInt64);
    CHECK(all.at("embeddings.position_ids")[0][129].item<std::int64_t>() == 129);
    CHECK(all.at("pooler.dense.weight").scalar_type() == torch::kFloat32);

    CHECK_THROWS_WITH(toTorch(file, "missing"), file.path() + ": tensor 'missing' not found.");
    CHECK_THROWS_WITH(checkShape(file.path(), name, f32, {4, 48}),
                      file.path() + ": tensor '" + name + "' has shape [802,48], expected [4,48].");
}

TEST_CASE("toTorch handles BF16 and unaligned data", "[tensor][torch]") {
    TempDir dir;
    const std::vector<std::uint16_t> bf16 = {0x3f80, 0xc000, 0x4040};  // 1, -2, 3
    const std::vector<std::uint8_t> odd = {7};                         // pushes the F32 tensor off 4-byte alignment
    const std::vector<float> f32 = {0.5f, 1.5f};
    const std::string path = dir.file("mixed.safetensors");
    writeSafetensors(path, {{"b", DType::BF16, {3}, {reinterpret_cast<const std::uint8_t*>(bf16.data()), 6}},
                            {"a", DType::U8, {1}, {odd.data(), 1}}});
    const SafetensorsFile file(path);
    const torch::Tensor b = toTorch(file, "b", torch::kCPU, torch::kFloat32);
    CHECK(b.scalar_type() == torch::kFloat32);
    CHECK(torch::equal(b, torch::tensor({1.f, -2.f, 3.f})));
    CHECK(toTorch(file, "b").scalar_type() == torch::kBFloat16);
    CHECK(toTorch(file, "a", torch::kCPU, torch::kFloat16).scalar_type() == torch::kUInt8);
}

TEST_CASE("pickled state dicts convert to the same tensors torch.load gives", "[tensor][torch]") {
    const std::string path = sharedPath("models/tiny-bert-cls/pytorch_model.bin");
    const TorchPickleFile file(path);
    const auto all = loadAll(file);
    CHECK(all.size() == 45);
    const torch::Tensor words = all.at("bert.embeddings.word_embeddings.weight");
    CHECK(words.sizes() == torch::IntArrayRef({1400, 32}));
    CHECK(words[0][0].item<float>() == -0.2557806074619293f);
    CHECK(words.to(torch::kFloat64).sum().item<double>() == Catch::Approx(-15.519641930689204).epsilon(1e-12));
    CHECK(torch::equal(all.at("cls.predictions.decoder.weight"), words));
    CHECK(torch::equal(all.at("bert.embeddings.position_ids"), torch::arange(48, torch::kInt64).unsqueeze(0)));

    const auto viaFile = loadWeightsFile(path, torch::kCPU, torch::kFloat16);
    CHECK(viaFile.at("bert.embeddings.word_embeddings.weight").scalar_type() == torch::kFloat16);
    CHECK(viaFile.at("bert.embeddings.position_ids").scalar_type() == torch::kInt64);
    const auto st = loadWeightsFile(sharedPath("models/tiny-bert-mean/model.safetensors"));
    CHECK(st.size() == 39);

    const TorchPickleFile colbert(sharedPath("models/tiny-xlmr-m3/colbert_linear.pt"));
    const torch::Tensor w = toTorch(colbert, "weight", torch::kCPU, torch::kFloat32);
    CHECK(w.sizes() == torch::IntArrayRef({48, 48}));
    CHECK(w[0][0].item<float>() == -0.08770751953125f);
    CHECK(w.to(torch::kFloat64).sum().item<double>() == Catch::Approx(-12.537323415279388).epsilon(1e-12));
}
