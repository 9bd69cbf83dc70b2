#pragma once
// The blind A/B window: choose the two arms (a voice of the loaded base or
// the base alone, and a temperature), Continue, read A and B, pick one or
// neither; below, the comparison of every pairing so far.
#include "ui/engine_types.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace fabula::ui {

class AbTest;
class ModelManager;
class StoreClient;

class AbDialog : public QDialog {
    Q_OBJECT
public:
    enum Column { Pairing, Picks, WinRate, Interval, Neither, ColumnCount };

    // base: the writer's sampling settings, which each arm starts from.
    AbDialog(AbTest* test, ModelManager* models, StoreClient* store, const GenerationSettings& base,
             QWidget* parent = nullptr);

    QTableWidget* comparison() const { return table_; }
    QGroupBox* panel(int slot) const { return panels_[slot]; }
    QComboBox* voiceBox(int arm) const { return voices_[arm]; }
    QDoubleSpinBox* temperatureBox(int arm) const { return temperatures_[arm]; }

public Q_SLOTS:
    // Reads the picks again and fills the comparison.
    void refreshComparison();

Q_SIGNALS:
    void comparisonRefreshed();

private:
    void fillVoices();
    void applyArms();
    void showTexts(const QString& a, const QString& b);
    void updateButtons();

    AbTest* test_;
    ModelManager* models_;
    StoreClient* store_;
    GenerationSettings base_;
    QComboBox* voices_[2];
    QDoubleSpinBox* temperatures_[2];
    QGroupBox* panels_[2];
    QPlainTextEdit* texts_[2];
    QPushButton* continue_;
    QPushButton* picks_[3];
    QLabel* status_;
    QTableWidget* table_;
};

} // namespace fabula::ui
