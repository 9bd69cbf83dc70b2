#include "ui/model_manager.h"

#include "core/lora.h"
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

QString absolute(const QString& path) { return QDir::cleanPath(QDir(path).absolutePath()); }

// The last part of a path or hub id ("openai-community/gpt2" -> "gpt2").
QString lastPart(QString s) {
    while (s.endsWith(QLatin1Char('/')) || s.endsWith(QLatin1Char('\\'))) s.chop(1);
    const qsizetype slash = std::max(s.lastIndexOf(QLatin1Char('/')), s.lastIndexOf(QLatin1Char('\\')));
    return slash >= 0 ? s.mid(slash + 1) : s;
}

// Puts the voice under the first base it was made for that it fits; says
// why when there is none. A named base that does not fit is the reason
// given, because that is the one the writer will look for.
void placeVoice(RegisteredVoice& v, const AdapterFolder& adapter, const QVector<RegisteredModel>& bases,
                const QString& runBase) {
    const QString madeFor = v.madeFor;
    auto named = [&](const RegisteredModel& m) {
        if (!runBase.isEmpty()) return absolute(m.path) == absolute(runBase);
        if (madeFor.isEmpty()) return true; // PEFT may write none: any base whose shapes fit
        return absolute(m.path) == absolute(madeFor) || m.name == madeFor ||
               QDir(m.path).dirName() == lastPart(madeFor);
    };
    QString misfit;
    for (const RegisteredModel& m : bases) {
        if (!named(m)) continue;
        try {
            adapter.check_fits(ModelFolder::inspect(std::filesystem::path(m.path.toStdString())));
            v.basePath = m.path;
            v.problem.clear();
            return;
        } catch (const std::exception& e) {
            if (misfit.isEmpty()) misfit = QString::fromUtf8(e.what());
        }
    }
    if (!misfit.isEmpty()) v.problem = misfit;
    else if (madeFor.isEmpty())
        v.problem = QObject::tr("This voice names no base model and fits none of the models in the list.");
    else
        v.problem = QObject::tr("This voice was made for %1, which is not in the model list: add that model "
                                "first, then choose the voice under it.")
                        .arg(madeFor);
}

} // namespace

ModelLibrary sortModelLibrary(const std::vector<ModelRecord>& records, const std::vector<TrainingRun>& runs) {
    ModelLibrary out;
    struct Candidate {
        RegisteredVoice voice;
        QString runBase;
    };
    std::vector<Candidate> candidates;
    QStringList seen;
    for (const auto& m : records) {
        const QString path = QString::fromStdString(m.path);
        if (!AdapterFolder::is_adapter(std::filesystem::path(m.path))) {
            out.models.push_back({m.id, QString::fromStdString(m.name), path, QString::fromStdString(m.weights_sha256)});
            continue;
        }
        RegisteredVoice v;
        v.id = m.id;
        v.name = QString::fromStdString(m.name);
        v.path = path;
        candidates.push_back({v, {}});
        seen << absolute(path);
    }
    // A finished LoRA run's adapter is a voice before anyone registers it.
    for (const auto& r : runs) {
        if (r.status != TrainingStatus::Finished || r.out_dir.empty()) continue;
        const QString dir = absolute(QDir(QString::fromStdString(r.out_dir)).filePath(QStringLiteral("adapter")));
        if (seen.contains(dir) || !AdapterFolder::is_adapter(std::filesystem::path(dir.toStdString()))) continue;
        RegisteredVoice v;
        v.path = dir;
        v.name = QString::fromStdString(r.name);
        QString base;
        if (r.model_id)
            for (const auto& m : records)
                if (m.id == *r.model_id) base = QString::fromStdString(m.path);
        candidates.push_back({v, base});
        seen << dir;
    }
    for (auto& [v, runBase] : candidates) {
        try {
            const AdapterFolder adapter = AdapterFolder::inspect(std::filesystem::path(v.path.toStdString()));
            // The folder's own voice name wins over the row's, which is only the folder's name.
            const QString own = QString::fromStdString(adapter.name);
            if (v.name.isEmpty() || v.name == QDir(v.path).dirName()) v.name = own;
            v.madeFor = QString::fromStdString(adapter.base_model);
            placeVoice(v, adapter, out.models, runBase);
        } catch (const std::exception& e) {
            if (v.name.isEmpty()) v.name = QDir(v.path).dirName();
            v.problem = QString::fromUtf8(e.what());
        }
        out.voices.push_back(v);
    }
    return out;
}

ModelManager::ModelManager(EngineWorker* engine, StoreClient* store, QObject* parent)
    : QObject(parent), engine_(engine), store_(store) {
    connect(engine_, &EngineWorker::modelLoadProgress, this, &ModelManager::loadProgress);
    connect(engine_, &EngineWorker::modelLoaded, this, [this](const ModelInfo& info) {
        loading_ = --loadsInFlight_ > 0;
        loaded_ = engineHasModel_ = true;
        info_ = info;
        // A freshly loaded base speaks alone until a voice is put on it
        // (loaded() says so; voiceChanged() is for switches the writer asked for).
        voice_.clear();
        voiceName_.clear();
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
    connect(engine_, &EngineWorker::voiceChanged, this, [this](const QString& dir, const QString& name) {
        voice_ = dir;
        voiceName_ = name;
        Q_EMIT voiceChanged(dir, name);
    });
    connect(engine_, &EngineWorker::voiceFailed, this, [this](const QString& dir, const QString& message) {
        Q_EMIT voiceFailed(tr("Could not switch to the voice in %1: %2").arg(QDir::toNativeSeparators(dir), message));
    });
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
    const quint64 serial = ++refreshSerial_;
    store_->submit(this, [](Store& s) { return std::make_pair(s.list_models(), s.list_training_runs()); },
                   [this, serial](std::pair<std::vector<ModelRecord>, std::vector<TrainingRun>> rows) {
        if (serial != refreshSerial_) return;
        // Telling voices from models reads their folders: off the GUI thread.
        auto* watcher = new QFutureWatcher<ModelLibrary>(this);
        connect(watcher, &QFutureWatcher<ModelLibrary>::finished, this, [this, watcher, serial] {
            watcher->deleteLater();
            if (serial != refreshSerial_) return;
            const ModelLibrary library = watcher->result();
            models_ = library.models;
            voices_ = library.voices;
            Q_EMIT modelsChanged();
        });
        watcher->setFuture(QtConcurrent::run([rows = std::move(rows)] { return sortModelLibrary(rows.first, rows.second); }));
    });
}

QVector<RegisteredVoice> ModelManager::voicesOf(const QString& basePath) const {
    QVector<RegisteredVoice> out;
    for (const RegisteredVoice& v : voices_)
        if (v.usable() && absolute(v.basePath) == absolute(basePath)) out.push_back(v);
    return out;
}

const RegisteredVoice* ModelManager::voiceAt(const QString& adapterDir) const {
    for (const RegisteredVoice& v : voices_)
        if (absolute(v.path) == absolute(adapterDir)) return &v;
    return nullptr;
}

void ModelManager::choose(const QString& dir, const QString& voice) {
    if (loaded_ && !loading_ && absolute(info_.path) == absolute(dir)) setVoice(voice);
    else load(dir, voice);
}

void ModelManager::setVoice(const QString& adapterDir) {
    QMetaObject::invokeMethod(engine_, [e = engine_, adapterDir] { e->setVoice(adapterDir); }, Qt::QueuedConnection);
}

void ModelManager::addFolder(const QString& dir) {
    struct Checked {
        QString problem;
        QString voiceName; // set for an adapter folder
    };
    auto* watcher = new QFutureWatcher<Checked>(this);
    connect(watcher, &QFutureWatcher<Checked>::finished, this, [this, watcher, dir] {
        watcher->deleteLater();
        const Checked c = watcher->result();
        if (!c.problem.isEmpty()) {
            Q_EMIT addFailed(dir, c.problem);
            return;
        }
        if (c.voiceName.isEmpty()) {
            load(dir);
            return;
        }
        // A voice is listed under its base; it is put on when the writer chooses it.
        store_->submit(this, [name = c.voiceName.toStdString(), path = absolute(dir).toStdString()](Store& s) {
            s.add_or_update_model(name, path);
        }, [this, dir, name = c.voiceName] {
            refresh();
            Q_EMIT voiceAdded(dir, name);
        });
    });
    watcher->setFuture(QtConcurrent::run([dir]() -> Checked {
        const std::filesystem::path d(dir.toStdString());
        if (!AdapterFolder::is_adapter(d)) return {check(dir), {}};
        try {
            return {{}, QString::fromStdString(AdapterFolder::inspect(d).name)};
        } catch (const std::exception& e) {
            return {QString::fromUtf8(e.what()), {}};
        }
    }));
}

void ModelManager::load(const QString& dir, const QString& voice) {
    ++loadsInFlight_;
    loading_ = true;
    loaded_ = false; // nothing generates while the engine is busy loading
    engine_->cancel(); // a running generation would hold up the load
    Q_EMIT loadStarted(dir);
    QMetaObject::invokeMethod(engine_, [e = engine_, dir, voice] { e->loadModel(dir, QString(), voice); },
                              Qt::QueuedConnection);
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
