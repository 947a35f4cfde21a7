#include "core/workloads/builtin_workloads.h"

#include "core/audio/speech_task.h"
#include "core/methyl/methylation_task.h"
#include "core/text/embedding_task.h"

namespace benchtop::workloads {

engine::TaskRegistry builtinTasks() {
    engine::TaskRegistry registry;
    // One line per workload: its folder declares everything else (files, options, unit, planning).
    registry.add(methyl::methylationTaskKind());
    registry.add(audio::speechTaskKind());
    registry.add(text::embeddingTaskKind());
    return registry;
}

}  // namespace benchtop::workloads
