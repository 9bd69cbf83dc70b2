#pragma once
// Step 5: what training changed. Held-out perplexity of the base and the new
// model (`fabula-cli eval`), the openings of three held-out stories (editable)
// continued by both with the same seed (`fabula-cli generate`), and the way
// on: use the new model (or the new voice, on its base), or train more from it.
#include <QJsonObject>
#include <QStringList>
#include <QWizardPage>

#include <functional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace fabula::ui {

class CliJob;
struct WizardState;

class ResultPage : public QWizardPage {
    Q_OBJECT
public:
    static constexpr int kPrompts = 3;

    ResultPage(WizardState* state, QWidget* parent = nullptr);

    void initializePage() override;

    QLabel* basePerplexity() const { return basePpl_; }
    QLabel* newPerplexity() const { return newPpl_; }
    // A feedback run: preference accuracy on the held-out pairs (`fabula-cli prefs-eval`).
    QLabel* basePreferenceAccuracy() const { return basePrefs_; }
    QLabel* newPreferenceAccuracy() const { return newPrefs_; }
    QLineEdit* prompt(int i) const { return prompts_[i]; }
    QPlainTextEdit* baseContinuation(int i) const { return baseOut_[i]; }
    QPlainTextEdit* newContinuation(int i) const { return newOut_[i]; }
    QPushButton* useButton() const { return use_; }
    QPushButton* trainMoreButton() const { return trainMore_; }

    // For the screenshot: results as the children would report them.
    void showResults(double basePpl, double newPpl, const QStringList& prompts, const QStringList& base,
                     const QStringList& fresh);

public Q_SLOTS:
    void compare();  // both perplexities, then the continuations
    void continueBoth();

Q_SIGNALS:
    void compared();  // every evaluation (perplexities, preference accuracies) has answered
    void continued(); // every prompt has both continuations (or the reason it has none)
    void useModel(const QString& name, const QString& dir);
    void trainMore(const QString& dir);

private:
    void evalSettled();
    struct Job {
        QStringList args;
        std::function<void(const QJsonObject&)> done;
        std::function<void(const QString&)> failed;
    };
    void enqueue(Job job);
    void next();
    QStringList modelArguments(const QString& dir) const;

    WizardState* state_;
    CliJob* cli_;
    QList<Job> queue_;
    bool busy_ = false;
    QLabel *basePpl_, *newPpl_, *note_, *basePrefs_, *newPrefs_;
    QLineEdit* prompts_[kPrompts];
    QPlainTextEdit *baseOut_[kPrompts], *newOut_[kPrompts];
    QPushButton *again_, *use_, *trainMore_;
    QLabel* newHeading_;
    int pendingContinuations_ = 0, pendingEvals_ = 0;
};

} // namespace fabula::ui
