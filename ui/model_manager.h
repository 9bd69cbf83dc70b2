#pragma once
// The models the writer has registered and the one that is loaded: checks a
// folder before adding it (off the GUI thread), asks the engine thread to
// load it, registers it in the store and fingerprints its weights (again
// whenever the file has changed), so every continuation names the exact
// model that wrote it. A load that fails leaves the model that worked.
#include "ui/engine_types.h"
#include "ui/model_summary.h"

#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind it
#include "core/store/store.h"
#endif

#include <QObject>
#include <QVector>

#include <memory>
#include <optional>

namespace fabula::ui {

class EngineWorker;
class StoreClient;

struct RegisteredModel {
    qint64 id = 0;
    QString name;
    QString path;
    QString sha256;
};

class ModelManager : public QObject {
    Q_OBJECT
public:
    ModelManager(EngineWorker* engine, StoreClient* store, QObject* parent = nullptr);

    const QVector<RegisteredModel>& models() const { return models_; }
    bool isLoaded() const { return loaded_; }
    bool isLoading() const { return loading_; }
    const ModelInfo& info() const { return info_; }
    // The loaded model's id in the store, set on the store thread.
    std::shared_ptr<std::int64_t> modelId() const { return modelId_; }

    // Checks a folder (config, weights, tokenizer) without loading the weights.
    // Empty when usable, else the engine's message. Any thread.
    static QString check(const QString& dir);

public Q_SLOTS:
    void refresh();
    // Checks the folder on a worker thread, registers it and loads it.
    void addFolder(const QString& dir);
    void load(const QString& dir);
    void remove(qint64 id);

Q_SIGNALS:
    void modelsChanged();
    void addFailed(const QString& dir, const QString& message);
    void loadStarted(const QString& dir);
    void loadProgress(double fraction);
    void loaded(const fabula::ui::ModelInfo& info);
    void loadFailed(const QString& message);
    // The checksum of the loaded model's weights, from the store when it
    // was computed for the file as it is now, else computed again.
    void fingerprinted(const QString& sha256);
    // A generation of the loaded model finished and its speed was recorded
    // (AppSettings::measuredSpeed()) for the picker's estimates.
    void speedMeasured(const fabula::ui::MeasuredSpeed& speed);

private:
    struct Fingerprint {
        std::string sha256; // empty: the weights could not be read
        FileStamp stamp;
        bool computed = false; // not the store's
    };
    void registerLoaded(const ModelInfo& info);
    void fingerprint(const ModelRecord& m);
    void recordSpeed(const GenerationOutcome& outcome);

    EngineWorker* engine_;
    StoreClient* store_;
    QVector<RegisteredModel> models_;
    ModelInfo info_;
    bool loaded_ = false;
    bool loading_ = false;
    int loadsInFlight_ = 0;
    bool engineHasModel_ = false; // the engine keeps its model until a new one has loaded
    qint64 loadedWeightBytes_ = 0;  // of the loaded model as it runs; 0 until inspected
    quint64 loadSerial_ = 0;        // drops an inspection of a model that is no longer loaded
    std::optional<GenerationOutcome> pendingSpeed_; // finished before loadedWeightBytes_ was known
    std::shared_ptr<std::int64_t> modelId_ = std::make_shared<std::int64_t>(0);
};

} // namespace fabula::ui
