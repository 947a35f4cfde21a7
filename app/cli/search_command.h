#pragma once

namespace CLI {
class App;
}

namespace benchtop::cli {

/// Adds `search OUT_DIR "query" [-k 10] [--model M]`: embeds the query with the model recorded in the
/// output folder's embedding_info.json (or --model) and prints the k most similar texts with cosine scores.
void addSearchCommand(CLI::App& app);

}  // namespace benchtop::cli
