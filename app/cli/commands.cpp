#include "app/cli/commands.h"

#include <cstdio>

#include <CLI/CLI.hpp>

#include "core/common/error.h"

namespace benchtop::cli {

void setCommandAction(CLI::App& command, std::function<int()> run, bool jobErrors) {
    command.callback([run = std::move(run), jobErrors] {
        int code = kExitOk;
        try {
            code = run();
        } catch (const Error& e) {
            if (!jobErrors) throw;
            std::fprintf(stderr, "error: %s\n", e.what());
            code = kExitJobFailed;
        }
        if (code != kExitOk) throw static_cast<ExitCode>(code);
    });
}

}  // namespace benchtop::cli
