#include "tests/ui/ui_test_support.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QUrl>
#include <QWidget>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <catch2/catch_test_macros.hpp>

#include <chrono>
#include <fstream>
#include <memory>
#include <thread>

#include "core/common/error.h"
#include "ui/hf_token_store.h"
#include "ui/settings.h"

namespace benchtop::test {

QApplication& uiApp() {
    static int argc = 1;
    static char name[] = "test_ui";
    static char* argv[] = {name, nullptr};
    static QApplication* app = nullptr;
    static QTemporaryDir* settingsDir = nullptr;
    if (!app) {
        qputenv("QT_QPA_PLATFORM",
                qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
        QStandardPaths::setTestModeEnabled(true);
        settingsDir = new QTemporaryDir();
        REQUIRE(settingsDir->isValid());
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir->path());
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir->path());
        // Deliberately never destroyed: Qt objects created by tests may outlive static destruction order.
        // The Hugging Face token of Settings › Models goes to a file of this run, never to the keychain or the
        // user's own token file.
        ui::HfTokenStore::setKeychainEnabled(false);
        qputenv("HF_TOKEN_PATH", QFile::encodeName(settingsDir->filePath(QStringLiteral("hf-token"))));
        app = new QApplication(argc, argv);
        QApplication::setOrganizationName(QStringLiteral("Benchtop"));
        QApplication::setApplicationName(QStringLiteral("Benchtop"));
    }
    return *app;
}

void resetSettings() {
    uiApp();
    QSettings settings(QSettings::NativeFormat, QSettings::UserScope, ui::Settings::kOrganisation,
                       ui::Settings::kApplication);
    settings.clear();
    settings.sync();
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    return QTest::qWaitFor(done, timeoutMs);
}

void dropFiles(QWidget* target, const QStringList& paths) {
    auto mime = std::make_unique<QMimeData>();
    QList<QUrl> urls;
    for (const QString& path : paths) urls << QUrl::fromLocalFile(path);
    mime->setUrls(urls);
    const QPointF position = QPointF(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(position.toPoint(), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    REQUIRE(enter.isAccepted());
    QDropEvent drop(position, Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
    CHECK(drop.isAccepted());
}

void writeTextFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    REQUIRE(out.good());
    out << text;
}

namespace {

class SleepTask : public engine::Task {
public:
    explicit SleepTask(int msPerItem) : m_ms(msPerItem) {}

    engine::BatchLimits batchLimits() const override {
        engine::BatchLimits limits;
        limits.maxItems = 1;
        return limits;
    }
    void read(engine::TaskContext& ctx, const std::function<void(engine::Item&&)>& emit) override {
        const std::string path = ctx.spec().inputs.at(0);
        std::ifstream in(path);
        int count = 0;
        if (!(in >> count) || count < 0) throw Error(path, "The first line must be a number of items.");
        ctx.setExpectedTotal(count);
        for (int i = 0; i < count; ++i) {
            engine::Item item;
            item.id = path + ":" + std::to_string(i + 1);
            emit(std::move(item));
        }
    }
    void run(engine::TaskContext& ctx, const std::vector<engine::Item*>& batch) override {
        for (std::size_t i = 0; i < batch.size(); ++i) {
            ctx.throwIfCancelled();
            std::this_thread::sleep_for(std::chrono::milliseconds(m_ms));
        }
    }
    void finish(engine::TaskContext& ctx, std::vector<engine::Item>& items) override {
        std::string stem = ctx.spec().inputs.at(0);
        stem = stem.substr(stem.find_last_of('/') + 1);
        stem = stem.substr(0, stem.find('.'));
        std::ofstream out(ctx.outputPath(stem + ".result.txt"));
        out << items.size() << "\n";
        ctx.setSummary(std::to_string(items.size()) + " items slept");
    }

private:
    int m_ms;
};

}  // namespace

engine::TaskKind sleepTaskKind(int msPerItem) {
    engine::TaskKind kind;
    kind.id = "sleep";
    kind.name = "Sleepy test task";
    kind.extensions = {".sleep"};
    kind.recognise = [](const engine::FileProbe& probe) { return probe.extension == ".sleep" ? 10 : 0; };
    kind.create = [msPerItem](const engine::JobSpec&) { return std::make_unique<SleepTask>(msPerItem); };
    return kind;
}

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x20, 0x21, 0x24), text(0xe8, 0xea, 0xed), base(0x17, 0x18, 0x1a);
    for (const QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive}) {
        p.setColor(group, QPalette::Window, window);
        p.setColor(group, QPalette::WindowText, text);
        p.setColor(group, QPalette::Base, base);
        p.setColor(group, QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
        p.setColor(group, QPalette::Text, text);
        p.setColor(group, QPalette::Button, QColor(0x2d, 0x2f, 0x33));
        p.setColor(group, QPalette::ButtonText, text);
        p.setColor(group, QPalette::Highlight, QColor(0x3d, 0x6f, 0xb4));
        p.setColor(group, QPalette::HighlightedText, Qt::white);
        p.setColor(group, QPalette::Mid, QColor(0x5f, 0x63, 0x68));
        p.setColor(group, QPalette::ToolTipBase, window);
        p.setColor(group, QPalette::ToolTipText, text);
        p.setColor(group, QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
    }
    return p;
}

}  // namespace benchtop::test
