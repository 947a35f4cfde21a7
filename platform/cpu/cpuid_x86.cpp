#include "platform/cpu/cpuid_x86.h"

#include <cstdint>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#define BENCHTOP_X86 1
#if defined(_MSC_VER)
#include <immintrin.h>
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

namespace benchtop::platform::detail {

#ifdef BENCHTOP_X86
namespace {

struct Regs {
    std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

Regs cpuid(std::uint32_t leaf, std::uint32_t subleaf = 0) {
    Regs r;
#if defined(_MSC_VER)
    int out[4] = {};
    __cpuidex(out, static_cast<int>(leaf), static_cast<int>(subleaf));
    r.eax = static_cast<std::uint32_t>(out[0]);
    r.ebx = static_cast<std::uint32_t>(out[1]);
    r.ecx = static_cast<std::uint32_t>(out[2]);
    r.edx = static_cast<std::uint32_t>(out[3]);
#else
    unsigned a = 0, b = 0, c = 0, d = 0;
    // __get_cpuid_count checks the maximum leaf itself and leaves zeros when unsupported.
    if (__get_cpuid_count(leaf, subleaf, &a, &b, &c, &d)) {
        r.eax = a;
        r.ebx = b;
        r.ecx = c;
        r.edx = d;
    }
#endif
    return r;
}

// XGETBV through inline asm on GCC/Clang: the _xgetbv intrinsic would need -mxsave on the whole TU.
std::uint64_t xgetbv0() {
#if defined(_MSC_VER)
    return _xgetbv(0);
#else
    std::uint32_t lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (static_cast<std::uint64_t>(hi) << 32) | lo;
#endif
}

constexpr bool bit(std::uint32_t value, int n) {
    return (value >> n) & 1u;
}

}  // namespace

CpuFeatures detectX86Features() {
    CpuFeatures f;
    const std::uint32_t maxLeaf = cpuid(0).eax;
    if (maxLeaf < 1) return f;

    const Regs l1 = cpuid(1);
    f.sse42 = bit(l1.ecx, 20);

    // AVX state must be enabled by the OS (XCR0), otherwise AVX instructions fault.
    const bool osxsave = bit(l1.ecx, 27);
    const std::uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    const bool ymmOs = (xcr0 & 0x6) == 0x6;  // SSE + AVX state
#ifdef __APPLE__
    // macOS turns AVX-512 state on at first use, so XCR0 does not show it up front (LLVM trusts it too).
    const bool zmmOs = ymmOs;
#else
    const bool zmmOs = (xcr0 & 0xE6) == 0xE6;  // + opmask, ZMM_Hi256, Hi16_ZMM
#endif
    const bool amxOs = (xcr0 & 0x60000) == 0x60000;  // XTILECFG (17) + XTILEDATA (18)

    f.avx = ymmOs && bit(l1.ecx, 28);
    f.fma = f.avx && bit(l1.ecx, 12);
    f.f16c = f.avx && bit(l1.ecx, 29);

    if (maxLeaf >= 7) {
        const Regs l7 = cpuid(7, 0);
        f.avx2 = f.avx && bit(l7.ebx, 5);
        f.avx512f = zmmOs && bit(l7.ebx, 16);
        f.avx512bw = f.avx512f && bit(l7.ebx, 30);
        f.avx512vnni = f.avx512f && bit(l7.ecx, 11);
        f.avx512fp16 = f.avx512f && bit(l7.edx, 23);
        f.amxBf16 = amxOs && bit(l7.edx, 22);
        f.amxTile = amxOs && bit(l7.edx, 24);
        f.amxInt8 = amxOs && bit(l7.edx, 25);
        if (l7.eax >= 1) {
            const Regs l71 = cpuid(7, 1);
            f.avx512bf16 = f.avx512f && bit(l71.eax, 5);
        }
    }
    return f;
}

std::string x86BrandString() {
    if (cpuid(0x80000000u).eax < 0x80000004u) return {};
    char brand[49] = {};
    for (std::uint32_t i = 0; i < 3; ++i) {
        const Regs r = cpuid(0x80000002u + i);
        std::memcpy(brand + 16 * i + 0, &r.eax, 4);
        std::memcpy(brand + 16 * i + 4, &r.ebx, 4);
        std::memcpy(brand + 16 * i + 8, &r.ecx, 4);
        std::memcpy(brand + 16 * i + 12, &r.edx, 4);
    }
    std::string s(brand);
    const auto first = s.find_first_not_of(' ');
    const auto last = s.find_last_not_of(' ');
    return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

#else

CpuFeatures detectX86Features() {
    return {};
}

std::string x86BrandString() {
    return {};
}

#endif

}  // namespace benchtop::platform::detail
