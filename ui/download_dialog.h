#pragma once
// "Download a model": a short list per family with each model's size,
// download, license and access shown before anything is fetched, or any
// repository (and revision) on the hub; an optional access token for gated
// ones. Watch it arrive, cancel (the partial file is kept, so the next
// attempt resumes).
#include <QDialog>

class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableView;

namespace fabula::ui {

class AppSettings;
class HubCatalogModel;
class HubDownload;
struct HubModelInfo;

class DownloadDialog : public QDialog {
    Q_OBJECT
public:
    DownloadDialog(AppSettings* settings, QWidget* parent = nullptr);
    QString modelDir() const { return modelDir_; }
    HubDownload* download() const { return download_; }
    QTableView* choice() const { return catalog_; }
    HubCatalogModel* catalog() const { return catalogModel_; }
    QGroupBox* otherRepository() const { return other_; }
    QLineEdit* repoField() const { return repo_; }
    QLineEdit* revisionField() const { return revision_; }
    QLineEdit* tokenField() const { return token_; }
    // What start() downloads: the chosen row, or the repository typed in.
    QString chosenRepo() const;
    QString chosenRevision() const; // empty: main

public Q_SLOTS:
    void start();
    void reject() override;

private:
    void setRunning(bool running);
    void showMetadata(const HubModelInfo& info);

    AppSettings* settings_;
    HubDownload* download_;
    HubCatalogModel* catalogModel_;
    QTableView* catalog_;
    QGroupBox* other_;
    QLineEdit *repo_, *revision_, *token_;
    QProgressBar* progress_;
    QLabel* status_;
    QPushButton *start_, *cancel_;
    QString modelDir_;
    bool running_ = false;
};

} // namespace fabula::ui
