#include "ui/hf_token_store.h"

#include <QDir>
#include <QEventLoop>
#include <QTimer>

#include <exception>

#include "core/hub/hf_access.h"
#include "ui/settings.h"

#ifdef BENCHTOP_HAVE_QTKEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace benchtop::ui {

namespace {

bool g_keychainEnabled = true;

#ifdef BENCHTOP_HAVE_QTKEYCHAIN
constexpr const char* kService = "Benchtop";
constexpr const char* kKey = "huggingface-token";
constexpr int kKeychainTimeoutMs = 5000;

/// Runs a keychain job to its end (the jobs are asynchronous); false when it failed or did not answer in time.
bool runJob(QKeychain::Job* job, QString* error) {
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&]() {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(kKeychainTimeoutMs, &loop, &QEventLoop::quit);
    job->start();
    if (!finished) loop.exec();
    if (!finished) {
        if (error) *error = QObject::tr("the keychain did not answer");
        return false;
    }
    if (job->error() != QKeychain::NoError && job->error() != QKeychain::EntryNotFound) {
        if (error) *error = job->errorString();
        return false;
    }
    return true;
}
#endif

QString tokenFile() {
    return QDir::toNativeSeparators(QString::fromStdString(hub::hfTokenPath()));
}

}  // namespace

hub::HfAccessOverrides hubAccessFrom(const Settings& settings) {
    hub::HfAccessOverrides overrides;
    if (!settings.hfEndpoint().isEmpty()) overrides.endpoint = settings.hfEndpoint().toStdString();
    if (settings.hfOffline()) overrides.offline = true;
    QString where;
    const QString token = HfTokenStore::load(&where);
    if (!token.isEmpty() && where != tokenFile()) overrides.token = token.toStdString();
    return overrides;
}

bool HfTokenStore::keychainBuiltIn() {
#ifdef BENCHTOP_HAVE_QTKEYCHAIN
    return true;
#else
    return false;
#endif
}

void HfTokenStore::setKeychainEnabled(bool enabled) {
    g_keychainEnabled = enabled;
}

QString HfTokenStore::load(QString* where) {
#ifdef BENCHTOP_HAVE_QTKEYCHAIN
    if (g_keychainEnabled) {
        QKeychain::ReadPasswordJob job(QString::fromLatin1(kService));
        job.setAutoDelete(false);
        job.setKey(QString::fromLatin1(kKey));
        if (runJob(&job, nullptr) && job.error() == QKeychain::NoError && !job.textData().trimmed().isEmpty()) {
            if (where) *where = QObject::tr("the system keychain");
            return job.textData().trimmed();
        }
    }
#endif
    const QString token = QString::fromStdString(hub::readHfTokenFile(hub::hfTokenPath()));
    if (where) *where = token.isEmpty() ? QString() : tokenFile();
    return token;
}

bool HfTokenStore::save(const QString& token, QString* where, QString* error) {
    const QString trimmed = token.trimmed();
    QString keychainError;
#ifdef BENCHTOP_HAVE_QTKEYCHAIN
    if (g_keychainEnabled) {
        bool stored = false;
        if (trimmed.isEmpty()) {
            QKeychain::DeletePasswordJob job(QString::fromLatin1(kService));
            job.setAutoDelete(false);
            job.setKey(QString::fromLatin1(kKey));
            stored = runJob(&job, &keychainError);
        } else {
            QKeychain::WritePasswordJob job(QString::fromLatin1(kService));
            job.setAutoDelete(false);
            job.setKey(QString::fromLatin1(kKey));
            job.setTextData(trimmed);
            stored = runJob(&job, &keychainError);
        }
        if (stored && !trimmed.isEmpty()) {
            if (where) *where = QObject::tr("the system keychain");
            return true;
        }
    }
#endif
    // No keychain (or it refused): the token file, as `huggingface-cli login` writes it. An empty token clears it.
    try {
        hub::writeHfTokenFile(hub::hfTokenPath(), trimmed.toStdString());
    } catch (const std::exception& e) {
        if (error)
            *error = keychainError.isEmpty()
                         ? QString::fromStdString(e.what())
                         : QObject::tr("%1 (the keychain: %2)").arg(QString::fromStdString(e.what()), keychainError);
        return false;
    }
    if (where) *where = trimmed.isEmpty() ? QString() : tokenFile();
    return true;
}

}  // namespace benchtop::ui
