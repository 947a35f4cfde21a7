#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

class QLocalServer;
class QLocalSocket;

namespace benchtop::ui {

/// One Benchtop window per user session: a second start (a launcher, the file manager's "Open With", `benchtop
/// f.csv` in a terminal) hands its files to the running instance over a local socket and exits; the running one
/// plans them as one drop and raises its window. The socket's name is per user (and per BENCHTOP_INSTANCE_KEY, which
/// tests and side-by-side builds set to keep apart).
class SingleInstance : public QObject {
    Q_OBJECT
public:
    explicit SingleInstance(QObject* parent = nullptr);
    ~SingleInstance() override;

    /// The local socket name of this user's instance.
    static QString serverName();

    /// Sends `paths` (made absolute here: the running instance has another working folder) to a running
    /// instance and waits until it has them. False when none runs (or it did not answer within `timeoutMs`).
    bool sendToRunning(const QStringList& paths, int timeoutMs = 3000);
    /// Becomes the running instance: listens for later starts (a socket left by a crashed instance is
    /// replaced). False with the reason in `error` when another start has just become the running instance (send
    /// to it then) or the socket cannot be created (the app then runs on alone).
    bool listen(QString* error = nullptr);
    bool isListening() const;

Q_SIGNALS:
    /// Another start asked for `paths` (empty: it was started without files; the window should come forward).
    void pathsReceived(const QStringList& paths);

private:
    void readMessage(QLocalSocket* socket);

    QLocalServer* m_server = nullptr;
};

}  // namespace benchtop::ui
