#include "ui/ab_dialog.h"

#include "ui/ab_test.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"

#include "core/store/ab_stats.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace fabula::ui {

AbDialog::AbDialog(AbTest* test, ModelManager* models, StoreClient* store, const GenerationSettings& base,
                   QWidget* parent)
    : QDialog(parent), test_(test), models_(models), store_(store), base_(base) {
    setWindowTitle(tr("Blind A/B test"));
    auto* layout = new QVBoxLayout(this);
    auto* arms = new QGridLayout;
    for (int i = 0; i < 2; ++i) {
        arms->addWidget(new QLabel(i == 0 ? tr("First:") : tr("Second:")), i, 0);
        voices_[i] = new QComboBox;
        voices_[i]->setObjectName(QStringLiteral("abVoice%1").arg(i));
        arms->addWidget(voices_[i], i, 1);
        arms->addWidget(new QLabel(tr("Temperature")), i, 2);
        temperatures_[i] = new QDoubleSpinBox;
        temperatures_[i]->setObjectName(QStringLiteral("abTemperature%1").arg(i));
        temperatures_[i]->setRange(0.05, 2.0);
        temperatures_[i]->setSingleStep(0.05);
        temperatures_[i]->setValue(base.temperature);
        arms->addWidget(temperatures_[i], i, 3);
    }
    layout->addLayout(arms);
    auto* hint = new QLabel(tr("Both write from the same place in your draft with the same seed; you see them as A "
                               "and B in a random order, and learn which was which after you pick."));
    hint->setWordWrap(true);
    layout->addWidget(hint);

    continue_ = new QPushButton(tr("Continue"));
    continue_->setObjectName(QStringLiteral("abContinue"));
    layout->addWidget(continue_);
    auto* texts = new QHBoxLayout;
    for (int s = 0; s < 2; ++s) {
        panels_[s] = new QGroupBox(s == 0 ? tr("A") : tr("B"));
        auto* box = new QVBoxLayout(panels_[s]);
        texts_[s] = new QPlainTextEdit;
        texts_[s]->setReadOnly(true);
        box->addWidget(texts_[s]);
        texts->addWidget(panels_[s]);
    }
    layout->addLayout(texts);
    auto* buttons = new QHBoxLayout;
    const QString names[3] = {tr("Pick A"), tr("Pick B"), tr("Neither")};
    for (int b = 0; b < 3; ++b) {
        picks_[b] = new QPushButton(names[b]);
        picks_[b]->setObjectName(QStringLiteral("abPick%1").arg(b));
        buttons->addWidget(picks_[b]);
    }
    layout->addLayout(buttons);
    status_ = new QLabel;
    status_->setWordWrap(true);
    layout->addWidget(status_);

    table_ = new QTableWidget(0, ColumnCount);
    table_->setObjectName(QStringLiteral("abComparison"));
    table_->setHorizontalHeaderLabels({tr("Pairing"), tr("Picks"), tr("First wins"), tr("95 % interval"),
                                       tr("Neither")});
    table_->horizontalHeader()->setSectionResizeMode(Pairing, QHeaderView::Stretch);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(new QLabel(tr("Comparison (\"neither\" is not counted in the win rates)")));
    layout->addWidget(table_);

    connect(continue_, &QPushButton::clicked, this, [this] {
        applyArms();
        status_->clear();
        test_->continueText();
    });
    // However a round starts, the last one's names and texts go.
    connect(test_, &AbTest::stateChanged, this, [this](AbTest::State s) {
        if (s != AbTest::State::Generating) return;
        for (int i = 0; i < 2; ++i) texts_[i]->clear();
        panels_[0]->setTitle(tr("A"));
        panels_[1]->setTitle(tr("B"));
    });
    connect(picks_[0], &QPushButton::clicked, test_, &AbTest::pickA);
    connect(picks_[1], &QPushButton::clicked, test_, &AbTest::pickB);
    connect(picks_[2], &QPushButton::clicked, test_, &AbTest::pickNeither);
    connect(test_, &AbTest::ready, this, &AbDialog::showTexts);
    connect(test_, &AbTest::stateChanged, this, &AbDialog::updateButtons);
    connect(test_, &AbTest::message, status_, &QLabel::setText);
    connect(test_, &AbTest::revealed, this, [this](const QString& a, const QString& b) {
        panels_[0]->setTitle(tr("A: %1").arg(a));
        panels_[1]->setTitle(tr("B: %1").arg(b));
    });
    connect(test_, &AbTest::picked, this, &AbDialog::refreshComparison);
    // Closed while both are still writing: no one is left to pick.
    connect(this, &QDialog::finished, test_, &AbTest::cancel);
    connect(models_, &ModelManager::modelsChanged, this, &AbDialog::fillVoices);
    connect(models_, &ModelManager::loaded, this, &AbDialog::fillVoices);
    fillVoices();
    updateButtons();
    refreshComparison();
}

void AbDialog::fillVoices() {
    const QString base = models_->info().name.isEmpty() ? tr("the model") : models_->info().name;
    for (int i = 0; i < 2; ++i) {
        const QString kept = voices_[i]->currentData().toString();
        voices_[i]->clear();
        voices_[i]->addItem(tr("%1 alone").arg(base), QString());
        if (models_->isLoaded())
            for (const RegisteredVoice& v : models_->voicesOf(models_->info().path))
                if (v.usable()) voices_[i]->addItem(v.name, v.path);
        const int at = voices_[i]->findData(kept);
        voices_[i]->setCurrentIndex(at >= 0 ? at : 0);
    }
}

void AbDialog::applyArms() {
    AbArm arms[2];
    for (int i = 0; i < 2; ++i) {
        arms[i].adapter = voices_[i]->currentData().toString();
        arms[i].settings = base_;
        arms[i].settings.temperature = temperatures_[i]->value();
        arms[i].label = tr("%1, temperature %2").arg(voices_[i]->currentText()).arg(QLocale().toString(temperatures_[i]->value(), 'f', 2));
    }
    test_->setArms(arms[0], arms[1]);
}

void AbDialog::showTexts(const QString& a, const QString& b) {
    texts_[0]->setPlainText(a);
    texts_[1]->setPlainText(b);
}

void AbDialog::updateButtons() {
    const bool choosing = test_->state() == AbTest::State::Choosing;
    for (QPushButton* b : picks_) b->setEnabled(choosing);
    continue_->setEnabled(test_->state() != AbTest::State::Generating);
}

void AbDialog::refreshComparison() {
    store_->submit(this, [](Store& s) { return ab_comparison(s.list_ab_picks()); },
                   [this](const std::vector<AbPairing>& rows) {
        table_->setRowCount(int(rows.size()));
        for (int r = 0; r < int(rows.size()); ++r) {
            const AbPairing& p = rows[r];
            const WilsonInterval w = p.first_rate();
            const QString first = QString::fromStdString(p.first), second = QString::fromStdString(p.second);
            const QString cells[ColumnCount] = {
                tr("%1 vs %2").arg(first, second),
                QString::number(p.picks()),
                p.picks() ? tr("%1 %").arg(QLocale().toString(100 * w.p, 'f', 1)) : tr("none yet"),
                p.picks() ? tr("%1 to %2 %").arg(QLocale().toString(100 * w.low, 'f', 1), QLocale().toString(100 * w.high, 'f', 1)) : QString(),
                QString::number(p.neither),
            };
            for (int c = 0; c < ColumnCount; ++c) table_->setItem(r, c, new QTableWidgetItem(cells[c]));
        }
        Q_EMIT comparisonRefreshed();
    }, [this](const StoreError& e) { status_->setText(tr("The picks could not be read. %1").arg(StoreClient::describe(e))); });
}

} // namespace fabula::ui
