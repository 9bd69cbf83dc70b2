#pragma once
// Step 2: the base model (with its size and the memory training needs), the
// reference recipe as defaults, an Advanced section for the rest, the device,
// the share of stories held out for the before/after comparison, and a name.
#include <QWizardPage>

#ifndef Q_MOC_RUN
#include "training/trainer.h"
#endif

class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace fabula::ui {

struct WizardState;

// What page 2 shows of a model folder; read off the GUI thread.
struct ModelFacts {
    qint64 parameters = 0, weightsBytes = 0, trainingBytes = 0;
    int contextLength = 0;
    QString error;
};
ModelFacts modelFacts(const QString& dir, int batchSize, int blockSize);

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

private:
    void fillModels();
    void describeModel();

    WizardState* state_;
    QComboBox *model_, *precision_, *device_, *batching_;
    QLabel* modelInfo_;
    QLineEdit *lr_, *name_;
    QSpinBox *epochs_, *batch_, *block_, *gradAccum_, *warmup_, *seed_, *heldOut_;
    QDoubleSpinBox *weightDecay_, *valFraction_;
    QGroupBox* advanced_;
    bool filled_ = false;
    int describing_ = 0;
};

} // namespace fabula::ui
