#pragma once

namespace CLI {
class App;
}

namespace benchtop::cli {

/// Adds `serve`: the local inference server (core/serve) until SIGTERM or Ctrl+C, which shut it down gracefully.
void addServeCommand(CLI::App& app);
/// Adds `serve` to the `bench` group: concurrent loopback clients against the server, cross-request batching on
/// and off in one run.
void addBenchServeCommand(CLI::App& bench);

}  // namespace benchtop::cli
