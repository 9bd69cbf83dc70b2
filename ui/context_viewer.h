#pragma once
// The context viewer: the exact text the model will see for the next
// Continue, coloured by part (memory, lore, story, author's note), with each
// part's size in tokens and words and a bar of the budget. It only shows
// what ContextPreview builds off the GUI thread.
#include "ui/context_preview_worker.h"

#include <QDockWidget>

class QLabel;
class QProgressBar;
class QTableWidget;
class QTextEdit;

namespace fabula::ui {

class ContextViewer : public QDockWidget {
    Q_OBJECT
public:
    ContextViewer(ContextPreview* preview, QWidget* parent = nullptr);

    QTextEdit* textView() const { return text_; }
    QTableWidget* partsTable() const { return parts_; }
    QProgressBar* budgetBar() const { return bar_; }
    QLabel* errorLabel() const { return error_; }
    static QColor colourOf(const QString& kind);
    static QString nameOf(const QString& kind);

protected:
    void changeEvent(QEvent* e) override; // a language change: retranslateUi()

private:
    void retranslateUi();
    void display(const ContextPreviewResult& r);

    ContextPreview* preview_;
    QTextEdit* text_;
    QTableWidget* parts_;
    QProgressBar* bar_;
    QLabel* error_;
    ContextPreviewResult shown_; // to name its parts again in another language
};

} // namespace fabula::ui
