#pragma once
// The quiet offer of a feedback run: once enough feedback has gathered since
// the last one (its count kept in AppSettings), a status-bar line says so and
// names the menu entry. Never a dialog: the writer is writing.
#include <QObject>
#include <QPointer>

class QStatusBar;
class QTimer;

namespace fabula::ui {

class AppSettings;
class StoreClient;

// New items (SFT, pairs and KTO together) worth a feedback run.
inline constexpr qint64 kFeedbackNoteThreshold = 20;

class FeedbackNote : public QObject {
    Q_OBJECT
public:
    // statusBar may be null (tests): offered() still tells.
    FeedbackNote(StoreClient* store, AppSettings* settings, QStatusBar* statusBar, QObject* parent = nullptr);

public Q_SLOTS:
    void check();     // counts the sets now; offers a run when enough is new
    void recordRun(); // a feedback run started: what it learns from is no longer new

Q_SIGNALS:
    void counted(qint64 total, qint64 fresh); // after check()
    void offered(qint64 fresh);
    void recorded(qint64 total);

private:
    StoreClient* store_;
    AppSettings* settings_;
    QPointer<QStatusBar> bar_;
    QTimer* timer_;
};

} // namespace fabula::ui
