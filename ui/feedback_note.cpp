#include "ui/feedback_note.h"

#include "ui/app_settings.h"
#include "ui/store_client.h"

#include <QStatusBar>
#include <QTimer>

#include <algorithm>

namespace fabula::ui {

namespace {
qint64 totalItems(Store& s) {
    const FeedbackItems items = s.feedback_items();
    return qint64(items.sft.size() + items.pairs.size() + items.kto.size());
}
} // namespace

FeedbackNote::FeedbackNote(StoreClient* store, AppSettings* settings, QStatusBar* statusBar, QObject* parent)
    : QObject(parent), store_(store), settings_(settings), bar_(statusBar), timer_(new QTimer(this)) {
    // Feedback gathers as the writer writes; a look now and then is enough.
    timer_->setInterval(10 * 60 * 1000);
    connect(timer_, &QTimer::timeout, this, &FeedbackNote::check);
    timer_->start();
}

void FeedbackNote::check() {
    store_->submit(this, [](Store& s) { return totalItems(s); }, [this](qint64 total) {
        // Fewer than at the last run (drafts left out, items deleted): nothing is new.
        const qint64 fresh = std::max<qint64>(0, total - settings_->feedbackAtLastRun());
        Q_EMIT counted(total, fresh);
        if (fresh < kFeedbackNoteThreshold) return;
        if (bar_)
            bar_->showMessage(tr("%n new piece(s) of feedback since the model last learnt from it: "
                                 "Training ▸ Learn from my feedback… teaches them to it.", nullptr, int(fresh)),
                              30000);
        Q_EMIT offered(fresh);
    }, [](const StoreError&) {}); // only an offer: a store problem shows elsewhere
}

void FeedbackNote::recordRun() {
    store_->submit(this, [](Store& s) { return totalItems(s); }, [this](qint64 total) {
        settings_->setFeedbackAtLastRun(total);
        Q_EMIT recorded(total);
    });
}

} // namespace fabula::ui
