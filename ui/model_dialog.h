#pragma once
// Choosing the model: the registered ones with their family, size,
// precision, memory and expected speed, each model's voices (LoRA adapters)
// under it, "Add model folder…" (a model or an adapter), and, when there
// are none yet, what Fabula needs and where to get it.
#include <QDialog>

class QLabel;
class QTreeView;
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
    QTreeView* view() const { return view_; }
    ModelListModel* list() const { return list_; }

public Q_SLOTS:
    void addFolder();
    void download();

private:
    void fill();
    QString currentPath() const;
    void describeCurrent();

    ModelManager* models_;
    AppSettings* settings_;
    QLabel* intro_;
    ModelListModel* list_;
    QTreeView* view_;
    QLabel* status_;
    QProgressBar* progress_;
    QPushButton *load_, *remove_;
};

} // namespace fabula::ui
