#pragma once
// "Download GPT-2": pick a size, watch it arrive, cancel (the partial file is
// kept, so the next attempt resumes).
#include <QDialog>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace fabula::ui {

class AppSettings;
class HubDownload;

class DownloadDialog : public QDialog {
    Q_OBJECT
public:
    DownloadDialog(AppSettings* settings, QWidget* parent = nullptr);
    QString modelDir() const { return modelDir_; }
    HubDownload* download() const { return download_; }
    QComboBox* choice() const { return choice_; }

public Q_SLOTS:
    void start();
    void reject() override;

private:
    HubDownload* download_;
    QComboBox* choice_;
    QProgressBar* progress_;
    QLabel* status_;
    QPushButton *start_, *cancel_;
    QString modelDir_;
    bool running_ = false;
};

} // namespace fabula::ui
