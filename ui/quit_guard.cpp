#include "ui/quit_guard.h"

#include "ui/document_manager.h"
#include "ui/draft_files.h"
#include "ui/run_library.h"

#include <QDir>
#include <QFileDialog>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QStandardPaths>
#include <QTimer>
#include <QWidget>

namespace fabula::ui {

QuitGuard::QuitGuard(QWidget* window, DocumentManager* documents)
    : QObject(window), window_(window), documents_(documents) {
    connect(documents_, &DocumentManager::savesSettled, this, &QuitGuard::onSettled);
}

bool QuitGuard::mayClose() {
    if (allowed_) return true;
    if (waiting_ || question_ || trainingQuestion_) return false; // already asked; the answer closes the window
    if (runs_ && !trainingDecided_ && runs_->anyTraining()) {
        askAboutTraining();
        return false;
    }
    documents_->saveNow();
    if (!documents_->isSaving() && documents_->saveState() != DocumentManager::SaveState::Failed) return true;
    saveThenClose();
    return false;
}

void QuitGuard::setTrainingRuns(RunLibrary* runs) { runs_ = runs; }

void QuitGuard::askAboutTraining() {
    auto* box = new QMessageBox(QMessageBox::Question, tr("Fabula"), tr("A model is still training."),
                                QMessageBox::NoButton, window_);
    box->setObjectName(QStringLiteral("quitWhileTraining"));
    box->setInformativeText(tr("It can go on in the background and Fabula shows it again when you come back, "
                               "or pause now (after saving a checkpoint) and be resumed later."));
    QPushButton* keep = box->addButton(tr("&Keep training in the background"), QMessageBox::AcceptRole);
    keep->setObjectName(QStringLiteral("keepTraining"));
    QPushButton* pause = box->addButton(tr("&Pause training"), QMessageBox::ActionRole);
    pause->setObjectName(QStringLiteral("pauseTraining"));
    QPushButton* stay = box->addButton(tr("&Don't quit"), QMessageBox::RejectRole);
    stay->setObjectName(QStringLiteral("dontQuit"));
    box->setDefaultButton(keep);
    box->setEscapeButton(stay);
    box->setWindowModality(Qt::WindowModal);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, keep, pause](QAbstractButton* b) {
        trainingQuestion_ = nullptr; // answered; the box deletes itself later
        if (b != keep && b != pause) return;
        if (b == pause && runs_) runs_->pauseAll(); // the child checkpoints and stops on its own
        trainingDecided_ = true;
        // After the box has closed: the close goes through the save flow.
        QTimer::singleShot(0, window_, &QWidget::close);
    });
    trainingQuestion_ = box;
    box->open();
}

void QuitGuard::saveThenClose() {
    if (documents_->isSaving()) {
        waitForSaves();
        return;
    }
    // Nothing was left to save (a background retry got there first).
    waiting_ = true;
    onSettled();
}

void QuitGuard::waitForSaves() {
    waiting_ = true;
    if (!note_) {
        // Made when needed: a QProgressDialog shows itself a while after it
        // is constructed.
        note_ = new QProgressDialog(window_);
        note_->setObjectName(QStringLiteral("quitSavingNote"));
        note_->setWindowTitle(tr("Fabula"));
        note_->setLabelText(tr("Saving your text before quitting…"));
        note_->setCancelButtonText(tr("&Keep writing"));
        note_->setRange(0, 0);
        note_->setMinimumDuration(0);
        note_->setWindowModality(Qt::WindowModal); // no typing into a text that is being saved
        note_->setAttribute(Qt::WA_DeleteOnClose);
        connect(note_, &QProgressDialog::canceled, this, [this] {
            waiting_ = false; // the saves go on; the window stays
            note_->close();
        });
    }
    note_->show();
}

void QuitGuard::onSettled() {
    if (!waiting_ || documents_->isSaving()) return;
    using S = DocumentManager::SaveState;
    if (documents_->saveState() == S::Unsaved) {
        documents_->saveNow(); // typed meanwhile: that is saved too
        return;
    }
    waiting_ = false;
    if (note_) note_->close();
    if (documents_->saveState() == S::Failed) askAfterFailure();
    else closeNow();
}

void QuitGuard::askAfterFailure(const QString& problem) {
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Fabula"),
                                tr("Your latest changes are not saved, so quitting now would lose them."),
                                QMessageBox::NoButton, window_);
    box->setObjectName(QStringLiteral("quitSaveFailed"));
    box->setInformativeText(problem.isEmpty() ? documents_->lastError()
                                              : problem + QStringLiteral("\n\n") + documents_->lastError());
    QPushButton* retry = box->addButton(tr("&Retry"), QMessageBox::AcceptRole);
    retry->setObjectName(QStringLiteral("retry"));
    QPushButton* copy = box->addButton(tr("&Save a copy as a file…"), QMessageBox::ActionRole);
    copy->setObjectName(QStringLiteral("saveCopy"));
    QPushButton* quit = box->addButton(tr("&Quit anyway"), QMessageBox::DestructiveRole);
    quit->setObjectName(QStringLiteral("quitAnyway"));
    QPushButton* keep = box->addButton(tr("&Keep writing"), QMessageBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepWriting"));
    box->setDefaultButton(retry);
    box->setEscapeButton(keep);
    box->setWindowModality(Qt::WindowModal);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, retry, copy, quit](QAbstractButton* b) {
        if (b == retry) {
            documents_->saveNow();
            saveThenClose();
        } else if (b == copy) {
            // After the question has closed: the file dialog runs its own loop.
            QTimer::singleShot(0, this, &QuitGuard::saveCopy);
        } else if (b == quit) {
            closeNow();
        }
    });
    question_ = box;
    box->open();
}

void QuitGuard::saveCopy() {
    QString name = documents_->currentTitle().trimmed();
    name.replace(QLatin1Char('/'), QLatin1Char('-'));
    if (name.isEmpty()) name = tr("Untitled");
    const QString suggested =
        QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(name + QStringLiteral(".txt"));
    const QString path =
        QFileDialog::getSaveFileName(window_, tr("Save a copy of your text"), suggested, tr("Plain text (*.txt)"));
    if (path.isEmpty()) {
        askAfterFailure();
        return;
    }
    // Drafts switched away from whose saves failed go into the same file, so
    // the copy holds every text the library does not.
    const QString text = documents_->unsavedTexts().join(QStringLiteral("\n\n"));
    if (const QString error = exportDraft(text, documents_->currentTitle(), path); !error.isEmpty()) {
        askAfterFailure(tr("The copy was not saved. %1").arg(error));
        return;
    }
    closeNow();
}

void QuitGuard::closeNow() {
    allowed_ = true;
    window_->close();
}

} // namespace fabula::ui
