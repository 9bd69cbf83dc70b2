#pragma once
// Choosing the model: the registered ones, "Add model folder…", and, when
// there are none yet, what Fabula needs and where to get it.
#include <QDialog>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace fabula::ui {

class AppSettings;
class ModelManager;

class ModelDialog : public QDialog {
    Q_OBJECT
public:
    ModelDialog(ModelManager* models, AppSettings* settings, QWidget* parent = nullptr);

public Q_SLOTS:
    void addFolder();
    void download();

private:
    void fill();

    ModelManager* models_;
    AppSettings* settings_;
    QLabel* intro_;
    QListWidget* list_;
    QLabel* status_;
    QProgressBar* progress_;
    QPushButton *load_, *remove_;
};

} // namespace fabula::ui
