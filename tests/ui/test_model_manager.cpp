// The model manager window and zip import: real widgets offscreen, real downloads from a loopback server that
// serves ../shared in the hub's layout, real zips written with QuaZip.
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolBar>
#include <QToolButton>

#include <quazip/quazip.h>
#include <quazip/quazipfile.h>
#include <quazip/quazipnewinfo.h>

#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/workloads/builtin_workloads.h"
#include "core/common/error.h"
#include "core/engine/engine.h"
#include "core/hub/catalog.h"
#include "core/hub/model_store.h"
#include "core/hub/store_status.h"
#include "tests/core/hub/test_http_server.h"
#include "tests/support/shared_paths.h"
#include "tests/ui/ui_test_support.h"
#include "ui/main_window.h"
#include "ui/models/model_manager_window.h"
#include "ui/models/model_table_model.h"
#include "core/hub/zip_import.h"
#include "ui/settings.h"

namespace fs = std::filesystem;
using namespace benchtop;
using Catch::Matchers::ContainsSubstring;
using Catch::Matchers::StartsWith;
using hub::Catalog;
using hub::ModelStore;
using test::TempDir;
using test::TestHttpServer;
using test::uiApp;
using test::waitUntil;
using ui::ModelManagerWindow;
using ui::ModelRow;
using ui::ModelStatus;
using ui::ModelTableModel;

namespace {

/// Sets an environment variable for one test and restores the previous value.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (m_old)
            ::setenv(m_name, m_old->c_str(), 1);
        else
            ::unsetenv(m_name);
    }

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

struct ZipEntry {
    QString name;
    QByteArray data;
    quint32 externalAttr = 0100644u << 16;  // a regular file, as Info-ZIP on unix writes it
};

/// Writes `entries` into a new zip at `path` with QuaZip (stored uncompressed when `store` is set).
void writeZip(const std::string& path, const std::vector<ZipEntry>& entries, bool store = false) {
    QuaZip zip(QString::fromStdString(path));
    REQUIRE(zip.open(QuaZip::mdCreate));
    for (const ZipEntry& entry : entries) {
        QuaZipNewInfo info(entry.name);
        info.externalAttr = entry.externalAttr;
        QuaZipFile file(&zip);
        REQUIRE(file.open(QIODevice::WriteOnly, info, nullptr, 0, store ? 0 : Z_DEFLATED, store ? 0 : 6));
        REQUIRE(file.write(entry.data) == entry.data.size());
        file.close();
        REQUIRE(file.getZipError() == UNZ_OK);
    }
    zip.close();
    REQUIRE(zip.getZipError() == UNZ_OK);
}

const char* kTinyBert = "models/tiny-bert-cls";

/// Every file of the shared tiny BERT, relative to its folder.
std::vector<std::string> tinyBertFiles() {
    std::vector<std::string> names;
    const fs::path dir = test::sharedPath(kTinyBert);
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file()) names.push_back(fs::relative(entry.path(), dir).generic_string());
    std::sort(names.begin(), names.end());
    return names;
}

/// The tiny BERT's files as zip entries below `prefix` ("" or "tiny-bert-cls/"), leaving out `skip`.
std::vector<ZipEntry> tinyBertEntries(const QString& prefix, const std::string& skip = {}) {
    std::vector<ZipEntry> entries;
    for (const std::string& name : tinyBertFiles()) {
        if (name == skip) continue;
        const std::string content = test::readFile(test::sharedPath(std::string(kTinyBert) + "/" + name));
        entries.push_back({prefix + QString::fromStdString(name), QByteArray::fromStdString(content)});
    }
    return entries;
}

void requireSameAsTinyBert(const fs::path& folder) {
    for (const std::string& name : tinyBertFiles()) {
        INFO(name);
        REQUIRE(fs::is_regular_file(folder / name));
        CHECK(test::readFile((folder / name).string()) ==
              test::readFile(test::sharedPath(std::string(kTinyBert) + "/" + name)));
    }
}

std::size_t countFiles(const fs::path& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file()) ++n;
    return n;
}

/// Files named `name` anywhere below `dir`.
std::size_t countNamed(const fs::path& dir, const std::string& name) {
    std::size_t n = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename() == name) ++n;
    return n;
}

using benchtop::test::errorOf;

Catalog builtinCatalog() {
    return Catalog::load(BENCHTOP_TEST_CATALOG);
}

/// A store in `dir`/store whose Hugging Face cache is `dir`/hf, without bundled clock tables unless `bundled`
/// names their folder (most tests download clock tables).
ModelStore makeStore(const TempDir& dir, Catalog catalog, const std::string& bundled = {}) {
    ModelStore store(std::move(catalog));
    store.setStoreDir(dir.file("store"));
    store.setHfCacheDirs({dir.file("hf")});
    store.setBundledClocksDir(bundled);
    return store;
}

/// Puts `source` into a Hugging Face cache the way huggingface_hub lays it out (refs/main -> commit, the snapshot's
/// files are symlinks) and returns the snapshot folder.
std::string addToHfCache(const std::string& cache, const std::string& repo, const std::string& source) {
    std::string folder = "models--" + repo;
    folder.replace(folder.find('/'), 1, "--");
    const std::string commit = "0123456789abcdef0123456789abcdef01234567";
    const fs::path repoDir = fs::path(cache) / folder;
    const fs::path snapshot = repoDir / "snapshots" / commit;
    fs::create_directories(repoDir / "refs");
    std::ofstream(repoDir / "refs" / "main") << commit;
    for (const auto& entry : fs::recursive_directory_iterator(source)) {
        if (!entry.is_regular_file()) continue;
        const fs::path link = snapshot / fs::relative(entry.path(), source);
        fs::create_directories(link.parent_path());
        fs::create_symlink(entry.path(), link);
    }
    return snapshot.string();
}

std::string sharedRoot() {
    return fs::path(test::sharedPath(kTinyBert)).parent_path().parent_path().string();
}

QString statusOf(const ModelManagerWindow& window, const QString& id) {
    const ModelRow* row = window.tableModel()->row(id);
    return row ? ModelTableModel::statusText(*row) : QStringLiteral("(no row)");
}

ModelStatus statusKind(const ModelManagerWindow& window, const QString& id) {
    const ModelRow* row = window.tableModel()->row(id);
    REQUIRE(row);
    return row->status;
}

void click(const ModelManagerWindow& window, const char* buttonName) {
    auto* button = window.findChild<QToolButton*>(QLatin1String(buttonName));
    REQUIRE(button);
    REQUIRE(button->isEnabled());
    QTest::mouseClick(button, Qt::LeftButton);
}

/// Downloads with short back-off so error cases finish quickly.
hub::DownloadOptions fastOptions() {
    hub::DownloadOptions options;
    options.retryDelayMs = 10;
    options.maxRetries = 1;
    options.stallTimeoutSeconds = 5;
    return options;
}

const QString kGoldMeans = QStringLiteral("dunedinpace_gold_means");  // a 618 kB clock table
const char* kGoldMeansFile = "DunedinPACE_Gold_Means.csv";

}  // namespace

TEST_CASE("Zip entry names that escape the target or are links are recognised", "[ui][models][zip]") {
    CHECK(hub::unsafeZipEntryReason("tiny/config.json", 0100644u << 16).empty());
    CHECK(hub::unsafeZipEntryReason("a..b/c..d.txt", 0).empty());
    CHECK(hub::unsafeZipEntryReason("folder/", 040755u << 16).empty());
    CHECK(hub::unsafeZipEntryReason("../evil.txt", 0).find("'..'") != std::string::npos);
    CHECK(hub::unsafeZipEntryReason("a/../../evil.txt", 0).find("'..'") != std::string::npos);
    CHECK(hub::unsafeZipEntryReason("..\\evil.txt", 0).find("'..'") != std::string::npos);
    CHECK(hub::unsafeZipEntryReason("/etc/evil", 0).find("absolute path") != std::string::npos);
    CHECK(hub::unsafeZipEntryReason("\\\\server\\share\\x", 0).find("absolute") != std::string::npos);
    CHECK(hub::unsafeZipEntryReason("C:/evil.txt", 0).find("drive letter") != std::string::npos);
    CHECK(hub::unsafeZipEntryReason("c:evil.txt", 0).find("drive letter") != std::string::npos);
    CHECK(hub::unsafeZipEntryReason("tiny/vocab.txt", 0120777u << 16).find("symbolic link") != std::string::npos);
}

TEST_CASE("A zipped model is imported into the store, from one top folder or from the root", "[ui][models][zip]") {
    TempDir dir;
    ModelStore store = makeStore(dir, {});
    const fs::path storeDir = store.storeDir();

    SECTION("files inside one top-level folder (and macOS clutter beside it)") {
        auto entries = tinyBertEntries(QStringLiteral("tiny-bert-cls/"));
        entries.push_back({QStringLiteral("__MACOSX/tiny-bert-cls/._config.json"), QByteArray("resource fork")});
        entries.push_back({QStringLiteral("tiny-bert-cls/.DS_Store"), QByteArray("finder")});
        writeZip(dir.file("download.zip"), entries);
        const auto model = hub::importModelZip(store, (dir.file("download.zip")));
        CHECK(model.id == "tiny-bert-cls");
        CHECK(model.validation.ok);
        CHECK(model.validation.family == hub::ModelFamily::Bert);
        CHECK(model.path == (storeDir / "tiny-bert-cls").string());
        requireSameAsTinyBert(storeDir / "tiny-bert-cls");
        CHECK(countNamed(storeDir, ".DS_Store") == 0);
        CHECK_FALSE(fs::exists(storeDir / "tiny-bert-cls" / "__MACOSX"));
        // The model's files plus the store record, nothing else.
        CHECK(countFiles(storeDir) == tinyBertFiles().size() + 1);
    }
    SECTION("files at the archive's root take the archive's name") {
        writeZip(dir.file("my-bert.v2.zip"), tinyBertEntries(QString()));
        const auto model = hub::importModelZip(store, (dir.file("my-bert.v2.zip")));
        CHECK(model.id == "my-bert.v2");
        CHECK(model.validation.ok);
        requireSameAsTinyBert(storeDir / "my-bert.v2");
    }
    SECTION("an explicit id wins") {
        writeZip(dir.file("download.zip"), tinyBertEntries(QStringLiteral("tiny-bert-cls/")));
        const auto model = hub::importModelZip(store, (dir.file("download.zip")), "bert-for-tests");
        CHECK(model.id == "bert-for-tests");
        requireSameAsTinyBert(storeDir / "bert-for-tests");
    }

    // Found by the store like any other model, recorded as coming from the zip; no staging leftovers.
    const auto installed = store.installed();
    REQUIRE(installed.size() == 1);
    CHECK(installed[0].validation.ok);
    const std::string record = test::readFile((fs::path(installed[0].path) / hub::kStoreRecordName).string());
    CHECK_THAT(record, ContainsSubstring("\"source_type\": \"zip\""));
    CHECK_FALSE(fs::exists(storeDir / ".downloads"));

    // Importing the same model again is refused with the hub's message.
    const std::string again = errorOf([&] {
        writeZip(dir.file("again.zip"), tinyBertEntries(QString()));
        hub::importModelZip(store, (dir.file("again.zip")), installed[0].id);
    });
    CHECK_THAT(again, ContainsSubstring("is already in the store"));
    CHECK(store.installed().size() == 1);
}

TEST_CASE("A zip whose entries escape the target folder is refused and writes nothing", "[ui][models][zip]") {
    TempDir dir;
    ModelStore store = makeStore(dir, {});
    auto entries = tinyBertEntries(QStringLiteral("tiny-bert-cls/"));
    const std::string outside = dir.file("outside-evil.txt");
    std::string expected;
    SECTION("parent folder") {
        entries.push_back({QStringLiteral("../evil.txt"), QByteArray("pwned")});
        expected = "entry '../evil.txt' climbs out of the target folder with '..'";
    }
    SECTION("parent folder deeper down") {
        entries.push_back({QStringLiteral("tiny-bert-cls/../../../evil.txt"), QByteArray("pwned")});
        expected = "entry 'tiny-bert-cls/../../../evil.txt' climbs out";
    }
    SECTION("absolute path") {
        entries.push_back({QString::fromStdString(outside), QByteArray("pwned")});
        expected = "entry '" + outside + "' is an absolute path";
    }
    SECTION("drive letter") {
        entries.push_back({QStringLiteral("C:/evil.txt"), QByteArray("pwned")});
        expected = "entry 'C:/evil.txt' starts with a drive letter";
    }
    SECTION("symbolic link") {
        // Info-ZIP stores a link as an entry whose data is the target and whose unix mode says S_IFLNK.
        entries.push_back({QStringLiteral("tiny-bert-cls/evil.txt"), QByteArray("/etc/passwd"), 0120777u << 16});
        expected = "entry 'tiny-bert-cls/evil.txt' is a symbolic link";
    }
    writeZip(dir.file("evil.zip"), entries);
    const std::string error = errorOf([&] { hub::importModelZip(store, (dir.file("evil.zip"))); });
    CHECK_THAT(error, StartsWith(dir.file("evil.zip") + ": refused: "));
    CHECK_THAT(error, ContainsSubstring(expected));
    CHECK_THAT(error, ContainsSubstring("nothing was extracted"));
    CHECK(countFiles(store.storeDir()) == 0);
    CHECK(store.installed().empty());
    CHECK(countNamed(dir.path(), "evil.txt") == 0);
    CHECK_FALSE(fs::exists(outside));
    CHECK(countNamed(dir.path(), "config.json") == 0);  // refused before anything was unpacked
}

TEST_CASE("A zipped model that lacks required files is refused naming the file, leaving nothing", "[ui][models][zip]") {
    TempDir dir;
    ModelStore store = makeStore(dir, {});
    std::string skip, expected;
    SECTION("no weights") {
        skip = "pytorch_model.bin";
        expected = "not imported: no weights found (model.safetensors or pytorch_model.bin).";
    }
    SECTION("no tokenizer") {
        skip = "tokenizer.json";
        expected = "not imported: tokenizer.json is missing.";
    }
    writeZip(dir.file("broken.zip"), tinyBertEntries(QStringLiteral("tiny-bert-cls/"), skip));
    const std::string error = errorOf([&] { hub::importModelZip(store, (dir.file("broken.zip"))); });
    CHECK(error == dir.file("broken.zip") + ": " + expected);
    CHECK(countFiles(store.storeDir()) == 0);
    CHECK_FALSE(fs::exists(fs::path(store.storeDir()) / ".downloads"));
    CHECK(store.installed().empty());
}

TEST_CASE("Damaged and non-zip archives give a clear error", "[ui][models][zip]") {
    TempDir dir;
    ModelStore store = makeStore(dir, {});
    SECTION("not a zip") {
        test::writeTextFile(dir.file("model.zip"), "this is not an archive\n");
        CHECK_THAT(errorOf([&] { hub::importModelZip(store, (dir.file("model.zip"))); }),
                   ContainsSubstring(dir.file("model.zip") + ": is not a readable zip archive"));
    }
    SECTION("a corrupted entry fails its CRC check") {
        auto entries = tinyBertEntries(QStringLiteral("tiny-bert-cls/"));
        const QByteArray marker("benchtop-crc-test-payload-0123456789");
        entries.push_back({QStringLiteral("tiny-bert-cls/notes.txt"), marker});
        writeZip(dir.file("damaged.zip"), entries, /*store=*/true);
        std::string bytes = test::readFile(dir.file("damaged.zip"));
        const auto at = bytes.find(marker.toStdString());
        REQUIRE(at != std::string::npos);
        bytes[at + 5] ^= 0x20;
        std::ofstream(dir.file("damaged.zip"), std::ios::binary) << bytes;
        CHECK_THAT(errorOf([&] { hub::importModelZip(store, (dir.file("damaged.zip"))); }),
                   ContainsSubstring("entry 'tiny-bert-cls/notes.txt' is damaged"));
    }
    SECTION("no such file") {
        CHECK_THAT(errorOf([&] { hub::importModelZip(store, (dir.file("missing.zip"))); }),
                   ContainsSubstring("missing.zip: no such file."));
    }
    CHECK(countFiles(store.storeDir()) == 0);
}

TEST_CASE("The manager lists catalog entries, the store and the Hugging Face cache", "[ui][models]") {
    uiApp();
    test::resetSettings();
    TempDir dir;
    const Catalog catalog = builtinCatalog();
    ModelStore store = makeStore(dir, catalog);
    store.importFolder(test::sharedPath(kTinyBert), "tiny-bert-cls");
    const std::string snapshot =
        addToHfCache(dir.file("hf"), "benchtop-test/tiny-bert-mean", test::sharedPath("models/tiny-bert-mean"));

    ModelManagerWindow window(benchtop::workloads::builtinTasks(), store);
    window.show();
    ModelTableModel* model = window.tableModel();
    REQUIRE(model->rowCount() == int(catalog.entries().size()) + 2);

    const ModelRow* horvath = model->row(QStringLiteral("horvath2013"));
    REQUIRE(horvath);
    CHECK(horvath->status == ModelStatus::NotInstalled);
    CHECK(ModelTableModel::statusText(*horvath) == QStringLiteral("Not installed"));
    CHECK(horvath->task == QStringLiteral("methylation"));
    CHECK(horvath->family == hub::ModelFamily::Clock);

    const int whisperRow = model->indexOf(QStringLiteral("whisper-tiny"));
    REQUIRE(whisperRow >= 0);
    const ModelRow& whisper = model->rowAt(whisperRow);
    CHECK(whisper.repo == QStringLiteral("openai/whisper-tiny"));
    CHECK(whisper.name == QStringLiteral("Whisper tiny"));
    CHECK(model->index(whisperRow, ModelTableModel::TaskColumn).data().toString() ==
          QStringLiteral("Speech (Whisper)"));
    CHECK(model->index(whisperRow, ModelTableModel::FamilyColumn).data().toString() == QStringLiteral("Whisper"));
    CHECK(model->index(whisperRow, ModelTableModel::LicenceColumn).data().toString() == QStringLiteral("Apache-2.0"));
    CHECK(model->index(whisperRow, ModelTableModel::SizeColumn).data().toString() == QStringLiteral("151.1 MB"));
    CHECK(model->index(whisperRow, ModelTableModel::StatusColumn).data().toString() == QStringLiteral("Not installed"));

    const ModelRow* local = model->row(QStringLiteral("tiny-bert-cls"));
    REQUIRE(local);
    CHECK(local->status == ModelStatus::Installed);
    CHECK(local->task == QStringLiteral("text"));
    CHECK(local->family == hub::ModelFamily::Bert);
    CHECK(local->path.toStdString() == store.installed().at(0).path);
    CHECK(local->bytes == store.installed().at(0).bytes);

    const ModelRow* cached = model->row(QStringLiteral("benchtop-test/tiny-bert-mean"));
    REQUIRE(cached);
    CHECK(cached->status == ModelStatus::HfCache);
    CHECK(ModelTableModel::statusText(*cached) == QStringLiteral("In HF cache (used in place)"));
    CHECK(cached->path.toStdString() == snapshot);

    // Filters: free text, task, "on this machine".
    auto count = [&](auto predicate) {
        return int(std::count_if(catalog.entries().begin(), catalog.entries().end(), predicate));
    };
    window.filterEdit()->setText(QStringLiteral("whisper"));
    CHECK(window.filterModel()->rowCount() ==
          count([](const auto& e) { return e.family == hub::ModelFamily::Whisper; }));
    window.filterEdit()->setText(QStringLiteral("bge small"));
    CHECK(window.filterModel()->rowCount() == 2);  // bge-small-en-v1.5 and bge-small-zh-v1.5
    window.filterEdit()->clear();
    window.taskFilter()->setCurrentIndex(window.taskFilter()->findData(QStringLiteral("methylation")));
    CHECK(window.filterModel()->rowCount() == count([](const auto& e) { return e.task == "methylation"; }));
    window.taskFilter()->setCurrentIndex(window.taskFilter()->findData(QStringLiteral("text")));
    CHECK(window.filterModel()->rowCount() == count([](const auto& e) { return e.task == "text"; }) + 2);
    auto* localOnly = window.findChild<QCheckBox*>(QStringLiteral("localOnly"));
    REQUIRE(localOnly);
    localOnly->setChecked(true);
    CHECK(window.filterModel()->rowCount() == 2);
    localOnly->setChecked(false);
    window.taskFilter()->setCurrentIndex(0);
    CHECK(window.filterModel()->rowCount() == model->rowCount());

    // Footer: the store, what it holds, the volume, the cache.
    const QString footer = window.footerLabel()->text();
    CHECK(footer.contains(QString::fromStdString(store.storeDir())));
    CHECK(footer.contains(QStringLiteral("in 1 model")));
    CHECK(footer.contains(ModelTableModel::sizeText(hub::storeUsage(store).modelBytes)));
    CHECK(footer.contains(QStringLiteral(" free of ")));
    CHECK(footer.contains(QString::fromStdString(dir.file("hf"))));
}

TEST_CASE("Remove, Reveal and Use for New Jobs act on the selected model", "[ui][models]") {
    uiApp();
    test::resetSettings();
    TempDir dir;
    ModelStore store = makeStore(dir, builtinCatalog());
    store.importFolder(test::sharedPath(kTinyBert), "tiny-bert-cls");
    const std::string snapshot =
        addToHfCache(dir.file("hf"), "benchtop-test/tiny-bert-mean", test::sharedPath("models/tiny-bert-mean"));
    ModelManagerWindow window(benchtop::workloads::builtinTasks(), store);
    QStringList asked;
    bool answer = false;
    window.setConfirmHandler([&](const QString&, const QString& text, const QString& accept) {
        asked << accept + QLatin1Char('|') + text;
        return answer;
    });
    QStringList revealed;
    window.setRevealHandler([&](const QString& folder) { revealed << folder; });
    window.show();

    // A catalog model that is not here: only Download.
    REQUIRE(window.selectModel(QStringLiteral("horvath2013")));
    CHECK(window.downloadAction()->isEnabled());
    CHECK_FALSE(window.removeAction()->isEnabled());
    CHECK_FALSE(window.revealAction()->isEnabled());
    CHECK_FALSE(window.useAction()->isEnabled());  // clocks are chosen per job, not here
    CHECK_FALSE(window.cancelAction()->isEnabled());
    CHECK_FALSE(window.resumeAction()->isEnabled());

    // The Hugging Face cache is never deleted from; Remove explains and offers Reveal.
    REQUIRE(window.selectModel(QStringLiteral("benchtop-test/tiny-bert-mean")));
    REQUIRE(window.removeAction()->isEnabled());
    CHECK_FALSE(window.downloadAction()->isEnabled());
    answer = false;
    click(window, "removeButton");
    REQUIRE(asked.size() == 1);
    CHECK(asked[0].startsWith(QStringLiteral("Reveal in File Manager|")));
    CHECK(asked[0].contains(QStringLiteral("never deletes from that cache")));
    CHECK(asked[0].contains(QString::fromStdString(snapshot)));
    CHECK(revealed.isEmpty());
    answer = true;
    click(window, "removeButton");
    CHECK(revealed == QStringList{QString::fromStdString(snapshot)});
    CHECK(fs::is_directory(snapshot));
    CHECK(fs::is_symlink(fs::path(snapshot) / "config.json"));

    // Use for new jobs: the settings the main window reads when it creates a text job.
    REQUIRE(window.selectModel(QStringLiteral("tiny-bert-cls")));
    REQUIRE(window.useAction()->isEnabled());
    click(window, "useButton");
    CHECK(ui::Settings().modelFor(QStringLiteral("text")) == QStringLiteral("tiny-bert-cls"));
    CHECK(window.tableModel()->row(QStringLiteral("tiny-bert-cls"))->inUse);
    CHECK(statusOf(window, QStringLiteral("tiny-bert-cls")) == QStringLiteral("Installed · used for new jobs"));
    CHECK_FALSE(window.useAction()->isEnabled());
    CHECK(window.messageText() == QStringLiteral("New text jobs will use tiny-bert-cls."));
    REQUIRE(window.selectModel(QStringLiteral("benchtop-test/tiny-bert-mean")));
    click(window, "useButton");
    CHECK(ui::Settings().modelFor(QStringLiteral("text")) == QStringLiteral("benchtop-test/tiny-bert-mean"));
    CHECK_FALSE(window.tableModel()->row(QStringLiteral("tiny-bert-cls"))->inUse);

    // Reveal and Remove of a store model (declined first, then accepted).
    REQUIRE(window.selectModel(QStringLiteral("tiny-bert-cls")));
    click(window, "revealButton");
    CHECK(revealed.last().toStdString() == (fs::path(store.storeDir()) / "tiny-bert-cls").string());
    asked.clear();
    answer = false;
    click(window, "removeButton");
    REQUIRE(asked.size() == 1);
    CHECK(asked[0].startsWith(QStringLiteral("Remove|Delete tiny-bert-cls from Benchtop's store?")));
    CHECK(fs::is_directory(fs::path(store.storeDir()) / "tiny-bert-cls"));
    answer = true;
    click(window, "removeButton");
    CHECK_FALSE(fs::exists(fs::path(store.storeDir()) / "tiny-bert-cls"));
    CHECK(window.tableModel()->row(QStringLiteral("tiny-bert-cls")) == nullptr);
    CHECK(window.messageText() == QStringLiteral("tiny-bert-cls was removed from the store."));
}

TEST_CASE("Bundled clock tables show as installed; Download still pulls a store copy; Remove stays off",
          "[ui][models][bundled]") {
    uiApp();
    test::resetSettings();
    TempDir dir;
    TestHttpServer server(sharedRoot());
    ScopedEnv mirror("BENCHTOP_URL_MIRROR", server.baseUrl());
    const Catalog catalog = builtinCatalog();
    ModelStore store = makeStore(dir, catalog, BENCHTOP_TEST_BUNDLED_CLOCKS);
    ModelManagerWindow window(benchtop::workloads::builtinTasks(), store);
    window.setConfirmLicences(false);
    window.setDownloadOptions(fastOptions());
    window.show();

    int clocks = 0;
    for (const auto& entry : catalog.entries()) {
        if (entry.family != hub::ModelFamily::Clock) continue;
        ++clocks;
        const ModelRow* row = window.tableModel()->row(QString::fromStdString(entry.id));
        REQUIRE(row);
        INFO(entry.id);
        CHECK(row->status == ModelStatus::Installed);
        CHECK(row->location == hub::ModelLocation::Bundled);
    }
    CHECK(clocks == 49);
    const ModelRow* horvath = window.tableModel()->row(QStringLiteral("horvath2013"));
    CHECK(ModelTableModel::statusText(*horvath) == QStringLiteral("Installed (bundled)"));
    CHECK(fs::equivalent(horvath->path.toStdString(), fs::path(BENCHTOP_TEST_BUNDLED_CLOCKS) / "biolearn"));
    CHECK(horvath->bytes == 8336);
    CHECK(window.footerLabel()->text().contains(QStringLiteral("49 clock tables shipped with Benchtop")));
    CHECK(window.footerLabel()->text().contains(QStringLiteral("— empty")));  // bundled tables are not the store
    // "On this machine" lists them.
    window.findChild<QCheckBox*>(QStringLiteral("localOnly"))->setChecked(true);
    CHECK(window.filterModel()->rowCount() == 49);
    window.findChild<QCheckBox*>(QStringLiteral("localOnly"))->setChecked(false);

    REQUIRE(window.selectModel(QStringLiteral("horvath2013")));
    CHECK(window.downloadAction()->isEnabled());
    CHECK_FALSE(window.removeAction()->isEnabled());
    CHECK(window.revealAction()->isEnabled());
    click(window, "downloadButton");
    REQUIRE(waitUntil([&] { return window.runningDownloads() == 0; }, 30000));
    REQUIRE(server.requestCount() == 1);
    horvath = window.tableModel()->row(QStringLiteral("horvath2013"));
    CHECK(horvath->location == hub::ModelLocation::Store);
    CHECK(ModelTableModel::statusText(*horvath) == QStringLiteral("Installed"));
    CHECK(horvath->path.toStdString() == (fs::path(store.storeDir()) / "horvath2013").string());
    REQUIRE(window.selectModel(QStringLiteral("horvath2013")));
    CHECK(window.removeAction()->isEnabled());
    CHECK_FALSE(window.downloadAction()->isEnabled());
    CHECK(window.footerLabel()->text().contains(QStringLiteral("48 clock tables shipped with Benchtop")));
}

TEST_CASE("Download shows progress in the status column and ends Installed", "[ui][models][download]") {
    uiApp();
    test::resetSettings();
    TempDir dir;
    TestHttpServer server(sharedRoot());
    server.setThrottle(300 * 1000);  // the 618 kB table takes about two seconds
    ScopedEnv mirror("BENCHTOP_URL_MIRROR", server.baseUrl());
    ModelStore store = makeStore(dir, builtinCatalog());
    ModelManagerWindow window(benchtop::workloads::builtinTasks(), store);
    window.show();

    REQUIRE(window.selectModel(kGoldMeans));
    CHECK(statusOf(window, kGoldMeans) == QStringLiteral("Not installed"));
    click(window, "downloadButton");
    CHECK(window.runningDownloads() == 1);
    CHECK_FALSE(window.downloadAction()->isEnabled());
    CHECK(window.cancelAction()->isEnabled());

    // Progress arrives on the GUI thread while the bytes come in.
    QString progressText;
    double progressValue = -1;
    REQUIRE(waitUntil(
        [&] {
            const ModelRow* row = window.tableModel()->row(kGoldMeans);
            if (row->status != ModelStatus::Downloading || row->download.doneBytes == 0 ||
                row->download.doneBytes >= row->download.totalBytes)
                return false;
            progressText = ModelTableModel::statusText(*row);
            const int source = window.tableModel()->indexOf(kGoldMeans);
            progressValue = window.tableModel()
                                ->index(source, ModelTableModel::StatusColumn)
                                .data(ModelTableModel::ProgressRole)
                                .toDouble();
            return true;
        },
        15000));
    INFO(progressText.toStdString());
    CHECK(QRegularExpression(QStringLiteral("^Downloading \\d{1,2}% · \\d+(\\.\\d)? [kMG]?B/s · ETA \\d+:\\d\\d$"))
              .match(progressText)
              .hasMatch());
    CHECK(progressValue > 0.0);
    CHECK(progressValue < 1.0);
    const int shown = window.filterModel()
                          ->mapFromSource(window.tableModel()->index(window.tableModel()->indexOf(kGoldMeans),
                                                                     ModelTableModel::StatusColumn))
                          .row();
    CHECK(window.filterModel()
              ->index(shown, ModelTableModel::StatusColumn)
              .data()
              .toString()
              .startsWith(QStringLiteral("Downloading ")));

    REQUIRE(waitUntil([&] { return statusKind(window, kGoldMeans) == ModelStatus::Installed; }, 30000));
    CHECK(statusOf(window, kGoldMeans) == QStringLiteral("Installed"));
    CHECK(window.runningDownloads() == 0);
    const fs::path file = fs::path(store.storeDir()) / kGoldMeans.toStdString() / kGoldMeansFile;
    REQUIRE(fs::is_regular_file(file));
    CHECK(test::readFile(file.string()) ==
          test::readFile(test::sharedPath(std::string("clocks/biolearn/") + kGoldMeansFile)));
    CHECK(hub::partialDownloads(store).empty());
    CHECK(window.messageText() == QStringLiteral("DunedinPACE_gold_means (reference table) is installed in %1.")
                                      .arg(QString::fromStdString(file.parent_path().string())));
    CHECK(window.removeAction()->isEnabled());
    CHECK_FALSE(window.downloadAction()->isEnabled());
}

TEST_CASE("Cancel leaves nothing in the store and Resume continues the partial download", "[ui][models][download]") {
    uiApp();
    test::resetSettings();
    TempDir dir;
    TestHttpServer server(sharedRoot());
    server.setThrottle(100 * 1000);
    ScopedEnv mirror("BENCHTOP_URL_MIRROR", server.baseUrl());
    ModelStore store = makeStore(dir, builtinCatalog());
    ModelManagerWindow window(benchtop::workloads::builtinTasks(), store);
    window.show();
    QSignalSpy cancelled(&window, &ModelManagerWindow::downloadCancelled);

    REQUIRE(window.selectModel(kGoldMeans));
    click(window, "downloadButton");
    REQUIRE(waitUntil([&] { return window.tableModel()->row(kGoldMeans)->download.doneBytes >= 100000; }, 15000));
    click(window, "cancelButton");
    REQUIRE(waitUntil([&] { return cancelled.count() == 1; }, 10000));
    CHECK(cancelled.at(0).at(0).toString() == kGoldMeans);

    // Nothing in the store; the partial file waits in the staging area, and the row says so.
    CHECK_FALSE(fs::exists(fs::path(store.storeDir()) / kGoldMeans.toStdString()));
    CHECK(store.installed().empty());
    const auto partials = hub::partialDownloads(store);
    REQUIRE(partials.size() == 1);
    CHECK(partials[0].id == kGoldMeans.toStdString());
    CHECK(partials[0].incompleteFiles == 1);
    CHECK(partials[0].bytes >= 100000);
    CHECK(partials[0].bytes < 618549);
    CHECK(statusKind(window, kGoldMeans) == ModelStatus::Partial);
    CHECK_THAT(statusOf(window, kGoldMeans).toStdString(), StartsWith("Partial (resumable) · "));
    CHECK(window.resumeAction()->isEnabled());
    CHECK_FALSE(window.downloadAction()->isEnabled());
    CHECK(window.removeAction()->isEnabled());  // discards the partial

    // Resume asks only for the missing bytes.
    server.setThrottle(0);
    const auto before = server.requests().size();
    click(window, "resumeButton");
    REQUIRE(waitUntil([&] { return statusKind(window, kGoldMeans) == ModelStatus::Installed; }, 30000));
    const auto requests = server.requests();
    REQUIRE(requests.size() == before + 1);
    CHECK(requests.back().range == "bytes=" + std::to_string(partials[0].bytes) + "-");
    CHECK(requests.back().status == 206);
    const fs::path file = fs::path(store.storeDir()) / kGoldMeans.toStdString() / kGoldMeansFile;
    CHECK(test::readFile(file.string()) ==
          test::readFile(test::sharedPath(std::string("clocks/biolearn/") + kGoldMeansFile)));
    CHECK(hub::partialDownloads(store).empty());
}

TEST_CASE("Closing or destroying the manager mid-download cancels cleanly", "[ui][models][download]") {
    uiApp();
    test::resetSettings();
    TempDir dir;
    TestHttpServer server(sharedRoot());
    server.setThrottle(50 * 1000);
    ScopedEnv mirror("BENCHTOP_URL_MIRROR", server.baseUrl());
    ModelStore store = makeStore(dir, builtinCatalog());
    auto window = std::make_unique<ModelManagerWindow>(benchtop::workloads::builtinTasks(), store);
    window->show();
    window->startDownload(kGoldMeans);
    REQUIRE(waitUntil([&] { return window->tableModel()->row(kGoldMeans)->download.doneBytes > 0; }, 15000));

    SECTION("close") {
        window->close();
        CHECK_FALSE(window->isVisible());
        CHECK(window->runningDownloads() == 0);  // the worker has been joined
        CHECK(statusKind(*window, kGoldMeans) == ModelStatus::Partial);
    }
    SECTION("Escape") {
        QTest::keyClick(window.get(), Qt::Key_Escape);
        CHECK_FALSE(window->isVisible());
        CHECK(window->runningDownloads() == 0);
    }
    SECTION("destroy") {
        window.reset();
    }
    const auto served = server.fileBytesServed();
    QTest::qWait(400);
    CHECK(server.fileBytesServed() == served);  // nobody is downloading any more
    CHECK_FALSE(fs::exists(fs::path(store.storeDir()) / kGoldMeans.toStdString()));
    CHECK(store.installed().empty());
    window.reset();
}

TEST_CASE("Download errors show in the status column and name the file and host", "[ui][models][download]") {
    uiApp();
    test::resetSettings();
    TempDir dir;
    TestHttpServer server(sharedRoot());
    ModelStore store = makeStore(dir, builtinCatalog());
    std::optional<ScopedEnv> mirror;
    std::vector<std::string> expected;
    SECTION("not found") {
        server.setNotFound(true);
        mirror.emplace("BENCHTOP_URL_MIRROR", server.baseUrl());
        expected = {"Horvath1.csv: not found (HTTP 404) at " + server.baseUrl() + "/raw.githubusercontent.com/"};
    }
    SECTION("offline") {
        // A port nothing listens on: the server's own port after it is gone is not safe, so use port 9 (discard).
        mirror.emplace("BENCHTOP_URL_MIRROR", "http://127.0.0.1:9");
        expected = {"Horvath1.csv: could not reach 127.0.0.1:9", "benchtop-cli models import"};
    }
    SECTION("SHA-256 mismatch") {
        server.setWrongContent(true);
        mirror.emplace("BENCHTOP_URL_MIRROR", server.baseUrl());
        expected = {"Horvath1.csv: SHA-256 mismatch: expected "};
    }
    SECTION("stall") {
        server.stallAfter(1000, 10);
        mirror.emplace("BENCHTOP_URL_MIRROR", server.baseUrl());
        expected = {"Horvath1.csv: the download from 127.0.0.1:", "stalled: no data for 1 s"};
    }
    ModelManagerWindow window(benchtop::workloads::builtinTasks(), store);
    auto options = fastOptions();
    options.stallTimeoutSeconds = 1;
    options.maxRetries = 0;
    window.setDownloadOptions(options);
    window.show();
    QSignalSpy finished(&window, &ModelManagerWindow::downloadFinished);
    REQUIRE(window.selectModel(QStringLiteral("horvath2013")));
    click(window, "downloadButton");
    REQUIRE(waitUntil([&] { return finished.count() == 1; }, 20000));

    const QString status = statusOf(window, QStringLiteral("horvath2013"));
    CHECK(statusKind(window, QStringLiteral("horvath2013")) == ModelStatus::Failed);
    CHECK(status.startsWith(QStringLiteral("Failed: ")));
    for (const std::string& part : expected) {
        CHECK_THAT(status.toStdString(), ContainsSubstring(part));
        CHECK_THAT(window.messageText().toStdString(), ContainsSubstring(part));
    }
    CHECK_THAT(window.messageText().toStdString(), StartsWith("Horvath2013 could not be downloaded: "));
    CHECK(store.installed().empty());
    CHECK_FALSE(fs::exists(fs::path(store.storeDir()) / "horvath2013"));
    // The user can try again.
    CHECK((window.downloadAction()->isEnabled() || window.resumeAction()->isEnabled()));
}

TEST_CASE("Research-only and restricted models show their licence before downloading", "[ui][models][download]") {
    uiApp();
    test::resetSettings();
    TempDir dir;
    TestHttpServer server(sharedRoot());
    ScopedEnv endpoint("HF_ENDPOINT", server.baseUrl());
    const Catalog catalog = Catalog::parse(R"json({"models": [{
        "id": "tiny-bert-research", "task": "text", "family": "bert", "name": "Tiny BERT (research)",
        "source": {"type": "huggingface", "repo": "benchtop-test/tiny-bert-mean", "files": [{"path": "config.json"}]},
        "licence": "CC-BY-NC-4.0", "notes": "Random weights for tests.",
        "usage": {"research_only": true, "flags": ["commercial-use-needs-licence"]}}]})json",
                                           "test-catalog");
    ModelStore store = makeStore(dir, catalog);
    ModelManagerWindow window(benchtop::workloads::builtinTasks(), store);
    QStringList asked;
    bool answer = false;
    window.setConfirmHandler([&](const QString& title, const QString& text, const QString& accept) {
        asked << title + QLatin1Char('|') + accept + QLatin1Char('|') + text;
        return answer;
    });
    window.show();
    const QString id = QStringLiteral("tiny-bert-research");
    REQUIRE(window.selectModel(id));

    click(window, "downloadButton");
    REQUIRE(asked.size() == 1);
    CHECK(asked[0].startsWith(QStringLiteral("Licence — Tiny BERT (research)|Accept and Download|")));
    CHECK(asked[0].contains(QStringLiteral("is distributed under: CC-BY-NC-4.0.")));
    CHECK(asked[0].contains(QStringLiteral("Research use only")));
    CHECK(asked[0].contains(QStringLiteral("Commercial use needs a licence from the rights holder.")));
    CHECK(asked[0].contains(QStringLiteral("does not allow commercial use")));
    CHECK(asked[0].contains(QStringLiteral("Random weights for tests.")));
    // Declined: nothing was asked of the server.
    CHECK(window.runningDownloads() == 0);
    CHECK(server.requestCount() == 0);
    CHECK(statusKind(window, id) == ModelStatus::NotInstalled);

    SECTION("accepted") {
        answer = true;
        click(window, "downloadButton");
        CHECK(asked.size() == 2);
    }
    SECTION("notices turned off") {
        window.setConfirmLicences(false);
        click(window, "downloadButton");
        CHECK(asked.size() == 1);
    }
    REQUIRE(waitUntil([&] { return statusKind(window, id) == ModelStatus::Installed; }, 30000));
    const fs::path folder = fs::path(store.storeDir()) / id.toStdString();
    const fs::path source = test::sharedPath("models/tiny-bert-mean");
    for (const auto& entry : fs::recursive_directory_iterator(source)) {
        if (!entry.is_regular_file()) continue;
        const fs::path relative = fs::relative(entry.path(), source);
        INFO(relative.string());
        CHECK(test::readFile((folder / relative).string()) == test::readFile(entry.path().string()));
    }
}

TEST_CASE("Import… runs off the GUI thread and reports into the table and the message bar", "[ui][models][zip]") {
    uiApp();
    test::resetSettings();
    TempDir dir;
    ModelStore store = makeStore(dir, builtinCatalog());
    ModelManagerWindow window(benchtop::workloads::builtinTasks(), store);
    window.show();
    QSignalSpy imported(&window, &ModelManagerWindow::importFinished);

    writeZip(dir.file("bert.zip"), tinyBertEntries(QStringLiteral("tiny-bert-cls/")));
    window.importPath(QString::fromStdString(dir.file("bert.zip")));
    REQUIRE(waitUntil([&] { return imported.count() == 1; }, 20000));
    CHECK(imported.at(0).at(0).toString() == QStringLiteral("tiny-bert-cls"));
    CHECK(imported.at(0).at(1).toString().isEmpty());
    CHECK(statusKind(window, QStringLiteral("tiny-bert-cls")) == ModelStatus::Installed);
    CHECK(window.selectedId() == QStringLiteral("tiny-bert-cls"));
    CHECK(window.messageText() == QStringLiteral("bert.zip was imported into the store as tiny-bert-cls."));

    writeZip(dir.file("no-weights.zip"), tinyBertEntries(QStringLiteral("other-bert/"), "pytorch_model.bin"));
    window.importPath(QString::fromStdString(dir.file("no-weights.zip")));
    REQUIRE(waitUntil([&] { return imported.count() == 2; }, 20000));
    CHECK(imported.at(1).at(0).toString().isEmpty());
    CHECK_THAT(imported.at(1).at(1).toString().toStdString(), ContainsSubstring("pytorch_model.bin"));
    CHECK_THAT(window.messageText().toStdString(),
               ContainsSubstring("Import failed: " + dir.file("no-weights.zip") + ": not imported: no weights found"));
    CHECK(window.tableModel()->row(QStringLiteral("other-bert")) == nullptr);

    // A plain folder works too.
    window.importPath(QString::fromStdString(test::sharedPath("models/tiny-bert-mean")));
    REQUIRE(waitUntil([&] { return imported.count() == 3; }, 20000));
    CHECK(imported.at(2).at(0).toString() == QStringLiteral("tiny-bert-mean"));
    CHECK(statusKind(window, QStringLiteral("tiny-bert-mean")) == ModelStatus::Installed);
    CHECK(store.installed().size() == 2);
}

TEST_CASE("File › Models… opens one non-modal manager", "[ui][models]") {
    uiApp();
    test::resetSettings();
    TempDir dir;
    ScopedEnv storeDir("BENCHTOP_MODELS_DIR", dir.file("store"));
    ScopedEnv hfCache("HF_HUB_CACHE", dir.file("hf"));
    ScopedEnv catalogPath("BENCHTOP_CATALOG", BENCHTOP_TEST_CATALOG);
    engine::Engine engine{engine::TaskRegistry{}};
    ui::MainWindow main(engine);
    main.show();

    auto* action = main.findChild<QAction*>(QStringLiteral("modelsAction"));
    REQUIRE(action);
    CHECK(action->shortcut() == QKeySequence(QStringLiteral("Ctrl+M")));
    CHECK(action->text() == QStringLiteral("&Models…"));
    const QList<QAction*> menus = main.menuBar()->actions();
    REQUIRE_FALSE(menus.isEmpty());
    CHECK(menus.first()->menu()->actions().contains(action));
    auto* toolbar = main.findChild<QToolBar*>(QStringLiteral("mainToolbar"));
    REQUIRE(toolbar);
    CHECK(toolbar->actions().contains(action));

    action->trigger();
    action->trigger();
    const auto managers = main.findChildren<ModelManagerWindow*>();
    REQUIRE(managers.size() == 1);
    ModelManagerWindow* manager = managers.first();
    CHECK(manager->isVisible());
    CHECK_FALSE(manager->isModal());
    CHECK(manager->store().storeDir() == dir.file("store"));
    CHECK(manager->tableModel()->row(QStringLiteral("whisper-tiny")) != nullptr);
    manager->close();
    action->trigger();
    CHECK(main.findChildren<ModelManagerWindow*>().size() == 1);
    CHECK(manager->isVisible());
}

// Not a check: renders the manager in a lived-in state for docs/screenshots/model-manager.png. Run with
//   BENCHTOP_SCREENSHOT=docs/screenshots/model-manager.png test_ui_models "[screenshot]"
TEST_CASE("Screenshot of the model manager", "[.][screenshot]") {
    const char* output = std::getenv("BENCHTOP_SCREENSHOT");
    if (!output) FAIL("set BENCHTOP_SCREENSHOT to the PNG to write");
    uiApp();
    test::resetSettings();
    TempDir dir;
    TestHttpServer server(sharedRoot());
    ScopedEnv mirror("BENCHTOP_URL_MIRROR", server.baseUrl());
    ModelStore store = makeStore(dir, builtinCatalog());
    store.importFolder(test::sharedPath(kTinyBert), "tiny-bert-cls");
    addToHfCache(dir.file("hf"), "benchtop-test/tiny-bert-mean", test::sharedPath("models/tiny-bert-mean"));

    ModelManagerWindow window(benchtop::workloads::builtinTasks(), store);
    window.setConfirmLicences(false);
    window.setDownloadOptions(fastOptions());
    window.resize(1320, 700);
    window.show();
    auto downloadAndWait = [&](const QString& id) {
        window.startDownload(id);
        REQUIRE(waitUntil([&] { return window.runningDownloads() == 0; }, 30000));
    };
    downloadAndWait(QStringLiteral("horvath2013"));
    downloadAndWait(QStringLiteral("hannum2013"));
    server.setNotFound(true);
    downloadAndWait(QStringLiteral("zhangen2019"));
    server.setNotFound(false);
    server.setThrottle(20 * 1000);
    window.startDownload(QStringLiteral("phenoage2018"));
    REQUIRE(
        waitUntil([&] { return window.tableModel()->row(QStringLiteral("phenoage2018"))->download.doneBytes > 5000; }));
    window.cancelDownload(QStringLiteral("phenoage2018"));
    REQUIRE(waitUntil([&] { return window.runningDownloads() == 0; }));
    REQUIRE(window.selectModel(QStringLiteral("tiny-bert-cls")));
    window.useAction()->trigger();

    server.setThrottle(150 * 1000);
    window.startDownload(kGoldMeans);
    window.tableView()->sortByColumn(ModelTableModel::StatusColumn, Qt::AscendingOrder);
    REQUIRE(window.selectModel(kGoldMeans));
    REQUIRE(waitUntil([&] {
        const ModelRow* row = window.tableModel()->row(kGoldMeans);
        return row->download.doneBytes * 100 > row->download.totalBytes * 42;
    }));
    QTest::qWait(200);
    REQUIRE(window.grab().save(QString::fromLocal8Bit(output)));
    window.cancelAllDownloads();
}
