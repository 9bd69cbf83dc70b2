#include "ui/runs_dialog.h"

#include "training/train_contract.h"
#include "ui/run_charts.h"
#include "ui/run_library.h"
#include "ui/runs_model.h"

#include <QBoxLayout>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPointF>
#include <QPushButton>
#include <QTableView>
#include <QUrl>
#include <QtConcurrent>

#include <algorithm>

namespace fabula::ui {

namespace {

struct RunCurves {
    QString file, error; // error: why the file cannot be read
    int skipped = 0; // lines that are no event of the contract
    QList<QPointF> loss, perplexity; // x: step
    qint64 totalSteps = 0;
};

// Runs on a pool thread: touches nothing but the file.
RunCurves readCurves(const QString& runDir) {
    RunCurves c;
    c.file = QDir(runDir).filePath(QString::fromUtf8(training::kRunEventsFile));
    QFile f(c.file);
    if (!f.open(QIODevice::ReadOnly)) {
        c.error = f.exists() ? f.errorString() : RunsDialog::tr("there is no such file");
        return c;
    }
    while (!f.atEnd()) {
        const QByteArray raw = f.readLine();
        const QByteArray line = raw.trimmed();
        if (line.isEmpty()) continue;
        training::RunEvent e;
        try {
            e = training::run_event_from_json(nlohmann::json::parse(line.toStdString()));
        } catch (const std::exception&) {
            // A live run's last line may be half written: not the file's fault.
            if (raw.endsWith('\n')) ++c.skipped;
            continue;
        }
        using K = training::RunEvent::Kind;
        if (e.kind == K::Step) {
            c.loss.append(QPointF(double(e.step), e.loss));
            c.totalSteps = std::max(c.totalSteps, qint64(e.total_steps));
        } else if (e.kind == K::Eval) {
            c.perplexity.append(QPointF(double(e.step), e.perplexity));
        }
    }
    return c;
}

} // namespace

RunsDialog::RunsDialog(RunsModel* model, RunLibrary* runs, QWidget* parent)
    : QDialog(parent), model_(model), runs_(runs) {
    setObjectName(QStringLiteral("runsDialog"));
    setWindowTitle(tr("Training runs"));
    view_ = new QTableView(this);
    view_->setModel(model_);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->setSelectionMode(QAbstractItemView::SingleSelection);
    view_->horizontalHeader()->setSectionResizeMode(RunsModel::NameColumn, QHeaderView::Stretch);
    view_->verticalHeader()->hide();
    view_->setAccessibleName(tr("Training runs"));

    charts_ = new RunCharts(this);
    curvesNote_ = new QLabel(this);
    curvesNote_->setObjectName(QStringLiteral("curvesNote"));
    curvesNote_->setWordWrap(true);
    curvesNote_->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    resume_ = buttons->addButton(tr("&Resume"), QDialogButtonBox::ActionRole);
    resume_->setObjectName(QStringLiteral("resumeRun"));
    delete_ = buttons->addButton(tr("&Delete…"), QDialogButtonBox::ActionRole);
    delete_->setObjectName(QStringLiteral("deleteRun"));
    open_ = buttons->addButton(tr("&Open folder"), QDialogButtonBox::ActionRole);
    open_->setObjectName(QStringLiteral("openRunFolder"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(resume_, &QPushButton::clicked, this, &RunsDialog::resumeCurrent);
    connect(delete_, &QPushButton::clicked, this, &RunsDialog::deleteCurrent);
    connect(open_, &QPushButton::clicked, this, &RunsDialog::openCurrentFolder);
    // The table is rebuilt whenever the store reports; the writer's pick (and
    // its curves) stays.
    connect(model_, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        const int row = currentRow();
        selectedId_ = row >= 0 && row < model_->rowCount() ? model_->rowAt(row).id : 0;
    });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        for (int row = 0; selectedId_ && row < model_->rowCount(); ++row)
            if (model_->rowAt(row).id == selectedId_) view_->selectRow(row);
    });
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsDialog::updateButtons);
    connect(model_, &QAbstractItemModel::modelReset, this, &RunsDialog::updateButtons);
    connect(view_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsDialog::loadCurves);
    connect(model_, &QAbstractItemModel::modelReset, this, &RunsDialog::loadCurves);
    connect(model_, &QAbstractItemModel::dataChanged, this, &RunsDialog::updateButtons);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(view_, 1);
    layout->addWidget(charts_, 1);
    layout->addWidget(curvesNote_);
    layout->addWidget(buttons);
    resize(720, 620);
    updateButtons();
    model_->refresh();
}

int RunsDialog::currentRow() const {
    const auto rows = view_->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.first().row();
}

void RunsDialog::updateButtons() {
    const int row = currentRow();
    const bool any = row >= 0 && row < model_->rowCount();
    const qint64 id = any ? model_->rowAt(row).id : 0;
    const TrainingRun* live = any ? runs_->run(id) : nullptr;
    const bool training = live && live->isAlive();
    resume_->setEnabled(any && !training && RunsModel::isResumable(model_->rowAt(row).status));
    delete_->setEnabled(any && !training);
    open_->setEnabled(any && QDir(model_->rowAt(row).dir).exists());
}

void RunsDialog::loadCurves() {
    const int row = currentRow();
    const QString dir = row >= 0 && row < model_->rowCount() ? model_->rowAt(row).dir : QString();
    if (dir == curvesDir_) return; // a refresh of the table, not another run
    curvesDir_ = dir;
    const int generation = ++curvesGeneration_;
    charts_->clear();
    curvesNote_->hide();
    if (dir.isEmpty()) return;
    auto* watcher = new QFutureWatcher<RunCurves>(this);
    connect(watcher, &QFutureWatcher<RunCurves>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != curvesGeneration_) return;
        const RunCurves c = watcher->result();
        charts_->setCurves(c.loss, c.perplexity, c.totalSteps);
        const QString file = QDir::toNativeSeparators(c.file);
        QString note;
        if (!c.error.isEmpty()) note = tr("No curves: %1 cannot be read (%2).").arg(file, c.error);
        else if (c.skipped > 0)
            note = tr("%n line(s) of %1 are not training events and were skipped.", nullptr, c.skipped).arg(file);
        else if (c.loss.isEmpty()) note = tr("No curves yet: %1 holds no training steps.").arg(file);
        curvesNote_->setText(note);
        curvesNote_->setVisible(!note.isEmpty());
    });
    watcher->setFuture(QtConcurrent::run(readCurves, dir));
}

void RunsDialog::resumeCurrent() {
    const int row = currentRow();
    if (row < 0) return;
    const auto& r = model_->rowAt(row);
    runs_->resume(r.id, r.dir);
    updateButtons();
}

void RunsDialog::deleteCurrent() {
    const int row = currentRow();
    if (row < 0) return;
    const auto r = model_->rowAt(row);
    auto* box = new QMessageBox(QMessageBox::Question, tr("Delete run"),
                                tr("Delete the run \u201c%1\u201d with its checkpoints and model (or voice)?").arg(r.name),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("deleteRunQuestion"));
    box->setInformativeText(tr("Only the files the run wrote in %1 are removed.").arg(QDir::toNativeSeparators(r.dir)));
    QPushButton* yes = box->addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    yes->setObjectName(QStringLiteral("confirmDelete"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, yes, r](QAbstractButton* b) {
        if (b != yes) return;
        runs_->remove(r.id, r.dir, [this](const QString& error) {
            if (!error.isEmpty()) QMessageBox::information(this, tr("Delete run"), error);
        });
    });
    box->open();
}

void RunsDialog::openCurrentFolder() {
    const int row = currentRow();
    if (row >= 0) QDesktopServices::openUrl(QUrl::fromLocalFile(model_->rowAt(row).dir));
}

QMessageBox* offerInterruptedRuns(QWidget* parent, RunLibrary* runs, const QList<qint64>& ids,
                                  const QStringList& names, const QStringList& dirs) {
    auto* box = new QMessageBox(QMessageBox::Information, RunsDialog::tr("Training was interrupted"),
                                RunsDialog::tr("%n training run(s) stopped while Fabula or the computer was not "
                                               "running: %1. Resume from the last checkpoint?",
                                               nullptr, int(ids.size()))
                                    .arg(names.join(QStringLiteral(", "))),
                                QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("interruptedRuns"));
    QPushButton* resume = box->addButton(RunsDialog::tr("&Resume"), QMessageBox::AcceptRole);
    resume->setObjectName(QStringLiteral("resumeInterrupted"));
    box->addButton(RunsDialog::tr("&Later"), QMessageBox::RejectRole);
    box->setWindowModality(Qt::NonModal);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::buttonClicked, runs, [runs, resume, ids, dirs](QAbstractButton* b) {
        if (b != resume) return;
        for (int i = 0; i < ids.size(); ++i) runs->resume(ids[i], dirs.value(i));
    });
    box->show();
    return box;
}

} // namespace fabula::ui
