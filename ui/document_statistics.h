#pragma once
// Word and character counts of the draft, recounted off the GUI thread a
// moment after typing pauses, so a 150,000-word draft costs the keystroke
// nothing. Words are counted as the store counts them (count_words).
#include <QFutureWatcher>
#include <QObject>
#include <QTimer>

class QTextDocument;

namespace fabula::ui {

struct TextCounts {
    qint64 words = 0;
    qint64 characters = 0; // without line breaks
};

class DocumentStatistics : public QObject {
    Q_OBJECT
public:
    DocumentStatistics(QTextDocument* document, QObject* parent = nullptr);
    TextCounts counts() const { return counts_; }
    static TextCounts count(const QString& text);

Q_SIGNALS:
    void countsChanged(qint64 words, qint64 characters);

private:
    void recount();

    QTextDocument* document_;
    QTimer debounce_;
    QFutureWatcher<TextCounts> watcher_;
    bool again_ = false;
    TextCounts counts_;
};

} // namespace fabula::ui
