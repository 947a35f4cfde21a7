#include "core/engine/task.h"

#include "core/audio/speech_task.h"
#include "core/methyl/methylation_task.h"
#include "core/text/embedding_task.h"

// Each workload adds its TaskKind here when it lands.

namespace benchtop::engine {

void registerBuiltinTasks(TaskRegistry& registry) {
    registry.add(methyl::methylationTaskKind());
    registry.add(audio::speechTaskKind());
    registry.add(text::embeddingTaskKind());
}

}  // namespace benchtop::engine
