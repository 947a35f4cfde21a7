#pragma once

#include <cstdint>
#include <vector>

namespace CLI {
class App;
}
namespace benchtop::text {
struct BertConfig;
}

namespace benchtop::cli {

/// Adds `embed` to the `bench` command group: text-embedding throughput (texts/s, tokens/s) and padding
/// efficiency for every precision (fp32 and bf16 by default) x batch order (arrival order, length-sorted
/// as the text task batches) in one run, printed as a table plus speedups over arrival-order fp32 and
/// the agreement of each precision's embeddings with fp32.
void addBenchEmbedCommand(CLI::App& bench);

/// Multiply-adds x 2 of one encoder forward over texts of these token lengths: the linear layers per token plus
/// the attention's two L x L products per sequence (the work a GEMM-rate fraction is measured against).
double bertForwardFlops(const text::BertConfig& config, const std::vector<std::int64_t>& lengths);

}  // namespace benchtop::cli
