#pragma once
// The story settings of the open draft (memory, author's note, lorebook) and
// of its series, as the story panel edits them: loaded from the store when a
// draft opens, saved through the store thread once typing pauses, and the
// combined context the next prompt uses, as the store computes it
// (Store::story_context_for), kept here for the context viewer and the
// highlighter. The GUI thread never waits on the store.
#ifndef Q_MOC_RUN
#include "core/prompt_builder.h"
#include "core/store/story_settings.h"
#endif

#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QTimer>

#include <memory>

namespace fabula::ui {

class DraftEditor;
class LorebookModel;
class StoreClient;

// The story before the cursor as the prompt builder gets it, for Continue
// and the context viewer alike. A draft far longer than the context is cut,
// but at a point on a grid counted from the draft's start, so the text the
// builder sees starts at the same place while the writer types on (and its
// stable cut point, and with it the reused cache, survive).
QString storyBeforeCursor(const DraftEditor* editor, int contextLength);

class StorySession : public QObject {
    Q_OBJECT
public:
    // Which settings the panel's Memory, note and lorebook edit.
    enum class Target { Draft, Series };
    Q_ENUM(Target)

    StorySession(StoreClient* store, QObject* parent = nullptr);

    qint64 draft() const { return draftId_; }
    bool isLoaded() const { return loaded_; }
    Target target() const { return target_; }
    qint64 series() const { return seriesId_; }
    QString seriesName() const;
    QList<QPair<qint64, QString>> seriesList() const { return seriesList_; }
    // The settings the panel shows (the draft's or its series').
    const StorySettings& edited() const { return target_ == Target::Series ? series_ : draft_; }
    const StorySettings& draftSettings() const { return draft_; }
    LorebookModel* lorebook() const { return lorebook_; }
    // What the next prompt of the draft uses, as last computed by the store.
    std::shared_ptr<const StoryContext> context() const { return context_; }
    void setSaveDelay(int ms) { debounce_.setInterval(ms); }
    bool hasUnsavedChanges() const { return dirtyDraft_ || dirtySeries_; }

public Q_SLOTS:
    // Saves what the previous draft had pending, then loads id's (0: none).
    void openDraft(qint64 id);
    void setTarget(fabula::ui::StorySession::Target target);
    void setMemory(const QString& text);
    void setAuthorsNote(const QString& text);
    void setAuthorsNoteDepth(int paragraphs);
    // Puts the draft in a series (0: none); createSeries makes one first.
    void chooseSeries(qint64 seriesId);
    void createSeries(const QString& name);
    // Sends what is pending to the store now (the debounce would later).
    void saveNow();

Q_SIGNALS:
    // A draft's settings arrived, or the panel switched target: the editors
    // show edited() again.
    void loaded();
    void seriesListChanged();
    // context() changed (a load, or a save the store has applied).
    void contextChanged();
    void saved();
    void problem(const QString& message);

private:
    void changed(); // an edit of edited()
    void load(qint64 id);
    void takeLorebook();

    StoreClient* store_;
    LorebookModel* lorebook_;
    QTimer debounce_;
    qint64 draftId_ = 0;
    qint64 seriesId_ = 0;
    bool loaded_ = false;
    bool dirtyDraft_ = false, dirtySeries_ = false;
    quint64 generation_ = 0; // bumps on open, so a late reply for another draft is ignored
    Target target_ = Target::Draft;
    StorySettings draft_, series_;
    QList<QPair<qint64, QString>> seriesList_;
    std::shared_ptr<const StoryContext> context_;
};

} // namespace fabula::ui
