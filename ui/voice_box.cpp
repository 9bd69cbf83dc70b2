#include "ui/voice_box.h"

#include "ui/model_manager.h"

#include <QEvent>

namespace fabula::ui {

VoiceBox::VoiceBox(ModelManager* models, QWidget* parent) : QComboBox(parent), models_(models) {
    setObjectName(QStringLiteral("voiceBox"));
    retranslateUi();
    setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(models_, &ModelManager::modelsChanged, this, &VoiceBox::fill);
    connect(models_, &ModelManager::voiceFailed, this, &VoiceBox::fill);
    connect(models_, &ModelManager::loaded, this, &VoiceBox::fill);
    connect(models_, &ModelManager::loadStarted, this, &VoiceBox::fill);
    connect(models_, &ModelManager::loadFailed, this, &VoiceBox::fill);
    connect(models_, &ModelManager::voiceChanged, this, &VoiceBox::fill);
    connect(this, &QComboBox::activated, this, &VoiceBox::choose);
    fill();
}

void VoiceBox::retranslateUi() {
    setAccessibleName(tr("Voice"));
    setToolTip(tr("The voice the loaded model writes in: the base model alone, or a voice trained on your stories "
                  "on top of it. Switching keeps the model loaded."));
}

void VoiceBox::changeEvent(QEvent* e) {
    if (e->type() == QEvent::LanguageChange) {
        retranslateUi();
        fill(); // "Voice: …"
    }
    QComboBox::changeEvent(e);
}

QString VoiceBox::shownVoice() const { return currentData().toString(); }

void VoiceBox::fill() {
    const QSignalBlocker block(this);
    clear();
    addItem(tr("Voice: base model"), QString());
    if (!models_->isLoaded()) {
        setEnabled(false);
        return;
    }
    for (const RegisteredVoice& v : models_->voicesOf(models_->info().path)) addItem(tr("Voice: %1").arg(v.name), v.path);
    // A voice that speaks but is no longer listed (its row was removed) still shows.
    if (!models_->voice().isEmpty() && findData(models_->voice()) < 0)
        addItem(tr("Voice: %1").arg(models_->voiceName()), models_->voice());
    setCurrentIndex(std::max(0, findData(models_->voice())));
    setEnabled(count() > 1);
}

void VoiceBox::choose(int index) {
    const QString voice = itemData(index).toString();
    if (voice != models_->voice()) models_->setVoice(voice);
}

} // namespace fabula::ui
