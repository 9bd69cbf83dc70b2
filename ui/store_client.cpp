#include "ui/store_client.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSemaphore>

namespace fabula::ui {

StoreClient::StoreClient(const QString& path, QObject* parent) : QObject(parent), path_(path) {
    thread_.setObjectName(QStringLiteral("fabula-store"));
    worker_ = new QObject;
    worker_->moveToThread(&thread_);
    thread_.start();
    QMetaObject::invokeMethod(worker_, [this] {
        try {
            QDir().mkpath(QFileInfo(path_).absolutePath());
            store_ = std::make_unique<Store>(path_.toStdString());
        } catch (...) {
            openError_ = std::make_unique<StoreError>(currentError());
            reportFailure(this, *openError_, {});
        }
    }, Qt::QueuedConnection);
}

StoreClient::~StoreClient() {
    // Queued after every pending job, so the last saves still happen.
    QMetaObject::invokeMethod(worker_, [this] {
        store_.reset();
        delete worker_;
        thread_.quit();
    }, Qt::QueuedConnection);
    thread_.wait();
}

void StoreClient::waitForIdle() {
    QSemaphore done;
    QMetaObject::invokeMethod(worker_, [&done] { done.release(); }, Qt::QueuedConnection);
    done.acquire();
}

void StoreClient::setTestHook(std::function<void()> hook) {
    QMetaObject::invokeMethod(worker_, [this, hook = std::move(hook)]() mutable { testHook_ = std::move(hook); },
                              Qt::QueuedConnection);
}

StoreError StoreClient::currentError() const {
    try {
        throw;
    } catch (const StoreError& e) {
        return e;
    } catch (const std::exception& e) {
        return StoreError(StoreError::Kind::Other, 0, path_.toStdString(),
                          std::string("an unexpected error: ") + e.what());
    } catch (...) {
        return StoreError(StoreError::Kind::Other, 0, path_.toStdString(), "an unexpected error");
    }
}

void StoreClient::post(const QPointer<QObject>& ctx, std::function<void()> f) {
    // Through this object, which outlives the store thread, and the pointer
    // is only tested on the GUI thread: a context may be deleted meanwhile.
    QMetaObject::invokeMethod(this, [ctx, f = std::move(f)] {
        if (ctx) f();
    }, Qt::QueuedConnection);
}

void StoreClient::reportFailure(const QPointer<QObject>& ctx, const StoreError& e,
                                std::function<void(const StoreError&)> failed) {
    if (failed) {
        post(ctx, [failed = std::move(failed), e] { failed(e); });
        return;
    }
    const QString message = describe(e);
    const int kind = int(e.kind());
    QMetaObject::invokeMethod(this, [this, message, kind] { Q_EMIT error(message, kind); }, Qt::QueuedConnection);
}

StoreError StoreClient::openError() const {
    if (openError_) return *openError_;
    return StoreError(StoreError::Kind::CannotOpen, 0, path_.toStdString(), "the library is not open");
}

QString StoreClient::describe(const StoreError& e) {
    using K = StoreError::Kind;
    QString why;
    switch (e.kind()) {
    case K::ReadOnly: why = tr("the library file is read-only"); break;
    case K::Full: why = tr("the disk is full"); break;
    case K::Busy: why = tr("another program is using the library"); break;
    case K::Corrupt: why = tr("the library file is damaged or is not a Fabula library"); break;
    case K::CannotOpen: why = tr("the library file cannot be opened"); break;
    case K::Io: why = tr("the disk reported an error"); break;
    case K::NewerVersion: why = tr("the library was made by a newer version of Fabula"); break;
    case K::NotFound: why = tr("the draft no longer exists"); break;
    case K::Invalid: why = tr("a value was not accepted"); break;
    case K::Other: why = QString::fromStdString(e.message()); break;
    }
    return tr("Could not save: %1 (%2).").arg(why, QString::fromStdString(e.path()));
}

} // namespace fabula::ui
