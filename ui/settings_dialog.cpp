#include "ui/settings_dialog.h"

#include "ui/language.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace fabula::ui {

SettingsDialog::SettingsDialog(AppSettings* settings, QWidget* parent) : QDialog(parent), settings_(settings) {
    setWindowTitle(tr("Settings"));
    preset_ = new QComboBox(this);
    for (Preset p : {Preset::Faithful, Preset::Balanced, Preset::Wild, Preset::Custom})
        preset_->addItem(AppSettings::presetName(p), int(p));
    temperature_ = new QDoubleSpinBox(this);
    temperature_->setRange(0.0, 3.0);
    temperature_->setSingleStep(0.05);
    topK_ = new QSpinBox(this);
    topK_->setRange(0, 50257);
    topK_->setSpecialValueText(tr("off"));
    topP_ = new QDoubleSpinBox(this);
    topP_->setRange(0.01, 1.0);
    topP_->setSingleStep(0.01);
    repetition_ = new QDoubleSpinBox(this);
    repetition_->setRange(1.0, 3.0);
    repetition_->setSingleStep(0.05);
    length_ = new QSpinBox(this);
    length_->setRange(1, 1000);
    length_->setSuffix(tr(" tokens"));
    endAt_ = new QComboBox(this);
    endAt_->addItem(tr("Anywhere"), int(EndAt::Anywhere));
    endAt_->addItem(tr("At the end of a sentence"), int(EndAt::Sentence));
    endAt_->addItem(tr("At the end of a paragraph"), int(EndAt::Paragraph));

    auto* gen = new QGroupBox(tr("Continuations"), this);
    auto* genForm = new QFormLayout(gen);
    genForm->addRow(tr("&Style:"), preset_);
    genForm->addRow(tr("&Temperature:"), temperature_);
    genForm->addRow(tr("Top-&k:"), topK_);
    genForm->addRow(tr("Top-&p:"), topP_);
    genForm->addRow(tr("&Repetition penalty:"), repetition_);
    genForm->addRow(tr("&Length:"), length_);
    genForm->addRow(tr("&End:"), endAt_);

    font_ = new QComboBox(this);
    font_->addItem(tr("Serif"), QStringLiteral("serif"));
    font_->addItem(tr("Sans serif"), QStringLiteral("sans"));
    fontSize_ = new QSpinBox(this);
    fontSize_->setRange(8, 40);
    fontSize_->setSuffix(tr(" pt"));
    theme_ = new QComboBox(this);
    theme_->addItem(tr("Follow the system"), int(Theme::System));
    theme_->addItem(tr("Light"), int(Theme::Light));
    theme_->addItem(tr("Dark"), int(Theme::Dark));
    language_ = new QComboBox(this);
    language_->addItem(tr("Follow the system"), QString());
    language_->addItem(QStringLiteral("English"), QStringLiteral("en"));
    language_->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    language_->addItem(QStringLiteral("Français"), QStringLiteral("fr"));
    hub_ = new QLineEdit(this);

    auto* look = new QGroupBox(tr("Appearance"), this);
    auto* lookForm = new QFormLayout(look);
    lookForm->addRow(tr("&Font:"), font_);
    lookForm->addRow(tr("Font si&ze:"), fontSize_);
    lookForm->addRow(tr("The&me:"), theme_);
    lookForm->addRow(tr("Lan&guage:"), language_);
    lookForm->addRow(tr("Model &hub:"), hub_);

    precision_ = new QComboBox(this);
    precision_->setObjectName(QStringLiteral("precision"));
    precision_->addItem(tr("Automatic (int8 for large models)"), QStringLiteral("auto"));
    precision_->addItem(tr("fp32: exact"), QStringLiteral("fp32"));
    precision_->addItem(tr("bf16: half the memory"), QStringLiteral("bf16"));
    precision_->addItem(tr("int8: a quarter of the memory, fastest on the CPU"), QStringLiteral("int8"));
    precision_->setToolTip(tr("int8 keeps each weight of the model's projections in 8 bits: continuations come "
                              "faster and need less memory, and read almost as the exact ones."));
    auto* engine = new QGroupBox(tr("Model"), this);
    auto* engineForm = new QFormLayout(engine);
    engineForm->addRow(tr("Prec&ision (at the next load):"), precision_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(gen);
    layout->addWidget(look);
    layout->addWidget(engine);
    layout->addWidget(buttons);

    const GenerationSettings g = settings_->generation();
    preset_->setCurrentIndex(preset_->findData(int(settings_->preset())));
    showPreset(settings_->preset());
    if (settings_->preset() == Preset::Custom) {
        temperature_->setValue(g.temperature);
        topK_->setValue(g.topK);
        topP_->setValue(g.topP);
        repetition_->setValue(g.repetitionPenalty);
    }
    length_->setValue(g.maxNewTokens);
    endAt_->setCurrentIndex(endAt_->findData(int(g.endAt)));
    font_->setCurrentIndex(std::max(0, font_->findData(settings_->fontFamily())));
    fontSize_->setValue(settings_->fontSize());
    theme_->setCurrentIndex(theme_->findData(int(settings_->theme())));
    language_->setCurrentIndex(std::max(0, language_->findData(settings_->language())));
    hub_->setText(settings_->hubUrl().toString());
    precision_->setCurrentIndex(std::max(0, precision_->findData(AppSettings::precision())));

    connect(preset_, &QComboBox::currentIndexChanged, this, [this] { showPreset(Preset(preset_->currentData().toInt())); });
    // Touching an advanced value makes the settings the writer's own.
    for (auto* spin : {temperature_, topP_, repetition_})
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this] {
            if (!showing_) preset_->setCurrentIndex(preset_->findData(int(Preset::Custom)));
        });
    connect(topK_, &QSpinBox::valueChanged, this, [this] {
        if (!showing_) preset_->setCurrentIndex(preset_->findData(int(Preset::Custom)));
    });
}

void SettingsDialog::showPreset(Preset p) {
    if (p == Preset::Custom) return;
    showing_ = true;
    const GenerationSettings g = AppSettings::presetValues(p);
    temperature_->setValue(g.temperature);
    topK_->setValue(g.topK);
    topP_->setValue(g.topP);
    repetition_->setValue(g.repetitionPenalty);
    showing_ = false;
}

void SettingsDialog::accept() {
    GenerationSettings g;
    g.temperature = temperature_->value();
    g.topK = topK_->value();
    g.topP = topP_->value();
    g.repetitionPenalty = repetition_->value();
    g.maxNewTokens = length_->value();
    g.endAt = EndAt(endAt_->currentData().toInt());
    settings_->setGeneration(Preset(preset_->currentData().toInt()), g);
    settings_->setFont(font_->currentData().toString(), fontSize_->value());
    settings_->setTheme(Theme(theme_->currentData().toInt()));
    // The translators change at once: the open windows retranslate on the
    // LanguageChange that sends, and what opens next speaks the new language.
    if (const QString code = language_->currentData().toString(); code != settings_->language()) {
        settings_->setLanguage(code);
        applyLanguage(localeForLanguage(code));
    }
    if (const QUrl url = QUrl::fromUserInput(hub_->text().trimmed()); url.isValid()) settings_->setHubUrl(url);
    if (const QString p = precision_->currentData().toString(); p != AppSettings::precision()) settings_->setPrecision(p);
    QDialog::accept();
}

} // namespace fabula::ui
