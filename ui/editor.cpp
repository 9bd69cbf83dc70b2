#include "ui/editor.h"

#include <QKeyEvent>
#include <QTextBlock>
#include <QTextLayout>

namespace fabula::ui {

DraftEditor::DraftEditor(QWidget* parent) : QPlainTextEdit(parent) {
    setAccessibleName(tr("Draft text"));
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    document()->setDocumentMargin(24);
    setProseFont(QStringLiteral("serif"), 13);
    // A programmatic edit (loading a draft, undo from the menu) also ends a
    // suggestion; its position would no longer mean anything.
    connect(document(), &QTextDocument::contentsChange, this, [this](int, int removed, int added) {
        if (active_ && (removed || added)) interrupt();
    });
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        if (active_ && textCursor().position() != anchor_.position()) interrupt();
    });
}

QString DraftEditor::textBeforeCursor(int maxChars) const {
    const int end = textCursor().position();
    const int start = std::max(0, end - maxChars);
    QTextCursor c(document());
    c.setPosition(start);
    c.setPosition(end, QTextCursor::KeepAnchor);
    // selectedText() writes paragraph breaks as U+2029.
    return c.selectedText().replace(QChar::ParagraphSeparator, QLatin1Char('\n'));
}

void DraftEditor::beginSuggestion() {
    dismissSuggestion();
    anchor_ = textCursor();
    anchor_.clearSelection();
    // A selection would be replaced by typing; the suggestion goes after it.
    setTextCursor(anchor_);
    active_ = true;
    suggestion_.clear();
}

void DraftEditor::setSuggestion(const QString& text) {
    if (!active_) return;
    clearPreedit();
    suggestion_ = text;
    if (text.isEmpty()) return;
    QTextBlock block = anchor_.block();
    // Line separators break lines inside one layout; a paragraph break would not.
    QString shown = text;
    shown.replace(QLatin1Char('\n'), QChar::LineSeparator);
    const int at = anchor_.position() - block.position();
    QTextLayout* layout = block.layout();
    layout->setPreeditArea(at, shown);
    QTextCharFormat f;
    f.setFontItalic(true);
    f.setForeground(palette().color(QPalette::PlaceholderText));
    layout->setFormats({QTextLayout::FormatRange{at, int(shown.size()), f}});
    preeditBlock_ = block.blockNumber();
    document()->markContentsDirty(block.position(), block.length());
    viewport()->update();
}

void DraftEditor::clearPreedit() {
    if (preeditBlock_ < 0) return;
    QTextBlock block = document()->findBlockByNumber(preeditBlock_);
    preeditBlock_ = -1;
    if (!block.isValid()) return;
    block.layout()->setPreeditArea(-1, QString());
    block.layout()->clearFormats();
    document()->markContentsDirty(block.position(), block.length());
    viewport()->update();
}

std::pair<int, int> DraftEditor::acceptSuggestion() {
    const QString text = suggestion_;
    const int start = anchor_.position();
    dismissSuggestion();
    QTextCursor c(document());
    c.setPosition(start);
    c.beginEditBlock();
    c.insertText(text);
    c.endEditBlock();
    setTextCursor(c);
    return {start, c.position()};
}

void DraftEditor::dismissSuggestion() {
    active_ = false;
    clearPreedit();
    suggestion_.clear();
}

void DraftEditor::interrupt() {
    dismissSuggestion();
    Q_EMIT interrupted();
}

void DraftEditor::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) setAccessibleName(tr("Draft text"));
    QPlainTextEdit::changeEvent(e);
}

void DraftEditor::keyPressEvent(QKeyEvent* e) {
    if (active_) {
        if (e->key() == Qt::Key_Tab && e->modifiers() == Qt::NoModifier) {
            if (!suggestion_.isEmpty()) Q_EMIT acceptRequested();
            return;
        }
        if (e->key() == Qt::Key_Escape) {
            Q_EMIT rejectRequested();
            return;
        }
        const bool modifierOnly = e->key() == Qt::Key_Shift || e->key() == Qt::Key_Control ||
                                  e->key() == Qt::Key_Alt || e->key() == Qt::Key_Meta;
        // Before the edit, so the pre-edit text never sits in a changed block.
        if (!modifierOnly) interrupt();
    }
    QPlainTextEdit::keyPressEvent(e);
}

void DraftEditor::mousePressEvent(QMouseEvent* e) {
    if (active_) interrupt();
    QPlainTextEdit::mousePressEvent(e);
}

void DraftEditor::inputMethodEvent(QInputMethodEvent* e) {
    if (active_) interrupt();
    QPlainTextEdit::inputMethodEvent(e);
}

void DraftEditor::insertFromMimeData(const QMimeData* source) {
    if (active_) interrupt();
    QPlainTextEdit::insertFromMimeData(source);
}

void DraftEditor::setProseFont(const QString& family, int pointSize) {
    QFont f(family, pointSize);
    f.setStyleHint(family == QLatin1String("sans") ? QFont::SansSerif : QFont::Serif);
    setFont(f);
    updateMargins();
}

void DraftEditor::setColumnWidth(int pixels) {
    columnWidth_ = pixels;
    updateMargins();
}

void DraftEditor::resizeEvent(QResizeEvent* e) {
    // Margins first: the base class lays the text out for the viewport's width.
    updateMargins();
    QPlainTextEdit::resizeEvent(e);
}

void DraftEditor::updateMargins() {
    // A centred column of about 70 characters: long lines tire the eye.
    const int column = std::min(columnWidth_, fontMetrics().averageCharWidth() * 72 + 48);
    const int side = std::max(0, (width() - column) / 2);
    if (viewportMargins().left() == side) return;
    setViewportMargins(side, 0, side, 0);
    // Re-wrap for the new width (setLineWrapMode does nothing for the same mode).
    setLineWrapMode(NoWrap);
    setLineWrapMode(WidgetWidth);
}

} // namespace fabula::ui
