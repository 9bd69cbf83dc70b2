#pragma once
// Choosing the model: the registered ones with their family, size,
// precision, memory and expected speed, "Add model folder…", and, when there
// are none yet, what Fabula needs and where to get it.
#include <QDialog>

class QLabel;
class QTableView;
class QProgressBar;
class QPushButton;

namespace fabula::ui {

class AppSettings;
class ModelListModel;
class ModelManager;

class ModelDialog : public QDialog {
    Q_OBJECT
public:
    ModelDialog(ModelManager* models, AppSettings* settings, QWidget* parent = nullptr);
    QTableView* view() const { return view_; }
    ModelListModel* list() const { return list_; }

public Q_SLOTS:
    void addFolder();
    void download();

private:
    void fill();
    QString currentPath() const;

    ModelManager* models_;
    AppSettings* settings_;
    QLabel* intro_;
    ModelListModel* list_;
    QTableView* view_;
    QLabel* status_;
    QProgressBar* progress_;
    QPushButton *load_, *remove_;
};

} // namespace fabula::ui
