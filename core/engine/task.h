#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/device/device.h"
#include "core/engine/batcher.h"
#include "core/engine/job.h"
#include "core/engine/model_cache.h"

namespace benchtop::engine {

/// One unit of work flowing through a task: a text, a sample chunk, an audio file.
struct Item {
    std::size_t index = 0;       ///< position in input order (set by the engine)
    std::string id;              ///< shown in errors: "corpus.txt:12", "GSM946048", "talk.mp3"
    std::int64_t length = 1;     ///< batching length (tokens, frames); set in read() or prepare()
    double work = 1.0;           ///< progress units added when the item's batch completes
    std::shared_ptr<void> data;  ///< task-owned payload

    template <class T>
    T& as() { return *static_cast<T*>(data.get()); }
    template <class T>
    const T& as() const { return *static_cast<const T*>(data.get()); }
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
std::shared_ptr<T> borrowModel(TaskContext& ctx, const std::string& key, const std::function<std::shared_ptr<T>()>& load,
                               std::uint64_t bytes) {
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
    /// Progress unit: "texts", "tokens", "samples", "audio s".
    virtual std::string workUnit() const { return "items"; }
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

/// A kind of task that the engine can create for files.
struct TaskKind {
    std::string id;                       ///< "methylation", "text", "speech"
    std::string name;                     ///< "Epigenetic clocks"
    std::vector<std::string> extensions;  ///< for file dialogs: ".csv", ".txt.gz", ...
    /// 0 = not this task's file; higher = more confident.
    std::function<int(const FileProbe&)> recognise;
    std::function<std::unique_ptr<Task>(const JobSpec&)> create;
    /// Files that go with this task's inputs instead of being jobs of their own (a methylation sample
    /// sheet): the option such a file sets ("sample-sheet"), or "" when the probe is no such file. Optional.
    std::function<std::string(const FileProbe&)> companionOption;
};

/// The task kinds available to an engine.
class TaskRegistry {
public:
    void add(TaskKind kind);
    const TaskKind* find(const std::string& id) const;
    /// The kind with the highest positive score for the file, or nullptr.
    const TaskKind* recognise(const FileProbe& probe) const;
    const std::vector<TaskKind>& kinds() const { return m_kinds; }

    /// A registry with every built-in workload (see builtin_tasks.cpp).
    static TaskRegistry withBuiltinTasks();

private:
    std::vector<TaskKind> m_kinds;
};

/// Adds the built-in workloads; each workload adds one line here when it lands.
void registerBuiltinTasks(TaskRegistry& registry);

}  // namespace benchtop::engine
