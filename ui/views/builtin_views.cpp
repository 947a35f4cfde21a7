#include "ui/views/builtin_views.h"

#include "ui/views/methylation_view.h"
#include "ui/views/result_view.h"
#include "ui/views/text_view.h"
#include "ui/views/transcript_view.h"

namespace benchtop::ui {

void registerBuiltinResultViews() {
    static const bool registered = []() {
        // One line per workload view: registerResultView(QStringLiteral("task"), [](QWidget* p) { ... });
        registerResultView(QStringLiteral("methylation"), [](QWidget* p) { return new MethylationResultView(p); });
        registerResultView(QStringLiteral("speech"), [](QWidget* p) { return new TranscriptView(p); });
        registerResultView(QStringLiteral("text"), [](QWidget* p) { return new TextResultView(p); });
        return true;
    }();
    (void)registered;
}

}  // namespace benchtop::ui
