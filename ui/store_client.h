#pragma once
// The store on its own thread. Every job runs there, one after another in the
// order it was submitted, so a save queued before a load is always done
// first; results come back to the GUI thread through the context object's
// event queue (and are dropped when the context is gone). The GUI thread
// never waits on SQLite, except once at quit to let queued saves finish.
// moc cannot parse the C++20 library headers the store pulls in, and needs
// nothing from them.
#ifndef Q_MOC_RUN
#include "core/store/store.h"
#endif

#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>
#include <type_traits>

namespace fabula::ui {

class StoreClient : public QObject {
    Q_OBJECT
public:
    // Opens the database on the worker thread; failure arrives as error().
    explicit StoreClient(const QString& path, QObject* parent = nullptr);
    ~StoreClient() override; // finishes every queued job first

    QString path() const { return path_; }

    // job runs on the store thread with the open Store; done(result) then
    // runs on context's thread. A failure goes to failed (or, without one,
    // to the error() signal) and done is not called. Whatever a job throws
    // is caught there: an exception that is not a StoreError arrives as one
    // of kind Other, so no job can end the store thread (and, with it, the
    // saves of the text in the editor).
    template <class Job, class Done>
    void submit(QObject* context, Job job, Done done,
                std::function<void(const StoreError&)> failed = {}) {
        using R = std::invoke_result_t<Job, Store&>;
        QPointer<QObject> ctx(context);
        QMetaObject::invokeMethod(worker_, [this, ctx, job = std::move(job), done = std::move(done),
                                            failed = std::move(failed)]() mutable {
            try {
                if (!store_) throw openError();
                if (testHook_) testHook_();
                if constexpr (std::is_void_v<R>) {
                    job(*store_);
                    post(ctx, [done = std::move(done)]() mutable { done(); });
                } else {
                    auto r = std::make_shared<R>(job(*store_));
                    post(ctx, [done = std::move(done), r]() mutable { done(std::move(*r)); });
                }
            } catch (...) {
                reportFailure(ctx, currentError(), std::move(failed));
            }
        }, Qt::QueuedConnection);
    }
    // Fire and forget: errors go to error().
    template <class Job>
    void submit(Job job) {
        submit(this, std::move(job), [](auto&&...) {});
    }

    // Blocks until every job submitted so far has run. Tests only.
    void waitForIdle();
    // Runs hook on the store thread before each job submitted after this
    // call (an empty one removes it); what it throws fails the job as the
    // job's own exception would. Tests only.
    void setTestHook(std::function<void()> hook);

    // Sentences for the window, per kind ("the library is read-only"...).
    static QString describe(const StoreError& e);

Q_SIGNALS:
    void error(const QString& message, int kind);

private:
    void post(const QPointer<QObject>& ctx, std::function<void()> f);
    void reportFailure(const QPointer<QObject>& ctx, const StoreError& e,
                       std::function<void(const StoreError&)> failed);
    StoreError openError() const;
    // The exception being handled, as a StoreError. Only inside a catch.
    StoreError currentError() const;

    QString path_;
    QThread thread_;
    QObject* worker_ = nullptr; // lives on thread_, the jobs' event target
    std::unique_ptr<Store> store_; // touched only on thread_
    std::unique_ptr<StoreError> openError_;
    std::function<void()> testHook_; // touched only on thread_
};

} // namespace fabula::ui
