// benchtop: the desktop application. Everything but start-up lives in benchtop_ui.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>

#include <cstdio>

#include "core/device/machine_report.h"
#include "core/engine/engine.h"
#include "core/workloads/builtin_workloads.h"
#include "ui/app_identity.h"
#include "ui/background_job.h"
#include "ui/file_open_filter.h"
#include "ui/main_window.h"
#include "ui/settings.h"
#include "ui/single_instance.h"
#include "ui/translations.h"

#ifndef BENCHTOP_VERSION
#define BENCHTOP_VERSION "dev"
#endif

int main(int argc, char* argv[]) {
    benchtop::device::setUpProcess(argv);
    benchtop::ui::setApplicationNames(QStringLiteral(BENCHTOP_VERSION));
    QApplication app(argc, argv);
    benchtop::ui::setApplicationIdentity();
    // Before any window exists: widgets take their texts when they are built (Settings › General › Language).
    benchtop::ui::installTranslations(benchtop::ui::Settings().language());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Local deep-learning inference: drop files, get results."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Save a picture of the window to <path> and quit."),
                                        QStringLiteral("path"));
    const QCommandLineOption delay(QStringLiteral("screenshot-delay"),
                                   QStringLiteral("Milliseconds to wait before the screenshot (default 3000)."),
                                   QStringLiteral("ms"), QStringLiteral("3000"));
    const QCommandLineOption model(QStringList{QStringLiteral("m"), QStringLiteral("model")},
                                   QStringLiteral("Model for new jobs of a task, e.g. text=BAAI/bge-small-en-v1.5 or "
                                                  "speech=/models/whisper-small (saved in the settings)."),
                                   QStringLiteral("task=model"));
    const QCommandLineOption newInstance(QStringLiteral("new-instance"),
                                         QStringLiteral("Open a window of its own even when Benchtop already runs "
                                                        "(otherwise the files go to the running window)."));
    parser.addOption(newInstance);
    parser.addOption(screenshot);
    parser.addOption(delay);
    parser.addOption(model);
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Files or folders to run at start."),
                                 QStringLiteral("[files...]"));
    parser.process(app);

    for (const QString& pair : parser.values(model)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        if (eq <= 0) {
            std::fprintf(stderr, "--model expects task=model, e.g. text=BAAI/bge-small-en-v1.5 (got '%s')\n",
                         qPrintable(pair));
            return 2;
        }
        benchtop::ui::Settings settings;
        settings.setModelFor(pair.left(eq).trimmed(), pair.mid(eq + 1).trimmed());
    }

    // One window per user: files opened while Benchtop runs go to the running window, which plans them together.
    const QStringList files = parser.positionalArguments();
    benchtop::ui::SingleInstance instance;
    if (!parser.isSet(newInstance) && !parser.isSet(screenshot)) {
        if (instance.sendToRunning(files)) {
            std::printf("Benchtop is running: sent %lld file(s) to its window.\n",
                        static_cast<long long>(files.size()));
            return 0;
        }
        QString error;
        if (!instance.listen(&error)) {
            if (instance.sendToRunning(files)) return 0;
            std::fprintf(stderr,
                         "Benchtop will not receive files opened later (%s); they open a window of their own.\n",
                         qPrintable(error));
        }
    }

    // The engine outlives the window (declared first, destroyed last) and the background work the window
    // started: closing the window cancels that work, and the drain below waits for it to return.
    benchtop::engine::Engine engine(benchtop::workloads::builtinTasks());
    struct DrainBackgroundWork {
        ~DrainBackgroundWork() { benchtop::ui::BackgroundJob::waitForAll(); }
    } drainBeforeEngine;
    benchtop::ui::MainWindow window(engine);

    benchtop::ui::FileOpenFilter fileOpen;
    QObject::connect(&fileOpen, &benchtop::ui::FileOpenFilter::filesOpened, &window,
                     [&window](const QStringList& paths) {
                         if (!paths.isEmpty()) window.addPaths(paths);
                     });
    app.installEventFilter(&fileOpen);
    QObject::connect(&instance, &benchtop::ui::SingleInstance::pathsReceived, &window,
                     [&window, &fileOpen](const QStringList& paths) {
                         window.bringToFront();
                         fileOpen.add(paths);
                     });

    window.show();
    if (!files.isEmpty()) window.addPaths(files);

    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        QTimer::singleShot(parser.value(delay).toInt(), &window, [&window, path]() {
            const bool ok = window.grab().save(path);
            std::fprintf(ok ? stdout : stderr, "%s %s\n", ok ? "screenshot saved to" : "could not save screenshot to",
                         qPrintable(QDir::toNativeSeparators(path)));
            QApplication::exit(ok ? 0 : 1);
        });
    }
    return app.exec();
}
