#pragma once
// The models the writer has registered and the one that is loaded: checks a
// folder before adding it (off the GUI thread), asks the engine thread to
// load it, registers it in the store and fingerprints its weights (again
// whenever the file has changed), so every continuation names the exact
// model that wrote it. A load that fails leaves the model that worked.
// Voices (LoRA adapters) are listed under their base and switched on the
// loaded base without reading it again.
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

// A writer's voice: a LoRA adapter folder, registered like a model (its
// store row) or the adapter of a finished LoRA run, shown under the base it
// was made for.
struct RegisteredVoice {
    qint64 id = 0;      // its store row; 0 for a run's adapter not registered yet
    QString name;       // fabula.json's voice, else the folder's (or the run's) name
    QString path;       // the adapter folder
    QString madeFor;    // adapter_config.json's base_model_name_or_path
    QString basePath;   // the registered model it goes on; empty when none fits
    QString problem;    // why it cannot be chosen; empty when it can
    bool usable() const { return problem.isEmpty() && !basePath.isEmpty(); }
};

// The store's model rows and finished runs sorted into base models and
// voices: which base each voice belongs to (by base_model_name_or_path,
// then by the shapes). Reads the folders' headers: any thread but the GUI's.
struct ModelLibrary {
    QVector<RegisteredModel> models;
    QVector<RegisteredVoice> voices;
};
ModelLibrary sortModelLibrary(const std::vector<ModelRecord>& records, const std::vector<TrainingRun>& runs);

class ModelManager : public QObject {
    Q_OBJECT
public:
    ModelManager(EngineWorker* engine, StoreClient* store, QObject* parent = nullptr);

    // The base models; voices() the adapters (usable ones under a base).
    const QVector<RegisteredModel>& models() const { return models_; }
    const QVector<RegisteredVoice>& voices() const { return voices_; }
    QVector<RegisteredVoice> voicesOf(const QString& basePath) const;
    const RegisteredVoice* voiceAt(const QString& adapterDir) const;
    // The voice on the loaded model (empty: the base alone) and its name.
    const QString& voice() const { return voice_; }
    const QString& voiceName() const { return voiceName_; }
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
    // Loads the model in dir, then puts the voice on it (empty: none).
    void load(const QString& dir, const QString& voice = {});
    // The base with this voice: only the voice changes when that base is
    // already loaded.
    void choose(const QString& dir, const QString& voice);
    // Switches the loaded base's voice without reloading it (empty: none).
    void setVoice(const QString& adapterDir);
    void remove(qint64 id);

Q_SIGNALS:
    void modelsChanged();
    void addFailed(const QString& dir, const QString& message);
    // An adapter folder was added to the list as a voice (it is put on when chosen).
    void voiceAdded(const QString& dir, const QString& name);
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
    // The loaded model speaks in this voice now (adapterDir empty: the base).
    void voiceChanged(const QString& adapterDir, const QString& name);
    void voiceFailed(const QString& message);

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
    QVector<RegisteredVoice> voices_;
    QString voice_, voiceName_;
    quint64 refreshSerial_ = 0; // a refresh overtaken by a newer one is dropped
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
