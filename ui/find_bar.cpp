#include "ui/find_bar.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTextBlock>

namespace fabula::ui {

FindBar::FindBar(QPlainTextEdit* editor, QWidget* parent) : QWidget(parent), editor_(editor) {
    find_ = new QLineEdit(this);
    replace_ = new QLineEdit(this);
    matchCase_ = new QCheckBox(this);
    status_ = new QLabel(this);
    auto* next = next_ = new QPushButton(this);
    auto* one = one_ = new QPushButton(this);
    auto* all = all_ = new QPushButton(this);
    auto* close = close_ = new QPushButton(this);
    retranslateUi();
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    for (QWidget* w : std::initializer_list<QWidget*>{find_, next, replace_, one, all, matchCase_, status_, close})
        layout->addWidget(w);
    connect(find_, &QLineEdit::returnPressed, this, &FindBar::findNext);
    connect(next, &QPushButton::clicked, this, &FindBar::findNext);
    connect(one, &QPushButton::clicked, this, &FindBar::replaceOne);
    connect(all, &QPushButton::clicked, this, &FindBar::replaceAll);
    connect(close, &QPushButton::clicked, this, [this] {
        hide();
        editor_->setFocus();
    });
    auto* esc = new QShortcut(QKeySequence(Qt::Key_Escape), this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(esc, &QShortcut::activated, close, &QPushButton::click);
    hide();
}

void FindBar::retranslateUi() {
    find_->setPlaceholderText(tr("Find"));
    find_->setAccessibleName(tr("Find"));
    replace_->setPlaceholderText(tr("Replace with"));
    replace_->setAccessibleName(tr("Replace with"));
    matchCase_->setText(tr("Match &case"));
    next_->setText(tr("Find &next"));
    one_->setText(tr("&Replace"));
    all_->setText(tr("Replace &all"));
    close_->setText(tr("Close"));
}

void FindBar::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslateUi();
        status_->clear(); // the last search's outcome, said in the old language
    }
    QWidget::changeEvent(e);
}

void FindBar::open() {
    show();
    if (editor_->textCursor().hasSelection()) find_->setText(editor_->textCursor().selectedText());
    find_->setFocus();
    find_->selectAll();
}

bool FindBar::findNext() {
    const QTextDocument::FindFlags flags = matchCase_->isChecked() ? QTextDocument::FindCaseSensitively
                                                                   : QTextDocument::FindFlags();
    if (find_->text().isEmpty()) return false;
    if (editor_->find(find_->text(), flags)) {
        status_->clear();
        return true;
    }
    // Wrap around once.
    QTextCursor c = editor_->textCursor();
    c.movePosition(QTextCursor::Start);
    editor_->setTextCursor(c);
    const bool found = editor_->find(find_->text(), flags);
    status_->setText(found ? tr("Wrapped around") : tr("Not found"));
    return found;
}

void FindBar::replaceOne() {
    QTextCursor c = editor_->textCursor();
    const Qt::CaseSensitivity cs = matchCase_->isChecked() ? Qt::CaseSensitive : Qt::CaseInsensitive;
    if (c.hasSelection() && c.selectedText().compare(find_->text(), cs) == 0) c.insertText(replace_->text());
    findNext();
}

int FindBar::replaceAll() {
    if (find_->text().isEmpty()) return 0;
    const QTextDocument::FindFlags flags = matchCase_->isChecked() ? QTextDocument::FindCaseSensitively
                                                                   : QTextDocument::FindFlags();
    QTextDocument* doc = editor_->document();
    QTextCursor edit(doc);
    edit.beginEditBlock(); // one undo step for all of them
    int n = 0;
    QTextCursor at(doc);
    while (!(at = doc->find(find_->text(), at, flags)).isNull()) {
        at.insertText(replace_->text());
        ++n;
    }
    edit.endEditBlock();
    status_->setText(tr("%n replaced", nullptr, n));
    return n;
}

} // namespace fabula::ui
