#include "ui/workload_text.h"

#include <QCoreApplication>

namespace benchtop::ui {

QString workloadText(const std::string& declared) {
    if (declared.empty()) return {};
    return QCoreApplication::translate("Workload", declared.c_str());
}

}  // namespace benchtop::ui
