#include "core/methyl/methylation_task.h"

#include "core/common/strings.h"
#include "core/hub/catalog.h"
#include "core/hub/downloader.h"
#include "core/hub/model_store.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <map>

#include "core/common/error.h"
#include "core/engine/shard.h"
#include "core/methyl/beta_matrix.h"
#include "core/methyl/clock_engine.h"
#include "core/methyl/clock_library.h"
#include "core/methyl/cpgpt_predictor.h"
#include "core/methyl/predictions_parts.h"
#include "core/methyl/predictions_writer.h"
#include "core/methyl/predictor_bundle.h"
#include "core/methyl/sample_sheet.h"

namespace benchtop::methyl {
namespace {

MValueMode parseMValues(const std::string& text) {
    const std::string t = toLowerAscii(text);
    if (t.empty() || t == "false" || t == "no" || t == "0" || t == "off") return MValueMode::Reject;
    if (t == "true" || t == "yes" || t == "1" || t == "auto" || t == "on") return MValueMode::Auto;
    if (t == "always" || t == "declared") return MValueMode::Always;
    throw Error("mvalues", "unknown value '" + text + "'; use false, true (detect and convert) or always");
}

double parseCoverage(const std::string& text) {
    if (text.empty()) return 0.8;
    double v = 0;
    std::string t = text;
    bool pct = !t.empty() && t.back() == '%';
    if (pct) t.pop_back();
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (r.ec != std::errc() || r.ptr != t.data() + t.size())
        throw Error("min-coverage", "'" + text + "' is not a number; use a fraction such as 0.8");
    if (pct || v > 1.0) v /= 100.0;
    if (v < 0 || v > 1) throw Error("min-coverage", "'" + text + "' is outside 0..1");
    return v;
}

/// True when the job's model is a predictor (a TorchScript bundle or a CpGPT model: folder, .zip or model-store
/// id) rather than a folder of clock tables.
bool modelIsBundle(const engine::JobSpec& spec) {
    namespace fs = std::filesystem;
    if (spec.model.empty()) return false;
    if (looksLikeBundle(spec.model) || isCpgptFolder(spec.model)) return true;
    std::error_code ec;
    if (fs::exists(spec.model, ec)) return false;
    try {
        if (!findCpgptFolder(spec.model).empty()) return true;
        resolveBundlePath(spec.model);
        return true;
    } catch (const Error&) {
        return false;  // not a bundle id: the model reference keeps its old meaning (ignored unless a folder)
    }
}

/// Predictor bundles of the job: the model when it is a bundle, then the "predictors" option (comma list).
std::vector<std::string> bundleRefs(const engine::JobSpec& spec) {
    std::vector<std::string> refs;
    if (modelIsBundle(spec)) refs.push_back(spec.model);
    const std::string list = spec.option("predictors");
    std::size_t pos = 0;
    while (pos <= list.size()) {
        std::size_t end = list.find(',', pos);
        if (end == std::string::npos) end = list.size();
        std::string item = list.substr(pos, end - pos);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) refs.push_back(item);
        pos = end + 1;
    }
    return refs;
}

/// The folder given for the clock tables (model path, clocks-dir option, BENCHTOP_CLOCKS_DIR), or "".
std::string clocksFolder(const engine::JobSpec& spec) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!spec.model.empty() && fs::is_directory(spec.model, ec) && !looksLikeBundle(spec.model)) return spec.model;
    const std::string opt = spec.option("clocks-dir");
    if (!opt.empty()) return opt;
    if (const char* env = std::getenv("BENCHTOP_CLOCKS_DIR"); env && *env) return env;
    return {};
}

/// The "csv-bom" option: predictions.csv starts with a UTF-8 byte order mark (for Excel).
bool csvByteOrderMark(const engine::JobSpec& spec) {
    const std::string v = toLowerAscii(spec.option("csv-bom"));
    return v == "true" || v == "1" || v == "yes" || v == "on";
}

constexpr const char* kGoldMeansTable = "biolearn/DunedinPACE_Gold_Means.csv";
constexpr const char* kGoldstandard2Table = "reference/Horvath2013_goldstandard2.csv";

std::string joined(const std::vector<std::string>& items, const std::string& separator = ", ") {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : separator) + item;
    return text;
}

/// Finds the catalog's clock tables for one job, each from the first place that has it: the model store, the
/// tables bundled with Benchtop, then a download into the store. Remembers where each came from and why a
/// table could not be had.
class CatalogTables {
public:
    /// `named`: the user asked for these clocks by name, so a download gets the usual retries.
    CatalogTables(engine::TaskContext& ctx, bool named)
        : m_store(hub::Catalog::loadDefault()), m_ctx(ctx), m_named(named) {}

    /// The readable file of table `relative` ("biolearn/Hannum.csv"), or "" (see problem()).
    std::string get(const std::string& relative) {
        if (const auto it = m_found.find(relative); it != m_found.end()) return it->second;
        std::string& file = m_found[relative];
        const hub::CatalogEntry* entry = m_store.catalog().findClockTable(relative);
        if (!entry) {
            m_problems[relative] = "no catalog entry provides the table " + relative;
            return file;
        }
        if (auto local = m_store.findClockTable(entry->id)) {
            ++m_origins[local->location];
            return file = local->file;
        }
        if (m_downloadFailed && !m_named) {
            // Offline, every further attempt would fail the same way, after its own timeouts.
            m_problems[relative] = "not downloaded: " + m_firstDownloadError;
            return file;
        }
        try {
            m_ctx.log("downloading the " + entry->displayName + " coefficient table from the catalog");
            hub::DownloadOptions options;
            if (!m_named) options.maxRetries = 1;
            hub::Downloader downloader(m_store, options);
            downloader.pull(entry->id);
            if (auto local = m_store.findClockTable(entry->id)) {
                ++m_downloaded;
                return file = local->file;
            }
            m_problems[relative] = "the download of " + entry->id + " holds no " + hub::clockTableFile(*entry);
        } catch (const CancelledError&) {
            throw;
        } catch (const std::exception& e) {
            m_problems[relative] = e.what();
            if (!m_downloadFailed) m_firstDownloadError = e.what();
            m_downloadFailed = true;
        }
        return file;
    }

    const std::string& problem(const std::string& relative) { return m_problems[relative]; }
    const hub::ModelStore& store() const { return m_store; }
    const std::map<std::string, std::string>& found() const { return m_found; }

    /// "clock tables: 45 bundled with Benchtop, 2 from the model store"
    std::string originsNote() const {
        std::vector<std::string> parts;
        const auto count = [&](hub::ModelLocation location) {
            const auto it = m_origins.find(location);
            return it == m_origins.end() ? 0 : it->second;
        };
        if (int n = count(hub::ModelLocation::Bundled)) parts.push_back(std::to_string(n) + " bundled with Benchtop");
        if (int n = count(hub::ModelLocation::Store)) parts.push_back(std::to_string(n) + " from the model store");
        if (m_downloaded) parts.push_back(std::to_string(m_downloaded) + " downloaded into the model store");
        return parts.empty() ? std::string() : "clock tables: " + joined(parts);
    }

private:
    hub::ModelStore m_store;
    engine::TaskContext& m_ctx;
    bool m_named = false;
    std::map<std::string, std::string> m_found;     ///< relative path -> file ("" when it cannot be had)
    std::map<std::string, std::string> m_problems;  ///< relative path -> why not
    std::map<hub::ModelLocation, int> m_origins;
    int m_downloaded = 0;
    bool m_downloadFailed = false;
    std::string m_firstDownloadError;
};

/// The selected clocks with tables from the catalog (CatalogTables). A clock the user named fails the job when
/// its table cannot be had; with the default selection (every clock) it is left out and a note names it, so a
/// machine without network still computes every clock whose table is here.
ClockLibrary loadClocksFromCatalog(const std::vector<std::string>& ids, bool named, engine::TaskContext& ctx,
                                   std::vector<std::string>& notes, std::vector<std::string>& missing) {
    CatalogTables tables(ctx, named);
    std::vector<std::string> usable;
    std::string firstProblem;
    bool needsGoldstandard2 = false;
    for (const auto& id : ids) {
        const ClockDefinition* d = findClockDefinition(id);
        if (!d) throw Error("clocks", "unknown clock '" + id + "'");
        std::vector<std::string> needed = {d->file};
        if (d->kind == ClockKind::DunedinPace || d->reference == Reference::DunedinGoldMeans)
            needed.push_back(kGoldMeansTable);
        std::string problem;
        for (const auto& relative : needed) {
            if (tables.get(relative).empty()) {
                problem = tables.problem(relative);
                break;
            }
        }
        if (problem.empty()) {
            usable.push_back(d->id);
            needsGoldstandard2 |= d->reference == Reference::Goldstandard2;
        } else if (named) {
            throw Error(d->id, "its coefficient table is neither in the model store (" + tables.store().storeDir() +
                                   ") nor bundled with Benchtop, and " + problem);
        } else {
            missing.push_back(d->id);
            if (firstProblem.empty()) firstProblem = problem;
        }
    }
    if (usable.empty()) throw Error("clocks", "no clock table is available: " + firstProblem);
    if (needsGoldstandard2 && tables.get(kGoldstandard2Table).empty()) {
        const std::string note = "Horvath goldstandard2 reference values unavailable (" +
                                 tables.problem(kGoldstandard2Table) + "); no imputation from them";
        ctx.log(note);
        notes.push_back(note);
    }
    if (const auto origins = tables.originsNote(); !origins.empty()) {
        ctx.log(origins);
        notes.push_back(origins);
    }
    if (!missing.empty()) {
        const std::string note =
            std::to_string(missing.size()) + (missing.size() == 1 ? " clock" : " clocks") + " not computed because " +
            (missing.size() == 1 ? "its table needs" : "their tables need") + " a download (" + firstProblem +
            "): " + joined(missing) + ". Get them with `benchtop-cli models pull ID` or File > Models > Download.";
        ctx.log(note);
        notes.push_back(note);
    }
    // The library keeps the locator (it may look a reference table up again): give it the resolved paths only.
    auto found = tables.found();
    auto locate = [found](const std::string& relative) -> std::string {
        const auto it = found.find(relative);
        return it == found.end() ? std::string() : it->second;
    };
    return ClockLibrary::load(
        locate, usable,
        "the model store and the clock tables bundled with Benchtop (" + tables.store().bundledClocksDir() + ")");
}

/// The values of samples [first, end) of a result over every sample.
void keepSamples(ClockResult& r, std::size_t first, std::size_t end) {
    const auto cut = [&](auto& v) {
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(end), v.end());
        v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(first));
    };
    cut(r.values);
    cut(r.present);
    cut(r.imputed);
    cut(r.reasons);
}

/// The matrix of samples [first, end) only (every CpG row).
BetaMatrix samplesOf(const BetaMatrix& m, std::size_t first, std::size_t end) {
    BetaMatrix sub;
    sub.cpgs = m.cpgs;
    sub.index = m.index;
    sub.report = m.report;
    sub.samples.assign(m.samples.begin() + static_cast<std::ptrdiff_t>(first),
                       m.samples.begin() + static_cast<std::ptrdiff_t>(end));
    const std::size_t n = end - first;
    sub.values.resize(m.rows() * n);
    for (std::size_t r = 0; r < m.rows(); ++r)
        std::copy(m.values.begin() + static_cast<std::ptrdiff_t>(r * m.cols() + first),
                  m.values.begin() + static_cast<std::ptrdiff_t>(r * m.cols() + end),
                  sub.values.begin() + static_cast<std::ptrdiff_t>(r * n));
    return sub;
}

class MethylationTask final : public engine::Task {
public:
    explicit MethylationTask(engine::JobSpec spec) : m_spec(std::move(spec)), m_shard(engine::shardOf(m_spec)) {}

    engine::BatchLimits batchLimits() const override {
        // Cohort-level steps (DunedinPACE row means, age regression) need every sample in one batch.
        engine::BatchLimits l;
        l.unitBudget = std::numeric_limits<std::int64_t>::max() / 4;
        l.maxItems = std::numeric_limits<std::size_t>::max() / 4;
        l.sortWindow = 0;
        return l;
    }

    void load(engine::TaskContext& ctx) override {
        // Bundles load on the device thread, before the matrix is read: their CpGs decide what the reader keeps.
        const std::string device = ctx.device().device.id.empty() ? "cpu" : ctx.device().device.id;
        for (const auto& ref : bundleRefs(m_spec)) {
            if (ctx.cancelled()) throw CancelledError();
            if (const std::string folder = findCpgptFolder(ref); !folder.empty()) {
                loadCpgpt(ctx, folder, device);
                continue;
            }
            PredictorBundle bundle = PredictorBundle::load(resolveBundlePath(ref), device);
            for (const auto& out : bundle.outputClocks()) {
                for (const auto& seen : m_bundleClocks)
                    if (toLowerAscii(seen.def.id) == toLowerAscii(out.def.id))
                        throw Error(bundle.path(), "output '" + out.def.id + "' is also an output of " + seen.def.file +
                                                       "; output names must be unique in a job");
                m_bundleClocks.push_back(out);
            }
            ctx.log("predictor bundle '" + bundle.manifest().name + "': " + std::to_string(bundle.cpgs().size()) +
                    " CpGs, " + std::to_string(bundle.manifest().outputs.size()) + " outputs, on " + device);
            m_bundles.push_back(std::move(bundle));
        }
    }

    void unload(engine::TaskContext& ctx) override {
        m_bundles.clear();
        m_cpgpt.clear();
    }

    void read(engine::TaskContext& ctx, const std::function<void(engine::Item&&)>& emit) override {
        if (m_spec.inputs.empty()) throw Error("methylation", "no input file");
        if (m_spec.inputs.size() > 1)
            throw Error("methylation", "one beta matrix per job: submit one job per file (got " +
                                           std::to_string(m_spec.inputs.size()) + " files)");
        m_options.minCoverage = parseCoverage(m_spec.option("min-coverage"));
        m_options.imputation = parseImputation(m_spec.option("imputation"));
        const std::string zs = toLowerAscii(m_spec.option("zhang-scaling"));
        m_options.zhang = (zs == "clock_probes" || zs == "clock") ? ZhangScaling::ClockProbes : ZhangScaling::AllProbes;
        // A bundle given as the model runs alone unless clocks are asked for; "none" runs no clock.
        const std::string clocksOpt = m_spec.option("clocks");
        const bool noClocks = toLowerAscii(clocksOpt) == "none" || (clocksOpt.empty() && modelIsBundle(m_spec));
        if (noClocks && m_bundles.empty() && m_cpgpt.empty())
            throw Error("clocks", "no clock selected and no predictor bundle given: nothing to compute");
        if (!noClocks) {
            const bool named = !clocksOpt.empty() && toLowerAscii(clocksOpt) != "all";
            const auto clockIds = ClockLibrary::parseClockList(named ? clocksOpt : "all");
            const std::string folder = clocksFolder(m_spec);
            m_library = folder.empty() ? loadClocksFromCatalog(clockIds, named, ctx, m_notes, m_notComputed)
                                       : ClockLibrary::load(folder, clockIds);
        }
        for (const auto& c : m_bundleClocks)
            if (m_library.find(c.def.id))
                throw Error(c.def.file, "output '" + c.def.id + "' has the name of a selected clock; rename it");
        if (ctx.cancelled()) throw CancelledError();

        ReadOptions ro;
        ro.mvalues = parseMValues(m_spec.option("mvalues"));
        auto keep = std::make_shared<ProbeIndex>(*m_library.requiredProbes());
        for (const auto& bundle : m_bundles)
            for (const auto& id : bundle.cpgs()) keep->add(id);
        for (const auto& model : m_cpgpt)
            for (const auto& id : model.model->vocab().input) keep->add(id);
        ro.keep = std::move(keep);
        ro.computeMoments = m_library.needsSampleMoments() && m_options.zhang == ZhangScaling::AllProbes;
        // Parsing scales with cores: as many parser threads as the job's compute threads (at least two).
        ro.threads = m_spec.threads > 0 ? m_spec.threads : std::max(2, ctx.device().threads);
        m_matrix = readBetaMatrix(m_spec.inputs.front(), ro);
        for (const auto& n : m_matrix.report.notes) {
            ctx.log(n);
            m_notes.push_back(n);
        }
        if (ctx.cancelled()) throw CancelledError();

        const std::string sheetPath = m_spec.option("sample-sheet");
        if (!sheetPath.empty()) {
            const SampleSheet sheet = readSampleSheet(sheetPath);
            const SheetMatch match = applySampleSheet(sheet, m_matrix.samples);
            std::string msg = "sample sheet: " + std::to_string(match.matched) + " of " +
                              std::to_string(sheet.rows.size()) + " rows matched";
            if (!match.unmatchedRows.empty()) {
                msg += "; unmatched rows: ";
                for (std::size_t i = 0; i < match.unmatchedRows.size(); ++i)
                    msg += (i ? "; " : "") + match.unmatchedRows[i];
            }
            if (!match.samplesWithoutRow.empty())
                msg += "; " + std::to_string(match.samplesWithoutRow.size()) + " samples have no sheet row";
            ctx.log(msg);
            m_notes.push_back(msg);
        }
        // A part of a split job (--shard I/N) predicts its contiguous range of the samples; it read every sample,
        // as cohort means (imputation, DunedinPACE) need them.
        std::tie(m_first, m_end) = m_shard.range(m_matrix.cols());
        if (m_shard.split() && m_first == m_end)
            throw Error("--shard " + m_shard.toString(), "this part has no samples: the matrix has only " +
                                                             std::to_string(m_matrix.cols()) +
                                                             "; use fewer parts than samples.");
        ctx.setExpectedTotal(static_cast<double>(m_end - m_first));
        for (std::size_t s = m_first; s < m_end; ++s) {
            engine::Item item;
            item.id = m_matrix.samples[s].name;
            item.length = 1;
            item.work = 1.0;
            emit(std::move(item));
        }
    }

    void run(engine::TaskContext& ctx, const std::vector<engine::Item*>& batch) override {
        // The clocks run on the whole cohort at once (the batch is the cohort); later batches, if the
        // engine splits anyway, find the work done.
        if (m_ran) return;
        if (ctx.cancelled()) throw CancelledError();
        predictAll(ctx);
    }

    void finish(engine::TaskContext& ctx, std::vector<engine::Item>& items) override {
        if (!m_ran) predictAll(ctx);
        if (m_shard.split()) {
            writePart(ctx);
            return;
        }
        std::size_t empty = 0;
        for (const auto& c : m_predictions.clocks)
            for (double v : c.values)
                if (std::isnan(v)) ++empty;
        const std::size_t clocks = m_library.clocks().size();
        // A file that gives no clock any value is not the matrix the user meant to run: fail with what was found
        // rather than write an empty table.
        if (clocks > 0 && m_bundleClocks.empty())
            requireSomeClockValue(m_predictions, m_spec.inputs.front(), m_options.minCoverage);
        // The bundle outputs join the library only now, as descriptions for the writers (the clock engine
        // never evaluates them).
        for (const auto& c : m_bundleClocks) m_library.add(c);
        PredictionOutput out = makePredictionOutput(m_matrix.samples, std::move(m_predictions), m_library);
        out.notes = m_notes;
        writePredictionsCsv(ctx.outputPath("predictions.csv"), out, m_library, csvByteOrderMark(m_spec));
        writePredictionsJson(ctx.outputPath("predictions.json"), out, m_library);
        const std::string outputs = std::to_string(m_bundleClocks.size()) + " predictor outputs";
        std::string summary = std::to_string(m_matrix.cols()) + " samples x ";
        if (clocks == 0)
            summary += outputs;
        else
            summary += std::to_string(clocks) + " clocks" + (m_bundleClocks.empty() ? "" : " + " + outputs);
        if (empty > 0) summary += " (" + std::to_string(empty) + " values not computable: low CpG coverage)";
        if (!m_notComputed.empty())
            summary += "; " + std::to_string(m_notComputed.size()) + " more " +
                       (m_notComputed.size() == 1 ? "clock needs" : "clocks need") + " a table download";
        ctx.setSummary(summary);
    }

private:
    /// Clocks (one batched product) and every bundle (batched forward passes) on the job's device.
    void predictAll(engine::TaskContext& ctx) {
        PredictOptions o = m_options;
        o.sampleFirst = m_first;
        o.sampleEnd = m_end;
        o.device = ctx.device().device.id.empty() ? "cpu" : ctx.device().device.id;
        if (!m_library.clocks().empty()) {
            m_predictions = predictClocks(m_matrix, m_library, o);
        } else {
            m_predictions.samples.clear();
            for (const auto& s : m_matrix.samples) m_predictions.samples.push_back(s.name);
            m_predictions.device = o.device;
        }
        BundleRunOptions bo;
        bo.precision = ctx.device().precision;
        bo.minCoverage = m_options.minCoverage;
        const bool part = m_first > 0 || m_end < m_matrix.cols();
        for (const auto& bundle : m_bundles) {
            std::string precision;
            // A bundle imputes from the cohort: it sees every sample, and a part keeps its own.
            auto results = bundle.predict(m_matrix, bo, &precision);
            if (part)
                for (auto& r : results) keepSamples(r, m_first, m_end);
            const std::string note =
                "predictor bundle '" + bundle.manifest().name + "' ran on " + bundle.device() + " in " + precision;
            ctx.log(note);
            m_notes.push_back(note);
            for (auto& r : results) m_predictions.clocks.push_back(std::move(r));
        }
        for (const auto& model : m_cpgpt) {
            // Missing CpGs are left out of attention (never imputed), as CpGPT masks them.
            cpgpt::RunOptions ro;
            ro.outputs = model.outputs;
            ro.minCoverage = 0.0;
            // Each sample on its own (masked, not imputed): a part predicts only its samples.
            cpgpt::CpgptPredictions p = model.model->predict(part ? samplesOf(m_matrix, m_first, m_end) : m_matrix, ro);
            // The same sentence for a whole run and for each of its parts (the coverage of each sample is its
            // values' "present" count).
            std::string note = "CpGPT model " + model.model->folder() + " ran on " + p.device + " in " + p.precision +
                               ": " + std::to_string(p.vocabSize) +
                               " input CpGs; missing CpGs masked, not imputed (a value's CpG count is the CpGs it "
                               "read)";
            ctx.log(note);
            m_notes.push_back(std::move(note));
            for (auto& n : p.notes) {
                ctx.log(n);
                m_notes.push_back(std::move(n));
            }
            for (auto& r : p.outputs) m_predictions.clocks.push_back(std::move(r));
        }
        m_ran = true;
    }

    /// A part's result: its samples' values and what the merge checks (merge_command, predictions_parts.h).
    void writePart(engine::TaskContext& ctx) {
        PredictionsPart part;
        part.inputs = m_spec.inputs;
        part.model = m_spec.model;
        for (const auto& [key, value] : m_spec.options)
            if (key != "shard") part.options.emplace_back(key, value);
        part.index = m_shard.index;
        part.count = m_shard.count;
        part.first = m_first;
        part.end = m_end;
        part.total = m_matrix.cols();
        part.samples.assign(m_matrix.samples.begin() + static_cast<std::ptrdiff_t>(m_first),
                            m_matrix.samples.begin() + static_cast<std::ptrdiff_t>(m_end));
        part.predictions = std::move(m_predictions);
        part.notes = m_notes;
        part.minCoverage = m_options.minCoverage;
        for (const auto& c : m_bundleClocks) part.definitions.push_back(c.def);
        writePredictionsPart(ctx.outputPath(kPredictionsPartFile), part);
        ctx.setSummary("part " + m_shard.toString() + ": samples " + std::to_string(m_first) + ".." +
                       std::to_string(m_end) + " of " + std::to_string(part.total) + " x " +
                       std::to_string(m_library.clocks().size()) + " clocks; `benchtop-cli merge` combines the parts");
    }

    /// A CpGPT model of the job (predictors option or model) on the job's device.
    void loadCpgpt(engine::TaskContext& ctx, const std::string& folder, const std::string& device) {
        cpgpt::LoadOptions lo;
        lo.device = device;
        // fp32 unless asked otherwise: the reduced precisions are not checked against a reference for CpGPT, so
        // `auto` (bf16 on AMX CPUs) does not choose them.
        const std::string asked = toLowerAscii(m_spec.precision);
        lo.precision = asked == "fp16" || asked == "bf16" ? ctx.device().precision : device::Precision::Fp32;
        Cpgpt entry;
        entry.model = std::make_shared<cpgpt::CpgptModel>(cpgpt::CpgptModel::load(folder, lo));
        entry.outputs = readCpgptOutputs(folder, entry.model->vocab());
        for (const auto& out : cpgptOutputClocks(folder, entry.outputs)) {
            for (const auto& seen : m_bundleClocks)
                if (toLowerAscii(seen.def.id) == toLowerAscii(out.def.id))
                    throw Error(folder, "output '" + out.def.id + "' is also an output of " + seen.def.file +
                                            "; output names must be unique in a job");
            m_bundleClocks.push_back(out);
        }
        ctx.log("CpGPT model " + folder + ": " + std::to_string(entry.model->vocab().input.size()) + " CpGs, " +
                std::to_string(entry.outputs.size()) + " outputs, on " + device);
        m_cpgpt.push_back(std::move(entry));
    }

    struct Cpgpt {
        std::shared_ptr<cpgpt::CpgptModel> model;
        std::vector<cpgpt::OutputSpec> outputs;
    };

    engine::JobSpec m_spec;
    engine::Shard m_shard;
    std::size_t m_first = 0;  ///< the samples this job predicts: all, or its part's range
    std::size_t m_end = 0;
    PredictOptions m_options;
    std::vector<PredictorBundle> m_bundles;
    std::vector<Cpgpt> m_cpgpt;
    std::vector<Clock> m_bundleClocks;  ///< output descriptions of m_bundles, in order
    ClockLibrary m_library;
    BetaMatrix m_matrix;
    Predictions m_predictions;
    std::vector<std::string> m_notes;
    std::vector<std::string> m_notComputed;  ///< clocks of the default selection whose tables could not be had
    bool m_ran = false;
};

}  // namespace

int recogniseMethylationFile(const engine::FileProbe& probe) {
    if (!probe.exists || probe.isDirectory) return 0;
    const std::string& e = probe.extension;
    const bool extOk = e == ".csv" || e == ".tsv" || e == ".txt" || e == ".csv.gz" || e == ".tsv.gz" ||
                       e == ".txt.gz" || e == ".gz" || e == ".tab" || e == ".tab.gz";
    const std::string& h = probe.head;
    if (h.find("!series_matrix_table_begin") != std::string::npos || h.rfind("!Series_", 0) == 0 ||
        h.rfind("!Sample_", 0) == 0)
        return 90;
    // Probe ids at the start of lines (CpGs as rows) or in the header (samples as rows).
    std::size_t ids = 0, lines = 0, pos = 0;
    while (pos < h.size() && lines < 40) {
        std::size_t end = h.find('\n', pos);
        if (end == std::string::npos) end = h.size();
        std::string_view line(h.data() + pos, end - pos);
        std::size_t start = 0;
        while (start < line.size() && (line[start] == '"' || line[start] == ' ')) ++start;
        std::string_view token = line.substr(start);
        token = token.substr(0, token.find_first_of(",\t; \"|"));
        if (isProbeId(token)) ++ids;
        if (lines == 0) {
            std::size_t hits = 0, p = 0;
            while ((p = line.find("cg", p)) != std::string_view::npos && hits < 5) {
                if (p + 10 <= line.size() && isProbeId(line.substr(p, 10))) ++hits;
                p += 2;
            }
            if (hits >= 3) ids += 3;
        }
        ++lines;
        pos = end + 1;
    }
    if (ids >= 3) return extOk ? 80 : 40;
    return 0;
}

engine::TaskKind methylationTaskKind() {
    using engine::OptionType;
    engine::TaskKind kind;
    kind.id = "methylation";
    kind.name = "Epigenetic clocks";
    kind.order = 10;
    kind.fileDescription = "CSV, TSV, GEO series matrix (also .gz)";
    kind.extensions = {".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".txt.gz"};
    kind.mimeTypes = {"text/csv", "text/tab-separated-values", "text/plain", "application/gzip"};
    kind.workUnit = {"samples", false};
    kind.options = {
        {"clocks", OptionType::List, "Clocks", "all or a comma list of clock ids (e.g. horvath2013,phenoage2018)",
         "all"},
        {"sample-sheet",
         OptionType::File,
         "Sample sheet",
         "sample sheet CSV with sample name/id, age, sex",
         "",
         {},
         0,
         0,
         "",
         false,
         true},
        {"min-coverage", OptionType::Text, "Minimum coverage",
         "minimum fraction (0.8) or percentage (80%) of a clock's CpGs present in the matrix", "0.8"},
        {"mvalues", OptionType::Switch, "M-values", "the matrix holds M-values; convert them to beta values", "false"},
        {"imputation",
         OptionType::Choice,
         "Missing CpGs",
         "how missing CpGs are filled: reference (clock reference values), cohort-mean, none",
         "reference",
         {"reference", "cohort-mean", "none"}},
        {"zhang-scaling",
         OptionType::Choice,
         "Zhang scaling",
         "what the Zhang 2019 clocks standardise over: all probes of the sample or the clock's probes",
         "all_probes",
         {"all_probes", "clock_probes"}},
        {"predictors",
         OptionType::List,
         "Predictor bundles",
         "TorchScript predictor bundle or CpGPT model (folder, .zip or model-store id); repeatable",
         "",
         {},
         0,
         0,
         "predictor",
         true,
         true},
        {"csv-bom", OptionType::Switch, "Excel-friendly CSV",
         "start predictions.csv with a UTF-8 byte order mark, so Excel reads non-ASCII sample names correctly "
         "(the window sets it from Settings > General)",
         "false"},
        {"clocks-dir",
         OptionType::Folder,
         "Clock tables folder",
         "read clock coefficient tables from this folder instead of the catalog",
         "",
         {},
         0,
         0,
         "-"},
    };
    kind.recognise = recogniseMethylationFile;
    kind.sharding.unit = "samples";
    kind.sharding.isPart = isPredictionsPart;
    kind.sharding.merge = mergePredictionParts;
    kind.create = engine::createTask<MethylationTask>;
    // A sample sheet dropped or named with matrices goes to them as their "sample-sheet" option.
    kind.companionOption = [](const engine::FileProbe& probe) -> std::string {
        return looksLikeSampleSheet(probe.path) ? "sample-sheet" : "";
    };
    return kind;
}

}  // namespace benchtop::methyl
