#include "ui/views/export_file.h"

#include <exception>
#include <ostream>

#include "core/engine/output_publisher.h"
#include "ui/settings.h"

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

bool writeCsvExport(const QString& path, const QByteArray& utf8, QString* error) {
    if (!Settings().csvByteOrderMark()) return writeExportFile(path, utf8, error);
    return writeExportFile(path, QByteArray("\xEF\xBB\xBF") + utf8, error);
}

}  // namespace benchtop::ui
