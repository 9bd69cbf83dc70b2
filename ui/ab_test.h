#pragma once
// A blind A/B test: one Continue gives a continuation from each of two arms
// (voices of the loaded base and/or sampling settings) for the same context
// and the same seed, shown in a random order as "A" and "B" without their
// names; the writer picks one or neither. Both continuations share a store
// round, the pick is recorded with Store::record_ab_pick (the store turns it
// into a pair, "neither" into none) and the picked text goes into the draft
// as an accepted continuation. The order comes from a seeded generator, so
// tests can fix it.
#include "ui/document_manager.h"
#include "ui/engine_types.h"

#include <QObject>
#include <QRandomGenerator>
#include <QString>

namespace fabula::ui {

class DraftEditor;
class EngineWorker;
class ModelManager;
class StoreClient;
class StorySession;

struct AbArm {
    QString label;   // its name in the comparison view; hidden until the pick
    QString adapter; // a voice of the loaded base; empty: the base alone
    GenerationSettings settings;
};

class AbTest : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Generating, Choosing };
    Q_ENUM(State)

    AbTest(EngineWorker* engine, StoreClient* store, DraftEditor* editor, DocumentManager* documents,
           ModelManager* models, QObject* parent = nullptr);

    // The draft's memory, note and lorebook go into both prompts, as into Continue's (none: the story alone).
    void setStorySession(StorySession* story) { story_ = story; }
    // The arms must have different labels: a pairing is known by them.
    void setArms(const AbArm& first, const AbArm& second);
    const AbArm& arm(int i) const { return arms_[i]; }
    // Reseeds the generator that orders the arms and draws the shared seed.
    void setOrderSeed(quint32 seed) { rng_.seed(seed); }
    State state() const { return state_; }

    QString textA() const { return shown_[0].text; }
    QString textB() const { return shown_[1].text; }
    // The arm behind A and B: empty until the writer has picked.
    QString labelA() const { return revealed_ ? arms_[order_[0]].label : QString(); }
    QString labelB() const { return revealed_ ? arms_[order_[1]].label : QString(); }

public Q_SLOTS:
    void continueText();
    void pickA() { pick(0); }
    void pickB() { pick(1); }
    void pickNeither() { pick(-1); }
    // Stops a round still writing; what arrived is recorded and not shown.
    void cancel();

Q_SIGNALS:
    void stateChanged(fabula::ui::AbTest::State state);
    // Both continuations are in, as A and B.
    void ready(const QString& textA, const QString& textB);
    // After the pick: who was who.
    void revealed(const QString& labelA, const QString& labelB);
    // The store has the pick (its id).
    void picked(qint64 pickId);
    void message(const QString& text);

private:
    struct Shown {
        quint64 requestId = 0;
        QString text;
        ContinuationHandle handle;
        bool done = false;
        bool failed = false;
    };
    void onFinished(const GenerationOutcome& o);
    ContinuationHandle record(const GenerationOutcome& o, const GenerationSettings& s);
    void pick(int slot); // 0: A, 1: B, -1: neither
    void setState(State s);

    EngineWorker* engine_;
    StoreClient* store_;
    DraftEditor* editor_;
    DocumentManager* documents_;
    ModelManager* models_;
    StorySession* story_ = nullptr;
    AbArm arms_[2];
    QRandomGenerator rng_;
    State state_ = State::Idle;
    int order_[2] = {0, 1}; // order_[slot]: the arm shown in that slot
    Shown shown_[2];
    GenerationSettings sent_[2]; // per slot, as sent
    bool revealed_ = false;
    bool abandoned_ = false;
    qint64 draftId_ = 0;
    QString modelName_, modelPath_;
    QString context_; // the text both continue, to insert the pick only there
    int contextLength_ = 0; // the model's, for storyBeforeCursor
    ContinuationHandle round_;
};

} // namespace fabula::ui
