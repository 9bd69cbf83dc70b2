#pragma once
// The prose editor. A suggestion is drawn after the cursor as the block
// layout's pre-edit text (the slot input methods use for text being
// composed): the layout shows it, but it is not in the document, so it is
// never saved, counted, exported or put on the undo stack. Any key, click or
// edit of the writer's own first dismisses it and says so (interrupted()).
#include <QPlainTextEdit>
#include <QTextCursor>

namespace fabula::ui {

class DraftEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit DraftEditor(QWidget* parent = nullptr);

    // The draft as the writer wrote it; never contains the suggestion.
    QString draftText() const { return toPlainText(); }
    // The text before the cursor (the model's context).
    QString textBeforeCursor(int maxChars) const;

    // A suggestion session runs from beginSuggestion() until accept or
    // dismissal; setSuggestion() may update the shown text any number of
    // times while tokens stream in.
    void beginSuggestion();
    void setSuggestion(const QString& text);
    bool suggestionActive() const { return active_; }
    QString suggestion() const { return suggestion_; }
    int suggestionPosition() const { return anchor_.position(); }
    // Inserts the suggestion as one undo step; returns its [start, end).
    std::pair<int, int> acceptSuggestion();
    void dismissSuggestion(); // no signal

    void setProseFont(const QString& family, int pointSize);
    void setColumnWidth(int pixels);

Q_SIGNALS:
    void acceptRequested();
    void rejectRequested();
    // The writer typed, clicked or moved the cursor during a suggestion.
    void interrupted();

protected:
    void changeEvent(QEvent* e) override; // a language change: the accessible name
    void keyPressEvent(QKeyEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void inputMethodEvent(QInputMethodEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void insertFromMimeData(const QMimeData* source) override;

private:
    void clearPreedit();
    void interrupt();
    void updateMargins();

    bool active_ = false;
    QString suggestion_;
    QTextCursor anchor_;
    int preeditBlock_ = -1;
    int columnWidth_ = 720;
};

} // namespace fabula::ui
