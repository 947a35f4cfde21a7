#pragma once

namespace benchtop::ui {

/// Registers the result view of every built-in workload (methylation, text, speech) with
/// registerResultView(). Idempotent; the main window calls it on construction.
void registerBuiltinResultViews();

}  // namespace benchtop::ui
