#pragma once
// One continuation at a time, from request to decision: asks the engine
// thread for text before the cursor, streams it into the editor as a
// suggestion, records it in the store with the model and settings that made
// it, and records what the writer did with it (accepted, rejected, rated).
#include "ui/document_manager.h"
#include "ui/engine_types.h"

#include <QHash>
#include <QObject>
#include <QPair>
#include <QStringList>

#include <functional>
#include <memory>

namespace fabula {
enum class ContinuationStatus; // core/store/store.h
enum class GenerationEnd;      // core/store/store.h
struct StoryContext;           // core/prompt_builder.h
} // namespace fabula

namespace fabula::ui {

// The settings as recorded with a continuation, with the voice that wrote it.
QString settingsWithVoice(const GenerationSettings& settings, const GenerationOutcome& o);

class DraftEditor;
class EngineWorker;
class ModelManager;
class StoreClient;
class StorySession;

// The memory, author's note and lorebook of draftId for one prompt, as the
// store combines them after the story panel's last edits: what Continue and
// the A/B test both send with the story. send gets them, or null (the story
// alone) without a session or when they cannot be read, after problem got
// the reason. Called back on context's thread.
void withStoryContext(StoreClient* store, StorySession* story, qint64 draftId, QObject* context,
                      std::function<void(std::shared_ptr<const StoryContext>)> send,
                      std::function<void(const QString&)> problem);

class SuggestionController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Generating, Showing };
    Q_ENUM(State)

    SuggestionController(EngineWorker* engine, StoreClient* store, DraftEditor* editor, DocumentManager* documents,
                         ModelManager* models, QObject* parent = nullptr);

    void setSettings(const GenerationSettings& s) { settings_ = s; }
    // The draft's memory, note and lorebook go into each prompt (none: the story alone).
    void setStorySession(StorySession* story) { story_ = story; }
    const GenerationSettings& settings() const { return settings_; }
    State state() const { return state_; }
    // The last continuation shown (kept after accept, so it can still be rated).
    ContinuationHandle lastContinuation() const { return last_; }
    QStringList alternatives() const { return alternatives_; }

public Q_SLOTS:
    void continueText();
    void regenerate();
    void requestAlternatives(int count = 3);
    void chooseAlternative(int index);
    void accept();
    void reject();
    void stop();
    void rate(int thumbs, int stars = 0);

Q_SIGNALS:
    void stateChanged(fabula::ui::SuggestionController::State state);
    void generationFinished(const fabula::ui::GenerationOutcome& outcome);
    void alternativesReady(const QStringList& texts);
    void message(const QString& text);

private:
    // A request sent to the engine, as it was when sent: its outcome is
    // recorded with these even when the writer has moved on.
    struct Request {
        qint64 draftId = 0;
        GenerationSettings settings; // as clamped for the model
        QString modelName, modelPath;
        bool abandoned = false; // a later round replaced this one's
        ContinuationHandle round; // the store's round id, once begin_round ran
    };
    // sameRound: another draw for the place on screen (Regenerate, the
    // Alternatives of a shown continuation), so its continuations compete
    // with the earlier ones of the round for the same context.
    void start(int count, bool sameRound = false);
    void onPiece(quint64 id, const QString& text);
    void onFinished(const GenerationOutcome& o);
    ContinuationHandle record(const GenerationOutcome& o, const Request& request, GenerationEnd end);
    void decide(const ContinuationHandle& h, ContinuationStatus status);
    void setState(State s);
    void interrupted();

    EngineWorker* engine_;
    StoreClient* store_;
    DraftEditor* editor_;
    DocumentManager* documents_;
    ModelManager* models_;
    StorySession* story_ = nullptr;
    GenerationSettings settings_;
    State state_ = State::Idle;
    QList<quint64> pending_;    // requests of this round not yet finished
    QHash<quint64, Request> requests_; // every request not yet finished, this round's and abandoned ones
    QPair<int, int> clampNoted_{0, 0}; // (setting, context) the writer was last told about
    int roundSize_ = 1;         // 1: a continuation streamed in place; more: alternatives
    bool stopped_ = false;      // Stop pressed: show what arrived
    bool abandoned_ = false;    // typing or moving on: show nothing
    QString streamed_;
    ContinuationHandle current_; // the suggestion on screen
    ContinuationHandle last_;
    ContinuationHandle round_; // the round the next draw joins
    QStringList alternatives_;
    QList<ContinuationHandle> alternativeHandles_;
};

} // namespace fabula::ui
