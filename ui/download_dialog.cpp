#include "ui/download_dialog.h"

#include "ui/app_settings.h"
#include "ui/hub_catalog.h"
#include "ui/hub_download.h"

#include <QBoxLayout>
#include <QDir>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>

namespace fabula::ui {

DownloadDialog::DownloadDialog(AppSettings* settings, QWidget* parent) : QDialog(parent), settings_(settings) {
    setWindowTitle(tr("Download a model"));
    download_ = new HubDownload(this);
    download_->setBaseUrl(settings->hubUrl());

    auto* intro = new QLabel(tr("<p>These are base models: they continue the text you give them, in its voice. "
                                "Chat and instruct models (their names end in “Instruct” or “Chat”) were trained "
                                "to answer requests, so they write differently, often as an assistant replying "
                                "rather than as your story going on.</p>"),
                             this);
    intro->setWordWrap(true);

    catalogModel_ = new HubCatalogModel(this);
    catalog_ = new QTableView(this);
    catalog_->setModel(catalogModel_);
    catalog_->setAccessibleName(tr("Models to download"));
    catalog_->setSelectionBehavior(QAbstractItemView::SelectRows);
    catalog_->setSelectionMode(QAbstractItemView::SingleSelection);
    catalog_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    catalog_->verticalHeader()->hide();
    catalog_->horizontalHeader()->setStretchLastSection(true);
    catalog_->setWordWrap(false);
    catalog_->resizeColumnsToContents();
    catalog_->selectRow(0);

    other_ = new QGroupBox(tr("Another repository on the hub"), this);
    other_->setCheckable(true);
    other_->setChecked(false);
    other_->setAccessibleName(tr("Another repository on the hub"));
    repo_ = new QLineEdit(other_);
    repo_->setPlaceholderText(tr("owner/name"));
    repo_->setAccessibleName(tr("Repository"));
    revision_ = new QLineEdit(other_);
    revision_->setPlaceholderText(QStringLiteral("main"));
    revision_->setAccessibleName(tr("Revision"));
    auto* otherForm = new QFormLayout(other_);
    otherForm->addRow(tr("&Repository:"), repo_);
    otherForm->addRow(tr("Re&vision:"), revision_);
    otherForm->addRow(new QLabel(tr("Only repositories with safetensors weights can be used."), other_));
    connect(other_, &QGroupBox::toggled, catalog_, [this](bool on) { catalog_->setEnabled(!on); });

    token_ = new QLineEdit(this);
    token_->setEchoMode(QLineEdit::Password);
    token_->setAccessibleName(tr("Access token"));
    token_->setPlaceholderText(tr("only for gated or private models"));
    token_->setText(settings->hubToken());
    auto* tokenLabel = new QLabel(tr("Access &token:"), this);
    tokenLabel->setBuddy(token_);

    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    status_ = new QLabel(tr("The files come from %1.").arg(settings->hubUrl().toString()), this);
    status_->setWordWrap(true);
    start_ = new QPushButton(tr("&Download"), this);
    start_->setDefault(true);
    cancel_ = new QPushButton(tr("&Cancel"), this);

    auto* tokenRow = new QHBoxLayout;
    tokenRow->addWidget(tokenLabel);
    tokenRow->addWidget(token_, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(start_);
    buttons->addWidget(cancel_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(catalog_, 1);
    layout->addWidget(other_);
    layout->addLayout(tokenRow);
    layout->addWidget(progress_);
    layout->addWidget(status_);
    layout->addLayout(buttons);
    resize(760, 560);

    connect(start_, &QPushButton::clicked, this, &DownloadDialog::start);
    connect(cancel_, &QPushButton::clicked, this, &DownloadDialog::reject);
    connect(download_, &HubDownload::metadataReady, this, &DownloadDialog::showMetadata);
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
        setRunning(false);
        status_->setText(tr("The download failed: %1").arg(message));
    });
    connect(download_, &HubDownload::cancelled, this, [this] {
        setRunning(false);
        status_->setText(tr("Cancelled. The next download resumes where this one stopped."));
    });
}

QString DownloadDialog::chosenRepo() const {
    if (other_->isChecked()) return repo_->text().trimmed();
    const QModelIndex i = catalog_->currentIndex();
    return i.isValid() ? catalogModel_->index(i.row(), 0).data(HubCatalogModel::RepoRole).toString() : QString();
}

QString DownloadDialog::chosenRevision() const {
    if (other_->isChecked()) return revision_->text().trimmed();
    const QModelIndex i = catalog_->currentIndex();
    return i.isValid() ? catalogModel_->index(i.row(), 0).data(HubCatalogModel::RevisionRole).toString() : QString();
}

void DownloadDialog::setRunning(bool running) {
    running_ = running;
    start_->setEnabled(!running);
    catalog_->setEnabled(!running && !other_->isChecked());
    other_->setEnabled(!running);
    token_->setEnabled(!running);
}

void DownloadDialog::showMetadata(const HubModelInfo& info) {
    const QLocale l;
    QString text = tr("%1: %n file(s), %2.", nullptr, int(info.files.size()))
                       .arg(info.repo, l.formattedDataSize(info.totalBytes));
    if (!info.license.isEmpty()) text += QLatin1Char(' ') + tr("License: %1.").arg(info.license);
    if (info.gated) text += QLatin1Char(' ') + tr("Gated: the hub checks your token.");
    status_->setText(text);
}

void DownloadDialog::start() {
    const QString repo = chosenRepo();
    const QString revision = chosenRevision();
    QString folder = QStringLiteral("models/") + repo;
    if (!revision.isEmpty() && revision != QLatin1String("main"))
        folder += QLatin1Char('@') + QString(revision).replace(QLatin1Char('/'), QLatin1Char('_'));
    const QString dest = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(folder);
    settings_->setHubToken(token_->text());
    download_->setAccessToken(token_->text());
    setRunning(true);
    status_->setText(tr("Asking the hub for %1…").arg(repo));
    download_->start(repo, dest, revision);
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
