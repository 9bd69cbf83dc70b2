#pragma once
// The prompt the next Continue will send, built off the GUI thread as the
// writer types (for the context viewer). ContextPreviewWorker lives on its
// own thread with its own tokenizer (read from the loaded model's folder) and
// runs the same build_prompt as the engine; ContextPreview, on the GUI
// thread, gathers the inputs a moment after typing pauses and passes on only
// the newest result. Results cross threads as plain Qt values.
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>
#include <QVector>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace fabula {
class Tokenizer;
struct StoryContext;
} // namespace fabula

namespace fabula::ui {

class DraftEditor;
class StorySession;

struct ContextPart {
    QString kind; // "memory", "lore", "story", "authors_note" (to_string(PromptPartKind))
    QString text;
    QString key;  // lore: the entry's name
    int tokens = 0;
    qint64 words = 0;
};

struct ContextPreviewResult {
    quint64 requestId = 0;
    QVector<ContextPart> parts; // in prompt order
    int budget = 0;             // tokens the prompt may use
    int total = 0;              // tokens it uses
    QStringList loreFired, loreDropped;
    QString error;              // the builder's refusal, or why there is no preview
};

class ContextPreviewWorker : public QObject {
    Q_OBJECT
public:
    // Starts its own thread and moves itself there; destroy with shutdown().
    static ContextPreviewWorker* create();
    void shutdown();

    // Any thread. A build whose id is below this is skipped: a newer one waits.
    void setNewest(quint64 id) { newest_.store(id); }
    // Tests: runs on the worker's thread before each build (a hook that
    // blocks makes a build slow, deterministically); and where builds ran.
    void setTestBuildHook(std::function<void()> hook);
    int builds() const { return builds_.load(); }
    int buildsOnGuiThread() const { return buildsOnGuiThread_.load(); }
    int buildsOffOwnThread() const { return buildsOffOwnThread_.load(); }
    QThread* workerThread() const { return thread_; }

public Q_SLOTS:
    void loadTokenizer(const QString& modelDir);
    void build(quint64 requestId, const QString& story, std::shared_ptr<const fabula::StoryContext> context,
               int contextLength, int maxNewTokens);

Q_SIGNALS:
    void built(const fabula::ui::ContextPreviewResult& result);
    void buildStarted(quint64 requestId);

private:
    ContextPreviewWorker();
    ~ContextPreviewWorker() override;

    QThread* thread_ = nullptr;
    std::unique_ptr<Tokenizer> tokenizer_;
    QString tokenizerError_;
    std::atomic<quint64> newest_{0};
    std::atomic<int> builds_{0}, buildsOnGuiThread_{0}, buildsOffOwnThread_{0};
    std::mutex hookMutex_;
    std::function<void()> hook_;
};

class ContextPreview : public QObject {
    Q_OBJECT
public:
    ContextPreview(DraftEditor* editor, StorySession* story, QObject* parent = nullptr);
    ~ContextPreview() override;

    ContextPreviewWorker* worker() const { return worker_; }
    // Builds run only while something shows them.
    void setActive(bool on);
    bool isActive() const { return active_; }
    void setModel(const QString& dir, int contextLength);
    // Where the next Continue's max new tokens come from (read at each build).
    void setMaxNewTokens(std::function<int()> source) { maxNew_ = std::move(source); }
    void setDelay(int ms) { debounce_.setInterval(ms); }
    // The newest result passed on (requestId 0: none yet).
    const ContextPreviewResult& result() const { return result_; }

public Q_SLOTS:
    void schedule(); // a moment from now (restarts while typing goes on)
    void buildNow();

Q_SIGNALS:
    void updated(const fabula::ui::ContextPreviewResult& result);

private:
    DraftEditor* editor_;
    StorySession* story_;
    ContextPreviewWorker* worker_;
    QTimer debounce_;
    bool active_ = false;
    int contextLength_ = 0;
    std::function<int()> maxNew_;
    quint64 issued_ = 0;
    ContextPreviewResult result_;
};

} // namespace fabula::ui

Q_DECLARE_METATYPE(fabula::ui::ContextPreviewResult)
