#pragma once
// The toolbar's voice for the loaded model: the base alone or one of the
// voices (LoRA adapters) listed under it. Choosing one asks the model
// manager to switch, which keeps the base loaded; the box then follows what
// the engine reports, so a switch that fails shows the voice that speaks.
#include <QComboBox>

namespace fabula::ui {

class ModelManager;

class VoiceBox : public QComboBox {
    Q_OBJECT
public:
    explicit VoiceBox(ModelManager* models, QWidget* parent = nullptr);

    // The adapter folder of the entry that is shown; empty: the base alone.
    QString shownVoice() const;

protected:
    void changeEvent(QEvent* e) override; // a language change: the texts again

private:
    void retranslateUi();
    void fill();
    void choose(int index);

    ModelManager* models_;
};

} // namespace fabula::ui
