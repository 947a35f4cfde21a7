#pragma once

// Running the real benchtop-cli from a test (tests/cli): its exit code, stdout and stderr.

#include <string>

#include "tests/support/shared_paths.h"

namespace benchtop::test {

struct CliResult {
    int exitCode = -1;  ///< -1 when it did not exit normally (a signal: a crash)
    int signal = 0;     ///< the signal that ended it, if any
    std::string out;
    std::string err;
};

/// Runs benchtop-cli (BENCHTOP_CLI) with `args` (shell-quoted by the caller) and an optional environment
/// prefix ("env -u X Y=z").
CliResult runCli(const std::string& args, const std::string& env = "");

/// A loopback port nothing listens on (bound, then released): connections to it are refused at once.
int closedPort();

/// An environment prefix for a first run on a machine without network: an empty home (so an empty model store
/// and no Hugging Face cache), no proxy, every download endpoint at a closed local port, no Benchtop overrides
/// except `extra` ("NAME=value ...").
std::string offlineEnv(const TempDir& home, int port, const std::string& extra = "");

}  // namespace benchtop::test
