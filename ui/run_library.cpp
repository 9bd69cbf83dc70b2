#include "ui/run_library.h"

#include "core/atomic_folder.h"
#include "ui/store_client.h"
#include "training/train_contract.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSet>

namespace fabula::ui {

namespace {

QJsonObject parseMetrics(const std::string& json) {
    return QJsonDocument::fromJson(QByteArray::fromStdString(json)).object();
}

std::string dump(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString(); }

// The store status a run's end is recorded as.
std::optional<TrainingStatus> statusOf(TrainingRun::State s) {
    using S = TrainingRun::State;
    switch (s) {
    case S::Starting:
    case S::Training:
    case S::Pausing: return TrainingStatus::Running;
    case S::Paused: return TrainingStatus::Paused;
    case S::Stopped: return TrainingStatus::Stopped;
    case S::Finished: return TrainingStatus::Finished;
    case S::Failed: return TrainingStatus::Failed;
    case S::Idle: break;
    }
    return std::nullopt;
}

// Steps are frequent; the store hears of them every so many, and at every
// checkpoint, evaluation and end.
constexpr qint64 kStepsPerWrite = 25;

} // namespace

RunLibrary::RunLibrary(StoreClient* store, QObject* parent) : QObject(parent), store_(store) {}

TrainingRun* RunLibrary::run(qint64 id) const { return runs_.value(id, nullptr); }

bool RunLibrary::anyTraining() const {
    for (TrainingRun* r : runs_)
        if (r->isAlive()) return true;
    return false;
}

void RunLibrary::pauseAll() {
    for (TrainingRun* r : runs_)
        if (r->isAlive()) r->pause();
}

void RunLibrary::record(qint64 id, std::optional<int> status) {
    const std::string metrics = dump(metrics_.value(id));
    store_->submit(this, [id, status, metrics](Store& s) {
        if (status) s.update_training_run(id, TrainingStatus(*status), metrics);
        else if (auto row = s.get_training_run(id)) s.update_training_run(id, row->status, metrics);
    }, [this] { Q_EMIT runsChanged(); });
}

void RunLibrary::adopt(qint64 id, TrainingRun* run, const QJsonObject& metrics) {
    runs_.insert(id, run);
    metrics_.insert(id, metrics);
    connect(run, &TrainingRun::started, this, [this, id](const RunStart& s) {
        metrics_[id][QStringLiteral("total_steps")] = s.totalSteps;
        record(id, int(TrainingStatus::Running));
    });
    connect(run, &TrainingRun::stepLogged, this, [this, id](const RunStep& s) {
        QJsonObject& m = metrics_[id];
        m[QStringLiteral("steps")] = s.step;
        m[QStringLiteral("total_steps")] = s.totalSteps;
        m[QStringLiteral("loss")] = s.loss;
        Q_EMIT progress(id, s.step, s.totalSteps, s.loss);
        if (s.step % kStepsPerWrite == 0) record(id, std::nullopt);
    });
    connect(run, &TrainingRun::evaluated, this, [this, id](const RunEval& e) {
        QJsonObject& m = metrics_[id];
        m[QStringLiteral("eval_loss")] = e.loss;
        m[QStringLiteral("perplexity")] = e.perplexity;
        record(id, std::nullopt);
    });
    connect(run, &TrainingRun::checkpointSaved, this, [this, id](qint64 step, const QString& path) {
        metrics_[id][QStringLiteral("checkpoint")] = path;
        metrics_[id][QStringLiteral("checkpoint_step")] = step;
        record(id, std::nullopt);
    });
    connect(run, &TrainingRun::finished, this, [this, id](const QString& model) {
        metrics_[id][QStringLiteral("model")] = model;
        record(id, int(TrainingStatus::Finished));
    });
    connect(run, &TrainingRun::stopped, this, [this, id, run](qint64 step, const QString& checkpoint) {
        metrics_[id][QStringLiteral("steps")] = step;
        metrics_[id][QStringLiteral("checkpoint")] = checkpoint;
        record(id, int(run->state() == TrainingRun::State::Paused ? TrainingStatus::Paused : TrainingStatus::Stopped));
    });
    connect(run, &TrainingRun::failed, this, [this, id](const QString& message) {
        metrics_[id][QStringLiteral("error")] = message;
        record(id, int(TrainingStatus::Failed));
    });
}

TrainingRun* RunLibrary::start(const training::TrainOptions& options, const RunInfo& info,
                               std::function<void(qint64)> done,
                               std::function<void(TrainingRun*)> beforeStart) {
    auto* run = new TrainingRun(this);
    NewTrainingRun row;
    row.name = info.name.toStdString();
    row.out_dir = QDir(QString::fromStdString(options.out.string())).absolutePath().toStdString();
    row.model_id = info.baseModelId;
    row.parent_run_id = info.parentRunId;
    row.settings_json = training::to_options_json(options).dump();
    row.data_fingerprint = info.dataFingerprint.toStdString();
    // The row first, so every event has a row to land in; the run starts
    // at once all the same (its events wait in the store's queue).
    store_->submit(this, [row](Store& s) { return s.add_training_run(row); }, [this, run, done](qint64 id) {
        adopt(id, run, {});
        // Events that arrived before the row: what they said, once.
        if (auto st = statusOf(run->state()); st && *st != TrainingStatus::Running) record(id, int(*st));
        Q_EMIT runsChanged();
        if (done) done(id);
    });
    if (beforeStart) beforeStart(run);
    run->start(options);
    return run;
}

TrainingRun* RunLibrary::resume(qint64 id, const QString& runDir) {
    TrainingRun* run = runs_.value(id, nullptr);
    if (!run) {
        run = new TrainingRun(this);
        run->attach(runDir); // before adopting: the replay is history the row already holds
        adopt(id, run, {});
        store_->submit(this, [id](Store& s) { return s.get_training_run(id); },
                       [this, id](std::optional<fabula::TrainingRun> row) {
                           if (!row) return;
                           QJsonObject m = parseMetrics(row->metrics_json);
                           for (auto it = metrics_[id].begin(); it != metrics_[id].end(); ++it) m[it.key()] = it.value();
                           metrics_[id] = m;
                       });
    }
    run->resume();
    return run;
}

void RunLibrary::recover() {
    store_->submit(this, [](Store& s) { return s.list_training_runs(); }, [this](std::vector<fabula::TrainingRun> rows) {
        QSet<qint64> interrupted;
        for (const auto& row : rows) {
            if (row.status != TrainingStatus::Running && row.status != TrainingStatus::Queued) continue;
            if (runs_.contains(row.id)) continue;
            auto* run = new TrainingRun(this);
            run->attach(QString::fromStdString(row.out_dir));
            adopt(row.id, run, parseMetrics(row.metrics_json));
            if (run->isAlive()) continue; // re-attached: its events go on arriving
            const auto st = statusOf(run->state());
            if (run->diedUnreported() || !st || *st == TrainingStatus::Running) interrupted.insert(row.id);
            else record(row.id, int(*st)); // it ended on its own while Fabula was closed
        }
        store_->submit(this, [interrupted](Store& s) {
            return s.mark_interrupted_runs([&](const fabula::TrainingRun& r) { return !interrupted.contains(r.id); });
        }, [this](std::vector<fabula::TrainingRun> marked) {
            Q_EMIT runsChanged();
            if (marked.empty()) return;
            QList<qint64> ids;
            QStringList names, dirs;
            for (const auto& r : marked) {
                ids << r.id;
                names << QString::fromStdString(r.name.empty() ? r.out_dir : r.name);
                dirs << QString::fromStdString(r.out_dir);
            }
            Q_EMIT interruptedFound(ids, names, dirs);
        });
    });
}

bool RunLibrary::removeRunFolder(const QString& runDir) {
    namespace fs = std::filesystem;
    const fs::path dir = runDir.toStdString();
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return !fs::exists(dir, ec);
    for (const char* name : {"fabula.json", "metrics.jsonl", training::kRunEventsFile, "options.json",
                             training::kTrainLockFile})
        fs::remove(dir / name, ec);
    const fs::path checkpoints = dir / "checkpoints";
    if (fs::is_directory(checkpoints, ec)) {
        remove_stale_temporaries(checkpoints);
        std::vector<fs::path> steps;
        for (const auto& e : fs::directory_iterator(checkpoints, ec)) {
            const std::string n = e.path().filename().string();
            if (e.is_directory() && n.rfind("step-", 0) == 0) steps.push_back(e.path());
        }
        for (const auto& s : steps) remove_fabula_folder(s);
        fs::remove(checkpoints, ec); // only when empty
    }
    remove_stale_temporaries(dir);
    // A full run's model/, a LoRA run's adapter/ (the voice).
    for (const char* result : {"model", "adapter"})
        if (fs::is_directory(dir / result, ec)) remove_fabula_folder(dir / result);
    fs::remove(dir, ec); // only when empty: what Fabula did not write stays
    return !fs::exists(dir, ec);
}

void RunLibrary::remove(qint64 id, const QString& runDir, std::function<void(const QString&)> done) {
    if (TrainingRun* r = runs_.value(id, nullptr); r && r->isAlive()) {
        if (done) done(tr("The run is still training; pause it first."));
        return;
    }
    const bool all = removeRunFolder(runDir);
    if (TrainingRun* r = runs_.take(id)) r->deleteLater();
    metrics_.remove(id);
    store_->submit(this, [id](Store& s) { s.remove_training_run(id); }, [this, done, all, runDir] {
        Q_EMIT runsChanged();
        if (done)
            done(all ? QString()
                     : tr("The run was removed, but %1 still holds files Fabula did not write; they were left alone.")
                           .arg(QDir::toNativeSeparators(runDir)));
    }, [done](const StoreError& e) {
        if (done) done(StoreClient::describe(e));
    });
}

void RunLibrary::useResult(qint64 id, const QString& name, const QString& modelDir, std::function<void(qint64)> done,
                           std::function<void(const QString&)> failed) {
    const std::string n = name.toStdString(), p = QDir(modelDir).absolutePath().toStdString();
    store_->submit(this, [id, n, p](Store& s) {
        const std::int64_t model = s.add_or_update_model(n, p);
        if (id > 0) s.set_training_run_result(id, model);
        return model;
    }, [this, done](std::int64_t model) {
        Q_EMIT runsChanged();
        if (done) done(model);
    }, [failed](const StoreError& e) {
        if (failed) failed(StoreClient::describe(e));
    });
}

} // namespace fabula::ui
