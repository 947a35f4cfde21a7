// Loads a beta matrix (e.g. 450k x 100 from ../shared/tools/make_cohort.py) and runs the clocks (and
// optionally TorchScript predictor bundles), printing wall and CPU seconds per stage, the peak resident
// memory, and ratios against the reference tools measured on the same 422 MiB 450k x 100 CSV.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#if !defined(_WIN32)
#include <sys/resource.h>
#endif

#include "core/common/error.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/clock_engine.h"
#include "core/methyl/clock_library.h"
#include "core/methyl/predictor_bundle.h"

namespace {

double peakRssMiB() {
#if defined(_WIN32)
    return 0.0;
#else
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
#if defined(__APPLE__)
    return static_cast<double>(ru.ru_maxrss) / (1024.0 * 1024.0);
#else
    return static_cast<double>(ru.ru_maxrss) / 1024.0;
#endif
#endif
}

double since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// User + system CPU seconds of the process so far (all threads).
double cpuSeconds() {
#if defined(_WIN32)
    return 0.0;
#else
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
#endif
}

// Reference numbers for the 450k x 100 CSV of make_cohort.py (422 MiB), measured on this project's machine:
// pandas.read_csv alone, and biolearn loading the file and running Horvath, Hannum, PhenoAge and DunedinPACE.
constexpr double kPandasReadSeconds = 7.0;
constexpr double kBiolearnSeconds = 46.7;
constexpr double kBiolearnPeakGiB = 2.63;

}  // namespace

int main(int argc, char** argv) {
    using namespace benchtop::methyl;
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: bench_methyl MATRIX [--clocks-dir DIR] [--clocks LIST] [--threads N] [--device D] "
                     "[--predictor BUNDLE]\n");
        return 2;
    }
    std::string path = argv[1];
    std::string clocksDir = std::string(BENCHTOP_SHARED_DIR) + "/clocks";
    std::string clocks = "Horvath2013,Hannum2013,PhenoAge2018,DunedinPACE";
    std::string device = "cpu";
    std::string predictor;
    int threads = 2;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string k = argv[i];
        if (k == "--clocks-dir")
            clocksDir = argv[i + 1];
        else if (k == "--clocks")
            clocks = argv[i + 1];
        else if (k == "--threads")
            threads = std::atoi(argv[i + 1]);
        else if (k == "--device")
            device = argv[i + 1];
        else if (k == "--predictor")
            predictor = argv[i + 1];
    }
    try {
        const auto t0 = std::chrono::steady_clock::now();
        const ClockLibrary lib = ClockLibrary::load(clocksDir, ClockLibrary::parseClockList(clocks));
        const double tLib = since(t0);
        ReadOptions ro;
        ro.keep = lib.requiredProbes();
        ro.threads = threads;
        ro.computeMoments = lib.needsSampleMoments();
        const auto t1 = std::chrono::steady_clock::now();
        const double c1 = cpuSeconds();
        const BetaMatrix m = readBetaMatrix(path, ro);
        const double tLoad = since(t1);
        const double cLoad = cpuSeconds() - c1;
        const auto t2 = std::chrono::steady_clock::now();
        const double c2 = cpuSeconds();
        PredictOptions po;
        po.device = device;
        const Predictions p = predictClocks(m, lib, po);
        const double tPredict = since(t2);
        const double cPredict = cpuSeconds() - c2;
        const double total = since(t0);
        const double rss = peakRssMiB();
        std::printf("matrix: %zu probes in file, %zu kept x %zu samples (%zu rows read)\n", m.report.probesInFile,
                    m.rows(), m.cols(), m.report.rowsRead);
        for (const auto& c : p.clocks) {
            std::size_t ok = 0;
            for (double v : c.values) ok += std::isnan(v) ? 0 : 1;
            std::printf("  %-16s %zu/%zu samples, first = %.10g\n", c.clockId.c_str(), ok, c.values.size(),
                        c.values.empty() ? NAN : c.values[0]);
        }
        std::printf(
            "clock tables %.3f s | load %.3f s wall, %.3f s cpu | clocks %.3f s wall, %.3f s cpu (%s) | total %.3f s "
            "| peak RSS %.1f MiB | threads %d\n",
            tLib, tLoad, cLoad, tPredict, cPredict, p.device.c_str(), total, rss, threads);
        // pandas parses on one core, so its 7.0 s are CPU seconds too: the CPU ratio is the fair one on a busy
        // machine, the wall ratio the one a user sees.
        std::printf(
            "vs pandas read_csv %.1f s: load %.1fx faster by wall, %.1fx by CPU time (target >= 5x) | vs biolearn "
            "load + 4 clocks %.1f s, %.2f GiB: %.1fx faster, %.1fx less memory (target < 3 s, < 1 GiB)\n",
            kPandasReadSeconds, kPandasReadSeconds / tLoad, kPandasReadSeconds / cLoad, kBiolearnSeconds,
            kBiolearnPeakGiB, kBiolearnSeconds / total, kBiolearnPeakGiB * 1024.0 / rss);
        if (!predictor.empty()) {
            // A bundle reads its own CpGs: the matrix is read again keeping those, then the network runs.
            const auto t3 = std::chrono::steady_clock::now();
            const PredictorBundle bundle = PredictorBundle::load(resolveBundlePath(predictor), device);
            ReadOptions bro;
            bro.threads = threads;
            bro.keep = std::make_shared<ProbeIndex>(bundle.cpgs());
            const BetaMatrix bm = readBetaMatrix(path, bro);
            const auto t4 = std::chrono::steady_clock::now();
            std::string precision;
            const auto results =
                bundle.predict(bm, BundleRunOptions{device, benchtop::device::Precision::Fp32, 0.0, 0}, &precision);
            std::printf("predictor '%s' (%zu CpGs): load + read %.3f s | forward %.3f s for %zu samples (%s)\n",
                        bundle.manifest().name.c_str(), bundle.cpgs().size(),
                        std::chrono::duration<double>(t4 - t3).count(), since(t4), bm.cols(), precision.c_str());
            for (const auto& r : results)
                std::printf("  %-16s first = %.10g\n", r.clockId.c_str(), r.values.empty() ? NAN : r.values[0]);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
