#pragma once

#include "core/engine/task.h"

namespace benchtop::workloads {

/// Every workload built into Benchtop (clocks, text embeddings, speech), in display order. The engine, the
/// CLI and the window take their task list from here; a new workload adds one line in the .cpp.
engine::TaskRegistry builtinTasks();

}  // namespace benchtop::workloads
