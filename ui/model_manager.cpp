#include "ui/model_manager.h"

#include "core/model_folder.h"
#include "ui/engine_worker.h"
#include "ui/store_client.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace fabula::ui {

namespace {

QString sha256Of(const QString& file) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    if (!h.addData(&f)) return {};
    return QString::fromLatin1(h.result().toHex());
}

} // namespace

ModelManager::ModelManager(EngineWorker* engine, StoreClient* store, QObject* parent)
    : QObject(parent), engine_(engine), store_(store) {
    connect(engine_, &EngineWorker::modelLoadProgress, this, &ModelManager::loadProgress);
    connect(engine_, &EngineWorker::modelLoaded, this, [this](const ModelInfo& info) {
        loading_ = false;
        loaded_ = true;
        info_ = info;
        registerLoaded(info);
        Q_EMIT loaded(info);
    });
    connect(engine_, &EngineWorker::modelLoadFailed, this, [this](const QString& path, const QString& message) {
        loading_ = false;
        loaded_ = false;
        Q_EMIT loadFailed(tr("Could not load the model in %1: %2").arg(QDir::toNativeSeparators(path), message));
    });
}

QString ModelManager::check(const QString& dir) {
    try {
        const auto folder = ModelFolder::inspect(std::filesystem::path(dir.toStdString()));
        (void)folder.load_tokenizer();
        return {};
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
}

void ModelManager::refresh() {
    store_->submit(this, [](Store& s) { return s.list_models(); }, [this](std::vector<ModelRecord> list) {
        models_.clear();
        for (const auto& m : list)
            models_.push_back({m.id, QString::fromStdString(m.name), QString::fromStdString(m.path),
                               QString::fromStdString(m.weights_sha256)});
        Q_EMIT modelsChanged();
    });
}

void ModelManager::addFolder(const QString& dir) {
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, dir] {
        watcher->deleteLater();
        if (const QString problem = watcher->result(); !problem.isEmpty()) {
            Q_EMIT addFailed(dir, problem);
            return;
        }
        load(dir);
    });
    watcher->setFuture(QtConcurrent::run(&ModelManager::check, dir));
}

void ModelManager::load(const QString& dir) {
    loading_ = true;
    loaded_ = false;
    engine_->cancel(); // a running generation would hold up the load
    Q_EMIT loadStarted(dir);
    QMetaObject::invokeMethod(engine_, [e = engine_, dir] { e->loadModel(dir, QString()); }, Qt::QueuedConnection);
}

void ModelManager::remove(qint64 id) {
    store_->submit(this, [id](Store& s) { s.remove_model(id); }, [this] { refresh(); });
}

void ModelManager::registerLoaded(const ModelInfo& info) {
    // A fresh handle: continuations of the previous model keep its id.
    modelId_ = std::make_shared<std::int64_t>(0);
    auto handle = modelId_;
    const std::string path = QDir(info.path).absolutePath().toStdString();
    const std::string name = info.name.toStdString();
    // Keyed by path; an already known checksum is kept rather than cleared.
    store_->submit(this, [handle, path, name](Store& s) {
        for (const auto& m : s.list_models())
            if (m.path == path) {
                *handle = m.id;
                return m.weights_sha256;
            }
        *handle = s.add_or_update_model(name, path);
        return std::string();
    }, [this, path, name](std::string sha) {
        refresh();
        if (!sha.empty()) {
            Q_EMIT fingerprinted(QString::fromStdString(sha));
            return;
        }
        const QString weights = QDir(QString::fromStdString(path)).filePath(QStringLiteral("model.safetensors"));
        auto* watcher = new QFutureWatcher<QString>(this);
        connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path, name] {
            watcher->deleteLater();
            const QString digest = watcher->result();
            if (digest.isEmpty()) return;
            store_->submit(this, [path, name, d = digest.toStdString()](Store& s) {
                s.add_or_update_model(name, path, d);
            }, [this, digest] {
                refresh();
                Q_EMIT fingerprinted(digest);
            });
        });
        watcher->setFuture(QtConcurrent::run(&sha256Of, weights));
    });
}

} // namespace fabula::ui
