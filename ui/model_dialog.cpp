#include "ui/model_dialog.h"

#include "ui/download_dialog.h"
#include "ui/model_manager.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>

namespace fabula::ui {

ModelDialog::ModelDialog(ModelManager* models, AppSettings* settings, QWidget* parent)
    : QDialog(parent), models_(models), settings_(settings) {
    setWindowTitle(tr("Models"));
    intro_ = new QLabel(this);
    intro_->setWordWrap(true);
    list_ = new QListWidget(this);
    list_->setAccessibleName(tr("Registered models"));
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->hide();
    load_ = new QPushButton(tr("&Load"), this);
    remove_ = new QPushButton(tr("&Remove from list"), this);
    auto* add = new QPushButton(tr("&Add model folder…"), this);
    auto* get = new QPushButton(tr("&Download GPT-2…"), this);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);

    auto* row = new QHBoxLayout;
    row->addWidget(load_);
    row->addWidget(remove_);
    row->addStretch();
    row->addWidget(add);
    row->addWidget(get);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro_);
    layout->addWidget(list_, 1);
    layout->addLayout(row);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(close);
    resize(560, 380);

    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(add, &QPushButton::clicked, this, &ModelDialog::addFolder);
    connect(get, &QPushButton::clicked, this, &ModelDialog::download);
    connect(load_, &QPushButton::clicked, this, [this] {
        if (auto* item = list_->currentItem()) models_->load(item->data(Qt::UserRole).toString());
    });
    connect(list_, &QListWidget::itemActivated, load_, &QPushButton::click);
    connect(remove_, &QPushButton::clicked, this, [this] {
        if (auto* item = list_->currentItem()) models_->remove(item->data(Qt::UserRole + 1).toLongLong());
    });
    connect(models_, &ModelManager::modelsChanged, this, &ModelDialog::fill);
    connect(models_, &ModelManager::addFailed, this, [this](const QString& dir, const QString& message) {
        status_->setText(tr("%1 cannot be used: %2").arg(QDir::toNativeSeparators(dir), message));
    });
    connect(models_, &ModelManager::loadStarted, this, [this](const QString& dir) {
        status_->setText(tr("Loading %1…").arg(QDir(dir).dirName()));
        progress_->setValue(0);
        progress_->show();
    });
    connect(models_, &ModelManager::loadProgress, this, [this](double f) { progress_->setValue(int(f * 1000)); });
    connect(models_, &ModelManager::loaded, this, [this] {
        progress_->hide();
        accept();
    });
    connect(models_, &ModelManager::loadFailed, this, [this](const QString& message) {
        progress_->hide();
        status_->setText(message);
    });
    fill();
    models_->refresh();
}

void ModelDialog::fill() {
    list_->clear();
    for (const auto& m : models_->models()) {
        auto* item = new QListWidgetItem(QStringLiteral("%1 — %2").arg(m.name, QDir::toNativeSeparators(m.path)), list_);
        item->setData(Qt::UserRole, m.path);
        item->setData(Qt::UserRole + 1, m.id);
    }
    const bool none = models_->models().isEmpty();
    intro_->setText(none ? tr("<p><b>Fabula needs a GPT-2 model to continue your text.</b></p>"
                              "<p>A model is a folder with <i>config.json</i>, <i>model.safetensors</i>, "
                              "<i>vocab.json</i> and <i>merges.txt</i>, as published on the Hugging Face hub. "
                              "Download one here (about 0.5 GB for the smallest), or add a folder you already "
                              "have.</p>")
                         : tr("Choose the model that continues your text."));
    load_->setEnabled(!none);
    remove_->setEnabled(!none);
    if (!none) list_->setCurrentRow(0);
}

void ModelDialog::addFolder() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add model folder"));
    if (dir.isEmpty()) return;
    status_->setText(tr("Checking %1…").arg(QDir::toNativeSeparators(dir)));
    models_->addFolder(dir);
}

void ModelDialog::download() {
    DownloadDialog dialog(settings_, this);
    if (dialog.exec() == QDialog::Accepted && !dialog.modelDir().isEmpty()) models_->addFolder(dialog.modelDir());
}

} // namespace fabula::ui
