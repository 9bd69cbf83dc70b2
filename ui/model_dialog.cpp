#include "ui/model_dialog.h"

#include "ui/download_dialog.h"
#include "ui/model_list_model.h"
#include "ui/model_manager.h"

#include <QBoxLayout>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeView>

namespace fabula::ui {

ModelDialog::ModelDialog(ModelManager* models, AppSettings* settings, QWidget* parent)
    : QDialog(parent), models_(models), settings_(settings) {
    setWindowTitle(tr("Models"));
    intro_ = new QLabel(this);
    intro_->setWordWrap(true);
    list_ = new ModelListModel(models_, this);
    view_ = new QTreeView(this);
    view_->setModel(list_);
    view_->setAccessibleName(tr("Registered models and their voices"));
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view_->header()->setStretchLastSection(true);
    view_->setWordWrap(false);
    view_->setItemsExpandable(true);
    // Every model's voices in sight: they are what the writer comes to pick.
    connect(list_, &QAbstractItemModel::modelReset, view_, &QTreeView::expandAll);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("modelStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->hide();
    load_ = new QPushButton(tr("&Load"), this);
    load_->setObjectName(QStringLiteral("loadModel"));
    remove_ = new QPushButton(tr("&Remove from list"), this);
    auto* add = new QPushButton(tr("&Add model folder…"), this);
    auto* get = new QPushButton(tr("&Download a model…"), this);
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);

    auto* row = new QHBoxLayout;
    row->addWidget(load_);
    row->addWidget(remove_);
    row->addStretch();
    row->addWidget(add);
    row->addWidget(get);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro_);
    layout->addWidget(view_, 1);
    layout->addLayout(row);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addWidget(close);
    resize(820, 400);

    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(add, &QPushButton::clicked, this, &ModelDialog::addFolder);
    connect(get, &QPushButton::clicked, this, &ModelDialog::download);
    connect(load_, &QPushButton::clicked, this, [this] {
        const QModelIndex i = view_->currentIndex();
        if (!i.isValid() || !i.data(ModelListModel::UsableRole).toBool()) return;
        const QString path = currentPath(), voice = i.siblingAtColumn(0).data(ModelListModel::VoiceRole).toString();
        if (path.isEmpty()) return;
        if (voice.isEmpty()) models_->load(path);
        else models_->choose(path, voice);
    });
    connect(view_, &QTreeView::activated, load_, &QPushButton::click);
    connect(remove_, &QPushButton::clicked, this, [this] {
        if (const QModelIndex i = view_->currentIndex(); i.isValid())
            if (const qint64 id = i.siblingAtColumn(0).data(ModelListModel::IdRole).toLongLong(); id > 0) models_->remove(id);
    });
    connect(view_->selectionModel(), &QItemSelectionModel::currentChanged, this, &ModelDialog::describeCurrent);
    // The columns fit their contents once the facts (read off the GUI thread) are in.
    connect(list_, &ModelListModel::factsReady, this, [this] {
        for (int c = 0; c < ModelListModel::ColumnCount; ++c) view_->resizeColumnToContents(c);
    });
    connect(models_, &ModelManager::modelsChanged, this, &ModelDialog::fill);
    connect(models_, &ModelManager::addFailed, this, [this](const QString& dir, const QString& message) {
        status_->setText(tr("%1 cannot be used: %2").arg(QDir::toNativeSeparators(dir), message));
    });
    connect(models_, &ModelManager::voiceAdded, this, [this](const QString&, const QString& name) {
        status_->setText(tr("The voice “%1” is in the list, under the model it was made for.").arg(name));
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
    connect(models_, &ModelManager::voiceChanged, this, &QDialog::accept);
    connect(models_, &ModelManager::voiceFailed, this, [this](const QString& message) { status_->setText(message); });
    connect(models_, &ModelManager::loadFailed, this, [this](const QString& message) {
        progress_->hide();
        status_->setText(message);
    });
    fill();
    models_->refresh();
}

void ModelDialog::fill() {
    const bool none = models_->models().isEmpty();
    intro_->setText(none ? tr("<p><b>Fabula needs a language model to continue your text.</b></p>"
                              "<p>A model is a folder with <i>config.json</i>, the weights in "
                              "<i>model.safetensors</i> (or several shards with "
                              "<i>model.safetensors.index.json</i>) and the tokenizer files, as published on the "
                              "Hugging Face hub: GPT-2, GPT-Neo, GPT-J or a Llama-family model (Llama, Mistral, "
                              "Qwen2). Download one here (about 0.3 GB for the smallest), or add a folder you "
                              "already have.</p>")
                         : tr("Choose the model that continues your text. Memory counts the weights in the "
                              "precision they run in here and the cache for the model's context."));
    remove_->setEnabled(!none || !models_->voices().isEmpty());
    view_->expandAll();
    if (!none && !view_->currentIndex().isValid()) view_->setCurrentIndex(list_->index(0, 0));
    describeCurrent();
}

QString ModelDialog::currentPath() const {
    const QModelIndex i = view_->currentIndex();
    return i.isValid() ? i.siblingAtColumn(0).data(ModelListModel::PathRole).toString() : QString();
}

void ModelDialog::describeCurrent() {
    const QModelIndex i = view_->currentIndex();
    const bool usable = i.isValid() && i.data(ModelListModel::UsableRole).toBool();
    load_->setEnabled(usable);
    load_->setText(i.isValid() && !i.siblingAtColumn(0).data(ModelListModel::VoiceRole).toString().isEmpty()
                       ? tr("&Use this voice")
                       : tr("&Load"));
    if (i.isValid() && !usable) status_->setText(i.data(ModelListModel::ProblemRole).toString());
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
