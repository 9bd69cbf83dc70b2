// The blind A/B test driven offscreen against the real window, engine and
// SQLite file with a tiny random GPT-2: the shown order follows the seeded
// generator (both orders appear, and the same seed gives the same orders),
// the arms' names stay hidden until the pick, a pick is recorded as a pair
// that feedback export writes with source "ab", "neither" is recorded and
// makes no pair, the comparison view's win rate and Wilson interval for a
// fixed set of picks, and two voices of one base as the arms.
#ifndef Q_MOC_RUN // moc cannot parse the C++20 headers behind these
#include "core/store/store.h"
#include "training/feedback_export.h"
#endif
#include "ui/ab_dialog.h"
#include "ui/ab_test.h"
#include "ui/editor.h"
#include "ui/engine_worker.h"
#include "ui/main_window.h"
#include "ui/model_manager.h"
#include "ui/store_client.h"
#include "ui/story_session.h"
#include "ui/suggestion_controller.h"
#include "test_support.h"

#include <QFile>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTableWidget>
#include <QTextCursor>
#include <QtTest>

#include <memory>
#include <utility>

using namespace fabula;
using namespace fabula::ui;

namespace {

AbArm arm(const QString& label, double temperature, int topK) {
    AbArm a;
    a.label = label;
    a.settings.temperature = temperature;
    a.settings.topK = topK;
    a.settings.maxNewTokens = 10;
    a.settings.endAt = EndAt::Anywhere;
    return a;
}

QJsonObject json(const std::string& s) { return QJsonDocument::fromJson(QByteArray::fromStdString(s)).object(); }

// pairs.jsonl as written by feedback export.
QList<QJsonObject> exportedPairs(Store& s, const QString& dir) {
    export_feedback(s, dir.toStdString());
    QFile f(dir + QStringLiteral("/pairs.jsonl"));
    QList<QJsonObject> rows;
    if (!f.open(QIODevice::ReadOnly)) return rows;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty()) rows << QJsonDocument::fromJson(line).object();
    return rows;
}

} // namespace

class TestAb : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString model_;
    std::unique_ptr<MainWindow> window_;
    std::unique_ptr<AbTest> ab_;
    std::unique_ptr<AbDialog> dialog_;

    // One round up to the pick; false when it did not become choosable.
    bool runRound() {
        QSignalSpy ready(ab_.get(), &AbTest::ready);
        ab_->continueText();
        return ready.wait(60000) && ab_->state() == AbTest::State::Choosing;
    }
    // The pick made and stored; its id.
    qint64 pickAndWait(int slot) {
        QSignalSpy picked(ab_.get(), &AbTest::picked);
        if (slot == 0) ab_->pickA();
        else if (slot == 1) ab_->pickB();
        else ab_->pickNeither();
        if (!picked.wait(30000)) return 0;
        return picked.first().first().toLongLong();
    }
    template <class F>
    auto onStore(F f) {
        using R = decltype(f(std::declval<Store&>()));
        auto out = std::make_shared<R>();
        window_->store()->submit([out, f](Store& s) { *out = f(s); });
        window_->store()->waitForIdle();
        return *out;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        test::isolate(dir_);
        model_ = dir_.filePath(QStringLiteral("tiny-gpt2"));
        QVERIFY(test::makeModel(model_));
        MainWindowOptions o;
        o.databasePath = dir_.filePath(QStringLiteral("library/fabula.sqlite"));
        o.modelPath = model_;
        o.askForModel = false;
        window_ = std::make_unique<MainWindow>(o);
        window_->show();
        QTRY_VERIFY_WITH_TIMEOUT(window_->models()->isLoaded() && window_->documents()->currentDraft() != 0, 60000);
        window_->editor()->setFocus();
        QTest::keyClicks(window_->editor(), QStringLiteral("Once upon a time, the lighthouse keeper"));
        ab_ = std::make_unique<AbTest>(window_->engine(), window_->store(), window_->editor(), window_->documents(),
                                       window_->models());
        ab_->setStorySession(window_->story()); // as the window's Training ▸ Blind A/B test does
        // Greedy against a hot sampler: the same seed, different texts.
        ab_->setArms(arm(QStringLiteral("greedy"), 1.0, 1), arm(QStringLiteral("hot"), 2.0, 0));
        dialog_ = std::make_unique<AbDialog>(ab_.get(), window_->models(), window_->store(), GenerationSettings{});
        dialog_->show();
    }

    void orderIsSeededAndNamesStayHidden() {
        auto orders = [this] {
            QStringList seen;
            ab_->setOrderSeed(20261201);
            for (int round = 0; round < 8; ++round) {
                if (!runRound()) return QStringList{QStringLiteral("no round")};
                // Blind: nothing names the arms, neither the controller nor the window.
                if (!ab_->labelA().isEmpty() || !ab_->labelB().isEmpty()) return QStringList{QStringLiteral("named")};
                for (int s = 0; s < 2; ++s) {
                    const QString title = dialog_->panel(s)->title();
                    if (title.contains(QStringLiteral("greedy")) || title.contains(QStringLiteral("hot")))
                        return QStringList{QStringLiteral("titled ") + title};
                }
                if (pickAndWait(-1) <= 0) return QStringList{QStringLiteral("no pick")};
                seen << ab_->labelA();
                if (!dialog_->panel(0)->title().contains(ab_->labelA())) return QStringList{QStringLiteral("unrevealed")};
            }
            return seen;
        };
        const QStringList first = orders();
        QVERIFY2(first.size() == 8, qPrintable(first.join(QLatin1Char(','))));
        QVERIFY2(first.contains(QStringLiteral("greedy")) && first.contains(QStringLiteral("hot")),
                 qPrintable(first.join(QLatin1Char(','))));
        // The same seed, the same orders.
        QCOMPARE(orders(), first);
    }

    void aPickIsStoredAsAPair() {
        QVERIFY(runRound());
        const QString textA = ab_->textA(), textB = ab_->textB();
        const QString before = window_->editor()->draftText();
        const qint64 id = pickAndWait(0);
        QVERIFY(id > 0);
        QCOMPARE(window_->editor()->draftText(), before + textA);

        const auto picks = onStore([](Store& s) { return s.list_ab_picks(); });
        QCOMPARE(picks.back().id, id);
        const AbPick& p = picks.back();
        QVERIFY(p.choice == AbChoice::A);
        QCOMPARE(QString::fromStdString(p.a_label), ab_->labelA());
        QCOMPARE(QString::fromStdString(p.b_label), ab_->labelB());
        const auto a = onStore([&](Store& s) { return s.get_continuation(p.a_id); });
        const auto b = onStore([&](Store& s) { return s.get_continuation(p.b_id); });
        QVERIFY(a && b);
        QCOMPARE(QString::fromStdString(a->continuation_text), textA);
        QCOMPARE(QString::fromStdString(b->continuation_text), textB);
        QVERIFY(a->status == ContinuationStatus::Accepted);
        QVERIFY(b->status == ContinuationStatus::Rejected);
        // One round, one context, one seed; each was written by the arm its label names.
        QVERIFY(a->round_id && a->round_id == b->round_id);
        QVERIFY(!a->context_ids.empty() && a->context_ids == b->context_ids);
        const QJsonObject sa = json(a->settings_json), sb = json(b->settings_json);
        QCOMPARE(sa.value(QStringLiteral("seed")), sb.value(QStringLiteral("seed")));
        const double hotTemperature = 2.0, greedyTemperature = 1.0;
        QCOMPARE(sa.value(QStringLiteral("temperature")).toDouble(),
                 ab_->labelA() == QStringLiteral("hot") ? hotTemperature : greedyTemperature);
        QCOMPARE(sb.value(QStringLiteral("temperature")).toDouble(),
                 ab_->labelB() == QStringLiteral("hot") ? hotTemperature : greedyTemperature);

        const auto pairs = onStore([this](Store& s) { return exportedPairs(s, dir_.filePath(QStringLiteral("export1"))); });
        int ab = 0;
        for (const QJsonObject& row : pairs) {
            if (row.value(QStringLiteral("chosen_generation_id")).toInteger() != p.a_id) continue;
            QCOMPARE(row.value(QStringLiteral("rejected_generation_id")).toInteger(), p.b_id);
            QCOMPARE(row.value(QStringLiteral("source")).toString(), QStringLiteral("ab"));
            QCOMPARE(row.value(QStringLiteral("chosen")).toString(), textA);
            QCOMPARE(row.value(QStringLiteral("rejected")).toString(), textB);
            ++ab;
        }
        QCOMPARE(ab, 1); // and not again from its round
    }

    void neitherIsStoredWithoutAPair() {
        QVERIFY(runRound());
        const QString before = window_->editor()->draftText();
        const qint64 id = pickAndWait(-1);
        QVERIFY(id > 0);
        QCOMPARE(window_->editor()->draftText(), before);
        const auto picks = onStore([](Store& s) { return s.list_ab_picks(); });
        const AbPick& p = picks.back();
        QCOMPARE(p.id, id);
        QVERIFY(p.choice == AbChoice::Neither);
        const auto pairs = onStore([this](Store& s) { return exportedPairs(s, dir_.filePath(QStringLiteral("export2"))); });
        QVERIFY(!pairs.isEmpty()); // the earlier pick's pair is there
        for (const QJsonObject& row : pairs)
            for (const char* key : {"chosen_generation_id", "rejected_generation_id"}) {
                const qint64 g = row.value(QLatin1String(key)).toInteger();
                QVERIFY(g != p.a_id && g != p.b_id);
            }
    }

    void comparisonShowsWinRatesAndIntervals() {
        // X against Y: X wins 7 of 10 (4 shown as A, 3 as B), Y 3, and 2 neither.
        onStore([](Store& s) {
            auto continuation = [&s](const char* text) {
                NewContinuation c;
                c.context_text = "ctx";
                c.continuation_text = text;
                return s.record_continuation(c);
            };
            auto add = [&](const char* a, const char* b, AbChoice choice) {
                NewAbPick p;
                p.a_id = continuation("one");
                p.b_id = continuation("two");
                p.a_label = a;
                p.b_label = b;
                p.choice = choice;
                s.record_ab_pick(p);
            };
            for (int i = 0; i < 4; ++i) add("X", "Y", AbChoice::A);
            for (int i = 0; i < 3; ++i) add("Y", "X", AbChoice::B);
            for (int i = 0; i < 3; ++i) add(i % 2 ? "X" : "Y", i % 2 ? "Y" : "X", i % 2 ? AbChoice::B : AbChoice::A);
            add("X", "Y", AbChoice::Neither);
            add("Y", "X", AbChoice::Neither);
            return 0;
        });
        QTableWidget* t = dialog_->comparison();
        auto rowOf = [t](const QString& pairing) {
            for (int r = 0; r < t->rowCount(); ++r)
                if (t->item(r, AbDialog::Pairing)->text() == pairing) return r;
            return -1;
        };
        // An earlier refresh may still be on its way: wait for the one that reads these picks.
        dialog_->refreshComparison();
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("X vs Y")) >= 0, 30000);
        const int row = rowOf(QStringLiteral("X vs Y"));
        QCOMPARE(t->item(row, AbDialog::Picks)->text(), QStringLiteral("10"));
        QCOMPARE(t->item(row, AbDialog::WinRate)->text(), QStringLiteral("70.0 %"));
        // Wilson, z = 1.96: (0.7 + z²/20) / (1 + z²/10) -/+ z/(1 + z²/10) sqrt(0.021 + z²/400).
        QCOMPARE(t->item(row, AbDialog::Interval)->text(), QStringLiteral("39.7 to 89.2 %"));
        QCOMPARE(t->item(row, AbDialog::Neither)->text(), QStringLiteral("2"));
        // The app's own rounds: one decided pick (the earlier A) and 17 neither (8 + 8 + 1).
        const int app = rowOf(QStringLiteral("greedy vs hot"));
        QVERIFY(app >= 0);
        QCOMPARE(t->item(app, AbDialog::Picks)->text(), QStringLiteral("1"));
        QCOMPARE(t->item(app, AbDialog::Neither)->text(), QStringLiteral("17"));
    }

    // Two voices of one base: each arm speaks in its own, the base is not
    // read again, and the writer's voice is back once the round is in.
    void voiceArmsSpeakInTheirOwnVoice() {
        const QString mia = dir_.filePath(QStringLiteral("mia-adapter"));
        QVERIFY(test::makeAdapter(model_, mia, QStringLiteral("Mia"), 1));
        ModelManager* models = window_->models();
        models->addFolder(mia);
        QTRY_VERIFY_WITH_TIMEOUT(models->voices().size() == 1, 60000);
        const int loads = window_->engine()->modelLoads();
        const QString before = models->voice();
        AbArm base = arm(QStringLiteral("base"), 1.0, 1), voiced = arm(QStringLiteral("Mia"), 1.0, 1);
        voiced.adapter = mia;
        ab_->setArms(base, voiced);
        QVERIFY(runRound());
        QVERIFY(ab_->textA() != ab_->textB()); // greedy both: only the voice differs
        QVERIFY(pickAndWait(1) > 0);
        const auto picks = onStore([](Store& s) { return s.list_ab_picks(); });
        const AbPick& p = picks.back();
        for (const auto& [id, label] : {std::pair{p.a_id, p.a_label}, std::pair{p.b_id, p.b_label}}) {
            const auto c = onStore([id = id](Store& s) { return s.get_continuation(id); });
            QVERIFY(c);
            const QString adapter = json(c->settings_json).value(QStringLiteral("adapter")).toString();
            if (label == "Mia") QCOMPARE(QDir::cleanPath(adapter), QDir::cleanPath(QDir(mia).absolutePath()));
            else QVERIFY2(adapter.isEmpty(), qPrintable(adapter));
        }
        QTRY_COMPARE_WITH_TIMEOUT(models->voice(), before, 30000);
        QCOMPARE(window_->engine()->modelLoads(), loads);
    }

    // Both arms see the prompt Continue would: the story with the draft's
    // memory (and note and lore), from the same builder.
    void bothSeeTheStoryWithItsMemory() {
        const QString memory = QStringLiteral("Mara is the keeper's daughter; the storm never ends.");
        window_->story()->setMemory(memory);
        window_->story()->saveNow();
        window_->store()->waitForIdle();
        GenerationSettings greedy = arm(QStringLiteral("reference"), 1.0, 1).settings;
        window_->suggestions()->setSettings(greedy);
        QSignalSpy finished(window_->suggestions(), &SuggestionController::generationFinished);
        window_->suggestions()->continueText();
        QVERIFY(finished.wait(60000));
        const QString continuePrompt = finished.first().first().value<GenerationOutcome>().promptText;
        window_->suggestions()->reject();
        QVERIFY2(continuePrompt.contains(memory), qPrintable(continuePrompt));

        ab_->setArms(arm(QStringLiteral("greedy"), 1.0, 1), arm(QStringLiteral("hot"), 2.0, 0));
        QVERIFY(runRound());
        QVERIFY(pickAndWait(-1) > 0);
        const auto picks = onStore([](Store& s) { return s.list_ab_picks(); });
        for (qint64 id : {picks.back().a_id, picks.back().b_id}) {
            const auto c = onStore([id](Store& s) { return s.get_continuation(id); });
            QVERIFY(c);
            QCOMPARE(QString::fromStdString(c->context_text), continuePrompt);
        }
        window_->story()->setMemory({});
        window_->story()->saveNow();
    }

    // The cursor moved while the writer read A and B: the pick is kept, and
    // not inserted where neither was written for.
    void aPickGoesOnlyWhereBothWereWritten() {
        QVERIFY(runRound());
        QTextCursor c = window_->editor()->textCursor();
        c.movePosition(QTextCursor::Start);
        window_->editor()->setTextCursor(c);
        const QString before = window_->editor()->draftText();
        QSignalSpy messages(ab_.get(), &AbTest::message);
        QVERIFY(pickAndWait(0) > 0);
        QCOMPARE(window_->editor()->draftText(), before);
        QCOMPARE(messages.count(), 1);
        const auto picks = onStore([](Store& s) { return s.list_ab_picks(); });
        QVERIFY(picks.back().choice == AbChoice::A);
    }

    void cleanupTestCase() {
        dialog_.reset();
        ab_.reset();
        window_.reset();
    }
};

QTEST_MAIN(TestAb)
#include "test_ab.moc"
