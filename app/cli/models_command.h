#pragma once

namespace CLI {
class App;
}

namespace benchtop::cli {

/// Adds `models` (list, pull, import, rm, verify): the model catalog, Benchtop's store and the HF cache.
void addModelsCommand(CLI::App& app);

}  // namespace benchtop::cli
