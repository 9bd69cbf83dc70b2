#pragma once
// Step 3: holds out the comparison stories, then `fabula-cli prepare` times a
// few real steps on this machine: time per epoch and in total, memory, and
// the disk the checkpoints need against the free space. A long run on a CPU
// is said plainly, with buttons that make it shorter.
#include <QWizardPage>

class QLabel;
class QPushButton;

namespace fabula::ui {

class CliJob;
class SettingsPage;
struct WizardState;

class EstimatePage : public QWizardPage {
    Q_OBJECT
public:
    EstimatePage(WizardState* state, SettingsPage* settings, QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;

    QLabel* timeLabel() const { return time_; }
    QLabel* memoryLabel() const { return memory_; }
    QLabel* diskLabel() const { return disk_; }
    // The other method (full or LoRA), scaled from the measured one.
    QLabel* otherMethodLabel() const { return other_; }
    QPushButton* fewerEpochs() const { return fewerEpochs_; }
    QPushButton* shorterBlocks() const { return shorterBlocks_; }

    // Hours above which a CPU run is called long.
    static constexpr double kLongRunSeconds = 3 * 3600.0;

Q_SIGNALS:
    void estimated();

private:
    void split();
    void measure();
    void show(const QJsonObject& r);
    void changeSettings(int epochs, int blockSize);

    WizardState* state_;
    SettingsPage* settings_;
    CliJob* prepare_;
    QLabel *status_, *time_, *memory_, *other_, *disk_, *advice_;
    QPushButton *fewerEpochs_, *shorterBlocks_;
    bool ready_ = false;
    int generation_ = 0;
};

} // namespace fabula::ui
