// The Chinese user interface: the catalogues are complete (every entry translated, placeholders and accelerators
// kept), a window started in zh_CN or zh_TW shows Chinese menus, and Qt's own buttons come from qtbase.
#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QMenuBar>
#include <QPalette>
#include <QPushButton>
#include <QRegularExpression>
#include <QStatusBar>
#include <QStyle>
#include <QXmlStreamReader>

#include <catch2/catch_test_macros.hpp>

#include <algorithm>
#include <cstdlib>

#include "core/engine/engine.h"
#include "core/workloads/builtin_workloads.h"
#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/job_list_model.h"
#include "ui/main_window.h"
#include "ui/settings.h"
#include "ui/translations.h"
#include "ui/workload_text.h"

using benchtop::engine::Engine;
using benchtop::test::sharedPath;
using benchtop::test::TempDir;
using benchtop::test::uiApp;
using benchtop::test::waitUntil;
using benchtop::ui::MainWindow;

namespace {

/// One entry of a Qt Linguist .ts file.
struct Entry {
    QString context, source, type;
    QStringList translations;  // one, or one per numerus form
};

std::vector<Entry> readTs(const QString& path) {
    QFile file(path);
    INFO(path.toStdString());
    REQUIRE(file.open(QIODevice::ReadOnly));
    std::vector<Entry> entries;
    QXmlStreamReader xml(&file);
    QString context;
    Entry* current = nullptr;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        const auto name = xml.name();
        if (name == QLatin1String("name") && !current) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            entries.push_back({context, {}, {}, {}});
            current = &entries.back();
        } else if (name == QLatin1String("source") && current) {
            current->source = xml.readElementText();
        } else if (name == QLatin1String("translation") && current) {
            current->type = xml.attributes().value(QLatin1String("type")).toString();
            // Plain text, or <numerusform> children: collect either.
            QString text;
            while (!xml.atEnd()) {
                xml.readNext();
                if (xml.isCharacters()) text += xml.text();
                if (xml.isStartElement() && xml.name() == QLatin1String("numerusform"))
                    current->translations << xml.readElementText();
                if (xml.isEndElement() && xml.name() == QLatin1String("translation")) break;
            }
            if (current->translations.isEmpty()) current->translations << text;
            current = nullptr;
        }
    }
    INFO(xml.errorString().toStdString());
    REQUIRE_FALSE(xml.hasError());
    return entries;
}

/// The %1…%9 and %n placeholders of `text`, sorted, each once.
QStringList placeholders(const QString& text) {
    QStringList found;
    static const QRegularExpression re(QStringLiteral("%(\\d|n)"));
    for (auto it = re.globalMatch(text); it.hasNext();) found << it.next().captured(0);
    found.sort();
    found.removeDuplicates();
    return found;
}

/// Whether `text` marks a keyboard accelerator ("&File", "文件(&F)"), not counting HTML entities or "&&".
bool hasAccelerator(const QString& text) {
    static const QRegularExpression re(QStringLiteral("&(?!amp;|nbsp;|&)[^\\s]"));
    return re.match(text).hasMatch();
}

QStringList menuTitles(const MainWindow& window) {
    QStringList titles;
    for (const QAction* action : window.menuBar()->actions()) titles << action->text();
    return titles;
}

bool allFinished(const benchtop::ui::JobListModel& model) {
    for (int row = 0; row < model.rowCount(); ++row)
        if (!benchtop::engine::isFinished(model.jobAt(row).state)) return false;
    return model.rowCount() > 0;
}

}  // namespace

TEST_CASE("the Chinese catalogues translate every entry and keep placeholders and accelerators", "[ui][i18n]") {
    for (const char* language : {"zh_CN", "zh_TW"}) {
        const QString path = QStringLiteral(BENCHTOP_TRANSLATIONS_DIR "/benchtop_%1.ts").arg(QLatin1String(language));
        const std::vector<Entry> entries = readTs(path);
        INFO(language);
        // lupdate finds about 670 texts in ui/; a catalogue far smaller than that was not generated from it.
        CHECK(entries.size() > 600);
        int unfinished = 0;
        for (const Entry& e : entries) {
            INFO(e.context.toStdString() << ": " << e.source.toStdString());
            CHECK(e.type.isEmpty());  // not "unfinished", "vanished" or "obsolete"
            if (!e.type.isEmpty()) ++unfinished;
            for (const QString& t : e.translations) {
                INFO("translation: " << t.toStdString());
                CHECK_FALSE((t.trimmed().isEmpty() && !e.source.trimmed().isEmpty()));
                CHECK(placeholders(t) == placeholders(e.source));
                CHECK(hasAccelerator(t) == hasAccelerator(e.source));
            }
        }
        CHECK(unfinished == 0);
    }
}

TEST_CASE("every text a built-in workload declares is listed for the translators", "[ui][i18n]") {
    // ui/workload_strings.cpp is generated from the declarations (tools/dev/workload_strings.py); a new or changed
    // option fails here until the list is regenerated and the catalogues translated.
    const std::vector<const char*>& listed = benchtop::ui::translatableWorkloadStrings();
    const auto isListed = [&](const std::string& text) {
        return text.empty() || std::any_of(listed.begin(), listed.end(), [&](const char* s) { return text == s; });
    };
    const auto registry = benchtop::workloads::builtinTasks();
    for (const auto& kind : registry.kinds()) {
        INFO(kind.id);
        CHECK(isListed(kind.name));
        CHECK(isListed(kind.fileDescription));
        CHECK(isListed(kind.workUnit.name));
        for (const auto& option : kind.options) {
            INFO(option.key);
            CHECK(isListed(option.label));
            CHECK(isListed(option.help));
        }
    }
}

TEST_CASE("the Language setting picks the catalogue: system follows the system's languages", "[ui][i18n]") {
    uiApp();
    CHECK(benchtop::ui::resolveUiLanguage(QStringLiteral("zh_CN")) == "zh_CN");
    CHECK(benchtop::ui::resolveUiLanguage(QStringLiteral("zh_TW")) == "zh_TW");
    CHECK(benchtop::ui::resolveUiLanguage(QStringLiteral("en")) == "en");
    const QString system = benchtop::ui::resolveUiLanguage(QStringLiteral("system"));
    CHECK((system == "en" || system == "zh_CN" || system == "zh_TW"));
    CHECK_FALSE(benchtop::ui::qtTranslationDirs().isEmpty());
}

TEST_CASE("a window started in Chinese shows translated menus and Qt's translated buttons", "[ui][i18n]") {
    uiApp();
    benchtop::test::resetSettings();
    Engine engine(benchtop::workloads::builtinTasks());
    struct RestoreEnglish {
        ~RestoreEnglish() { benchtop::ui::installTranslations(QStringLiteral("en")); }
    } restore;

    SECTION("English installs no catalogue") {
        const auto installed = benchtop::ui::installTranslations(QStringLiteral("en"));
        CHECK(installed.language == "en");
        CHECK_FALSE(installed.benchtop);
        MainWindow window(engine);
        CHECK(menuTitles(window).contains(QStringLiteral("&File")));
        CHECK(menuTitles(window).contains(QStringLiteral("&Jobs")));
    }
    SECTION("Traditional Chinese") {
        benchtop::ui::Settings().setLanguage(QStringLiteral("zh_TW"));
        const auto installed = benchtop::ui::installTranslations(benchtop::ui::Settings().language());
        CHECK(installed.language == "zh_TW");
        REQUIRE(installed.benchtop);
        MainWindow window(engine);
        const QStringList titles = menuTitles(window);
        INFO(titles.join(QLatin1Char('|')).toStdString());
        CHECK(titles.contains(QStringLiteral("檔案(&F)")));
        CHECK(titles.contains(QStringLiteral("工作(&J)")));
        CHECK(titles.contains(QStringLiteral("說明(&H)")));
    }
    SECTION("Simplified Chinese, with qtbase for the standard buttons") {
        benchtop::ui::Settings().setLanguage(QStringLiteral("zh_CN"));
        const auto installed = benchtop::ui::installTranslations(benchtop::ui::Settings().language());
        CHECK(installed.language == "zh_CN");
        REQUIRE(installed.benchtop);
        MainWindow window(engine);
        const QStringList titles = menuTitles(window);
        INFO(titles.join(QLatin1Char('|')).toStdString());
        CHECK(titles.contains(QStringLiteral("文件(&F)")));
        CHECK(titles.contains(QStringLiteral("作业(&J)")));
        CHECK(titles.contains(QStringLiteral("帮助(&H)")));
        // A text the window composes: the status bar's first message.
        CHECK(window.statusBar()->currentMessage() == QStringLiteral("就绪。拖放文件，或使用“文件 › 打开”。"));
        // What the workloads declare is shown translated too (their names, units and options).
        CHECK(benchtop::ui::workloadText("Epigenetic clocks") == QStringLiteral("表观遗传时钟"));
        CHECK(benchtop::ui::workloadText("audio s") == QStringLiteral("音频秒"));
        CHECK(benchtop::ui::workloadText("Output formats") == QStringLiteral("输出格式"));

        if (installed.qtbasePath.isEmpty())
            SKIP("qtbase_zh_CN.qm was not found in "
                 << benchtop::ui::qtTranslationDirs().join(QStringLiteral(", ")).toStdString()
                 << " (install Qt's translations, e.g. qt6-translations-l10n)");
        QDialogButtonBox box(QDialogButtonBox::Cancel | QDialogButtonBox::Ok);
        INFO(installed.qtbasePath.toStdString());
        CHECK(box.button(QDialogButtonBox::Cancel)->text() == QStringLiteral("取消"));
    }
}

namespace {

/// Runs the methylation fixture (matrix and sample sheet) in a new window in `language` under `palette` and saves
/// the window to `file`.
void saveWindowWithMethylationJob(const QString& language, const QPalette& palette, const QString& file) {
    const auto installed = benchtop::ui::installTranslations(language);
    REQUIRE((language == QLatin1String("en") || installed.benchtop));
    const QPalette saved = QApplication::palette();
    QApplication::setPalette(palette);
    TempDir out;
    Engine engine(benchtop::workloads::builtinTasks());
    {
        MainWindow window(engine);
        window.settings().setOutputFolder(QString::fromStdString(out.path()));
        window.resize(1280, 820);
        window.show();
        window.addPaths(
            {QString::fromStdString(sharedPath("fixtures/methylation/A_example55/betas.csv")),
             QString::fromStdString(sharedPath("fixtures/methylation/E_age_acceleration/sample_sheet.csv"))});
        REQUIRE(waitUntil([&]() { return allFinished(*window.jobModel()); }, 180000));
        waitUntil([] { return false; }, 800);  // charts and the table settle
        CHECK(window.grab().save(file));
    }
    QApplication::setPalette(saved);
    benchtop::ui::installTranslations(QStringLiteral("en"));
}

}  // namespace

// Not run by default: `test_ui_translations "[.screenshot]"` with BENCHTOP_SCREENSHOTS=DIR saves the window with a
// finished methylation job in Simplified Chinese (docs/screenshots/main-window-zh_CN.png) and in English under a
// light and a dark palette (main-window-light.png, main-window-dark.png). Chinese needs a CJK font (Noto CJK).
TEST_CASE("screenshots of the window in Chinese and in light and dark palettes", "[.screenshot]") {
    const char* dir = std::getenv("BENCHTOP_SCREENSHOTS");
    if (!dir) SKIP("BENCHTOP_SCREENSHOTS is not set");
    uiApp();
    benchtop::test::resetSettings();
    qputenv("BENCHTOP_CLOCKS_DIR", QByteArray::fromStdString(sharedPath("clocks")));
    const QString folder = QString::fromUtf8(dir) + QLatin1Char('/');
    const QPalette light = QApplication::style()->standardPalette();
    saveWindowWithMethylationJob(QStringLiteral("zh_CN"), light, folder + QStringLiteral("main-window-zh_CN.png"));
    saveWindowWithMethylationJob(QStringLiteral("en"), light, folder + QStringLiteral("main-window-light.png"));
    saveWindowWithMethylationJob(QStringLiteral("en"), benchtop::test::darkPalette(),
                                 folder + QStringLiteral("main-window-dark.png"));
}
