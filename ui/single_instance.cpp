#include "ui/single_instance.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QDir>
#include <QFileInfo>
#include <QLocalServer>
#include <QLocalSocket>
#include <QPointer>

#include "ui/app_identity.h"

namespace benchtop::ui {

namespace {
/// Guards against a stray client speaking something else on the socket.
constexpr quint32 kMagic = 0x42544f50;  // "BTOP"
constexpr quint32 kVersion = 1;
constexpr char kAck = '\x06';

QString userName() {
    QString name = qEnvironmentVariable("USER");
    if (name.isEmpty()) name = qEnvironmentVariable("USERNAME");
    if (name.isEmpty()) name = QStringLiteral("user");  // the socket is created for this user only anyway
    return name;
}
}  // namespace

SingleInstance::SingleInstance(QObject* parent) : QObject(parent) {}

SingleInstance::~SingleInstance() = default;

QString SingleInstance::serverName() {
    // Short and free of path characters (a Unix socket path has a length limit); one per user and key.
    const QByteArray identity = (applicationId() + QLatin1Char('|') + userName() + QLatin1Char('|') +
                                 qEnvironmentVariable("BENCHTOP_INSTANCE_KEY"))
                                    .toUtf8();
    return QStringLiteral("benchtop-") +
           QString::fromLatin1(QCryptographicHash::hash(identity, QCryptographicHash::Sha256).toHex().left(16));
}

bool SingleInstance::sendToRunning(const QStringList& paths, int timeoutMs) {
    QLocalSocket socket;
    socket.connectToServer(serverName());
    if (!socket.waitForConnected(timeoutMs)) return false;
    QStringList absolute;
    for (const QString& path : paths) absolute << QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QByteArray message;
    {
        QDataStream out(&message, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_0);
        out << kMagic << kVersion << absolute;
    }
    QByteArray framed;
    {
        QDataStream out(&framed, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_0);
        out << message;  // length-prefixed
    }
    socket.write(framed);
    if (!socket.waitForBytesWritten(timeoutMs)) return false;
    // The acknowledgement: the running instance has the paths (a crash of it before this is "not running").
    while (socket.bytesAvailable() < 1)
        if (!socket.waitForReadyRead(timeoutMs)) return false;
    char ack = 0;
    return socket.getChar(&ack) && ack == kAck;
}

bool SingleInstance::listen(QString* error) {
    if (m_server) return true;
    auto* server = new QLocalServer(this);
    server->setSocketOptions(QLocalServer::UserAccessOption);
    const QString name = serverName();
    if (!server->listen(name)) {
        if (server->serverError() == QAbstractSocket::AddressInUseError) {
            // Another start may have won the race since the caller tried to send: then it answers now.
            QLocalSocket probe;
            probe.connectToServer(name);
            if (probe.waitForConnected(500)) {
                probe.abort();
                if (error) *error = tr("another Benchtop has just started");
                delete server;
                return false;
            }
            // A socket file left by an instance that crashed: nobody answers on it.
            QLocalServer::removeServer(name);
        }
        if (!server->listen(name)) {
            if (error) *error = server->errorString();
            delete server;
            return false;
        }
    }
    m_server = server;
    connect(m_server, &QLocalServer::newConnection, this, [this]() {
        while (QLocalSocket* socket = m_server->nextPendingConnection()) {
            connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
            connect(socket, &QLocalSocket::readyRead, this, [this, socket]() { readMessage(socket); });
            if (socket->bytesAvailable() > 0) readMessage(socket);
        }
    });
    return true;
}

bool SingleInstance::isListening() const {
    return m_server && m_server->isListening();
}

void SingleInstance::readMessage(QLocalSocket* socket) {
    QDataStream in(socket);
    in.setVersion(QDataStream::Qt_6_0);
    in.startTransaction();
    QByteArray message;
    in >> message;
    if (!in.commitTransaction()) return;  // not all there yet; readyRead comes again
    QDataStream body(message);
    body.setVersion(QDataStream::Qt_6_0);
    quint32 magic = 0, version = 0;
    QStringList paths;
    body >> magic >> version >> paths;
    if (magic != kMagic || version != kVersion || body.status() != QDataStream::Ok) {
        socket->abort();
        return;
    }
    socket->putChar(kAck);
    socket->flush();
    socket->disconnectFromServer();
    Q_EMIT pathsReceived(paths);
}

}  // namespace benchtop::ui
