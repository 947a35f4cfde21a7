#include "core/engine/task.h"

// Each workload adds its TaskKind here when it lands.

namespace benchtop::engine {

void registerBuiltinTasks(TaskRegistry& registry) {
    (void)registry;
}

}  // namespace benchtop::engine
