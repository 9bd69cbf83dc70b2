#include "ui/ab_test.h"

#include "ui/editor.h"
#include "ui/engine_worker.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"
#include "ui/story_session.h"
#include "ui/suggestion_controller.h"

#include "core/generator.h"

#include <QDir>

namespace fabula::ui {

AbTest::AbTest(EngineWorker* engine, StoreClient* store, DraftEditor* editor, DocumentManager* documents,
               ModelManager* models, QObject* parent)
    : QObject(parent), engine_(engine), store_(store), editor_(editor), documents_(documents), models_(models),
      rng_(QRandomGenerator::global()->generate()) {
    connect(engine_, &EngineWorker::finished, this, &AbTest::onFinished);
}

void AbTest::setState(State s) {
    if (s == state_) return;
    state_ = s;
    Q_EMIT stateChanged(s);
}

void AbTest::setArms(const AbArm& first, const AbArm& second) {
    arms_[0] = first;
    arms_[1] = second;
}

void AbTest::continueText() {
    if (state_ == State::Generating) {
        Q_EMIT message(tr("Both continuations are still being written."));
        return;
    }
    if (!models_->isLoaded()) {
        Q_EMIT message(models_->isLoading() ? tr("The model is still loading.") : tr("Load a model first."));
        return;
    }
    if (documents_->currentDraft() == 0 || editor_->isReadOnly()) {
        Q_EMIT message(tr("Open or create a draft first."));
        return;
    }
    if (arms_[0].label.isEmpty() || arms_[0].label == arms_[1].label) {
        Q_EMIT message(tr("Choose two different arms to compare."));
        return;
    }
    if (editor_->suggestionActive()) {
        Q_EMIT message(tr("Accept or reject the suggestion in the draft first."));
        return;
    }
    // A round left without a pick: both were passed over.
    if (state_ == State::Choosing) pick(-1);

    const bool swap = rng_.bounded(2) == 1;
    order_[0] = swap ? 1 : 0;
    order_[1] = swap ? 0 : 1;
    const quint64 seed = rng_.generate64(); // one seed for both: only the arm differs
    revealed_ = abandoned_ = false;
    draftId_ = documents_->currentDraft();
    const ModelInfo& model = models_->info();
    modelName_ = model.name;
    modelPath_ = QDir(model.path).absolutePath();
    round_ = std::make_shared<std::int64_t>(0);
    store_->submit([r = round_](Store& s) { *r = s.begin_round(); });

    // The story as Continue cuts it, with the same pinned parts.
    contextLength_ = model.nPositions;
    const QString context = storyBeforeCursor(editor_, contextLength_);
    context_ = context;
    for (int slot = 0; slot < 2; ++slot) {
        const AbArm& arm = arms_[order_[slot]];
        GenerationSettings s = arm.settings;
        s.maxNewTokens = Generator::clamp_max_new_tokens(s.maxNewTokens, model.nPositions);
        s.seed = seed;
        sent_[slot] = s;
        shown_[slot] = Shown{engine_->nextRequestId(), {}, {}, false, false};
    }
    // Ids are issued, so a cancel before the story's parts arrive still stops both.
    auto send = [this, context](std::shared_ptr<const StoryContext> story) {
        const QString voice = models_->voice();
        QString speaking = voice;
        for (int slot = 0; slot < 2; ++slot) {
            const AbArm& arm = arms_[order_[slot]];
            // The engine runs its queue in order, so each generate sees the voice set just before it.
            if (arm.adapter != speaking) {
                QMetaObject::invokeMethod(engine_, [e = engine_, a = arm.adapter] { e->setVoice(a); },
                                          Qt::QueuedConnection);
                speaking = arm.adapter;
            }
            QMetaObject::invokeMethod(engine_, [e = engine_, id = shown_[slot].requestId, context, s = sent_[slot], story] {
                e->generate(id, context, s, story);
            }, Qt::QueuedConnection);
        }
        if (speaking != voice)
            QMetaObject::invokeMethod(engine_, [e = engine_, voice] { e->setVoice(voice); }, Qt::QueuedConnection);
    };
    withStoryContext(store_, story_, draftId_, this, send, [this](const QString& problem) { Q_EMIT message(problem); });
    setState(State::Generating);
}

void AbTest::onFinished(const GenerationOutcome& o) {
    int slot = -1;
    for (int i = 0; i < 2; ++i)
        if (shown_[i].requestId == o.requestId && !shown_[i].done) slot = i;
    if (slot < 0 || state_ != State::Generating) return;
    Shown& sh = shown_[slot];
    sh.done = true;
    sh.failed = !o.error.isEmpty() || o.text.isEmpty() || o.status == QLatin1String("cancelled");
    sh.text = o.text;
    // A voice that could not be put on leaves the previous one speaking:
    // its text would be credited to the wrong arm.
    const auto same = [](const QString& x, const QString& y) {
        return x.isEmpty() || y.isEmpty() ? x.isEmpty() && y.isEmpty()
                                          : QDir::cleanPath(QDir(x).absolutePath()) == QDir::cleanPath(QDir(y).absolutePath());
    };
    if (o.error.isEmpty() && !same(o.adapter, arms_[order_[slot]].adapter)) {
        sh.failed = true;
        Q_EMIT message(tr("The voice of \"%1\" could not be put on the model, so this round compares nothing.")
                           .arg(arms_[order_[slot]].label));
    }
    if (o.error.isEmpty()) sh.handle = record(o, sent_[slot]);
    if (!o.error.isEmpty()) Q_EMIT message(tr("The model could not continue: %1").arg(o.error));
    if (!shown_[0].done || !shown_[1].done) return;
    if (abandoned_ || shown_[0].failed || shown_[1].failed) {
        if (!abandoned_) Q_EMIT message(tr("One of the two wrote nothing to compare. Press Continue again."));
        setState(State::Idle);
        return;
    }
    setState(State::Choosing);
    Q_EMIT ready(shown_[0].text, shown_[1].text);
}

ContinuationHandle AbTest::record(const GenerationOutcome& o, const GenerationSettings& s) {
    auto handle = std::make_shared<std::int64_t>(0);
    NewContinuation c;
    if (draftId_) c.draft_id = draftId_;
    c.context_ids.assign(o.promptIds.begin(), o.promptIds.end());
    c.context_text = o.promptText.toStdString();
    c.continuation_ids.assign(o.ids.begin(), o.ids.end());
    c.continuation_text = o.text.toStdString();
    c.settings_json = settingsWithVoice(s, o).toStdString();
    c.prompt_tokens = o.promptIds.size();
    c.new_tokens = o.ids.size();
    c.ms_to_first_token = o.msToFirstToken;
    if (o.tokensPerSecond > 0) c.tokens_per_second = o.tokensPerSecond;
    const GenerationEnd end = abandoned_ ? GenerationEnd::Abandoned : GenerationEnd::Shown;
    store_->submit([handle, c, end, round = round_, name = modelName_.toStdString(),
                    path = modelPath_.toStdString()](Store& st) mutable {
        if (round && *round > 0) c.round_id = *round;
        if (!path.empty()) c.model_id = st.model_for_folder(name, path).id;
        *handle = st.record_generation(c, end).value_or(0);
    });
    return handle;
}

void AbTest::cancel() {
    if (state_ != State::Generating) return;
    abandoned_ = true;
    engine_->cancel();
}

void AbTest::pick(int slot) {
    if (state_ != State::Choosing) return;
    revealed_ = true;
    setState(State::Idle);
    Q_EMIT revealed(labelA(), labelB());

    const ContinuationHandle a = shown_[0].handle, b = shown_[1].handle;
    const ContinuationHandle chosen = slot == 0 ? a : slot == 1 ? b : ContinuationHandle();
    if (chosen) {
        // Only where it was written for: the same draft, the same text before the cursor.
        if (documents_->currentDraft() == draftId_ && !editor_->isReadOnly() && !editor_->suggestionActive() &&
            storyBeforeCursor(editor_, contextLength_) == context_) {
            editor_->beginSuggestion();
            editor_->setSuggestion(shown_[slot].text);
            const auto [start, end] = editor_->acceptSuggestion();
            documents_->trackAcceptedSpan(chosen, start, end);
        } else {
            Q_EMIT message(tr("The pick is kept, but nothing was inserted: the text before the cursor is no longer "
                              "what both continued, or a suggestion is showing."));
        }
    }
    const AbChoice choice = slot == 0 ? AbChoice::A : slot == 1 ? AbChoice::B : AbChoice::Neither;
    store_->submit(this, [a, b, choice, draft = draftId_, la = labelA().toStdString(),
                          lb = labelB().toStdString()](Store& s) -> qint64 {
        NewAbPick p;
        if (draft) p.draft_id = draft;
        p.a_id = *a;
        p.b_id = *b;
        p.a_label = la;
        p.b_label = lb;
        p.choice = choice;
        const qint64 id = s.record_ab_pick(p);
        s.set_continuation_status(*a, choice == AbChoice::A ? ContinuationStatus::Accepted : ContinuationStatus::Rejected);
        s.set_continuation_status(*b, choice == AbChoice::B ? ContinuationStatus::Accepted : ContinuationStatus::Rejected);
        return id;
    }, [this](qint64 id) { Q_EMIT picked(id); }, [this](const StoreError& e) {
        Q_EMIT message(tr("The pick was not saved. %1").arg(StoreClient::describe(e)));
    });
}

} // namespace fabula::ui
