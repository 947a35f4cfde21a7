#include "ui/views/export_file.h"

#include <exception>
#include <ostream>

#include "core/engine/output_publisher.h"

namespace benchtop::ui {

bool writeExportFile(const QString& path, const QByteArray& bytes, QString* error) {
    try {
        engine::writeFileAtomically(path.toStdString(), [&](std::ostream& out) {
            out.write(bytes.constData(), static_cast<std::streamsize>(bytes.size()));
        });
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

}  // namespace benchtop::ui
