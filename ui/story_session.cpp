#include "ui/story_session.h"

#include "ui/editor.h"
#include "ui/lorebook_model.h"
#include "ui/store_client.h"

namespace fabula::ui {

QString storyBeforeCursor(const DraftEditor* editor, int contextLength) {
    // A few thousand characters hold far more tokens than GPT-2's context;
    // encoding all 150,000 words before the cursor would only be thrown away.
    const int maxChars = std::max(4096, contextLength * 12);
    const int grid = maxChars / 4;
    const int end = editor->textCursor().position();
    const int start = std::max(0, end - maxChars) / grid * grid;
    return editor->textBeforeCursor(end - start);
}

namespace {

int envMs(const char* name, int fallback) {
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

// A refusal of the settings themselves says what to shorten; anything else
// is a library problem, worded like the draft's.
QString describe(const StoreError& e) {
    if (e.kind() == StoreError::Kind::Invalid)
        return StorySession::tr("The story settings were not saved: %1").arg(QString::fromStdString(e.message()));
    return StoreClient::describe(e);
}

struct Snapshot {
    StorySettings draft, series;
    std::int64_t seriesId = 0;
    std::vector<Series> list;
    StoryContext context;
};

Snapshot snapshot(const Store& s, std::int64_t draft) {
    Snapshot out;
    out.draft = s.draft_story(draft);
    out.seriesId = s.draft_series(draft);
    if (out.seriesId) out.series = s.series_story(out.seriesId);
    out.list = s.series();
    out.context = s.story_context_for(draft);
    return out;
}

} // namespace

StorySession::StorySession(StoreClient* store, QObject* parent)
    : QObject(parent), store_(store), lorebook_(new LorebookModel(this)) {
    debounce_.setSingleShot(true);
    debounce_.setInterval(envMs("FABULA_STORY_SAVE_MS", 800));
    connect(&debounce_, &QTimer::timeout, this, &StorySession::saveNow);
    connect(lorebook_, &LorebookModel::edited, this, &StorySession::takeLorebook);
}

QString StorySession::seriesName() const {
    for (const auto& [id, name] : seriesList_)
        if (id == seriesId_) return name;
    return {};
}

void StorySession::openDraft(qint64 id) {
    if (id == draftId_ && loaded_) return;
    saveNow();
    ++generation_;
    draftId_ = id;
    loaded_ = false;
    if (id == 0) {
        seriesId_ = 0;
        draft_ = series_ = StorySettings{};
        context_.reset();
        target_ = Target::Draft;
        lorebook_->setEntries({});
        Q_EMIT loaded();
        Q_EMIT contextChanged();
        return;
    }
    load(id);
}

void StorySession::load(qint64 id) {
    const quint64 gen = generation_;
    store_->submit(this, [id](Store& s) { return snapshot(s, id); }, [this, gen](Snapshot snap) {
        if (gen != generation_) return;
        // Edits made while the reply travelled are newer than it.
        if (!dirtyDraft_) draft_ = std::move(snap.draft);
        if (!dirtySeries_) series_ = std::move(snap.series);
        seriesId_ = snap.seriesId;
        seriesList_.clear();
        for (const auto& s : snap.list) seriesList_.push_back({s.id, QString::fromStdString(s.name)});
        if (!seriesId_) target_ = Target::Draft;
        context_ = std::make_shared<const StoryContext>(std::move(snap.context));
        loaded_ = true;
        lorebook_->setEntries(edited().lore);
        Q_EMIT seriesListChanged();
        Q_EMIT loaded();
        Q_EMIT contextChanged();
        if (hasUnsavedChanges()) saveNow();
    }, [this, gen](const StoreError& e) {
        if (gen == generation_) Q_EMIT problem(describe(e));
    });
}

void StorySession::setTarget(Target target) {
    if (target == Target::Series && !seriesId_) target = Target::Draft;
    if (target == target_) return;
    target_ = target;
    lorebook_->setEntries(edited().lore);
    Q_EMIT loaded();
}

void StorySession::changed() {
    if (!draftId_ || !loaded_) return;
    (target_ == Target::Series ? dirtySeries_ : dirtyDraft_) = true;
    debounce_.start(); // restarts: saves once typing pauses
}

void StorySession::setMemory(const QString& text) {
    auto& s = target_ == Target::Series ? series_ : draft_;
    if (s.memory == text.toStdString()) return;
    s.memory = text.toStdString();
    changed();
}

void StorySession::setAuthorsNote(const QString& text) {
    auto& s = target_ == Target::Series ? series_ : draft_;
    if (s.authors_note == text.toStdString()) return;
    s.authors_note = text.toStdString();
    changed();
}

void StorySession::setAuthorsNoteDepth(int paragraphs) {
    auto& s = target_ == Target::Series ? series_ : draft_;
    if (s.authors_note_depth == paragraphs) return;
    s.authors_note_depth = paragraphs;
    changed();
}

void StorySession::takeLorebook() {
    auto& s = target_ == Target::Series ? series_ : draft_;
    s.lore = lorebook_->entries();
    changed();
}

void StorySession::saveNow() {
    debounce_.stop();
    if (!draftId_ || !hasUnsavedChanges()) return;
    const bool draftDirty = dirtyDraft_, seriesDirty = dirtySeries_ && seriesId_;
    dirtyDraft_ = dirtySeries_ = false;
    const quint64 gen = generation_;
    store_->submit(this, [d = draftId_, series = seriesId_, draft = draft_, seriesSettings = series_, draftDirty,
                          seriesDirty](Store& s) {
        if (draftDirty) s.set_draft_story(d, draft);
        if (seriesDirty) s.set_series_story(series, seriesSettings);
        return s.story_context_for(d);
    }, [this, gen](StoryContext context) {
        if (gen != generation_) return;
        context_ = std::make_shared<const StoryContext>(std::move(context));
        Q_EMIT contextChanged();
        Q_EMIT saved();
    }, [this, gen, draftDirty, seriesDirty](const StoreError& e) {
        if (gen == generation_) {
            // Kept here; the next edit (or switching drafts) tries again.
            dirtyDraft_ |= draftDirty;
            dirtySeries_ |= seriesDirty;
        }
        Q_EMIT problem(describe(e));
    });
}

void StorySession::chooseSeries(qint64 seriesId) {
    if (!draftId_ || seriesId == seriesId_) return;
    saveNow();
    store_->submit(this, [d = draftId_, seriesId](Store& s) {
        s.set_draft_series(d, seriesId);
    }, [this, gen = generation_] {
        if (gen == generation_) load(draftId_);
    }, [this](const StoreError& e) { Q_EMIT problem(describe(e)); });
}

void StorySession::createSeries(const QString& name) {
    if (!draftId_) return;
    saveNow();
    store_->submit(this, [d = draftId_, n = name.toStdString()](Store& s) {
        s.set_draft_series(d, s.create_series(n));
    }, [this, gen = generation_] {
        if (gen == generation_) load(draftId_);
    }, [this](const StoreError& e) { Q_EMIT problem(describe(e)); });
}

} // namespace fabula::ui
