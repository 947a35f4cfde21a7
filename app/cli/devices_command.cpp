#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/device/device.h"
#include "core/device/machine_report.h"

#ifndef BENCHTOP_VERSION
#define BENCHTOP_VERSION "dev"
#endif

namespace benchtop::cli {
namespace {

std::string gib(std::uint64_t bytes) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return buffer;
}

struct DevicesOptions {
    bool json = false;
    std::string device;
    std::string precision;
    int threads = 0;
};

int runDevices(const DevicesOptions& options) {
    using nlohmann::json;
    const auto devices = device::discoverDevices();
    const device::CpuSummary& cpu = device::cpuSummary();
    const device::MemorySummary memory = device::memorySummary();
    const device::GpuMonitorSummary gpu = device::gpuMonitorSummary();

    device::DeviceRequest request = device::requestFromEnvironment();
    if (!options.device.empty()) request.device = options.device;
    if (!options.precision.empty()) request.precision = options.precision;
    if (options.threads > 0) request.threads = options.threads;

    std::string error;
    device::DeviceChoice choice;
    try {
        choice = device::resolve(request, devices);
    } catch (const Error& e) {
        error = e.what();
    }

    if (options.json) {
        json out;
        out["benchtop"] = BENCHTOP_VERSION;
        out["libtorch"] = {{"version", device::torchVersion()}, {"build", device::torchBuild()}};
        out["cpu"] = {{"model", cpu.model},
                      {"arch", cpu.arch},
                      {"physical_cores", cpu.physicalCores},
                      {"logical_cores", cpu.logicalCores},
                      {"features", cpu.features},
                      {"memory_total_bytes", memory.totalBytes},
                      {"memory_available_bytes", memory.availableBytes}};
        json list = json::array();
        for (const auto& d : devices) {
            std::string auto_reason;
            const auto p = device::autoPrecision(d, &auto_reason);
            list.push_back({{"id", d.id},
                            {"kind", device::toString(d.kind)},
                            {"name", d.name},
                            {"usable", d.usable},
                            {"reason", d.reason},
                            {"memory_bytes", d.memoryBytes},
                            {"compute_capability", d.computeCapability},
                            {"features", d.features},
                            {"auto_precision", d.usable ? device::toString(p) : ""},
                            {"auto_precision_reason", d.usable ? auto_reason : ""}});
        }
        out["devices"] = list;
        out["gpu_telemetry"] = {{"backend", gpu.backend}, {"status", gpu.status}};
        const char* waitPolicy = std::getenv("OMP_WAIT_POLICY");
        out["openmp_wait_policy"] = waitPolicy ? waitPolicy : "default";
        if (error.empty()) {
            out["selected"] = {{"device", choice.device.id},
                               {"precision", device::toString(choice.precision)},
                               {"threads", choice.threads},
                               {"device_reason", choice.deviceReason},
                               {"precision_reason", choice.precisionReason},
                               {"threads_reason", choice.threadsReason},
                               {"fell_back", choice.fellBack}};
        } else {
            out["selected"] = nullptr;
            out["error"] = error;
        }
        std::cout << out.dump(2) << std::endl;
    } else {
        std::cout << "Benchtop " << BENCHTOP_VERSION << " · libtorch " << device::torchVersion() << " ("
                  << device::torchBuild() << ")\n\n";
        for (const auto& d : devices) {
            std::cout << (d.usable ? "  [x] " : "  [ ] ") << d.id << "  " << d.name;
            if (d.memoryBytes) std::cout << "  " << gib(d.memoryBytes);
            if (!d.computeCapability.empty()) std::cout << "  sm " << d.computeCapability;
            std::cout << "\n      " << d.reason << "\n";
            if (!d.features.empty()) {
                std::cout << "      features:";
                for (const auto& f : d.features) std::cout << " " << f;
                std::cout << "\n";
            }
        }
        std::cout << "\n  GPU telemetry: " << gpu.status << "\n";
        if (error.empty()) {
            std::cout << "\nSelected: " << choice.label() << " · " << choice.threads << " threads\n"
                      << "  device:    " << choice.deviceReason << "\n"
                      << "  precision: " << choice.precisionReason << "\n"
                      << "  threads:   " << choice.threadsReason << "\n";
            const char* waitPolicy = std::getenv("OMP_WAIT_POLICY");
            std::cout << "  OpenMP:    " << (waitPolicy ? waitPolicy : "default") << " waiting (OMP_WAIT_POLICY)\n";
        }
    }
    if (!error.empty()) {
        std::fprintf(stderr, "error: %s\n", error.c_str());
        return kExitUsage;
    }
    return kExitOk;
}

}  // namespace

void addDevicesCommand(CLI::App& app) {
    auto options = std::make_shared<DevicesOptions>();
    auto* cmd =
        app.add_subcommand("devices", "List devices, CPU features and the precision Benchtop would pick, with reasons");
    cmd->add_flag("--json", options->json, "Machine-readable output");
    cmd->add_option("--device", options->device, "Resolve this device instead of auto (cpu, cuda, cuda:N, mps)");
    cmd->add_option("--precision", options->precision, "Resolve this precision (auto, fp32, fp16, bf16)");
    cmd->add_option("--threads", options->threads, "Intra-op threads (0 = physical cores)");
    setCommandAction(
        *cmd, [options] { return runDevices(*options); }, false);
}

}  // namespace benchtop::cli
