#pragma once
// Opening and saving the draft in the editor (ghostwriter's DocumentManager
// idiom): autosave once typing pauses, on switching drafts and on quit;
// version snapshots; a clear message and retries while the library cannot be
// written, with the text kept in the editor; and the record of how accepted
// continuations were edited afterwards.
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTextCursor>
#include <QTimer>

#include <memory>
#include <vector>

namespace fabula {
class StoreError; // core/store/sqlite.h
}

namespace fabula::ui {

class DraftEditor;
class StoreClient;

// The id of a continuation, filled in on the store thread by the job that
// records it and read by later jobs there; jobs run in order, so a rating or
// an accept submitted before the id is known still finds it.
using ContinuationHandle = std::shared_ptr<std::int64_t>;

class DocumentManager : public QObject {
    Q_OBJECT
public:
    enum class SaveState { NoDraft, Saved, Unsaved, Saving, Failed };
    Q_ENUM(SaveState)

    DocumentManager(StoreClient* store, DraftEditor* editor, QObject* parent = nullptr);

    void setAutosaveInterval(int ms) { autosave_.setInterval(ms); }
    void setRetryInterval(int ms) { retry_.setInterval(ms); }
    qint64 currentDraft() const { return draftId_; }
    QString currentTitle() const { return title_; }
    SaveState saveState() const { return state_; }
    QString lastError() const { return error_; }
    // Whether a save is on its way to the store; savesSettled() follows
    // when the last one has come back (with the state it left).
    bool isSaving() const { return savesInFlight_ > 0; }
    // Every text not known to be in the store: the open draft's (when it
    // differs from the stored one or its last save failed), then those of
    // drafts switched away from whose saves failed.
    QStringList unsavedTexts() const;

    // Saves the open draft first (the jobs run in order), then loads id.
    void openDraft(qint64 id);
    void closeDraft();
    // Shows the stored text again, dropping the editor's (after a restore).
    void reload();
    void saveNow();
    // Remembers an accepted continuation's span; its text is recorded as the
    // continuation's edited text whenever it differs at a save.
    void trackAcceptedSpan(const ContinuationHandle& handle, int start, int end);

Q_SIGNALS:
    void draftOpened(qint64 id, const QString& title);
    void draftSaved(qint64 id);
    void saveStateChanged(fabula::ui::DocumentManager::SaveState state, const QString& message);
    void savesSettled();

private:
    struct Span {
        ContinuationHandle handle;
        QTextCursor start, end;
        QString recorded;
    };
    void setState(SaveState s, const QString& message = {});
    void onEdited();
    void load(qint64 id);
    void submitSave(qint64 id, const QString& text, quint64 gen);
    void onSaved(qint64 id, const QString& text, quint64 gen);
    void onSaveFailed(qint64 id, const QString& text, quint64 gen, const StoreError& e);
    void settleOne();

    StoreClient* store_;
    DraftEditor* editor_;
    QTimer autosave_, retry_;
    qint64 draftId_ = 0;
    QString title_;
    QString savedText_;
    quint64 generation_ = 0; // bumps on open, so a late save reply for another draft is ignored
    bool loading_ = false;
    SaveState state_ = SaveState::NoDraft;
    int savesInFlight_ = 0;
    QString error_;
    std::vector<Span> spans_;
    QMap<qint64, QString> orphans_; // drafts switched away from whose last save failed
};

} // namespace fabula::ui
