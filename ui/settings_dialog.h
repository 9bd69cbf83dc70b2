#pragma once
// Preferences: generation presets with their advanced values, the editor's
// font, theme, language, the model hub address and the precision models run
// in. Writes AppSettings on OK.
#include "ui/app_settings.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QSpinBox;
class QLineEdit;

namespace fabula::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(AppSettings* settings, QWidget* parent = nullptr);
    void accept() override;

private:
    void showPreset(Preset p);

    AppSettings* settings_;
    QComboBox *preset_, *endAt_, *font_, *theme_, *language_, *precision_;
    QDoubleSpinBox *temperature_, *topP_, *repetition_;
    QSpinBox *topK_, *length_, *fontSize_;
    QLineEdit* hub_;
    bool showing_ = false;
};

} // namespace fabula::ui
