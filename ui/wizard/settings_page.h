#pragma once
// Step 2: the base model (with its size and the memory training needs), how
// to train it (full fine-tuning or a LoRA voice, each with its memory and
// time; LoRA when the full one would not fit), the reference recipe as
// defaults, an Advanced section for the rest, the device, the share of
// stories held out for the before/after comparison, and a name.
#include <QWizardPage>

#ifndef Q_MOC_RUN
#include "training/trainer.h"
#endif

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace fabula::ui {

struct WizardState;

// What page 2 shows of a model folder; read off the GUI thread.
struct ModelFacts {
    qint64 parameters = 0, weightsBytes = 0, trainingBytes = 0;
    qint64 loraTrainingBytes = 0, loraParameters = 0; // with PEFT's default adapters
    qint64 availableBytes = -1; // free memory; -1 unknown
    int contextLength = 0;
    QString error;
    bool fullFits() const { return availableBytes < 0 || trainingBytes <= availableBytes; }
};
// availableBytes < 0: what the system has free now.
ModelFacts modelFacts(const QString& dir, int batchSize, int blockSize, qint64 availableBytes = -1);

class SettingsPage : public QWizardPage {
    Q_OBJECT
public:
    SettingsPage(WizardState* state, QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    // The settings as the widgets show them (model, recipe, device; no data or out).
    training::TrainOptions options() const;
    void setOptions(const training::TrainOptions& o);
    QString modelName() const;
    double heldOutShare() const;

    QComboBox* model() const { return model_; }
    QLabel* modelInfo() const { return modelInfo_; }
    QRadioButton* fullMethod() const { return full_; }
    QRadioButton* loraMethod() const { return lora_; }
    // "Use every GPU on this machine": shown only with several GPUs.
    QCheckBox* everyGpu() const { return everyGpu_; }
    QLabel* methodAdvice() const { return methodAdvice_; }

Q_SIGNALS:
    // The model's facts (and with them both methods' estimates) are shown.
    void described();

private:
    void fillModels();
    void describeModel();
    void describeMethods(const ModelFacts& f);
    void showGpus(int count);

    WizardState* state_;
    QComboBox *model_, *precision_, *device_, *batching_;
    QLabel *modelInfo_, *methodAdvice_;
    QRadioButton *full_, *lora_;
    QCheckBox* everyGpu_;
    int gpus_ = 0; // CUDA devices, once known
    bool methodChosen_ = false; // by the writer: the page stops choosing for them
    QLineEdit *lr_, *name_;
    QSpinBox *epochs_, *batch_, *block_, *gradAccum_, *warmup_, *seed_, *heldOut_;
    QDoubleSpinBox *weightDecay_, *valFraction_;
    QGroupBox* advanced_;
    bool filled_ = false;
    int describing_ = 0;
};

} // namespace fabula::ui
