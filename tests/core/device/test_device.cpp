#include <cstdlib>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "core/common/error.h"
#include "core/device/device.h"
#include "core/device/machine_report.h"
#include "tests/support/scoped_env.h"

using namespace benchtop;
using namespace benchtop::device;
using Catch::Matchers::ContainsSubstring;

namespace {

bool cpuHasBf16() {
    return cpuSummary().hasFastBf16;
}

}  // namespace

TEST_CASE("the CPU is always discovered and usable, with its features") {
    const auto devices = discoverDevices();
    REQUIRE_FALSE(devices.empty());
    CHECK(devices.front().kind == DeviceKind::Cpu);
    CHECK(devices.front().id == "cpu");
    CHECK(devices.front().usable);
    CHECK(devices.front().name == cpuSummary().model);
    CHECK(devices.front().features == cpuSummary().features);
    // A CUDA entry is always listed; in a CPU-only libtorch it carries the reason.
    bool sawCuda = false;
    for (const auto& d : devices) {
        if (d.kind != DeviceKind::Cuda) continue;
        sawCuda = true;
        if (!d.usable) CHECK_THAT(d.reason, ContainsSubstring("CUDA unavailable"));
    }
    CHECK(sawCuda);
}

TEST_CASE("auto precision follows the policy with a reason") {
    DeviceInfo cpu;
    cpu.kind = DeviceKind::Cpu;
    cpu.id = "cpu";
    cpu.usable = true;
    std::string reason;
    CHECK(autoPrecision(cpu, &reason) == Precision::Fp32);
    CHECK_THAT(reason, ContainsSubstring("no AMX or AVX512-BF16"));
    cpu.features = {"avx2", "avx512_bf16"};
    CHECK(autoPrecision(cpu, &reason) == Precision::Bf16);
    CHECK_THAT(reason, ContainsSubstring("AVX512-BF16"));
    cpu.features = {"amx_bf16"};
    CHECK(autoPrecision(cpu, &reason) == Precision::Bf16);
    CHECK_THAT(reason, ContainsSubstring("AMX-BF16"));

    DeviceInfo cuda;
    cuda.kind = DeviceKind::Cuda;
    cuda.usable = true;
    CHECK(autoPrecision(cuda, &reason) == Precision::Fp16);
    DeviceInfo mps;
    mps.kind = DeviceKind::Mps;
    mps.usable = true;
    CHECK(autoPrecision(mps, &reason) == Precision::Fp32);
}

TEST_CASE("resolving auto on this machine picks the CPU precision from its features") {
    DeviceRequest request;
    const auto choice = resolve(request);
    if (choice.device.kind == DeviceKind::Cpu) {
        CHECK(choice.precision == (cpuHasBf16() ? Precision::Bf16 : Precision::Fp32));
        CHECK_THAT(choice.deviceReason, ContainsSubstring("auto"));
        CHECK_FALSE(choice.precisionReason.empty());
    }
    CHECK(choice.threads == cpuSummary().physicalCores);
    CHECK_THAT(choice.threadsReason, ContainsSubstring("physical core"));
}

TEST_CASE("forced choices the device cannot do are errors that say so") {
    DeviceRequest request;
    request.device = "cpu";
    request.precision = "fp16";
    if (torchVersion().rfind("1.", 0) == 0) {
        CHECK_THROWS_WITH(resolve(request), ContainsSubstring("fp16 is not supported on CPU"));
    }
    request.precision = "bogus";
    CHECK_THROWS_WITH(resolve(request), ContainsSubstring("'bogus' is not a precision"));
    request.precision = "auto";
    request.device = "tpu";
    CHECK_THROWS_WITH(resolve(request), ContainsSubstring("'tpu' is not a device"));

    // A CUDA device that does not exist (a fake device list without usable CUDA).
    DeviceInfo cpu;
    cpu.kind = DeviceKind::Cpu;
    cpu.id = "cpu";
    cpu.usable = true;
    DeviceInfo cuda;
    cuda.kind = DeviceKind::Cuda;
    cuda.id = "cuda";
    cuda.reason = "CUDA unavailable: libtorch built without CUDA";
    request.device = "cuda";
    CHECK_THROWS_WITH(resolve(request, {cpu, cuda}), ContainsSubstring("libtorch built without CUDA"));
    request.device = "mps";
    CHECK_THROWS_WITH(resolve(request, {cpu, cuda}), ContainsSubstring("MPS"));
    // Auto with an unusable GPU falls back to the CPU and says why.
    request.device = "auto";
    const auto choice = resolve(request, {cpu, cuda});
    CHECK(choice.device.kind == DeviceKind::Cpu);
    CHECK_THAT(choice.deviceReason, ContainsSubstring("libtorch built without CUDA"));
    // bf16 on a pre-Ampere GPU is refused.
    DeviceInfo t4 = cuda;
    t4.usable = true;
    t4.id = "cuda:0";
    t4.name = "Tesla T4";
    t4.computeCapability = "7.5";
    std::string why;
    CHECK_FALSE(supportsPrecision(t4, Precision::Bf16, &why));
    CHECK_THAT(why, ContainsSubstring("7.5"));
    t4.computeCapability = "10.0";
    CHECK(supportsPrecision(t4, Precision::Bf16));
}

TEST_CASE("environment overrides the settings") {
    test::ScopedEnv d("BENCHTOP_DEVICE", "cpu"), p("BENCHTOP_PRECISION", "fp32"), t("BENCHTOP_THREADS", "3");
    DeviceRequest base;
    base.precision = "bf16";
    const auto request = requestFromEnvironment(base);
    CHECK(request.device == "cpu");
    CHECK(request.precision == "fp32");
    CHECK(request.threads == 3);
    const auto choice = resolve(request);
    CHECK(choice.precision == Precision::Fp32);
    CHECK(choice.threads == 3);
    CHECK(choice.label() == "CPU \u00b7 fp32");
    t.set("many");
    CHECK_THROWS_WITH(requestFromEnvironment(), ContainsSubstring("BENCHTOP_THREADS"));
}

TEST_CASE("precision names parse in their common spellings") {
    CHECK(parsePrecision("BF16") == Precision::Bf16);
    CHECK(parsePrecision("bfloat16") == Precision::Bf16);
    CHECK(parsePrecision("half") == Precision::Fp16);
    CHECK(parsePrecision(" float32 ") == Precision::Fp32);
    CHECK(parsePrecision("") == Precision::Auto);
    CHECK(toString(Precision::Bf16) == "bf16");
}
