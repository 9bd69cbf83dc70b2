#include "ui/document_statistics.h"

#include "core/store/text.h"

#include <QTextDocument>
#include <QtConcurrent/QtConcurrentRun>

namespace fabula::ui {

DocumentStatistics::DocumentStatistics(QTextDocument* document, QObject* parent)
    : QObject(parent), document_(document) {
    debounce_.setSingleShot(true);
    debounce_.setInterval(200);
    connect(&debounce_, &QTimer::timeout, this, &DocumentStatistics::recount);
    connect(document_, &QTextDocument::contentsChanged, &debounce_, qOverload<>(&QTimer::start));
    connect(&watcher_, &QFutureWatcher<TextCounts>::finished, this, [this] {
        counts_ = watcher_.result();
        Q_EMIT countsChanged(counts_.words, counts_.characters);
        if (again_) {
            again_ = false;
            recount();
        }
    });
    recount();
}

TextCounts DocumentStatistics::count(const QString& text) {
    TextCounts c;
    c.words = count_words(text.toStdString());
    c.characters = text.size() - text.count(QLatin1Char('\n'));
    return c;
}

void DocumentStatistics::recount() {
    if (watcher_.isRunning()) {
        again_ = true;
        return;
    }
    // toPlainText() is an implicitly shared copy: the count runs on a snapshot.
    watcher_.setFuture(QtConcurrent::run(&DocumentStatistics::count, document_->toPlainText()));
}

} // namespace fabula::ui
