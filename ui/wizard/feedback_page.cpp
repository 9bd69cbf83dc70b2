#include "ui/wizard/feedback_page.h"

#include "core/error.h"
#include "training/feedback_export.h"
#include "ui/store_client.h"
#include "ui/wizard/wizard_state.h"

#include <QBoxLayout>
#include <QButtonGroup>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QRadioButton>

#include <algorithm>
#include <cmath>
#include <random>

namespace fabula::ui {

using training::ObjectiveKind;

ObjectiveKind defaultObjective(qint64 pairs, qint64 sft, qint64 kto) {
    if (pairs >= kMinPairsForDpo) return ObjectiveKind::DPO;
    if (kto > sft) return ObjectiveKind::KTO;
    return ObjectiveKind::SFT;
}

namespace {

QList<QByteArray> readLines(const QString& path) {
    QFile f(path);
    QList<QByteArray> lines;
    if (!f.open(QIODevice::ReadOnly)) return lines;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty()) lines << line;
    }
    return lines;
}

void writeLines(const QString& path, const QList<QByteArray>& lines) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        throw UsageError("cannot write " + path.toStdString() + ": " + f.errorString().toStdString());
    for (const QByteArray& l : lines) f.write(l + '\n');
}

} // namespace

FeedbackPage::FeedbackPage(WizardState* state, QWidget* parent) : QWizardPage(parent), state_(state) {
    setTitle(tr("Your feedback"));
    setSubTitle(tr("What the model learns from: the continuations you accepted, rejected, edited and rated."));
    counts_ = new QLabel(tr("Collecting your feedback…"), this);
    counts_->setWordWrap(true);
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->hide();
    dpo_ = new QRadioButton(tr("Preferences (DPO): learns to prefer what you chose over what you turned down."), this);
    sft_ = new QRadioButton(tr("Accepted text (SFT): learns to write like the continuations you kept, with your edits."), this);
    kto_ = new QRadioButton(tr("Ratings (KTO): learns from thumbs and stars, good and bad, without needing pairs."), this);
    auto* group = new QButtonGroup(this);
    for (QRadioButton* b : {dpo_, sft_, kto_}) {
        b->setEnabled(false);
        group->addButton(b);
    }
    voice_ = new QCheckBox(tr("Keep my voice: also keep learning from the stories of the first page"), this);
    voice_->setChecked(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(counts_);
    layout->addWidget(error_);
    layout->addSpacing(8);
    for (QRadioButton* b : {dpo_, sft_, kto_}) layout->addWidget(b);
    layout->addWidget(voice_);
    layout->addStretch(1);
    connect(group, &QButtonGroup::buttonToggled, this, [this] { Q_EMIT completeChanged(); });
}

QRadioButton* FeedbackPage::button(ObjectiveKind kind) const {
    switch (kind) {
    case ObjectiveKind::DPO: return dpo_;
    case ObjectiveKind::KTO: return kto_;
    default: return sft_;
    }
}

ObjectiveKind FeedbackPage::objective() const {
    return dpo_->isChecked() ? ObjectiveKind::DPO : kto_->isChecked() ? ObjectiveKind::KTO : ObjectiveKind::SFT;
}

void FeedbackPage::initializePage() {
    // Again on every visit: Back to the settings may have changed the model whose tokenizer reads the edits.
    exportSets();
}

void FeedbackPage::exportSets() {
    if (!state_->store) return;
    exported_ = false;
    exporting_ = true;
    error_->hide();
    counts_->setText(tr("Collecting your feedback…"));
    Q_EMIT completeChanged();
    const QString out = state_->feedbackDir(), split = state_->feedbackSplitDir();
    const QString tokenizer = state_->baseModel.isEmpty() ? state_->tokenizerModel : state_->baseModel;
    const quint64 seed = state_->options.seed;
    // On the store's thread: it reads the store and writes files, neither on the GUI thread.
    state_->store->submit(this, [out, split, tokenizer, seed](Store& store) {
        FeedbackExportOptions o;
        if (!tokenizer.isEmpty()) o.tokenizer_dir = std::filesystem::path(tokenizer.toStdString());
        const FeedbackExportCounts n = export_feedback(store, out.toStdString(), o);
        Counts c{n.sft, n.pairs, n.kto, 0, 0};
        QList<QByteArray> pairs = readLines(QDir(out).filePath(QStringLiteral("pairs.jsonl")));
        std::mt19937_64 rng(seed);
        std::shuffle(pairs.begin(), pairs.end(), rng);
        const qsizetype n_pairs = pairs.size();
        const qsizetype held = n_pairs >= kMinPairsToHoldOut
                                   ? std::max<qsizetype>(1, std::llround(double(n_pairs) * kHeldOutPairShare))
                                   : 0;
        QDir(split).removeRecursively();
        QDir().mkpath(split);
        writeLines(QDir(split).filePath(QStringLiteral("pairs-held-out.jsonl")), pairs.mid(0, held));
        writeLines(QDir(split).filePath(QStringLiteral("pairs-train.jsonl")), pairs.mid(held));
        c.heldOutPairs = held;
        c.trainPairs = n_pairs - held;
        return c;
    }, [this](Counts c) {
        exporting_ = false;
        exported_ = true;
        showCounts(c);
        Q_EMIT completeChanged();
        Q_EMIT exported();
    }, [this](const StoreError& e) {
        exporting_ = false;
        error_->setText(tr("Your feedback could not be exported: %1").arg(QString::fromStdString(e.message())));
        error_->show();
        counts_->clear();
        Q_EMIT completeChanged();
        Q_EMIT exported();
    });
}

void FeedbackPage::showCounts(const Counts& c) {
    numbers_ = c;
    counts_->setText(tr("From your feedback: %1 accepted continuations (SFT), %2 pairs (DPO; %3 to train on, %4 held out "
                        "to measure the result), %5 rated continuations (KTO).")
                         .arg(c.sft)
                         .arg(c.pairs)
                         .arg(c.trainPairs)
                         .arg(c.heldOutPairs)
                         .arg(c.kto));
    dpo_->setEnabled(c.trainPairs > 0);
    sft_->setEnabled(c.sft > 0);
    kto_->setEnabled(c.kto > 0);
    const ObjectiveKind choice = defaultObjective(c.trainPairs, c.sft, c.kto);
    if (button(choice)->isEnabled()) button(choice)->setChecked(true);
    if (c.sft + c.trainPairs + c.kto == 0)
        counts_->setText(counts_->text() + QLatin1Char(' ') +
                         tr("There is nothing to learn from yet: accept, reject or rate some continuations first."));
}

bool FeedbackPage::isComplete() const {
    if (!exported_ || exporting_) return false;
    const QRadioButton* b = button(objective());
    return b->isEnabled() && b->isChecked();
}

bool FeedbackPage::validatePage() {
    WizardState& s = *state_;
    s.feedback = true;
    s.objective = objective();
    switch (s.objective) {
    case ObjectiveKind::DPO: s.feedbackData = QDir(s.feedbackSplitDir()).filePath(QStringLiteral("pairs-train.jsonl")); break;
    case ObjectiveKind::KTO: s.feedbackData = QDir(s.feedbackDir()).filePath(QStringLiteral("kto.jsonl")); break;
    default: s.feedbackData = QDir(s.feedbackDir()).filePath(QStringLiteral("sft.jsonl")); break;
    }
    s.heldOutPairs = numbers_.heldOutPairs > 0 ? QDir(s.feedbackSplitDir()).filePath(QStringLiteral("pairs-held-out.jsonl"))
                                             : QString();
    s.lmMix = voice_->isChecked() ? kVoiceMix : 0.0;
    return true;
}

} // namespace fabula::ui
