#include "ui/engine_bridge.h"

#include <QMetaObject>

namespace benchtop::ui {

EngineBridge::EngineBridge(engine::Engine& engine, QObject* parent) : QObject(parent), m_engine(engine) {
    registerMetaTypes();
    m_engine.addObserver(this);
}

EngineBridge::~EngineBridge() {
    // After this returns the engine no longer calls us; events already posted die with `this`
    // because Qt drops queued calls whose context object is gone.
    m_engine.removeObserver(this);
}

void EngineBridge::registerMetaTypes() {
    qRegisterMetaType<engine::JobSnapshot>("benchtop::engine::JobSnapshot");
    qRegisterMetaType<engine::BatchStats>("benchtop::engine::BatchStats");
    qRegisterMetaType<engine::JobId>("benchtop::engine::JobId");
}

void EngineBridge::onJobChanged(const engine::JobSnapshot& job) {
    QMetaObject::invokeMethod(
        this, [this, job]() { Q_EMIT jobChanged(job); }, Qt::QueuedConnection);
}

void EngineBridge::onBatch(engine::JobId id, const engine::BatchStats& stats) {
    QMetaObject::invokeMethod(
        this, [this, id, stats]() { Q_EMIT batch(id, stats); }, Qt::QueuedConnection);
}

void EngineBridge::onLog(engine::JobId id, const std::string& message) {
    QMetaObject::invokeMethod(
        this, [this, id, text = QString::fromStdString(message)]() { Q_EMIT logMessage(id, text); },
        Qt::QueuedConnection);
}

}  // namespace benchtop::ui
