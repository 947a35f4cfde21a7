#include "ui/views/result_view.h"

#include <QHash>

#include "ui/views/file_list_view.h"

namespace benchtop::ui {

namespace {
QHash<QString, ResultViewFactory>& factories() {
    static QHash<QString, ResultViewFactory> registry;
    return registry;
}
}  // namespace

void registerResultView(const QString& taskId, ResultViewFactory factory) {
    factories().insert(taskId, std::move(factory));
}

ResultView* createResultView(const QString& taskId, QWidget* parent) {
    const auto it = factories().constFind(taskId);
    if (it != factories().constEnd() && it.value())
        if (ResultView* view = it.value()(parent)) return view;
    return new FileListResultView(parent);
}

}  // namespace benchtop::ui
