// benchtop-cli: the command-line twin of the Benchtop window, for batch work on servers.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "app/cli/commands.h"
#include "app/cli/bench_embed.h"
#include "app/cli/bench_transcribe.h"
#include "app/cli/merge_command.h"
#include "app/cli/serve_command.h"
#include "app/cli/slurm_command.h"
#include "app/cli/models_command.h"
#include "app/cli/search_command.h"
#include "core/common/error.h"
#include "core/device/device.h"
#include "core/device/machine_report.h"
#include "core/workloads/builtin_workloads.h"

#ifndef BENCHTOP_VERSION
#define BENCHTOP_VERSION "dev"
#endif

int main(int argc, char** argv) {
    benchtop::device::setUpProcess(argv);
    CLI::App app{
        "Benchtop: local inference for methylation clocks, text embeddings and speech.\n"
        "Environment: BENCHTOP_DEVICE (auto|cpu|cuda[:N]|mps), BENCHTOP_PRECISION (auto|fp32|fp16|bf16),\n"
        "BENCHTOP_THREADS (intra-op threads, 0 = physical cores).",
        "benchtop-cli"};
    app.set_version_flag("--version",
                         std::string("benchtop-cli ") + BENCHTOP_VERSION + " (libtorch " +
                             benchtop::device::torchVersion() + ", " + benchtop::device::torchBuild() +
                             ")\nCopyright 2026 The Benchtop developers. License GPL-3.0-or-later "
                             "<https://www.gnu.org/licenses/gpl-3.0.html>.\nThis is free software: you are free to "
                             "change and redistribute it. There is NO WARRANTY, to the extent permitted by law.\n"
                             "Third-party components and data: THIRD_PARTY_NOTICES.md (share/doc/benchtop).");
    app.require_subcommand(1);
    app.fallthrough(false);
    benchtop::cli::addDevicesCommand(app);
    const benchtop::engine::TaskRegistry registry = benchtop::workloads::builtinTasks();
    benchtop::cli::addRunCommand(app, registry);
    benchtop::cli::addTasksCommand(app, registry);
    benchtop::cli::addModelsCommand(app);
    benchtop::cli::addSearchCommand(app);
    benchtop::cli::addServeCommand(app);
    benchtop::cli::addMergeCommand(app, registry);
    benchtop::cli::addSlurmCommand(app, registry);
    auto* bench = app.add_subcommand("bench", "Benchmarks that print timings and speed ratios measured in one run");
    bench->require_subcommand(1);
    benchtop::cli::addBenchTranscribeCommand(*bench);
    benchtop::cli::addBenchEmbedCommand(*bench);
    benchtop::cli::addBenchServeCommand(*bench);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : benchtop::cli::kExitUsage;
    } catch (const benchtop::cli::ExitCode& code) {
        return code;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return benchtop::cli::kExitUsage;
    }
    return 0;
}
