#include "ui/story_panel.h"

#include "core/lorebook.h"
#include "ui/lorebook_model.h"
#include "ui/story_session.h"

#include <QBoxLayout>
#include <QEvent>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>

namespace fabula::ui {

namespace {
constexpr qint64 kNewSeries = -1;
}

StoryPanel::StoryPanel(StorySession* session, QWidget* parent) : QDockWidget(parent), session_(session) {
    setObjectName(QStringLiteral("storyPanel"));
    auto* body = new QWidget(this);
    auto* layout = new QVBoxLayout(body);

    auto* form = new QFormLayout;
    series_ = new QComboBox(body);
    target_ = new QComboBox(body);
    target_->addItem(QString(), int(StorySession::Target::Draft));
    target_->addItem(QString(), int(StorySession::Target::Series));
    seriesLabel_ = new QLabel(body);
    targetLabel_ = new QLabel(body);
    form->addRow(seriesLabel_, series_);
    form->addRow(targetLabel_, target_);
    layout->addLayout(form);

    memoryLabel_ = new QLabel(body);
    layout->addWidget(memoryLabel_);
    memory_ = new QPlainTextEdit(body);
    layout->addWidget(memory_, 2);

    auto* noteRow = new QHBoxLayout;
    noteLabel_ = new QLabel(body);
    noteRow->addWidget(noteLabel_, 1);
    depth_ = new QSpinBox(body);
    depth_->setRange(0, 1000);
    noteRow->addWidget(depth_);
    layout->addLayout(noteRow);
    note_ = new QPlainTextEdit(body);
    note_->setMaximumHeight(70);
    layout->addWidget(note_);

    loreLabel_ = new QLabel(body);
    layout->addWidget(loreLabel_);
    search_ = new QLineEdit(body);
    search_->setClearButtonEnabled(true);
    layout->addWidget(search_);
    proxy_ = new QSortFilterProxyModel(this);
    proxy_->setSourceModel(session_->lorebook());
    proxy_->setFilterKeyColumn(-1);
    proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
    table_ = new QTableView(body);
    table_->setModel(proxy_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(LorebookModel::Content, QHeaderView::Stretch);
    layout->addWidget(table_, 3);
    auto* buttons = new QHBoxLayout;
    add_ = new QPushButton(body);
    remove_ = new QPushButton(body);
    import_ = new QPushButton(body);
    for (auto* b : {add_, remove_, import_}) buttons->addWidget(b);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    entryText_ = new QPlainTextEdit(body);
    entryText_->setMaximumHeight(90);
    layout->addWidget(entryText_);
    problem_ = new QLabel(body);
    problem_->setWordWrap(true);
    problem_->hide();
    layout->addWidget(problem_);
    setWidget(body);
    retranslateUi();

    connect(session_, &StorySession::loaded, this, &StoryPanel::refresh);
    connect(session_, &StorySession::seriesListChanged, this, &StoryPanel::refreshSeries);
    connect(session_, &StorySession::problem, this, &StoryPanel::showProblem);
    connect(session_, &StorySession::saved, this, [this] { problem_->hide(); });
    connect(memory_, &QPlainTextEdit::textChanged, this, [this] {
        if (!updating_) session_->setMemory(memory_->toPlainText());
    });
    connect(note_, &QPlainTextEdit::textChanged, this, [this] {
        if (!updating_) session_->setAuthorsNote(note_->toPlainText());
    });
    connect(depth_, &QSpinBox::valueChanged, this, [this](int v) {
        if (!updating_) session_->setAuthorsNoteDepth(v);
    });
    connect(target_, &QComboBox::activated, this, [this](int index) {
        session_->setTarget(StorySession::Target(target_->itemData(index).toInt()));
    });
    connect(series_, &QComboBox::activated, this, &StoryPanel::seriesChosen);
    connect(search_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
    connect(add_, &QPushButton::clicked, this, &StoryPanel::addEntry);
    connect(remove_, &QPushButton::clicked, this, &StoryPanel::deleteSelectedEntries);
    connect(import_, &QPushButton::clicked, this, &StoryPanel::chooseLorebookFile);
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &StoryPanel::showEntry);
    connect(entryText_, &QPlainTextEdit::textChanged, this, [this] {
        const int row = currentEntryRow();
        if (updating_ || row < 0) return;
        auto* model = session_->lorebook();
        const QString text = entryText_->toPlainText();
        if (model->entry(row).content == text.toStdString()) return;
        updating_ = true; // the table's own update must not reset the text being typed
        model->setData(model->index(row, LorebookModel::Content), text);
        updating_ = false;
    });
    refresh();
}

void StoryPanel::retranslateUi() {
    setWindowTitle(tr("Story"));
    series_->setAccessibleName(tr("Series"));
    target_->setAccessibleName(tr("Memory and lorebook of"));
    target_->setItemText(0, tr("This draft"));
    target_->setItemText(1, tr("The series (shared by its drafts)"));
    seriesLabel_->setText(tr("Series:"));
    targetLabel_->setText(tr("Edit the settings of:"));
    memoryLabel_->setText(tr("Memory (always at the start of the prompt):"));
    memory_->setAccessibleName(tr("Memory"));
    memory_->setPlaceholderText(tr("The premise, the main characters, the style…"));
    noteLabel_->setText(tr("Author's note:"));
    depth_->setAccessibleName(tr("Author's note depth"));
    depth_->setSuffix(tr(" paragraphs before the end"));
    note_->setAccessibleName(tr("Author's note"));
    note_->setPlaceholderText(tr("e.g. Tense, dreamlike; the storm gets worse."));
    loreLabel_->setText(tr("Lorebook:"));
    search_->setPlaceholderText(tr("Search entries"));
    search_->setAccessibleName(tr("Search the lorebook"));
    table_->setAccessibleName(tr("Lorebook entries"));
    add_->setText(tr("&Add entry"));
    remove_->setText(tr("&Delete"));
    import_->setText(tr("&Import…"));
    import_->setToolTip(tr("NovelAI, KoboldAI World Info, SillyTavern or Fabula lorebook files"));
    entryText_->setAccessibleName(tr("Text of the selected entry"));
    entryText_->setPlaceholderText(tr("The text this entry puts into the prompt"));
    // The column names come from the model, which gets no event of its own.
    if (auto* lore = session_->lorebook(); lore->columnCount(QModelIndex()) > 0)
        Q_EMIT lore->headerDataChanged(Qt::Horizontal, 0, lore->columnCount(QModelIndex()) - 1);
}

void StoryPanel::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslateUi();
        refreshSeries(); // "No series", "New series…"
    }
    QDockWidget::changeEvent(e);
}

void StoryPanel::refresh() {
    updating_ = true;
    const auto& s = session_->edited();
    const bool open = session_->isLoaded();
    for (QWidget* w : std::initializer_list<QWidget*>{memory_, note_, depth_, search_, table_, add_, remove_, import_,
                                                      entryText_, series_})
        w->setEnabled(open);
    target_->setEnabled(open && session_->series() != 0);
    target_->setCurrentIndex(session_->target() == StorySession::Target::Series ? 1 : 0);
    if (memory_->toPlainText().toStdString() != s.memory) memory_->setPlainText(QString::fromStdString(s.memory));
    if (note_->toPlainText().toStdString() != s.authors_note)
        note_->setPlainText(QString::fromStdString(s.authors_note));
    depth_->setValue(s.authors_note_depth);
    updating_ = false;
    refreshSeries();
    showEntry();
}

void StoryPanel::refreshSeries() {
    updating_ = true;
    series_->clear();
    series_->addItem(tr("No series"), qint64(0));
    for (const auto& [id, name] : session_->seriesList()) series_->addItem(name, id);
    series_->addItem(tr("New series…"), kNewSeries);
    series_->setCurrentIndex(std::max(0, series_->findData(session_->series())));
    updating_ = false;
}

void StoryPanel::seriesChosen(int index) {
    const qint64 id = series_->itemData(index).toLongLong();
    if (id != kNewSeries) {
        session_->chooseSeries(id);
        return;
    }
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New series"), tr("Name of the series:"), QLineEdit::Normal,
                                               {}, &ok)
                             .trimmed();
    if (ok && !name.isEmpty()) session_->createSeries(name);
    else refreshSeries();
}

int StoryPanel::currentEntryRow() const {
    const QModelIndex i = proxy_->mapToSource(table_->currentIndex());
    return i.isValid() ? i.row() : -1;
}

void StoryPanel::showEntry() {
    const int row = currentEntryRow();
    const bool wasUpdating = updating_;
    updating_ = true;
    entryText_->setEnabled(row >= 0 && session_->isLoaded());
    entryText_->setPlainText(row >= 0 ? QString::fromStdString(session_->lorebook()->entry(row).content) : QString());
    updating_ = wasUpdating;
}

void StoryPanel::addEntry() {
    LoreEntry e;
    e.name = tr("New entry").toStdString();
    const int row = session_->lorebook()->addEntry(std::move(e));
    search_->clear();
    const QModelIndex index = proxy_->mapFromSource(session_->lorebook()->index(row, LorebookModel::Keys));
    table_->setCurrentIndex(index);
    table_->edit(index);
}

void StoryPanel::deleteSelectedEntries() {
    QList<int> rows;
    for (const QModelIndex& i : table_->selectionModel()->selectedRows()) rows << proxy_->mapToSource(i).row();
    if (rows.isEmpty() && currentEntryRow() >= 0) rows << currentEntryRow();
    session_->lorebook()->removeEntries(rows);
    showEntry();
}

QString StoryPanel::importLorebook(const QString& path) {
    try {
        const auto entries = read_lorebook_file(path.toStdString());
        session_->lorebook()->appendEntries(entries);
        problem_->hide();
        Q_EMIT message(tr("Imported %n lorebook entry(s) from %1.", nullptr, int(entries.size())).arg(path));
        return {};
    } catch (const std::exception& e) {
        // FileError's text names the file and what is wrong with it.
        const QString m = tr("The lorebook was not imported: %1").arg(QString::fromUtf8(e.what()));
        showProblem(m);
        Q_EMIT message(m);
        return m;
    }
}

void StoryPanel::chooseLorebookFile() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Import a lorebook"), {},
                                                      tr("Lorebooks (*.json *.jsonl *.lorebook);;All files (*)"));
    if (!path.isEmpty()) importLorebook(path);
}

void StoryPanel::showProblem(const QString& text) {
    problem_->setText(text);
    problem_->setVisible(!text.isEmpty());
}

} // namespace fabula::ui
