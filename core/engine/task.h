#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

#include "core/device/device.h"
#include "core/engine/batcher.h"
#include "core/engine/job.h"
#include "core/engine/model_cache.h"

namespace benchtop::engine {

/// A task's own data for one item, with its type: reading it as another type is a clear error instead of
/// undefined behaviour.
class Payload {
public:
    Payload() = default;
    template <class T>
    Payload(std::shared_ptr<T> value) : m_value(std::move(value)), m_type(&typeid(T)) {}  // NOLINT: implicit by design
    template <class T>
    Payload& operator=(std::shared_ptr<T> value) {
        m_value = std::move(value);
        m_type = &typeid(T);
        return *this;
    }

    bool empty() const { return !m_value; }
    template <class T>
    bool holds() const {
        return m_value && *m_type == typeid(T);
    }
    /// The value as T; throws when the item holds nothing or another type.
    template <class T>
    T& as() const {
        if (!holds<T>()) throwTypeMismatch(typeid(T));
        return *static_cast<T*>(m_value.get());
    }

private:
    [[noreturn]] void throwTypeMismatch(const std::type_info& wanted) const;
    std::shared_ptr<void> m_value;
    const std::type_info* m_type = nullptr;
};

/// One unit of work flowing through a task: a text, a sample chunk, an audio file.
struct Item {
    std::size_t index = 0;    ///< position in input order (set by the engine)
    std::string id;           ///< shown in errors: "corpus.txt:12", "GSM946048", "talk.mp3"
    std::int64_t length = 1;  ///< batching length (tokens, frames); set in read() or prepare()
    double work = 1.0;        ///< progress units added when the item's batch completes
    Payload data;             ///< task-owned payload

    template <class T>
    T& as() {
        return data.as<T>();
    }
    template <class T>
    const T& as() const {
        return data.as<T>();
    }
};

/// What the engine offers a running task. Thread-safe.
class TaskContext {
public:
    virtual ~TaskContext() = default;
    virtual JobId jobId() const = 0;
    virtual const JobSpec& spec() const = 0;
    virtual const device::DeviceChoice& device() const = 0;
    virtual bool cancelled() const = 0;
    /// Throws CancelledError when the job was cancelled.
    void throwIfCancelled() const;
    /// Sets the expected total in the task's work unit (enables the ETA before reading finishes).
    virtual void setExpectedTotal(double total) = 0;
    /// Adds progress inside a long batch (for items whose `work` is 0).
    virtual void addProgress(double units) = 0;
    /// Path to write result `fileName` to: "<the job's result folder>/<fileName>.part". The engine renames every such
    /// file to its final name when the job succeeds and deletes them when it fails or is cancelled.
    virtual std::string outputPath(const std::string& fileName) = 0;
    /// One line describing the result ("16 samples x 12 clocks").
    virtual void setSummary(const std::string& summary) = 0;
    /// An informational message for the user ("12 EPIC v2 replicate probes averaged").
    virtual void log(const std::string& message) = 0;
    /// The engine's model cache, where models stay loaded between jobs; nullptr outside an engine.
    virtual ModelCache* models() { return nullptr; }
};

/// The model `key` for this job's device: borrowed from the engine's cache (loaded there on first use), or
/// loaded for this job alone where there is no cache. `bytes`: the model's estimated size, for the budget.
template <class T>
std::shared_ptr<T> borrowModel(TaskContext& ctx, const std::string& key,
                               const std::function<std::shared_ptr<T>()>& load, std::uint64_t bytes) {
    ModelCache* cache = ctx.models();
    if (!cache) return load();
    const std::string device = ctx.device().device.id.empty() ? std::string("cpu") : ctx.device().device.id;
    return cache->acquire<T>(device, key, load, bytes);
}

/// A workload. The engine drives it as read -> prepare -> batch -> run -> finish (which writes):
///  - load() and run() and unload() execute on the executor thread of the chosen device;
///  - read() and finish() on the job's own thread; prepare() on the CPU pool, concurrently.
/// Any exception fails this job only; CancelledError marks it cancelled.
class Task {
public:
    virtual ~Task() = default;
    virtual BatchLimits batchLimits() const { return {}; }
    /// Loads the model on the device thread.
    virtual void load(TaskContext& ctx) {}
    /// Streams items from the input files in input order.
    virtual void read(TaskContext& ctx, const std::function<void(Item&&)>& emit) = 0;
    /// CPU-side preparation of one item (tokenise, mel, parse).
    virtual void prepare(TaskContext& ctx, Item& item) {}
    /// Runs one batch on the device (no grad, chosen dtype).
    virtual void run(TaskContext& ctx, const std::vector<Item*>& batch) = 0;
    /// After every batch ran: items in input order; post-process and write outputs via ctx.outputPath().
    virtual void finish(TaskContext& ctx, std::vector<Item>& items) = 0;
    /// Releases device memory on the device thread (also after failures).
    virtual void unload(TaskContext& ctx) {}
};

/// What recognition sees of a file: name, lower-case extension and the first bytes (decompressed for .gz).
struct FileProbe {
    std::string path;
    std::string fileName;
    std::string extension;  ///< ".csv", ".txt", ".wav"; for "x.csv.gz" this is ".csv.gz"
    std::string head;       ///< up to 64 KiB of content
    bool exists = false;
    bool isDirectory = false;
};

/// Reads the probe for `path` (never throws; a missing file gives exists = false).
FileProbe probeFile(const std::string& path);

/// How an option is entered: the CLI flag's value and the settings page's widget follow from it.
enum class OptionType {
    Text,     ///< free text (a line edit; `--flag VALUE`)
    Switch,   ///< on/off ("true"/"false"; a check box; `--flag`, or `--no-flag` when on by default)
    Integer,  ///< whole number within [minimum, maximum] (a spin box)
    Number,   ///< real number within [minimum, maximum]
    Choice,   ///< one of `choices` (a combo box)
    List,     ///< comma list, of `choices` where given ("dense,sparse")
    File,     ///< a file path (a line edit with Browse...)
    Folder,   ///< a folder path
};

/// "text", "switch", ... (for `--help` and JSON descriptions).
std::string toString(OptionType type);

/// One option a task understands, declared once: the CLI's flag, the GUI's settings page and the value
/// checks are generated from it.
struct OptionSpec {
    OptionSpec() = default;
    OptionSpec(std::string key, OptionType type, std::string label, std::string help, std::string defaultValue = {},
               std::vector<std::string> choices = {}, double minimum = 0.0, double maximum = 0.0,
               std::string cliFlag = {}, bool repeatable = false, bool perRun = false)
        : key(std::move(key)),
          type(type),
          label(std::move(label)),
          help(std::move(help)),
          defaultValue(std::move(defaultValue)),
          choices(std::move(choices)),
          minimum(minimum),
          maximum(maximum),
          cliFlag(std::move(cliFlag)),
          repeatable(repeatable),
          perRun(perRun) {}

    std::string key;  ///< JobSpec::options key ("clocks", "beam-size")
    OptionType type = OptionType::Text;
    std::string label;                    ///< settings page label ("Beam size"); empty = the key
    std::string help;                     ///< one sentence, shown as CLI help and tooltip
    std::string defaultValue;             ///< what the task does when the option is absent ("" = task decides)
    std::vector<std::string> choices;     ///< Choice / List values
    double minimum = 0.0, maximum = 0.0;  ///< Integer / Number range (both 0 = unbounded)
    /// CLI flag without dashes; defaults to the key; "-" = no flag (set with --set key=value).
    std::string cliFlag;
    /// The CLI flag may be repeated, each occurrence one value, joined by commas ("--predictor A --predictor B").
    bool repeatable = false;
    /// Per run only (e.g. a sample sheet): a CLI flag, but no stored setting on the Workloads page.
    bool perRun = false;

    std::string flagName() const { return cliFlag.empty() ? key : cliFlag; }
    bool hasFlag() const { return cliFlag != "-"; }
    std::string displayLabel() const { return label.empty() ? key : label; }
};

/// Checks `value` against the option's type, range and choices: "" when fine, else why not
/// ("'x' is not a whole number", "must be between 1 and 16").
std::string checkOptionValue(const OptionSpec& option, const std::string& value);

/// The unit a task reports progress in.
struct WorkUnit {
    std::string name = "items";  ///< "texts", "samples", "audio s"
    /// The units are seconds of media: 1 / throughput is a real-time factor (charts show it).
    bool mediaSeconds = false;
};

/// Another name for a task that also sets options (Whisper's "transcribe"/"translate" select speech).
struct TaskAlias {
    std::string name;
    std::map<std::string, std::string> options;
};

struct TaskKind;

/// One job of a plan: its input files and what the planner decided about them.
struct PlannedJob {
    std::vector<std::string> inputs;             ///< one file; several with batchFiles
    const TaskKind* kind = nullptr;              ///< recognised task; null = none (the job then fails with why)
    std::map<std::string, std::string> options;  ///< set by companion files ("sample-sheet" -> path)
};

/// A companion file (a methylation sample sheet) and the inputs it went to.
struct AttachedCompanion {
    const TaskKind* kind = nullptr;  ///< the task it is a companion of
    std::string file;
    std::string option;               ///< "sample-sheet"
    std::vector<std::string> inputs;  ///< the jobs' first inputs it was given to
};

/// What a task kind is asked to plan: its files (in input order) and the companion files meant for it.
struct PlanRequest {
    struct Companion {
        std::string file;
        std::string option;  ///< the option the companion sets ("sample-sheet")
    };
    std::vector<std::string> files;
    std::vector<Companion> companions;
    bool batchFiles = false;  ///< the user asked for one job over every file (`--batch-files`)
};

/// A task kind's plan for its files: jobs, and which companions went where.
struct KindPlan {
    std::vector<PlannedJob> jobs;
    std::vector<AttachedCompanion> attached;
    std::vector<AttachedCompanion> unassigned;  ///< companions that belong to no single job (no inputs)
};

/// A kind of task that the engine can create for files. Everything the CLI, the window and the model
/// manager show about a workload comes from here; a new workload is its own folder plus one registration.
struct TaskKind {
    std::string id;    ///< "methylation", "text", "speech"
    std::string name;  ///< "Epigenetic clocks"
    int order = 100;   ///< position in menus, filters and help (lower first)
    /// Accepted files, for people: "CSV, TSV, GEO series matrix (also .gz)".
    std::string fileDescription;
    std::vector<std::string> extensions;  ///< for file dialogs and folder walks: ".csv", ".txt.gz", ...
    std::vector<std::string> mimeTypes;   ///< for desktop integration: "text/csv", "audio/x-wav", ...
    std::vector<OptionSpec> options;      ///< every option the task reads from JobSpec::options
    WorkUnit workUnit;                    ///< progress unit
    /// Jobs run one model the user picks (JobSpec::model; "Use for new jobs" in the model manager).
    bool choosesModel = false;
    std::vector<TaskAlias> aliases;
    /// 0 = not this task's file; higher = more confident.
    std::function<int(const FileProbe&)> recognise;
    std::function<std::unique_ptr<Task>(const JobSpec&)> create;
    /// Files that go with this task's inputs instead of being jobs of their own (a methylation sample
    /// sheet): the option such a file sets ("sample-sheet"), or "" when the probe is no such file. Optional.
    std::function<std::string(const FileProbe&)> companionOption;
    /// Extensions of companion files that are none of `extensions` (kept when folders are walked).
    std::vector<std::string> companionExtensions;
    /// Splitting a job into parts (`--shard I/N`, engine/shard.h). A task that sets `merge` honours JobSpec option
    /// "shard": it processes only its part and writes a partial result that `merge` combines into exactly the files
    /// one run writes. Jobs of other tasks with a shard are refused.
    struct Sharding {
        /// What is split: "texts", "samples", "files". With "files" a split run plans all of the task's files as
        /// one job (as --batch-files does), whose parts take whole files.
        std::string unit;
        /// Whether `dir` is the result folder of a part of one of this task's jobs.
        std::function<bool(const std::string& dir)> isPart;
        /// Combines part folders into `outDir` (new or empty); returns the files written. Refuses parts of
        /// different jobs, missing or repeated parts, naming the folders.
        std::function<std::vector<std::string>(const std::vector<std::string>& parts, const std::string& outDir)> merge;
    };
    Sharding sharding;
    bool shardable() const { return static_cast<bool>(sharding.merge); }
    /// Groups this task's files into jobs. Optional; planOneJobPerFile() when absent.
    std::function<KindPlan(const PlanRequest&)> planJobs;

    const OptionSpec* option(const std::string& key) const;
};

/// TaskKind::create for a task constructed from its job spec: `kind.create = engine::createTask<MyTask>;`.
template <class T>
std::unique_ptr<Task> createTask(const JobSpec& spec) {
    return std::make_unique<T>(spec);
}

/// The default planning: one job per file (one job over all of them with batchFiles); each companion goes
/// to the jobs of its own folder, and a single companion of the request goes to every job.
KindPlan planOneJobPerFile(const PlanRequest& request);

/// The task kinds available to an engine.
class TaskRegistry {
public:
    void add(TaskKind kind);
    const TaskKind* find(const std::string& id) const;
    /// The kind named `name` (an id or an alias); an alias adds its options to `options` (without overriding).
    const TaskKind* resolve(const std::string& name, std::map<std::string, std::string>& options) const;
    /// The kind with the highest positive score for the file, or nullptr.
    const TaskKind* recognise(const FileProbe& probe) const;
    /// In declaration order (TaskKind::order, then registration).
    const std::vector<TaskKind>& kinds() const { return m_kinds; }

private:
    std::vector<TaskKind> m_kinds;
};

}  // namespace benchtop::engine
