#include "ui/suggestion_controller.h"
#include <QJsonObject>
#include <QJsonDocument>

#include "ui/editor.h"
#include "ui/engine_worker.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"
#include "ui/story_session.h"

#include "core/generator.h"

#include <QDir>
#include <QRandomGenerator>

namespace fabula::ui {

SuggestionController::SuggestionController(EngineWorker* engine, StoreClient* store, DraftEditor* editor,
                                           DocumentManager* documents, ModelManager* models, QObject* parent)
    : QObject(parent), engine_(engine), store_(store), editor_(editor), documents_(documents), models_(models) {
    connect(engine_, &EngineWorker::piece, this, &SuggestionController::onPiece);
    connect(engine_, &EngineWorker::finished, this, &SuggestionController::onFinished);
    connect(editor_, &DraftEditor::interrupted, this, &SuggestionController::interrupted);
    connect(editor_, &DraftEditor::acceptRequested, this, &SuggestionController::accept);
    connect(editor_, &DraftEditor::rejectRequested, this, &SuggestionController::reject);
}

void SuggestionController::setState(State s) {
    if (s == state_) return;
    state_ = s;
    Q_EMIT stateChanged(s);
}

void SuggestionController::continueText() { start(1); }

void SuggestionController::regenerate() {
    // Same place, new draw: the rejected text is recorded as rejected.
    if (state_ == State::Showing) decide(current_, ContinuationStatus::Rejected);
    start(1, state_ != State::Idle);
}

void SuggestionController::requestAlternatives(int count) { start(std::max(1, count), state_ == State::Showing); }

void SuggestionController::start(int count, bool sameRound) {
    if (!models_->isLoaded()) {
        Q_EMIT message(models_->isLoading() ? tr("The model is still loading.") : tr("Load a model first."));
        return;
    }
    if (documents_->currentDraft() == 0 || editor_->isReadOnly()) {
        Q_EMIT message(tr("Open or create a draft first."));
        return;
    }
    if (state_ == State::Generating) {
        // The round still running is abandoned; its outcomes are recorded
        // when they arrive, though nothing of them is shown.
        for (quint64 id : pending_) requests_[id].abandoned = true;
        engine_->cancel();
    }
    if (state_ == State::Showing) decide(current_, ContinuationStatus::Rejected);
    current_.reset();
    editor_->beginSuggestion();
    streamed_.clear();
    stopped_ = abandoned_ = false;
    alternatives_.clear();
    alternativeHandles_.clear();
    pending_.clear();
    roundSize_ = count;
    if (!sameRound || !round_) {
        // Store jobs run in order, so the records below find the id set.
        round_ = std::make_shared<std::int64_t>(0);
        store_->submit([r = round_](Store& s) { *r = s.begin_round(); });
    }
    const ModelInfo& model = models_->info();
    const QString context = storyBeforeCursor(editor_, model.nPositions);
    const int maxNew = Generator::clamp_max_new_tokens(settings_.maxNewTokens, model.nPositions);
    if (maxNew != settings_.maxNewTokens && clampNoted_ != qMakePair(settings_.maxNewTokens, model.nPositions)) {
        clampNoted_ = qMakePair(settings_.maxNewTokens, model.nPositions);
        Q_EMIT message(tr("Max new tokens is %1, but %2 reads only %3 tokens at a time: each continuation is "
                          "limited to %4 tokens so that enough of your story still fits before it.")
                           .arg(settings_.maxNewTokens)
                           .arg(model.name)
                           .arg(model.nPositions)
                           .arg(maxNew));
    }
    QList<QPair<quint64, GenerationSettings>> sends;
    for (int i = 0; i < count; ++i) {
        GenerationSettings s = settings_;
        s.maxNewTokens = maxNew;
        s.seed = QRandomGenerator::global()->generate64();
        const quint64 id = engine_->nextRequestId();
        pending_.push_back(id);
        requests_.insert(id, Request{documents_->currentDraft(), s, model.name, QDir(model.path).absolutePath(), false,
                                     round_});
        sends.push_back({id, s});
    }
    setState(State::Generating);
    auto send = [e = engine_, context, sends](std::shared_ptr<const StoryContext> story) {
        for (const auto& [id, s] : sends)
            QMetaObject::invokeMethod(e, [e, id = id, context, s = s, story] { e->generate(id, context, s, story); },
                                      Qt::QueuedConnection);
    };
    // Ids are already issued, so a Stop or a new round before the reply still cancels these.
    withStoryContext(store_, story_, documents_->currentDraft(), this, send,
                     [this](const QString& problem) { Q_EMIT message(problem); });
}

void withStoryContext(StoreClient* store, StorySession* story, qint64 draftId, QObject* context,
                      std::function<void(std::shared_ptr<const StoryContext>)> send,
                      std::function<void(const QString&)> problem) {
    if (!story) return send({});
    // The panel's pending edits first: store jobs run in order.
    story->saveNow();
    store->submit(context, [draftId](Store& s) {
        return std::make_shared<const StoryContext>(s.story_context_for(draftId));
    }, send, [send, problem](const StoreError& e) {
        problem(SuggestionController::tr("The story settings could not be read, so this continuation sees the story "
                                         "alone. %1")
                    .arg(StoreClient::describe(e)));
        send({});
    });
}

void SuggestionController::onPiece(quint64 id, const QString& text) {
    // Alternatives are offered together at the end, not streamed one over another.
    if (roundSize_ != 1 || pending_.isEmpty() || id != pending_.first() || abandoned_) return;
    streamed_ += text;
    editor_->setSuggestion(streamed_);
}

void SuggestionController::onFinished(const GenerationOutcome& o) {
    const auto it = requests_.constFind(o.requestId);
    if (it == requests_.cend()) return; // not ours
    const Request request = *it;
    requests_.erase(it);
    if (request.abandoned) {
        // A round the writer moved on from by starting another.
        record(o, request, GenerationEnd::Abandoned);
        return;
    }
    if (!pending_.contains(o.requestId)) return; // its round already ended in an error
    const bool single = roundSize_ == 1;
    if (!o.error.isEmpty()) {
        pending_.clear();
        editor_->dismissSuggestion();
        setState(State::Idle);
        Q_EMIT message(tr("The model could not continue: %1").arg(o.error));
        Q_EMIT generationFinished(o);
        return;
    }
    const bool cancelled = o.status == QLatin1String("cancelled");
    if (abandoned_) {
        record(o, request, GenerationEnd::Abandoned);
        pending_.removeOne(o.requestId);
        if (pending_.isEmpty()) setState(State::Idle);
        Q_EMIT generationFinished(o);
        return;
    }
    if (single) {
        pending_.clear();
        if (o.text.isEmpty()) {
            editor_->dismissSuggestion();
            setState(State::Idle);
            if (!cancelled) Q_EMIT message(tr("The model ended the text here. Try Regenerate."));
        } else {
            editor_->setSuggestion(o.text);
            current_ = last_ = record(o, request, cancelled ? GenerationEnd::Stopped : GenerationEnd::Shown);
            setState(State::Showing);
        }
        Q_EMIT generationFinished(o);
        return;
    }
    pending_.removeOne(o.requestId);
    if (!o.text.isEmpty()) {
        alternatives_.push_back(o.text);
        alternativeHandles_.push_back(record(o, request, GenerationEnd::Shown));
    }
    Q_EMIT generationFinished(o);
    if (!pending_.isEmpty()) return;
    if (alternatives_.isEmpty()) {
        editor_->dismissSuggestion();
        setState(State::Idle);
        return;
    }
    // Shown first so the writer sees one in place while choosing.
    editor_->setSuggestion(alternatives_.first());
    current_ = last_ = alternativeHandles_.first();
    setState(State::Showing);
    Q_EMIT alternativesReady(alternatives_);
}

void SuggestionController::chooseAlternative(int index) {
    if (state_ != State::Showing || index < 0 || index >= alternatives_.size()) return;
    editor_->setSuggestion(alternatives_[index]);
    current_ = last_ = alternativeHandles_[index];
}

// The model row names the base; the voice that spoke (as the engine reports
// it for this very generation) goes with the settings, so a continuation
// says which voice produced it without a column of its own.
QString settingsWithVoice(const GenerationSettings& settings, const GenerationOutcome& o) {
    if (o.adapter.isEmpty()) return settings.toJson();
    QJsonObject j = QJsonDocument::fromJson(settings.toJson().toUtf8()).object();
    j.insert(QStringLiteral("adapter"), QDir::cleanPath(QDir(o.adapter).absolutePath()));
    j.insert(QStringLiteral("voice"), o.voice);
    return QString::fromUtf8(QJsonDocument(j).toJson(QJsonDocument::Compact));
}

ContinuationHandle SuggestionController::record(const GenerationOutcome& o, const Request& request,
                                                GenerationEnd end) {
    auto handle = std::make_shared<std::int64_t>(0);
    NewContinuation c;
    if (request.draftId) c.draft_id = request.draftId;
    c.context_ids.assign(o.promptIds.begin(), o.promptIds.end());
    c.context_text = o.promptText.toStdString();
    c.continuation_ids.assign(o.ids.begin(), o.ids.end());
    c.continuation_text = o.text.toStdString();
    c.settings_json = settingsWithVoice(request.settings, o).toStdString();
    c.prompt_tokens = o.promptIds.size();
    c.new_tokens = o.ids.size();
    c.ms_to_first_token = o.msToFirstToken;
    if (o.tokensPerSecond > 0) c.tokens_per_second = o.tokensPerSecond;
    // The store decides what is recorded, and against which model row.
    store_->submit(this, [handle, c, end, round = request.round, name = request.modelName.toStdString(),
                          path = request.modelPath.toStdString()](Store& s) mutable {
        if (round && *round > 0) c.round_id = *round;
        bool readded = false;
        if (!path.empty()) c.model_id = s.model_for_folder(name, path, &readded).id;
        *handle = s.record_generation(c, end).value_or(0);
        return readded;
    }, [this, name = request.modelName](bool readded) {
        if (!readded) return;
        models_->refresh();
        Q_EMIT message(tr("%1 is back in the model list: it was removed while it was still loaded, and the "
                          "continuations it writes are recorded with it.")
                           .arg(name));
    });
    return handle;
}

void SuggestionController::decide(const ContinuationHandle& h, ContinuationStatus status) {
    if (!h) return;
    store_->submit([h, status](Store& s) {
        if (*h > 0) s.set_continuation_status(*h, status);
    });
}

void SuggestionController::accept() {
    if (state_ != State::Showing || editor_->suggestion().isEmpty()) return;
    const auto [start, end] = editor_->acceptSuggestion();
    decide(current_, ContinuationStatus::Accepted);
    for (const auto& h : alternativeHandles_)
        if (h != current_) decide(h, ContinuationStatus::Rejected);
    documents_->trackAcceptedSpan(current_, start, end);
    current_.reset();
    alternativeHandles_.clear();
    setState(State::Idle);
}

void SuggestionController::reject() {
    if (state_ == State::Generating) {
        abandoned_ = true;
        engine_->cancel();
    }
    if (state_ == State::Showing) {
        decide(current_, ContinuationStatus::Rejected);
        for (const auto& h : alternativeHandles_)
            if (h != current_) decide(h, ContinuationStatus::Rejected);
    }
    editor_->dismissSuggestion();
    current_.reset();
    alternativeHandles_.clear();
    if (state_ == State::Showing) setState(State::Idle);
}

void SuggestionController::interrupted() {
    // The editor already removed the text; a generation still running is
    // cancelled and the suggestion counts as rejected.
    reject();
}

void SuggestionController::stop() {
    if (state_ != State::Generating) return;
    stopped_ = true;
    engine_->cancel();
}

void SuggestionController::rate(int thumbs, int stars) {
    const ContinuationHandle h = current_ ? current_ : last_;
    if (!h) {
        Q_EMIT message(tr("There is no continuation to rate yet."));
        return;
    }
    // Said once the store has it, not before: a rating that is not kept
    // must not read "Rated".
    store_->submit(this, [h, thumbs, stars](Store& s) {
        if (*h <= 0) return false;
        const auto existing = s.get_continuation(*h);
        int t = thumbs;
        std::optional<int> st = stars > 0 ? std::optional<int>(stars) : std::nullopt;
        // Stars and thumbs are given separately; each keeps the other.
        if (existing && existing->rating) {
            if (stars > 0 && thumbs == 0) t = existing->rating->thumbs;
            if (stars == 0) st = existing->rating->stars;
        }
        s.rate(*h, t, st);
        return true;
    }, [this, thumbs, stars](bool rated) {
        if (!rated) {
            Q_EMIT message(tr("This continuation could not be recorded, so the rating was not kept."));
            return;
        }
        Q_EMIT message(thumbs > 0   ? tr("Rated: good")
                       : thumbs < 0 ? tr("Rated: poor")
                                    : tr("Rated: %n star(s)", nullptr, stars));
    }, [this](const StoreError& e) {
        Q_EMIT message(tr("The rating was not saved. %1").arg(StoreClient::describe(e)));
    });
}

} // namespace fabula::ui
