#pragma once
// What the wizard's pages hand each other: the stories staged for the run,
// prepare's reports, the settings and the run. One per wizard, owned by it.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind it
#include "training/trainer.h"
#endif

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace fabula::ui {

class ModelManager;
class RunLibrary;
class StoreClient;
class TrainingRun;

struct WizardState {
    StoreClient* store = nullptr;
    ModelManager* models = nullptr;
    // The app's runs: with it the wizard's run is a store row like any other
    // (the quit question, re-attaching at start, the Runs view); without it
    // (the screenshot) the wizard follows a TrainingRun of its own.
    RunLibrary* runs = nullptr;
    TrainingRun* run = nullptr;      // once the dashboard started it
    qint64 runId = 0;                // its store row, once recorded
    std::optional<qint64> parentRunId; // "Train more": the run this one continues

    // The folder the wizard made for this run: stories/ (what the writer
    // picked, copied), train/ and held-out/ (the split), run/ (fabula-cli's).
    QString runHome;
    QString storiesDir() const { return runHome + QStringLiteral("/stories"); }
    QString trainDir() const { return runHome + QStringLiteral("/train"); }
    QString heldOutDir() const { return runHome + QStringLiteral("/held-out"); }
    QString runDir() const { return runHome + QStringLiteral("/run"); }

    // Page 1: what prepare read (the staged folder, or one .jsonl/.csv file on its own).
    QString dataPath;
    bool staged = false; // dataPath is storiesDir(), so stories can be held out
    QString tokenizerModel; // the model whose tokenizer counts the tokens on page 1
    QJsonObject prepared;

    // Page 2.
    qint64 availableMemory = -1; // set by tests; -1: MemAvailable when the page reads the model
    int cudaDevices = -1;        // set by tests; -1: cuda_device_count() when the page is made
    QString baseModel; // its folder
    QString name;      // of the new model
    double heldOutShare = 0.1;
    training::TrainOptions options; // model, recipe, device; data and out are set on page 3 and 4

    // Page 3.
    QJsonObject estimate;
    qint64 parameters = 0, weightsBytes = 0;
    qint64 fullTrainingBytes = 0, loraTrainingBytes = 0; // the memory estimates of both methods
    QStringList heldOutOpenings; // the prompts of page 5

    // Page 4.
    QString modelDir; // the run's model, when it finished

    // "Learn from my feedback…": the feedback page's choices. The stories
    // above are then what the objective mixes in (lm_mix) and what the
    // result page measures perplexity on; the objective trains on feedbackData.
    bool feedback = false;
    training::ObjectiveKind objective = training::ObjectiveKind::LM;
    QString feedbackData;     // the chosen set's JSONL
    QString heldOutPairs;     // pairs kept out of training, for prefs-eval; empty: none
    double lmMix = 0;
    QString feedbackDir() const { return runHome + QStringLiteral("/feedback"); }
    QString feedbackSplitDir() const { return runHome + QStringLiteral("/feedback-split"); }
};

// fabula-cli arguments from the contract's JSON (training/train_contract.h):
// a switch set to true becomes `--key`, a value `--key value`; `drop` names
// keys the command does not take.
QStringList cliArguments(const training::TrainOptions& options, const QStringList& drop = {});
// What prepare does not take: where the run goes, and how many ranks train it
// (prepare reads and times in one process).
inline const QStringList kNotForPrepare{QStringLiteral("out"), QStringLiteral("nproc-per-node"),
                                        QStringLiteral("dist-timeout")};

// SHA-256 over the file names and contents under path (or of the one file),
// so runs on the same stories can be told apart from runs on others.
QString dataFingerprint(const QString& path);

// A LoRA step against a full one, in FLOPs per token: the forward pass (2N)
// and the gradients of the activations (2N) against those plus the weight
// gradients (2N more), the adapters' few FLOPs aside. An estimate: the
// attention and the optimizer step do not scale the same way.
inline constexpr double kLoraTimeShare = 4.0 / 6.0;

// Whether the run trains a voice (a LoRA adapter in RUN/adapter) rather than a whole model.
bool isAdapterFolder(const QString& dir);

// "1.2 GB", "340 MB".
QString formatBytes(qint64 bytes);
// "2 h 05 min", "4 min 10 s".
QString formatDuration(double seconds);

} // namespace fabula::ui
