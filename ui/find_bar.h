#pragma once
// Find and replace in the draft, as a bar under the editor.
#include <QWidget>

class QLineEdit;
class QPlainTextEdit;
class QCheckBox;
class QLabel;
class QPushButton;

namespace fabula::ui {

class FindBar : public QWidget {
    Q_OBJECT
public:
    FindBar(QPlainTextEdit* editor, QWidget* parent = nullptr);
    QLineEdit* findField() const { return find_; }
    QLineEdit* replaceField() const { return replace_; }

public Q_SLOTS:
    void open();
    bool findNext();
    void replaceOne();
    int replaceAll();

protected:
    void changeEvent(QEvent* e) override; // a language change: retranslateUi()

private:
    void retranslateUi();

    QPlainTextEdit* editor_;
    QLineEdit *find_, *replace_;
    QCheckBox* matchCase_;
    QLabel* status_;
    QPushButton *next_, *one_, *all_, *close_;
};

} // namespace fabula::ui
