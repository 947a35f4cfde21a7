// `benchtop-cli models ...`: list, pull, import, remove and verify models (core/hub).
#include "app/cli/models_command.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/common/error.h"
#include "core/hub/catalog.h"
#include "core/hub/downloader.h"
#include "core/hub/licence_notices.h"
#include "core/hub/model_store.h"
#include "core/hub/store_status.h"
#include "core/hub/zip_import.h"
#include "core/methyl/cpgpt_predictor.h"

#ifdef _WIN32
#include <io.h>
#define BENCHTOP_ISATTY(fd) _isatty(fd)
#else
#include <unistd.h>
#define BENCHTOP_ISATTY(fd) isatty(fd)
#endif

namespace benchtop::cli {
namespace {

using hub::LocalModel;
using hub::ModelLocation;

struct ModelsOptions {
    std::string storeDir;
    bool json = false;
    std::string ref;
    std::string path;
    std::string id;
    bool move = false;
    int stallSeconds = 30;
    std::string dependencies;  // import-cpgpt
    std::string name;
};

std::string humanBytes(std::uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    return buffer;
}

std::string humanSeconds(double seconds) {
    if (seconds < 0) return "?";
    const long s = static_cast<long>(seconds + 0.5);
    char buffer[32];
    if (s >= 3600)
        std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else if (s >= 60)
        std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%lds", s);
    return buffer;
}

/// The catalog when it can be found; a missing catalog still lets the store and HF cache be used.
hub::Catalog loadCatalog() {
    try {
        return hub::Catalog::loadDefault();
    } catch (const Error& e) {
        std::fprintf(stderr, "warning: %s\n", e.what());
        return {};
    }
}

hub::ModelStore makeStore(const ModelsOptions& options) {
    hub::ModelStore store(loadCatalog());
    if (!options.storeDir.empty()) store.setStoreDir(options.storeDir);
    return store;
}

int runList(const ModelsOptions& options) {
    const auto store = makeStore(options);
    struct Row {
        std::string id, name, task, family, repo, status, location, path, problem, licence;
        std::uint64_t bytes = 0;
        bool researchOnly = false;
        std::vector<std::string> flags;
    };
    // The join of catalog, store, bundled clock tables and HF cache is core's, shared with the model manager.
    std::vector<Row> rows;
    for (const hub::ModelListing& listing : hub::listModels(store)) {
        if (!listing.entry && !listing.local) continue;  // an unfinished pull of a model outside the catalog
        Row row;
        if (listing.entry) {
            const auto& e = *listing.entry;
            row.id = e.id;
            row.name = e.displayName;
            row.task = e.task;
            row.family = hub::toString(e.family);
            row.repo = e.repo;
            row.status = "not downloaded";
            row.licence = e.licence;
            row.bytes = e.sizeBytes;
            row.researchOnly = e.researchOnly;
            row.flags = e.usageFlags;
        } else {
            const LocalModel& m = *listing.local;
            row.id = m.id;
            row.name = m.id;
            row.task = hub::taskOf(m.validation.family);
            row.family = hub::toString(m.validation.family);
            row.repo = m.repo;
        }
        if (listing.local) {
            const LocalModel& m = *listing.local;
            row.status = m.validation.ok ? "ready" : "broken";
            row.location = hub::toString(m.location);
            row.path = m.path;
            row.problem = m.validation.problem;
            row.bytes = m.bytes;
        }
        rows.push_back(row);
    }

    if (options.json) {
        nlohmann::json out;
        out["store"] = store.storeDir();
        out["hf_cache"] = store.hfCacheDirs();
        out["bundled_clocks"] = store.bundledClocksDir();
        out["catalog"] = store.catalog().origin();
        nlohmann::json list = nlohmann::json::array();
        for (const auto& r : rows) {
            list.push_back({{"id", r.id},
                            {"name", r.name},
                            {"task", r.task},
                            {"family", r.family},
                            {"repo", r.repo},
                            {"status", r.status},
                            {"location", r.location},
                            {"path", r.path},
                            {"problem", r.problem},
                            {"bytes", r.bytes},
                            {"licence", r.licence},
                            {"research_only", r.researchOnly},
                            {"usage_flags", r.flags}});
        }
        out["models"] = list;
        std::cout << out.dump(2) << std::endl;
        return kExitOk;
    }
    std::cout << "Store:    " << store.storeDir() << "\n";
    for (const auto& dir : store.hfCacheDirs()) std::cout << "HF cache: " << dir << " (read-only)\n";
    if (!store.bundledClocksDir().empty()) std::cout << "Bundled:  " << store.bundledClocksDir() << " (clock tables)\n";
    std::cout << "\n";
    std::printf("%-34s %-12s %-12s %10s  %-15s %s\n", "ID", "TASK", "FAMILY", "SIZE", "STATUS", "WHERE");
    for (const auto& r : rows) {
        std::string status = r.location == "bundled" && r.status == "ready" ? std::string("bundled") : r.status;
        if (r.researchOnly) status += "*";
        std::printf("%-34s %-12s %-12s %10s  %-15s %s\n", r.id.c_str(), r.task.c_str(), r.family.c_str(),
                    r.bytes ? humanBytes(r.bytes).c_str() : "?", status.c_str(), r.path.empty() ? "" : r.path.c_str());
        if (!r.problem.empty()) std::printf("%-34s   %s\n", "", r.problem.c_str());
    }
    std::cout << "\n* research use only. Get a model with `benchtop-cli models pull ID`.\n";
    return kExitOk;
}

std::atomic<hub::Downloader*> g_activeDownload{nullptr};

extern "C" void onModelsSigint(int) {
    if (auto* d = g_activeDownload.load()) d->cancel();
}

int runPull(const ModelsOptions& options) {
    auto store = makeStore(options);
    hub::DownloadOptions downloadOptions;
    downloadOptions.stallTimeoutSeconds = options.stallSeconds;
    hub::Downloader downloader(store, downloadOptions);
    const bool tty = BENCHTOP_ISATTY(2);
    bool lineOpen = false;
    double lastPlain = -10;
    downloader.setProgressCallback([&](const hub::DownloadProgress& p) {
        char line[512];
        std::snprintf(
            line, sizeof line, "%s [%d/%d] %s  %s / %s  %s/s  ETA %s", p.modelId.c_str(), p.fileIndex + 1, p.fileCount,
            p.file.c_str(), humanBytes(p.modelBytes).c_str(), p.modelTotal ? humanBytes(p.modelTotal).c_str() : "?",
            humanBytes(static_cast<std::uint64_t>(p.bytesPerSecond)).c_str(), humanSeconds(p.modelEtaSeconds).c_str());
        if (tty) {
            std::fprintf(stderr, "\r\033[K%s", line);
            lineOpen = true;
        } else {
            // Pipes and CI logs: a line per finished file, or every few seconds.
            const double now =
                std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
            if (p.fileDone || now - lastPlain > 5) {
                std::fprintf(stderr, "%s\n", line);
                lastPlain = now;
            }
        }
    });
    // The model's terms first, as the model manager asks before it downloads.
    const hub::CatalogEntry* entry = store.catalog().find(options.ref);
    if (!entry) entry = store.catalog().findByRepo(options.ref);
    if (entry)
        if (const std::string notice = hub::licenceNoticeText(*entry); !notice.empty())
            std::fprintf(stderr, "%s\n", notice.c_str());
    g_activeDownload = &downloader;
    auto previous = std::signal(SIGINT, onModelsSigint);
    int code = kExitOk;
    try {
        const auto path = downloader.pull(options.ref);
        if (lineOpen) std::fprintf(stderr, "\n");
        std::cout << path << std::endl;
    } catch (const CancelledError&) {
        if (lineOpen) std::fprintf(stderr, "\n");
        std::fprintf(stderr, "cancelled; run the same pull again to resume.\n");
        code = kExitCancelled;
    } catch (const Error& e) {
        if (lineOpen) std::fprintf(stderr, "\n");
        std::fprintf(stderr, "error: %s\n", e.what());
        code = kExitJobFailed;
    }
    std::signal(SIGINT, previous);
    g_activeDownload = nullptr;
    return code;
}

int runImport(const ModelsOptions& options) {
    auto store = makeStore(options);
    // A .zip goes through the same checked extraction as the window's Import… (core/hub/zip_import).
    std::error_code ec;
    const bool zip = std::filesystem::is_regular_file(options.path, ec);
    const auto model = zip ? hub::importModelZip(store, options.path, options.id)
                           : store.importFolder(options.path, options.id, options.move);
    std::fprintf(stderr, "imported %s (%s, %s)\n", model.id.c_str(), hub::toString(model.validation.family).c_str(),
                 humanBytes(model.bytes).c_str());
    std::cout << model.path << std::endl;
    return kExitOk;
}

/// The output declaration of catalog entry `id` (details.outputs_default, details.outputs), and its CpGPT model
/// name (details.model_name).
methyl::CpgptOutputDeclaration catalogCpgptOutputs(const hub::ModelStore& store, const std::string& id,
                                                   std::string* modelName) {
    const hub::CatalogEntry* entry = store.catalog().find(id);
    if (!entry || entry->family != hub::ModelFamily::Cpgpt) return {};
    const auto text = [&](const char* key) {
        const auto it = entry->extra.find(key);
        return it == entry->extra.end() ? std::string() : it->second;
    };
    if (modelName && modelName->empty()) *modelName = text("model_name");
    return methyl::parseCpgptOutputDeclaration(text("outputs_default"), text("outputs"), "catalog entry " + id);
}

int runImportCpgpt(const ModelsOptions& options) {
    const auto store = makeStore(options);
    // A catalog id (downloaded with `models pull`) or a folder.
    std::string source = options.path;
    std::string name = options.name;
    std::string id = options.id;
    if (!std::filesystem::is_directory(std::filesystem::u8path(source))) {
        const auto local = store.find(source);
        if (!local)
            throw Error(source,
                        "is neither a folder nor a downloaded model (get it with `benchtop-cli models "
                        "pull " +
                            source + "`).");
        if (id.empty()) id = source + "-imported";
        catalogCpgptOutputs(store, source, &name);
        source = local->path;
    }
    if (name.empty()) name = std::filesystem::u8path(source).filename().u8string();
    if (id.empty()) id = "cpgpt-" + name;
    const std::string target = (std::filesystem::u8path(store.storeDir()) / std::filesystem::u8path(id)).u8string();
    // The catalog's declaration of the outputs (transforms, units), under the store id or the pulled entry's id.
    methyl::CpgptOutputDeclaration outputs = catalogCpgptOutputs(store, id, nullptr);
    if (!outputs.given && source != options.path) outputs = catalogCpgptOutputs(store, options.path, nullptr);
    std::fprintf(stderr,
                 "CpGPT is MIT-licensed with one restriction: no use in competitions with prizes on aging biomarkers "
                 "or longevity. Its DNA embeddings come from InstaDeep's Nucleotide Transformer, whose weights are "
                 "licensed for non-commercial use (CC BY-NC-SA 4.0). See docs/cpgpt.md.\n");
    const methyl::CpgptImport imported = methyl::importCpgptModel(source, name, options.dependencies, target, outputs);
    std::fprintf(stderr, "imported %s: %zu of %zu input CpGs placed with a DNA embedding, %zu outputs\n", id.c_str(),
                 imported.locus.embedded, imported.locus.requested, imported.outputs.size());
    if (!imported.locus.missing.empty())
        std::fprintf(stderr, "%zu CpGs have no location or embedding and count as unmeasured (first: %s)\n",
                     imported.locus.missing.size(), imported.locus.missing.front().c_str());
    std::cout << imported.folder << std::endl;
    return kExitOk;
}

int runRemove(const ModelsOptions& options) {
    auto store = makeStore(options);
    store.remove(options.ref);
    std::fprintf(stderr, "removed %s from %s\n", options.ref.c_str(), store.storeDir().c_str());
    return kExitOk;
}

int runVerify(const ModelsOptions& options) {
    const auto store = makeStore(options);
    const auto model = store.find(options.ref);
    const auto result = store.verify(options.ref);  // throws "not downloaded: ..." when absent
    if (!result.ok) {
        std::fprintf(stderr, "broken: %s\n", result.problem.c_str());
        return kExitJobFailed;
    }
    if (model && model->location == ModelLocation::Bundled && !result.files.empty()) {
        std::cout << "ok: " << (std::filesystem::path(model->path) / result.files.front()).string()
                  << " (clock table bundled with Benchtop, SHA-256 as in the catalog)" << std::endl;
        return kExitOk;
    }
    std::cout << "ok: " << (model ? model->path : options.ref) << " (" << hub::toString(result.family) << ", "
              << result.files.size() << " files)" << std::endl;
    return kExitOk;
}

void wrap(CLI::App* cmd, const std::shared_ptr<ModelsOptions>& options, int (*run)(const ModelsOptions&)) {
    setCommandAction(*cmd, [options, run] { return run(*options); });
}

}  // namespace

void addModelsCommand(CLI::App& app) {
    auto options = std::make_shared<ModelsOptions>();
    auto* models = app.add_subcommand(
        "models",
        "List, download, import and remove models.\nEnvironment: BENCHTOP_MODELS_DIR (store), HF_HUB_CACHE / HF_HOME "
        "(Hugging Face cache, read-only), HF_ENDPOINT (hub mirror), HF_TOKEN (gated/private repos), "
        "BENCHTOP_URL_MIRROR (mirror for plain URLs), BENCHTOP_CATALOG (catalog file), BENCHTOP_BUNDLED_CLOCKS_DIR "
        "(clock tables shipped with Benchtop).");
    models->require_subcommand(1);
    models->add_option("--store", options->storeDir,
                       "Model store folder (default: BENCHTOP_MODELS_DIR or the user data folder)");

    auto* list = models->add_subcommand(
        "list", "Catalog models, models in the store and in the Hugging Face cache, with status");
    list->add_flag("--json", options->json, "Machine-readable output");
    wrap(list, options, runList);

    auto* pull = models->add_subcommand(
        "pull",
        "Download a catalog model or any Hugging Face repo (org/name[@revision]); prints its folder. A bundled clock "
        "table is downloaded into the store, which is used in its place from then on");
    pull->add_option("id", options->ref, "Catalog id or Hugging Face repo id")->required();
    pull->add_option("--stall-timeout", options->stallSeconds,
                     "Give up an attempt after this many seconds without data");
    wrap(pull, options, runPull);

    auto* import = models->add_subcommand("import", "Copy a model folder or .zip into the store after checking it");
    import
        ->add_option("path", options->path,
                     "Model folder (Hugging Face layout, or a folder of clock tables), or a .zip of one")
        ->required();
    import->add_option("--id", options->id, "Name in the store (default: the folder or archive name)");
    import->add_flag("--move", options->move, "Move instead of copy");
    wrap(import, options, runImport);

    auto* importCpgpt = models->add_subcommand(
        "import-cpgpt",
        "Make a CpGPT model from its files and CpGPT's dependencies folder: copies config, weights and vocab into the "
        "store and extracts the DNA embeddings of the model's CpGs (a run never reads the big file)");
    importCpgpt
        ->add_option("path", options->path,
                     "CpGPT model folder (flat, or as CpGPT's download lays it out), or a pulled catalog id")
        ->required();
    importCpgpt->add_option("--dependencies", options->dependencies, "CpGPT's human dependencies folder")->required();
    importCpgpt->add_option("--name", options->name, "Model name in CpGPT's layout (age_cot, cancer, ...)");
    importCpgpt->add_option("--id", options->id, "Name in the store (default: cpgpt-<name>)");
    wrap(importCpgpt, options, runImportCpgpt);

    auto* rm = models->add_subcommand("rm", "Delete a model from the store (never from the Hugging Face cache)");
    rm->add_option("id", options->ref, "Catalog id, repo id or store name")->required();
    wrap(rm, options, runRemove);

    auto* verify = models->add_subcommand("verify", "Check a model's files and SHA-256 digests");
    verify->add_option("id", options->ref, "Catalog id, repo id, store name or folder")->required();
    wrap(verify, options, runVerify);
}

}  // namespace benchtop::cli
