#include "ui/wizard/result_page.h"
#include "ui/wizard/cli_job.h"
#include "ui/wizard/wizard_state.h"

#include <QBoxLayout>
#include <QDir>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>

namespace fabula::ui {

namespace {
constexpr int kNewTokens = 40;

// A perplexity in the writer's decimal style; ungrouped, since a barely trained model's runs into the thousands.
QString perplexityText(double ppl) {
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() | QLocale::OmitGroupSeparator);
    return locale.toString(ppl, 'f', 2);
}
} // namespace

// fabula-cli's --model (and --adapter for a voice) for one side of the comparison.
QStringList ResultPage::modelArguments(const QString& dir) const {
    if (dir == state_->modelDir && isAdapterFolder(dir))
        return {QStringLiteral("--model"), state_->baseModel, QStringLiteral("--adapter"), dir};
    return {QStringLiteral("--model"), dir};
}

ResultPage::ResultPage(WizardState* state, QWidget* parent) : QWizardPage(parent), state_(state), cli_(new CliJob(this)) {
    setTitle(tr("Before and after"));
    setSubTitle(tr("How the new model compares with the one it started from, on stories it never saw."));
    basePpl_ = new QLabel;
    basePpl_->setObjectName(QStringLiteral("basePerplexity"));
    newPpl_ = new QLabel;
    newPpl_->setObjectName(QStringLiteral("newPerplexity"));
    note_ = new QLabel;
    note_->setWordWrap(true);
    basePrefs_ = new QLabel;
    basePrefs_->setObjectName(QStringLiteral("basePreferenceAccuracy"));
    newPrefs_ = new QLabel;
    newPrefs_->setObjectName(QStringLiteral("newPreferenceAccuracy"));
    basePrefs_->hide();
    newPrefs_->hide();
    // Each opening above its two continuations, base on the left, new on the right.
    auto* grid = new QGridLayout;
    grid->addWidget(new QLabel(tr("Base model")), 0, 1);
    newHeading_ = new QLabel(tr("New model"));
    grid->addWidget(newHeading_, 0, 2);
    for (int i = 0; i < kPrompts; ++i) {
        prompts_[i] = new QLineEdit;
        prompts_[i]->setObjectName(QStringLiteral("prompt%1").arg(i));
        prompts_[i]->setAccessibleName(tr("Opening %1").arg(i + 1));
        baseOut_[i] = new QPlainTextEdit;
        newOut_[i] = new QPlainTextEdit;
        baseOut_[i]->setObjectName(QStringLiteral("baseContinuation%1").arg(i));
        newOut_[i]->setObjectName(QStringLiteral("newContinuation%1").arg(i));
        baseOut_[i]->setAccessibleName(tr("The base model's continuation of opening %1").arg(i + 1));
        newOut_[i]->setAccessibleName(tr("The new model's continuation of opening %1").arg(i + 1));
        for (QPlainTextEdit* e : {baseOut_[i], newOut_[i]}) {
            e->setReadOnly(true);
            e->setMinimumHeight(50);
        }
        grid->addWidget(new QLabel(tr("Opening %1:").arg(i + 1)), 2 * i + 1, 0);
        grid->addWidget(prompts_[i], 2 * i + 1, 1, 1, 2);
        grid->addWidget(baseOut_[i], 2 * i + 2, 1);
        grid->addWidget(newOut_[i], 2 * i + 2, 2);
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);
    again_ = new QPushButton(tr("Continue both &again"));
    use_ = new QPushButton(tr("&Use this model"));
    use_->setObjectName(QStringLiteral("useModel"));
    trainMore_ = new QPushButton(tr("&Train more…"));
    trainMore_->setObjectName(QStringLiteral("trainMore"));
    connect(again_, &QPushButton::clicked, this, &ResultPage::continueBoth);
    connect(use_, &QPushButton::clicked, this, [this] {
        Q_EMIT useModel(state_->name, state_->modelDir);
        use_->setEnabled(false);
        use_->setText(tr("In use"));
    });
    connect(trainMore_, &QPushButton::clicked, this, [this] { Q_EMIT trainMore(state_->modelDir); });
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(again_);
    buttons->addStretch();
    buttons->addWidget(trainMore_);
    buttons->addWidget(use_);
    auto* ppl = new QHBoxLayout;
    ppl->addWidget(basePpl_);
    ppl->addWidget(newPpl_);
    auto* prefs = new QHBoxLayout;
    prefs->addWidget(basePrefs_);
    prefs->addWidget(newPrefs_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(ppl);
    layout->addLayout(prefs);
    layout->addWidget(note_);
    layout->addLayout(grid, 1);
    layout->addLayout(buttons);

    connect(cli_, &CliJob::finished, this, [this](const QJsonObject& r) {
        const Job job = queue_.takeFirst();
        busy_ = false;
        job.done(r);
        next();
    });
    connect(cli_, &CliJob::failed, this, [this](const QString& why) {
        const Job job = queue_.takeFirst();
        busy_ = false;
        job.failed(why);
        next();
    });
}

void ResultPage::initializePage() {
    const bool voice = isAdapterFolder(state_->modelDir);
    newHeading_->setText(voice ? tr("New voice") : tr("New model"));
    if (use_->isEnabled()) use_->setText(voice ? tr("&Use this voice") : tr("&Use this model"));
    trainMore_->setVisible(!voice); // continuing a voice is fabula-cli's --adapter, not the wizard's yet
    for (int i = 0; i < kPrompts; ++i) prompts_[i]->setText(state_->heldOutOpenings.value(i));
    compare();
}

void ResultPage::enqueue(Job job) {
    queue_.append(std::move(job));
    next();
}

void ResultPage::next() {
    if (busy_ || queue_.isEmpty()) return;
    busy_ = true;
    cli_->start(queue_.first().args);
}

void ResultPage::compare() {
    const bool heldOut = state_->staged && !QDir(state_->heldOutDir()).isEmpty();
    const bool prefs = state_->feedback && !state_->heldOutPairs.isEmpty();
    basePrefs_->setVisible(state_->feedback);
    newPrefs_->setVisible(prefs);
    if (state_->feedback && !prefs)
        basePrefs_->setText(tr("Too few pairs to hold some out, so there is no preference accuracy to compare."));
    if (!heldOut && !prefs) {
        note_->setText(tr("No stories were held out, so there is no perplexity to compare; the continuations below still show the difference."));
        Q_EMIT compared();
        continueBoth();
        return;
    }
    QString note = heldOut ? tr("Lower perplexity means the model predicts your held-out stories better.")
                           : tr("No stories were held out, so there is no perplexity to compare.");
    if (prefs)
        note += QLatin1Char(' ') + tr("Preference accuracy is how often a model finds the continuation you chose more "
                                      "likely than the one you turned down, on pairs it never trained on.");
    note_->setText(note);
    pendingEvals_ = (heldOut ? 2 : 0) + (prefs ? 2 : 0);
    if (prefs) {
        const struct {
            QString model;
            QLabel* label;
            QString what;
        } prefEvals[] = {{state_->baseModel, basePrefs_, tr("Base model")}, {state_->modelDir, newPrefs_, tr("New model")}};
        for (const auto& e : prefEvals) {
            e.label->setText(tr("%1: measuring preference accuracy…").arg(e.what));
            QLabel* label = e.label;
            const QString what = e.what;
            auto settle = [this] { evalSettled(); };
            // Without --ref both are judged alike: the chosen text's log-probability against the rejected one's.
            enqueue({QStringList{QStringLiteral("prefs-eval"), QStringLiteral("--json")} + modelArguments(e.model) +
                         QStringList{QStringLiteral("--data"), state_->heldOutPairs},
                     [label, what, settle](const QJsonObject& r) {
                         label->setText(tr("%1: preference accuracy %2 % on %n held-out pair(s)", nullptr,
                                           r.value(QStringLiteral("pairs")).toInt())
                                            .arg(what)
                                            .arg(100.0 * r.value(QStringLiteral("accuracy")).toDouble(), 0, 'f', 0));
                         label->setProperty("accuracy", r.value(QStringLiteral("accuracy")).toDouble());
                         label->setProperty("rewardMargin", r.value(QStringLiteral("margin")).toDouble());
                         settle();
                     },
                     [label, what, settle](const QString& why) {
                         label->setText(tr("%1: preference accuracy could not be measured (%2)").arg(what, why));
                         settle();
                     }});
        }
    }
    if (!heldOut) return;
    const struct {
        QString model;
        QLabel* label;
        QString what;
    } evals[] = {{state_->baseModel, basePpl_, tr("Base model")}, {state_->modelDir, newPpl_, tr("New model")}};
    for (const auto& e : evals) {
        e.label->setText(tr("%1: measuring…").arg(e.what));
        QLabel* label = e.label;
        const QString what = e.what;
        auto settle = [this] { evalSettled(); };
        enqueue({QStringList{QStringLiteral("eval"), QStringLiteral("--json")} + modelArguments(e.model) +
                     QStringList{QStringLiteral("--data"), state_->heldOutDir()},
                 [label, what, settle](const QJsonObject& r) {
                     label->setText(tr("%1: perplexity %2").arg(what).arg(perplexityText(r.value(QStringLiteral("perplexity")).toDouble())));
                     settle();
                 },
                 [label, what, settle](const QString& why) {
                     label->setText(tr("%1: could not be measured (%2)").arg(what, why));
                     settle();
                 }});
    }
}

void ResultPage::continueBoth() {
    const QString seed = QString::number(state_->options.seed);
    pendingContinuations_ = 0;
    for (int i = 0; i < kPrompts; ++i) {
        const QString prompt = prompts_[i]->text().trimmed();
        for (QPlainTextEdit* out : {baseOut_[i], newOut_[i]}) out->clear();
        if (prompt.isEmpty()) continue;
        for (QPlainTextEdit* out : {baseOut_[i], newOut_[i]}) {
            const QString model = out == baseOut_[i] ? state_->baseModel : state_->modelDir;
            out->setPlaceholderText(tr("Writing…"));
            ++pendingContinuations_;
            auto settle = [this] {
                if (--pendingContinuations_ == 0) Q_EMIT continued();
            };
            enqueue({QStringList{QStringLiteral("generate"), QStringLiteral("--json")} + modelArguments(model) +
                         QStringList{QStringLiteral("--prompt"), prompt, QStringLiteral("--seed"), seed,
                                     QStringLiteral("--max-new-tokens"), QString::number(kNewTokens)},
                     [out, settle](const QJsonObject& r) {
                         out->setPlainText(r.value(QStringLiteral("text")).toString());
                         settle();
                     },
                     [out, settle](const QString& why) {
                         out->setPlaceholderText(tr("Could not continue: %1").arg(why));
                         settle();
                     }});
        }
    }
    if (pendingContinuations_ == 0) Q_EMIT continued();
}

void ResultPage::showResults(double basePpl, double newPpl, const QStringList& prompts, const QStringList& base,
                             const QStringList& fresh) {
    basePpl_->setText(tr("%1: perplexity %2").arg(tr("Base model")).arg(perplexityText(basePpl)));
    newPpl_->setText(tr("%1: perplexity %2").arg(tr("New model")).arg(perplexityText(newPpl)));
    note_->setText(tr("Lower perplexity means the model predicts your held-out stories better."));
    for (int i = 0; i < kPrompts; ++i) {
        prompts_[i]->setText(prompts.value(i));
        baseOut_[i]->setPlainText(base.value(i));
        newOut_[i]->setPlainText(fresh.value(i));
    }
}

// Each evaluation ends here, measured or not; the page is complete after the last.
void ResultPage::evalSettled() {
    if (--pendingEvals_ == 0) {
        Q_EMIT compared();
        continueBoth();
    }
}

} // namespace fabula::ui
