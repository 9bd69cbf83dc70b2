#include "ui/download_dialog.h"

#include "ui/app_settings.h"
#include "ui/hub_download.h"

#include <QBoxLayout>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>

namespace fabula::ui {

DownloadDialog::DownloadDialog(AppSettings* settings, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Download GPT-2"));
    download_ = new HubDownload(this);
    download_->setBaseUrl(settings->hubUrl());
    choice_ = new QComboBox(this);
    choice_->setAccessibleName(tr("Model size"));
    // Sizes of model.safetensors as published.
    const QLocale l;
    choice_->addItem(tr("GPT-2 small (124M parameters, %1)").arg(l.formattedDataSize(548'105'171)), "gpt2");
    choice_->addItem(tr("GPT-2 medium (355M parameters, %1)").arg(l.formattedDataSize(1'520'013'706)), "gpt2-medium");
    choice_->addItem(tr("GPT-2 large (774M parameters, %1)").arg(l.formattedDataSize(3'247'202'234)), "gpt2-large");
    choice_->addItem(tr("GPT-2 XL (1.5B parameters, %1)").arg(l.formattedDataSize(6'431'878'936)), "gpt2-xl");
    auto* label = new QLabel(tr("&Model:"), this);
    label->setBuddy(choice_);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    status_ = new QLabel(tr("The files come from %1.").arg(settings->hubUrl().toString()), this);
    status_->setWordWrap(true);
    start_ = new QPushButton(tr("&Download"), this);
    start_->setDefault(true);
    cancel_ = new QPushButton(tr("&Cancel"), this);

    auto* top = new QHBoxLayout;
    top->addWidget(label);
    top->addWidget(choice_, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(start_);
    buttons->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addLayout(buttons);

    connect(start_, &QPushButton::clicked, this, &DownloadDialog::start);
    connect(cancel_, &QPushButton::clicked, this, &DownloadDialog::reject);
    connect(download_, &HubDownload::progress, this, [this](qint64 received, qint64 total, const QString& file) {
        progress_->setValue(total > 0 ? int(received * 1000 / total) : 0);
        const QLocale l;
        status_->setText(tr("%1 of %2 (%3)").arg(l.formattedDataSize(received), l.formattedDataSize(total), file));
    });
    connect(download_, &HubDownload::finished, this, [this](const QString& dir) {
        running_ = false;
        modelDir_ = dir;
        QDialog::accept();
    });
    connect(download_, &HubDownload::failed, this, [this](const QString& message) {
        running_ = false;
        start_->setEnabled(true);
        choice_->setEnabled(true);
        status_->setText(tr("The download failed: %1").arg(message));
    });
    connect(download_, &HubDownload::cancelled, this, [this] {
        running_ = false;
        start_->setEnabled(true);
        choice_->setEnabled(true);
        status_->setText(tr("Cancelled. The next download resumes where this one stopped."));
    });
}

void DownloadDialog::start() {
    const QString repo = choice_->currentData().toString();
    const QString dest = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                             .filePath(QStringLiteral("models/") + repo);
    running_ = true;
    start_->setEnabled(false);
    choice_->setEnabled(false);
    status_->setText(tr("Asking the hub for %1…").arg(repo));
    download_->start(repo, dest);
}

void DownloadDialog::reject() {
    // The first Cancel stops the download; the next one closes the dialog.
    if (running_) {
        download_->cancel();
        return;
    }
    QDialog::reject();
}

} // namespace fabula::ui
