#include "ui/context_viewer.h"

#include <QBoxLayout>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QTableWidget>
#include <QTextCursor>
#include <QTextEdit>

namespace fabula::ui {

ContextViewer::ContextViewer(ContextPreview* preview, QWidget* parent)
    : QDockWidget(parent), preview_(preview) {
    setObjectName(QStringLiteral("contextViewer"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);
    bar_ = new QProgressBar(body);
    error_ = new QLabel(body);
    error_->setWordWrap(true);
    error_->hide();
    parts_ = new QTableWidget(0, 3, body);
    parts_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    parts_->verticalHeader()->hide();
    parts_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    parts_->setMaximumHeight(160);
    text_ = new QTextEdit(body);
    text_->setReadOnly(true);
    layout->addWidget(bar_);
    layout->addWidget(error_);
    layout->addWidget(parts_);
    layout->addWidget(text_, 1);
    setWidget(body);
    retranslateUi();
    connect(preview_, &ContextPreview::updated, this, &ContextViewer::display);
    // Built only while someone looks.
    connect(this, &QDockWidget::visibilityChanged, preview_, &ContextPreview::setActive);
}

void ContextViewer::retranslateUi() {
    setWindowTitle(tr("Context"));
    bar_->setAccessibleName(tr("Prompt budget used"));
    bar_->setFormat(tr("%v of %m tokens"));
    parts_->setAccessibleName(tr("Parts of the prompt"));
    parts_->setHorizontalHeaderLabels({tr("Part"), tr("Tokens"), tr("Words")});
    text_->setAccessibleName(tr("Text the model will see"));
}

void ContextViewer::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslateUi();
        display(shown_); // the parts' names and the numbers' grouping
    }
    QDockWidget::changeEvent(e);
}

QColor ContextViewer::colourOf(const QString& kind) {
    // Translucent, so the tint reads on the light and the dark theme alike.
    if (kind == QLatin1String("memory")) return QColor(52, 152, 219, 70);
    if (kind == QLatin1String("lore")) return QColor(46, 204, 113, 70);
    if (kind == QLatin1String("authors_note")) return QColor(230, 126, 34, 80);
    return QColor(0, 0, 0, 0); // the story itself stays plain
}

QString ContextViewer::nameOf(const QString& kind) {
    if (kind == QLatin1String("memory")) return tr("Memory");
    if (kind == QLatin1String("lore")) return tr("Lore");
    if (kind == QLatin1String("authors_note")) return tr("Author's note");
    return tr("Story");
}

void ContextViewer::display(const ContextPreviewResult& r) {
    if (&r != &shown_) shown_ = r;
    error_->setText(r.error);
    error_->setVisible(!r.error.isEmpty());
    bar_->setRange(0, std::max(1, r.budget));
    bar_->setValue(std::min(r.total, std::max(1, r.budget)));
    parts_->setRowCount(0);
    text_->clear();
    QTextCursor c(text_->document());
    const QLocale locale;
    for (const ContextPart& p : r.parts) {
        QTextCharFormat f;
        f.setBackground(colourOf(p.kind));
        f.setToolTip(p.key.isEmpty() ? nameOf(p.kind) : tr("%1: %2").arg(nameOf(p.kind), p.key));
        c.insertText(p.text, f);
        const int row = parts_->rowCount();
        parts_->insertRow(row);
        auto* name = new QTableWidgetItem(p.key.isEmpty() ? nameOf(p.kind) : tr("%1: %2").arg(nameOf(p.kind), p.key));
        name->setBackground(colourOf(p.kind));
        parts_->setItem(row, 0, name);
        parts_->setItem(row, 1, new QTableWidgetItem(locale.toString(p.tokens)));
        parts_->setItem(row, 2, new QTableWidgetItem(locale.toString(p.words)));
    }
}

} // namespace fabula::ui
