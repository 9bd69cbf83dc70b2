#include "ui/wizard/estimate_page.h"
#include "ui/wizard/cli_job.h"
#include "ui/wizard/settings_page.h"
#include "ui/wizard/wizard_state.h"

#include <QBoxLayout>
#include <QDir>
#include <QFile>
#include <QFutureWatcher>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QStorageInfo>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>
#include <random>

namespace fabula::ui {

namespace {

struct SplitResult {
    QStringList openings, problems;
    ModelFacts facts;
    qint64 freeBytes = 0;
};

// The first words of a story, up to a sentence end after a dozen words.
QString opening(const QString& text) {
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList out;
    for (const QString& w : words) {
        out << w;
        if (out.size() >= 12 && (w.endsWith(QLatin1Char('.')) || w.endsWith(QLatin1Char('!')) || w.endsWith(QLatin1Char('?'))))
            break;
        if (out.size() >= 30) break;
    }
    return out.join(QLatin1Char(' '));
}

// Copies the staged stories into train/ and held-out/: a seeded shuffle picks
// the held-out share (at least one story when there is a share and two stories,
// never all of them).
SplitResult splitStories(const WizardState& s, int batchSize, int blockSize) {
    SplitResult r;
    r.facts = modelFacts(s.baseModel, batchSize, blockSize, s.availableMemory);
    QDir(s.trainDir()).removeRecursively();
    QDir(s.heldOutDir()).removeRecursively();
    QDir().mkpath(s.heldOutDir());
    r.freeBytes = QStorageInfo(s.runHome).bytesAvailable();
    if (!s.staged) return r;
    QDir().mkpath(s.trainDir());
    QStringList files = QDir(s.storiesDir()).entryList(QDir::Files, QDir::Name);
    std::mt19937_64 rng(s.options.seed);
    std::shuffle(files.begin(), files.end(), rng);
    const qsizetype n = files.size();
    qsizetype held = 0;
    if (s.heldOutShare > 0 && n >= 2) held = std::clamp<qsizetype>(std::llround(double(n) * s.heldOutShare), 1, n - 1);
    for (qsizetype i = 0; i < n; ++i) {
        const QString from = QDir(s.storiesDir()).filePath(files[i]);
        const QString to = QDir(i < held ? s.heldOutDir() : s.trainDir()).filePath(files[i]);
        if (!QFile::copy(from, to)) r.problems << QObject::tr("%1: cannot be copied to %2").arg(from, to);
        if (i < held && r.openings.size() < 3) {
            QFile f(from);
            if (f.open(QIODevice::ReadOnly)) r.openings << opening(QString::fromUtf8(f.read(4096)));
        }
    }
    return r;
}

} // namespace

EstimatePage::EstimatePage(WizardState* state, SettingsPage* settings, QWidget* parent)
    : QWizardPage(parent), state_(state), settings_(settings), prepare_(new CliJob(this)) {
    setTitle(tr("How long it will take"));
    setSubTitle(tr("A few real training steps measure this machine."));
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Start training"));
    status_ = new QLabel;
    status_->setObjectName(QStringLiteral("estimateStatus"));
    time_ = new QLabel;
    time_->setObjectName(QStringLiteral("estimateTime"));
    memory_ = new QLabel;
    memory_->setObjectName(QStringLiteral("estimateMemory"));
    other_ = new QLabel;
    other_->setObjectName(QStringLiteral("estimateOtherMethod"));
    disk_ = new QLabel;
    disk_->setObjectName(QStringLiteral("estimateDisk"));
    advice_ = new QLabel;
    advice_->setObjectName(QStringLiteral("estimateAdvice"));
    for (QLabel* l : {status_, time_, memory_, other_, disk_, advice_}) l->setWordWrap(true);
    fewerEpochs_ = new QPushButton(tr("Train &one epoch"));
    fewerEpochs_->setObjectName(QStringLiteral("fewerEpochs"));
    shorterBlocks_ = new QPushButton(tr("Use s&horter blocks (128 tokens)"));
    shorterBlocks_->setObjectName(QStringLiteral("shorterBlocks"));
    fewerEpochs_->hide();
    shorterBlocks_->hide();
    connect(fewerEpochs_, &QPushButton::clicked, this, [this] { changeSettings(1, state_->options.block_size); });
    connect(shorterBlocks_, &QPushButton::clicked, this, [this] { changeSettings(state_->options.epochs, 128); });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(fewerEpochs_);
    buttons->addWidget(shorterBlocks_);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    for (QLabel* l : {status_, time_, memory_, other_, disk_, advice_}) layout->addWidget(l);
    layout->addLayout(buttons);
    layout->addStretch();
    connect(prepare_, &CliJob::failed, this, [this](const QString& why) {
        status_->setText(tr("Could not measure this machine: %1").arg(why));
        Q_EMIT estimated();
    });
    connect(prepare_, &CliJob::finished, this, &EstimatePage::show);
}

void EstimatePage::initializePage() { split(); }

void EstimatePage::changeSettings(int epochs, int blockSize) {
    training::TrainOptions o = settings_->options();
    o.epochs = epochs;
    o.block_size = blockSize;
    settings_->setOptions(o);
    state_->options = settings_->options();
    measure();
}

void EstimatePage::split() {
    ready_ = false;
    Q_EMIT completeChanged();
    for (QLabel* l : {time_, memory_, other_, disk_, advice_}) l->clear();
    status_->setText(tr("Setting the held-out stories aside…"));
    const int generation = ++generation_;
    auto* watcher = new QFutureWatcher<SplitResult>(this);
    connect(watcher, &QFutureWatcher<SplitResult>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != generation_) return;
        const SplitResult r = watcher->result();
        state_->heldOutOpenings = r.openings;
        state_->parameters = r.facts.parameters;
        state_->weightsBytes = r.facts.weightsBytes;
        state_->fullTrainingBytes = r.facts.trainingBytes;
        state_->loraTrainingBytes = r.facts.loraTrainingBytes;
        // The checkpoints: the weights for each kept one and the model, plus AdamW's two moments in fp32
        // (with LoRA only the adapters and their moments: the base is never written).
        const qint64 trained = state_->options.lora ? r.facts.loraParameters : r.facts.parameters;
        const qint64 weights = state_->options.lora ? 4 * r.facts.loraParameters : r.facts.weightsBytes;
        const qint64 need = weights * (state_->options.keep_checkpoints + 1) + 2 * trained * 4;
        const bool fits = r.freeBytes <= 0 || need < r.freeBytes;
        disk_->setText(fits ? tr("Disk: the checkpoints need about %1; %2 are free.").arg(formatBytes(need), formatBytes(r.freeBytes))
                            : tr("Disk: the checkpoints need about %1, but only %2 are free. Free some space first.")
                                  .arg(formatBytes(need), formatBytes(r.freeBytes)));
        disk_->setProperty("fits", fits);
        if (!r.problems.isEmpty()) advice_->setText(r.problems.join(QLatin1Char('\n')));
        measure();
    });
    const WizardState snapshot = *state_;
    const int batch = state_->options.batch_size, block = state_->options.block_size;
    watcher->setFuture(QtConcurrent::run([snapshot, batch, block] { return splitStories(snapshot, batch, block); }));
}

void EstimatePage::measure() {
    ready_ = false;
    Q_EMIT completeChanged();
    status_->setText(tr("Timing a few training steps on this machine…"));
    training::TrainOptions o = state_->options;
    o.data = (state_->staged ? state_->trainDir() : state_->dataPath).toStdString();
    prepare_->start(QStringList{QStringLiteral("prepare"), QStringLiteral("--json")} + cliArguments(o, kNotForPrepare));
}

void EstimatePage::show(const QJsonObject& r) {
    state_->estimate = r;
    const double perStep = r.value(QStringLiteral("seconds_per_step")).toDouble();
    const double perEpoch = r.value(QStringLiteral("seconds_per_epoch")).toDouble();
    const qint64 stepsPerEpoch = r.value(QStringLiteral("steps_per_epoch")).toInteger();
    const auto& o = state_->options;
    const double total = o.max_steps > 0 ? perStep * double(o.max_steps) : perEpoch * o.epochs;
    const QString placement = r.value(QStringLiteral("placement")).toString();
    status_->setText(tr("Measured on %1: %2 s per step.").arg(placement).arg(QLocale().toString(perStep, 'f', 2)));
    time_->setText(tr("About %1 per epoch (%n steps), %2 in total.", nullptr, int(stepsPerEpoch))
                       .arg(formatDuration(perEpoch), formatDuration(total)));
    memory_->setText(tr("Memory: training needs about %1.").arg(formatBytes(r.value(QStringLiteral("memory_bytes")).toInteger())));
    // Only the chosen method is timed; the other follows from the computation each step needs.
    if (o.lora)
        other_->setText(tr("Full fine-tuning would take about %1 in total and need about %2 of memory (an estimate "
                           "from the computation each step needs).")
                            .arg(formatDuration(total / kLoraTimeShare), formatBytes(state_->fullTrainingBytes)));
    else
        other_->setText(tr("LoRA would take about %1 in total and need about %2 of memory (an estimate from the "
                           "computation each step needs).")
                            .arg(formatDuration(total * kLoraTimeShare), formatBytes(state_->loraTrainingBytes)));
    const bool cpu = placement.startsWith(QLatin1String("CPU"), Qt::CaseInsensitive);
    const bool slow = cpu && total > kLongRunSeconds;
    fewerEpochs_->setVisible(slow && o.epochs > 1);
    shorterBlocks_->setVisible(slow && (o.block_size == 0 || o.block_size > 128));
    if (slow)
        advice_->setText(tr("That is a long time: this computer trains on its processor, which is much slower than a "
                            "graphics card. Fewer epochs, a smaller model or shorter blocks make it quicker; you can "
                            "also keep writing while it trains, and pause it at any time."));
    ready_ = disk_->property("fits").toBool();
    Q_EMIT completeChanged();
    Q_EMIT estimated();
}

bool EstimatePage::isComplete() const { return ready_; }

} // namespace fabula::ui
