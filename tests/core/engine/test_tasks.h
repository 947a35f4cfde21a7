#pragma once

// A small task for engine tests: each line of a text file is an item whose length is the line length;
// prepare() upper-cases it, run() records the batch, finish() writes the lines back in input order.
// Options: sleep_ms (per batch), fail_line (run() throws on that line), fail_in_finish (after writing
// the .part file), max_items, budget, window.

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/common/error.h"
#include "core/engine/task.h"

namespace benchtop::test {

struct LineTaskLog {
    std::mutex mutex;
    std::vector<std::vector<std::size_t>> batches;  // item indices per batch, in run order
    std::atomic<int> loads{0};
    std::atomic<int> unloads{0};
};

class LineTask : public engine::Task {
public:
    LineTask(const engine::JobSpec& spec, std::shared_ptr<LineTaskLog> log) : m_spec(spec), m_log(std::move(log)) {}

    engine::BatchLimits batchLimits() const override {
        engine::BatchLimits limits;
        limits.maxItems = std::stoul(m_spec.option("max_items", "4"));
        limits.unitBudget = std::stoll(m_spec.option("budget", "64"));
        limits.sortWindow = std::stoul(m_spec.option("window", "16"));
        return limits;
    }
    void load(engine::TaskContext&) override { ++m_log->loads; }
    void unload(engine::TaskContext&) override { ++m_log->unloads; }

    void read(engine::TaskContext& ctx, const std::function<void(engine::Item&&)>& emit) override {
        std::ifstream in(ctx.spec().inputs.front());
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            engine::Item item;
            item.id = "line " + std::to_string(++n);
            item.length = static_cast<std::int64_t>(line.size());
            item.data = std::make_shared<std::string>(line);
            emit(std::move(item));
        }
    }

    void prepare(engine::TaskContext&, engine::Item& item) override {
        auto& text = item.as<std::string>();
        for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }

    void run(engine::TaskContext& ctx, const std::vector<engine::Item*>& batch) override {
        std::vector<std::size_t> indices;
        for (const auto* item : batch) {
            indices.push_back(item->index);
            if (std::to_string(item->index) == m_spec.option("fail_line", "-1"))
                throw Error(item->id, "deliberate failure");
        }
        {
            std::lock_guard<std::mutex> lock(m_log->mutex);
            m_log->batches.push_back(indices);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(m_spec.option("sleep_ms", "0"))));
    }

    void finish(engine::TaskContext& ctx, std::vector<engine::Item>& items) override {
        const std::string path = ctx.outputPath("lines.txt");
        {
            std::ofstream out(path);
            for (const auto& item : items) out << item.as<std::string>() << "\n";
        }
        if (m_spec.option("fail_in_finish") == "1") throw Error(path, "deliberate failure after writing");
        ctx.setSummary(std::to_string(items.size()) + " lines");
    }

private:
    engine::JobSpec m_spec;
    std::shared_ptr<LineTaskLog> m_log;
};

/// Registry with the line task recognising ".lines" files.
inline engine::TaskRegistry lineTaskRegistry(std::shared_ptr<LineTaskLog> log) {
    engine::TaskRegistry registry;
    engine::TaskKind kind;
    kind.id = "lines";
    kind.name = "Line test task";
    kind.extensions = {".lines"};
    kind.workUnit = {"lines", false};
    kind.recognise = [](const engine::FileProbe& probe) { return probe.extension == ".lines" ? 10 : 0; };
    kind.create = [log](const engine::JobSpec& spec) { return std::make_unique<LineTask>(spec, log); };
    registry.add(kind);
    return registry;
}

}  // namespace benchtop::test
