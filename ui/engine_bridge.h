#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include "core/engine/engine.h"
#include "core/engine/job.h"

Q_DECLARE_METATYPE(benchtop::engine::JobSnapshot)
Q_DECLARE_METATYPE(benchtop::engine::BatchStats)
Q_DECLARE_METATYPE(benchtop::engine::JobId)

namespace benchtop::ui {

/// Turns engine events (delivered on engine threads) into Qt signals on the GUI thread.
/// One bridge serves the whole application; it registers itself as an observer of `engine` and
/// unregisters in its destructor, so the engine must outlive the bridge.
class EngineBridge : public QObject, public engine::EngineObserver {
    Q_OBJECT
public:
    explicit EngineBridge(engine::Engine& engine, QObject* parent = nullptr);
    ~EngineBridge() override;

    engine::Engine& engine() const { return m_engine; }

    /// Registers the engine value types with Qt's meta-type system (idempotent).
    static void registerMetaTypes();

    // EngineObserver: called on engine threads; each copies its data and re-posts it.
    void onJobChanged(const engine::JobSnapshot& job) override;
    void onBatch(engine::JobId id, const engine::BatchStats& batch) override;
    void onLog(engine::JobId id, const std::string& message) override;

Q_SIGNALS:
    /// A job changed state or made progress (GUI thread).
    void jobChanged(const benchtop::engine::JobSnapshot& job);
    /// A batch of a job completed on its device (GUI thread).
    void batch(benchtop::engine::JobId id, const benchtop::engine::BatchStats& stats);
    /// An informational message from a running task (GUI thread).
    void logMessage(benchtop::engine::JobId id, const QString& message);

private:
    engine::Engine& m_engine;
};

}  // namespace benchtop::ui
