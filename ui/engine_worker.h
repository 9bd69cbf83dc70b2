#pragma once
// The GPT-2 engine on its own thread. The window talks to it only through
// queued signals and slots (GPT4All's chatllm idiom); the one exception is
// cancel(), which flips atomics the generator polls between tokens, because a
// queued "stop" would wait behind the very generation it is meant to stop.
#include "ui/engine_types.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace fabula {
class CausalLM;
class Tokenizer;
class Generator;
struct StoryContext;
} // namespace fabula

namespace fabula::ui {

class EngineWorker : public QObject {
    Q_OBJECT
public:
    // Starts its own thread and moves itself there; destroy with shutdown().
    static EngineWorker* create();
    // Stops the thread (after the running call), then deletes the worker.
    void shutdown();

    // Any thread. Ids increase; cancel() stops every request issued so far.
    quint64 nextRequestId();
    void cancel();

    // For tests: how many engine calls ran on a thread other than the
    // worker's own (must stay 0), and how many ran at all.
    int wrongThreadCalls() const { return wrongThreadCalls_.load(); }
    int engineCalls() const { return engineCalls_.load(); }
    // How many times a base model was read from its folder: switching voices
    // must leave it unchanged.
    int modelLoads() const { return modelLoads_.load(); }
    QThread* workerThread() const { return thread_; }

public Q_SLOTS:
    // With voice, that adapter goes on the base once it has loaded (a voice
    // that does not fit leaves the base alone and says so).
    void loadModel(const QString& path, const QString& device, const QString& voice = {});
    // Puts a voice (a LoRA adapter folder; empty: none) on the loaded base
    // without reading the base again.
    void setVoice(const QString& adapterDir);
    // contextText is the story before the cursor; story, when given, is
    // what the draft pins into the prompt (memory, lore, author's note). The
    // prompt comes from build_prompt; what it refuses (pinned parts longer
    // than the budget) arrives as the outcome's error.
    void generate(quint64 requestId, const QString& contextText, const fabula::ui::GenerationSettings& settings,
                  std::shared_ptr<const fabula::StoryContext> story = {});

Q_SIGNALS:
    void modelLoadProgress(double fraction);
    void modelLoaded(const fabula::ui::ModelInfo& info);
    void modelLoadFailed(const QString& path, const QString& message);
    // The voice now speaking (adapterDir empty: the base model alone).
    void voiceChanged(const QString& adapterDir, const QString& name);
    // The voice could not be put on the base; the previous one still speaks.
    void voiceFailed(const QString& adapterDir, const QString& message);
    void piece(quint64 requestId, const QString& text);
    void finished(const fabula::ui::GenerationOutcome& outcome);

private:
    EngineWorker();
    ~EngineWorker() override;
    void checkThread();

    QThread* thread_ = nullptr;
    std::unique_ptr<Tokenizer> tokenizer_;
    std::unique_ptr<CausalLM> model_;
    std::unique_ptr<Generator> generator_;
    std::atomic<bool> cancelFlag_{false};
    std::atomic<quint64> issued_{0};
    std::atomic<quint64> cancelledUpTo_{0};
    std::atomic<int> wrongThreadCalls_{0};
    std::atomic<int> engineCalls_{0};
    std::atomic<int> modelLoads_{0};
    QString adapter_, voice_; // the voice on model_
};

} // namespace fabula::ui
