#include "ui/model_manager.h"

#include "core/model_folder.h"
#include "ui/app_settings.h"
#include "ui/engine_worker.h"
#include "ui/store_client.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

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
        loading_ = --loadsInFlight_ > 0;
        loaded_ = engineHasModel_ = true;
        info_ = info;
        registerLoaded(info);
        // The weight bytes the speed measurements are scaled by (the headers only, off the GUI thread).
        loadedWeightBytes_ = 0;
        pendingSpeed_.reset();
        const quint64 serial = ++loadSerial_;
        auto* watcher = new QFutureWatcher<ModelSummary>(this);
        connect(watcher, &QFutureWatcher<ModelSummary>::finished, this, [this, watcher, serial] {
            watcher->deleteLater();
            if (serial != loadSerial_ || !watcher->result().ok()) return;
            loadedWeightBytes_ = watcher->result().weightBytes;
            if (pendingSpeed_) recordSpeed(*std::exchange(pendingSpeed_, std::nullopt));
        });
        watcher->setFuture(QtConcurrent::run(&ModelSummary::inspect, info.path));
        Q_EMIT loaded(info);
    });
    connect(engine_, &EngineWorker::finished, this, &ModelManager::recordSpeed);
    connect(engine_, &EngineWorker::modelLoadFailed, this, [this](const QString& path, const QString& message) {
        loading_ = --loadsInFlight_ > 0;
        // The engine replaces its model only once the new one has loaded:
        // the one that worked before is still there.
        loaded_ = engineHasModel_ && !loading_;
        QString text = tr("Could not load the model in %1: %2").arg(QDir::toNativeSeparators(path), message);
        if (engineHasModel_) text += QLatin1Char(' ') + tr("%1 is still loaded.").arg(info_.name);
        Q_EMIT loadFailed(text);
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
    ++loadsInFlight_;
    loading_ = true;
    loaded_ = false; // nothing generates while the engine is busy loading
    engine_->cancel(); // a running generation would hold up the load
    Q_EMIT loadStarted(dir);
    QMetaObject::invokeMethod(engine_, [e = engine_, dir] { e->loadModel(dir, QString()); }, Qt::QueuedConnection);
}

void ModelManager::recordSpeed(const GenerationOutcome& o) {
    // A cancelled or refused generation's speed says little about the machine.
    if (o.status != QLatin1String("finished") || !o.error.isEmpty() || o.tokensPerSecond <= 0 || loading_ ||
        !loaded_)
        return;
    if (loadedWeightBytes_ <= 0) { // the weights' size is still being read
        pendingSpeed_ = o;
        return;
    }
    MeasuredSpeed m;
    m.tokensPerSecond = o.tokensPerSecond;
    m.weightBytes = loadedWeightBytes_;
    m.model = info_.name;
    m.placement = info_.placement;
    AppSettings::setMeasuredSpeed(m);
    Q_EMIT speedMeasured(m);
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
    store_->submit(this, [handle, path, name](Store& s) {
        ModelRecord m = s.model_for_folder(name, path);
        *handle = m.id;
        return m;
    }, [this](ModelRecord m) {
        refresh();
        fingerprint(m);
    });
}

void ModelManager::fingerprint(const ModelRecord& m) {
    const std::string path = m.path;
    const std::string weights =
        QDir(QString::fromStdString(path)).filePath(QStringLiteral("model.safetensors")).toStdString();
    // Off the GUI thread: even the stat may wait on a slow disk, and the
    // hash reads gigabytes.
    auto* watcher = new QFutureWatcher<Fingerprint>(this);
    connect(watcher, &QFutureWatcher<Fingerprint>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        const Fingerprint f = watcher->result();
        if (f.sha256.empty()) return;
        if (!f.computed) {
            Q_EMIT fingerprinted(QString::fromStdString(f.sha256));
            return;
        }
        store_->submit(this, [path, f](Store& s) { return s.set_model_weights(path, f.sha256, f.stamp); },
                       [this, f](bool stored) {
                           if (stored) refresh();
                           Q_EMIT fingerprinted(QString::fromStdString(f.sha256));
                       });
    });
    watcher->setFuture(QtConcurrent::run([m, weights]() -> Fingerprint {
        const auto before = stamp_of_file(weights);
        if (!before) return {};
        if (std::string known = m.weights_sha256_for(before); !known.empty()) return {known, *before, false};
        std::string sha = sha256Of(QString::fromStdString(weights)).toStdString();
        // A file replaced while it was read has no checksum of its own yet.
        if (sha.empty() || stamp_of_file(weights) != before) return {};
        return {sha, *before, true};
    }));
}

} // namespace fabula::ui
