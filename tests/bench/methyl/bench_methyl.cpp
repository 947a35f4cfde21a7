// Loads a beta matrix (e.g. 450k x 100 from ../shared/tools/make_cohort.py) and runs the clocks,
// printing wall seconds per stage and the peak resident memory.
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

}  // namespace

int main(int argc, char** argv) {
    using namespace benchtop::methyl;
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: bench_methyl MATRIX [--clocks-dir DIR] [--clocks LIST] [--threads N] [--device D]\n");
        return 2;
    }
    std::string path = argv[1];
    std::string clocksDir = std::string(BENCHTOP_SHARED_DIR) + "/clocks";
    std::string clocks = "Horvath2013,Hannum2013,PhenoAge2018,DunedinPACE";
    std::string device = "cpu";
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
        const BetaMatrix m = readBetaMatrix(path, ro);
        const double tLoad = since(t1);
        const auto t2 = std::chrono::steady_clock::now();
        PredictOptions po;
        po.device = device;
        const Predictions p = predictClocks(m, lib, po);
        const double tPredict = since(t2);
        const double total = since(t0);
        std::printf("matrix: %zu probes in file, %zu kept x %zu samples (%zu rows read)\n", m.report.probesInFile,
                    m.rows(), m.cols(), m.report.rowsRead);
        for (const auto& c : p.clocks) {
            std::size_t ok = 0;
            for (double v : c.values) ok += std::isnan(v) ? 0 : 1;
            std::printf("  %-16s %zu/%zu samples, first = %.10g\n", c.clockId.c_str(), ok, c.values.size(),
                        c.values.empty() ? NAN : c.values[0]);
        }
        std::printf(
            "clock tables %.3f s | load %.3f s | clocks %.3f s (%s) | total %.3f s | peak RSS %.1f MiB | "
            "threads %d\n",
            tLib, tLoad, tPredict, p.device.c_str(), total, peakRssMiB(), threads);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
