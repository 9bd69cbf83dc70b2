#include "ui/wizard/settings_page.h"
#include "core/device.h"
#include "ui/model_manager.h"
#include "ui/wizard/wizard_state.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRadioButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QtConcurrent>

#include <limits>

namespace fabula::ui {

ModelFacts modelFacts(const QString& dir, int batchSize, int blockSize, qint64 availableBytes) {
    ModelFacts f;
    try {
        const ModelFolder folder = ModelFolder::inspect(dir.toStdString());
        f.contextLength = folder.config.n_positions;
        const int block = blockSize > 0 ? blockSize : std::min(512, folder.config.n_positions);
        const auto m = training::estimate_training_memory(folder.config, batchSize, block, false);
        f.parameters = m.parameters;
        f.trainingBytes = m.total();
        const LoraSettings lora; // what the wizard trains: PEFT's defaults
        const auto l = training::estimate_training_memory(folder.config, batchSize, block, false, &lora);
        f.loraTrainingBytes = l.total();
        f.loraParameters = l.trainable;
        f.availableBytes = availableBytes >= 0 ? availableBytes : available_memory_bytes();
        f.weightsBytes = QFileInfo(QDir(dir).filePath(QStringLiteral("model.safetensors"))).size();
    } catch (const std::exception& e) {
        f.error = QString::fromUtf8(e.what());
    }
    return f;
}

namespace {
QString parameterCount(qint64 n) {
    if (n >= 1000000000) return QObject::tr("%1B parameters").arg(QLocale().toString(double(n) / 1e9, 'f', 1));
    if (n >= 1000000) return QObject::tr("%1M parameters").arg(double(n) / 1e6, 0, 'f', 0);
    return QObject::tr("%1K parameters").arg(double(n) / 1e3, 0, 'f', 0);
}
} // namespace

SettingsPage::SettingsPage(WizardState* state, QWidget* parent) : QWizardPage(parent), state_(state) {
    setTitle(tr("Base model and settings"));
    setSubTitle(tr("The defaults are the reference recipe; most writers never need to change them."));

    model_ = new QComboBox;
    model_->setObjectName(QStringLiteral("baseModel"));
    modelInfo_ = new QLabel;
    modelInfo_->setObjectName(QStringLiteral("modelInfo"));
    modelInfo_->setWordWrap(true);
    lr_ = new QLineEdit;
    lr_->setObjectName(QStringLiteral("lr"));
    auto* lrValidator = new QDoubleValidator(1e-9, 1.0, 12, lr_);
    lrValidator->setNotation(QDoubleValidator::ScientificNotation);
    lrValidator->setLocale(QLocale::c());
    lr_->setValidator(lrValidator);
    epochs_ = new QSpinBox;
    epochs_->setObjectName(QStringLiteral("epochs"));
    epochs_->setRange(1, 100);
    batch_ = new QSpinBox;
    batch_->setObjectName(QStringLiteral("batchSize"));
    batch_->setRange(1, 256);
    precision_ = new QComboBox;
    precision_->setObjectName(QStringLiteral("precision"));
    precision_->addItem(tr("Automatic (mixed precision where the hardware has it)"), int(Precision::Auto));
    precision_->addItem(tr("fp32"), int(Precision::FP32));
    precision_->addItem(tr("bf16"), int(Precision::BF16));
    precision_->addItem(tr("fp16"), int(Precision::FP16));
    device_ = new QComboBox;
    device_->setObjectName(QStringLiteral("device"));
    device_->addItem(tr("Automatic (the GPU when there is one)"), int(DeviceKind::Auto));
    device_->addItem(tr("CPU"), int(DeviceKind::CPU));
    device_->addItem(tr("GPU"), int(DeviceKind::CUDA));
    everyGpu_ = new QCheckBox;
    everyGpu_->setObjectName(QStringLiteral("everyGpu"));
    everyGpu_->setToolTip(tr("Trains on all of them at once, each with its own batch of the size above."));
    everyGpu_->hide();
    heldOut_ = new QSpinBox;
    heldOut_->setObjectName(QStringLiteral("heldOut"));
    heldOut_->setRange(0, 50);
    heldOut_->setSuffix(QStringLiteral(" %"));
    heldOut_->setValue(10);
    heldOut_->setToolTip(tr("These stories are not trained on; the last step compares the models on them."));
    name_ = new QLineEdit;
    name_->setObjectName(QStringLiteral("modelName"));
    name_->setPlaceholderText(tr("Mia's voice"));
    name_->setText(tr("My voice"));

    block_ = new QSpinBox;
    block_->setObjectName(QStringLiteral("blockSize"));
    block_->setRange(0, 8192);
    block_->setSpecialValueText(tr("the model's context, at most 512"));
    gradAccum_ = new QSpinBox;
    gradAccum_->setObjectName(QStringLiteral("gradAccum"));
    gradAccum_->setRange(1, 1024);
    warmup_ = new QSpinBox;
    warmup_->setObjectName(QStringLiteral("warmup"));
    warmup_->setRange(0, 1000000);
    weightDecay_ = new QDoubleSpinBox;
    weightDecay_->setObjectName(QStringLiteral("weightDecay"));
    weightDecay_->setRange(0, 1);
    weightDecay_->setDecimals(4);
    weightDecay_->setSingleStep(0.01);
    seed_ = new QSpinBox;
    seed_->setObjectName(QStringLiteral("seed"));
    seed_->setRange(0, std::numeric_limits<int>::max());
    batching_ = new QComboBox;
    batching_->setObjectName(QStringLiteral("batching"));
    batching_->addItem(tr("Pack stories into full blocks (nothing dropped)"), int(training::Batching::Pack));
    batching_->addItem(tr("Pad each story (the reference)"), int(training::Batching::Pad));
    valFraction_ = new QDoubleSpinBox;
    valFraction_->setObjectName(QStringLiteral("valFraction"));
    valFraction_->setRange(0, 0.5);
    valFraction_->setDecimals(3);
    valFraction_->setSingleStep(0.01);

    full_ = new QRadioButton(tr("&Full"));
    full_->setObjectName(QStringLiteral("methodFull"));
    lora_ = new QRadioButton(tr("LoR&A (less memory; faster on a CPU)"));
    lora_->setObjectName(QStringLiteral("methodLora"));
    lora_->setToolTip(tr("Trains a small voice (a LoRA adapter of a few megabytes) on top of the base model, which "
                         "stays as it is: the app lists the voice under the model and switches to it at once."));
    for (QRadioButton* b : {full_, lora_}) {
        auto* info = new QLabel;
        info->setObjectName(b->objectName() + QStringLiteral("Info"));
        info->setWordWrap(true);
        info->setIndent(24);
        b->setProperty("info", QVariant::fromValue(static_cast<QObject*>(info)));
        // Once the writer has picked one, the page no longer picks for them.
        connect(b, &QRadioButton::clicked, this, [this] { methodChosen_ = true; });
    }
    methodAdvice_ = new QLabel;
    methodAdvice_->setObjectName(QStringLiteral("methodAdvice"));
    methodAdvice_->setWordWrap(true);
    auto* method = new QGroupBox(tr("How to train"));
    method->setObjectName(QStringLiteral("method"));
    // Each method beside its estimate, so the group stays a few lines tall.
    auto* methodLayout = new QGridLayout(method);
    int methodRow = 0;
    for (QRadioButton* b : {full_, lora_}) {
        auto* info = qobject_cast<QLabel*>(b->property("info").value<QObject*>());
        info->setIndent(0);
        methodLayout->addWidget(b, methodRow, 0, Qt::AlignTop);
        methodLayout->addWidget(info, methodRow++, 1);
    }
    methodLayout->addWidget(methodAdvice_, methodRow, 0, 1, 2);
    methodLayout->setColumnStretch(1, 1);
    methodAdvice_->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("Base &model:"), model_);
    form->addRow(QString(), modelInfo_);
    form->addRow(tr("Name of the new m&odel:"), name_);
    form->addRow(tr("&Learning rate:"), lr_);
    form->addRow(tr("&Epochs:"), epochs_);
    form->addRow(tr("Ba&tch size:"), batch_);
    form->addRow(tr("&Precision:"), precision_);
    form->addRow(tr("&Device:"), device_);
    form->addRow(QString(), everyGpu_);
    form->addRow(tr("&Held out for the comparison:"), heldOut_);

    auto* showAdvanced = new QCheckBox(tr("Show advanced sett&ings"));
    showAdvanced->setObjectName(QStringLiteral("showAdvanced"));
    advanced_ = new QGroupBox(tr("Advanced"));
    advanced_->setObjectName(QStringLiteral("advanced"));
    auto* adv = new QFormLayout(advanced_);
    adv->addRow(tr("Block si&ze (tokens):"), block_);
    adv->addRow(tr("&Gradient accumulation:"), gradAccum_);
    adv->addRow(tr("Wa&rm-up steps:"), warmup_);
    adv->addRow(tr("&Weight decay:"), weightDecay_);
    adv->addRow(tr("&Seed:"), seed_);
    adv->addRow(tr("Bat&ching:"), batching_);
    adv->addRow(tr("&Validation share:"), valFraction_);
    advanced_->setVisible(false);
    connect(showAdvanced, &QCheckBox::toggled, advanced_, &QWidget::setVisible);

    // With the two methods and the advanced settings open the page is taller
    // than the wizard: it scrolls rather than squeezing the rows together.
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    // Outside the form: a form row squeezes the wrapped lines of a spanning group.
    layout->addWidget(method);
    layout->addWidget(showAdvanced);
    layout->addWidget(advanced_);
    layout->addStretch();
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    setOptions(training::TrainOptions{});
    // Ranks on every GPU train on the GPU: the device follows the box.
    connect(everyGpu_, &QCheckBox::toggled, this, [this](bool on) {
        if (on) device_->setCurrentIndex(device_->findData(int(DeviceKind::CUDA)));
        device_->setEnabled(!on);
    });
    if (state_->cudaDevices >= 0) {
        showGpus(state_->cudaDevices);
    } else {
        // Looking for a GPU may load the CUDA runtime: off the GUI thread.
        auto* gpu = new QFutureWatcher<int>(this);
        connect(gpu, &QFutureWatcher<int>::finished, this, [this, gpu] {
            gpu->deleteLater();
            showGpus(gpu->result());
        });
        gpu->setFuture(QtConcurrent::run([] { return cuda_device_count(); }));
    }
    connect(model_, &QComboBox::currentIndexChanged, this, [this] {
        describeModel();
        Q_EMIT completeChanged();
    });
    connect(batch_, &QSpinBox::valueChanged, this, &SettingsPage::describeModel);
    connect(block_, &QSpinBox::valueChanged, this, &SettingsPage::describeModel);
    connect(lr_, &QLineEdit::textChanged, this, &SettingsPage::completeChanged);
    connect(name_, &QLineEdit::textChanged, this, &SettingsPage::completeChanged);
    registerField(QStringLiteral("modelName*"), name_);
}

void SettingsPage::showGpus(int count) {
    gpus_ = count;
    everyGpu_->setText(tr("&Use every GPU on this machine (%1)").arg(count));
    everyGpu_->setVisible(count > 1);
    if (count > 1) return;
    everyGpu_->setChecked(false);
    if (count > 0) return;
    if (auto* m = qobject_cast<QStandardItemModel*>(device_->model())) {
        QStandardItem* item = m->item(device_->findData(int(DeviceKind::CUDA)));
        item->setEnabled(false);
        item->setToolTip(tr("This computer has no GPU that training can use."));
    }
}

void SettingsPage::initializePage() {
    if (!filled_) fillModels();
}

void SettingsPage::fillModels() {
    filled_ = true;
    const QSignalBlocker block(model_);
    model_->clear();
    QStringList paths;
    if (state_->models)
        for (const RegisteredModel& m : state_->models->models()) {
            model_->addItem(m.name, m.path);
            paths << QDir(m.path).absolutePath();
        }
    // "Train more" starts from a run's model that need not be registered yet.
    if (!state_->baseModel.isEmpty() && !paths.contains(QDir(state_->baseModel).absolutePath()))
        model_->addItem(QDir(state_->baseModel).dirName(), state_->baseModel);
    const QString want = !state_->baseModel.isEmpty() ? state_->baseModel : state_->tokenizerModel;
    for (int i = 0; i < model_->count(); ++i)
        if (QDir(model_->itemData(i).toString()).absolutePath() == QDir(want).absolutePath()) model_->setCurrentIndex(i);
    describeModel();
}

void SettingsPage::describeModel() {
    const QString dir = model_->currentData().toString();
    if (dir.isEmpty()) {
        modelInfo_->setText(tr("No model is registered: add one with File ▸ Models…"));
        return;
    }
    modelInfo_->setText(tr("Reading the model…"));
    const int ticket = ++describing_;
    auto* watcher = new QFutureWatcher<ModelFacts>(this);
    connect(watcher, &QFutureWatcher<ModelFacts>::finished, this, [this, watcher, ticket] {
        watcher->deleteLater();
        if (ticket != describing_) return;
        const ModelFacts f = watcher->result();
        if (!f.error.isEmpty()) {
            modelInfo_->setText(tr("This model cannot be used: %1").arg(f.error));
            Q_EMIT described();
            return;
        }
        state_->parameters = f.parameters;
        state_->weightsBytes = f.weightsBytes;
        modelInfo_->setText(tr("%1, %2 on disk.").arg(parameterCount(f.parameters), formatBytes(f.weightsBytes)));
        describeMethods(f);
        Q_EMIT described();
    });
    watcher->setFuture(QtConcurrent::run(modelFacts, dir, batch_->value(), block_->value(), state_->availableMemory));
}

void SettingsPage::describeMethods(const ModelFacts& f) {
    state_->fullTrainingBytes = f.trainingBytes;
    state_->loraTrainingBytes = f.loraTrainingBytes;
    auto info = [](QRadioButton* b) { return qobject_cast<QLabel*>(b->property("info").value<QObject*>()); };
    info(full_)->setText(tr("trains all %1: about %2 of memory; the next page times it on this machine.")
                             .arg(parameterCount(f.parameters), formatBytes(f.trainingBytes)));
    info(lora_)->setText(tr("trains %1 on top of the frozen model: about %2 of memory and about %3 % of full "
                            "fine-tuning's time per step (an estimate from the computation each step needs).")
                             .arg(parameterCount(f.loraParameters), formatBytes(f.loraTrainingBytes))
                             .arg(qRound(kLoraTimeShare * 100)));
    if (!methodChosen_) {
        const bool lora = !f.fullFits();
        lora_->setChecked(lora);
        full_->setChecked(!lora);
    }
    if (!f.fullFits())
        methodAdvice_->setText(full_->isChecked()
                                   ? tr("Full fine-tuning needs about %1, but only %2 is free: it will not fit unless "
                                        "you close other programs. LoRA needs about %3.")
                                         .arg(formatBytes(f.trainingBytes), formatBytes(f.availableBytes),
                                              formatBytes(f.loraTrainingBytes))
                                   : tr("Full fine-tuning would need about %1, but only %2 is free, so LoRA is chosen.")
                                         .arg(formatBytes(f.trainingBytes), formatBytes(f.availableBytes)));
    else
        methodAdvice_->clear();
    methodAdvice_->setVisible(!methodAdvice_->text().isEmpty());
}

training::TrainOptions SettingsPage::options() const {
    training::TrainOptions o = state_->options;
    o.model_dir = model_->currentData().toString().toStdString();
    bool ok = false;
    const double lr = QLocale::c().toDouble(lr_->text(), &ok);
    if (ok) o.lr = lr;
    o.epochs = epochs_->value();
    o.batch_size = batch_->value();
    o.engine.precision = Precision(precision_->currentData().toInt());
    o.engine.device = DeviceKind(device_->currentData().toInt());
    o.block_size = block_->value();
    o.grad_accum = gradAccum_->value();
    o.warmup_steps = warmup_->value();
    o.weight_decay = weightDecay_->value();
    o.seed = static_cast<uint64_t>(seed_->value());
    o.batching = training::Batching(batching_->currentData().toInt());
    o.val_fraction = valFraction_->value();
    o.lora = lora_->isChecked();
    // One rank per GPU, started by fabula-cli itself (TrainOptions::nproc_per_node).
    o.nproc_per_node = gpus_ > 1 && everyGpu_->isChecked() ? gpus_ : 1;
    return o;
}

void SettingsPage::setOptions(const training::TrainOptions& o) {
    lr_->setText(QLocale::c().toString(o.lr, 'g', 6));
    epochs_->setValue(o.epochs);
    batch_->setValue(o.batch_size);
    precision_->setCurrentIndex(precision_->findData(int(o.engine.precision)));
    device_->setCurrentIndex(device_->findData(int(o.engine.device)));
    block_->setValue(o.block_size);
    gradAccum_->setValue(o.grad_accum);
    warmup_->setValue(int(o.warmup_steps));
    weightDecay_->setValue(o.weight_decay);
    seed_->setValue(int(o.seed));
    batching_->setCurrentIndex(batching_->findData(int(o.batching)));
    valFraction_->setValue(o.val_fraction);
    lora_->setChecked(o.lora);
    full_->setChecked(!o.lora);
    everyGpu_->setChecked(o.nproc_per_node > 1 && gpus_ > 1);
}

QString SettingsPage::modelName() const { return name_->text().trimmed(); }
double SettingsPage::heldOutShare() const { return heldOut_->value() / 100.0; }

bool SettingsPage::isComplete() const {
    bool ok = false;
    const double lr = QLocale::c().toDouble(lr_->text(), &ok);
    return ok && lr > 0 && !modelName().isEmpty() && !model_->currentData().toString().isEmpty();
}

bool SettingsPage::validatePage() {
    state_->options = options();
    state_->baseModel = model_->currentData().toString();
    state_->name = modelName();
    state_->heldOutShare = heldOutShare();
    return true;
}

} // namespace fabula::ui
