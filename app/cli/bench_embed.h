#pragma once

namespace CLI {
class App;
}

namespace benchtop::cli {

/// Adds `embed` to the `bench` command group: text-embedding throughput (texts/s, tokens/s) and padding
/// efficiency for every precision (fp32 and bf16 by default) x batch order (arrival order, length-sorted
/// as the text task batches) in one run, printed as a table plus speedups over arrival-order fp32 and
/// the agreement of each precision's embeddings with fp32.
void addBenchEmbedCommand(CLI::App& bench);

}  // namespace benchtop::cli
