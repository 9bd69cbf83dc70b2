#include "ui/document_manager.h"

#include "ui/editor.h"
#include "ui/store_client.h"

namespace fabula::ui {

namespace {

int envMs(const char* name, int fallback) {
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

QString spanText(const QTextCursor& start, const QTextCursor& end) {
    QTextCursor c(start);
    c.setPosition(std::max(start.position(), std::min(end.position(), end.document()->characterCount() - 1)),
                  QTextCursor::KeepAnchor);
    return c.selectedText().replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
}

} // namespace

DocumentManager::DocumentManager(StoreClient* store, DraftEditor* editor, QObject* parent)
    : QObject(parent), store_(store), editor_(editor) {
    autosave_.setSingleShot(true);
    autosave_.setInterval(envMs("FABULA_AUTOSAVE_MS", 2000));
    retry_.setSingleShot(true);
    retry_.setInterval(envMs("FABULA_SAVE_RETRY_MS", 5000));
    connect(&autosave_, &QTimer::timeout, this, &DocumentManager::saveNow);
    connect(&retry_, &QTimer::timeout, this, &DocumentManager::saveNow);
    connect(editor_->document(), &QTextDocument::contentsChanged, this, &DocumentManager::onEdited);
    editor_->setReadOnly(true);
}

void DocumentManager::onEdited() {
    if (loading_ || draftId_ == 0) return;
    if (state_ != SaveState::Failed) setState(SaveState::Unsaved);
    autosave_.start(); // restarts: saves once typing pauses
}

void DocumentManager::setState(SaveState s, const QString& message) {
    state_ = s;
    error_ = s == SaveState::Failed ? message : QString();
    Q_EMIT saveStateChanged(s, message);
}

void DocumentManager::saveNow() {
    autosave_.stop();
    retry_.stop();
    if (draftId_ == 0) return;
    const QString text = editor_->draftText();
    if (text == savedText_ && state_ != SaveState::Failed && orphans_.isEmpty()) {
        setState(SaveState::Saved);
        return;
    }
    if (state_ != SaveState::Failed) setState(SaveState::Saving);
    submitSave(draftId_, text, generation_);
    for (auto it = orphans_.cbegin(); it != orphans_.cend(); ++it) submitSave(it.key(), it.value(), 0);

    // How accepted continuations read now: the feedback the trainer learns from.
    for (auto& span : spans_) {
        const QString now = spanText(span.start, span.end);
        // An empty span is an accept that was undone (the cursors collapse
        // and do not reopen on redo), not an edit: nothing to learn from.
        if (now == span.recorded || now.isEmpty()) continue;
        span.recorded = now;
        store_->submit(this, [h = span.handle, t = now.toStdString()](Store& s) {
            if (*h > 0) s.record_edit(*h, t);
        }, [] {}, [](const StoreError& e) { qWarning("could not record an edit: %s", e.what()); });
    }
}

void DocumentManager::submitSave(qint64 id, const QString& text, quint64 gen) {
    ++savesInFlight_;
    store_->submit(this, [id, body = text.toStdString()](Store& s) {
        const bool changed = s.update_draft_body(id, body);
        s.maybe_snapshot(id, body, s.now());
        return changed;
    }, [this, id, gen, text](bool) {
        onSaved(id, text, gen);
        settleOne();
    }, [this, id, gen, text](const StoreError& e) {
        onSaveFailed(id, text, gen, e);
        settleOne();
    });
}

void DocumentManager::onSaved(qint64 id, const QString& text, quint64 gen) {
    Q_EMIT draftSaved(id);
    if (gen != generation_) {
        if (orphans_.value(id) == text) orphans_.remove(id);
        if (orphans_.isEmpty() && state_ == SaveState::Failed) setState(SaveState::Saved);
        return;
    }
    savedText_ = text;
    if (!orphans_.isEmpty()) return; // still failing elsewhere: keep the message and the retries
    setState(editor_->draftText() == text ? SaveState::Saved : SaveState::Unsaved);
    if (state_ == SaveState::Unsaved) autosave_.start();
}

void DocumentManager::onSaveFailed(qint64 id, const QString& text, quint64 gen, const StoreError& e) {
    // A draft switched away from keeps its text here until it is saved.
    if (gen != generation_) orphans_[id] = text;
    setState(SaveState::Failed, StoreClient::describe(e) + QLatin1Char(' ') +
                                    tr("Your text is safe in this window and will be saved as soon as "
                                       "writing works again."));
    retry_.start();
}

void DocumentManager::settleOne() {
    if (--savesInFlight_ == 0) Q_EMIT savesSettled();
}

QStringList DocumentManager::unsavedTexts() const {
    QStringList texts;
    if (draftId_ != 0 && (editor_->draftText() != savedText_ || state_ == SaveState::Failed))
        texts << editor_->draftText();
    for (const QString& t : orphans_) texts << t;
    return texts;
}

void DocumentManager::trackAcceptedSpan(const ContinuationHandle& handle, int start, int end) {
    Span span{handle, QTextCursor(editor_->document()), QTextCursor(editor_->document()), {}};
    span.start.setPosition(start);
    // Text typed just before the span is not part of it; an undo and redo of
    // the accept must also leave the span around the re-inserted text.
    span.start.setKeepPositionOnInsert(true);
    span.end.setPosition(end);
    span.recorded = spanText(span.start, span.end);
    // A span ending where this one was inserted grew by it (its end moves on
    // insert, so that typing on after an accept counts as an edit); a new
    // continuation is not the writer's edit of the one before.
    for (auto& earlier : spans_)
        if (earlier.end.position() == end && earlier.start.position() <= start) earlier.end.setPosition(start);
    spans_.push_back(std::move(span));
}

void DocumentManager::openDraft(qint64 id) {
    if (id == draftId_) return;
    if (id == 0) return closeDraft();
    if (draftId_ != 0) saveNow();
    load(id);
}

void DocumentManager::reload() {
    if (draftId_ == 0) return;
    autosave_.stop();
    load(draftId_);
}

void DocumentManager::load(qint64 id) {
    ++generation_;
    const quint64 gen = generation_;
    store_->submit(this, [id](Store& s) { return s.get_draft(id); }, [this, gen](std::optional<Draft> d) {
        if (gen != generation_ || !d) return;
        spans_.clear();
        loading_ = true;
        draftId_ = d->id;
        title_ = QString::fromStdString(d->title);
        savedText_ = QString::fromStdString(d->body);
        editor_->dismissSuggestion();
        editor_->setPlainText(savedText_); // also starts a fresh undo stack
        editor_->setReadOnly(false);
        editor_->moveCursor(QTextCursor::End);
        loading_ = false;
        if (orphans_.isEmpty()) setState(SaveState::Saved);
        else setState(SaveState::Failed, error_);
        Q_EMIT draftOpened(draftId_, title_);
    });
}

void DocumentManager::closeDraft() {
    if (draftId_ != 0) saveNow();
    ++generation_;
    spans_.clear();
    loading_ = true;
    draftId_ = 0;
    title_.clear();
    savedText_.clear();
    editor_->dismissSuggestion();
    editor_->clear();
    editor_->setReadOnly(true);
    loading_ = false;
    setState(SaveState::NoDraft);
    Q_EMIT draftOpened(0, {});
}

} // namespace fabula::ui
