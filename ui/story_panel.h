#pragma once
// The story panel of the open draft: Memory, the Author's note with its
// depth, the Lorebook (search, add, edit, delete, import) and the draft's
// series, with whether the edits go to the draft or to its series. It edits
// StorySession, which saves to the store.
#include <QDockWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace fabula::ui {

class StorySession;

class StoryPanel : public QDockWidget {
    Q_OBJECT
public:
    StoryPanel(StorySession* session, QWidget* parent = nullptr);

    QPlainTextEdit* memoryEdit() const { return memory_; }
    QPlainTextEdit* noteEdit() const { return note_; }
    QSpinBox* noteDepth() const { return depth_; }
    QLineEdit* loreSearch() const { return search_; }
    QTableView* loreTable() const { return table_; }
    QSortFilterProxyModel* loreProxy() const { return proxy_; }
    QPlainTextEdit* entryText() const { return entryText_; }
    QComboBox* seriesBox() const { return series_; }
    QComboBox* targetBox() const { return target_; }
    QLabel* problemLabel() const { return problem_; }

public Q_SLOTS:
    void addEntry();
    void deleteSelectedEntries();
    // Appends the entries of a NovelAI, KoboldAI, SillyTavern or Fabula
    // lorebook file; returns the problem (naming the file), empty when read.
    QString importLorebook(const QString& path);
    void chooseLorebookFile();

Q_SIGNALS:
    void message(const QString& text);

protected:
    void changeEvent(QEvent* e) override; // a language change: retranslateUi()

private:
    void retranslateUi(); // every text the panel shows, in the current language
    void refresh();         // the editors from the session
    void refreshSeries();
    void seriesChosen(int index);
    void showEntry();       // the selected entry's text below the table
    int currentEntryRow() const;
    void showProblem(const QString& text);

    StorySession* session_;
    QComboBox *series_, *target_;
    QPlainTextEdit *memory_, *note_, *entryText_;
    QSpinBox* depth_;
    QLineEdit* search_;
    QTableView* table_;
    QSortFilterProxyModel* proxy_;
    QPushButton *add_, *remove_, *import_;
    QLabel *seriesLabel_, *targetLabel_, *memoryLabel_, *noteLabel_, *loreLabel_;
    QLabel* problem_;
    bool updating_ = false; // filling the editors from the session, not an edit
};

} // namespace fabula::ui
