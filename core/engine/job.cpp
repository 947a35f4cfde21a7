#include "core/engine/job.h"

namespace benchtop::engine {

std::string toString(JobState state) {
    switch (state) {
        case JobState::Queued:
            return "queued";
        case JobState::Preparing:
            return "preparing";
        case JobState::Running:
            return "running";
        case JobState::Done:
            return "done";
        case JobState::Failed:
            return "failed";
        case JobState::Cancelled:
            return "cancelled";
    }
    return "?";
}

bool isFinished(JobState state) {
    return state == JobState::Done || state == JobState::Failed || state == JobState::Cancelled;
}

std::string JobSpec::option(const std::string& key, const std::string& fallback) const {
    const auto it = options.find(key);
    return it == options.end() ? fallback : it->second;
}

}  // namespace benchtop::engine
