#pragma once
// "Learn from my feedback…", between the settings and the estimate: the
// writer's feedback exported as the three sets (training/feedback_export,
// on the store's thread, into the run's feedback/ folder), a share of the
// pairs held out for the before/after preference accuracy, the counts per
// set and the objective to train with, each explained in a sentence. The
// stories of page 1 stay what the result page measures perplexity on, and
// what "keep my voice" mixes in.
#include <QWizardPage>

#ifndef Q_MOC_RUN
#include "training/trainer.h"
#endif

class QCheckBox;
class QLabel;
class QRadioButton;

namespace fabula::ui {

struct WizardState;

// Below this many pairs DPO has too little to go on and SFT (or KTO) is offered first.
inline constexpr qint64 kMinPairsForDpo = 8;
// The share of pairs held out (at least one, once there are kMinPairsToHoldOut).
inline constexpr double kHeldOutPairShare = 0.2;
inline constexpr qint64 kMinPairsToHoldOut = 4;
// "Keep my voice": the weight of language modelling on the writer's stories.
inline constexpr double kVoiceMix = 0.5;

// DPO with enough pairs, else the larger of SFT and KTO (SFT on a tie), else SFT.
training::ObjectiveKind defaultObjective(qint64 pairs, qint64 sft, qint64 kto);

class FeedbackPage : public QWizardPage {
    Q_OBJECT
public:
    FeedbackPage(WizardState* state, QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    QLabel* counts() const { return counts_; }
    QRadioButton* button(training::ObjectiveKind kind) const;
    QCheckBox* keepVoice() const { return voice_; }
    training::ObjectiveKind objective() const;
    bool isExported() const { return exported_; }

    struct Counts {
        qint64 sft = 0, pairs = 0, kto = 0;
        qint64 trainPairs = 0, heldOutPairs = 0;
    };
    Counts exportedCounts() const { return numbers_; }

Q_SIGNALS:
    void exported(); // the sets are written and counted (or the reason they are not is shown)

private:
    void exportSets();
    void showCounts(const Counts& c);

    WizardState* state_;
    QLabel *counts_, *error_;
    QRadioButton *sft_, *dpo_, *kto_;
    QCheckBox* voice_;
    Counts numbers_;
    bool exported_ = false, exporting_ = false;
};

} // namespace fabula::ui
